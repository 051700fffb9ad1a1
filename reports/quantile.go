package reports

import (
	"fmt"
	"math"
)

// QuantileSorted returns the p-quantile of values, which must be sorted in
// increasing order, with the definition of [Tally.Quantile]: the smallest
// value q such that at least a fraction p of the values are less than or
// equal to q (Hyndman and Fan's type 1), that is the value at index
// ⌈p·n⌉-1, or the first value for p = 0. It gives the same answer as
// gonum's stat.Quantile with stat.Empirical, but in O(1) time instead of
// O(n), so that several quantiles of one large sorted sample cost one sort.
// It does not check that values are sorted.
//
// It returns an error wrapping [ErrEmpty] for no values and [ErrProbability]
// for a p outside [0, 1].
func QuantileSorted(p float64, values []float64) (float64, error) {
	if !(p >= 0 && p <= 1) {
		return math.NaN(), fmt.Errorf("%w: got %v", ErrProbability, p)
	}
	n := len(values)
	if n == 0 {
		return math.NaN(), ErrEmpty
	}
	// gonum compares the running count i+1 with p·n: the first index with
	// i+1 >= p·n is ⌈p·n⌉-1, computed from the same product.
	i := int(math.Ceil(p*float64(n))) - 1
	return values[min(max(i, 0), n-1)], nil
}
