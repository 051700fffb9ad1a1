package bench

import (
	"iter"
	"testing"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// mm1Jobs returns n jobs with Poisson arrivals of rate lambda and
// exponential sizes of mean 1 s, drawn from env's "arrivals" and "sizes"
// streams.
func mm1Jobs(env *sim.Env, n int, lambda float64) iter.Seq[workload.Job] {
	arr, size := env.Rand("arrivals"), env.Rand("sizes")
	return func(yield func(workload.Job) bool) {
		t := time.Duration(0)
		for i := range n {
			t += time.Duration(arr.ExpFloat64() / lambda * float64(time.Second))
			if !yield(workload.Job{ID: int64(i), Arrival: t, Size: time.Duration(size.ExpFloat64() * float64(time.Second))}) {
				return
			}
		}
	}
}

// benchPolicies are the policies benchmarked; the performance bar is 1e6
// jobs/s for FCFS, SRPT and PS at load 0.9 (docs/design.md).
func benchPolicies() []policy.Policy {
	// SRPT written as a user's Ranked policy, to show what the function
	// calls cost.
	userSRPT := &policy.Ranked{Label: "user-SRPT", Preemptive: true,
		Key: func(j *workload.Job, a time.Duration) float64 { return float64(j.Size - a) }}
	return []policy.Policy{policy.FCFS, policy.SRPT, policy.PS, policy.LAS, policy.DPS, policy.RR(100 * time.Millisecond), userSRPT}
}

// BenchmarkPolicies runs 1e6 jobs of M/M/1 at load 0.9 (the workload
// package's Generator: Poisson(0.9) arrivals, Exponential(1) sizes)
// through a policy per iteration, by RunNext (no coroutine per job).
// For comparison, SimPy 4.1.2 runs M/M/1 at about 132.8 k customers/s on
// a 2-vCPU AMD EPYC (2026-12-04).
func BenchmarkPolicies(b *testing.B) {
	const n = 1_000_000
	spec := workload.Spec{
		Arrivals: workload.Must(workload.Poisson(0.9)),
		Sizes:    workload.Must(workload.Exponential(1)),
	}
	for _, p := range benchPolicies() {
		b.Run(p.Name(), func(b *testing.B) {
			srv := mustServer(b, p, 1)
			b.ReportAllocs()
			var jobs int
			var events uint64
			for b.Loop() {
				env := sim.New(sim.WithSeed(1))
				g, err := workload.NewGenerator(spec, env)
				if err != nil {
					b.Fatal(err)
				}
				left := n
				next := func() (workload.Job, bool) {
					if left == 0 {
						return workload.Job{}, false
					}
					left--
					return g.Next()
				}
				if err := policy.RunNext(env, srv, next, func(workload.Record) { jobs++ }); err != nil {
					b.Fatal(err)
				}
				events += env.Steps()
				env.Close()
			}
			b.ReportMetric(float64(jobs)/b.Elapsed().Seconds(), "jobs/s")
			b.ReportMetric(float64(events)/float64(jobs), "events/job")
		})
	}
}

// BenchmarkPoliciesSeq is BenchmarkPolicies with the jobs from an
// iter.Seq through Run, which pulls each by a coroutine switch.
func BenchmarkPoliciesSeq(b *testing.B) {
	const n = 1_000_000
	for _, p := range benchPolicies()[:3] {
		b.Run(p.Name(), func(b *testing.B) {
			srv := mustServer(b, p, 1)
			b.ReportAllocs()
			var jobs int
			for b.Loop() {
				env := sim.New(sim.WithSeed(1))
				if err := policy.Run(env, srv, mm1Jobs(env, n, 0.9), func(workload.Record) { jobs++ }); err != nil {
					b.Fatal(err)
				}
				env.Close()
			}
			b.ReportMetric(float64(jobs)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

// BenchmarkServers runs 1e5 M/M/c jobs at load 0.9 on 4 servers, and on a
// farm of 4 single servers behind each dispatcher.
func BenchmarkServers(b *testing.B) {
	const n = 100_000
	fcfs := mustServer(b, policy.FCFS, 1)
	systems := []policy.System{mustServer(b, policy.FCFS, 4), mustServer(b, policy.SRPT, 4), mustServer(b, policy.PS, 4)}
	for _, d := range []policy.Dispatcher{policy.Random("d"), policy.RoundRobinDispatch(), policy.JSQ(), policy.LeastWork(), policy.PowerOfD(2, "d")} {
		f, _ := policy.NewFarm(d, fcfs, fcfs, fcfs, fcfs)
		systems = append(systems, f)
	}
	for _, sys := range systems {
		b.Run(sys.Name(), func(b *testing.B) {
			b.ReportAllocs()
			var jobs int
			for b.Loop() {
				env := sim.New(sim.WithSeed(1))
				if err := policy.Run(env, sys, mm1Jobs(env, n, 3.6), func(workload.Record) { jobs++ }); err != nil {
					b.Fatal(err)
				}
				env.Close()
			}
			b.ReportMetric(float64(jobs)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

// mustServer returns a server of c servers under p, failing b on an error.
func mustServer(b *testing.B, p policy.Policy, c int) *policy.Server {
	b.Helper()
	s, err := policy.NewServer(p, c)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
