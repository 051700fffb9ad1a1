package bench

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// replicateMM1 is a CPU-bound model for reports.Replicate: the mm1
// workload with customers customers, on a fresh Env seeded with the
// replication's seed; its one metric is the mean wait in queue.
func replicateMM1(customers int) reports.Model {
	return func(rep reports.Replication) (reports.Metrics, error) {
		env := sim.New(sim.WithSeed(rep.Seed))
		defer env.Close()
		server := resource.NewResource(1)
		arrivals, services := env.Rand("arrivals"), env.Rand("services")
		var wait time.Duration
		customer := func(p *sim.Proc) (struct{}, error) {
			arrived := p.Now()
			if err := server.Request(p); err != nil {
				return struct{}{}, err
			}
			wait += p.Now() - arrived
			err := p.Sleep(time.Duration(services.ExpFloat64() / mm1Mu * float64(time.Second)))
			server.Release()
			return struct{}{}, err
		}
		sim.Go(env, "arrivals", func(p *sim.Proc) (struct{}, error) {
			for range customers {
				if err := p.Sleep(time.Duration(arrivals.ExpFloat64() / mm1Lambda * float64(time.Second))); err != nil {
					return struct{}{}, err
				}
				sim.Go(env, "customer", customer)
			}
			return struct{}{}, nil
		})
		if err := env.Run(); err != nil {
			return nil, err
		}
		return reports.Metrics{"wait": wait.Seconds() / float64(customers)}, nil
	}
}

// Replications per Replicate call, and customers per replication, of
// BenchmarkReplicate: 8 replications of 20,000 customers, about 15 ms each.
const (
	replications = 8
	repCustomers = 20_000
)

// replicateOnce runs one experiment on the given number of workers and
// returns how long it took.
func replicateOnce(b *testing.B, workers int) time.Duration {
	b.Helper()
	exp := reports.Experiment{Replications: replications, Seed: seed, Workers: workers}
	start := time.Now()
	res, err := reports.Replicate(context.Background(), exp, replicateMM1(repCustomers))
	d := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if res.Replications != replications {
		b.Fatalf("%d replications, want %d", res.Replications, replications)
	}
	return d
}

// BenchmarkReplicate runs reports.Replicate on a CPU-bound model (8
// replications of the mm1 workload, 20,000 customers each) with 1 and 2
// workers. One op is one experiment. The speedup sub-benchmark alternates
// the two (1 worker, then 2, b.N pairs) and reports the median over the
// pairs of time(1 worker) / time(2 workers) as "speedup" (the bar of
// issue 15 is at least 1.8 on 2 cores); it asserts nothing, since on a
// shared machine the figure says as much about the neighbours as about
// Replicate. The results are the same whatever the number of workers
// (reports' own tests pin that); only the time changes.
func BenchmarkReplicate(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				replicateOnce(b, w)
			}
			b.ReportMetric(float64(replications*repCustomers*b.N)/b.Elapsed().Seconds(), "customers/s")
		})
	}
	b.Run("speedup", func(b *testing.B) {
		var ratios []float64
		for b.Loop() {
			one := replicateOnce(b, 1)
			two := replicateOnce(b, 2)
			ratios = append(ratios, one.Seconds()/two.Seconds())
		}
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "speedup")
	})
}
