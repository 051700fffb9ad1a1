// Command mm1 runs 30 replications of an M/M/1 queue on virtual time and
// prints, per metric, the mean over the replications, its 95% confidence
// interval and the value queueing theory predicts.
//
// The queue has Poisson arrivals at rate lambda = 0.9 and exponential service
// at rate mu = 1.0 (the mm1 workload of the peer comparison). Each
// replication starts empty, serves 20,000 customers and deletes the first
// 2,000 as warm-up. A source task spawns one task per customer; each
// customer requests the server, a resource.Resource of capacity 1 served first
// come, first served, holds it for its service time and releases it.
//
// Theory (Kleinrock, Queueing Systems, Vol. 1, 1975, section 3.2), with
// rho = lambda/mu: mean wait in queue Wq = rho/(mu - lambda) = 9, mean
// sojourn W = 1/(mu - lambda) = 10, mean number in system L = rho/(1 - rho)
// = 9, and server utilisation rho = 0.9.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

const (
	lambda       = 0.9
	mu           = 1.0
	customers    = 20_000
	warmup       = customers / 10
	replications = 30
	seed         = 2024
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mm1:", err)
		os.Exit(1)
	}
}

// run runs the experiment and writes the table to w.
func run(w io.Writer) error {
	res, err := reports.Replicate(context.Background(),
		reports.Experiment{Replications: replications, Seed: seed},
		func(rep reports.Replication) (reports.Metrics, error) { return replicate(rep.Seed) })
	if err != nil {
		return err
	}
	rho := lambda / mu
	theory := map[string]float64{
		"wait":        rho / (mu - lambda),
		"sojourn":     1 / (mu - lambda),
		"in_system":   rho / (1 - rho),
		"utilisation": rho,
	}
	fmt.Fprintf(w, "M/M/1, lambda=%.1f mu=%.1f: %d replications of %d customers (first %d deleted), seed %d\n",
		lambda, mu, replications, customers, warmup, seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmean\t95% CI\tn\ttheory")
	for _, name := range []string{"wait", "sojourn", "in_system", "utilisation"} {
		m, ok := res.Metric(name)
		if !ok {
			return fmt.Errorf("no metric %q", name)
		}
		s := m.Summary
		fmt.Fprintf(tw, "%s\t%.3f\t[%.3f, %.3f]\t%d\t%.3f\n", name, s.Mean, s.Low, s.High, s.N, theory[name])
	}
	return tw.Flush()
}

// unit converts model time units to virtual time: one unit is one second.
func unit(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }

// replicate simulates one replication and returns its metrics.
//
// A source task spawns one customer task per arrival. Each customer
// requests the server (a Resource of capacity 1, first come, first served),
// holds it for an exponential service time and releases it: the mm1
// workload as SimPy writes it. Interarrival times come from the stream
// "arrivals" and service times from "service", drawn in the order the
// customers start service.
func replicate(seed uint64) (reports.Metrics, error) {
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	arrivals, service := env.Rand("arrivals"), env.Rand("service")
	server := resource.NewResource(1)

	var (
		inSystem reports.TimeWeighted // customers waiting or in service
		busy     reports.TimeWeighted // 1 while the server serves a customer
		waits    reports.Tally
		sojourns reports.Tally
	)
	customer := func(i int) func(p *sim.Proc) error {
		return func(p *sim.Proc) error {
			at := p.Now()
			if err := server.Request(p); err != nil {
				return err
			}
			defer server.Release()
			start := p.Now()
			busy.Set(start, 1)
			if err := p.Sleep(unit(service.ExpFloat64() / mu)); err != nil {
				return err
			}
			end := p.Now()
			busy.Set(end, 0)
			inSystem.Add(end, -1)
			if i >= warmup {
				waits.Add((start - at).Seconds())
				sojourns.Add((end - at).Seconds())
			}
			return nil
		}
	}
	sim.Go(env, "source", func(p *sim.Proc) (struct{}, error) {
		for i := range customers {
			if err := p.Sleep(unit(arrivals.ExpFloat64() / lambda)); err != nil {
				return struct{}{}, err
			}
			now := p.Now()
			if i == warmup {
				inSystem.Reset(now)
				busy.Reset(now)
			}
			inSystem.Add(now, +1)
			sim.Spawn(env, "customer", customer(i)) // no handle: nobody awaits a customer
		}
		return struct{}{}, nil
	})
	if err := env.Run(); err != nil {
		return nil, err
	}
	l := inSystem.MeanAt(env.Now())
	u := busy.MeanAt(env.Now())
	return reports.Metrics{"wait": waits.Mean(), "sojourn": sojourns.Mean(), "in_system": l, "utilisation": u}, nil
}
