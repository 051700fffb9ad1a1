package resource

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// Errors of bounded waiting rooms and of units held at a task's end. Check
// them with errors.Is.
var (
	// ErrRefused is returned at once by a request that would have to wait
	// while the waiting room is full: a Resource's Request (see
	// Resource.SetQueueLimit) or a Store's Put (see Store.SetPutQueueLimit).
	// The request leaves no trace but one more Refused in the statistics.
	ErrRefused = errors.New("resource: refused: the waiting room is full")
	// ErrHeldAtEnd matches the *HeldAtEndError that Run reports for a task
	// that ended holding units of a Resource.
	ErrHeldAtEnd = errors.New("resource: task ended holding units")
)

// SetQueueLimit bounds r's waiting room to n requests and returns r: a
// request that finds no free unit while n requests wait is refused at once
// with ErrRefused (a loss or balking system: M/M/c/K with K = capacity + n;
// n = 0 is Erlang's loss system M/M/c/c). A refusal counts in the
// statistics' Refused and nowhere else. A preempting request that takes a
// holder's unit does not wait and is never refused. A negative n removes the
// limit (the default). Lowering the limit below the number of requests
// waiting refuses only the requests that come after.
func (r *Resource) SetQueueLimit(n int) *Resource {
	r.maxQueue = max(n, -1)
	return r
}

// QueueLimit returns the bound set by SetQueueLimit, or -1 if there is none.
func (r *Resource) QueueLimit() int { return r.maxQueue }

// full reports whether the waiting room is full, and counts the refusal of
// the request that found it so.
func (r *Resource) full() bool {
	if r.maxQueue < 0 || r.q.Len() < r.maxQueue {
		return false
	}
	if r.stats != nil {
		r.stats.Refuse()
	}
	return true
}

// HeldAtEndError reports a task that ended holding units of a Resource. The
// units were released at the task's end and handed on to the waiting
// requests. It matches ErrHeldAtEnd.
type HeldAtEndError struct {
	// Task is the name of the task that ended.
	Task string
	// At is the virtual time the task ended.
	At time.Duration
	// Units is the number of units it held.
	Units int
	// Resource is the resource the units belong to.
	Resource *Resource
}

// Error names the task, the time, the units and the resource.
func (e *HeldAtEndError) Error() string {
	return fmt.Sprintf("resource: task %q ended at %v holding %d unit(s) of %v; they were released (call Release before the task ends, or hand the unit to another task with Resource.Transfer)",
		e.Task, e.At, e.Units, e.Resource)
}

// Is reports whether target is ErrHeldAtEnd.
func (e *HeldAtEndError) Is(target error) bool { return target == ErrHeldAtEnd }

// taskEnded is r's sim.EndWatch for its holders: it releases the units
// p's task still holds, forgets the preemptions it did not acknowledge, and
// reports the units.
func (r *Resource) taskEnded(p *sim.Proc) error {
	for r.forgive(p) {
	}
	n := 0
	for r.dropIf(p, false) { // a Request's unit outlives its helper task
		n++
	}
	if n == 0 {
		return nil
	}
	r.grant()
	return &HeldAtEndError{Task: p.Name(), At: p.Now(), Units: n, Resource: r}
}

// Transfer hands one unit held by from's task to to's task, which then
// releases it (a helper task that requests a unit for the task it works
// for hands it over before it ends). The unit keeps its priority; its use
// counts from the transfer. It may be called from anywhere on the Env's
// goroutine. It panics if from's task holds no unit of r of its own (a unit
// granted to a Request is released with Request.Release, not transferred),
// or if to's task has ended.
func (r *Resource) Transfer(from, to *sim.Proc) {
	for i := len(r.users) - 1; i >= 0; i-- {
		if r.users[i].p == from && r.users[i].req == nil {
			if to.Ended() {
				panic(fmt.Sprintf("resource: Resource.Transfer to task %q, which has ended", to.Name()))
			}
			to.WatchEnd(&r.ends)
			r.users[i].p, r.users[i].since = to, to.Now()
			return
		}
	}
	panic(fmt.Sprintf("resource: Resource.Transfer from task %q, which holds no unit of %v of its own (a Request's unit is released with Request.Release)", from.Name(), r))
}

// SetName names r in reports (deadlock reports, HeldAtEndError) and returns
// r.
func (r *Resource) SetName(name string) *Resource {
	r.name = name
	r.q.Init(fmt.Sprintf("Resource %q", name))
	return r
}

// String returns `Resource "name"`, or "a Resource" if r has no name, and
// its capacity.
func (r *Resource) String() string {
	if r.name == "" {
		return fmt.Sprintf("a Resource of capacity %d", r.capacity)
	}
	return fmt.Sprintf("Resource %q of capacity %d", r.name, r.capacity)
}

// SetPutQueueLimit bounds the number of Puts that may wait for room in s
// to n and returns s: a Put that finds s full (or finds Puts waiting
// already) while n Puts wait is refused at once with ErrRefused, counted in
// the statistics' Refused. With n = 0, a full store refuses every Put: a
// store of capacity K whose items are customers is an M/M/1/K waiting room
// that loses arrivals. A negative n removes the limit (the default). Gets
// are never refused.
func (s *Store[T]) SetPutQueueLimit(n int) *Store[T] {
	s.maxPuts = max(n, -1)
	return s
}

// PutQueueLimit returns the bound set by SetPutQueueLimit, or -1 if there
// is none.
func (s *Store[T]) PutQueueLimit() int { return s.maxPuts }

// putsFull reports whether the put queue is full, and counts the refusal of
// the Put that found it so.
func (s *Store[T]) putsFull() bool {
	if s.maxPuts < 0 || s.putters.Len() < s.maxPuts {
		return false
	}
	if s.stats != nil {
		s.stats.Refuse()
	}
	return true
}
