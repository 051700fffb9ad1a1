package workload_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// Each distribution says what it is and its first two moments.
func Example_distributions() {
	for _, d := range []workload.Dist{
		workload.Must(workload.Deterministic(2)),
		workload.Must(workload.Erlang(4, 2)),
		workload.Must(workload.Hyperexponential([]float64{0.9, 0.1}, []float64{0.5, 5.5})),
		workload.Must(workload.Lognormal(1, 2)),
		workload.Must(workload.Weibull(0.5, 1)),
		workload.Must(workload.Uniform(0.5, 1.5)),
		workload.Must(workload.Empirical([]float64{1, 10}, []float64{3, 1})),
		workload.Must(workload.Scale(workload.Must(workload.Exponential(1)), 3)),
	} {
		fmt.Printf("%v: mean %.4g, variance %.4g\n", d, d.Mean(), d.Variance())
	}
	// Output:
	// Det(2): mean 2, variance 0
	// Erlang(k=4, mean=2): mean 2, variance 1
	// Hyperexp(p=[0.9 0.1], mean=[0.5 5.5]): mean 1, variance 5.5
	// Lognormal(mean=1, cv=2): mean 1, variance 4
	// Weibull(shape=0.5, scale=1): mean 2, variance 20
	// Uniform(0.5, 1.5): mean 1, variance 0.08333
	// Empirical(n=2): mean 3.25, variance 15.19
	// 3×Exp(mean=1): mean 3, variance 9
}

// Arrival processes and their long-run rates.
func Example_arrivals() {
	for _, a := range []workload.Arrivals{
		workload.Must(workload.Poisson(2)),
		workload.Must(workload.Periodic(0.5)),
		workload.Must(workload.Renewal(workload.Must(workload.H2(0.5, 4)))),
	} {
		fmt.Printf("%v: rate %g, mean %g\n", a, a.Rate(), a.Mean())
	}
	// Output:
	// Poisson(rate=2): rate 2, mean 0.5
	// Periodic(0.5): rate 2, mean 0.5
	// Renewal(Hyperexp(p=[0.8872983346207417 0.1127016653792583], mean=[0.2817541634481458 2.2182458365518545])): rate 2, mean 0.5
}

func ExampleMust() {
	defer func() { fmt.Println("panic:", recover()) }()
	workload.Must(workload.Poisson(-1))
	// Output:
	// panic: workload.Must: workload: invalid parameter: Poisson rate = -1; want a finite number > 0
}

func ExampleSpec_Validate() {
	err := workload.Spec{Sizes: workload.Must(workload.Exponential(1))}.Validate()
	fmt.Println(err, errors.Is(err, workload.ErrInvalid))
	// Output:
	// workload: invalid parameter: Spec.Arrivals is nil; want an arrival process such as Poisson(rate) true
}

func ExampleGenerator_Seq() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	g := workload.Must(workload.NewGenerator(workload.Spec{
		Arrivals: workload.Must(workload.Periodic(2)),
		Sizes:    workload.Must(workload.Deterministic(1)),
		Unit:     time.Millisecond,
	}, env))
	for j := range g.Seq(3) { // a finite workload, drawn lazily
		fmt.Println(j.ID, j.Arrival, j.Size)
	}
	// Output:
	// 1 2ms 1ms
	// 2 4ms 1ms
	// 3 6ms 1ms
}

func ExampleGenerator_Until() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	g := workload.Must(workload.NewGenerator(workload.Spec{
		Arrivals: workload.Must(workload.Periodic(1)),
		Sizes:    workload.Must(workload.Deterministic(1)),
	}, env))
	for j := range g.Until(3 * time.Second) {
		fmt.Println("before 3s:", j.ID, j.Arrival)
	}
	j, _ := g.Next() // the job at 3s was kept
	fmt.Println("next:", j.ID, j.Arrival)
	// Output:
	// before 3s: 1 1s
	// before 3s: 2 2s
	// next: 3 3s
}

func ExampleNewCSVReader() {
	r := workload.NewCSVReader(strings.NewReader("arrival,id,size,procs\n0,1,1.5,4\n2,2,0.25,\n"), "t.csv", time.Millisecond)
	for {
		j, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(j.ID, j.Arrival, j.Size, j.Procs)
	}
	// Output:
	// 1 0s 1.5ms 4
	// 2 2ms 250µs 0
}

func ExampleNewSWFReader() {
	const trace = "; MaxProcs: 8\n1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n; Note: a comment between jobs\n"
	r := workload.NewSWFReader(strings.NewReader(trace), "log.swf")
	for {
		l, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("job", l.JobNumber, "ran", l.RunTime, "s, asked for", l.ReqTime, "s")
	}
	for _, c := range r.Header() {
		fmt.Printf("%s = %s\n", c.Key, c.Value)
	}
	// Output:
	// job 1 ran 10 s, asked for 20 s
	// MaxProcs = 8
	// Note = a comment between jobs
}

func ExampleSWFHeader_Get() {
	_, h, _ := workload.ReadSWF(strings.NewReader("; UnixStartTime: 1704067200\n; Queue: 1 batch\n; Queue: 2 debug\n"), "")
	v, ok := h.Get("UnixStartTime")
	fmt.Println(v, ok)
	v, ok = h.Get("Queue")
	fmt.Println(v, ok)
	// Output:
	// 1704067200 true
	// 1 batch true
}

func ExampleParseError() {
	_, _, err := workload.ReadSWF(strings.NewReader("1 0 0 ten 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n"), "log.swf")
	var pe *workload.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.File, pe.Line, pe.Field, pe.Value, errors.Is(err, workload.ErrSyntax))
	}
	fmt.Println(err)
	// Output:
	// log.swf 1 run time ten true
	// workload: log.swf:1: field run time: "ten": want -1 or an integer number of seconds >= 0 that fits a time.Duration
}
