package sim

import "fmt"

// This file is the parking kit: the one way a primitive suspends tasks and
// wakes them. Only it and the task switch (switch.go) touch a task's wait
// state; primitives in this package and outside it (package resource, a
// user's own) are written on WaitQueue alone.

// WaitQueue is a first-in, first-out queue of tasks parked in a primitive
// (a lock, an event, a store, a user's own latch). A task parks with Wait
// and stays until the primitive wakes it (WakeOne, Wake, WakeAll) or it is
// cancelled or interrupted, in which case it leaves the queue at once by
// itself: the primitive sees nothing of it but the outcome its Wait
// returns. Waking schedules the task's resumption after the events due now
// (a task is only ever resumed from the run loop), so a primitive hands
// over what a waiter was woken for at wake-up, and takes it back if the
// waiter's Wait reports woken together with an error (cancelled after it
// was woken, before it resumed: asyncio's "future done, then task
// cancelled").
//
// The zero WaitQueue is an empty queue whose waiters wait on "a
// WaitQueue" in deadlock reports; Init names what they wait on. A
// WaitQueue must not be copied once used, and must only be used on its
// Env's goroutine. Waiting allocates nothing: the links live in the task,
// since a task waits on one thing at a time. Every operation is O(1) but
// WakeAll, which is O(n).
type WaitQueue struct {
	list    procList
	what    string
	env     *Env   // the Env of the first task that waited
	id      uint64 // q's number in env, from its first wait, for reports
	holders func() []*Proc
}

// Init sets what the waiters wait on, as deadlock reports and traces show
// it (for example "a Latch"), and returns q.
func (q *WaitQueue) Init(what string) *WaitQueue {
	q.what = what
	return q
}

// What returns what the waiters wait on.
func (q *WaitQueue) What() string {
	if q.what == "" {
		return "a WaitQueue"
	}
	return q.what
}

// SetHolders gives q a function that returns the tasks holding what its
// waiters wait for (a lock's owner, a resource's users), so that a
// deadlock report can say who holds it. It returns q.
func (q *WaitQueue) SetHolders(holders func() []*Proc) *WaitQueue {
	q.holders = holders
	return q
}

// describe is what deadlock reports and traces show of q: what it is and
// its number in its Env ("a Lock #2").
func (q *WaitQueue) describe() string {
	return fmt.Sprintf("%s #%d", q.What(), q.id)
}

// Claim ties q to the Env of p's task on first use; op names the call for
// the panic. A primitive calls it in every operation with a task, the ones
// that do not wait too (on the queue the operation would wait in, for a
// primitive with several), so that using one primitive from two Envs is
// caught at once: Claim panics if q belongs to another Env that is still
// open (after that Env's Close, an idle q passes to the new one). Wait and
// WaitWith claim q themselves.
func (q *WaitQueue) Claim(p *Proc, op string) {
	if q.env != p.env {
		q.bind(p.env, op)
	}
}

// bind ties q to env and numbers it in env.
func (q *WaitQueue) bind(env *Env, op string) {
	if q.env != nil && !(q.env.closed && q.list.n == 0) {
		panic(fmt.Sprintf("sim: %s on %s by a task of another Env; a primitive belongs to the Env that first used it until that Env is closed", op, q.describe()))
	}
	env.nextObj++
	q.env, q.id = env, env.nextObj
}

// Len returns the number of waiting tasks.
func (q *WaitQueue) Len() int { return q.list.n }

// Front returns the first waiting task, or nil.
func (q *WaitQueue) Front() *Proc { return q.list.head }

// Next returns the task waiting after p, or nil; p must wait in q.
func (q *WaitQueue) Next(p *Proc) *Proc { return p.link[inWaitQueue].next }

// Wait parks p's task at the back of q until a wake takes it out (woken is
// true, err nil) or it is cancelled or interrupted (err is the
// *CancelledError or *InterruptError). woken is also true when a wake took
// p out and a cancellation or interrupt arrived before p resumed: the
// primitive then gives back what it handed over. It panics if called from
// outside p's task, or from a goroutine other than the task's own (see
// [Proc.CheckRunning]).
func (q *WaitQueue) Wait(p *Proc) (woken bool, err error) {
	return q.park(p, nil, "WaitQueue.Wait", false)
}

// WaitWith is Wait with a value that the primitive attaches to the wait
// (what the task asks for, where to put what it is handed) and reads back
// with Proc.WaitData while p waits and until its Wait returns.
func (q *WaitQueue) WaitWith(p *Proc, data any) (woken bool, err error) {
	return q.park(p, data, "WaitQueue.WaitWith", false)
}

