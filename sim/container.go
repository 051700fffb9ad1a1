package sim

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrBadAmount matches the error of a Container.Put or Container.Get whose
// amount is not positive and finite, or exceeds the capacity.
var ErrBadAmount = errors.New("sim: bad amount")

// waiter is one request waiting in a Container or a Store. It has a wait
// queue of its own, holding just its task, so that the primitive decides
// whom to wake (head-of-line blocking, filters) while the task still
// leaves by itself when it is cancelled or interrupted.
type waiter[V any] struct {
	q          waitQueue
	prev, next *waiter[V]
	val        V            // the amount, the item to put, or the item handed over
	seq        uint64       // Store: the insertion number of the item handed over
	match      func(V) bool // FilterStore: what a getter accepts; nil accepts anything
	listed     bool         // in its waiterList
}

// waiterList is a FIFO of waiters that have not been woken yet.
type waiterList[V any] struct {
	head, tail *waiter[V]
	n          int
}

func (l *waiterList[V]) push(w *waiter[V]) {
	w.prev, w.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = w
	} else {
		l.head = w
	}
	l.tail = w
	l.n++
	w.listed = true
}

// first returns the first waiter whose task still waits, unlisting those
// that left (cancelled or interrupted, not yet resumed).
func (l *waiterList[V]) first() *waiter[V] {
	w := l.head
	for w != nil && w.q.n == 0 {
		l.remove(w)
		w = l.head
	}
	return w
}

// remove takes w out of l, if it is there.
func (l *waiterList[V]) remove(w *waiter[V]) {
	if !w.listed {
		return
	}
	w.listed = false
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		l.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		l.tail = w.prev
	}
	w.prev, w.next = nil, nil
	l.n--
}

// Container is SimPy's Container: a continuous level of some matter (fuel
// in a tank, money in an account) between 0 and a capacity. Put adds an
// amount, first waiting until it fits; Get takes an amount, first waiting
// until the level holds it. Create one with NewContainer; the zero
// Container is not usable. Its methods must be called on the Env's
// goroutine.
//
// # Order
//
// Puts are served first come, first served, and so are gets, as in SimPy:
// a request that does not fit blocks the requests of its direction behind
// it (head-of-line blocking), even smaller ones that would fit. The level
// changes when the served task resumes, in the same instant; until then the
// room (for a put) or the matter (for a get) is set aside for it.
//
// # Cancellation
//
// A task cancelled or interrupted while it waits leaves the container as
// if it had never asked: the level is unchanged, and the room or matter
// set aside for it (if it was already served) passes on to the next
// requests, as does its place at the head of the line.
//
// # Complexity
//
// Put, Get, Level and Capacity take O(1) time, plus O(k) to wake the k
// requests a change serves. A request that waits allocates once.
type Container struct {
	capacity, level        float64
	pendingPut, pendingGet float64 // set aside for served tasks that have not resumed yet
	nPending               [2]int  // how many served tasks each sum covers: a sum is reset to 0 with its count, so no rounding is left over
	putters, getters       waiterList[float64]
	stats                  *Stats // nil unless EnableStats was called
}

// EnableStats starts recording c's statistics (see Stats) on env's virtual
// time and returns them: InUse is the level, QueueLength counts the tasks
// waiting in Put and Get. Calling it again returns the same Stats. It
// panics if env is nil.
func (c *Container) EnableStats(env *Env) *Stats {
	if c.stats == nil {
		c.stats = NewStats(env, c.level)
	}
	return c.stats
}

// Stats returns c's statistics, or nil if EnableStats was not called.
func (c *Container) Stats() *Stats { return c.stats }

// noteLevel records the level of a served request made at since, if
// statistics are on.
func (c *Container) noteLevel(st *Stats, since time.Duration) {
	if st != nil {
		st.SetLevel(c.level)
		st.Serve(since)
	}
}

// NewContainer returns a container of the given capacity holding init. It
// panics unless capacity is positive (math.Inf(1) is allowed, for an
// unbounded container) and 0 <= init <= capacity, init finite.
func NewContainer(capacity, init float64) *Container {
	if !(capacity > 0) { // also NaN
		panic(fmt.Sprintf("sim: NewContainer called with capacity %v; it must be positive (or math.Inf(1))", capacity))
	}
	if !(init >= 0 && init <= capacity) || math.IsInf(init, 0) {
		panic(fmt.Sprintf("sim: NewContainer called with init %v; it must be finite and between 0 and the capacity %v", init, capacity))
	}
	return &Container{capacity: capacity, level: init}
}

// Level returns the current level.
func (c *Container) Level() float64 { return c.level }

