package reports

import (
	"time"

	"github.com/vtsim/vtsim/observe"
)

// TimeWeighted is [observe.TimeWeighted]: a level over virtual time with its
// time-weighted statistics. It lives in package observe so that the
// simulation engine can record into it without linking gonum.
type TimeWeighted = observe.TimeWeighted

// TimeStats is [observe.TimeStats].
type TimeStats = observe.TimeStats

// LevelTime is [observe.LevelTime].
type LevelTime = observe.LevelTime

// NewTimeWeighted returns a TimeWeighted that holds level from time start,
// as [observe.NewTimeWeighted] does.
func NewTimeWeighted(start time.Duration, level float64) *TimeWeighted {
	return observe.NewTimeWeighted(start, level)
}
