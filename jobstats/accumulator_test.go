package jobstats

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// handRecords are four jobs on two servers, times in seconds:
//
//	job  class  arrival  size  start  finish  deadline  response  wait  slowdown  bounded (τ=2)
//	1    0      0        2     0      2       -         2         0     1         1
//	2    0      1        1     2      3       2.5 miss  2         1     2         1
//	3    1      2        4     3      7       10 met    5         1     1.25      1.25
//	4    1      6        1     7      8       -         2         1     2         1
//
// Job 1 finishes at the instant job 3 arrives, so at most two jobs are ever
// in the system at once. They are added out of order.
func handRecords() []workload.Record {
	r := []workload.Record{rec(3, 2, 4, 3, 7), rec(1, 0, 2, 0, 2), rec(4, 6, 1, 7, 8), rec(2, 1, 1, 2, 3)}
	r[0].Class, r[0].Deadline = 1, 10*s
	r[2].Class = 1
	r[3].Deadline = 2500 * time.Millisecond
	return r
}

var handConfig = Config{Threshold: 2 * s, Servers: 2, BinsPerDecade: 2}

// handSummary is the Summary of handRecords, computed by hand. Quantiles
// of n sorted values are the value at index ⌈p·n⌉-1: for n = 4, p50 is
// the 2nd value and p95, p99, p99.9 the 4th; for n = 2, p50 is the 1st.
func handSummary() Summary {
	return Summary{
		Config: Config{Unit: s, Threshold: 2 * s, Servers: 2, BinsPerDecade: 2},
		Group: Group{
			Jobs:            4,
			Response:        Stats{Mean: 2.75, P50: 2, P95: 5, P99: 5, P999: 5, Max: 5},      // sorted 2 2 2 5
			Wait:            Stats{Mean: 0.75, P50: 1, P95: 1, P99: 1, P999: 1, Max: 1},      // 0 1 1 1
			Slowdown:        Stats{Mean: 1.5625, P50: 1.25, P95: 2, P99: 2, P999: 2, Max: 2}, // 1 1.25 2 2
			BoundedSlowdown: Stats{Mean: 1.0625, P50: 1, P95: 1.25, P99: 1.25, P999: 1.25, Max: 1.25},
			// (Σx)²/(nΣx²) = 6.25² / (4 · (1 + 4 + 1.5625 + 4))
			Fairness:     39.0625 / 42.25,
			DeadlineJobs: 2, DeadlineMisses: 1,
		},
		FirstArrival: 0, LastFinish: 8 * s,
		Throughput:   0.5,   // 4 jobs / 8 s
		Utilisation:  0.5,   // 8 s of work / (2 servers · 8 s)
		MaxInSystem:  2,     //
		MeanInSystem: 1.375, // 11 s of response / 8 s
		Classes: []ClassSummary{
			{Class: 0, Group: Group{Jobs: 2,
				Response:        Stats{Mean: 2, P50: 2, P95: 2, P99: 2, P999: 2, Max: 2},
				Wait:            Stats{Mean: 0.5, P50: 0, P95: 1, P99: 1, P999: 1, Max: 1},
				Slowdown:        Stats{Mean: 1.5, P50: 1, P95: 2, P99: 2, P999: 2, Max: 2},
				BoundedSlowdown: Stats{Mean: 1, P50: 1, P95: 1, P99: 1, P999: 1, Max: 1},
				Fairness:        9.0 / 10, // 3² / (2 · 5)
				DeadlineJobs:    1, DeadlineMisses: 1}},
			{Class: 1, Group: Group{Jobs: 2,
				Response:        Stats{Mean: 3.5, P50: 2, P95: 5, P99: 5, P999: 5, Max: 5},
				Wait:            Stats{Mean: 1, P50: 1, P95: 1, P99: 1, P999: 1, Max: 1},
				Slowdown:        Stats{Mean: 1.625, P50: 1.25, P95: 2, P99: 2, P999: 2, Max: 2},
				BoundedSlowdown: Stats{Mean: 1.125, P50: 1, P95: 1.25, P99: 1.25, P999: 1.25, Max: 1.25},
				Fairness:        10.5625 / 11.125, // 3.25² / (2 · 5.5625)
				DeadlineJobs:    1}},
		},
		// Two bins per decade: sizes 1, 1, 2 in [1, √10), 4 in [√10, 10).
		SizeBins: []SizeBin{
			{Index: 0, Low: 1, High: math.Pow(10, 0.5), Jobs: 3, SlowdownSum: 5},
			{Index: 1, Low: math.Pow(10, 0.5), High: 10, Jobs: 1, SlowdownSum: 1.25},
		},
	}
}

