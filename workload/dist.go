package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a distribution of non-negative numbers: job sizes, interarrival
// times, slack factors, estimate factors. Values are in a unit the caller
// chooses (a [Spec]'s Unit); [ToDuration] turns them into time.
//
// Rand draws one value from r and nothing else: every randomness comes
// from the stream the caller passes (an Env's named stream), never from a
// global source. A Dist is immutable and safe to share between
// generators. The constructors in this package validate their parameters
// and return an error wrapping [ErrInvalid] that says what is allowed.
type Dist interface {
	// Rand returns one draw, using r as the only source of randomness.
	Rand(r *rand.Rand) float64
	// Mean returns the distribution's mean.
	Mean() float64
	// Variance returns the distribution's variance.
	Variance() float64
	// String describes the distribution and its parameters.
	String() string
}

// Must returns v, and panics if err is not nil. It is meant for
// parameters written in the program text, where a bad value is a
// programmer mistake: workload.Must(workload.Exponential(1)).
func Must[T any](v T, err error) T {
	if err != nil {
		panic("workload.Must: " + err.Error())
	}
	return v
}

// ToDuration converts x, a number of units, to a time.Duration: x·unit
// is computed in float64 and rounded to the nearest nanosecond, halves
// away from zero (math.Round), except that a non-zero x never rounds to
// zero: it gives at least one nanosecond of its sign. So a loop that
// sleeps for converted positive quantities always moves virtual time
// forward, however small they are, and 0 stays 0. This is the one
// conversion rule of the package: generated sizes, arrivals and deadlines,
// [Draw] and [MustDuration] all go through it ([InUnits] converts back). It
// returns an error wrapping [ErrRange] if x is NaN or infinite or the
// result does not fit a time.Duration, and one wrapping [ErrInvalid] if
// unit is not positive.
func ToDuration(x float64, unit time.Duration) (time.Duration, error) {
	if unit <= 0 {
		return 0, fmt.Errorf("%w: unit %v; want a unit > 0 (such as time.Second)", ErrInvalid, unit)
	}
	v := math.Round(x * float64(unit))
	// -2^63 is representable; 2^63 is the first value past MaxInt64.
	if !(v >= -(1<<63) && v < 1<<63) {
		return 0, fmt.Errorf("%w: %v × %v does not fit a time.Duration (±292 years)", ErrRange, x, unit)
	}
	switch {
	case v == 0 && x > 0:
		v = 1
	case v == 0 && x < 0:
		v = -1
	}
	return time.Duration(v), nil
}

// positive checks that v is finite and > 0.
func positive(dist, param string, v float64) error {
	if !(v > 0) || math.IsInf(v, 1) {
		return fmt.Errorf("%w: %s %s = %v; want a finite number > 0", ErrInvalid, dist, param, v)
	}
	return nil
}

// nonNegative checks that v is finite and >= 0.
func nonNegative(dist, param string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 1) {
		return fmt.Errorf("%w: %s %s = %v; want a finite number >= 0", ErrInvalid, dist, param, v)
	}
	return nil
}

// Exponential returns the exponential distribution with the given mean
// (rate 1/mean). The mean must be finite and > 0.
func Exponential(mean float64) (Dist, error) {
	if err := positive("Exponential", "mean", mean); err != nil {
		return nil, err
	}
	return exponential{mean}, nil
}

type exponential struct{ mean float64 }

func (d exponential) Rand(r *rand.Rand) float64 {
	return distuv.Exponential{Rate: 1 / d.mean, Src: r}.Rand()
}
func (d exponential) Mean() float64     { return d.mean }
func (d exponential) Variance() float64 { return d.mean * d.mean }
func (d exponential) String() string    { return fmt.Sprintf("Exp(mean=%g)", d.mean) }

// Deterministic returns the distribution that is always v. It draws
// nothing from the stream. v must be finite and >= 0.
func Deterministic(v float64) (Dist, error) {
	if err := nonNegative("Deterministic", "value", v); err != nil {
		return nil, err
	}
	return deterministic{v}, nil
}

type deterministic struct{ v float64 }

