package jobstats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/workload"
)

// fakeSummary is a summary whose response mean and throughput are given;
// every other measure is 0.
func fakeSummary(response, throughput float64) Summary {
	var s Summary
	s.Config, _ = Config{}.resolve()
	s.Jobs = 1
	s.Response.Mean = response
	s.Throughput = throughput
	return s
}

// handTable has three policies over three replications, chosen so that the
// means and differences are plain:
//
//	policy  response.mean  mean  diff from fcfs  mean diff  sd of diffs
//	fcfs    4 6 8          6     -               -          -
//	srpt    2 3 4          3     -2 -3 -4        -3         1
//	lifo    5 7 12         8     1 1 4           2          √3
//
// and a throughput of 1 everywhere but lifo, 2.
func handTable() Table {
	runs := func(name string, tput float64, resp ...float64) Runs {
		r := Runs{Policy: name}
		for _, x := range resp {
			r.Summaries = append(r.Summaries, fakeSummary(x, tput))
		}
		return r
	}
	t := Table{Seed: 42, Runs: []Runs{runs("fcfs", 1, 4, 6, 8), runs("srpt", 1, 2, 3, 4), runs("lifo", 2, 5, 7, 12)}}
	// Size bins: srpt's replications 0 and 2 add up; bin 1 is empty.
	t.Runs[1].Summaries[0].SizeBins = []SizeBin{{Index: 0, Low: 1, High: 10, Jobs: 2, SlowdownSum: 3}}
	t.Runs[1].Summaries[2].SizeBins = []SizeBin{{Index: 0, Low: 1, High: 10, Jobs: 1, SlowdownSum: 1.5},
		{Index: 1, Low: 10, High: 100}, {Index: 2, Low: 100, High: 1000, Jobs: 4, SlowdownSum: 10}}
	t.Runs[0].CDF = []CDFPoint{{1, 0}, {2, 0.5}, {3, 1}}
	return t
}

