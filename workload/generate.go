package workload

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Streams hands out named random streams: the stream called name is
// seeded from a root seed and the name alone, so that adding a stream
// shifts no other. *sim.Env satisfies it (see sim.Env.Rand).
type Streams interface {
	Rand(name string) *rand.Rand
}

// Class is one class of jobs in a [Spec]: how often it arrives, how
// large its jobs are, their weight and their deadlines.
type Class struct {
	// Prob is the class's relative frequency, >= 0; the frequencies of a
	// Spec's classes are divided by their sum, so they need not add up
	// to 1.
	Prob float64
	// Sizes is the class's size distribution; nil means the Spec's.
	Sizes Dist
	// Weight is copied into each job's Weight; 0 means 1.
	Weight float64
	// Slack, if not nil, replaces the Spec's Slack for this class.
	Slack Dist
}

// Spec describes a generated workload. Times are in Unit: with Unit
// time.Second, Poisson(0.9) and Exponential(1) sizes make an M/M/1 at
// load 0.9 with a mean size of one second.
//
// A Job's fields come from these parts:
//
//   - Arrival: the running sum of Arrivals' interarrival times, the
//     first arrival at the first interarrival time (not at 0).
//   - Class: the index of a class drawn from Classes by Prob (0 with no
//     Classes).
//   - Size: a draw of the class's Sizes (or Sizes).
//   - Estimate: Size × a draw of Estimate (a noise factor such as
//     Lognormal(1, 0.5) or Uniform(0.5, 1.5)); Size itself if Estimate
//     is nil, so that size-based policies see exact sizes by default.
//   - Deadline: Arrival + a draw of Slack × Size; 0 (none) if Slack is
//     nil.
//   - Weight: the class's Weight (0, meaning 1, with no Classes).
//   - ID: 1, 2, 3, ... in arrival order. Procs is 0 (one processor).
//
// Every number is converted to time by [ToDuration]; arrival times are
// sums of converted gaps, so they are exact integers with no float drift.
type Spec struct {
	// Arrivals is the arrival process; required.
	Arrivals Arrivals
	// Sizes is the job-size distribution; required unless every class
	// has its own.
	Sizes Dist
	// Estimate is the multiplicative noise on the size as the scheduler
	// sees it; nil means exact estimates.
	Estimate Dist
	// Slack sets deadlines: Deadline = Arrival + slack × Size; nil means
	// no deadlines.
	Slack Dist
	// Classes are the job classes; none means one class made of Sizes
	// and Slack.
	Classes []Class
	// Unit is the time unit of every distribution and rate; 0 means
	// time.Second.
	Unit time.Duration
	// Stream is the prefix of the stream names; "" means "workload".
	// Two workloads in one Env (say, two sources feeding one server) need
	// different prefixes, or they would draw the same numbers.
	Stream string
}

// Stream names, after the Spec's prefix and a slash. Class i >= 0 draws
// its sizes from "sizes/i"; the per-job draws of one stream never depend
// on another stream's distribution.
const (
	streamArrivals  = "arrivals"
	streamClasses   = "classes"
	streamSizes     = "sizes/"
	streamEstimates = "estimates"
	streamDeadlines = "deadlines"
)

// unit returns the Spec's unit with its default.
func (s Spec) unit() time.Duration {
	if s.Unit == 0 {
		return time.Second
	}
	return s.Unit
}

// prefix returns the stream prefix with its default.
func (s Spec) prefix() string {
	if s.Stream == "" {
		return "workload"
	}
	return s.Stream
}

// classes returns the Spec's classes, or the single implicit class.
func (s Spec) classes() []Class {
	if len(s.Classes) == 0 {
		return []Class{{Prob: 1}}
	}
	return s.Classes
}

// Validate reports whether the Spec can generate jobs: Arrivals set, a
// size distribution for every class, class frequencies finite and >= 0
// with a positive sum, Unit >= 0. The error wraps [ErrInvalid].
func (s Spec) Validate() error {
	if s.Arrivals == nil {
		return fmt.Errorf("%w: Spec.Arrivals is nil; want an arrival process such as Poisson(rate)", ErrInvalid)
	}
	if s.Unit < 0 {
		return fmt.Errorf("%w: Spec.Unit = %v; want a unit > 0, or 0 for time.Second", ErrInvalid, s.Unit)
	}
	var total float64
	for i, c := range s.classes() {
		if c.Sizes == nil && s.Sizes == nil {
			return fmt.Errorf("%w: class %d has no size distribution and Spec.Sizes is nil; want one of them set", ErrInvalid, i)
		}
		if err := nonNegative("Spec", fmt.Sprintf("Classes[%d].Prob", i), c.Prob); err != nil {
			return err
		}
		if err := nonNegative("Spec", fmt.Sprintf("Classes[%d].Weight", i), c.Weight); err != nil {
			return err
		}
		total += c.Prob
	}
	if !(total > 0) || math.IsInf(total, 1) {
		return fmt.Errorf("%w: Spec class frequencies add up to %v; want a finite sum > 0", ErrInvalid, total)
	}
	return nil
}