func (d deterministic) Rand(*rand.Rand) float64 { return d.v }
func (d deterministic) Mean() float64           { return d.v }
func (d deterministic) Variance() float64       { return 0 }
func (d deterministic) String() string          { return fmt.Sprintf("Det(%g)", d.v) }

// Erlang returns the Erlang distribution of k phases with the given total
// mean: the sum of k exponentials of mean mean/k, with variance mean²/k
// (squared coefficient of variation 1/k). k must be >= 1, mean finite
// and > 0.
func Erlang(k int, mean float64) (Dist, error) {
	if k < 1 {
		return nil, fmt.Errorf("%w: Erlang k = %d; want k >= 1", ErrInvalid, k)
	}
	if err := positive("Erlang", "mean", mean); err != nil {
		return nil, err
	}
	return erlang{k, mean}, nil
}

type erlang struct {
	k    int
	mean float64
}

func (d erlang) Rand(r *rand.Rand) float64 {
	return distuv.Gamma{Alpha: float64(d.k), Beta: float64(d.k) / d.mean, Src: r}.Rand()
}
func (d erlang) Mean() float64     { return d.mean }
func (d erlang) Variance() float64 { return d.mean * d.mean / float64(d.k) }
func (d erlang) String() string    { return fmt.Sprintf("Erlang(k=%d, mean=%g)", d.k, d.mean) }

// Hyperexponential returns the mixture that is exponential of mean
// means[i] with probability probs[i]. Its mean is Σ pᵢmᵢ and its second
// moment Σ 2pᵢmᵢ². The slices must have the same length >= 1, every
// probability must be in [0, 1] and their sum within 1e-9 of 1, every
// mean finite and > 0. The slices are copied.
func Hyperexponential(probs, means []float64) (Dist, error) {
	if len(probs) == 0 || len(probs) != len(means) {
		return nil, fmt.Errorf("%w: Hyperexponential has %d probabilities and %d means; want the same number, at least one", ErrInvalid, len(probs), len(means))
	}
	for i, m := range means {
		if err := positive("Hyperexponential", fmt.Sprintf("means[%d]", i), m); err != nil {
			return nil, err
		}
	}
	cum, err := cumulative("Hyperexponential", "probs", probs)
	if err != nil {
		return nil, err
	}
	if s := cum.total; math.Abs(s-1) > 1e-9 {
		return nil, fmt.Errorf("%w: Hyperexponential probabilities add up to %v; want 1", ErrInvalid, s)
	}
	d := hyperexp{pick: cum, probs: clone(probs), means: clone(means)}
	for i, p := range probs {
		d.mean += p * means[i]
		d.m2 += 2 * p * means[i] * means[i]
	}
	return d, nil
}

// H2 returns the two-phase hyperexponential with the given mean and
// squared coefficient of variation scv = Var/mean² >= 1, with balanced
// means (p₁/μ₁ = p₂/μ₂): p₁ = (1 + √((scv−1)/(scv+1)))/2, p₂ = 1 − p₁,
// phase means mean/(2pᵢ). The construction is the usual two-moment fit
// (W. Whitt, "Approximating a point process by a renewal process, I",
// Operations Research 30(1), 1982). scv = 1 gives the exponential.
func H2(mean, scv float64) (Dist, error) {
	if err := positive("H2", "mean", mean); err != nil {
		return nil, err
	}
	if !(scv >= 1) || math.IsInf(scv, 1) {
		return nil, fmt.Errorf("%w: H2 scv = %v; want a finite squared coefficient of variation >= 1", ErrInvalid, scv)
	}
	p1 := (1 + math.Sqrt((scv-1)/(scv+1))) / 2
	p2 := 1 - p1
	if p2 == 0 {
		return nil, fmt.Errorf("%w: H2 scv = %v is too large to fit two phases in float64", ErrInvalid, scv)
	}
	return Hyperexponential([]float64{p1, p2}, []float64{mean / (2 * p1), mean / (2 * p2)})
}

type hyperexp struct {
	pick         picker
	probs, means []float64
	mean, m2     float64
}

