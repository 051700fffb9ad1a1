package workload_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// Two policies compared on common random numbers: each run builds its
// own Generator on an Env with the same seed, and both see the same jobs.
func ExampleNewGenerator() {
	spec := workload.Spec{
		Arrivals: workload.Must(workload.Poisson(0.9)),
		Sizes:    workload.Must(workload.H2(1, 4)),
		Unit:     time.Second,
	}
	for _, policy := range []string{"FCFS", "SRPT"} {
		env := sim.New(sim.WithSeed(42))
		g, err := workload.NewGenerator(spec, env)
		if err != nil {
			fmt.Println(err)
			return
		}
		jobs := g.Take(3)
		fmt.Printf("%s sees:", policy)
		for _, j := range jobs {
			fmt.Printf(" #%d at %.3fs size %.3fs;", j.ID, j.Arrival.Seconds(), j.Size.Seconds())
		}
		fmt.Println()
		env.Close()
	}
	// Output:
	// FCFS sees: #1 at 0.669s size 0.979s; #2 at 1.323s size 0.165s; #3 at 4.207s size 0.033s;
	// SRPT sees: #1 at 0.669s size 0.979s; #2 at 1.323s size 0.165s; #3 at 4.207s size 0.033s;
}

// A Generator is also an iterator; it never ends by itself.
func ExampleGenerator_All() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	spec := workload.Spec{
		Arrivals: workload.Must(workload.Periodic(1)),
		Sizes:    workload.Must(workload.Deterministic(0.5)),
		Slack:    workload.Must(workload.Deterministic(4)),
	}
	g := workload.Must(workload.NewGenerator(spec, env))
	for j := range g.All() {
		fmt.Println(j.ID, j.Arrival, j.Size, j.Deadline)
		if j.ID == 3 {
			break
		}
	}
	// Output:
	// 1 1s 500ms 3s
	// 2 2s 500ms 4s
	// 3 3s 500ms 5s
}

