package reports_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vtsim/vtsim/reports"
)

func ExampleTally() {
	var waits reports.Tally // the zero value is ready and keeps no values
	for _, w := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		waits.Add(w)
	}
	fmt.Printf("n=%d mean=%.3f sd=%.3f min=%.0f max=%.0f\n",
		waits.Count(), waits.Mean(), waits.StdDev(), waits.Min(), waits.Max())
	// Output: n=8 mean=5.000 sd=2.138 min=2 max=9
}

func ExampleTally_Quantiles() {
	t := reports.NewTally(true) // keep the values for quantiles
	for i := 1; i <= 100; i++ {
		t.Add(float64(i))
	}
	q, _ := t.Quantiles(0.5, 0.9, 0.99)
	fmt.Println(q)
	// Output: [50 90 99]
}

func ExampleTally_Histogram() {
	t := reports.NewTally(true)
	for _, v := range []float64{0.5, 1.2, 1.7, 2.5, 3.1, 8} {
		t.Add(v)
	}
	h, _ := t.Histogram(0, 1, 2, 4)
	fmt.Println(h.Counts, "over:", h.Over)
	// Output: [1 2 2] over: 1
}

func ExampleTally_Merge() {
	var a, b reports.Tally
	a.Add(1e9 + 4)
	a.Add(1e9 + 7)
	b.Add(1e9 + 13)
	b.Add(1e9 + 16)
	_ = a.Merge(&b)
	fmt.Printf("n=%d variance=%.1f\n", a.Count(), a.Variance())
	// Output: n=4 variance=30.0
}

func ExampleTimeWeighted() {
	// A queue that starts empty at time 0 (the zero value).
	var queue reports.TimeWeighted
	queue.Add(1*time.Second, +1) // arrival
	queue.Add(2*time.Second, +1) // arrival
	queue.Add(4*time.Second, -1) // departure
	st := queue.Stats(6 * time.Second)
	fmt.Printf("mean %.3f over %v, max %.0f\n", st.Mean, st.Duration, st.Max)
	levels := queue.Levels(6 * time.Second)
	for _, l := range levels {
		fmt.Printf("level %.0f for %v\n", l.Level, l.Time)
	}
	// Output:
	// mean 1.167 over 6s, max 2
	// level 0 for 1s
	// level 1 for 3s
	// level 2 for 2s
}

func ExampleSummarize() {
	s, _ := reports.Summarize([]float64{9.8, 10.4, 10.1, 9.6, 10.3, 10.0, 9.9, 10.5, 10.2, 9.7}, 0.95)
	fmt.Printf("n=%d mean=%.3f ± %.3f [%.3f, %.3f] (±%.1f%%)\n",
		s.N, s.Mean, s.HalfWidth, s.Low, s.High, 100*s.RelHalfWidth)
	// Output: n=10 mean=10.050 ± 0.217 [9.833, 10.267] (±2.2%)
}

func ExampleTCritical() {
	t, _ := reports.TCritical(0.95, 9)
	fmt.Printf("%.3f\n", t)
	// Output: 2.262
}

func ExampleReplicate() {
	// Each replication: the mean of 20 Exp(1) draws from a stream seeded
	// with the replication's seed. The true mean is 1.
	model := func(rep reports.Replication) (reports.Metrics, error) {
		r := rand.New(rand.NewPCG(rep.Seed, 0))
		var sum float64
		for range 20 {
			sum += r.ExpFloat64()
		}
		return reports.Metrics{"mean": sum / 20}, nil
	}
	res, err := reports.Replicate(context.Background(), reports.Experiment{Replications: 30, Seed: 42}, model)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Metrics {
		s := m.Summary
		fmt.Printf("%s: n=%d mean=%.3f 95%% CI [%.3f, %.3f]\n", m.Name, s.N, s.Mean, s.Low, s.High)
	}
	// Output: mean: n=30 mean=0.939 95% CI [0.870, 1.008]
}

func ExampleReplicate_precision() {
	model := func(rep reports.Replication) (reports.Metrics, error) {
		r := rand.New(rand.NewPCG(rep.Seed, 0))
		return reports.Metrics{"x": 10 + r.NormFloat64()}, nil
	}
	exp := reports.Experiment{
		Replications: 10,
		Seed:         1,
		Precision:    &reports.Precision{Metric: "x", RelHalfWidth: 0.02, MaxReplications: 1000},
	}
	res, _ := reports.Replicate(context.Background(), exp, model)
	m, _ := res.Metric("x")
	fmt.Printf("%d replications, reached %v, ±%.2f%%\n", res.Replications, res.PrecisionReached, 100*m.Summary.RelHalfWidth)
	// Output: 100 replications, reached true, ±1.97%
}