// MeanSize returns the mean job size in units, Σ pᵢE[Sᵢ] over the
// classes. The Spec must be valid.
func (s Spec) MeanSize() float64 {
	var total, sum float64
	for _, c := range s.classes() {
		d := c.Sizes
		if d == nil {
			d = s.Sizes
		}
		total += c.Prob
		sum += c.Prob * d.Mean()
	}
	return sum / total
}

// Load returns the offered load ρ = λ·E[S]/c on the given number of
// servers of rate 1. The Spec must be valid; it panics if servers < 1.
func (s Spec) Load(servers int) float64 {
	if servers < 1 {
		panic("workload.Spec.Load: servers < 1")
	}
	return s.Arrivals.Rate() * s.MeanSize() / float64(servers)
}

// WithLoad returns a copy of s whose size distributions (Sizes and every
// class's) are scaled by one common factor so that Load(servers) is rho.
// Arrivals, frequencies and noise are unchanged, so the jobs' order,
// classes and arrival times stay those of s under the same seed. rho
// must be finite and > 0 (above 1 is an overloaded system, which is
// allowed); the error wraps [ErrInvalid]. It panics if servers < 1.
func (s Spec) WithLoad(rho float64, servers int) (Spec, error) {
	if servers < 1 {
		panic("workload.Spec.WithLoad: servers < 1")
	}
	if err := s.Validate(); err != nil {
		return Spec{}, err
	}
	if err := positive("WithLoad", "rho", rho); err != nil {
		return Spec{}, err
	}
	f := rho / s.Load(servers)
	out := s
	var err error
	if s.Sizes != nil {
		if out.Sizes, err = Scale(s.Sizes, f); err != nil {
			return Spec{}, err
		}
	}
	out.Classes = append([]Class(nil), s.Classes...)
	for i := range out.Classes {
		if d := out.Classes[i].Sizes; d != nil {
			if out.Classes[i].Sizes, err = Scale(d, f); err != nil {
				return Spec{}, err
			}
		}
	}
	return out, nil
}

// Generator draws the jobs of a [Spec], one at a time, from named
// streams. Two Generators of the same Spec on Streams with the same seed
// give the same jobs, bit for bit, whatever else the program draws: this
// is what lets two policies be compared on common random numbers.
//
// The streams are PREFIX/arrivals, PREFIX/classes (drawn only with two
// classes or more), PREFIX/sizes/I for class I, PREFIX/estimates (only
// with Estimate) and PREFIX/deadlines (only with a Slack), PREFIX being
// Spec.Stream or "workload". Each job takes its draws from each stream
// in turn, so adding noise or deadlines, or changing one class's sizes,
// leaves every other field of every job as it was.
//
// Next costs O(log classes) plus the draws, and allocates nothing. The
// zero Generator is not usable; a Generator is not safe for concurrent
// use (neither is a stream).
type Generator struct {
	unit               time.Duration
	arr                Interarrivals
	classes            []genClass
	pick               picker
	rClass, rEst, rDdl *rand.Rand
	estimate           Dist
	now                time.Duration
	id                 int64
	err                error
	held               Job  // a job Until drew and did not yield
	holding            bool // whether held is set
}

type genClass struct {
	sizes, slack Dist
	r            *rand.Rand
	weight       float64
}

