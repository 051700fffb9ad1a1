package policy_test

import (
	"testing"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// TestAllocsPerJob checks that a run allocates nothing per job once its
// tables have grown: ten times the jobs cost at most a few more
// allocations (table doublings), not ten times as many.
func TestAllocsPerJob(t *testing.T) {
	allocs := func(p policy.Policy, n int) float64 {
		srv := mustServer(t, p, 1)
		return testing.AllocsPerRun(2, func() {
			env := sim.New(sim.WithSeed(1))
			defer env.Close()
			arr, size := env.Rand("arrivals"), env.Rand("sizes")
			i, at := 0, time.Duration(0)
			next := func() (workload.Job, bool) {
				if i == n {
					return workload.Job{}, false
				}
				i++
				at += time.Duration(arr.ExpFloat64() / 0.9 * float64(time.Second))
				return workload.Job{ID: int64(i), Arrival: at, Size: time.Duration(size.ExpFloat64() * float64(time.Second))}, true
			}
			if err := policy.RunNext(env, srv, next, func(workload.Record) {}); err != nil {
				t.Fatal(err)
			}
		})
	}
	userSRPT := &policy.Ranked{Label: "user-SRPT", Preemptive: true,
		Key: func(j *workload.Job, a time.Duration) float64 { return float64(j.Size - a) }}
	for _, p := range []policy.Policy{policy.FCFS, policy.SRPT, policy.PS, policy.LAS, policy.DPS, policy.RR(100 * time.Millisecond), userSRPT} {
		small, large := allocs(p, 2000), allocs(p, 20000)
		if large-small > 40 {
			t.Errorf("%s: %v allocations for 2000 jobs, %v for 20000", p.Name(), small, large)
		}
	}
}
