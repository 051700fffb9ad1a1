package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// expModel returns, per replication, the mean and maximum of 20 Exp(1)
// draws from a PCG stream seeded with the replication's seed, and a busy
// loop whose length varies with the seed so that parallel replications
// finish out of order.
func expModel(rep Replication) (Metrics, error) {
	r := rand.New(rand.NewPCG(rep.Seed, 0))
	var sum, mx float64
	for range 20 {
		x := r.ExpFloat64()
		sum += x
		mx = max(mx, x)
	}
	spin := 0.0
	for i := range int(rep.Seed % 20000) {
		spin += float64(i)
	}
	_ = spin
	return Metrics{"mean": sum / 20, "max": mx}, nil
}

func TestReplicateWorkersIdentical(t *testing.T) {
	var first Result
	var firstJSON []byte
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := Replicate(context.Background(), Experiment{Replications: 40, Seed: 2024, Workers: workers}, expModel)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			first, firstJSON = res, js
			continue
		}
		if !reflect.DeepEqual(res, first) {
			t.Errorf("%d workers: result differs from 1 worker", workers)
		}
		if string(js) != string(firstJSON) {
			t.Errorf("%d workers: JSON differs from 1 worker:\n%s\n%s", workers, js, firstJSON)
		}
	}
	// Independently: replication i's values are the model run alone with
	// seed ReplicationSeed(2024, i), in index order; metrics sorted by name.
	if first.Replications != 40 || first.Seed != 2024 || first.Level != DefaultLevel || first.PrecisionReached {
		t.Errorf("Result header = %d reps, seed %d, level %v, reached %v", first.Replications, first.Seed, first.Level, first.PrecisionReached)
	}
	if len(first.Metrics) != 2 || first.Metrics[0].Name != "max" || first.Metrics[1].Name != "mean" {
		t.Fatalf("metrics = %+v, want max then mean", first.Metrics)
	}
	for i := range 40 {
		m, _ := expModel(Replication{Index: i, Seed: ReplicationSeed(2024, i)})
		if first.Metrics[0].Values[i] != m["max"] || first.Metrics[1].Values[i] != m["mean"] {
			t.Fatalf("replication %d: values %v, %v, want %v", i, first.Metrics[0].Values[i], first.Metrics[1].Values[i], m)
		}
	}
	want, _ := Summarize(first.Metrics[1].Values, 0.95)
	if first.Metrics[1].Summary != want {
		t.Errorf("Summary = %+v, want %+v", first.Metrics[1].Summary, want)
	}
	if m, ok := first.Metric("mean"); !ok || m.Name != "mean" {
		t.Errorf("Metric(mean) = %v, %v", m.Name, ok)
	}
	if _, ok := first.Metric("nope"); ok {
		t.Error("Metric(nope) found")
	}
}

var errModel = errors.New("model failed")

func TestReplicateFirstErrorByIndex(t *testing.T) {
	const root = 99
	failing := map[int]bool{3: true, 7: true, 25: true}
	model := func(rep Replication) (Metrics, error) {
		if failing[rep.Index] {
			if rep.Index == 3 { // slow, so that later failures come first
				r := rand.New(rand.NewPCG(rep.Seed, 1))
				for range 2_000_000 {
					_ = r.Uint64()
				}
			}
			return nil, fmt.Errorf("at %d: %w", rep.Index, errModel)
		}
		return expModel(rep)
	}
	for _, workers := range []int{1, 2, 8} {
		_, err := Replicate(context.Background(), Experiment{Replications: 200, Seed: root, Workers: workers}, model)
		var re *ReplicationError
		if !errors.As(err, &re) {
			t.Fatalf("%d workers: error %v is not a *ReplicationError", workers, err)
		}
		if re.Index != 3 || re.Seed != ReplicationSeed(root, 3) || !errors.Is(err, errModel) {
			t.Errorf("%d workers: error for replication %d seed %d (%v), want replication 3", workers, re.Index, re.Seed, err)
		}
		want := fmt.Sprintf("reports: replication 3 (seed %d): at 3: model failed", ReplicationSeed(root, 3))
		if err.Error() != want {
			t.Errorf("%d workers: message %q, want %q", workers, err.Error(), want)
		}
	}
}

