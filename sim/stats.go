package sim

import (
	"time"

	"github.com/vtsim/vtsim/reports"
)

// Stats records a primitive's statistics over virtual time. A Resource,
// Queue, Store, FilterStore, PriorityStore or Container records nothing
// until its EnableStats is called; with statistics off, its operations pay
// one nil-pointer check each and allocate nothing more.
//
// A request is a call that may wait: Resource.Request and RequestPriority,
// Put and Get of a store, queue or container (FilterStore.GetMatch too;
// Queue.PutNowait and GetNowait are not requests, but change the items
// held). A request that waits counts in QueueLength from its call until it
// resumes: a request handed what it asked for, cancelled or interrupted
// leaves the queue at that instant of virtual time, so the record is exact.
// A request that succeeds adds its wait (time granted − time requested,
// zero if it did not wait) to Waits, in seconds, and one to Served; one
// that fails (cancelled, interrupted, shut down, bad amount) adds neither.
// Requests already waiting when EnableStats is called are not counted.
//
// The fields are the records themselves: read them with their methods at
// the Env's current time, e.g. s.QueueLength.MeanAt(env.Now()), or call
// Reset to start a new interval (after a warm-up, say). A Stats must only
// be used on the Env's goroutine.
type Stats struct {
	QueueLength reports.TimeWeighted // waiting requests over time
	InUse       reports.TimeWeighted // resources: units in use; containers: level; queues/stores: items held
	Waits       reports.Tally        // waiting time of each served request, in seconds
	Served      int                  // requests served

	env     *Env
	waiting int
}

// newStats returns a Stats that starts now with inUse units, items or
// level held and no request waiting.
func newStats(env *Env, inUse float64) *Stats {
	if env == nil {
		panic("sim: EnableStats called with a nil Env")
	}
	return &Stats{
		QueueLength: *reports.NewTimeWeighted(env.now, 0),
		InUse:       *reports.NewTimeWeighted(env.now, inUse),
		env:         env,
	}
}

// Reset forgets what s recorded and starts a new interval at the Env's
// current time, with the current queue length and level.
func (s *Stats) Reset() {
	now := s.env.now
	_ = s.QueueLength.Reset(now) // time never goes backwards on the Env
	_ = s.InUse.Reset(now)
	s.Waits.Reset()
	s.Served = 0
}

// enter records a request that starts to wait.
func (s *Stats) enter() {
	s.waiting++
	_ = s.QueueLength.Set(s.env.now, float64(s.waiting))
}

// leave records a request, which started to wait at since, leaving the
// queue now; it was served if ok.
func (s *Stats) leave(since time.Duration, ok bool) {
	s.waiting--
	_ = s.QueueLength.Set(s.env.now, float64(s.waiting))
	if ok {
		s.served(since)
	}
}

// served records a request, made at since, served now.
func (s *Stats) served(since time.Duration) {
	s.Waits.Add((s.env.now - since).Seconds())
	s.Served++
}

// held records the units in use, items held or level.
func (s *Stats) held(level float64) {
	_ = s.InUse.Set(s.env.now, level)
}
