package jobstats

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vtsim/vtsim/workload"
)

const s = time.Second

// rec makes a record from times in seconds.
func rec(id int64, arrival, size, start, finish float64) workload.Record {
	d := func(x float64) time.Duration { return time.Duration(x * float64(s)) }
	return workload.Record{Job: workload.Job{ID: id, Arrival: d(arrival), Size: d(size)}, Start: d(start), Finish: d(finish)}
}

func TestMeasure(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		r    workload.Record
		want JobMetrics
	}{
		// Served at once: slowdown 1; the size is below τ = 10 s, so the
		// bounded slowdown is max(1, 2/10) = 1.
		{"immediate", Config{}, rec(1, 0, 2, 0, 2), JobMetrics{Response: 2, Wait: 0, Slowdown: 1, BoundedSlowdown: 1}},
		// Waited 3 s, size 1 s: slowdown 4; bounded by τ = 2 s: 4/2 = 2.
		{"waited", Config{Threshold: 2 * s}, rec(2, 1, 1, 4, 5), JobMetrics{Response: 4, Wait: 3, Slowdown: 4, BoundedSlowdown: 2}},
		// A long job is not affected by τ: 30/20 = 1.5 for both.
		{"long", Config{}, rec(3, 0, 20, 10, 30), JobMetrics{Response: 30, Wait: 10, Slowdown: 1.5, BoundedSlowdown: 1.5}},
		// Milliseconds as the unit.
		{"unit", Config{Unit: time.Millisecond, Threshold: time.Nanosecond}, rec(4, 1, 0.5, 1.25, 2),
			JobMetrics{Response: 1000, Wait: 250, Slowdown: 2, BoundedSlowdown: 2}},
	}
	for _, c := range cases {
		got, err := c.cfg.Measure(c.r)
		if err != nil || got != c.want {
			t.Errorf("%s: Measure = %+v, %v, want %+v", c.name, got, err, c.want)
		}
	}
}

func TestMeasureErrors(t *testing.T) {
	procs := rec(9, 0, 1, 0, 1)
	procs.Procs = -1
	cases := []struct {
		name string
		cfg  Config
		r    workload.Record
		want error
		msg  string
	}{
		{"zero size", Config{}, rec(7, 0, 0, 0, 1), ErrRecord, "jobstats: invalid record: job 7: size 0s, want a positive size"},
		{"start before arrival", Config{}, rec(8, 2, 1, 1, 3), ErrRecord,
			"jobstats: invalid record: job 8: start 1s before arrival 2s, want Arrival <= Start <= Finish"},
		{"finish before start", Config{}, rec(8, 0, 1, 2, 1.5), ErrRecord,
			"jobstats: invalid record: job 8: finish 1.5s before start 2s, want Arrival <= Start <= Finish"},
		{"procs", Config{}, procs, ErrRecord, "jobstats: invalid record: job 9: -1 processors, want 0 (one) or more"},
		{"unit", Config{Unit: -1}, rec(1, 0, 1, 0, 1), ErrConfig,
			"jobstats: invalid config: Unit = -1ns, want 0 (seconds) or a positive duration"},
		{"threshold", Config{Threshold: -s}, rec(1, 0, 1, 0, 1), ErrConfig,
			"jobstats: invalid config: Threshold = -1s, want 0 (10s) or a positive duration"},
		{"servers", Config{Servers: -2}, rec(1, 0, 1, 0, 1), ErrConfig,
			"jobstats: invalid config: Servers = -2, want 0 (one server) or more"},
		{"bins", Config{BinsPerDecade: -1}, rec(1, 0, 1, 0, 1), ErrConfig,
			"jobstats: invalid config: BinsPerDecade = -1, want 0 (one) or more"},
	}
	for _, c := range cases {
		_, err := c.cfg.Measure(c.r)
		if !errors.Is(err, c.want) || err.Error() != c.msg {
			t.Errorf("%s: error %q, want %q (wrapping %v)", c.name, err, c.msg, c.want)
		}
	}
}

func TestSlowdowns(t *testing.T) {
	cases := []struct {
		r             workload.Record
		tau           time.Duration
		slow, bounded float64
	}{
		{rec(1, 0, 4, 0, 4), 10 * s, 1, 1},
		{rec(2, 0, 4, 8, 12), 10 * s, 3, 1.2},             // 12/4; max(1, 12/10)
		{rec(3, 0, 4, 8, 12), 2 * s, 3, 3},                // τ below the size
		{rec(4, 0, 0.001, 0, 0.5), 0.1e9, 500, 5},         // a tiny job: 0.5/0.001; 0.5/0.1
		{rec(5, 0, 0, 0, 1), 0, math.Inf(1), math.Inf(1)}, // size 0 and τ 0
		{rec(6, 0, 0, 0, 1), s, math.Inf(1), 1},
	}
	for _, c := range cases {
		if got := Slowdown(c.r); got != c.slow {
			t.Errorf("job %d: Slowdown = %v, want %v", c.r.ID, got, c.slow)
		}
		if got := BoundedSlowdown(c.r, c.tau); got != c.bounded {
			t.Errorf("job %d: BoundedSlowdown(τ=%v) = %v, want %v", c.r.ID, c.tau, got, c.bounded)
		}
	}
}

func TestSizeBin(t *testing.T) {
	cases := []struct {
		size      float64
		perDecade int
		want      int
	}{
		{1, 1, 0}, {9.999, 1, 0}, {10, 1, 1}, {1000, 1, 3}, {999.999, 1, 2}, {1e6, 1, 6},
		{0.1, 1, -1}, {0.0999, 1, -2}, {0.001, 1, -3},
		{10, 3, 3}, {100, 2, 4}, {3.1, 2, 0}, {3.2, 2, 1}, {0.01, 2, -4},
	}
	for _, c := range cases {
		k := sizeBin(c.size, c.perDecade)
		if k != c.want {
			t.Errorf("sizeBin(%v, %d) = %d, want %d", c.size, c.perDecade, k, c.want)
		}
		if lo, hi := binEdge(k, c.perDecade), binEdge(k+1, c.perDecade); !(lo <= c.size && c.size < hi) {
			t.Errorf("size %v not in [%v, %v)", c.size, lo, hi)
		}
	}
}
