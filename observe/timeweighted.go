package observe

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// TimeWeighted records a level that changes at instants of virtual time (a
// queue length, the number of busy servers, a stock) and gives its
// time-weighted statistics: each level counts in proportion to how long it
// was held. The level is a step function: its value at time t is the last
// level set at or before t, so several changes at the same instant replace
// one another and only the last one is ever held.
//
// The zero value holds level 0 from time 0, which is what a queue or a
// resource starting empty at the start of a simulation needs;
// [NewTimeWeighted] starts elsewhere.
//
// Statistics are exact integrals of the step function, accumulated with a
// weighted Welford update (West 1979), so they cost O(1) memory besides one
// map entry per distinct level. Reads take a time now and count the current
// level up to it; they do not change the record.
//
// A TimeWeighted is not safe for concurrent use when one goroutine changes
// it.
type TimeWeighted struct {
	start  time.Duration // start of the record
	last   time.Duration // time of the last change
	level  float64       // level held since last
	total  time.Duration // time accounted for in acc, including merges
	acc    weightedMoments
	ranged bool // whether min and max hold anything
	min    float64
	max    float64
	levels map[float64]time.Duration
}

// NewTimeWeighted returns a TimeWeighted that holds level from time start.
// It panics if level is NaN or infinite.
func NewTimeWeighted(start time.Duration, level float64) *TimeWeighted {
	if !finite(level) {
		panic(fmt.Sprintf("observe: NewTimeWeighted: level %v is not finite", level))
	}
	return &TimeWeighted{start: start, last: start, level: level + 0}
}

// TimeStats are the time-weighted statistics of a level over the time
// recorded, as of a reading time.
type TimeStats struct {
	// Duration is the time recorded, including merged records.
	Duration time.Duration
	// Mean is the time-weighted mean level, NaN when Duration is 0.
	Mean float64
	// Variance is the time-weighted variance, the mean of the squared
	// deviation from Mean over time (a population variance: there is no n-1),
	// NaN when Duration is 0.
	Variance float64
	// StdDev is the square root of Variance.
	StdDev float64
	// Min and Max are the smallest and largest level held at some time
	// of the record, the level at the reading time included.
	Min, Max float64
	// Level is the level at the reading time.
	Level float64
}

// LevelTime is the total time a level was held.
type LevelTime struct {
	Level float64
	Time  time.Duration
}

// Start returns the start of the record: time 0 for the zero value, the start
// given to [NewTimeWeighted] or the time of the last [TimeWeighted.Reset].
func (w *TimeWeighted) Start() time.Duration { return w.start }

// Last returns the time of the last change (or the start if none).
func (w *TimeWeighted) Last() time.Duration { return w.last }

// Level returns the current level.
func (w *TimeWeighted) Level() float64 { return w.level }

// Set changes the level to level at time at, in O(1). It panics if at is
// before [TimeWeighted.Last] (time never goes backwards on a simulation
// clock) or if level is NaN or infinite.
func (w *TimeWeighted) Set(at time.Duration, level float64) {
	if !finite(level) {
		panic(fmt.Sprintf("observe: TimeWeighted.Set(%v, %v): the level must be finite", at, level))
	}
	w.checkTime("Set", at)
	w.advance(at)
	w.level = level + 0 // turns -0 into 0
}

// Add changes the level by delta at time at. It panics as
// [TimeWeighted.Set] does, and if delta or the new level is not finite.
func (w *TimeWeighted) Add(at time.Duration, delta float64) {
	w.checkTime("Add", at)
	if !finite(delta) || !finite(w.level+delta) {
		panic(fmt.Sprintf("observe: TimeWeighted.Add(%v, %v) to level %v: the delta and the new level must be finite", at, delta, w.level))
	}
	w.Set(at, w.level+delta)
}

// Reset forgets the record and starts a new one at time at with the current
// level, for instance at the end of a warm-up period. It panics if at is
// before [TimeWeighted.Last].
func (w *TimeWeighted) Reset(at time.Duration) {
	w.checkTime("Reset", at)
	*w = TimeWeighted{start: at, last: at, level: w.level}
}

// Stats returns the statistics over the record with the current level held up
// to now, in O(1). It panics if now is before [TimeWeighted.Last].
func (w *TimeWeighted) Stats(now time.Duration) TimeStats {
	w.checkTime("Stats", now)
	acc, total := w.acc, w.total
	acc.add(w.level, float64(now-w.last))
	total += now - w.last
	lo, hi := w.level, w.level
	if w.ranged {
		lo, hi = math.Min(lo, w.min), math.Max(hi, w.max)
	}
	s := TimeStats{Duration: total, Min: lo, Max: hi, Level: w.level, Mean: math.NaN(), Variance: math.NaN(), StdDev: math.NaN()}
	if total > 0 {
		s.Mean = acc.mean
		s.Variance = acc.s / acc.w
		s.StdDev = math.Sqrt(s.Variance)
	}
	return s
}