// NewGenerator returns a Generator of spec's jobs drawing from streams.
// It returns spec's [Spec.Validate] error if spec is invalid, and panics
// if streams is nil.
//
// sim.Env.Rand returns the same stream for the same name, so a second
// Generator with the same Spec.Stream on the same Env shares the first
// one's streams and continues where it is rather than repeating its
// jobs: give each run its own Env (same seed), or each workload of one
// run its own prefix.
func NewGenerator(spec Spec, streams Streams) (*Generator, error) {
	if streams == nil {
		panic("workload.NewGenerator: nil Streams")
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	p := spec.prefix() + "/"
	g := &Generator{
		unit:     spec.unit(),
		arr:      spec.Arrivals.Start(streams.Rand(p + streamArrivals)),
		estimate: spec.Estimate,
	}
	cs := spec.classes()
	hasSlack := false
	probs := make([]float64, len(cs))
	for i, c := range cs {
		gc := genClass{sizes: c.Sizes, slack: c.Slack, weight: c.Weight}
		if gc.sizes == nil {
			gc.sizes = spec.Sizes
		}
		if gc.slack == nil {
			gc.slack = spec.Slack
		}
		gc.r = streams.Rand(p + streamSizes + strconv.Itoa(i))
		g.classes = append(g.classes, gc)
		probs[i] = c.Prob
		hasSlack = hasSlack || gc.slack != nil
	}
	pick, err := cumulative("Spec", "class frequencies", probs)
	if err != nil {
		return nil, err
	}
	g.pick = pick
	if len(cs) > 1 {
		g.rClass = streams.Rand(p + streamClasses)
	}
	if g.estimate != nil {
		g.rEst = streams.Rand(p + streamEstimates)
	}
	if hasSlack {
		g.rDdl = streams.Rand(p + streamDeadlines)
	}
	return g, nil
}

// Next returns the next job in arrival order. It returns false, and
// [Generator.Err] says why, once a time would not fit a time.Duration
// (after about 292 years of virtual time); after that it keeps
// returning false.
func (g *Generator) Next() (Job, bool) {
	if g.holding {
		g.holding = false
		return g.held, true
	}
	if g.err != nil {
		return Job{}, false
	}
	gap, err := ToDuration(g.arr.Next(), g.unit)
	if err == nil && gap < 0 {
		err = fmt.Errorf("%w: interarrival time %v after job %d is negative", ErrRange, gap, g.id)
	}
	if err == nil && gap > math.MaxInt64-g.now {
		err = fmt.Errorf("%w: arrival after %v does not fit a time.Duration", ErrRange, g.now)
	}
	if err != nil {
		g.err = err
		return Job{}, false
	}
	g.now += gap
	g.id++
	ci := 0
	if g.rClass != nil {
		ci = g.pick.draw(g.rClass)
	}
	c := &g.classes[ci]
	size := c.sizes.Rand(c.r)
	if size < 0 {
		err = fmt.Errorf("%w: size %v drawn from %v for job %d is negative", ErrRange, size, c.sizes, g.id)
	}
	j := Job{ID: g.id, Arrival: g.now, Class: ci, Weight: c.weight}
	if err == nil {
		j.Size, err = ToDuration(size, g.unit)
	}
	if err != nil {
		g.err = err
		return Job{}, false
	}
	j.Estimate = j.Size
	if g.estimate != nil {
		if j.Estimate, err = ToDuration(size*g.estimate.Rand(g.rEst), g.unit); err != nil {
			g.err = err
			return Job{}, false
		}
	}
	if c.slack != nil {
		d, err := ToDuration(c.slack.Rand(g.rDdl)*size, g.unit)
		if err == nil && d > math.MaxInt64-j.Arrival {
			err = fmt.Errorf("%w: deadline of job %d does not fit a time.Duration", ErrRange, j.ID)
		}
		if err != nil {
			g.err = err
			return Job{}, false
		}
		j.Deadline = j.Arrival + d
	}
	return j, true
}

// Err returns the reason Next returned false, or nil.
func (g *Generator) Err() error { return g.err }

// All returns the Generator's remaining jobs as an iterator; it ends
// only when Next returns false, so a range loop over it needs a break.
func (g *Generator) All() iter.Seq[Job] {
	return func(yield func(Job) bool) {
		for {
			j, ok := g.Next()
			if !ok || !yield(j) {
				return
			}
		}
	}
}

// Seq returns an iterator over the next n jobs, drawn as the iterator
// is consumed (fewer, with Err set, if time runs out): a finite
// workload for a run that takes an iter.Seq[Job], without a slice.
func (g *Generator) Seq(n int) iter.Seq[Job] {
	return func(yield func(Job) bool) {
		for range n {
			j, ok := g.Next()
			if !ok || !yield(j) {
				return
			}
		}
	}
}

// Until returns an iterator over the next jobs that arrive before t.
// The first job at or after t is kept for the next call of Next (or of
// another iterator), so none is lost.
func (g *Generator) Until(t time.Duration) iter.Seq[Job] {
	return func(yield func(Job) bool) {
		for {
			j, ok := g.Next()
			if !ok {
				return
			}
			if j.Arrival >= t {
				g.held, g.holding = j, true
				return
			}
			if !yield(j) {
				return
			}
		}
	}
}

// Take returns the next n jobs (fewer, with Err set, if time runs out),
// in one allocation.
func (g *Generator) Take(n int) []Job {
	jobs := make([]Job, 0, max(n, 0))
	for range n {
		j, ok := g.Next()
		if !ok {
			break
		}
		jobs = append(jobs, j)
	}
	return jobs
}
