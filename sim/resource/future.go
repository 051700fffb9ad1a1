package resource

import (
	"github.com/vtsim/vtsim/internal/seqheap"
	"github.com/vtsim/vtsim/sim"
)

// This file holds the future forms of the waits (see sim.WaitFuture): each
// runs the blocking wait in a helper task, and says what goes back to the
// primitive when the wait is withdrawn before anybody read its result.

// Request is a Resource request in future form (SimPy's request event): a
// sim.WaitFuture whose grant is a unit of the Resource, held on the
// request's behalf (by its helper task) until Release. Any task, or a
// callback, may Release it. Made by Resource.RequestFuture and
// Resource.RequestPriorityFuture.
type Request struct {
	*sim.WaitFuture[struct{}]
	r         *Resource
	released  bool
	preempted bool // its unit was taken by a preemptive request
}

// RequestFuture is Request in future form: the returned request waits in
// the Resource's queue, keeping its place while the tasks that await it
// are interrupted, until it is granted a unit or cancelled. A unit granted
// to a request withdrawn before anybody read it goes to the next request.
// The request is made by a helper task, so it joins the queue at that
// task's first step, after the events already due now (as a task's first
// step does): a blocking Request made in the same instant, or a queue limit
// (SetQueueLimit) reached in it, comes first. A unit granted to a Request
// is the Request's: any task releases it with Request.Release (not
// Resource.Release nor Transfer), and nothing reports a Request never
// released.
func (r *Resource) RequestFuture(env *sim.Env) *Request {
	return r.requestFuture(env, "Resource.RequestFuture", func(p *sim.Proc) error { return r.Request(p) })
}

// RequestPriorityFuture is RequestPriority in future form (see
// RequestFuture). A preempted holder is not told (its helper task has
// ended): Preempted reports it. It panics on a Resource made by
// NewResource.
func (r *Resource) RequestPriorityFuture(env *sim.Env, prio int) *Request {
	if r.kind == fifoResource {
		panic("resource: Resource.RequestPriorityFuture on a Resource made by NewResource; use NewPriorityResource or NewPreemptiveResource")
	}
	return r.requestFuture(env, "Resource.RequestPriorityFuture", func(p *sim.Proc) error { return r.request(p, prio, true) })
}

func (r *Resource) requestFuture(env *sim.Env, name string, req func(*sim.Proc) error) *Request {
	q := &Request{r: r}
	q.WaitFuture = sim.NewWaitFuture(env, name, func(p *sim.Proc) (struct{}, error) {
		if err := req(p); err != nil {
			if r.forgive(p) { // preempted between its grant and its helper's resumption
				q.preempted = true
			}
			return struct{}{}, err
		}
		r.ownedBy(p, q)
		return struct{}{}, nil
	}, func(helper *sim.Proc, _ struct{}) { r.releaseFor(helper) })
	return q
}

// Release gives the request's unit back to the Resource, which hands it to
// the next request (SimPy's release(req)); a request still waiting leaves
// the queue (Cancel). Releasing a request twice, or one that failed, was
// cancelled or was preempted, does nothing.
func (q *Request) Release() {
	if !q.Done() {
		q.Cancel("released")
		return
	}
	if q.released {
		return
	}
	q.released = true
	if _, err := q.Result(); err != nil {
		return
	}
	q.r.releaseFor(q.Helper())
}

// Preempted reports whether the request's unit was taken by a preemptive
// request (see NewPreemptiveResource); its Release then does nothing.
func (q *Request) Preempted() bool { return q.preempted }

// ownedBy marks the unit just granted to helper as q's: the helper task
// ends at once, and the unit stays held until someone releases q, not
// released and reported at the helper's end.
func (r *Resource) ownedBy(helper *sim.Proc, q *Request) {
	for i := len(r.users) - 1; i >= 0; i-- {
		if r.users[i].p == helper {
			r.users[i].req = q
			return
		}
	}
}

// releaseFor returns the unit held for helper, or forgets its preemption.
func (r *Resource) releaseFor(helper *sim.Proc) {
	if r.drop(helper) {
		r.grant()
		return
	}
	r.forgive(helper)
}

// GetFuture is Get in future form. An item granted to a wait withdrawn
// before anybody read it goes back to its place in the store and on to
// the next getter.
func (s *Store[T]) GetFuture(env *sim.Env) *sim.WaitFuture[T] {
	return s.getFuture(env, "Store.GetFuture", nil)
}

// GetMatchFuture is GetMatch in future form (see GetFuture).
func (s *Store[T]) GetMatchFuture(env *sim.Env, match func(T) bool) *sim.WaitFuture[T] {
	return s.getFuture(env, "Store.GetMatchFuture", match)
}

func (s *Store[T]) getFuture(env *sim.Env, name string, match func(T) bool) *sim.WaitFuture[T] {
	var seq uint64
	return sim.NewWaitFuture(env, name, func(p *sim.Proc) (T, error) {
		s.getters.Claim(p, name)
		e, err := s.getItem(p, match)
		seq = e.Seq
		return e.V, err
	}, func(_ *sim.Proc, v T) {
		s.insert(seqheap.Item[T]{V: v, Seq: seq}) // back where it was
		s.triggerGets()
	})
}

// PutFuture is Put in future form. A put that is done is done:
// withdrawing it takes nothing back.
func (s *Store[T]) PutFuture(env *sim.Env, v T) *sim.WaitFuture[struct{}] {
	return sim.NewWaitFuture(env, "Store.PutFuture", func(p *sim.Proc) (struct{}, error) {
		return struct{}{}, s.Put(p, v)
	}, nil)
}

// GetFuture is Get in future form; its value is the amount. An amount
// granted to a wait withdrawn before anybody read it goes back into the
// container and on to the next get; if puts filled the container in the
// meantime so that it does not fit, it goes back through a put of its own
// (a task named "Container.GetFuture give-back"), which waits its turn.
func (c *Container) GetFuture(env *sim.Env, amount float64) *sim.WaitFuture[float64] {
	return sim.NewWaitFuture(env, "Container.GetFuture", func(p *sim.Proc) (float64, error) {
		return amount, c.Get(p, amount)
	}, func(_ *sim.Proc, v float64) {
		// Back at once, even above the capacity if puts filled the room
		// meanwhile (as a given-back item may overfill a Store): the level
		// then stays above it until gets take it; puts wait until it fits.
		c.level += v
		c.noteLevel(nil, 0)
		c.triggerGets()
	})
}

// PutFuture is Put in future form; its value is the amount. A put that is
// done is done: withdrawing it takes nothing back.
func (c *Container) PutFuture(env *sim.Env, amount float64) *sim.WaitFuture[float64] {
	return sim.NewWaitFuture(env, "Container.PutFuture", func(p *sim.Proc) (float64, error) {
		return amount, c.Put(p, amount)
	}, nil)
}
