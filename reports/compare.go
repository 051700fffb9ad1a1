package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Method names a test for the difference of two means.
type Method string

// The comparison methods.
const (
	// MethodPaired is the paired-t test, for samples whose i-th values
	// belong together: replication i of two configurations run with the
	// same seed (common random numbers).
	MethodPaired Method = "paired-t"
	// MethodWelch is Welch's t test, for independent samples with possibly
	// different variances and sizes.
	MethodWelch Method = "welch"
)

// Comparison is the difference of the means of two samples X and Y, with its
// confidence interval and a two-sided test of "no difference".
type Comparison struct {
	Method Method
	// NX and NY are the sample sizes (equal for MethodPaired).
	NX, NY int
	// MeanX and MeanY are the sample means.
	MeanX, MeanY float64
	// Diff estimates mean(X) - mean(Y): for MethodPaired the mean of the
	// differences X_i - Y_i, for MethodWelch MeanX - MeanY.
	Diff float64
	// StdErr is the standard error of Diff.
	StdErr float64
	// DF is the degrees of freedom of the t distribution: n-1 for
	// MethodPaired, the Welch-Satterthwaite value for MethodWelch (NX+NY-2
	// when both samples have zero variance, where the formula is 0/0).
	DF float64
	// T is Diff / StdErr; when StdErr is 0 it is 0 if Diff is 0 and ±Inf
	// otherwise.
	T float64
	// P is the two-sided p-value, 2·P(T_DF > |T|): 1 when T is 0, 0 when T
	// is infinite.
	P float64
	// Level is the confidence level of the interval.
	Level float64
	// HalfWidth, Low and High give the interval Diff ± t_{(1+Level)/2,DF} ·
	// StdErr.
	HalfWidth, Low, High float64
}

// Significant reports whether the interval excludes 0, that is whether the
// difference is significant at 1-Level (P < 1-Level, up to rounding).
func (c Comparison) Significant() bool { return c.Low > 0 || c.High < 0 }

// PairedT compares two paired samples, x[i] with y[i], by the paired-t test:
// the one-sample t interval of the differences x[i]-y[i], with n-1 degrees of
// freedom. Under common random numbers the pairs are the replications with
// the same index. It takes O(n) time.
//
// It returns an error wrapping [ErrLengthMismatch] if the lengths differ,
// [ErrTooFew] for fewer than two pairs, [ErrLevel] for a level outside
// (0, 1) and [ErrNotFinite] for a NaN or infinite value.
func PairedT(x, y []float64, level float64) (Comparison, error) {
	if len(x) != len(y) {
		return Comparison{}, fmt.Errorf("%w: %d and %d", ErrLengthMismatch, len(x), len(y))
	}
	if err := checkTwoSamples(x, y, level); err != nil {
		return Comparison{}, err
	}
	n := float64(len(x))
	d := make([]float64, len(x))
	for i := range x {
		d[i] = x[i] - y[i]
	}
	mean, sd := stat.MeanStdDev(d, nil)
	c := Comparison{
		Method: MethodPaired,
		NX:     len(x), NY: len(y),
		MeanX: stat.Mean(x, nil), MeanY: stat.Mean(y, nil),
		Diff:   mean,
		StdErr: sd / math.Sqrt(n),
		DF:     n - 1,
	}
	c.finish(level)
	return c, nil
}

// WelchT compares two independent samples by Welch's t test: the difference
// of the means with standard error √(s²x/nx + s²y/ny) and the
// Welch-Satterthwaite degrees of freedom
//
//	(s²x/nx + s²y/ny)² / ((s²x/nx)²/(nx-1) + (s²y/ny)²/(ny-1)).
//
// It takes O(nx+ny) time and returns the errors of [PairedT] but
// ErrLengthMismatch.
func WelchT(x, y []float64, level float64) (Comparison, error) {
	if err := checkTwoSamples(x, y, level); err != nil {
		return Comparison{}, err
	}
	nx, ny := float64(len(x)), float64(len(y))
	mx, vx := stat.MeanVariance(x, nil)
	my, vy := stat.MeanVariance(y, nil)
	ax, ay := vx/nx, vy/ny
	c := Comparison{
		Method: MethodWelch,
		NX:     len(x), NY: len(y),
		MeanX: mx, MeanY: my,
		Diff:   mx - my,
		StdErr: math.Sqrt(ax + ay),
		DF:     nx + ny - 2,
	}
	if ax+ay > 0 {
		c.DF = (ax + ay) * (ax + ay) / (ax*ax/(nx-1) + ay*ay/(ny-1))
	}
	c.finish(level)
	return c, nil
}

// finish fills in T, P and the interval from Diff, StdErr and DF.
func (c *Comparison) finish(level float64) {
	c.Level = level
	switch {
	case c.StdErr > 0:
		c.T = c.Diff / c.StdErr
	case c.Diff == 0:
		c.T = 0
	default:
		c.T = math.Copysign(math.Inf(1), c.Diff)
	}
	switch {
	case c.T == 0:
		c.P = 1
	case math.IsInf(c.T, 0):
		c.P = 0
	default:
		c.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: c.DF}.Survival(math.Abs(c.T))
	}
	c.HalfWidth = tCritical(level, c.DF) * c.StdErr
	c.Low, c.High = c.Diff-c.HalfWidth, c.Diff+c.HalfWidth
}

// checkTwoSamples checks the level, the sizes and the values of two samples.
func checkTwoSamples(x, y []float64, level float64) error {
	if err := checkLevel(level); err != nil {
		return err
	}
	if len(x) < 2 || len(y) < 2 {
		return fmt.Errorf("%w: samples of %d and %d values, want at least 2 each", ErrTooFew, len(x), len(y))
	}
	if err := checkFinite(x); err != nil {
		return fmt.Errorf("first sample: %w", err)
	}
	if err := checkFinite(y); err != nil {
		return fmt.Errorf("second sample: %w", err)
	}
	return nil
}
