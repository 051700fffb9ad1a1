package sim

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/observe"
)

// Stats records a primitive's statistics over virtual time. A primitive
// (a Queue here; a Resource, Store or Container in package resource)
// records nothing until its EnableStats is called; with statistics off, its
// operations pay one nil-pointer check each and allocate nothing more.
//
// A request is a call that may wait: a Resource request, Put and Get of a
// store, queue or container (Queue.PutNowait and GetNowait are not
// requests, but change the items held). A request that waits counts in
// QueueLength from its call until it resumes: a request handed what it asked
// for, cancelled or interrupted leaves the queue at that instant of virtual
// time, so the record is exact. A request that succeeds adds its wait (time
// granted − time requested, zero if it did not wait) to Waits, in seconds,
// and one to Served; one that fails (cancelled, interrupted, shut down, bad
// amount) adds neither. A request refused at once because the primitive's
// waiting room is full (a bounded Resource or Store in package resource)
// adds one to Refused and nothing else. Requests already waiting when
// EnableStats is called are not counted.
//
// The fields are the records themselves: read them with their methods at
// the Env's current time, e.g. s.QueueLength.MeanAt(env.Now()), or call
// Reset to start a new interval (after a warm-up, say). Package reports
// turns Waits into a confidence interval (reports.SummarizeTally).
//
// Units: everything a Stats holds in time is in virtual time. Waits keeps
// float64 seconds (WaitUnit), the unit in which reports summarises and
// prints durations, and [Stats.MeanWait] and [Stats.MaxWait] give the
// same figures as time.Duration values, the unit of Env.Now and of every
// sleep; QueueLength and InUse are counts averaged over virtual time.
//
// A primitive written outside this package records with [NewStats],
// [Stats.Enter], [Stats.Leave], [Stats.Serve], [Stats.Refuse] and
// [Stats.SetLevel]. A Stats must only be used on the Env's goroutine.
type Stats struct {
	QueueLength observe.TimeWeighted // waiting requests over time
	InUse       observe.TimeWeighted // resources: units in use; containers: level; queues/stores: items held
	Waits       observe.Tally        // waiting time of each served request, in WaitUnit (seconds)
	Served      int                  // requests served
	Refused     int                  // requests refused at once: the waiting room was full (balking, M/M/c/K loss)

	env     *Env
	waiting int
}

// WaitUnit is the unit of the values in [Stats.Waits]: each wait is
// recorded as wait/WaitUnit, a float64 number of seconds.
const WaitUnit = time.Second

// MeanWait returns the mean wait of the served requests as a duration,
// rounded to the nanosecond; 0 if none was served.
func (s *Stats) MeanWait() time.Duration { return waitDuration(s.Waits.Mean(), s.Waits.Count()) }

// MaxWait returns the longest wait of a served request as a duration; 0
// if none was served.
func (s *Stats) MaxWait() time.Duration { return waitDuration(s.Waits.Max(), s.Waits.Count()) }

// waitDuration converts x WaitUnits to a duration, 0 for no observations.
func waitDuration(x float64, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration(math.Round(x * float64(WaitUnit)))
}

// NewStats returns a Stats that starts at env's current time with level
// units, items or matter held and no request waiting. It panics if env is
// nil.
func NewStats(env *Env, level float64) *Stats {
	if env == nil {
		panic("sim: EnableStats called with a nil Env")
	}
	return &Stats{
		QueueLength: *observe.NewTimeWeighted(env.now, 0),
		InUse:       *observe.NewTimeWeighted(env.now, level),
		env:         env,
	}
}

// Reset forgets what s recorded and starts a new interval at the Env's
// current time, with the current queue length and level.
func (s *Stats) Reset() {
	now := s.env.now
	s.QueueLength.Reset(now)
	s.InUse.Reset(now)
	s.Waits.Reset()
	s.Served = 0
	s.Refused = 0
}

// Enter records a request that starts to wait now.
func (s *Stats) Enter() {
	s.waiting++
	s.QueueLength.Set(s.env.now, float64(s.waiting))
}

// Leave records a request, which started to wait at since, leaving the
// queue now; served says whether it got what it asked for.
func (s *Stats) Leave(since time.Duration, served bool) {
	s.waiting--
	s.QueueLength.Set(s.env.now, float64(s.waiting))
	if served {
		s.Serve(since)
	}
}

// Serve records a request, made at since, served now.
func (s *Stats) Serve(since time.Duration) {
	s.Waits.Add((s.env.now - since).Seconds())
	s.Served++
}

// Refuse records a request refused at once, without waiting.
func (s *Stats) Refuse() { s.Refused++ }

// SetLevel records the units in use, items held or level, now.
func (s *Stats) SetLevel(level float64) {
	s.InUse.Set(s.env.now, level)
}
