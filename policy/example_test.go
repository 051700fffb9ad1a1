package policy_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// A user's own policy: SRPT on size estimates off by a random factor in
// [0.5, 2), drawn at arrival from the Env's "noise" stream.
func ExampleRanked() {
	env := sim.New(sim.WithSeed(7))
	defer env.Close()
	noise := env.Rand("noise")
	srptNoisy := &policy.Ranked{
		Label:      "SRPT-noisy",
		Preemptive: true,
		OnArrival: func(j *workload.Job) {
			j.Estimate = time.Duration(float64(j.Size) * (0.5 + 1.5*noise.Float64()))
		},
		Key: func(j *workload.Job, attained time.Duration) float64 {
			return float64(j.Estimate - attained)
		},
	}
	srv, err := policy.NewServer(srptNoisy, 1)
	if err != nil {
		panic(err)
	}
	jobs := []workload.Job{
		{ID: 1, Arrival: 0, Size: 4 * time.Second},
		{ID: 2, Arrival: 1 * time.Second, Size: 2 * time.Second},
		{ID: 3, Arrival: 2 * time.Second, Size: 1 * time.Second},
	}
	err = policy.Run(env, srv, slices.Values(jobs), func(r workload.Record) {
		fmt.Printf("job %d: estimate %v, done at %v, preempted %d\n", r.ID, r.Estimate.Round(time.Millisecond), r.Finish, r.Preemptions)
	})
	fmt.Println(err)
	// Output:
	// job 3: estimate 826ms, done at 3s, preempted 0
	// job 2: estimate 1.92s, done at 4s, preempted 1
	// job 1: estimate 3.43s, done at 7s, preempted 1
	// <nil>
}

// Four FCFS servers behind join-the-shortest-queue.
func ExampleNewFarm() {
	env := sim.New()
	defer env.Close()
	fcfs, _ := policy.NewServer(policy.FCFS, 1)
	farm, _ := policy.NewFarm(policy.JSQ(), fcfs, fcfs, fcfs, fcfs)
	var jobs []workload.Job
	for i := range 6 {
		jobs = append(jobs, workload.Job{ID: int64(i), Arrival: time.Duration(i) * time.Second, Size: 5 * time.Second})
	}
	recs, err := policy.Records(env, farm, slices.Values(jobs))
	fmt.Println(farm.Name(), err)
	for _, r := range recs {
		fmt.Printf("job %d on %d: %v-%v\n", r.ID, r.Server, r.Start, r.Finish)
	}
	// Output:
	// JSQ[FCFS×4] <nil>
	// job 0 on 0: 0s-5s
	// job 1 on 1: 1s-6s
	// job 2 on 2: 2s-7s
	// job 3 on 3: 3s-8s
	// job 4 on 0: 5s-10s
	// job 5 on 0: 10s-15s
}

// M/M/1 under PS at load 0.5, jobs drawn on the fly: mean response time
// 1/(μ-λ) = 2 s.
func ExampleRun() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	arr, size := env.Rand("arrivals"), env.Rand("sizes")
	jobs := func(yield func(workload.Job) bool) {
		t := time.Duration(0)
		for i := range int64(100000) {
			t += time.Duration(arr.ExpFloat64() * 2 * float64(time.Second))
			if !yield(workload.Job{ID: i, Arrival: t, Size: time.Duration(size.ExpFloat64() * float64(time.Second))}) {
				return
			}
		}
	}
	ps, _ := policy.NewServer(policy.PS, 1)
	var sum time.Duration
	n := 0
	err := policy.Run(env, ps, jobs, func(r workload.Record) { sum += r.Response(); n++ })
	fmt.Printf("%d jobs, mean response %.1fs, %v\n", n, (sum / time.Duration(n)).Seconds(), err)
	// Output:
	// 100000 jobs, mean response 2.0s, <nil>
}