func TestReplicateStopsAfterFailure(t *testing.T) {
	// After a failure no new replication starts: with one worker exactly
	// 0..3 run; with four, at most the three others under way finish (and
	// whatever they had started before the failure was seen).
	for _, workers := range []int{1, 4} {
		var calls atomic.Int64
		model := func(rep Replication) (Metrics, error) {
			calls.Add(1)
			if rep.Index == 3 {
				return nil, errModel
			}
			return Metrics{"x": 1}, nil
		}
		_, err := Replicate(context.Background(), Experiment{Replications: 100_000, Workers: workers}, model)
		if !errors.Is(err, errModel) {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if n := calls.Load(); (workers == 1 && n != 4) || n > 50_000 {
			t.Errorf("%d workers: %d replications ran after a failure at index 3", workers, n)
		}
	}
}

func TestReplicatePanic(t *testing.T) {
	model := func(rep Replication) (Metrics, error) {
		if rep.Index == 2 {
			panic("boom")
		}
		return Metrics{"x": 1}, nil
	}
	for _, workers := range []int{1, 4} {
		_, err := Replicate(context.Background(), Experiment{Replications: 10, Workers: workers}, model)
		var re *ReplicationError
		if !errors.As(err, &re) || re.Index != 2 || !errors.Is(err, ErrPanic) || !strings.Contains(err.Error(), "boom") {
			t.Errorf("%d workers: %v, want a panic error for replication 2", workers, err)
		}
	}
}

func TestReplicateBadMetrics(t *testing.T) {
	tests := []struct {
		name  string
		bad   Metrics
		index int
		want  error
	}{
		{"missing", Metrics{"a": 1}, 4, ErrMetrics},
		{"extra", Metrics{"a": 1, "b": 2, "c": 3}, 6, ErrMetrics},
		{"renamed", Metrics{"a": 1, "z": 2}, 5, ErrMetrics},
		{"NaN", Metrics{"a": 1, "b": nan()}, 5, ErrNotFinite},
		{"Inf", Metrics{"a": inf(), "b": 1}, 1, ErrNotFinite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			model := func(rep Replication) (Metrics, error) {
				if rep.Index == tc.index {
					return tc.bad, nil
				}
				return Metrics{"a": 1, "b": float64(rep.Index)}, nil
			}
			_, err := Replicate(context.Background(), Experiment{Replications: 10, Workers: 3}, model)
			var re *ReplicationError
			if !errors.As(err, &re) || re.Index != tc.index || !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v at replication %d", err, tc.want, tc.index)
			}
		})
	}
}

func TestReplicateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	_, err := Replicate(ctx, Experiment{Replications: 5}, func(Replication) (Metrics, error) {
		called = true
		return nil, nil
	})
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("cancelled context: %v (model called: %v), want context.Canceled before any replication", err, called)
	}
	for _, workers := range []int{1, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := Replicate(ctx, Experiment{Replications: 100_000, Workers: workers}, func(rep Replication) (Metrics, error) {
			if rep.Index == 10 {
				cancel()
			}
			return Metrics{"x": 1}, nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers, cancelled during the run: %v, want context.Canceled", workers, err)
		}
		cancel()
	}
}

func TestReplicateSettings(t *testing.T) {
	ok := func(Replication) (Metrics, error) { return Metrics{"x": 1}, nil }
	bad := []Experiment{
		{},
		{Replications: -1},
		{Replications: 5, Workers: -1},
		{Replications: 5, Level: 1.5},
		{Replications: 5, Level: -0.95},
		{Replications: 5, Precision: &Precision{Metric: "x", RelHalfWidth: 0, MaxReplications: 10}},
		{Replications: 5, Precision: &Precision{Metric: "x", RelHalfWidth: inf(), MaxReplications: 10}},
		{Replications: 5, Precision: &Precision{Metric: "x", RelHalfWidth: 0.1, MaxReplications: 4}},
		{Replications: 5, Precision: &Precision{Metric: "x", RelHalfWidth: 0.1, MaxReplications: 10, Batch: -1}},
	}
	for _, e := range bad {
		if _, err := Replicate(context.Background(), e, ok); !errors.Is(err, ErrExperiment) {
			t.Errorf("Replicate(%+v) error = %v, want ErrExperiment", e, err)
		}
	}
	if _, err := Replicate(context.Background(), Experiment{Replications: 5}, nil); !errors.Is(err, ErrExperiment) {
		t.Errorf("nil model: %v, want ErrExperiment", err)
	}
	// One replication: a summary without an interval.
	res, err := Replicate(context.Background(), Experiment{Replications: 1, Level: 0.9}, ok)
	if err != nil || res.Level != 0.9 || res.Metrics[0].Summary.N != 1 || !math.IsInf(res.Metrics[0].Summary.High, 1) {
		t.Errorf("one replication: %+v, %v", res, err)
	}
	// No metrics at all is allowed.
	res, err = Replicate(context.Background(), Experiment{Replications: 3}, func(Replication) (Metrics, error) { return nil, nil })
	if err != nil || len(res.Metrics) != 0 || res.Replications != 3 {
		t.Errorf("no metrics: %+v, %v", res, err)
	}
}