func ExampleReplicationSeed() {
	model := func(rep reports.Replication) (reports.Metrics, error) {
		r := rand.New(rand.NewPCG(rep.Seed, 0))
		return reports.Metrics{"x": r.Float64()}, nil
	}
	res, _ := reports.Replicate(context.Background(), reports.Experiment{Replications: 5, Seed: 42}, model)
	// Replication 3, run again alone, gives the same value.
	alone, _ := model(reports.Replication{Index: 3, Seed: reports.ReplicationSeed(42, 3)})
	fmt.Println(alone["x"] == res.Metrics[0].Values[3])
	// Output: true
}

func ExamplePairedT() {
	// Two policies run with common random numbers: replication i of each
	// used the same seed, so the values pair up.
	fcfs := []float64{4.1, 5.3, 3.8, 6.0, 4.7}
	sjf := []float64{3.2, 4.6, 3.1, 4.9, 4.0}
	c, _ := reports.PairedT(sjf, fcfs, 0.95)
	fmt.Printf("diff %.2f [%.2f, %.2f] t=%.2f df=%.0f p=%.4f\n", c.Diff, c.Low, c.High, c.T, c.DF, c.P)
	// Output: diff -0.82 [-1.04, -0.60] t=-10.25 df=4 p=0.0005
}

func ExampleWelchT() {
	a := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	b := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	c, _ := reports.WelchT(a, b, 0.95)
	fmt.Printf("diff %.2f [%.4f, %.4f] t=%.4f df=%.3f p=%.5f\n", c.Diff, c.Low, c.High, c.T, c.DF, c.P)
	// Output: diff -1.58 [-3.3655, 0.2055] t=-1.8608 df=17.776 p=0.07939
}

func ExampleCompareToBaseline() {
	fcfs := reports.Sample{Name: "fcfs", Values: []float64{10, 12, 11, 13, 10}}
	rows, _ := reports.CompareToBaseline(fcfs, []reports.Sample{
		{Name: "ps", Values: []float64{10, 12, 12, 13, 11}},
		{Name: "srpt", Values: []float64{6, 7, 6, 8, 5}},
		{Name: "sjf", Values: []float64{7, 8, 8, 9, 6}},
	}, reports.CompareOptions{})
	for _, r := range rows {
		fmt.Printf("%d %-4s mean %5.2f diff %+5.2f p=%.4f significant=%v\n",
			r.Rank, r.Name, r.Mean, r.Versus.Diff, r.Versus.P, r.Versus.Significant())
	}
	// Output:
	// 1 srpt mean  6.40 diff -4.80 p=0.0000 significant=true
	// 2 sjf  mean  7.60 diff -3.60 p=0.0001 significant=true
	// 3 ps   mean 11.60 diff +0.40 p=0.1778 significant=false
}

func ExampleMSER5() {
	// A transient: 50 observations at 10, then 450 alternating 0 and 1.
	series := make([]float64, 500)
	for i := range series {
		switch {
		case i < 50:
			series[i] = 10
		default:
			series[i] = float64(i % 2)
		}
	}
	tr, _ := reports.MSER5(series)
	fmt.Printf("delete %d, mean after %.3f\n", tr.Index, tr.Mean)
	// Output: delete 50, mean after 0.500
}

func ExampleBatchMeans() {
	r := rand.New(rand.NewPCG(3, 4))
	independent := make([]float64, 10000)
	correlated := make([]float64, 10000) // AR(1), φ = 0.99
	x := 0.0
	for i := range independent {
		independent[i] = 3 + r.NormFloat64()
		x = 0.99*x + r.NormFloat64()
		correlated[i] = 3 + x
	}
	// Batches of 500 are long next to the AR(1)'s correlation time (about
	// 100 steps); batches of 50 are not, and the lag-1 check flags them.
	for _, run := range []struct {
		series  []float64
		batches int
	}{{independent, reports.DefaultBatches}, {correlated, reports.DefaultBatches}, {correlated, 200}} {
		bm, _ := reports.BatchMeans(run.series, run.batches, 0.95)
		fmt.Printf("%d batches of %d: mean %.3f ± %.3f, lag-1 %.3f, correlated %v\n",
			bm.Batches, bm.BatchSize, bm.Summary.Mean, bm.Summary.HalfWidth, bm.Lag1, bm.Correlated)
	}
	// Output:
	// 20 batches of 500: mean 2.995 ± 0.019, lag-1 0.248, correlated false
	// 20 batches of 500: mean 3.017 ± 1.800, lag-1 -0.263, correlated false
	// 200 batches of 50: mean 3.017 ± 0.861, lag-1 0.730, correlated true
}

func ExampleQuantileSorted() {
	sorted := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	p50, _ := reports.QuantileSorted(0.5, sorted)
	p95, _ := reports.QuantileSorted(0.95, sorted)
	fmt.Println(p50, p95)
	// Output: 5 10
}
