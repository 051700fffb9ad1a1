package reports

import (
	"fmt"
	"math"
	"runtime"
)

// DefaultPrecisionBatch is the number of replications added at each step of a
// sequential experiment when [Precision.Batch] is zero.
const DefaultPrecisionBatch = 10

// Replication identifies one run of a model: its index in the experiment
// (0, 1, ...) and its seed, [ReplicationSeed](root, Index). A model should
// draw all its randomness from streams seeded with Seed (for example
// math/rand/v2's rand.NewPCG(Seed, k) for the k-th stream, or a sim Env
// created with that seed), so that the replication can be run again alone.
type Replication struct {
	Index int
	Seed  uint64
}

// Metrics are the named results of one replication, for example
// {"wait": 1.93, "utilisation": 0.81}. Every replication of an experiment
// must report the same names; values must be finite.
type Metrics map[string]float64

// Model runs one replication and returns its metrics. Replications run on
// several goroutines at once, so a model must not share mutable state
// between calls without synchronisation.
type Model func(rep Replication) (Metrics, error)

// Experiment says how to replicate a model. The zero value is not enough:
// Replications must be set; every other field has a default.
type Experiment struct {
	// Replications is the number of replications, at least 1. With
	// Precision set it is the first (minimum) number; 10 or more is
	// advisable, since the stopping rule trusts the first standard
	// deviations it sees.
	Replications int
	// Seed is the root seed from which each replication's seed is derived
	// with [ReplicationSeed].
	Seed uint64
	// Workers is the number of goroutines running replications; 0 means
	// runtime.GOMAXPROCS(0). It changes the speed, never the result.
	Workers int
	// Level is the confidence level of the summaries; 0 means
	// [DefaultLevel].
	Level float64
	// Precision, if not nil, makes the experiment sequential: it runs more
	// replications until a metric is known to a relative precision.
	Precision *Precision
}

// Precision is a sequential stopping rule in the manner of the relative
// precision procedure of Law (Simulation Modeling and Analysis, 5th ed.,
// 2015, chapter 9, "obtaining a specified precision"): after Experiment.Replications replications, and then after every
// Batch more, stop as soon as the confidence interval of Metric has a
// [Summary.RelHalfWidth] at most RelHalfWidth, or when MaxReplications have
// run.
//
// The rule is checked only at these batch boundaries, on the replications
// 0..n-1 in index order, so the number run and the result are the same
// whatever the number of workers (checking after every replication as it
// finishes would depend on timing). Stopping on a random precision makes the
// coverage a little lower than the nominal level when few replications run.
type Precision struct {
	// Metric names the metric whose precision decides.
	Metric string
	// RelHalfWidth is the target relative half-width, for example 0.05 for
	// ±5% of the mean; it must be positive.
	RelHalfWidth float64
	// MaxReplications caps the number of replications; it must be at least
	// Experiment.Replications.
	MaxReplications int
	// Batch is the number of replications added between checks; 0 means
	// [DefaultPrecisionBatch].
	Batch int
}

// settings is an Experiment with defaults applied and checked.
type settings struct {
	n, workers, max, batch int
	seed                   uint64
	level, target          float64
	metric                 string
	sequential             bool
}

// settings validates e and fills in the defaults.
func (e Experiment) settings() (settings, error) {
	s := settings{n: e.Replications, seed: e.Seed, workers: e.Workers, level: e.Level}
	if s.n < 1 {
		return s, fmt.Errorf("%w: Replications = %d, want at least 1", ErrExperiment, s.n)
	}
	switch {
	case s.workers < 0:
		return s, fmt.Errorf("%w: Workers = %d, want 0 (GOMAXPROCS) or more", ErrExperiment, s.workers)
	case s.workers == 0:
		s.workers = runtime.GOMAXPROCS(0)
	}
	if s.level == 0 {
		s.level = DefaultLevel
	}
	if !(s.level > 0 && s.level < 1) {
		return s, fmt.Errorf("%w: Level = %v, want 0 (for %v) or a number in (0, 1)", ErrExperiment, s.level, DefaultLevel)
	}
	s.max = s.n
	p := e.Precision
	if p == nil {
		return s, nil
	}
	s.sequential, s.metric, s.target, s.max, s.batch = true, p.Metric, p.RelHalfWidth, p.MaxReplications, p.Batch
	if !(s.target > 0) || math.IsInf(s.target, 1) {
		return s, fmt.Errorf("%w: Precision.RelHalfWidth = %v, want a positive finite number", ErrExperiment, s.target)
	}
	if s.max < s.n {
		return s, fmt.Errorf("%w: Precision.MaxReplications = %d, want at least Replications (%d)", ErrExperiment, s.max, s.n)
	}
	switch {
	case s.batch < 0:
		return s, fmt.Errorf("%w: Precision.Batch = %d, want 0 (default %d) or more", ErrExperiment, s.batch, DefaultPrecisionBatch)
	case s.batch == 0:
		s.batch = DefaultPrecisionBatch
	}
	return s, nil
}
