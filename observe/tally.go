package observe

import (
	"fmt"
	"math"
	"slices"
)

// Tally accumulates observations one at a time: count, sum, mean, sample
// variance, minimum and maximum, in constant memory. Moments use Welford's
// update, so values with a large common offset lose no precision; the sum is
// compensated (Neumaier).
//
// The zero value is an empty Tally that keeps no values: it answers every
// moment, but quantiles and histograms (package reports) need the values.
// [NewTally](true) makes one that also stores each value, at 8 bytes per
// observation.
//
// A Tally is not safe for concurrent use by several goroutines when one of
// them calls Add, Merge or Reset.
type Tally struct {
	n        int
	mean     float64
	m2       float64 // sum of squared deviations from the mean
	min, max float64
	sum      float64
	comp     float64 // Neumaier compensation of sum
	keep     bool
	values   []float64
}

// NewTally returns an empty Tally. If keepValues is true it stores every
// value, which quantiles and histograms need; otherwise it is the same as a
// zero Tally.
func NewTally(keepValues bool) *Tally {
	return &Tally{keep: keepValues}
}

// KeepsValues reports whether t stores its values.
func (t *Tally) KeepsValues() bool { return t.keep }

// Add records the observation x. It takes O(1) time (amortised, when values
// are kept). A NaN makes the mean, variance, sum, minimum and maximum NaN,
// as in gonum's stat package; an infinite value makes the variance NaN.
func (t *Tally) Add(x float64) {
	t.n++
	if t.n == 1 {
		t.min, t.max = x, x
	} else {
		t.min = math.Min(t.min, x)
		t.max = math.Max(t.max, x)
	}
	d := x - t.mean
	t.mean += d / float64(t.n)
	t.m2 += d * (x - t.mean)
	t.sum, t.comp = neumaier(t.sum, t.comp, x)
	if t.keep {
		t.values = append(t.values, x)
	}
}

// neumaier adds x to the compensated sum (sum, comp).
func neumaier(sum, comp, x float64) (float64, float64) {
	s := sum + x
	if math.Abs(sum) >= math.Abs(x) {
		comp += (sum - s) + x
	} else {
		comp += (x - s) + sum
	}
	return s, comp
}

// Count returns the number of observations.
func (t *Tally) Count() int { return t.n }

// Sum returns the sum of the observations, 0 when there are none.
func (t *Tally) Sum() float64 {
	if math.IsInf(t.sum, 0) {
		return t.sum
	}
	return t.sum + t.comp
}

// Mean returns the arithmetic mean, or NaN when there are no observations.
func (t *Tally) Mean() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.mean
}

// Variance returns the sample variance (divided by n-1), or NaN when there
// are fewer than two observations.
func (t *Tally) Variance() float64 {
	if t.n < 2 {
		return math.NaN()
	}
	return t.m2 / float64(t.n-1)
}

// StdDev returns the sample standard deviation, the square root of
// [Tally.Variance].
func (t *Tally) StdDev() float64 { return math.Sqrt(t.Variance()) }

// Min returns the smallest observation, or NaN when there are none.
func (t *Tally) Min() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.min
}

// Max returns the largest observation, or NaN when there are none.
func (t *Tally) Max() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.max
}

// Values returns a copy of the stored observations in the order they were
// added, or nil when t does not keep values.
func (t *Tally) Values() []float64 {
	if !t.keep {
		return nil
	}
	return slices.Clone(t.values)
}

// Reset forgets every observation, for instance at the end of a warm-up
// period. Whether t keeps values does not change.
func (t *Tally) Reset() {
	*t = Tally{keep: t.keep, values: t.values[:0]}
}

// Merge adds the observations of other to t, as if every value added to
// other had been added to t, using the pairwise update of Chan, Golub and
// LeVeque (1979). other is not changed and may be t itself. It takes O(1)
// time, plus O(other.Count()) when t keeps values.
//
// If t keeps values, other must keep them too (or be empty): otherwise Merge
// returns an error wrapping [ErrMergeValues] and leaves t unchanged. If t
// does not keep values, other's values are ignored.
func (t *Tally) Merge(other *Tally) error {
	o := *other // copy first: other may be t
	if o.n == 0 {
		return nil
	}
	if t.keep && !o.keep {
		return fmt.Errorf("%w (%d observations would have no values)", ErrMergeValues, o.n)
	}
	if t.keep {
		t.values = append(t.values, o.values...)
	}
	if t.n == 0 {
		t.n, t.mean, t.m2, t.min, t.max, t.sum, t.comp = o.n, o.mean, o.m2, o.min, o.max, o.sum, o.comp
		return nil
	}
	na, nb := float64(t.n), float64(o.n)
	n := na + nb
	d := o.mean - t.mean
	t.mean += d * (nb / n)
	t.m2 += o.m2 + d*d*(na*nb/n)
	t.n += o.n
	t.min = math.Min(t.min, o.min)
	t.max = math.Max(t.max, o.max)
	t.sum, t.comp = neumaier(t.sum, t.comp, o.sum)
	t.comp += o.comp
	return nil
}