// park is Wait and WaitWith: the task switch's park written out, so that
// after the switch the task returns to the primitive through this one frame
// (Wait and WaitWith inline into their callers; see switch.go). op names
// the call in the misuse panic.
//
// checked says that the caller, a primitive of this package, has made
// park's checks itself (Proc.CheckRunning and Claim on q) in the same
// call, with no wait in between, so that park need not repeat them: about
// 3 ns of a hand-off.
func (q *WaitQueue) park(p *Proc, data any, op string, checked bool) (woken bool, err error) {
	if !checked {
		p.checkRunning(op)
		if !p.onOwnGoroutine() {
			p.foreignGoroutine(op)
		}
		if q.env != p.env {
			q.bind(p.env, op)
		}
	}
	q.enqueue(p, data)
	// switchOut's call split in two, as in the timer wait.
	var ok bool
	if e := p.env; e.direct && e.host == nil {
		ok = p.switchOut()
	} else {
		ok = p.co.yield(struct{}{})
	}
	if !ok {
		panic(unwinding{})
	}
	if p.env.closing {
		return q.closed(p)
	}
	err = p.woke()
	p.wdata = nil
	return p.woken, err
}

// enqueue is park's part before the switch: it puts p at the back of q,
// waiting with data. Queue.Get calls it and writes out the rest of park,
// so that its task returns from the switch through one frame fewer (a
// call before the switch returns before it, predicted).
func (q *WaitQueue) enqueue(p *Proc, data any) {
	q.list.pushBack(p, inWaitQueue)
	p.wq, p.wdata = q, data
	p.wait = waitQueued
	p.woken = false
	// p.beginWait(), written out (it does not inline).
	p.state, p.since = waiting, p.env.now
	if p.mustCancel || p.x != nil || p.env.cfg.tracer != nil {
		p.beforeYield()
	}
}

// closed ends a wait that Close unwinds. Instead of unwinding the task at
// once, the wait returns a cancellation, so that the primitive gives back
// what it handed over (a unit, an item, a place) as the cancellation rules
// say, and nothing is lost; the task's next wait unwinds it.
func (q *WaitQueue) closed(p *Proc) (woken bool, err error) {
	if p.wq == q {
		q.remove(p)
	}
	p.wait, p.wdata = waitNone, nil
	return p.woken, &CancelledError{Msg: envClosed}
}

// WaitData returns the value given to WaitQueue.WaitWith for the task's
// current wait, or nil.
func (p *Proc) WaitData() any { return p.wdata }

// WakeOne takes the first waiter out of q and schedules its resumption, in
// FIFO order after the events due now. It returns the task woken, or nil
// if q is empty.
func (q *WaitQueue) WakeOne() *Proc {
	p := q.list.head
	if p != nil {
		q.wake(p)
	}
	return p
}

// Wake takes p out of q and schedules its resumption, as WakeOne does for
// the first waiter. It reports false, and does nothing, if p does not wait
// in q (it was cancelled or interrupted and left, or was woken already).
func (q *WaitQueue) Wake(p *Proc) bool {
	if p == nil || p.wq != q {
		return false
	}
	q.wake(p)
	return true
}

// WakeAll wakes every waiter, in order, and returns how many.
func (q *WaitQueue) WakeAll() int {
	n := 0
	for q.WakeOne() != nil {
		n++
	}
	return n
}

func (q *WaitQueue) wake(p *Proc) {
	q.remove(p)
	p.woken = true
	// p.resumeNow(nil), written out: it is on every hand-off's path.
	p.ticket = p.env.events.Push(p.env.now, 0, p.co.wake)
	p.wait = waitWake
}

// remove takes p out of q.
func (q *WaitQueue) remove(p *Proc) {
	q.list.remove(p, inWaitQueue)
	p.wq = nil
}

// The lists a task can be in at once, each with its own links in Proc.
const (
	inTaskList  = 0 // the Env's unfinished tasks
	inWaitQueue = 1 // the WaitQueue it is parked in
)

// procLink is a task's pair of links in one list.
type procLink struct{ prev, next *Proc }

// procList is an intrusive doubly linked list of tasks: the Env's list of
// unfinished tasks and every WaitQueue. Which of a task's links it uses is
// the constant k of each call.
type procList struct {
	head, tail *Proc
	n          int
}

func (l *procList) pushBack(p *Proc, k int) {
	p.link[k] = procLink{prev: l.tail}
	if l.tail != nil {
		l.tail.link[k].next = p
	} else {
		l.head = p
	}
	l.tail = p
	l.n++
}

func (l *procList) remove(p *Proc, k int) {
	ln := &p.link[k]
	if ln.prev != nil {
		ln.prev.link[k].next = ln.next
	} else {
		l.head = ln.next
	}
	if ln.next != nil {
		ln.next.link[k].prev = ln.prev
	} else {
		l.tail = ln.prev
	}
	*ln = procLink{}
	l.n--
}
