package workload

import (
	"fmt"
	"math/rand/v2"
)

// Arrivals describes an arrival process: its long-run rate and how to
// draw its interarrival times. Like a [Dist], it is immutable and safe to
// share; the state of a bursty process (which phase it is in) lives in
// the [Interarrivals] that Start returns, so two generators built from the
// same Arrivals never disturb each other.
//
// Times and rates are in the unit of the [Spec] that uses the process:
// Poisson(2) with Unit time.Second is two arrivals a second.
type Arrivals interface {
	// Rate returns the long-run number of arrivals per unit of time.
	Rate() float64
	// Mean returns the long-run mean interarrival time, 1/Rate.
	Mean() float64
	// Start returns a fresh sampler of interarrival times that draws
	// from r only.
	Start(r *rand.Rand) Interarrivals
	// String describes the process and its parameters.
	String() string
}

// Interarrivals is a running arrival process.
type Interarrivals interface {
	// Next returns the time from the previous arrival (or from 0, for the
	// first) to the next one.
	Next() float64
}

// Poisson returns the Poisson process of the given rate: exponential
// interarrival times of mean 1/rate. rate must be finite and > 0.
func Poisson(rate float64) (Arrivals, error) {
	if err := positive("Poisson", "rate", rate); err != nil {
		return nil, err
	}
	return renewal{name: fmt.Sprintf("Poisson(rate=%g)", rate), d: exponential{1 / rate}}, nil
}

// Periodic returns the process with one arrival every interval, the
// first at interval. It draws nothing from its stream. interval must be
// finite and > 0.
func Periodic(interval float64) (Arrivals, error) {
	if err := positive("Periodic", "interval", interval); err != nil {
		return nil, err
	}
	return renewal{name: fmt.Sprintf("Periodic(%g)", interval), d: deterministic{interval}}, nil
}

// Renewal returns the renewal process whose interarrival times are
// independent draws of d: Renewal(H2(1, 4)) is a bursty process with
// rate 1, Renewal(Erlang(k, 1)) a smoother one. d's mean must be > 0.
// It panics if d is nil.
func Renewal(d Dist) (Arrivals, error) {
	if d == nil {
		panic("workload.Renewal: nil Dist")
	}
	if err := positive("Renewal", "mean interarrival", d.Mean()); err != nil {
		return nil, err
	}
	return renewal{name: fmt.Sprintf("Renewal(%v)", d), d: d}, nil
}

type renewal struct {
	name string
	d    Dist
}

func (p renewal) Rate() float64                    { return 1 / p.d.Mean() }
func (p renewal) Mean() float64                    { return p.d.Mean() }
func (p renewal) String() string                   { return p.name }
func (p renewal) Start(r *rand.Rand) Interarrivals { return &renewalRun{p.d, r} }

type renewalRun struct {
	d Dist
	r *rand.Rand
}

func (s *renewalRun) Next() float64 { return s.d.Rand(s.r) }

// MMPP returns the two-state Markov-modulated Poisson process: in state
// 0 it produces arrivals at rate rate0 and leaves for state 1 at rate
// switch0; in state 1, at rates rate1 and switch1. It spends the fraction
// π₀ = switch1/(switch0 + switch1) of its time in state 0, so its
// long-run rate is π₀·rate0 + (1 − π₀)·rate1 (W. Fischer and K.
// Meier-Hellstern, "The Markov-modulated Poisson process (MMPP)
// cookbook", Performance Evaluation 18(2), 1993). It starts in a state
// drawn from that stationary distribution. MMPP(10, 0.1, 1, 0.1), for
// example, has loud bursts (rate 10) of mean length 1 between quiet
// spells (rate 0.1) of mean length 10, for a long-run rate of 1.
//
// Both arrival rates must be finite and >= 0, not both 0; both switching
// rates finite and > 0.
func MMPP(rate0, rate1, switch0, switch1 float64) (Arrivals, error) {
	if err := nonNegative("MMPP", "rate0", rate0); err != nil {
		return nil, err
	}
	if err := nonNegative("MMPP", "rate1", rate1); err != nil {
		return nil, err
	}
	if rate0 == 0 && rate1 == 0 {
		return nil, fmt.Errorf("%w: MMPP rates are both 0; want at least one > 0", ErrInvalid)
	}
	if err := positive("MMPP", "switch0", switch0); err != nil {
		return nil, err
	}
	if err := positive("MMPP", "switch1", switch1); err != nil {
		return nil, err
	}
	return mmpp{rate: [2]float64{rate0, rate1}, sw: [2]float64{switch0, switch1}}, nil
}

