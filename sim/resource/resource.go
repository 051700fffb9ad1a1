package resource

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// ErrPreempted matches the interrupt that a holder of a preemptive
// Resource sees when a request of higher priority takes its unit.
var ErrPreempted = errors.New("resource: preempted")

// Preempted is the cause of the interrupt that a holder of a preemptive
// Resource sees at its current wait when a request with a lower priority
// value takes its unit, as in SimPy: the wait returns a *sim.InterruptError
// whose Cause is a *Preempted. The holder has lost the unit: it must not
// call Release for it. The error matches ErrPreempted and
// sim.ErrInterrupted, and errors.As finds the *Preempted in it.
type Preempted struct {
	// By is the task whose request preempted the holder.
	By *sim.Proc
	// UsageSince is the virtual time at which the holder was granted the unit.
	UsageSince time.Duration
	// Resource is the resource the unit belonged to.
	Resource *Resource
}

// Error describes who preempted the holder and since when it held the unit.
func (e *Preempted) Error() string {
	return fmt.Sprintf("preempted by task %q (in use since %v)", e.By.Name(), e.UsageSince)
}

// Is reports whether target is ErrPreempted.
func (e *Preempted) Is(target error) bool { return target == ErrPreempted }

type resourceKind uint8

const (
	fifoResource resourceKind = iota
	priorityResource
	preemptiveResource
)

// holder is a task that holds a unit of a Resource.
type holder struct {
	p     *sim.Proc
	prio  int
	since time.Duration
	req   *Request // the Request (the future form) it is held for, which any task releases; nil: the task's own
}

// prioWaiter is a waiting request of a priority Resource.
type prioWaiter struct {
	p    *sim.Proc
	prio int
}

// Resource is SimPy's Resource on virtual time: capacity units that tasks
// request, use and release. A unit that is released is handed at once to
// the first waiting request, so requests are served in order: first come,
// first served for NewResource, by priority then arrival for
// NewPriorityResource and NewPreemptiveResource. It is cancellation-safe: a
// request cancelled or interrupted while it waits, even just after it was
// handed a unit, leaves the resource as if it had never asked.
//
// A unit belongs to the task that requested it; Release must be called from
// that task, or the unit handed to another task with Transfer. A task that
// ends holding units (returns, fails or is cancelled without releasing
// them) does not keep them: they are released at its end, handed on to the
// waiting requests, and the next Run method reports the leak as a failure
// nobody read, a *HeldAtEndError naming the task and the resource (tasks
// that Env.Close unwinds are not reported). A holder that was preempted holds no unit, and its Release of
// the unit it lost does nothing (as in SimPy), so that a holder whose wait
// returned a cancellation before it learnt of the preemption may release as
// usual. The zero Resource is not usable; create one with NewResource,
// NewPriorityResource or NewPreemptiveResource. Its methods must be called on
// the Env's goroutine.
//
// Request and Count are O(1) for NewResource, Release O(capacity) (it finds
// the caller among the holders); the priority variants take O(waiters) to
// queue a request.
type Resource struct {
	capacity int
	kind     resourceKind
	env      *sim.Env
	users    []holder     // holders, in the order they were granted
	lost     []*sim.Proc  // holders preempted that have not called Release since
	waiting  []prioWaiter // priority variants: waiting requests, by (prio, arrival); may hold cancelled ones until they resume
	q        sim.WaitQueue
	stats    *sim.Stats   // nil unless EnableStats was called
	maxQueue int          // the most requests that may wait; -1 for no limit (SetQueueLimit)
	name     string       // for reports (SetName)
	ends     sim.EndWatch // watches the holders' ends (taskEnded)
}

// EnableStats starts recording r's statistics (see Stats) on env's virtual
// time and returns them: InUse is the number of units in use. Calling it
// again returns the same Stats. It panics if env is nil.
func (r *Resource) EnableStats(env *sim.Env) *sim.Stats {
	if r.stats == nil {
		r.stats = sim.NewStats(env, float64(len(r.users)))
	}
	return r.stats
}

// Stats returns r's statistics, or nil if EnableStats was not called.
func (r *Resource) Stats() *sim.Stats { return r.stats }

// noteUse records the units in use, if statistics are on.
func (r *Resource) noteUse() {
	if r.stats != nil {
		r.stats.SetLevel(float64(len(r.users)))
	}
}

// NewResource returns a Resource with capacity units served first come,
// first served. It panics if capacity is less than 1.
func NewResource(capacity int) *Resource { return newResource("NewResource", capacity, fifoResource) }

// NewPriorityResource returns a Resource with capacity units whose waiting
// requests are served by priority (RequestPriority; a lower value first),
// equal priorities first come, first served. It panics if capacity is less
// than 1.
func NewPriorityResource(capacity int) *Resource {
	return newResource("NewPriorityResource", capacity, priorityResource)
}

