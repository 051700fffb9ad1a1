package jobstats

import "errors"

// Sentinel errors. Functions wrap them with what was wrong and what is
// allowed, so test for them with [errors.Is].
var (
	// ErrConfig reports a Config with a negative field.
	ErrConfig = errors.New("jobstats: invalid config")
	// ErrRecord reports a record that cannot be measured: a size that is
	// not positive, a start before the arrival, a finish before the start
	// or a negative number of processors.
	ErrRecord = errors.New("jobstats: invalid record")
	// ErrEmpty reports a summary asked of no records.
	ErrEmpty = errors.New("jobstats: no records")
	// ErrMakespan reports records that all arrived and finished at one
	// instant, which leaves throughput and utilisation undefined.
	ErrMakespan = errors.New("jobstats: makespan is zero")
	// ErrPolicies reports a list of policies that is empty or has an empty
	// or repeated name, or a baseline that is not one of them.
	ErrPolicies = errors.New("jobstats: invalid policies")
	// ErrRuns reports per-replication summaries that do not fit together:
	// policies with different numbers of replications, fewer than two
	// replications, or metric names or Configs that differ between
	// summaries.
	ErrRuns = errors.New("jobstats: summaries do not fit together")
	// ErrMetric reports a metric name that no summary has.
	ErrMetric = errors.New("jobstats: unknown metric")
	// ErrPrecision reports an Experiment with a sequential stopping rule,
	// which a comparison cannot use: every policy must run the same
	// replications.
	ErrPrecision = errors.New("jobstats: a comparison needs a fixed number of replications, not Experiment.Precision")
)
