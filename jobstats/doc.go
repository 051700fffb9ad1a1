// Package jobstats measures scheduling policies from the records of the jobs
// they served ([workload.Record]) and compares policies run over the same
// replications: the metrics and the comparison of vtsim's scheduler
// benchmarking. It reads records only, so it works with any policy engine
// or trace, and depends on reports for the statistics and the writers. The
// HTML page with charts is in the sub-package jobstats/jobhtml, so that
// importing jobstats pulls in no plotting.
//
// # Per job
//
// [Config.Measure] gives a job's response time (Finish - Arrival), wait
// (Start - Arrival), [Slowdown] (response / size) and [BoundedSlowdown]
// (max(1, response / max(size, τ)), Feitelson's definition). Times are in
// Config.Unit, seconds by default, as float64.
//
// # Per run
//
// An [Accumulator] takes a run's records one at a time with
// [Accumulator.Add], in any order, and [Accumulator.Summary] gives a
// [Summary]: for response, wait, slowdown and bounded slowdown the mean, the
// exact sample quantiles p50, p95, p99 and p99.9 and the maximum;
// throughput, utilisation, Jain's fairness index of the slowdowns, the
// deadline-miss rate, the largest and the mean number of jobs in the
// system; the same measures per class; and the mean slowdown per
// logarithmic bin of job size (the fairness plot), an empty bin being
// marked so rather than given a value. [Summary.Metrics] flattens it into
// named values for [reports.Replicate].
//
// # Comparison
//
// [Run] runs several policies over the same replications of a
// [reports.Experiment] (common random numbers), in parallel through
// reports.Replicate, and gives a [Table] of summaries; a Table can also be
// built by hand from summaries obtained elsewhere. [Compare] gives per
// metric and policy the mean with its Student-t interval, and per policy the
// paired-t difference from a baseline with its interval, the policies ranked
// by a chosen metric. [WriteText], [WriteMarkdown], [WriteCSV] and
// [WriteJSON] write it through the writers of reports.
//
// # Zero values, complexity, panics and errors
//
// The zero [Config] and the zero [Accumulator] are ready to use. Add takes
// O(1) amortised time and allocates nothing once the accumulator's memory
// has grown to the size of a run (48 bytes a record, twice that with
// several classes); a Summary selects its quantiles in O(n) expected time
// for n records and sorts the arrival and finish times, O(n log n);
// Compare takes O(p·m·n) for p policies, m metrics and n replications.
// Nothing uses a global random source or the clock, and the outputs are the
// same bytes whatever the number of workers.
//
// Bad input returns an error wrapping one of the sentinel errors of this
// package (ErrConfig, ErrRecord, ErrEmpty, ErrMakespan, ErrPolicies, ErrRuns,
// ErrMetric, ErrPrecision) and saying what was wrong and what is allowed; an invalid
// record given to Add is reported by the next Summary. Only programmer
// mistakes panic: a nil [RunFunc], fewer than one point asked of
// [Accumulator.ResponseCDF].
package jobstats
