package sim

// waitQueue is a FIFO of tasks suspended in a primitive (a lock, an event,
// a queue...). The links live in the Proc, since a task waits on one thing
// at a time, so waiting allocates nothing. A task cancelled while it waits
// leaves the queue at once; the primitive sees nothing of it.
type waitQueue struct {
	head, tail *Proc
	n          int
	what       string // what the waiters wait on, for deadlock reports and traces
}

// wait suspends the running task p at the end of q until wakeOne or wakeAll
// resumes it (nil) or it is cancelled (a *CancelledError). woken reports
// whether a wakeOne or wakeAll took p out of q, also when a cancellation
// then arrived before p resumed (asyncio's "future done, then task
// cancelled"): primitives that hand something over at wake-up take it back
// then.
func (q *waitQueue) wait(p *Proc) (woken bool, err error) {
	p.wq, p.wqPrev, p.wqNext = q, q.tail, nil
	if q.tail != nil {
		q.tail.wqNext = p
	} else {
		q.head = p
	}
	q.tail = p
	q.n++
	p.wait = waitQueued
	p.woken = false
	// park, written out as in Proc.timer: one frame fewer to return
	// through after the switch.
	p.beginWait()
	p.suspend()
	err = p.woke()
	return p.woken, err
}

// remove takes p out of q.
func (q *waitQueue) remove(p *Proc) {
	if p.wqPrev != nil {
		p.wqPrev.wqNext = p.wqNext
	} else {
		q.head = p.wqNext
	}
	if p.wqNext != nil {
		p.wqNext.wqPrev = p.wqPrev
	} else {
		q.tail = p.wqPrev
	}
	p.wq, p.wqPrev, p.wqNext = nil, nil, nil
	q.n--
}

// wakeOne takes the first waiter out of q and schedules its resumption, in
// FIFO order after the events due now. It reports whether there was one.
func (q *waitQueue) wakeOne() bool {
	p := q.head
	if p == nil {
		return false
	}
	q.remove(p)
	p.woken = true
	e := p.env
	p.ticket = e.events.Push(e.now, 0, p.co.wake)
	p.wait = waitWake
	return true
}

// wakeAll wakes every waiter, in order.
func (q *waitQueue) wakeAll() {
	for q.wakeOne() {
	}
}
