// Package reports is the output analysis of vtsim: observations of a model,
// replications with confidence intervals, warm-up deletion and batch means
// for single long runs, and comparisons of configurations. It takes plain
// values and virtual timestamps (float64 and time.Duration) and depends on no
// other package of vtsim, so that the simulation packages may record their
// statistics here. Distributions, quantiles and critical values come from
// gonum (stat, stat/distuv); only what gonum lacks is written here. Nothing in
// the package uses a global random source.
//
// # Observations
//
// [Tally] accumulates values one at a time (waiting times, sizes): count,
// sum, mean, sample variance, minimum and maximum in O(1) time and memory per
// value, with Welford's update, so that values with a large common offset keep
// their precision. Its zero value is empty, ready to use and keeps no
// values; [NewTally](true) also stores the values, which [Tally.Quantile],
// [Tally.Quantiles], [Tally.Histogram] and [Tally.HistogramBins] need
// (O(n log n) each: they sort a copy). Quantiles are the empirical
// (inverse distribution function) quantiles of gonum's stat.Quantile;
// [QuantileSorted] gives the same quantile of a slice the caller has sorted,
// in O(1).
//
// [TimeWeighted] records a level over virtual time (a queue length, busy
// servers): [TimeWeighted.Set] and [TimeWeighted.Add] change it at a time
// no earlier than the last change, in O(1). [TimeWeighted.Stats] gives the
// exact time-weighted mean, variance, minimum and maximum as of a time now,
// counting the current level up to now; [TimeWeighted.Levels] gives the time
// spent at each level. Its zero value holds level 0 from time 0.
//
// Both merge: [Tally.Merge] and [TimeWeighted.Merge] combine two records as
// if one had seen everything, in O(1) (plus the stored values or levels).
// Neither is safe for concurrent use while it is being changed.
//
// # Summaries and confidence intervals
//
// [Summarize] turns values (one per independent replication) into a
// [Summary]: N, mean, standard deviation and the Student-t confidence
// interval at a level, with its relative half-width. [TCritical] is the
// t critical value. With N = 1 there is no interval: the half-width is +Inf,
// the interval (-Inf, +Inf) and the standard deviation NaN. With zero
// variance the interval is the single point Mean.
//
// # Replications
//
// [Replicate] runs a [Model] for the replications of an [Experiment] on
// several goroutines. Replication i gets the seed [ReplicationSeed](root, i),
// a SplitMix64 output, so the same index has the same seed in every
// configuration (common random numbers) and any replication can be run again
// alone. Results are gathered by index and metrics sorted by name, so the
// [Result] is identical whatever the number of workers. With a [Precision]
// the experiment is sequential: it adds replications in fixed batches until a
// metric's relative half-width reaches a target, checking only at batch
// boundaries so that the stopping point does not depend on the workers
// either.
//
// [ReplicateConfigs] runs several [Config]s over the same replications (the
// same seeds: common random numbers) and compares each with a baseline, pair
// by pair, in one [ConfigsResult] ([WriteConfigsText], [WriteConfigsMarkdown],
// [ConfigsTable]). A metric a replication lacks (omitted or NaN: an empty
// bin, a class with no arrivals) is summarised and compared over the
// replications that have it; a [Ratio] pools a sum and a count over the
// replications instead ([SummarizeRatio], with its delta-method standard
// error; [Summary.StdErr] gives any summary's). Common random numbers need
// each entity's random quantities drawn at its arrival from a stream of
// their own (see ReplicateConfigs).
//
// # Single long runs
//
// [MSER5] (and [MSER] for another batch size) finds how many observations
// of a transient start to delete. [BatchMeans] gives a confidence interval
// for a steady-state mean from one long run, and flags batch means that are
// still correlated.
//
// # Comparisons
//
// [PairedT] compares two configurations run under common random numbers,
// replication i with replication i; [WelchT] compares independent samples.
// Both give the difference of the means, its interval, the t statistic, the
// degrees of freedom and the two-sided p-value in a [Comparison].
// [CompareToBaseline] ranks several configurations against a baseline.
//
// # Writers
//
// WriteResultText, WriteResultMarkdown, WriteResultCSV and WriteResultJSON
// write a Result (an aligned table for terminals, Markdown, CSV, and JSON
// with stable lower_snake_case fields, the seed and a version, NaN and Inf as
// null); the WriteComparison functions do the same for ranked comparison
// rows, and the WriteTable functions write any [Table] of text cells with
// the same layout ([JSONFloat] encodes numbers as the JSON writers do).
// WriteFileAtomic writes a file through a temporary file and a rename,
// so that a crash never leaves half a report. Charts and the HTML report are
// in the sub-package reports/html, progress bars in reports/progress, and
// Chrome trace-event JSON in reports/trace, so that importing reports pulls in
// no plotting or terminal library.
//
// # Errors
//
// Functions that take data or settings return an error for bad input or a
// failed run: too few observations, NaN or infinite values, a confidence
// level outside (0, 1), an invalid Experiment, a failed replication. They
// wrap the sentinel errors of this package (ErrEmpty, ErrNotFinite, ...), which
// [errors.Is] recognises; a failed replication is a [*ReplicationError] with
// its index and seed. Accessors of a Tally return NaN when the statistic is
// undefined (the mean of nothing, the variance of one value), as gonum does.
// Only a programmer's mistake panics: a negative index for
// [ReplicationSeed]; on a [TimeWeighted] (package observe's), a time before
// the last change or a level that is not finite.
package reports
