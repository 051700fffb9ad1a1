package jobstats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/workload"
)

// record makes a record from times in seconds.
func record(id int64, arrival, size, start, finish float64) workload.Record {
	d := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	return workload.Record{Job: workload.Job{ID: id, Arrival: d(arrival), Size: d(size)}, Start: d(start), Finish: d(finish)}
}

func ExampleConfig_Measure() {
	// A 2-second job that waited 6 seconds.
	m, err := jobstats.Config{}.Measure(record(1, 0, 2, 6, 8))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("response %gs, wait %gs, slowdown %g, bounded slowdown %g\n", m.Response, m.Wait, m.Slowdown, m.BoundedSlowdown)
	// Output: response 8s, wait 6s, slowdown 4, bounded slowdown 1
}

func ExampleSlowdown() {
	fmt.Println(jobstats.Slowdown(record(1, 0, 2, 6, 8)))
	// Output: 4
}

func ExampleBoundedSlowdown() {
	// A 10 ms job that waited 990 ms has a slowdown of 100, but bounded by
	// τ = 100 ms only 10.
	r := record(1, 0, 0.01, 0.99, 1)
	fmt.Println(jobstats.Slowdown(r), jobstats.BoundedSlowdown(r, 100*time.Millisecond))
	// Output: 100 10
}

func ExampleAccumulator() {
	var acc jobstats.Accumulator // seconds, one server, τ = 10 s
	for _, r := range []workload.Record{record(1, 0, 2, 0, 2), record(2, 1, 1, 2, 3), record(3, 2, 4, 3, 7)} {
		acc.Add(r)
	}
	s, err := acc.Summary()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d jobs: mean response %gs, p99 %gs, mean slowdown %g\n", s.Jobs, s.Response.Mean, s.Response.P99, s.Slowdown.Mean)
	fmt.Printf("throughput %g/s, utilisation %g, at most %d in system\n", s.Throughput, s.Utilisation, s.MaxInSystem)
	// Output:
	// 3 jobs: mean response 3s, p99 5s, mean slowdown 1.4166666666666667
	// throughput 0.42857142857142855/s, utilisation 1, at most 2 in system
}