// NewPreemptiveResource returns a priority Resource (see
// NewPriorityResource) whose requests preempt: a request with a strictly
// lower priority value than the worst holder takes that holder's unit at
// once. The holder's current wait (or its next one, if a resumption with
// another outcome is already due) returns a *sim.InterruptError whose Cause
// is a *Preempted; the holder has lost the unit, and its Release of it does
// nothing. Among holders of the same worst
// priority, the one granted last is preempted. It panics if capacity is less
// than 1.
func NewPreemptiveResource(capacity int) *Resource {
	return newResource("NewPreemptiveResource", capacity, preemptiveResource)
}

func newResource(op string, capacity int, kind resourceKind) *Resource {
	if capacity < 1 {
		panic(fmt.Sprintf("resource: %s(%d): the capacity must be 1 or more", op, capacity))
	}
	r := &Resource{capacity: capacity, kind: kind, maxQueue: -1}
	r.ends.TaskEnded = r.taskEnded
	r.q.Init("a Resource").SetHolders(func() []*sim.Proc {
		ps := make([]*sim.Proc, len(r.users))
		for i, h := range r.users {
			ps[i] = h.p
		}
		return ps
	})
	return r
}

// Capacity returns the number of units.
func (r *Resource) Capacity() int { return r.capacity }

// Count returns the number of units in use, including units handed to
// waiting tasks that have not resumed yet.
func (r *Resource) Count() int { return len(r.users) }

// QueueLen returns the number of requests waiting for a unit.
func (r *Resource) QueueLen() int { return r.q.Len() }

// Request acquires a unit for p's task, waiting while none is free. It
// returns nil once the unit is held, or the error of the wait if the task
// is cancelled (a *CancelledError) or interrupted (an *InterruptError)
// while it waits; then it holds nothing. If no unit is free and the waiting
// room is full (see SetQueueLimit), it returns ErrRefused at once. On a priority Resource it is
// RequestPriority with priority 0.
func (r *Resource) Request(p *sim.Proc) error {
	p.CheckRunning("Resource.Request")
	if r.kind == fifoResource {
		r.bind(p, "Resource.Request")
		if len(r.users) < r.capacity && r.q.Len() == 0 {
			r.users = append(r.users, holder{p: p, since: p.Now()})
			p.WatchEnd(&r.ends)
			if r.stats != nil {
				r.noteUse()
				r.stats.Serve(p.Now())
			}
			return nil
		}
		if r.full() {
			return ErrRefused
		}
		st, since := r.stats, p.Now()
		if st != nil {
			st.Enter()
		}
		woken, err := r.q.Wait(p)
		if st != nil {
			st.Leave(since, err == nil)
		}
		if err != nil && woken {
			r.giveBack(p)
		}
		return err
	}
	return r.request(p, 0, true)
}

// RequestPriority acquires a unit for p's task with priority prio (a lower
// value is served first; equal priorities first come, first served), as
// Request does. On a preemptive Resource, a request that finds no free unit
// preempts the worst holder if its priority value is higher than prio (see
// NewPreemptiveResource). It panics on a Resource made by NewResource.
func (r *Resource) RequestPriority(p *sim.Proc, prio int) error {
	p.CheckRunning("Resource.RequestPriority")
	if r.kind == fifoResource {
		panic("resource: Resource.RequestPriority on a Resource made by NewResource; use NewPriorityResource or NewPreemptiveResource")
	}
	return r.request(p, prio, true)
}

// RequestPriorityNoPreempt is RequestPriority without preemption (SimPy's
// request(priority, preempt=False)): on a preemptive Resource, a request
// that finds no free unit waits in its place by priority instead of taking a
// holder's unit; once granted, its unit may be preempted as any other. On a
// priority Resource it is RequestPriority. It panics on a Resource made by
// NewResource.
func (r *Resource) RequestPriorityNoPreempt(p *sim.Proc, prio int) error {
	p.CheckRunning("Resource.RequestPriorityNoPreempt")
	if r.kind == fifoResource {
		panic("resource: Resource.RequestPriorityNoPreempt on a Resource made by NewResource; use NewPriorityResource or NewPreemptiveResource")
	}
	return r.request(p, prio, false)
}