// Two classes, noisy estimates, and the sizes set for a load of 0.8 on
// four servers.
func ExampleSpec_WithLoad() {
	spec := workload.Spec{
		Arrivals: workload.Must(workload.Poisson(10)),
		Estimate: workload.Must(workload.Uniform(0.5, 1.5)),
		Classes: []workload.Class{
			{Prob: 0.9, Sizes: workload.Must(workload.Exponential(1))},
			{Prob: 0.1, Sizes: workload.Must(workload.BoundedPareto(1.1, 1, 1000)), Weight: 2},
		},
	}
	fmt.Printf("before: load %.3f, mean size %.3f\n", spec.Load(4), spec.MeanSize())
	spec, err := spec.WithLoad(0.8, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("after: load %.3f, mean size %.3f\n", spec.Load(4), spec.MeanSize())
	// Output:
	// before: load 3.622, mean size 1.449
	// after: load 0.800, mean size 0.320
}

func ExampleExponential() {
	d, err := workload.Exponential(2)
	fmt.Println(d, d.Mean(), d.Variance(), err)
	_, err = workload.Exponential(-1)
	fmt.Println(err)
	r := rand.New(rand.NewPCG(1, 2))
	fmt.Printf("%.4f\n", d.Rand(r))
	// Output:
	// Exp(mean=2) 2 4 <nil>
	// workload: invalid parameter: Exponential mean = -1; want a finite number > 0
	// 1.1863
}

func ExampleH2() {
	d := workload.Must(workload.H2(1, 9))
	fmt.Printf("mean %.3g, scv %.3g\n", d.Mean(), d.Variance()/(d.Mean()*d.Mean()))
	// Output:
	// mean 1, scv 9
}

func ExampleBoundedPareto() {
	d := workload.Must(workload.BoundedPareto(1.1, 1, 1e6))
	fmt.Printf("%v: mean %.4g, sd %.4g\n", d, d.Mean(), math.Sqrt(d.Variance()))
	// Output:
	// BoundedPareto(alpha=1.1, lo=1, hi=1e+06): mean 8.237, sd 554
}

func ExampleMMPP() {
	a := workload.Must(workload.MMPP(10, 0.1, 1, 0.1))
	fmt.Printf("%v: rate %.3g\n", a, a.Rate())
	s := a.Start(rand.New(rand.NewPCG(1, 2)))
	fmt.Printf("first gap %.4f\n", s.Next())
	// Output:
	// MMPP(rates=[10 0.1], switches=[1 0.1]): rate 1
	// first gap 0.5637
}

func ExampleOnOff() {
	a := workload.Must(workload.OnOff(8, workload.Must(workload.Exponential(1)), workload.Must(workload.Exponential(3))))
	fmt.Printf("rate %.3g, mean interarrival %.3g\n", a.Rate(), a.Mean())
	// Output:
	// rate 2, mean interarrival 0.5
}

func ExampleToDuration() {
	d, err := workload.ToDuration(1.0000000005, time.Second)
	fmt.Println(d, err)
	_, err = workload.ToDuration(1e10, time.Second)
	fmt.Println(err)
	// Output:
	// 1.000000001s <nil>
	// workload: value out of range: 1e+10 × 1s does not fit a time.Duration (±292 years)
}

func ExampleReadCSV() {
	const trace = `id,arrival,size,class,weight
1,0,2.5,0,1
2,0.25,1,1,2
3,1,0.5,,
`
	jobs, err := workload.ReadCSV(strings.NewReader(trace), "trace.csv", time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, j := range jobs {
		fmt.Printf("%+v\n", j)
	}
	_, err = workload.ReadCSV(strings.NewReader("id,arrival,size\n1,0,-3\n"), "bad.csv", 0)
	fmt.Println(err)
	// Output:
	// {ID:1 Arrival:0s Size:2.5s Estimate:0s Class:0 Weight:1 Deadline:0s Procs:0}
	// {ID:2 Arrival:250ms Size:1s Estimate:0s Class:1 Weight:2 Deadline:0s Procs:0}
	// {ID:3 Arrival:1s Size:500ms Estimate:0s Class:0 Weight:0 Deadline:0s Procs:0}
	// workload: bad.csv:2: field size: "-3": want a decimal >= 0 (in units of 1s) that fits a time.Duration
}

func ExampleReadSWF() {
	const trace = `; Version: 2.2
; MaxProcs: 128
1 0 12 3600 32 -1 -1 32 7200 -1 1 1 1 -1 1 -1 -1 -1
2 60 -1 -1 -1 -1 -1 8 600 -1 5 2 1 -1 1 -1 -1 -1
3 90 0 30 1 -1 -1 1 60 -1 1 2 1 -1 2 -1 -1 -1
`
	lines, header, err := workload.ReadSWF(strings.NewReader(trace), "log.swf")
	if err != nil {
		fmt.Println(err)
		return
	}
	procs, _ := header.Get("MaxProcs")
	fmt.Println("MaxProcs:", procs, "lines:", len(lines))
	jobs, skipped := workload.SWFJobs(lines)
	for _, j := range jobs {
		fmt.Printf("job %d: arrival %v, size %v, estimate %v, procs %d, class %d\n", j.ID, j.Arrival, j.Size, j.Estimate, j.Procs, j.Class)
	}
	fmt.Printf("skipped: %+v\n", skipped)
	// Output:
	// MaxProcs: 128 lines: 3
	// job 1: arrival 0s, size 1h0m0s, estimate 2h0m0s, procs 32, class 1
	// job 3: arrival 1m30s, size 30s, estimate 1m0s, procs 1, class 2
	// skipped: {NoSubmitTime:0 NoRunTime:1}
}

func ExampleWriteBatsimJobs() {
	recs := []workload.Record{
		{Job: workload.Job{ID: 1, Arrival: 0, Size: 2 * time.Second}, Start: 0, Finish: 2 * time.Second},
		{Job: workload.Job{ID: 2, Arrival: time.Second, Size: 500 * time.Millisecond, Estimate: time.Second}, Start: 2 * time.Second, Finish: 2500 * time.Millisecond},
	}
	if err := workload.WriteBatsimJobs(os.Stdout, "w0", recs); err != nil {
		fmt.Println(err)
	}
	// Output:
	// job_id,workload_name,profile,submission_time,requested_number_of_resources,requested_time,success,final_state,starting_time,execution_time,finish_time,waiting_time,turnaround_time,stretch,allocated_resources,consumed_energy,metadata
	// 1,w0,,0,1,-1,1,COMPLETED_SUCCESSFULLY,0,2,2,0,2,1,0,-1,
	// 2,w0,,1,1,1,1,COMPLETED_SUCCESSFULLY,2,0.5,2.5,1,1.5,3,0,-1,
}

func ExampleSortJobs() {
	jobs := []workload.Job{{ID: 2, Arrival: 5}, {ID: 3, Arrival: 1}, {ID: 1, Arrival: 5}}
	workload.SortJobs(jobs)
	for _, j := range jobs {
		fmt.Print(j.ID, " ")
	}
	fmt.Println()
	// Output:
	// 3 1 2
}