// MeanAt returns the time-weighted mean as of now (NaN if no time was
// recorded). It panics as [TimeWeighted.Stats] does.
func (w *TimeWeighted) MeanAt(now time.Duration) float64 { return w.Stats(now).Mean }

// Levels returns the time spent at each level as of now, sorted by level;
// levels held for no time are left out. It takes O(m log m) for m distinct
// levels and panics as [TimeWeighted.Stats] does.
func (w *TimeWeighted) Levels(now time.Duration) []LevelTime {
	w.checkTime("Levels", now)
	out := make([]LevelTime, 0, len(w.levels)+1)
	pending := now - w.last
	for level, d := range w.levels {
		if level == w.level {
			d += pending
			pending = 0
		}
		out = append(out, LevelTime{Level: level, Time: d})
	}
	if pending > 0 {
		out = append(out, LevelTime{Level: w.level, Time: pending})
	}
	slices.SortFunc(out, func(a, b LevelTime) int {
		switch {
		case a.Level < b.Level:
			return -1
		case a.Level > b.Level:
			return 1
		}
		return 0
	})
	return out
}

// Merge adds the record of other, with other's current level held up to
// otherNow, to w, as if w had also spent that time at those levels: the
// duration, the moments, the range and the time at each level combine
// (Chan, Golub and LeVeque's pairwise update, weighted by time). w's own
// current level, last change and start do not change; other is not changed
// and may be w itself. It takes O(m) for the m distinct levels of other and
// panics if otherNow is before other.Last().
func (w *TimeWeighted) Merge(other *TimeWeighted, otherNow time.Duration) {
	other.checkTime("Merge", otherNow)
	levels := other.Levels(otherNow)
	s := other.Stats(otherNow)
	acc := other.acc
	acc.add(other.level, float64(otherNow-other.last))
	w.acc.merge(acc)
	w.total += s.Duration
	w.observe(s.Min)
	w.observe(s.Max)
	for _, lt := range levels {
		w.addLevelTime(lt.Level, lt.Time)
	}
}

// checkTime panics if at is before the last change.
func (w *TimeWeighted) checkTime(op string, at time.Duration) {
	if at < w.last {
		panic(fmt.Sprintf("observe: TimeWeighted.%s(%v): time goes backwards (the last change was at %v)", op, at, w.last))
	}
}

// advance accounts for the current level held from the last change to at.
func (w *TimeWeighted) advance(at time.Duration) {
	if at == w.last {
		return
	}
	d := at - w.last
	w.acc.add(w.level, float64(d))
	w.total += d
	w.observe(w.level)
	w.addLevelTime(w.level, d)
	w.last = at
}

// observe widens the range to include level.
func (w *TimeWeighted) observe(level float64) {
	if !w.ranged {
		w.min, w.max, w.ranged = level, level, true
		return
	}
	w.min = math.Min(w.min, level)
	w.max = math.Max(w.max, level)
}

// addLevelTime adds d to the time spent at level.
func (w *TimeWeighted) addLevelTime(level float64, d time.Duration) {
	if d <= 0 {
		return
	}
	if w.levels == nil {
		w.levels = make(map[float64]time.Duration)
	}
	w.levels[level] += d
}

// weightedMoments accumulates a weighted mean and the weighted sum of squared
// deviations from it (West 1979).
type weightedMoments struct {
	w    float64 // total weight
	mean float64
	s    float64 // sum of weight * (x - mean)^2
}

// add records x with weight wt; a weight of zero or less is ignored.
func (m *weightedMoments) add(x, wt float64) {
	if wt <= 0 {
		return
	}
	m.w += wt
	d := x - m.mean
	m.mean += d * (wt / m.w)
	m.s += wt * d * (x - m.mean)
}

// merge adds the moments of o to m.
func (m *weightedMoments) merge(o weightedMoments) {
	if o.w == 0 {
		return
	}
	if m.w == 0 {
		*m = o
		return
	}
	w := m.w + o.w
	d := o.mean - m.mean
	m.mean += d * (o.w / w)
	m.s += o.s + d*d*(m.w*o.w/w)
	m.w = w
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
