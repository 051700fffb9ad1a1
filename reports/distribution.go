package reports

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Quantile returns the p-quantile of the observations, for p in [0, 1]: the
// smallest observation q such that at least a fraction p of the observations
// are less than or equal to q. It is gonum's stat.Quantile with
// stat.Empirical on a sorted copy of the values (Hyndman and Fan's type 1, the
// inverse of the empirical distribution function), so Quantile(0) is the
// minimum, Quantile(1) the maximum, and every answer is a value that was
// observed. Empirical was chosen over stat.LinInterp because it needs no
// assumption between observations (a p99 response time is a response time
// that happened, a median queue length is a whole number) and because
// gonum's LinInterp (Hyndman and Fan's type 4) is not the interpolation that
// R or NumPy use by default either, so it would not match them anyway.
//
// It sorts a copy of the values, O(n log n); use [Tally.Quantiles] to get
// several quantiles for one sort. It returns an error wrapping
// [ErrValuesNotKept], [ErrEmpty] or [ErrProbability]. If a NaN was added the
// answer is NaN.
func (t *Tally) Quantile(p float64) (float64, error) {
	qs, err := t.Quantiles(p)
	if err != nil {
		return math.NaN(), err
	}
	return qs[0], nil
}

// Quantiles returns the quantile of each p in ps, in the same order, with the
// definition of [Tally.Quantile], sorting the values once.
func (t *Tally) Quantiles(ps ...float64) ([]float64, error) {
	sorted, err := t.sortedValues()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("%w: got %v", ErrProbability, p)
		}
	}
	qs := make([]float64, len(ps))
	for i, p := range ps {
		qs[i] = stat.Quantile(p, stat.Empirical, sorted, nil)
	}
	return qs, nil
}

// sortedValues returns a sorted copy of the kept values.
func (t *Tally) sortedValues() ([]float64, error) {
	if !t.KeepsValues() {
		return nil, ErrValuesNotKept
	}
	if t.Count() == 0 {
		return nil, ErrEmpty
	}
	sorted := t.Values()
	slices.Sort(sorted)
	return sorted, nil
}

// Histogram holds counts of observations in consecutive bins. Bin i is the
// half-open interval [Dividers[i], Dividers[i+1]), so len(Dividers) is
// len(Counts)+1. Observations outside the bins are counted in Under (below
// Dividers[0]) and Over (at or above the last divider).
type Histogram struct {
	Dividers []float64
	Counts   []int
	Under    int
	Over     int
}

// Histogram counts the kept observations in the bins given by dividers, which
// must be finite, strictly increasing and at least two. The counting is
// gonum's stat.Histogram on a sorted copy of the values, O(n log n).
//
// It returns an error wrapping [ErrValuesNotKept] when t keeps no values,
// [ErrDividers] for bad dividers and [ErrNotFinite] when a NaN was added. An
// empty Tally gives zero counts.
func (t *Tally) Histogram(dividers ...float64) (Histogram, error) {
	if !t.KeepsValues() {
		return Histogram{}, ErrValuesNotKept
	}
	if err := checkDividers(dividers); err != nil {
		return Histogram{}, err
	}
	sorted := t.Values()
	slices.Sort(sorted)
	if len(sorted) > 0 && math.IsNaN(sorted[0]) { // slices.Sort puts NaNs first
		return Histogram{}, fmt.Errorf("%w: the values contain NaN", ErrNotFinite)
	}
	lo := sort.SearchFloat64s(sorted, dividers[0])
	hi := sort.SearchFloat64s(sorted, dividers[len(dividers)-1])
	counts := stat.Histogram(nil, dividers, sorted[lo:hi], nil)
	h := Histogram{
		Dividers: slices.Clone(dividers),
		Counts:   make([]int, len(counts)),
		Under:    lo,
		Over:     len(sorted) - hi,
	}
	for i, c := range counts {
		h.Counts[i] = int(c)
	}
	return h, nil
}

// HistogramBins counts the kept observations in the given number of bins of
// equal width spanning [Min, Max]; the last divider is the float64 just above
// Max so that the maximum falls in the last bin. When every observation is
// equal the bins span [Min, Min+1). It returns the errors of
// [Tally.Histogram], [ErrEmpty] when there are no observations, and
// [ErrDividers] when bins is below one or the range is too narrow to split.
func (t *Tally) HistogramBins(bins int) (Histogram, error) {
	if !t.KeepsValues() {
		return Histogram{}, ErrValuesNotKept
	}
	if bins < 1 {
		return Histogram{}, fmt.Errorf("%w: bins = %d, want at least 1", ErrDividers, bins)
	}
	if t.Count() == 0 {
		return Histogram{}, ErrEmpty
	}
	lo, hi := t.Min(), t.Max()
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) {
		return Histogram{}, fmt.Errorf("%w: range [%v, %v]", ErrNotFinite, lo, hi)
	}
	if lo == hi {
		hi = lo + 1
	}
	dividers := make([]float64, bins+1)
	for i := range bins {
		f := float64(i) / float64(bins)
		dividers[i] = lo*(1-f) + hi*f // no overflow for wide ranges
	}
	dividers[0] = lo
	dividers[bins] = math.Nextafter(hi, math.Inf(1))
	return t.Histogram(dividers...)
}

// checkDividers validates histogram dividers.
func checkDividers(dividers []float64) error {
	if len(dividers) < 2 {
		return fmt.Errorf("%w: got %d", ErrDividers, len(dividers))
	}
	for i, d := range dividers {
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("%w: divider %d is %v", ErrDividers, i, d)
		}
		if i > 0 && !(dividers[i-1] < d) {
			return fmt.Errorf("%w: divider %d (%v) is not above divider %d (%v)", ErrDividers, i, d, i-1, dividers[i-1])
		}
	}
	return nil
}