func (r *Resource) request(p *sim.Proc, prio int, preempt bool) error {
	e := p.Env()
	r.bind(p, "Resource.RequestPriority")
	if len(r.users) < r.capacity && r.q.Len() == 0 {
		r.users = append(r.users, holder{p: p, prio: prio, since: e.Now()})
		p.WatchEnd(&r.ends)
		if r.stats != nil {
			r.noteUse()
			r.stats.Serve(e.Now())
		}
		return nil
	}
	if r.kind == preemptiveResource && preempt {
		if i := r.victim(p); i >= 0 && r.users[i].prio > prio {
			h := r.users[i]
			r.users[i] = holder{p: p, prio: prio, since: e.Now()}
			p.WatchEnd(&r.ends)
			if h.req != nil {
				h.req.preempted = true // its helper task has ended: the Request tells (Preempted)
			} else {
				// Preempted.By names p, also once its task has ended: its
				// Proc must not be reused (sim.Spawn).
				p.Keep()
				_ = h.p.Interrupt(&Preempted{By: p, UsageSince: h.since, Resource: r}) // h.p waits or runs: it cannot refuse
				r.lost = append(r.lost, h.p)
			}
			if r.stats != nil {
				r.stats.Serve(e.Now())
			}
			return nil
		}
	}
	if r.full() {
		return ErrRefused
	}
	// Queue behind every request of the same or a lower priority value.
	w := prioWaiter{p: p, prio: prio}
	i := len(r.waiting)
	r.waiting = append(r.waiting, w)
	for i > 0 && r.waiting[i-1].prio > prio {
		r.waiting[i] = r.waiting[i-1]
		i--
	}
	r.waiting[i] = w
	st, since := r.stats, e.Now()
	if st != nil {
		st.Enter()
	}
	woken, err := r.q.Wait(p)
	if st != nil {
		st.Leave(since, err == nil)
	}
	if err != nil {
		if woken {
			r.giveBack(p)
		} else {
			r.forget(p)
		}
	}
	return err
}

// forgive removes one record of a preemption of p and reports whether there
// was one.
func (r *Resource) forgive(p *sim.Proc) bool {
	for i, q := range r.lost {
		if q == p {
			r.lost = append(r.lost[:i], r.lost[i+1:]...)
			return true
		}
	}
	return false
}

// bind ties r to the Env of p's task (see sim.WaitQueue.Claim).
func (r *Resource) bind(p *sim.Proc, op string) {
	r.q.Claim(p, op)
	r.env = p.Env()
}

// victim returns the index of the holder a request of p would preempt: the
// granted last among those with the highest priority value, p excluded; -1
// if there is none.
func (r *Resource) victim(p *sim.Proc) int {
	v := -1
	for i, h := range r.users {
		if h.p != p && (v < 0 || h.prio >= r.users[v].prio) {
			v = i
		}
	}
	return v
}

// Release returns the unit held by the calling task and hands it to the
// first waiting request. It panics if called outside a task or by a task
// that holds no unit of r (a preempted holder holds none).
func (r *Resource) Release() {
	if r.env == nil {
		panic("resource: Resource.Release of a Resource that no task has requested: no unit is in use")
	}
	p := r.env.Current()
	if p == nil {
		panic("resource: Resource.Release called outside a task (from the driver or a callback); a unit is released by the task that holds it")
	}
	if !r.drop(p) {
		if r.forgive(p) {
			return // the unit was preempted: nothing to release
		}
		panic(fmt.Sprintf("resource: Resource.Release by task %q, which holds no unit of the Resource (a unit granted to a Request is released with Request.Release)", p.Name()))
	}
	r.grant()
}

// drop removes one unit held by p; it reports whether p held one.
func (r *Resource) drop(p *sim.Proc) bool { return r.dropIf(p, true) }

// dropIf removes one unit held by p, a unit held for a Request too if
// handles; it reports whether there was one.
func (r *Resource) dropIf(p *sim.Proc, handles bool) bool {
	for i := len(r.users) - 1; i >= 0; i-- {
		if r.users[i].p == p && (handles || r.users[i].req == nil) {
			copy(r.users[i:], r.users[i+1:])
			r.users[len(r.users)-1] = holder{}
			r.users = r.users[:len(r.users)-1]
			r.noteUse()
			return true
		}
	}
	return false
}

// giveBack returns the unit handed to p, which was woken but resumes with an
// error, and passes it on. If p was preempted in between, it holds nothing.
func (r *Resource) giveBack(p *sim.Proc) {
	if r.drop(p) {
		r.grant()
	}
}

// grant hands free units to the first waiting requests.
func (r *Resource) grant() {
	for len(r.users) < r.capacity && r.q.Len() > 0 {
		e := r.env
		if r.kind == fifoResource {
			p := r.q.WakeOne()
			r.users = append(r.users, holder{p: p, since: e.Now()})
			p.WatchEnd(&r.ends)
			r.noteUse()
			continue
		}
		w := r.waiting[0]
		copy(r.waiting, r.waiting[1:])
		r.waiting[len(r.waiting)-1] = prioWaiter{}
		r.waiting = r.waiting[:len(r.waiting)-1]
		if !r.q.Wake(w.p) {
			continue // cancelled or interrupted: it left the queue and has not resumed yet
		}
		r.users = append(r.users, holder{p: w.p, prio: w.prio, since: e.Now()})
		w.p.WatchEnd(&r.ends)
		r.noteUse()
	}
}

// forget removes the waiting entry of p, which left the queue without being
// handed a unit.
func (r *Resource) forget(p *sim.Proc) {
	for i, w := range r.waiting {
		if w.p == p {
			copy(r.waiting[i:], r.waiting[i+1:])
			r.waiting[len(r.waiting)-1] = prioWaiter{}
			r.waiting = r.waiting[:len(r.waiting)-1]
			return
		}
	}
}
