package reports

import (
	"fmt"
	"math"

	"github.com/vtsim/vtsim/observe"
)

// Tally is an [observe.Tally] (count, mean, variance, extremes, and the
// values if asked) with the statistics that need a numerical library:
// [Tally.Summary] with a Student-t interval, quantiles and histograms. Its
// zero value is an empty Tally that keeps no values; [NewTally](true) keeps
// them, which quantiles and histograms need.
//
// A Tally is not safe for concurrent use by several goroutines when one of
// them calls Add, Merge or Reset.
type Tally struct {
	observe.Tally
}

// NewTally returns an empty Tally. If keepValues is true it stores every
// value, which quantiles and histograms need; otherwise it is the same as a
// zero Tally.
func NewTally(keepValues bool) *Tally {
	return &Tally{Tally: *observe.NewTally(keepValues)}
}

// Merge adds the observations of other to t, as [observe.Tally.Merge] does.
func (t *Tally) Merge(other *Tally) error { return t.Tally.Merge(&other.Tally) }

// Summary returns the mean, standard deviation and Student-t confidence
// interval at the given level (for example 0.95) of the observations, as
// [Summarize] does for a slice. It returns an error wrapping [ErrLevel] for a
// level outside (0, 1), [ErrEmpty] for no observations and [ErrNotFinite]
// when the mean or variance is not finite.
func (t *Tally) Summary(level float64) (Summary, error) { return SummarizeTally(&t.Tally, level) }

// SummarizeTally is [Tally.Summary] for an [observe.Tally], such as the
// waits a simulation primitive records.
func SummarizeTally(t *observe.Tally, level float64) (Summary, error) {
	if err := checkLevel(level); err != nil {
		return Summary{}, err
	}
	if t.Count() == 0 {
		return Summary{}, ErrEmpty
	}
	sd := math.NaN()
	if t.Count() > 1 {
		sd = t.StdDev()
		if math.IsNaN(sd) || math.IsInf(sd, 0) {
			return Summary{}, fmt.Errorf("%w: standard deviation %v", ErrNotFinite, sd)
		}
	}
	if mean := t.Mean(); math.IsNaN(mean) || math.IsInf(mean, 0) {
		return Summary{}, fmt.Errorf("%w: mean %v", ErrNotFinite, mean)
	}
	return newSummary(t.Count(), t.Mean(), sd, level), nil
}
