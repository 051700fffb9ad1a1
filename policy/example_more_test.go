package policy_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// A multilevel feedback queue as a Ranked policy with a Change function:
// a job's level is the number of thresholds its attained service has
// passed, lower levels first, FCFS within a level. Change names the next
// threshold, where the server re-ranks the served job.
func ExampleRanked_feedback() {
	thresholds := []time.Duration{time.Second, 3 * time.Second}
	level := func(a time.Duration) int {
		n := 0
		for n < len(thresholds) && a >= thresholds[n] {
			n++
		}
		return n
	}
	mlfq := &policy.Ranked{
		Label:      "MLFQ",
		Preemptive: true,
		Key:        func(_ *workload.Job, a time.Duration) float64 { return float64(level(a)) },
		Change: func(_ *workload.Job, a time.Duration) time.Duration {
			if l := level(a); l < len(thresholds) {
				return thresholds[l]
			}
			return policy.Never
		},
	}
	env := sim.New()
	defer env.Close()
	srv, _ := policy.NewServer(mlfq, 1)
	jobs := []workload.Job{{ID: 1, Size: 5 * time.Second}, {ID: 2, Arrival: 500 * time.Millisecond, Size: 2 * time.Second}}
	recs, _ := policy.Records(env, srv, slices.Values(jobs))
	for _, r := range recs {
		fmt.Printf("job %d: done at %v, preempted %d\n", r.ID, r.Finish, r.Preemptions)
	}
	// Output:
	// job 2: done at 5s, preempted 1
	// job 1: done at 7s, preempted 2
}

// Policies compared on one trace: mean response time in seconds.
func ExampleRecords() {
	jobs := []workload.Job{
		{ID: 1, Arrival: 0, Size: 8 * time.Second},
		{ID: 2, Arrival: 1 * time.Second, Size: 1 * time.Second},
		{ID: 3, Arrival: 2 * time.Second, Size: 3 * time.Second},
		{ID: 4, Arrival: 3 * time.Second, Size: 1 * time.Second},
	}
	for _, p := range []policy.Policy{policy.FCFS, policy.SJF, policy.SRPT, policy.PS, policy.LAS, policy.RR(time.Second)} {
		env := sim.New()
		srv, _ := policy.NewServer(p, 1)
		recs, err := policy.Records(env, srv, slices.Values(jobs))
		env.Close()
		if err != nil {
			panic(err)
		}
		var sum time.Duration
		for _, r := range recs {
			sum += r.Response()
		}
		fmt.Printf("%-7s %.2f\n", p.Name(), (sum / time.Duration(len(recs))).Seconds())
	}
	// Output:
	// FCFS    9.00
	// SJF     8.50
	// SRPT    4.75
	// PS      6.58
	// LAS     5.25
	// RR(1s)  6.50
}

// A generated workload (the workload package's Generator on the Env's
// streams) run through PS on 2 servers at load 0.8, without a slice of
// records: RunNext takes the Generator's Next.
func ExampleRunNext() {
	env := sim.New(sim.WithSeed(3))
	defer env.Close()
	spec, _ := workload.Spec{
		Arrivals: workload.Must(workload.Poisson(1)),
		Sizes:    workload.Must(workload.H2(1, 4)),
	}.WithLoad(0.8, 2)
	gen, _ := workload.NewGenerator(spec, env)
	left := 50000
	next := func() (workload.Job, bool) {
		if left == 0 {
			return workload.Job{}, false
		}
		left--
		return gen.Next()
	}
	srv, _ := policy.NewServer(policy.PS, 2)
	var n int
	var sum time.Duration
	err := policy.RunNext(env, srv, next, func(r workload.Record) { n++; sum += r.Response() })
	fmt.Printf("%s: %d jobs, mean response %.1fs, %v\n", srv.Name(), n, (sum / time.Duration(n)).Seconds(), err)
	// Output:
	// PS/2: 50000 jobs, mean response 4.3s, <nil>
}

// Two servers under preemptive priority: a class-0 arrival takes the
// server of the worst-ranked job in service, the later arrival of two
// class-1 jobs. DPS runs on one server only.
func ExampleNewServer() {
	env := sim.New()
	defer env.Close()
	srv, err := policy.NewServer(policy.Priority(true), 2)
	fmt.Println(srv.Name(), err)
	jobs := []workload.Job{
		{ID: 1, Class: 1, Size: 4 * time.Second},
		{ID: 2, Class: 1, Size: 4 * time.Second},
		{ID: 3, Class: 0, Arrival: time.Second, Size: time.Second},
	}
	recs, _ := policy.Records(env, srv, slices.Values(jobs))
	for _, r := range recs {
		fmt.Printf("job %d on server %d: %v-%v, preempted %d\n", r.ID, r.Server, r.Start, r.Finish, r.Preemptions)
	}
	_, err = policy.NewServer(policy.DPS, 2)
	fmt.Println(err)
	// Output:
	// Priority-PR/2 <nil>
	// job 3 on server 1: 1s-2s, preempted 0
	// job 1 on server 0: 0s-4s, preempted 0
	// job 2 on server 1: 0s-5s, preempted 1
	// policy: unsupported policy: DPS runs on 1 server, not 2
}

// A CSV trace (the workload package's format) run under EDF and FCFS:
// deadline misses compared.
func ExampleRecords_trace() {
	const trace = `id,arrival,size,deadline
1,0,5,20
2,1,2,4
3,2,1,4
4,3,3,9
`
	jobs, err := workload.ReadCSV(strings.NewReader(trace), "trace.csv", time.Second)
	if err != nil {
		panic(err)
	}
	for _, p := range []policy.Policy{policy.FCFS, policy.EDF} {
		env := sim.New()
		srv, _ := policy.NewServer(p, 1)
		recs, _ := policy.Records(env, srv, slices.Values(jobs))
		env.Close()
		var missed []int64
		for _, r := range recs {
			if r.Finish > r.Deadline {
				missed = append(missed, r.ID)
			}
		}
		fmt.Printf("%s misses %v\n", p.Name(), missed)
	}
	// Output:
	// FCFS misses [2 3 4]
	// EDF misses []
}
