package reports

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBatchMeansHand(t *testing.T) {
	// 23 observations in 4 batches: size 5, the first 3 dropped; batches of
	// constant 1, 2, 3, 4. Batch means 1, 2, 3, 4: mean 2.5, deviations
	// -1.5, -0.5, 0.5, 1.5; lag-1 autocorrelation
	// (0.75 - 0.25 + 0.75) / (2.25 + 0.25 + 0.25 + 2.25) = 1.25/5 = 0.25,
	// below the bound -1/4 + 1.645/2 = 0.572.
	series := []float64{100, 100, 100}
	for b := 1; b <= 4; b++ {
		for range 5 {
			series = append(series, float64(b))
		}
	}
	r, err := BatchMeans(series, 4, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if r.Batches != 4 || r.BatchSize != 5 || r.Discarded != 3 || !slices.Equal(r.Means, []float64{1, 2, 3, 4}) {
		t.Errorf("BatchMeans = %+v", r)
	}
	want, _ := Summarize([]float64{1, 2, 3, 4}, 0.95)
	if r.Summary != want {
		t.Errorf("Summary = %+v, want %+v", r.Summary, want)
	}
	checkNear(t, "Lag1", r.Lag1, 0.25, 1e-15)
	if r.Correlated {
		t.Error("Correlated = true for lag-1 0.25 with 4 batches")
	}
	// Constant series: no variation, lag-1 defined as 0.
	flat, err := BatchMeans([]float64{2, 2, 2, 2, 2, 2}, 3, 0.9)
	if err != nil || flat.Lag1 != 0 || flat.Correlated || flat.Summary.HalfWidth != 0 {
		t.Errorf("constant series: %+v, %v", flat, err)
	}
}

func TestBatchMeansIndependent(t *testing.T) {
	// i.i.d. N(5, 1) data: the batch means are independent, so the flag
	// fires in about 5% of runs and the interval covers 5 in about 95% (9
	// and 194 of 200 with these seeds).
	flagged, covered := 0, 0
	const runs = 200
	for seed := range uint64(runs) {
		r := rand.New(rand.NewPCG(seed, 19))
		series := make([]float64, 2000)
		for i := range series {
			series[i] = 5 + r.NormFloat64()
		}
		res, err := BatchMeans(series, DefaultBatches, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if res.Correlated {
			flagged++
		}
		if res.Summary.Low <= 5 && 5 <= res.Summary.High {
			covered++
		}
	}
	// Binomial(200, 0.05): mean 10, sd 3.1; binomial(200, 0.95) likewise.
	if flagged > 22 || covered < 178 {
		t.Errorf("i.i.d. data: flagged %d of %d, covered %d of %d; want about 10 and 190", flagged, runs, covered, runs)
	}
}

func TestBatchMeansCorrelated(t *testing.T) {
	// AR(1) with φ = 0.99: correlation time about 100 observations, so
	// batches of 20 are far too short and their means strongly correlated
	// (lag-1 0.79 to 0.92 with these seeds).
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 20))
		series := make([]float64, 2000)
		x := 0.0
		for i := range series {
			x = 0.99*x + r.NormFloat64()
			series[i] = x
		}
		res, err := BatchMeans(series, 100, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Correlated || res.Lag1 < 0.5 {
			t.Errorf("seed %d: AR(1) batches of 20: lag-1 %.3f, correlated %v; want flagged", seed, res.Lag1, res.Correlated)
		}
	}
}

func TestBatchMeansErrors(t *testing.T) {
	series := []float64{1, 2, 3, 4}
	for _, k := range []int{-1, 0, 1, 5} {
		if _, err := BatchMeans(series, k, 0.95); !errors.Is(err, ErrTooFew) {
			t.Errorf("%d batches of 4: %v, want ErrTooFew", k, err)
		}
	}
	if _, err := BatchMeans(series, 2, 0); !errors.Is(err, ErrLevel) {
		t.Errorf("level 0: %v, want ErrLevel", err)
	}
	if _, err := BatchMeans([]float64{1, math.Inf(-1), 3, 4}, 2, 0.95); !errors.Is(err, ErrNotFinite) {
		t.Errorf("-Inf: %v, want ErrNotFinite", err)
	}
}
