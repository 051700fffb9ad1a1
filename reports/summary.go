package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultLevel is the confidence level that settings structs use when their
// Level field is zero.
const DefaultLevel = 0.95

// Summary describes a set of values, typically one metric over independent
// replications: their number, mean, sample standard deviation and a
// Student-t confidence interval for the mean,
//
//	Mean ± t_{(1+Level)/2, N-1} · StdDev / √N.
//
// With N = 1 there is no interval: StdDev is NaN, HalfWidth and
// RelHalfWidth are +Inf and the interval [Low, High] is the whole real line
// (-Inf, +Inf), which covers the mean with certainty and tells nothing. With
// zero variance the interval is the point [Mean, Mean].
type Summary struct {
	N      int
	Mean   float64
	StdDev float64
	// Level is the confidence level of the interval, for example 0.95.
	Level float64
	// HalfWidth is half the width of the confidence interval.
	HalfWidth float64
	// Low and High are Mean - HalfWidth and Mean + HalfWidth.
	Low, High float64
	// RelHalfWidth is HalfWidth / |Mean|, the relative precision. It is 0
	// when HalfWidth is 0 and +Inf when only the mean is 0.
	RelHalfWidth float64
}

// Summarize returns the Summary of values at the confidence level (for example
// 0.95). The mean and standard deviation are gonum's stat.MeanStdDev (a
// corrected two-pass algorithm) and the critical value is [TCritical]. It
// takes O(n) time.
//
// It returns an error wrapping [ErrLevel] if level is not in (0, 1),
// [ErrEmpty] if values is empty and [ErrNotFinite] if a value is NaN or
// infinite.
func Summarize(values []float64, level float64) (Summary, error) {
	if err := checkLevel(level); err != nil {
		return Summary{}, err
	}
	if err := checkFinite(values); err != nil {
		return Summary{}, err
	}
	switch len(values) {
	case 0:
		return Summary{}, ErrEmpty
	case 1:
		return newSummary(1, values[0], math.NaN(), level), nil
	}
	mean, sd := stat.MeanStdDev(values, nil)
	return newSummary(len(values), mean, sd, level), nil
}

// TCritical returns the two-sided critical value of Student's t distribution
// with df degrees of freedom at the confidence level: the
// (1+level)/2 quantile, for instance 2.262 for level 0.95 and df 9. It is
// gonum's distuv.StudentsT quantile (which uses no random source); df may be
// +Inf, which gives the normal quantile (1.960 for 0.95). It returns an error
// wrapping [ErrLevel] or [ErrDF] for a level outside (0, 1) or a df that is
// not positive.
func TCritical(level, df float64) (float64, error) {
	if err := checkLevel(level); err != nil {
		return math.NaN(), err
	}
	if !(df > 0) {
		return math.NaN(), fmt.Errorf("%w: got %v", ErrDF, df)
	}
	return tCritical(level, df), nil
}

// tCritical is TCritical for arguments already checked.
func tCritical(level, df float64) float64 {
	p := (1 + level) / 2
	if math.IsInf(df, 1) {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// newSummary builds a Summary from moments already computed.
func newSummary(n int, mean, sd, level float64) Summary {
	s := Summary{N: n, Mean: mean, StdDev: sd, Level: level}
	if n < 2 {
		s.StdDev = math.NaN()
		s.HalfWidth = math.Inf(1)
		s.Low, s.High = math.Inf(-1), math.Inf(1)
		s.RelHalfWidth = math.Inf(1)
		return s
	}
	s.HalfWidth = tCritical(level, float64(n-1)) * sd / math.Sqrt(float64(n))
	s.Low, s.High = mean-s.HalfWidth, mean+s.HalfWidth
	s.RelHalfWidth = relative(s.HalfWidth, mean)
	return s
}

// relative returns hw / |mean|, 0 when hw is 0.
func relative(hw, mean float64) float64 {
	if hw == 0 {
		return 0
	}
	return hw / math.Abs(mean) // +Inf when mean is 0
}

// checkLevel returns an error unless level is in (0, 1).
func checkLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("%w: got %v", ErrLevel, level)
	}
	return nil
}

// checkFinite returns an error naming the first value that is NaN or
// infinite.
func checkFinite(values []float64) error {
	for i, v := range values {
		if !finite(v) {
			return fmt.Errorf("%w: value %d is %v", ErrNotFinite, i, v)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