func TestCompareByHand(t *testing.T) {
	c, err := Compare(handTable(), CompareOptions{Metrics: []string{MetricResponseMean, MetricThroughput}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Baseline != "fcfs" || c.RankBy != MetricResponseMean || c.Level != 0.95 || c.Replications != 3 || c.Seed != 42 {
		t.Errorf("header = %q %q %v %d %d", c.Baseline, c.RankBy, c.Level, c.Replications, c.Seed)
	}
	if want := []string{"srpt", "fcfs", "lifo"}; !reflect.DeepEqual(c.Policies, want) {
		t.Errorf("Policies = %q, want %q", c.Policies, want)
	}
	t2, _ := reports.TCritical(0.95, 2) // 4.302652729...
	resp := c.Metrics[0]
	cases := []struct {
		policy         string
		mean, halfMean float64 // mean and half-width of its interval
		base           bool
		diff, halfDiff float64
	}{
		{"srpt", 3, t2 * 1 / math.Sqrt(3), false, -3, t2 * 1 / math.Sqrt(3)},
		{"fcfs", 6, t2 * 2 / math.Sqrt(3), true, 0, 0},
		{"lifo", 8, t2 * math.Sqrt(13) / math.Sqrt(3), false, 2, t2 * math.Sqrt(3) / math.Sqrt(3)},
	}
	for k, w := range cases {
		p := resp.Policies[k]
		if p.Policy != w.policy || p.Baseline != w.base || p.Summary.Mean != w.mean {
			t.Errorf("row %d = %q baseline %v mean %v, want %q %v %v", k, p.Policy, p.Baseline, p.Summary.Mean, w.policy, w.base, w.mean)
		}
		if math.Abs(p.Summary.HalfWidth-w.halfMean) > 1e-12 {
			t.Errorf("%s: half-width %v, want %v", w.policy, p.Summary.HalfWidth, w.halfMean)
		}
		if w.base {
			if p.Versus != (reports.Comparison{}) {
				t.Errorf("baseline Versus = %+v, want zero", p.Versus)
			}
			continue
		}
		if p.Versus.Diff != w.diff || math.Abs(p.Versus.HalfWidth-w.halfDiff) > 1e-12 || p.Versus.NX != 3 {
			t.Errorf("%s: diff %v ± %v, want %v ± %v", w.policy, p.Versus.Diff, p.Versus.HalfWidth, w.diff, w.halfDiff)
		}
	}
	if tp := c.Metrics[1]; tp.Name != MetricThroughput || tp.Policies[2].Summary.Mean != 2 || tp.Policies[2].Versus.Diff != 1 {
		t.Errorf("throughput row = %+v", tp)
	}
	// Pooled size bins of srpt, the first policy: bin 0 from two
	// replications, bin 1 empty, bin 2.
	wantBins := []SizeBin{{Index: 0, Low: 1, High: 10, Jobs: 3, SlowdownSum: 4.5},
		{Index: 1, Low: 10, High: 100}, {Index: 2, Low: 100, High: 1000, Jobs: 4, SlowdownSum: 10}}
	if cv := c.Curves[0]; cv.Policy != "srpt" || !reflect.DeepEqual(cv.SizeBins, wantBins) || cv.CDF != nil {
		t.Errorf("srpt curves = %+v, want bins %+v", cv, wantBins)
	}
	if cv := c.Curves[1]; cv.Policy != "fcfs" || len(cv.CDF) != 3 || cv.SizeBins != nil {
		t.Errorf("fcfs curves = %+v", cv)
	}
}

// TestCompareRankBy ranks by throughput, where higher is better and fcfs
// and srpt tie: the tie keeps the order of the table.
func TestCompareRankBy(t *testing.T) {
	c, err := Compare(handTable(), CompareOptions{RankBy: MetricThroughput, Baseline: "srpt", Level: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lifo", "fcfs", "srpt"}; !reflect.DeepEqual(c.Policies, want) {
		t.Errorf("Policies = %q, want %q", c.Policies, want)
	}
	if len(c.Metrics) != 29 || c.Metrics[0].Name != "bounded_slowdown.max" || c.Level != 0.9 {
		t.Errorf("%d metrics, first %q, level %v; want 29, bounded_slowdown.max, 0.9", len(c.Metrics), c.Metrics[0].Name, c.Level)
	}
}

// TestPoolBinsPrepend pools a later summary with smaller sizes.
func TestPoolBinsPrepend(t *testing.T) {
	var a, b Summary
	a.Config.BinsPerDecade, b.Config.BinsPerDecade = 1, 1
	a.SizeBins = []SizeBin{{Index: 1, Low: 10, High: 100, Jobs: 1, SlowdownSum: 2}}
	b.SizeBins = []SizeBin{{Index: -1, Low: 0.1, High: 1, Jobs: 2, SlowdownSum: 2}}
	got := poolBins([]Summary{a, b})
	want := []SizeBin{{Index: -1, Low: 0.1, High: 1, Jobs: 2, SlowdownSum: 2}, {Index: 0, Low: 1, High: 10},
		{Index: 1, Low: 10, High: 100, Jobs: 1, SlowdownSum: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("poolBins = %+v, want %+v", got, want)
	}
}

func TestCompareErrors(t *testing.T) {
	mod := func(f func(*Table)) Table {
		t := handTable()
		f(&t)
		return t
	}
	cases := []struct {
		name string
		t    Table
		opts CompareOptions
		want error
		msg  string
	}{
		{"no runs", Table{}, CompareOptions{}, ErrPolicies, "jobstats: invalid policies: no policies, want at least one"},
		{"empty name", mod(func(t *Table) { t.Runs[1].Policy = "" }), CompareOptions{}, ErrPolicies,
			"jobstats: invalid policies: policy 1 has an empty name"},
		{"repeated", mod(func(t *Table) { t.Runs[2].Policy = "fcfs" }), CompareOptions{}, ErrPolicies,
			`jobstats: invalid policies: policy "fcfs" appears twice, want distinct names`},
		{"baseline", handTable(), CompareOptions{Baseline: "edf"}, ErrPolicies,
			`jobstats: invalid policies: baseline "edf" is not one of ["fcfs" "srpt" "lifo"]`},
		{"level", handTable(), CompareOptions{Level: 1.5}, reports.ErrLevel, ""},
		{"one replication", mod(func(t *Table) {
			for i := range t.Runs {
				t.Runs[i].Summaries = t.Runs[i].Summaries[:1]
			}
		}), CompareOptions{}, ErrRuns, "jobstats: summaries do not fit together: 1 replications, want at least 2 for an interval"},
		{"lengths", mod(func(t *Table) { t.Runs[2].Summaries = t.Runs[2].Summaries[:2] }), CompareOptions{}, ErrRuns,
			`jobstats: summaries do not fit together: policy "lifo" has 2 replications, policy "fcfs" has 3`},
		{"extra metric", mod(func(t *Table) { t.Runs[1].Summaries[2].DeadlineJobs = 1 }), CompareOptions{}, ErrRuns,
			`jobstats: summaries do not fit together: policy "srpt", replication 2 has 30 metrics, want 29`},
		{"config", mod(func(t *Table) { t.Runs[1].Summaries[1].Config.Servers = 4 }), CompareOptions{}, ErrRuns,
			`jobstats: summaries do not fit together: policy "srpt", replication 1 was measured with`},
		{"rank by", handTable(), CompareOptions{RankBy: "latency"}, ErrMetric, `jobstats: unknown metric: RankBy "latency"`},
		{"metrics", handTable(), CompareOptions{Metrics: []string{"wait.mean", "wait.p90"}}, ErrMetric,
			`jobstats: unknown metric: "wait.p90"`},
	}
	for _, c := range cases {
		_, err := Compare(c.t, c.opts)
		if !errors.Is(err, c.want) || !strings.HasPrefix(fmt.Sprint(err), c.msg) {
			t.Errorf("%s: error %q, want %q... wrapping %v", c.name, err, c.msg, c.want)
		}
	}
}

// fakeRun is a tiny model of a single-server FCFS queue: 300 jobs whose
// inter-arrival times, sizes, classes and deadlines (in whole milliseconds)
// come from the replication's seeded stream, the same for every policy
// (common random numbers). The policy sets the server's speed: "fast" serves
// at rate 2, "fcfs" at rate 1, "slow" at rate 0.9.
func fakeRun(policy string, rep reports.Replication, acc *Accumulator) error {
	rate := map[string]float64{"fast": 2, "fcfs": 1, "slow": 0.9}[policy]
	if rate == 0 {
		return fmt.Errorf("unknown policy %q", policy)
	}
	rng := rand.New(rand.NewPCG(rep.Seed, 7))
	ms := time.Millisecond
	var now, free time.Duration
	for id := range int64(300) {
		now += time.Duration(1+rng.IntN(2000)) * ms
		size := time.Duration(1+rng.IntN(1500)) * ms
		j := workload.Job{ID: id, Arrival: now, Size: size, Class: rng.IntN(2), Deadline: now + 3*time.Second}
		start := max(now, free)
		free = start + time.Duration(float64(size)/rate)
		acc.Add(workload.Record{Job: j, Start: start, Finish: free})
	}
	return nil
}

func runFake(t *testing.T, workers int) (Table, Comparison) {
	t.Helper()
	exp := reports.Experiment{Replications: 8, Seed: 2026, Workers: workers}
	tab, err := Run(context.Background(), exp, Config{Threshold: 100 * time.Millisecond}, []string{"fcfs", "fast", "slow"}, fakeRun)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compare(tab, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab, c
}

// TestRunWorkers checks that 1 and 4 workers give the same table and the
// same bytes from every writer, and that the comparison finds what the fake
// model makes true: the faster server has the lower response times.
func TestRunWorkers(t *testing.T) {
	tab1, c1 := runFake(t, 1)
	tab4, c4 := runFake(t, 4)
	if !reflect.DeepEqual(tab1, tab4) {
		t.Error("1 and 4 workers give different tables")
	}
	for name, write := range map[string]func(*bytes.Buffer, Comparison) error{
		"text":     func(b *bytes.Buffer, c Comparison) error { return WriteText(b, c) },
		"markdown": func(b *bytes.Buffer, c Comparison) error { return WriteMarkdown(b, c) },
		"csv":      func(b *bytes.Buffer, c Comparison) error { return WriteCSV(b, c) },
		"json":     func(b *bytes.Buffer, c Comparison) error { return WriteJSON(b, c, "test") },
	} {
		var b1, b4 bytes.Buffer
		if err := write(&b1, c1); err != nil {
			t.Fatal(err)
		}
		if err := write(&b4, c4); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1.Bytes(), b4.Bytes()) {
			t.Errorf("%s: 1 and 4 workers give different bytes", name)
		}
	}
	if want := []string{"fast", "fcfs", "slow"}; !reflect.DeepEqual(c1.Policies, want) {
		t.Errorf("ranking %q, want %q", c1.Policies, want)
	}
	for _, m := range c1.Metrics {
		if m.Name != MetricResponseMean {
			continue
		}
		fast := m.Policies[0]
		if fast.Versus.Diff >= 0 || !fast.Versus.Significant() {
			t.Errorf("fast - fcfs = %v [%v, %v], want significantly negative", fast.Versus.Diff, fast.Versus.Low, fast.Versus.High)
		}
	}
	// Replication 0's CDF is kept, one point per step.
	if cdf := tab1.Runs[0].CDF; len(cdf) != DefaultCDFPoints+1 || cdf[DefaultCDFPoints].Fraction != 1 {
		t.Errorf("CDF has %d points", len(cdf))
	}
	if s := tab1.Runs[0].Summaries[3]; s.Jobs != 300 || len(s.Classes) != 2 || s.DeadlineJobs != 300 {
		t.Errorf("summary of replication 3: %d jobs, %d classes, %d with deadlines", s.Jobs, len(s.Classes), s.DeadlineJobs)
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	exp := reports.Experiment{Replications: 3, Seed: 1, Workers: 2}
	if _, err := Run(ctx, exp, Config{}, nil, fakeRun); !errors.Is(err, ErrPolicies) {
		t.Errorf("no policies: %v", err)
	}
	if _, err := Run(ctx, exp, Config{Unit: -1}, []string{"fcfs"}, fakeRun); !errors.Is(err, ErrConfig) {
		t.Errorf("bad config: %v", err)
	}
	seq := exp
	seq.Precision = &reports.Precision{Metric: MetricResponseMean, RelHalfWidth: 0.1, MaxReplications: 10}
	if _, err := Run(ctx, seq, Config{}, []string{"fcfs"}, fakeRun); !errors.Is(err, ErrPrecision) {
		t.Errorf("precision: %v", err)
	}
	_, err := Run(ctx, exp, Config{}, []string{"fcfs", "edf"}, fakeRun)
	var re *reports.ReplicationError
	if !errors.As(err, &re) || re.Index != 0 || !strings.HasPrefix(err.Error(), `jobstats: policy "edf": reports: replication 0`) ||
		!strings.HasSuffix(err.Error(), `unknown policy "edf"`) {
		t.Errorf("failing policy: %v", err)
	}
	bad := func(policy string, rep reports.Replication, acc *Accumulator) error {
		acc.Add(rec(1, 1, 1, 0, 2))
		return nil
	}
	if _, err := Run(ctx, exp, Config{}, []string{"fcfs"}, bad); !errors.Is(err, ErrRecord) {
		t.Errorf("invalid record: %v", err)
	}
	defer func() {
		if r := recover(); r != "jobstats: Run: nil RunFunc" {
			t.Errorf("nil RunFunc: panic %v", r)
		}
	}()
	_, _ = Run(ctx, exp, Config{}, []string{"fcfs"}, nil)
}
