package resource

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// ErrBadAmount matches the error of a Container.Put or Container.Get whose
// amount is not positive and finite, or exceeds the capacity.
var ErrBadAmount = errors.New("resource: bad amount")

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
// requests a change serves. A request that waits allocates nothing once the
// container has as many request records as it has had waiters at once (it
// keeps them for reuse).
type Container struct {
	capacity, level        float64
	pendingPut, pendingGet float64       // set aside for served tasks that have not resumed yet
	nPending               [2]int        // how many served tasks each sum covers: a sum is reset to 0 with its count, so no rounding is left over
	putters, getters       sim.WaitQueue // each waiter's data is its *amountReq
	free                   []*amountReq  // records of ended waits, for reuse (wait)
	stats                  *sim.Stats    // nil unless EnableStats was called
}

// EnableStats starts recording c's statistics (see Stats) on env's virtual
// time and returns them: InUse is the level, QueueLength counts the tasks
// waiting in Put and Get. Calling it again returns the same Stats. It
// panics if env is nil.
func (c *Container) EnableStats(env *sim.Env) *sim.Stats {
	if c.stats == nil {
		c.stats = sim.NewStats(env, c.level)
	}
	return c.stats
}

// Stats returns c's statistics, or nil if EnableStats was not called.
func (c *Container) Stats() *sim.Stats { return c.stats }

// noteLevel records the level, if statistics are on, and the service of a
// request made at since if they were on when it was made (st).
func (c *Container) noteLevel(st *sim.Stats, since time.Duration) {
	if c.stats != nil {
		c.stats.SetLevel(c.level)
	}
	if st != nil {
		st.Serve(since)
	}
}

// NewContainer returns a container of the given capacity holding init. It
// panics unless capacity is positive (math.Inf(1) is allowed, for an
// unbounded container) and 0 <= init <= capacity, init finite.
func NewContainer(capacity, init float64) *Container {
	if !(capacity > 0) { // also NaN
		panic(fmt.Sprintf("resource: NewContainer called with capacity %v; it must be positive (or math.Inf(1))", capacity))
	}
	if !(init >= 0 && init <= capacity) || math.IsInf(init, 0) {
		panic(fmt.Sprintf("resource: NewContainer called with init %v; it must be finite and between 0 and the capacity %v", init, capacity))
	}
	c := &Container{capacity: capacity, level: init}
	c.putters.Init("a Container (Put)")
	c.getters.Init("a Container (Get)")
	return c
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
	if amount > c.capacity+slack(c.capacity) {
		return fmt.Errorf("%w: Container.%s of %v: the amount exceeds the capacity %v", ErrBadAmount, op, amount, c.capacity)
	}
	if op == "Put" && math.IsInf(c.level+c.pendingPut+amount, 1) {
		return fmt.Errorf("%w: Container.Put of %v: the level %v would overflow to +Inf", ErrBadAmount, amount, c.level)
	}
	return nil
}

