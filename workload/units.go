package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// A modeller's quantities are float64 numbers in a unit of their choice
// (minutes, seconds, milliseconds); virtual time is a time.Duration. The
// helpers below convert between the two by the one rule of [ToDuration],
// and draw durations from a [Dist] on a stream of the Env
// (env.Rand("service")), so a model needs no conversion code of its own.

// MustDuration is [ToDuration] for quantities known to be in range: it
// panics, naming the value and the unit, where ToDuration returns an
// error. It is meant for constants in the program text and for draws of
// distributions whose values fit a time.Duration.
func MustDuration(x float64, unit time.Duration) time.Duration {
	d, err := ToDuration(x, unit)
	if err != nil {
		panic("workload.MustDuration: " + err.Error())
	}
	return d
}

// InUnits converts d to a number of units: d/unit as a float64, the
// inverse of [ToDuration] up to its rounding (InUnits(ToDuration(x, u), u)
// is within half a nanosecond of x·u, in units, except that a non-zero
// quantity below half a nanosecond becomes 1 ns). For instance
// InUnits(90*time.Second, time.Minute) is 1.5. It panics if unit is not
// positive.
func InUnits(d, unit time.Duration) float64 {
	if unit <= 0 {
		panic(fmt.Sprintf("workload.InUnits: unit %v; want a unit > 0 (such as time.Second)", unit))
	}
	return float64(d) / float64(unit)
}

// Draw returns one draw of dist from r as a duration: dist.Rand(r) units
// of unit, converted by [ToDuration]. A positive draw is never less than
// one nanosecond, so a loop that sleeps for successive draws always moves
// virtual time forward. It panics if unit is not positive or the draw does
// not fit a time.Duration (±292 years).
func Draw(dist Dist, r *rand.Rand, unit time.Duration) time.Duration {
	d, err := ToDuration(dist.Rand(r), unit)
	if err != nil {
		panic("workload.Draw: " + dist.String() + ": " + err.Error())
	}
	return d
}

// Gamma returns the gamma distribution of the given shape k and scale θ:
// density x^(k−1)e^(−x/θ) / (Γ(k)θᵏ), mean kθ, variance kθ². Shape 1 is the
// exponential of mean θ, an integer shape the Erlang distribution
// ([Erlang] takes the mean instead of the scale). Both must be finite and
// > 0. Draws are gonum's distuv.Gamma.
func Gamma(shape, scale float64) (Dist, error) {
	if err := positive("Gamma", "shape", shape); err != nil {
		return nil, err
	}
	if err := positive("Gamma", "scale", scale); err != nil {
		return nil, err
	}
	return gamma{shape, scale}, nil
}

type gamma struct{ shape, scale float64 }

func (d gamma) Rand(r *rand.Rand) float64 {
	return distuv.Gamma{Alpha: d.shape, Beta: 1 / d.scale, Src: r}.Rand()
}
func (d gamma) Mean() float64     { return d.shape * d.scale }
func (d gamma) Variance() float64 { return d.shape * d.scale * d.scale }
func (d gamma) String() string    { return fmt.Sprintf("Gamma(shape=%g, scale=%g)", d.shape, d.scale) }

// Triangular returns the triangular distribution on [lo, hi] with the
// given mode: mean (lo+mode+hi)/3, variance
// (lo²+mode²+hi²−lo·mode−lo·hi−mode·hi)/18. It needs 0 <= lo <= mode <= hi,
// lo < hi, all finite. Draws are gonum's distuv.Triangle (inversion of the
// CDF).
func Triangular(lo, mode, hi float64) (Dist, error) {
	for _, p := range []struct {
		name string
		v    float64
	}{{"lo", lo}, {"mode", mode}, {"hi", hi}} {
		if err := nonNegative("Triangular", p.name, p.v); err != nil {
			return nil, err
		}
	}
	if !(lo <= mode && mode <= hi && lo < hi) {
		return nil, fmt.Errorf("%w: Triangular(lo=%g, mode=%g, hi=%g); want lo <= mode <= hi and lo < hi", ErrInvalid, lo, mode, hi)
	}
	return triangular{lo, mode, hi}, nil
}

type triangular struct{ lo, mode, hi float64 }

func (d triangular) Rand(r *rand.Rand) float64 {
	return distuv.NewTriangle(d.lo, d.hi, d.mode, r).Rand()
}
func (d triangular) Mean() float64 { return (d.lo + d.mode + d.hi) / 3 }
func (d triangular) Variance() float64 {
	a, c, b := d.lo, d.mode, d.hi
	return math.Max(0, (a*a+b*b+c*c-a*b-a*c-b*c)/18)
}
func (d triangular) String() string {
	return fmt.Sprintf("Triangular(lo=%g, mode=%g, hi=%g)", d.lo, d.mode, d.hi)
}