func (d hyperexp) Rand(r *rand.Rand) float64 {
	i := d.pick.draw(r)
	return distuv.Exponential{Rate: 1 / d.means[i], Src: r}.Rand()
}
func (d hyperexp) Mean() float64     { return d.mean }
func (d hyperexp) Variance() float64 { return d.m2 - d.mean*d.mean }
func (d hyperexp) String() string {
	return fmt.Sprintf("Hyperexp(p=%g, mean=%g)", d.probs, d.means)
}

// Lognormal returns the lognormal distribution with the given mean and
// coefficient of variation cv = sd/mean: exp(N(μ, σ²)) with
// σ² = ln(1 + cv²) and μ = ln(mean) − σ²/2. Both must be finite and > 0.
func Lognormal(mean, cv float64) (Dist, error) {
	if err := positive("Lognormal", "mean", mean); err != nil {
		return nil, err
	}
	if err := positive("Lognormal", "cv", cv); err != nil {
		return nil, err
	}
	s2 := math.Log1p(cv * cv)
	return lognormal{mean: mean, cv: cv, mu: math.Log(mean) - s2/2, sigma: math.Sqrt(s2)}, nil
}

type lognormal struct{ mean, cv, mu, sigma float64 }

func (d lognormal) Rand(r *rand.Rand) float64 {
	return distuv.LogNormal{Mu: d.mu, Sigma: d.sigma, Src: r}.Rand()
}
func (d lognormal) Mean() float64     { return d.mean }
func (d lognormal) Variance() float64 { return d.mean * d.mean * d.cv * d.cv }
func (d lognormal) String() string    { return fmt.Sprintf("Lognormal(mean=%g, cv=%g)", d.mean, d.cv) }

// Weibull returns the Weibull distribution with the given shape k and
// scale λ: P(X > x) = exp(−(x/λ)ᵏ), mean λΓ(1+1/k). Shape < 1 gives a
// heavier tail than the exponential (shape 1). Both must be finite and
// > 0.
func Weibull(shape, scale float64) (Dist, error) {
	if err := positive("Weibull", "shape", shape); err != nil {
		return nil, err
	}
	if err := positive("Weibull", "scale", scale); err != nil {
		return nil, err
	}
	return weibull{distuv.Weibull{K: shape, Lambda: scale}}, nil
}

type weibull struct{ w distuv.Weibull }

func (d weibull) Rand(r *rand.Rand) float64 {
	w := d.w
	w.Src = r
	return w.Rand()
}
func (d weibull) Mean() float64     { return d.w.Mean() }
func (d weibull) Variance() float64 { return d.w.Variance() }
func (d weibull) String() string {
	return fmt.Sprintf("Weibull(shape=%g, scale=%g)", d.w.K, d.w.Lambda)
}

// BoundedPareto returns the Pareto distribution of index alpha truncated
// to [lo, hi]: density f(x) = αLᵅx^(−α−1) / (1 − (L/H)ᵅ) on [L, H]. It
// is drawn by inverting the CDF, x = L·(1 − u(1 − (L/H)ᵅ))^(−1/α). Its
// moments follow from the density,
//
//	E[Xᵏ] = αLᵅ/(1 − (L/H)ᵅ) · (Hᵏ⁻ᵅ − Lᵏ⁻ᵅ)/(k − α)   (k ≠ α)
//	E[Xᵏ] = αLᵅ/(1 − (L/H)ᵅ) · ln(H/L)               (k = α),
//
// the form used for job sizes by M. Harchol-Balter, M. Crovella and C.
// Murta ("On choosing a task assignment policy for a distributed server
// system", J. Parallel Distrib. Comput. 59(2), 1999). alpha must be
// finite and > 0, 0 < lo < hi finite.
func BoundedPareto(alpha, lo, hi float64) (Dist, error) {
	if err := positive("BoundedPareto", "alpha", alpha); err != nil {
		return nil, err
	}
	if err := positive("BoundedPareto", "lo", lo); err != nil {
		return nil, err
	}
	if err := positive("BoundedPareto", "hi", hi); err != nil {
		return nil, err
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("%w: BoundedPareto lo = %v, hi = %v; want lo < hi", ErrInvalid, lo, hi)
	}
	d := boundedPareto{alpha: alpha, lo: lo, hi: hi}
	d.ell = math.Log(hi / lo)
	d.mass = -math.Expm1(-alpha * d.ell) // 1 − (L/H)^α
	return d, nil
}