// Capacity returns the capacity (math.Inf(1) if unbounded).
func (c *Container) Capacity() float64 { return c.capacity }

// checkAmount returns an error matching ErrBadAmount unless amount can be
// put or got.
func (c *Container) checkAmount(op string, amount float64) error {
	if !(amount > 0) || math.IsInf(amount, 0) {
		return fmt.Errorf("%w: Container.%s of %v: the amount must be positive and finite", ErrBadAmount, op, amount)
	}
	if amount > c.capacity {
		return fmt.Errorf("%w: Container.%s of %v: the amount exceeds the capacity %v", ErrBadAmount, op, amount, c.capacity)
	}
	return nil
}

// Put adds amount to the level, first waiting, behind the puts that wait
// already, until it fits under the capacity. It returns nil once the
// amount is added; an error matching ErrBadAmount, without waiting, if the
// amount is not positive and finite or exceeds the capacity; or the error
// of a cancellation or interrupt while it waits (nothing is then added).
// It panics if called from outside p's task.
func (c *Container) Put(p *Proc, amount float64) error {
	p.checkRunning("Container.Put")
	if err := c.checkAmount("Put", amount); err != nil {
		return err
	}
	st, since := c.stats, p.env.now
	if c.putters.n == 0 && c.fits(amount) {
		c.level += amount
		c.noteLevel(st, since)
		c.triggerGets()
		return nil
	}
	w := &waiter[float64]{val: amount, q: waitQueue{what: "a Container (Put)"}}
	c.putters.push(w)
	if st != nil {
		st.Enter()
	}
	woken, err := w.q.wait(p)
	if st != nil {
		st.Leave(since, false) // served below, once the amount is added
	}
	if !woken {
		c.putters.remove(w)
		c.triggerPuts() // w may have blocked the line
		return err
	}
	if c.nPending[0]--; c.nPending[0] == 0 {
		c.pendingPut = 0
	} else {
		c.pendingPut -= amount
	}
	if err != nil {
		c.triggerPuts() // the room set aside for w goes to the next
		return err
	}
	c.level += amount
	c.noteLevel(st, since)
	c.triggerGets()
	return nil
}

// Get takes amount from the level, first waiting, behind the gets that
// wait already, until the level holds it. It returns nil once the amount
// is taken; an error matching ErrBadAmount, without waiting, if the amount
// is not positive and finite or exceeds the capacity; or the error of a
// cancellation or interrupt while it waits (nothing is then taken). It
// panics if called from outside p's task.
func (c *Container) Get(p *Proc, amount float64) error {
	p.checkRunning("Container.Get")
	if err := c.checkAmount("Get", amount); err != nil {
		return err
	}
	st, since := c.stats, p.env.now
	if c.getters.n == 0 && c.holds(amount) {
		c.level -= amount
		c.noteLevel(st, since)
		c.triggerPuts()
		return nil
	}
	w := &waiter[float64]{val: amount, q: waitQueue{what: "a Container (Get)"}}
	c.getters.push(w)
	if st != nil {
		st.Enter()
	}
	woken, err := w.q.wait(p)
	if st != nil {
		st.Leave(since, false) // served below, once the amount is taken
	}
	if !woken {
		c.getters.remove(w)
		c.triggerGets()
		return err
	}
	if c.nPending[1]--; c.nPending[1] == 0 {
		c.pendingGet = 0
	} else {
		c.pendingGet -= amount
	}
	if err != nil {
		c.triggerGets() // the matter set aside for w goes to the next
		return err
	}
	c.level -= amount
	c.noteLevel(st, since)
	c.triggerPuts()
	return nil
}

// fits reports whether amount fits beside the level and the room set aside.
func (c *Container) fits(amount float64) bool {
	return c.level+c.pendingPut+amount <= c.capacity
}

// holds reports whether the level, less what is set aside, holds amount.
func (c *Container) holds(amount float64) bool {
	return amount <= c.level-c.pendingGet
}

// triggerPuts wakes the waiting puts, in order, while they fit.
func (c *Container) triggerPuts() {
	for w := c.putters.first(); w != nil && c.fits(w.val); w = c.putters.first() {
		c.putters.remove(w)
		c.pendingPut += w.val
		c.nPending[0]++
		w.q.wakeOne()
	}
}

// triggerGets wakes the waiting gets, in order, while the level holds them.
func (c *Container) triggerGets() {
	for w := c.getters.first(); w != nil && c.holds(w.val); w = c.getters.first() {
		c.getters.remove(w)
		c.pendingGet += w.val
		c.nPending[1]++
		w.q.wakeOne()
	}
}
