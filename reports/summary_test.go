package reports

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestTCriticalTable(t *testing.T) {
	// Two-sided critical values t_{(1+level)/2, df} as printed, to 3
	// decimals, in the table of percentage points of Student's t in the
	// appendix of statistics textbooks (the df = ∞ row is the normal).
	tests := []struct {
		level, df, want float64
	}{
		{0.95, 1, 12.706},
		{0.95, 2, 4.303},
		{0.95, 4, 2.776},
		{0.95, 9, 2.262},
		{0.95, 10, 2.228},
		{0.95, 29, 2.045},
		{0.95, 30, 2.042},
		{0.95, 120, 1.980},
		{0.90, 10, 1.812},
		{0.90, 29, 1.699},
		{0.99, 5, 4.032},
		{0.99, 29, 2.756},
		{0.80, 20, 1.325},
		{0.95, math.Inf(1), 1.960},
		{0.99, math.Inf(1), 2.576},
	}
	for _, tc := range tests {
		got, err := TCritical(tc.level, tc.df)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 0.0005 {
			t.Errorf("TCritical(%v, %v) = %.5f, want %.3f", tc.level, tc.df, got, tc.want)
		}
	}
}

func TestTCriticalErrors(t *testing.T) {
	for _, level := range []float64{0, 1, -0.5, 1.5, math.NaN()} {
		if _, err := TCritical(level, 5); !errors.Is(err, ErrLevel) {
			t.Errorf("TCritical(%v, 5) error = %v, want ErrLevel", level, err)
		}
	}
	for _, df := range []float64{0, -1, math.NaN()} {
		if _, err := TCritical(0.95, df); !errors.Is(err, ErrDF) {
			t.Errorf("TCritical(0.95, %v) error = %v, want ErrDF", df, err)
		}
	}
}

func TestSummarizeKnown(t *testing.T) {
	// 2,4,4,4,5,5,7,9: mean 5, variance 32/7, sd 2.13809, n 8,
	// t_{0.975,7} = 2.365 (table), half-width 2.365·2.13809/√8 = 1.78788.
	s, err := Summarize([]float64{2, 4, 4, 4, 5, 5, 7, 9}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(32.0 / 7)
	if s.N != 8 || s.Level != 0.95 {
		t.Errorf("N, Level = %d, %v", s.N, s.Level)
	}
	checkNear(t, "Mean", s.Mean, 5, 1e-15)
	checkNear(t, "StdDev", s.StdDev, sd, 1e-14)
	checkNear(t, "HalfWidth", s.HalfWidth, 2.365*sd/math.Sqrt(8), 5e-4)
	checkNear(t, "Low", s.Low, s.Mean-s.HalfWidth, 1e-15)
	checkNear(t, "High", s.High, s.Mean+s.HalfWidth, 1e-15)
	checkNear(t, "RelHalfWidth", s.RelHalfWidth, s.HalfWidth/5, 1e-15)
	// Negative mean: the relative half-width uses |mean|.
	neg, _ := Summarize([]float64{-2, -4, -4, -4, -5, -5, -7, -9}, 0.95)
	if neg.RelHalfWidth != s.RelHalfWidth {
		t.Errorf("RelHalfWidth of the negated sample = %v, want %v", neg.RelHalfWidth, s.RelHalfWidth)
	}
}

func TestSummarizeEdgeCases(t *testing.T) {
	if _, err := Summarize(nil, 0.95); !errors.Is(err, ErrEmpty) {
		t.Errorf("n = 0: %v, want ErrEmpty", err)
	}
	one, err := Summarize([]float64{4}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if one.N != 1 || one.Mean != 4 || !math.IsNaN(one.StdDev) || !math.IsInf(one.HalfWidth, 1) ||
		!math.IsInf(one.Low, -1) || !math.IsInf(one.High, 1) || !math.IsInf(one.RelHalfWidth, 1) {
		t.Errorf("n = 1: %+v, want NaN sd and the interval (-Inf, +Inf)", one)
	}
	flat, err := Summarize([]float64{3, 3, 3, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if flat.StdDev != 0 || flat.HalfWidth != 0 || flat.Low != 3 || flat.High != 3 || flat.RelHalfWidth != 0 {
		t.Errorf("zero variance: %+v, want the point interval [3, 3]", flat)
	}
	zero, _ := Summarize([]float64{0, 0}, 0.95)
	if zero.RelHalfWidth != 0 {
		t.Errorf("all zero: RelHalfWidth %v, want 0", zero.RelHalfWidth)
	}
	around, _ := Summarize([]float64{-1, 1}, 0.95)
	if !math.IsInf(around.RelHalfWidth, 1) {
		t.Errorf("mean 0, spread: RelHalfWidth %v, want +Inf", around.RelHalfWidth)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := Summarize([]float64{1, bad}, 0.95); !errors.Is(err, ErrNotFinite) {
			t.Errorf("value %v: %v, want ErrNotFinite", bad, err)
		}
	}
	if _, err := Summarize([]float64{1, 2}, 95); !errors.Is(err, ErrLevel) {
		t.Errorf("level 95: %v, want ErrLevel", err)
	}
}

func TestSummarizeAgainstGonumAndTally(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 50 {
		values := make([]float64, 2+r.IntN(100))
		var ta Tally
		for i := range values {
			values[i] = 50 + r.NormFloat64()*7
			ta.Add(values[i])
		}
		level := []float64{0.8, 0.9, 0.95, 0.99}[r.IntN(4)]
		got, err := Summarize(values, level)
		if err != nil {
			t.Fatal(err)
		}
		mean, sd := stat.MeanStdDev(values, nil)
		tc, _ := TCritical(level, float64(len(values)-1))
		checkNear(t, "Mean", got.Mean, mean, 1e-15)
		checkNear(t, "HalfWidth", got.HalfWidth, tc*sd/math.Sqrt(float64(len(values))), 1e-14)
		fromTally, err := ta.Summary(level)
		if err != nil {
			t.Fatal(err)
		}
		checkNear(t, "Tally Mean", fromTally.Mean, got.Mean, 1e-13)
		checkNear(t, "Tally HalfWidth", fromTally.HalfWidth, got.HalfWidth, 1e-10)
	}
}

func TestTallySummary(t *testing.T) {
	var ta Tally
	ta.Add(4)
	one, err := ta.Summary(0.95)
	if err != nil || one.N != 1 || !math.IsInf(one.HalfWidth, 1) {
		t.Errorf("one observation: %+v, %v", one, err)
	}
	if _, err := ta.Summary(1); !errors.Is(err, ErrLevel) {
		t.Errorf("level 1: %v, want ErrLevel", err)
	}
}