type boundedPareto struct {
	alpha, lo, hi float64
	ell           float64 // ln(H/L)
	mass          float64 // 1 − (L/H)^α
}

func (d boundedPareto) Rand(r *rand.Rand) float64 {
	u := r.Float64()
	x := d.lo * math.Pow(1-u*d.mass, -1/d.alpha)
	return math.Min(x, d.hi) // rounding can overshoot hi by an ulp
}

// moment returns E[X^k], written as αLᵏ/(1 − (L/H)ᵅ) · g(k − α) with
// g(δ) = (e^(δ·ln(H/L)) − 1)/δ and g(0) = ln(H/L), which is the formula in
// the doc of BoundedPareto without cancellation when k is near α.
func (d boundedPareto) moment(k float64) float64 {
	delta := k - d.alpha
	g := d.ell
	if delta != 0 {
		g = math.Expm1(delta*d.ell) / delta
	}
	return d.alpha * math.Pow(d.lo, k) / d.mass * g
}

func (d boundedPareto) Mean() float64 { return d.moment(1) }
func (d boundedPareto) Variance() float64 {
	m := d.moment(1)
	return d.moment(2) - m*m
}
func (d boundedPareto) String() string {
	return fmt.Sprintf("BoundedPareto(alpha=%g, lo=%g, hi=%g)", d.alpha, d.lo, d.hi)
}

// Uniform returns the uniform distribution on [lo, hi). It needs
// 0 <= lo < hi, both finite (use [Deterministic] for a single value).
func Uniform(lo, hi float64) (Dist, error) {
	if err := nonNegative("Uniform", "lo", lo); err != nil {
		return nil, err
	}
	if err := positive("Uniform", "hi", hi); err != nil {
		return nil, err
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("%w: Uniform lo = %v, hi = %v; want lo < hi", ErrInvalid, lo, hi)
	}
	return uniform{lo, hi}, nil
}

type uniform struct{ lo, hi float64 }

func (d uniform) Rand(r *rand.Rand) float64 {
	return distuv.Uniform{Min: d.lo, Max: d.hi, Src: r}.Rand()
}
func (d uniform) Mean() float64 { return (d.lo + d.hi) / 2 }
func (d uniform) Variance() float64 {
	w := d.hi - d.lo
	return w * w / 12
}
func (d uniform) String() string { return fmt.Sprintf("Uniform(%g, %g)", d.lo, d.hi) }

// Empirical returns the distribution that is values[i] with probability
// weights[i]/Σweights; nil weights mean equal weights. Every value must be
// finite and >= 0, every weight finite and >= 0 with a positive sum, and
// the slices of equal length >= 1. The slices are copied. A draw costs
// O(1) and one Float64, by Walker's alias method as built by M. D. Vose
// ("A linear algorithm for generating random numbers with a given
// distribution", IEEE Trans. Software Eng. 17(9), 1991); building it
// costs O(n).
func Empirical(values, weights []float64) (Dist, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: Empirical has no values; want at least one", ErrInvalid)
	}
	if weights == nil {
		weights = make([]float64, len(values))
		for i := range weights {
			weights[i] = 1
		}
	}
	if len(weights) != len(values) {
		return nil, fmt.Errorf("%w: Empirical has %d values and %d weights; want the same number", ErrInvalid, len(values), len(weights))
	}
	for i, v := range values {
		if err := nonNegative("Empirical", fmt.Sprintf("values[%d]", i), v); err != nil {
			return nil, err
		}
	}
	cum, err := cumulative("Empirical", "weights", weights)
	if err != nil {
		return nil, err
	}
	d := empirical{alias: newAlias(weights, cum), values: clone(values)}
	for i, v := range values {
		p := weights[i] / cum.total
		d.mean += p * v
		d.m2 += p * v * v
	}
	return d, nil
}

type empirical struct {
	alias    alias
	values   []float64
	mean, m2 float64
}

