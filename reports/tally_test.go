package reports

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestTallyKnownSamples(t *testing.T) {
	tests := []struct {
		name                     string
		values                   []float64
		mean, variance, min, max float64
		sum                      float64
	}{
		// 2,4,4,4,5,5,7,9: sum 40, mean 5, squared deviations
		// 9+1+1+1+0+0+4+16 = 32, sample variance 32/7.
		{"textbook", []float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, 32.0 / 7, 2, 9, 40},
		// 1..10: mean 5.5, squared deviations 2(0.25+2.25+6.25+12.25+20.25)
		// = 82.5, sample variance 82.5/9.
		{"one to ten", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 82.5 / 9, 1, 10, 55},
		// -1, 1: mean 0, squared deviations 2, sample variance 2.
		{"symmetric", []float64{-1, 1}, 0, 2, -1, 1, 0},
		// A constant: variance 0.
		{"constant", []float64{3, 3, 3}, 3, 0, 3, 3, 9},
		// Welford's textbook example (e.g. Wikipedia, "Algorithms for
		// calculating variance"): 1e9 + {4, 7, 13, 16} has mean 1e9+10,
		// deviations -6, -3, 3, 6, squared deviations 90, variance 30. The
		// naive sum-of-squares formula loses it all.
		{"large offset", []float64{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}, 1e9 + 10, 30, 1e9 + 4, 1e9 + 16, 4e9 + 40},
		{"larger offset", []float64{1e12 + 4, 1e12 + 7, 1e12 + 13, 1e12 + 16}, 1e12 + 10, 30, 1e12 + 4, 1e12 + 16, 4e12 + 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ta Tally
			for _, v := range tc.values {
				ta.Add(v)
			}
			if ta.Count() != len(tc.values) {
				t.Errorf("Count = %d, want %d", ta.Count(), len(tc.values))
			}
			checkNear(t, "Mean", ta.Mean(), tc.mean, 1e-15)
			checkNear(t, "Variance", ta.Variance(), tc.variance, 1e-9)
			checkNear(t, "StdDev", ta.StdDev(), math.Sqrt(tc.variance), 1e-9)
			checkNear(t, "Sum", ta.Sum(), tc.sum, 1e-15)
			if ta.Min() != tc.min || ta.Max() != tc.max {
				t.Errorf("Min, Max = %v, %v, want %v, %v", ta.Min(), ta.Max(), tc.min, tc.max)
			}
		})
	}
}

func TestTallyEmptyAndSingle(t *testing.T) {
	var ta Tally
	if ta.Count() != 0 || ta.Sum() != 0 {
		t.Errorf("empty: Count %d, Sum %v", ta.Count(), ta.Sum())
	}
	for name, v := range map[string]float64{"Mean": ta.Mean(), "Variance": ta.Variance(), "Min": ta.Min(), "Max": ta.Max()} {
		if !math.IsNaN(v) {
			t.Errorf("empty %s = %v, want NaN", name, v)
		}
	}
	if _, err := ta.Summary(0.95); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty Summary error = %v, want ErrEmpty", err)
	}
	ta.Add(7)
	if ta.Mean() != 7 || ta.Min() != 7 || ta.Max() != 7 || !math.IsNaN(ta.Variance()) {
		t.Errorf("one value: mean %v min %v max %v variance %v", ta.Mean(), ta.Min(), ta.Max(), ta.Variance())
	}
}

func TestTallyAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 2 + r.IntN(500)
		offset := []float64{0, 1e3, 1e6, -1e8}[trial%4]
		values := make([]float64, n)
		var ta Tally
		for i := range values {
			values[i] = offset + r.NormFloat64()*math.Exp(r.Float64()*4)
			ta.Add(values[i])
		}
		mean, variance := stat.MeanVariance(values, nil)
		checkNear(t, "Mean", ta.Mean(), mean, 1e-12)
		checkNear(t, "Variance", ta.Variance(), variance, 1e-9)
		var sum float64
		for _, v := range values {
			sum += v
		}
		checkNear(t, "Sum", ta.Sum(), sum, 1e-12)
	}
}

func TestTallyNaN(t *testing.T) {
	var ta Tally
	ta.Add(1)
	ta.Add(math.NaN())
	ta.Add(2)
	for name, v := range map[string]float64{"Mean": ta.Mean(), "Variance": ta.Variance(), "Sum": ta.Sum(), "Min": ta.Min(), "Max": ta.Max()} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %v after a NaN, want NaN", name, v)
		}
	}
	if _, err := ta.Summary(0.95); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Summary error = %v, want ErrNotFinite", err)
	}
}

