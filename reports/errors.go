package reports

import (
	"errors"

	"github.com/vtsim/vtsim/observe"
)

// Sentinel errors. Functions wrap them with the offending value, so test
// for them with [errors.Is].
var (
	// ErrEmpty reports a statistic asked of no observations.
	ErrEmpty = errors.New("reports: no observations")
	// ErrValuesNotKept reports a quantile or histogram asked of a Tally that
	// does not keep its values (see [NewTally]).
	ErrValuesNotKept = errors.New("reports: the tally does not keep its values; create it with NewTally(true)")
	// ErrMergeValues reports a merge that would leave a value-keeping Tally
	// with only some of its values.
	ErrMergeValues = observe.ErrMergeValues
	// ErrProbability reports a probability outside [0, 1].
	ErrProbability = errors.New("reports: probability must be in [0, 1]")
	// ErrDividers reports histogram dividers that are not finite and strictly
	// increasing, or fewer than two of them, or a bin count below one.
	ErrDividers = errors.New("reports: histogram needs at least two finite, strictly increasing dividers")
	// ErrNotFinite reports a NaN or infinite value where a finite one is needed.
	ErrNotFinite = errors.New("reports: value is NaN or infinite")
	// ErrLevel reports a confidence level outside the open interval (0, 1).
	ErrLevel = errors.New("reports: confidence level must be in (0, 1)")
	// ErrDF reports degrees of freedom that are not positive.
	ErrDF = errors.New("reports: degrees of freedom must be positive")
	// ErrTooFew reports too few observations for the procedure asked for.
	ErrTooFew = errors.New("reports: too few observations")
	// ErrLengthMismatch reports paired samples of different lengths.
	ErrLengthMismatch = errors.New("reports: paired samples differ in length")
	// ErrMethod reports an unknown comparison method.
	ErrMethod = errors.New("reports: unknown comparison method")
	// ErrExperiment reports an invalid Experiment or Precision setting, or a
	// nil model.
	ErrExperiment = errors.New("reports: invalid experiment")
	// ErrMetrics reports a replication whose metric names differ from those
	// of replication 0.
	ErrMetrics = errors.New("reports: metric names differ from replication 0")
	// ErrUnknownMetric reports a metric name that no replication reported.
	ErrUnknownMetric = errors.New("reports: unknown metric")
	// ErrPanic reports a model that panicked; the panic value and stack
	// follow in the message.
	ErrPanic = errors.New("reports: model panicked")
)
