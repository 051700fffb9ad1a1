// Command mm1 runs 30 replications of an M/M/1 queue on virtual time and
// prints, per metric, the mean over the replications, its 95% confidence
// interval and the value queueing theory predicts.
//
// The queue has Poisson arrivals at rate lambda = 0.9 and exponential service
// at rate mu = 1.0 (the mm1 workload of the peer comparison). Each
// replication starts empty, serves 20,000 customers and deletes the first
// 2,000 as warm-up. Arrivals are callbacks; the server is a task that takes
// customers first in, first out, sleeps their service time and awaits a
// future while the queue is empty.
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

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
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
func replicate(seed uint64) (reports.Metrics, error) {
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	arrivals, service := env.Rand("arrivals"), env.Rand("service")

	var (
		queue    []time.Duration // arrival times of the customers not yet served, FIFO
		head     int
		arrived  int
		idle     bool
		wake     future.Resolver[struct{}]
		inSystem reports.TimeWeighted
		busy     reports.TimeWeighted
		waits    reports.Tally
		sojourns reports.Tally
	)
	var arrive func()
	arrive = func() {
		now := env.Now()
		if arrived == warmup {
			inSystem.Reset(now)
			busy.Reset(now)
		}
		queue = append(queue, now)
		arrived++
		inSystem.Add(now, +1)
		if idle {
			idle = false
			_ = wake.SetResult(struct{}{})
		}
		if arrived < customers {
			env.CallLater(unit(arrivals.ExpFloat64()/lambda), arrive)
		}
	}
	env.CallLater(unit(arrivals.ExpFloat64()/lambda), arrive)

	server := sim.Go(env, "server", func(p *sim.Proc) (struct{}, error) {
		for i := range customers {
			if head == len(queue) {
				var f *future.Future[struct{}]
				f, wake = future.New[struct{}](env.Loop())
				idle = true
				if _, err := sim.Await(p, f); err != nil {
					return struct{}{}, err
				}
			}
			at := queue[head]
			head++
			start := p.Now()
			busy.Set(start, 1)
			if err := p.Sleep(unit(service.ExpFloat64() / mu)); err != nil {
				return struct{}{}, err
			}
			busy.Set(p.Now(), 0)
			inSystem.Add(p.Now(), -1)
			if i >= warmup {
				waits.Add((start - at).Seconds())
				sojourns.Add((p.Now() - at).Seconds())
			}
		}
		return struct{}{}, nil
	})
	if _, err := sim.RunUntilComplete(env, server); err != nil {
		return nil, err
	}
	l, u := inSystem.MeanAt(env.Now()), busy.MeanAt(env.Now())
	return reports.Metrics{"wait": waits.Mean(), "sojourn": sojourns.Mean(), "in_system": l, "utilisation": u}, nil
}