func handAccumulator(t *testing.T) *Accumulator {
	t.Helper()
	a, err := NewAccumulator(handConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range handRecords() {
		a.Add(r)
	}
	return a
}

func TestSummaryByHand(t *testing.T) {
	a := handAccumulator(t)
	got, err := a.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if want := handSummary(); !reflect.DeepEqual(got, want) {
		t.Errorf("Summary:\n got %+v\nwant %+v", got, want)
	}
	if r, ok := got.MissRate(); !ok || r != 0.5 {
		t.Errorf("MissRate = %v, %v, want 0.5, true", r, ok)
	}
	if r, ok := got.Classes[1].MissRate(); !ok || r != 0 {
		t.Errorf("class 1 MissRate = %v, %v, want 0, true", r, ok)
	}
	if m, ok := got.SizeBins[1].MeanSlowdown(); !ok || m != 1.25 {
		t.Errorf("bin 1 MeanSlowdown = %v, %v, want 1.25, true", m, ok)
	}
	// A second Summary, after the values were sorted, is the same.
	again, err := a.Summary()
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Errorf("second Summary differs: %+v, %v", again, err)
	}
}

// TestMaxInSystem checks the sweep on cases where the answer is plain.
func TestMaxInSystem(t *testing.T) {
	cases := []struct {
		name string
		r    []workload.Record
		want int
	}{
		{"one", []workload.Record{rec(1, 0, 1, 0, 1)}, 1},
		{"back to back", []workload.Record{rec(1, 0, 1, 0, 1), rec(2, 1, 1, 1, 2), rec(3, 2, 1, 2, 3)}, 1},
		{"same instant", []workload.Record{rec(1, 0, 1, 0, 3), rec(2, 0, 1, 0, 3), rec(3, 0, 1, 0, 3)}, 3},
		{"nested", []workload.Record{rec(1, 0, 1, 9, 10), rec(2, 1, 1, 1, 2), rec(3, 1.5, 1, 2, 3), rec(4, 2.5, 1, 3, 4)}, 3},
	}
	for _, c := range cases {
		var a Accumulator
		for _, r := range c.r {
			a.Add(r)
		}
		s, err := a.Summary()
		if err != nil || s.MaxInSystem != c.want {
			t.Errorf("%s: MaxInSystem = %d, %v, want %d", c.name, s.MaxInSystem, err, c.want)
		}
	}
}

// TestSizeBinsGap checks that a bin between two others with no job is
// reported as empty, with no mean.
func TestSizeBinsGap(t *testing.T) {
	var a Accumulator             // one bin per decade
	a.Add(rec(1, 0, 0.5, 0, 1))   // bin -1, slowdown 2
	a.Add(rec(2, 0, 50, 0, 100))  // bin 1, slowdown 2
	a.Add(rec(3, 0, 20, 10, 100)) // bin 1, slowdown 5
	s, err := a.Summary()
	if err != nil {
		t.Fatal(err)
	}
	want := []SizeBin{
		{Index: -1, Low: 0.1, High: 1, Jobs: 1, SlowdownSum: 2},
		{Index: 0, Low: 1, High: 10},
		{Index: 1, Low: 10, High: 100, Jobs: 2, SlowdownSum: 7},
	}
	if !reflect.DeepEqual(s.SizeBins, want) {
		t.Errorf("SizeBins = %+v, want %+v", s.SizeBins, want)
	}
	if m, ok := s.SizeBins[1].MeanSlowdown(); ok || m != 0 {
		t.Errorf("empty bin: MeanSlowdown = %v, %v, want 0, false", m, ok)
	}
	if _, ok := s.MissRate(); ok {
		t.Error("MissRate without deadlines: ok = true, want false")
	}
	if _, ok := s.Metrics()[MetricMissRate]; ok {
		t.Errorf("Metrics has %q without deadlines", MetricMissRate)
	}
}

