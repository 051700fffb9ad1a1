package resource

import "github.com/vtsim/vtsim/sim"

// This file is inspection as SimPy offers it (a resource's users and queue,
// a store's or container's put_queue and get_queue): who holds what and who
// waits, in order, so that a model or a test can look without keeping its
// own books. Each returns a new slice; none is for a hot path.

// Users returns the tasks that hold a unit of r, in the order they were
// granted (SimPy's Resource.users), a task once for each unit it holds. A
// task handed a unit that has not resumed yet is among them; a preempted
// holder is not.
func (r *Resource) Users() []*sim.Proc {
	ps := make([]*sim.Proc, len(r.users))
	for i, h := range r.users {
		ps[i] = h.p
	}
	return ps
}

// Queue returns the tasks whose requests wait for a unit of r, in the
// order they will be served (SimPy's Resource.queue): first come, first
// served, or by priority then arrival for the priority variants. A request
// cancelled or interrupted has left it, even before its task resumes.
func (r *Resource) Queue() []*sim.Proc {
	if r.kind == fifoResource {
		return queued(&r.q)
	}
	in := make(map[*sim.Proc]bool, r.q.Len())
	for p := r.q.Front(); p != nil; p = r.q.Next(p) {
		in[p] = true
	}
	ps := make([]*sim.Proc, 0, r.q.Len())
	for _, w := range r.waiting {
		if in[w.p] {
			ps = append(ps, w.p)
		}
	}
	return ps
}

// PutQueue returns the tasks waiting in Put for room in s, in the order they
// will be served (SimPy's put_queue).
func (s *Store[T]) PutQueue() []*sim.Proc { return queued(&s.putters) }

// GetQueue returns the tasks waiting in Get or GetMatch for an item of s, in
// the order they came (SimPy's get_queue). A getter whose match accepts none
// of the items does not keep those behind it from being served.
func (s *Store[T]) GetQueue() []*sim.Proc { return queued(&s.getters) }

// PutQueue returns the tasks waiting in Put for room in c, in the order they
// will be served (SimPy's put_queue).
func (c *Container) PutQueue() []*sim.Proc { return queued(&c.putters) }

// GetQueue returns the tasks waiting in Get for matter in c, in the order
// they will be served (SimPy's get_queue).
func (c *Container) GetQueue() []*sim.Proc { return queued(&c.getters) }

// queued returns the tasks waiting in q, in order.
func queued(q *sim.WaitQueue) []*sim.Proc {
	ps := make([]*sim.Proc, 0, q.Len())
	for p := q.Front(); p != nil; p = q.Next(p) {
		ps = append(ps, p)
	}
	return ps
}