func TestTallyMergeTable(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
	}{
		{"both empty", nil, nil},
		{"empty receiver", nil, []float64{1, 2, 3}},
		{"empty other", []float64{1, 2, 3}, nil},
		{"one and one", []float64{1}, []float64{5}},
		{"textbook split", []float64{2, 4, 4, 4}, []float64{5, 5, 7, 9}},
		{"large offset", []float64{1e9 + 4, 1e9 + 7}, []float64{1e9 + 13, 1e9 + 16}},
		{"unbalanced", []float64{100}, []float64{1, 2, 3, 4, 5, 6, 7, 8}},
		{"negative", []float64{-3, -1}, []float64{-10, 4, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b, all := NewTally(true), NewTally(true), NewTally(true)
			for _, v := range tc.a {
				a.Add(v)
				all.Add(v)
			}
			for _, v := range tc.b {
				b.Add(v)
				all.Add(v)
			}
			if err := a.Merge(b); err != nil {
				t.Fatal(err)
			}
			sameTally(t, a, all)
		})
	}
}

func TestTallyMergeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		parts := 1 + r.IntN(6)
		total, all := &Tally{}, &Tally{}
		offset := r.NormFloat64() * 1e6
		for range parts {
			var part Tally
			for range r.IntN(40) {
				v := offset + r.ExpFloat64()*10
				part.Add(v)
				all.Add(v)
			}
			if err := total.Merge(&part); err != nil {
				t.Fatal(err)
			}
		}
		sameTally(t, total, all)
	}
}

// sameTally fails the test unless got and want hold the same observations.
func sameTally(t *testing.T, got, want *Tally) {
	t.Helper()
	if got.Count() != want.Count() {
		t.Fatalf("Count = %d, want %d", got.Count(), want.Count())
	}
	if want.Count() == 0 {
		return
	}
	checkNear(t, "Mean", got.Mean(), want.Mean(), 1e-12)
	checkNear(t, "Sum", got.Sum(), want.Sum(), 1e-12)
	if want.Count() > 1 {
		checkNear(t, "Variance", got.Variance(), want.Variance(), 1e-9)
	}
	if got.Min() != want.Min() || got.Max() != want.Max() {
		t.Errorf("Min, Max = %v, %v, want %v, %v", got.Min(), got.Max(), want.Min(), want.Max())
	}
	if got.KeepsValues() && len(got.Values()) != got.Count() {
		t.Errorf("%d values kept for %d observations", len(got.Values()), got.Count())
	}
}

func TestTallyMergeSelf(t *testing.T) {
	a, want := NewTally(true), NewTally(true)
	for _, v := range []float64{1, 2, 6} {
		a.Add(v)
		want.Add(v)
	}
	for _, v := range []float64{1, 2, 6} {
		want.Add(v)
	}
	if err := a.Merge(a); err != nil {
		t.Fatal(err)
	}
	sameTally(t, a, want)
}

func TestTallyMergeValues(t *testing.T) {
	keeps, plain := NewTally(true), &Tally{}
	keeps.Add(1)
	plain.Add(2)
	if err := keeps.Merge(plain); !errors.Is(err, ErrMergeValues) {
		t.Fatalf("Merge of a tally without values = %v, want ErrMergeValues", err)
	}
	if keeps.Count() != 1 || keeps.Mean() != 1 {
		t.Errorf("failed Merge changed the tally: count %d mean %v", keeps.Count(), keeps.Mean())
	}
	if err := keeps.Merge(&Tally{}); err != nil {
		t.Errorf("Merge of an empty tally without values = %v, want nil", err)
	}
	if err := plain.Merge(keeps); err != nil || plain.Count() != 2 || plain.Values() != nil {
		t.Errorf("plain.Merge(keeps) = %v, count %d, values %v", err, plain.Count(), plain.Values())
	}
}

func TestTallyReset(t *testing.T) {
	ta := NewTally(true)
	ta.Add(100)
	ta.Add(200)
	ta.Reset()
	if ta.Count() != 0 || !ta.KeepsValues() || len(ta.Values()) != 0 {
		t.Fatalf("after Reset: count %d keeps %v values %v", ta.Count(), ta.KeepsValues(), ta.Values())
	}
	ta.Add(1)
	ta.Add(3)
	if ta.Mean() != 2 || ta.Min() != 1 || ta.Max() != 3 || ta.Variance() != 2 || ta.Sum() != 4 {
		t.Errorf("after Reset and 1, 3: mean %v min %v max %v variance %v sum %v", ta.Mean(), ta.Min(), ta.Max(), ta.Variance(), ta.Sum())
	}
	if got := ta.Values(); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("Values = %v, want [1 3]", got)
	}
}

func TestTallySumCompensated(t *testing.T) {
	// 1 + 1e-16 * 1e6: a plain float64 sum stays at 1 (each 1e-16 is below
	// half an ulp of 1); the compensated sum is 1 + 1e-10.
	var ta Tally
	ta.Add(1)
	for range 1_000_000 {
		ta.Add(1e-16)
	}
	checkNear(t, "Sum", ta.Sum(), 1+1e-10, 1e-15)
}