func TestSummaryErrors(t *testing.T) {
	var a Accumulator
	if _, err := a.Summary(); !errors.Is(err, ErrEmpty) || err.Error() != "jobstats: no records" {
		t.Errorf("empty: error %v, want ErrEmpty", err)
	}
	if _, err := a.ResponseCDF(4); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty CDF: error %v, want ErrEmpty", err)
	}
	a.Add(rec(1, 0, 1, 0, 1))
	a.Add(rec(2, 0, 0, 0, 1)) // kept as the error
	a.Add(rec(3, 2, 1, 1, 3)) // a second invalid record is not reported
	if a.Len() != 1 {
		t.Errorf("Len = %d, want 1 (invalid records are not counted)", a.Len())
	}
	want := "jobstats: invalid record: job 2: size 0s, want a positive size"
	if _, err := a.Summary(); !errors.Is(err, ErrRecord) || err.Error() != want {
		t.Errorf("Summary error %q, want %q", err, want)
	}
	if _, err := a.ResponseCDF(4); !errors.Is(err, ErrRecord) {
		t.Errorf("ResponseCDF error %v, want ErrRecord", err)
	}
	a.Reset()
	a.Add(rec(1, 0, 1, 0, 1))
	if _, err := a.Summary(); err != nil {
		t.Errorf("after Reset: %v", err)
	}
	if _, err := NewAccumulator(Config{Servers: -1}); !errors.Is(err, ErrConfig) {
		t.Errorf("NewAccumulator: error %v, want ErrConfig", err)
	}
}

func TestResponseCDF(t *testing.T) {
	a := handAccumulator(t) // responses 2 2 2 5
	got, err := a.ResponseCDF(4)
	if err != nil {
		t.Fatal(err)
	}
	want := []CDFPoint{{2, 0}, {2, 0.25}, {2, 0.5}, {2, 0.75}, {5, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ResponseCDF = %v, want %v", got, want)
	}
	defer func() {
		if r := recover(); r != "jobstats: Accumulator.ResponseCDF: points must be at least 1" {
			t.Errorf("ResponseCDF(0) panicked with %v", r)
		}
	}()
	_, _ = a.ResponseCDF(0)
}

// TestResetReuses checks that an accumulator reset after another run gives
// the same summary as a new one, with fewer classes than before, and that
// Add then allocates nothing.
func TestResetReuses(t *testing.T) {
	a := handAccumulator(t)
	a.Reset()
	more := []workload.Record{rec(10, 0, 3, 0, 3), rec(11, 1, 3, 3, 6)}
	for _, r := range more {
		a.Add(r)
	}
	got, err := a.Summary()
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := NewAccumulator(handConfig)
	for _, r := range more {
		fresh.Add(r)
	}
	want, _ := fresh.Summary()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after Reset:\n got %+v\nwant %+v", got, want)
	}
	records := handRecords()
	allocs := testing.AllocsPerRun(20, func() {
		a.Reset()
		for _, r := range records {
			a.Add(r)
		}
	})
	if allocs != 0 {
		t.Errorf("Reset and Add of %d records: %v allocations, want 0", len(records), allocs)
	}
}