func (d empirical) Rand(r *rand.Rand) float64 { return d.values[d.alias.draw(r)] }
func (d empirical) Mean() float64             { return d.mean }
func (d empirical) Variance() float64         { return math.Max(0, d.m2-d.mean*d.mean) }
func (d empirical) String() string            { return fmt.Sprintf("Empirical(n=%d)", len(d.values)) }

// Scale returns d multiplied by factor: draws factor·X, mean factor·E[X],
// variance factor²·Var[X]. It consumes the stream exactly as d does.
// factor must be finite and > 0.
func Scale(d Dist, factor float64) (Dist, error) {
	if d == nil {
		panic("workload.Scale: nil Dist")
	}
	if err := positive("Scale", "factor", factor); err != nil {
		return nil, err
	}
	if s, ok := d.(scaled); ok {
		return scaled{s.d, s.f * factor}, nil
	}
	return scaled{d, factor}, nil
}

type scaled struct {
	d Dist
	f float64
}

func (d scaled) Rand(r *rand.Rand) float64 { return d.f * d.d.Rand(r) }
func (d scaled) Mean() float64             { return d.f * d.d.Mean() }
func (d scaled) Variance() float64         { return d.f * d.f * d.d.Variance() }
func (d scaled) String() string            { return fmt.Sprintf("%g×%v", d.f, d.d) }

// picker draws an index with probability proportional to its weight, by
// binary search over the cumulative weights.
type picker struct {
	cum   []float64
	total float64
	last  int // the last index with a positive weight
}

// cumulative validates weights (finite, >= 0, positive sum) and builds a
// picker over them.
func cumulative(dist, param string, weights []float64) (picker, error) {
	p := picker{cum: make([]float64, len(weights)), last: -1}
	for i, w := range weights {
		if err := nonNegative(dist, fmt.Sprintf("%s[%d]", param, i), w); err != nil {
			return picker{}, err
		}
		p.total += w
		p.cum[i] = p.total
		if w > 0 {
			p.last = i
		}
	}
	if !(p.total > 0) || math.IsInf(p.total, 1) {
		return picker{}, fmt.Errorf("%w: %s %s add up to %v; want a finite sum > 0", ErrInvalid, dist, param, p.total)
	}
	return p, nil
}

// draw returns the first index whose cumulative weight exceeds u·total,
// u uniform in [0, 1); one Float64 from r.
func (p picker) draw(r *rand.Rand) int {
	u := r.Float64() * p.total
	lo, hi := 0, len(p.cum)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p.cum[m] > u {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return min(lo, p.last) // u·total can round up to total
}

// alias is a table for Walker's alias method: index i is kept with
// probability prob[i] and replaced by alias[i] otherwise.
type alias struct {
	prob  []float64
	alias []int32
}

// newAlias builds the table of validated weights (p holds their sum and
// last positive index) by Vose's method.
func newAlias(weights []float64, p picker) alias {
	n := len(weights)
	a := alias{prob: make([]float64, n), alias: make([]int32, n)}
	scaled := make([]float64, n)
	var small, large []int32
	for i, w := range weights {
		scaled[i] = w * float64(n) / p.total
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		a.prob[s], a.alias[s] = scaled[s], l
		scaled[l] += scaled[s] - 1
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, l := range large {
		a.prob[l], a.alias[l] = 1, l
	}
	// Entries left in small are rounding leftovers, whose scaled weight is
	// 1 up to rounding; a zero weight must still never be drawn.
	for _, s := range small {
		if weights[s] > 0 {
			a.prob[s], a.alias[s] = 1, s
		} else {
			a.prob[s], a.alias[s] = 0, int32(p.last)
		}
	}
	return a
}

// draw returns an index: one Float64 picks a column and, from its
// fraction, the column's own index or its alias.
func (a alias) draw(r *rand.Rand) int {
	u := r.Float64() * float64(len(a.prob))
	i := min(int(u), len(a.prob)-1)
	if u-float64(i) < a.prob[i] {
		return i
	}
	return int(a.alias[i])
}

func clone(s []float64) []float64 { return append([]float64(nil), s...) }