// stoppingPoint applies the sequential rule by hand to the values of a
// metric: the first n in min, min+batch, ... (capped at max) whose relative
// half-width is at most target.
func stoppingPoint(values []float64, minN, maxN, batch int, target float64) (int, bool) {
	for n := minN; ; n = min(n+batch, maxN) {
		s, _ := Summarize(values[:n], 0.95)
		if s.RelHalfWidth <= target {
			return n, true
		}
		if n == maxN {
			return n, false
		}
	}
}

func TestReplicateSequential(t *testing.T) {
	const root, maxN = 7, 400
	all := make([]float64, maxN)
	for i := range all {
		m, _ := expModel(Replication{Index: i, Seed: ReplicationSeed(root, i)})
		all[i] = m["mean"]
	}
	tests := []struct {
		name   string
		target float64
		batch  int
	}{
		{"reached", 0.05, 7},
		{"reached default batch", 0.04, 0},
		{"reached at once", 10, 5},
		{"not reached", 0.001, 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			batch := tc.batch
			if batch == 0 {
				batch = DefaultPrecisionBatch
			}
			wantN, wantReached := stoppingPoint(all, 10, maxN, batch, tc.target)
			var first Result
			for _, workers := range []int{1, 2, 8} {
				exp := Experiment{Replications: 10, Seed: root, Workers: workers,
					Precision: &Precision{Metric: "mean", RelHalfWidth: tc.target, MaxReplications: maxN, Batch: tc.batch}}
				res, err := Replicate(context.Background(), exp, expModel)
				if err != nil {
					t.Fatal(err)
				}
				if res.Replications != wantN || res.PrecisionReached != wantReached {
					t.Errorf("%d workers: %d replications, reached %v, want %d, %v", workers, res.Replications, res.PrecisionReached, wantN, wantReached)
				}
				if workers == 1 {
					first = res
				} else if !reflect.DeepEqual(res, first) {
					t.Errorf("%d workers: result differs from 1 worker", workers)
				}
			}
			// The same as a fixed experiment of that many replications.
			fixed, err := Replicate(context.Background(), Experiment{Replications: wantN, Seed: root}, expModel)
			if err != nil {
				t.Fatal(err)
			}
			fixed.PrecisionReached = first.PrecisionReached
			if !reflect.DeepEqual(fixed, first) {
				t.Error("sequential result differs from the fixed experiment of the same size")
			}
		})
	}
}

func TestReplicateSequentialErrors(t *testing.T) {
	exp := Experiment{Replications: 5, Precision: &Precision{Metric: "nope", RelHalfWidth: 0.1, MaxReplications: 50}}
	if _, err := Replicate(context.Background(), exp, expModel); !errors.Is(err, ErrUnknownMetric) {
		t.Errorf("unknown metric: %v, want ErrUnknownMetric", err)
	}
	// A failure in a later batch is reported like any other.
	model := func(rep Replication) (Metrics, error) {
		if rep.Index == 23 {
			return nil, errModel
		}
		return Metrics{"x": float64(rep.Index % 2)}, nil
	}
	exp = Experiment{Replications: 10, Workers: 2, Precision: &Precision{Metric: "x", RelHalfWidth: 0.0001, MaxReplications: 100}}
	_, err := Replicate(context.Background(), exp, model)
	var re *ReplicationError
	if !errors.As(err, &re) || re.Index != 23 {
		t.Errorf("failure in a later batch: %v, want replication 23", err)
	}
}
