package reports

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestQuantileKnown(t *testing.T) {
	// 1..10 in a shuffled order. The empirical quantile is the smallest
	// value with at least a fraction p of the values at or below it:
	// p = 0.5 needs 5 values (5), p = 0.9 needs 9 (9), p = 0.91 needs 9.1,
	// so 10; p = 0.05 needs 0.5, so 1; p = 0.1 needs 1 (1); p = 0.11 needs
	// 1.1, so 2.
	ta := NewTally(true)
	for _, v := range []float64{7, 3, 10, 1, 5, 9, 2, 8, 6, 4} {
		ta.Add(v)
	}
	ps := []float64{0, 0.05, 0.1, 0.11, 0.25, 0.5, 0.9, 0.91, 1}
	want := []float64{1, 1, 1, 2, 3, 5, 9, 10, 10}
	got, err := ta.Quantiles(ps...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Quantiles(%v) = %v, want %v", ps, got, want)
	}
	if q, err := ta.Quantile(0.5); err != nil || q != 5 {
		t.Errorf("Quantile(0.5) = %v, %v, want 5", q, err)
	}
	// The values keep their order of arrival.
	if v := ta.Values(); v[0] != 7 || v[9] != 4 {
		t.Errorf("Values = %v, want the order of Add", v)
	}
}

func TestQuantileAgainstDefinition(t *testing.T) {
	// Against gonum's stat.Quantile (Empirical) on a sorted copy, and
	// against the definition evaluated by brute force: the smallest
	// observed x with #{v <= x} >= p*n.
	r := rand.New(rand.NewPCG(5, 6))
	for range 30 {
		n := 1 + r.IntN(300)
		ta := NewTally(true)
		values := make([]float64, n)
		for i := range values {
			values[i] = math.Round(r.NormFloat64()*20) / 4 // ties happen
			ta.Add(values[i])
		}
		sorted := slices.Clone(values)
		slices.Sort(sorted)
		for _, p := range []float64{0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1, r.Float64()} {
			got, err := ta.Quantile(p)
			if err != nil {
				t.Fatal(err)
			}
			if g := stat.Quantile(p, stat.Empirical, sorted, nil); got != g {
				t.Errorf("n=%d p=%v: Quantile = %v, gonum %v", n, p, got, g)
			}
			brute := math.Inf(1)
			for _, x := range values {
				count := 0
				for _, v := range values {
					if v <= x {
						count++
					}
				}
				if float64(count) >= p*float64(n) && x < brute {
					brute = x
				}
			}
			if got != brute {
				t.Errorf("n=%d p=%v: Quantile = %v, definition %v", n, p, got, brute)
			}
		}
	}
}

func TestQuantileErrors(t *testing.T) {
	var plain Tally
	plain.Add(1)
	if _, err := plain.Quantile(0.5); !errors.Is(err, ErrValuesNotKept) {
		t.Errorf("without values: %v, want ErrValuesNotKept", err)
	}
	empty := NewTally(true)
	if _, err := empty.Quantile(0.5); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v, want ErrEmpty", err)
	}
	empty.Add(1)
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := empty.Quantile(p); !errors.Is(err, ErrProbability) {
			t.Errorf("Quantile(%v) error = %v, want ErrProbability", p, err)
		}
	}
}

func TestHistogramKnown(t *testing.T) {
	// Bins [0,1) [1,2) [2,4): 0 and 0.5 in the first, 1 and 1.5 in the
	// second, 2, 3 and 3.99 in the third; -1 under; 4 and 10 over (the last
	// divider is excluded).
	ta := NewTally(true)
	for _, v := range []float64{3, -1, 0, 1.5, 4, 0.5, 10, 2, 1, 3.99} {
		ta.Add(v)
	}
	h, err := ta.Histogram(0, 1, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Counts, []int{2, 2, 3}) || h.Under != 1 || h.Over != 2 {
		t.Errorf("Histogram = %+v, want counts [2 2 3], under 1, over 2", h)
	}
	if !slices.Equal(h.Dividers, []float64{0, 1, 2, 4}) {
		t.Errorf("Dividers = %v", h.Dividers)
	}
}

