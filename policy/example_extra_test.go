package policy_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// sita is a user's own Dispatcher: size-interval task assignment, short
// jobs (below a cutoff) to member 0 and the others to member 1.
type sita struct{ cutoff time.Duration }

func (d sita) Name() string { return "SITA" }

func (d sita) Start(*sim.Env, int) func(*workload.Job, *policy.Loads) int {
	return func(j *workload.Job, _ *policy.Loads) int {
		if j.Size < d.cutoff {
			return 0
		}
		return 1
	}
}

// A farm behind a user's dispatcher.
func ExampleDispatcher() {
	env := sim.New()
	defer env.Close()
	fcfs, _ := policy.NewServer(policy.FCFS, 1)
	farm, _ := policy.NewFarm(sita{cutoff: 2 * time.Second}, fcfs, fcfs)
	jobs := []workload.Job{
		{ID: 1, Size: 10 * time.Second},
		{ID: 2, Arrival: time.Second, Size: time.Second},
		{ID: 3, Arrival: time.Second, Size: 5 * time.Second},
		{ID: 4, Arrival: 2 * time.Second, Size: time.Second},
	}
	recs, _ := policy.Records(env, farm, slices.Values(jobs))
	for _, r := range recs {
		fmt.Printf("%s: job %d on %d, response %v\n", farm.Name(), r.ID, r.Server, r.Response())
	}
	// Output:
	// SITA[FCFS×2]: job 2 on 0, response 1s
	// SITA[FCFS×2]: job 4 on 0, response 1s
	// SITA[FCFS×2]: job 1 on 1, response 10s
	// SITA[FCFS×2]: job 3 on 1, response 14s
}

// The Gittins policy of a two-point size distribution: a job is served
// first up to 1 s (the short jobs' size), then ranks behind every fresh
// arrival until its remaining 9 s are nearly done.
func ExampleGittins() {
	g, err := policy.Gittins([]time.Duration{time.Second, 10 * time.Second}, []float64{0.9, 0.1})
	if err != nil {
		panic(err)
	}
	for _, a := range []time.Duration{0, 500 * time.Millisecond, time.Second, 9 * time.Second} {
		fmt.Printf("attained %v: rank %.3fs, next change at %v\n", a, g.Rank(nil, a)/1e9, g.NextChange(nil, a))
	}
	// Output:
	// attained 0s: rank 1.111s, next change at 1s
	// attained 500ms: rank 0.556s, next change at 1s
	// attained 1s: rank 9.000s, next change at 10s
	// attained 9s: rank 1.000s, next change at 10s
}

// Weighted fair sharing between two classes: class 1 weighs 3, so its
// two jobs share 3/4 of the server while class 0's one job gets 1/4; once
// that job is done, at 4 s, they have the whole server.
func ExampleFairShare() {
	env := sim.New()
	defer env.Close()
	srv, _ := policy.NewServer(policy.FairShare(map[int]float64{1: 3}), 1)
	jobs := []workload.Job{
		{ID: 1, Class: 0, Size: time.Second},
		{ID: 2, Class: 1, Size: 3 * time.Second},
		{ID: 3, Class: 1, Size: 3 * time.Second},
	}
	recs, _ := policy.Records(env, srv, slices.Values(jobs))
	for _, r := range recs {
		fmt.Printf("job %d (class %d): done at %v\n", r.ID, r.Class, r.Finish)
	}
	// Output:
	// job 1 (class 0): done at 4s
	// job 2 (class 1): done at 7s
	// job 3 (class 1): done at 7s
}
