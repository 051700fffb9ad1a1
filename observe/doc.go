// Package observe records observations for statistics: a [Tally] of values
// (count, mean, variance, extremes) and a [TimeWeighted] level over virtual
// time (a queue length, the units in use). It depends on the standard
// library only, so that the simulation engine, whose primitives record into
// these types, links no numerical library; package reports builds
// confidence intervals, quantiles and histograms on them.
//
// # Errors and panics
//
// Times passed to a TimeWeighted must never go backwards, and levels must be
// finite: a violation is a programmer mistake and panics with a message
// naming the method, the time and the last change. Merging a Tally that does
// not keep values into one that does returns an error matching
// [ErrMergeValues].
//
// Nothing here is safe for concurrent use while one goroutine changes a
// record.
package observe

import "errors"

// ErrMergeValues reports a merge that would leave a value-keeping Tally with
// only some of its values.
var ErrMergeValues = errors.New("observe: cannot merge a tally without values into one that keeps values")