// TestMetricsNames pins the names of Summary.Metrics.
func TestMetricsNames(t *testing.T) {
	m := handSummary().Metrics()
	want := map[string]float64{
		"response.mean": 2.75, "response.p50": 2, "response.p95": 5, "response.p99": 5, "response.p99.9": 5, "response.max": 5,
		"wait.mean": 0.75, "wait.p50": 1, "wait.p95": 1, "wait.p99": 1, "wait.p99.9": 1, "wait.max": 1,
		"slowdown.mean": 1.5625, "slowdown.p50": 1.25, "slowdown.p95": 2, "slowdown.p99": 2, "slowdown.p99.9": 2, "slowdown.max": 2,
		"bounded_slowdown.mean": 1.0625, "bounded_slowdown.p50": 1, "bounded_slowdown.p95": 1.25,
		"bounded_slowdown.p99": 1.25, "bounded_slowdown.p99.9": 1.25, "bounded_slowdown.max": 1.25,
		"throughput": 0.5, "utilisation": 0.5, "fairness": 39.0625 / 42.25, "max_in_system": 2,
		"mean_in_system": 1.375, "deadline_miss_rate": 0.5,
	}
	if !reflect.DeepEqual(map[string]float64(m), want) {
		t.Errorf("Metrics = %v, want %v", m, want)
	}
}

func TestHigherIsBetter(t *testing.T) {
	for name, want := range map[string]bool{
		"throughput": true, "utilisation": true, "fairness": true, "class.1.fairness": true,
		"response.mean": false, "slowdown.p99": false, "deadline_miss_rate": false, "max_in_system": false, "": false,
	} {
		if got := HigherIsBetter(name); got != want {
			t.Errorf("HigherIsBetter(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestClassesDoNotChangeTotals checks that splitting the same jobs into one
// class, two classes or more classes than a scan looks up gives the same
// overall measures (the values are whole numbers, so every sum is exact).
func TestClassesDoNotChangeTotals(t *testing.T) {
	var records []workload.Record
	for i := range 40 {
		a := float64(i)
		records = append(records, rec(int64(i), a, float64(1+i%3), a+float64(i%4), a+float64(i%4)+float64(1+i%3)+float64(i%5)))
	}
	summarise := func(classes int) Summary {
		var acc Accumulator
		for i, r := range records {
			r.Class = i % classes
			acc.Add(r)
		}
		s, err := acc.Summary()
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Classes) != classes {
			t.Fatalf("%d classes, want %d", len(s.Classes), classes)
		}
		return s
	}
	one := summarise(1)
	for _, k := range []int{2, smallClasses + 3} {
		s := summarise(k)
		if s.Group != one.Group || s.MaxInSystem != one.MaxInSystem || !reflect.DeepEqual(s.SizeBins, one.SizeBins) {
			t.Errorf("%d classes: overall %+v, want %+v", k, s.Group, one.Group)
		}
		jobs := 0
		for i, c := range s.Classes {
			if c.Class != i {
				t.Errorf("class %d at position %d", c.Class, i)
			}
			jobs += c.Jobs
		}
		if jobs != len(records) {
			t.Errorf("%d classes hold %d jobs, want %d", k, jobs, len(records))
		}
	}
	if one.Classes[0].Group != one.Group {
		t.Errorf("the only class %+v differs from the total %+v", one.Classes[0].Group, one.Group)
	}
}

func TestAccumulatorConfig(t *testing.T) {
	var zero Accumulator
	want := Config{Unit: time.Second, Threshold: DefaultThreshold, Servers: 1, BinsPerDecade: 1}
	if got := zero.Config(); got != want {
		t.Errorf("zero Accumulator: Config = %+v, want %+v", got, want)
	}
	a, _ := NewAccumulator(Config{Unit: time.Millisecond})
	want.Unit = time.Millisecond
	if got := a.Config(); got != want {
		t.Errorf("Config = %+v, want %+v", got, want)
	}
}

func TestSummaryMakespan(t *testing.T) {
	var a Accumulator
	a.Add(rec(1, 2, 1, 2, 2)) // finished at once
	a.Add(rec(2, 2, 1, 2, 2))
	want := "jobstats: makespan is zero: 2 jobs all arrived and finished at 2s, want a last finish after the first arrival"
	if _, err := a.Summary(); !errors.Is(err, ErrMakespan) || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