// Put adds amount to the level, first waiting, behind the puts that wait
// already, until it fits under the capacity. It returns nil once the
// amount is added; an error matching ErrBadAmount, without waiting, if the
// amount is not positive and finite or exceeds the capacity; or the error
// of a cancellation or interrupt while it waits (nothing is then added).
// It panics if called from outside p's task.
func (c *Container) Put(p *sim.Proc, amount float64) error {
	p.CheckRunning("Container.Put")
	c.putters.Claim(p, "Container.Put")
	if err := c.checkAmount("Put", amount); err != nil {
		return err
	}
	st, since := c.stats, p.Now()
	if c.putters.Len() == 0 && c.fits(amount) {
		c.add(amount)
		c.noteLevel(st, since)
		c.triggerGets()
		return nil
	}
	if st != nil {
		st.Enter()
	}
	woken, err := c.wait(&c.putters, p, amount)
	if st != nil {
		st.Leave(since, false) // served below, once the amount is added
	}
	if !woken {
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
	c.add(amount)
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
func (c *Container) Get(p *sim.Proc, amount float64) error {
	p.CheckRunning("Container.Get")
	c.getters.Claim(p, "Container.Get")
	if err := c.checkAmount("Get", amount); err != nil {
		return err
	}
	st, since := c.stats, p.Now()
	if c.getters.Len() == 0 && c.holds(amount) {
		c.add(-amount)
		c.noteLevel(st, since)
		c.triggerPuts()
		return nil
	}
	if st != nil {
		st.Enter()
	}
	woken, err := c.wait(&c.getters, p, amount)
	if st != nil {
		st.Leave(since, false) // served below, once the amount is taken
	}
	if !woken {
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
	c.add(-amount)
	c.noteLevel(st, since)
	c.triggerPuts()
	return nil
}

// Tolerance is the relative rounding slack of a Container's comparisons: a
// request fits, or is held, if it does to within Tolerance × its own size
// (or the level's, or the capacity's, the larger). Without it, ten puts of
// 0.1 into a container of capacity 1 leave a level of 0.9999999999999999,
// and a get of 1 waits forever (as in SimPy). When no other request of its
// direction is set aside, a level within the slack of 0 or of the capacity
// is set to it exactly, so that the residue cannot build up.
const Tolerance = 1e-9

// slack returns the absolute slack for quantities of magnitude x.
func slack(x float64) float64 { return Tolerance * math.Abs(x) }

// fits reports whether amount fits beside the level and the room set aside.
func (c *Container) fits(amount float64) bool {
	if math.IsInf(c.capacity, 1) {
		return true
	}
	return c.level+c.pendingPut+amount <= c.capacity+slack(c.capacity)
}

// holds reports whether the level, less what is set aside, holds amount.
func (c *Container) holds(amount float64) bool {
	avail := c.level - c.pendingGet
	return amount <= avail+slack(math.Max(amount, avail))
}

// add changes the level by delta. A result within the slack of 0 (when no
// get is set aside) or of the capacity (when no put is) is snapped to it,
// and a negative residue within the slack is 0. The level may exceed the
// capacity only by what a withdrawn get in future form gave back (see
// GetFuture); nothing is ever clamped away.
func (c *Container) add(delta float64) {
	l := c.level + delta
	tol := slack(math.Max(math.Abs(delta), math.Abs(c.level)))
	switch {
	case c.nPending[1] == 0 && math.Abs(l) <= tol:
		l = 0
	case c.nPending[0] == 0 && !math.IsInf(c.capacity, 1) && math.Abs(l-c.capacity) <= max(tol, slack(c.capacity)):
		l = c.capacity
	case l < 0 && -l <= tol:
		l = 0
	}
	c.level = l
}

// triggerPuts wakes the waiting puts, in order, while they fit.
func (c *Container) triggerPuts() {
	for p := c.putters.Front(); p != nil; p = c.putters.Front() {
		amount := p.WaitData().(*amountReq).amount
		if !c.fits(amount) {
			return
		}
		c.pendingPut += amount
		c.nPending[0]++
		c.putters.Wake(p)
	}
}

// triggerGets wakes the waiting gets, in order, while the level holds them.
func (c *Container) triggerGets() {
	for p := c.getters.Front(); p != nil; p = c.getters.Front() {
		amount := p.WaitData().(*amountReq).amount
		if !c.holds(amount) {
			return
		}
		c.pendingGet += amount
		c.nPending[1]++
		c.getters.Wake(p)
	}
}

// amountReq is the amount a waiting request asks for, in a record that
// the container reuses: boxing the float64 itself into the wait's data
// would allocate on every wait.
type amountReq struct{ amount float64 }

// wait parks p in q (c's putters or getters) with a request for amount,
// in a reused record, and returns what the wait returns.
func (c *Container) wait(q *sim.WaitQueue, p *sim.Proc, amount float64) (woken bool, err error) {
	var r *amountReq
	if n := len(c.free); n > 0 {
		r = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		r = new(amountReq)
	}
	r.amount = amount
	woken, err = q.WaitWith(p, r)
	c.free = append(c.free, r)
	return woken, err
}