func ExampleNewAccumulator() {
	acc, err := jobstats.NewAccumulator(jobstats.Config{Unit: time.Millisecond, Servers: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	acc.Add(record(1, 0, 0.5, 0.25, 0.75))
	s, _ := acc.Summary()
	fmt.Printf("wait %g ms, utilisation %g\n", s.Wait.Mean, s.Utilisation)
	_, err = jobstats.NewAccumulator(jobstats.Config{Servers: -1})
	fmt.Println(err)
	// Output:
	// wait 250 ms, utilisation 0.16666666666666666
	// jobstats: invalid config: Servers = -1, want 0 (one server) or more
}

func ExampleAccumulator_Reset() {
	var acc jobstats.Accumulator
	for run := 1; run <= 2; run++ {
		acc.Reset() // the memory of the last run is reused
		for i := range run * 10 {
			acc.Add(record(int64(i), float64(i), 1, float64(i), float64(i)+1))
		}
		s, _ := acc.Summary()
		fmt.Println(s.Jobs, "jobs, slowdown", s.Slowdown.Max)
	}
	// Output:
	// 10 jobs, slowdown 1
	// 20 jobs, slowdown 1
}

func ExampleAccumulator_Add() {
	var acc jobstats.Accumulator
	acc.Add(record(1, 0, 1, 0, 1))
	acc.Add(record(2, 5, 1, 4, 6)) // starts before it arrives
	_, err := acc.Summary()
	fmt.Println(acc.Len(), err)
	// Output: 1 jobstats: invalid record: job 2: start 4s before arrival 5s, want Arrival <= Start <= Finish
}

func ExampleAccumulator_ResponseCDF() {
	var acc jobstats.Accumulator
	for i, resp := range []float64{1, 2, 2, 3} {
		acc.Add(record(int64(i), 0, 1, resp-1, resp))
	}
	cdf, _ := acc.ResponseCDF(4)
	fmt.Println(cdf)
	// Output: [{1 0} {1 0.25} {2 0.5} {2 0.75} {3 1}]
}

func ExampleSummary_Metrics() {
	var acc jobstats.Accumulator
	acc.Add(record(1, 0, 1, 0, 1))
	acc.Add(record(2, 0, 1, 1, 2))
	s, _ := acc.Summary()
	m := s.Metrics()
	fmt.Println(len(m), m["response.mean"], m["slowdown.max"], m["fairness"])
	// Output: 29 1.5 2 0.9
}

func ExampleGroup_MissRate() {
	var acc jobstats.Accumulator
	r := record(1, 0, 1, 1, 2)
	r.Deadline = time.Second // finishes at 2 s: missed
	acc.Add(r)
	acc.Add(record(2, 0, 1, 0, 1)) // no deadline: not counted
	s, _ := acc.Summary()
	fmt.Println(s.MissRate())
	// Output: 1 true
}

func ExampleSizeBin_MeanSlowdown() {
	var acc jobstats.Accumulator       // one bin per decade of size, in seconds
	acc.Add(record(1, 0, 0.5, 0.5, 1)) // [0.1, 1): slowdown 2
	acc.Add(record(2, 0, 20, 40, 60))  // [10, 100): slowdown 3
	s, _ := acc.Summary()
	for _, b := range s.SizeBins {
		if m, ok := b.MeanSlowdown(); ok {
			fmt.Printf("[%g, %g): %d jobs, mean slowdown %g\n", b.Low, b.High, b.Jobs, m)
		} else {
			fmt.Printf("[%g, %g): no jobs\n", b.Low, b.High)
		}
	}
	// Output:
	// [0.1, 1): 1 jobs, mean slowdown 2
	// [1, 10): no jobs
	// [10, 100): 1 jobs, mean slowdown 3
}

func ExampleHigherIsBetter() {
	fmt.Println(jobstats.HigherIsBetter("throughput"), jobstats.HigherIsBetter("response.p99"))
	// Output: true false
}

// fifo is a tiny model for the examples: 100 jobs at a single server, with
// exponential inter-arrival times (mean 1 s) and sizes (mean 0.8 s) drawn
// from the replication's stream, served first come first served ("fcfs") or
// on a server twice as fast ("fast").
func fifo(policy string, rep reports.Replication, acc *jobstats.Accumulator) error {
	rate := 1.0
	if policy == "fast" {
		rate = 2
	}
	rng := rand.New(rand.NewPCG(rep.Seed, 0))
	var now, free time.Duration
	for id := range int64(100) {
		now += time.Duration(rng.ExpFloat64() * float64(time.Second))
		size := time.Duration(rng.ExpFloat64()*0.8*float64(time.Second)) + time.Millisecond
		start := max(now, free)
		free = start + time.Duration(float64(size)/rate)
		acc.Add(workload.Record{Job: workload.Job{ID: id, Arrival: now, Size: size}, Start: start, Finish: free})
	}
	return nil
}

func ExampleRun() {
	exp := reports.Experiment{Replications: 10, Seed: 1}
	table, err := jobstats.Run(context.Background(), exp, jobstats.Config{}, []string{"fcfs", "fast"}, fifo)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := jobstats.Compare(table, jobstats.CompareOptions{Metrics: []string{"response.mean"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fast := c.Metrics[0].Policies[0]
	fmt.Println(c.Policies, fast.Policy, "is faster:", fast.Versus.High < 0)
	// Output: [fast fcfs] fast is faster: true
}

// handTable is a table of summaries built by hand: two policies, three
// replications, only the mean response time set.
func handTable() jobstats.Table {
	runs := func(name string, resp ...float64) jobstats.Runs {
		r := jobstats.Runs{Policy: name}
		for _, x := range resp {
			var s jobstats.Summary
			s.Config = jobstats.Config{Unit: time.Second, Threshold: jobstats.DefaultThreshold, Servers: 1, BinsPerDecade: 1}
			s.Response.Mean = x
			r.Summaries = append(r.Summaries, s)
		}
		return r
	}
	return jobstats.Table{Seed: 7, Runs: []jobstats.Runs{runs("fcfs", 4, 6, 8), runs("srpt", 2, 3, 4)}}
}

func ExampleCompare() {
	c, err := jobstats.Compare(handTable(), jobstats.CompareOptions{Metrics: []string{"response.mean"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range c.Metrics[0].Policies {
		fmt.Printf("%s: mean %g, versus baseline %v: %+.3g [%.3g, %.3g]\n", p.Policy, p.Summary.Mean, p.Baseline,
			p.Versus.Diff, p.Versus.Low, p.Versus.High)
	}
	// Output:
	// srpt: mean 3, versus baseline false: -3 [-5.48, -0.516]
	// fcfs: mean 6, versus baseline true: +0 [0, 0]
}

func compared() jobstats.Comparison {
	c, err := jobstats.Compare(handTable(), jobstats.CompareOptions{Metrics: []string{"response.mean"}})
	if err != nil {
		panic(err)
	}
	return c
}

func ExampleWriteText() {
	if err := jobstats.WriteText(os.Stdout, compared()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// seed 7, 3 replications, 95% confidence, ranked by response.mean; diff = policy - baseline fcfs (paired-t, common random numbers)
	// metric         policy  n  mean  ci low    ci high  diff  diff ci low  diff ci high  p-value    significant
	// response.mean  srpt    3  3     0.515862  5.48414  -3    -5.48414     -0.515862     0.0350987  yes
	// response.mean  fcfs    3  6     1.03172   10.9683  -     -            -             -          -
}

func ExampleWriteMarkdown() {
	if err := jobstats.WriteMarkdown(os.Stdout, compared()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// seed 7, 3 replications, 95% confidence, ranked by response.mean; diff = policy - baseline fcfs (paired-t, common random numbers)
	//
	// | metric | policy | n | mean | ci low | ci high | diff | diff ci low | diff ci high | p-value | significant |
	// | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
	// | response.mean | srpt | 3 | 3 | 0.515862 | 5.48414 | -3 | -5.48414 | -0.515862 | 0.0350987 | yes |
	// | response.mean | fcfs | 3 | 6 | 1.03172 | 10.9683 | - | - | - | - | - |
}

func ExampleWriteCSV() {
	if err := jobstats.WriteCSV(os.Stdout, compared()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// metric,rank,policy,baseline,n,mean,std_dev,ci_low,ci_high,half_width,diff,diff_std_err,diff_df,diff_ci_low,diff_ci_high,diff_half_width,t,p_value,significant,level
	// response.mean,1,srpt,false,3,3,1,0.5158622882496697,5.48413771175033,2.4841377117503303,-3,0.5773502691896258,2,-5.48413771175033,-0.5158622882496697,2.4841377117503303,-5.196152422706631,0.035098718645984656,true,0.95
	// response.mean,2,fcfs,true,3,6,2,1.0317245764993395,10.96827542350066,4.9682754235006605,,,,,,,,,,0.95
}

func ExampleWriteJSON() {
	c := compared()
	c.Metrics = nil // keep the example short
	c.Curves = nil
	if err := jobstats.WriteJSON(os.Stdout, c, "v0.1.0"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "format": "vtsim.policy-comparison/v1",
	//   "vtsim_version": "v0.1.0",
	//   "seed": "7",
	//   "replications": 3,
	//   "level": 0.95,
	//   "method": "paired-t",
	//   "baseline": "fcfs",
	//   "rank_by": "response.mean",
	//   "policies": [
	//     "srpt",
	//     "fcfs"
	//   ],
	//   "metrics": [],
	//   "size_bins": []
	// }
}

func ExampleComparison_Table() {
	t := compared().Table()
	fmt.Println(t.Header[:4], t.Rows[0][:4])
	// Output: [metric policy n mean] [response.mean srpt 3 3]
}
