package reports

import (
	"fmt"
	"math"
)

// StdErr returns the standard error of the mean, StdDev/√N: the half-width
// divided by the critical value. It is NaN for N < 2 (no spread is known)
// and, for a ratio estimator made by [SummarizeRatio], the standard error
// of the ratio.
func (s Summary) StdErr() float64 {
	if s.N < 2 {
		return math.NaN()
	}
	return s.StdDev / math.Sqrt(float64(s.N))
}

// SummarizeRatio returns the Summary of the ratio estimator of a ratio of
// means, R = Σyᵢ / Σxᵢ, over replications i whose numerator yᵢ and
// denominator xᵢ are pooled: the mean wait per customer of a class, say,
// with yᵢ the total wait and xᵢ the number of customers of the class in
// replication i, where the per-replication mean yᵢ/xᵢ would be undefined in
// a replication without such customers and biased in one with few. Its
// standard error is the delta-method (linearisation) one,
//
//	SE(R)² = Σ (yᵢ − R·xᵢ)² / ((n − 1) · n · x̄²),
//
// (Law, Simulation Modeling and Analysis, 5th ed., 2015, §9.5.3;
// Cochran, Sampling Techniques, 3rd ed., 1977, §6.4), and the interval is
// R ± t_{(1+level)/2, n−1}·SE. The Summary's Mean is R and its StdDev is
// SE·√n, so that [Summary.StdErr] is SE. The interval is asymptotic: with
// few replications and small, often zero denominators it covers less than
// its level (about 88% for a nominal 95% with 30 replications of a class
// absent from 60% of them; 95% with 200, in this package's tests). It
// takes O(n) time.
//
// It returns an error wrapping [ErrLengthMismatch] if the lengths differ,
// [ErrEmpty] for no replications, [ErrLevel] for a level outside (0, 1),
// [ErrNotFinite] for a NaN or infinite value, and [ErrTooFew] if Σxᵢ is 0
// (no denominator at all: the ratio is undefined). With n = 1 there is no
// interval, as for [Summarize].
func SummarizeRatio(num, den []float64, level float64) (Summary, error) {
	if len(num) != len(den) {
		return Summary{}, fmt.Errorf("%w: %d numerators and %d denominators", ErrLengthMismatch, len(num), len(den))
	}
	if err := checkLevel(level); err != nil {
		return Summary{}, err
	}
	if len(num) == 0 {
		return Summary{}, ErrEmpty
	}
	if err := checkFinite(num); err != nil {
		return Summary{}, fmt.Errorf("numerator: %w", err)
	}
	if err := checkFinite(den); err != nil {
		return Summary{}, fmt.Errorf("denominator: %w", err)
	}
	r, res, xbar, ok := ratioResiduals(num, den)
	if !ok {
		return Summary{}, fmt.Errorf("%w: the denominators add up to 0; the ratio is undefined", ErrTooFew)
	}
	n := len(num)
	if n == 1 {
		return newSummary(1, r, math.NaN(), level), nil
	}
	var ss float64
	for _, e := range res {
		ss += e * e
	}
	se := math.Sqrt(ss/float64(n-1)/float64(n)) / math.Abs(xbar)
	return newSummary(n, r, se*math.Sqrt(float64(n)), level), nil
}

// ratioResiduals returns R = Σy/Σx, the residuals yᵢ − R·xᵢ, the mean x̄, and
// false if Σx is 0.
func ratioResiduals(num, den []float64) (r float64, res []float64, xbar float64, ok bool) {
	var sy, sx float64
	for i := range num {
		sy += num[i]
		sx += den[i]
	}
	if sx == 0 {
		return 0, nil, 0, false
	}
	r = sy / sx
	res = make([]float64, len(num))
	for i := range num {
		res[i] = num[i] - r*den[i]
	}
	return r, res, sx / float64(len(num)), true
}

// pairedRatio compares the ratio estimators of two configurations on the
// same replications: Diff = Rx − Ry, with the standard error of the paired
// linearised differences dᵢ = (yxᵢ − Rx·xxᵢ)/x̄x − (yyᵢ − Ry·xyᵢ)/x̄y and
// n − 1 degrees of freedom, the delta method applied to the pair. ok is
// false if a denominator adds up to 0 or there are fewer than two pairs.
func pairedRatio(numX, denX, numY, denY []float64, level float64) (Comparison, bool) {
	n := len(numX)
	if n < 2 {
		return Comparison{}, false
	}
	rx, ex, mx, okx := ratioResiduals(numX, denX)
	ry, ey, my, oky := ratioResiduals(numY, denY)
	if !okx || !oky {
		return Comparison{}, false
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = ex[i]/mx - ey[i]/my
	}
	var mean, ss float64
	for _, v := range d {
		mean += v
	}
	mean /= float64(n) // 0 up to rounding: each set of residuals adds up to 0
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	c := Comparison{
		Method: MethodPaired, NX: n, NY: n, MeanX: rx, MeanY: ry,
		Diff:   rx - ry,
		StdErr: math.Sqrt(ss / float64(n-1) / float64(n)),
		DF:     float64(n - 1),
	}
	c.finish(level)
	return c, true
}