type mmpp struct{ rate, sw [2]float64 }

// pi0 returns the fraction of time in state 0.
func (p mmpp) pi0() float64 { return p.sw[1] / (p.sw[0] + p.sw[1]) }

func (p mmpp) Rate() float64 {
	pi0 := p.pi0()
	return pi0*p.rate[0] + (1-pi0)*p.rate[1]
}
func (p mmpp) Mean() float64 { return 1 / p.Rate() }
func (p mmpp) String() string {
	return fmt.Sprintf("MMPP(rates=%g, switches=%g)", p.rate, p.sw)
}
func (p mmpp) Start(r *rand.Rand) Interarrivals {
	s := &mmppRun{p: p, r: r}
	if r.Float64() >= p.pi0() {
		s.state = 1
	}
	return s
}

type mmppRun struct {
	p     mmpp
	r     *rand.Rand
	state int
}

// Next races the state's arrival clock against its switching clock: the
// first of two exponentials is one exponential of the summed rate, and
// it is an arrival with probability λ/(λ + s). Two draws per event.
func (s *mmppRun) Next() float64 {
	var t float64
	for {
		lam, sw := s.p.rate[s.state], s.p.sw[s.state]
		total := lam + sw
		t += s.r.ExpFloat64() / total
		if s.r.Float64()*total < lam {
			return t
		}
		s.state ^= 1
	}
}

// OnOff returns the on/off process: during on periods (durations drawn
// from on) arrivals come as a Poisson process of the given rate; during
// off periods (durations drawn from off) none come. Its long-run rate is
// rate·E[on]/(E[on] + E[off]). With heavy-tailed periods (Lognormal,
// BoundedPareto) it gives the long-range burstiness of measured traffic
// (W. Willinger et al., "Self-similarity through high-variability",
// IEEE/ACM Trans. Networking 5(1), 1997). It starts at the beginning of
// an on period.
//
// rate must be finite and > 0, E[on] > 0; it panics if on or off is nil.
func OnOff(rate float64, on, off Dist) (Arrivals, error) {
	if on == nil || off == nil {
		panic("workload.OnOff: nil Dist")
	}
	if err := positive("OnOff", "rate", rate); err != nil {
		return nil, err
	}
	if err := positive("OnOff", "mean on period", on.Mean()); err != nil {
		return nil, err
	}
	return onOff{rate, on, off}, nil
}

type onOff struct {
	rate    float64
	on, off Dist
}

func (p onOff) Rate() float64 {
	on := p.on.Mean()
	return p.rate * on / (on + p.off.Mean())
}
func (p onOff) Mean() float64 { return 1 / p.Rate() }
func (p onOff) String() string {
	return fmt.Sprintf("OnOff(rate=%g, on=%v, off=%v)", p.rate, p.on, p.off)
}
func (p onOff) Start(r *rand.Rand) Interarrivals {
	return &onOffRun{p: p, r: r, left: p.on.Rand(r)}
}

type onOffRun struct {
	p    onOff
	r    *rand.Rand
	left float64 // time left in the current on period
}

// Next draws an exponential gap; if it ends within the on period, that is
// the arrival (the Poisson process is memoryless, so restarting its clock
// at each period boundary changes nothing); otherwise it skips the rest
// of the period and an off period and tries again in the next on period.
func (s *onOffRun) Next() float64 {
	var t float64
	for {
		e := s.r.ExpFloat64() / s.p.rate
		if e < s.left {
			s.left -= e
			return t + e
		}
		t += s.left + s.p.off.Rand(s.r)
		s.left = s.p.on.Rand(s.r)
	}
}