func TestHistogramAgainstCounting(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20 {
		ta := NewTally(true)
		values := make([]float64, r.IntN(1000))
		for i := range values {
			values[i] = r.NormFloat64() * 3
			ta.Add(values[i])
		}
		dividers := []float64{-4, -2.5, -1, 0, 0.5, 1, 3}
		h, err := ta.Histogram(dividers...)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, len(dividers)-1)
		under, over := 0, 0
		for _, v := range values {
			switch {
			case v < dividers[0]:
				under++
			case v >= dividers[len(dividers)-1]:
				over++
			default:
				for i := range want {
					if v >= dividers[i] && v < dividers[i+1] {
						want[i]++
					}
				}
			}
		}
		if !slices.Equal(h.Counts, want) || h.Under != under || h.Over != over {
			t.Errorf("Histogram = %v under %d over %d, want %v under %d over %d", h.Counts, h.Under, h.Over, want, under, over)
		}
	}
}

func TestHistogramBins(t *testing.T) {
	// 0..9 in 3 bins over [0, 9]: width 3, bins [0,3) [3,6) [6,9+), the
	// maximum 9 in the last bin.
	ta := NewTally(true)
	for i := range 10 {
		ta.Add(float64(i))
	}
	h, err := ta.HistogramBins(3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Counts, []int{3, 3, 4}) || h.Under != 0 || h.Over != 0 {
		t.Errorf("HistogramBins(3) = %+v, want counts [3 3 4]", h)
	}
	if h.Dividers[0] != 0 || h.Dividers[1] != 3 || h.Dividers[2] != 6 || !(h.Dividers[3] > 9) {
		t.Errorf("Dividers = %v", h.Dividers)
	}
	// All values equal: one value range [5, 6).
	same := NewTally(true)
	same.Add(5)
	same.Add(5)
	h, err = same.HistogramBins(2)
	if err != nil || !slices.Equal(h.Counts, []int{2, 0}) {
		t.Errorf("HistogramBins of equal values = %+v, %v, want counts [2 0]", h, err)
	}
}

func TestHistogramErrors(t *testing.T) {
	var plain Tally
	if _, err := plain.Histogram(0, 1); !errors.Is(err, ErrValuesNotKept) {
		t.Errorf("without values: %v", err)
	}
	if _, err := plain.HistogramBins(2); !errors.Is(err, ErrValuesNotKept) {
		t.Errorf("HistogramBins without values: %v", err)
	}
	ta := NewTally(true)
	if h, err := ta.Histogram(0, 1); err != nil || !slices.Equal(h.Counts, []int{0}) {
		t.Errorf("empty Histogram = %+v, %v, want one zero count", h, err)
	}
	if _, err := ta.HistogramBins(2); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty HistogramBins: %v, want ErrEmpty", err)
	}
	for _, d := range [][]float64{nil, {1}, {1, 1}, {2, 1}, {0, math.NaN()}, {0, math.Inf(1)}} {
		if _, err := ta.Histogram(d...); !errors.Is(err, ErrDividers) {
			t.Errorf("Histogram(%v) error = %v, want ErrDividers", d, err)
		}
	}
	ta.Add(1)
	if _, err := ta.HistogramBins(0); !errors.Is(err, ErrDividers) {
		t.Errorf("HistogramBins(0) error = %v, want ErrDividers", err)
	}
	ta.Add(math.NaN())
	if _, err := ta.Histogram(0, 1); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Histogram with a NaN value: %v, want ErrNotFinite", err)
	}
	if q, err := ta.Quantile(0.5); err != nil || !math.IsNaN(q) {
		t.Errorf("Quantile with a NaN value = %v, %v, want NaN", q, err)
	}
}
