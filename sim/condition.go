package sim

// Condition is asyncio's Condition (Python 3.13) on virtual time: a Lock
// with a queue of tasks that wait, with the lock released, until another
// task notifies them. Waiters are notified in the order they began to wait
// and re-acquire the lock in that order. The zero Condition is not usable;
// create one with NewCondition. Its methods must be called on the Env's
// goroutine.
//
// Wait, Notify and NotifyAll need the lock to be held; calling them on an
// unlocked Condition is a programmer mistake and panics (asyncio raises
// RuntimeError). As in asyncio, the check is that the lock is held, not that
// the caller holds it.
//
// Notify and NotifyAll are O(n) in the number of waiters woken; Wait is
// O(1) apart from the waits themselves.
type Condition struct {
	l *Lock
	q WaitQueue
}

// NewCondition returns a Condition on l, or on a new Lock if l is nil.
// Several Conditions may share a Lock.
func NewCondition(l *Lock) *Condition {
	if l == nil {
		l = NewLock()
	}
	return &Condition{l: l, q: WaitQueue{what: "a Condition"}}
}

// Acquire takes the underlying lock for p's task (see Lock.Acquire).
func (c *Condition) Acquire(p *Proc) error { return c.l.Acquire(p) }

// Release unlocks the underlying lock (see Lock.Release). It panics if the
// lock is not held.
func (c *Condition) Release() { c.l.Release() }

// Locked reports whether the underlying lock is held.
func (c *Condition) Locked() bool { return c.l.Locked() }

// Wait releases the lock, suspends p's task until Notify or NotifyAll wakes
// it, then re-acquires the lock and returns nil. The lock is held again
// when Wait returns, also when it returns an error: a task cancelled while
// it waits first re-acquires the lock (waiting its turn), then Wait returns
// the *CancelledError (the latest one if it was cancelled again while
// re-acquiring), as in Python 3.13. A task that was notified but returns an
// error passes its notification on to the next waiter, so that no
// notification is lost. Unlike asyncio, which cannot tell and may wake
// another waiter spuriously, a waiter cancelled before it was notified wakes
// no one.
//
// Wait panics if the lock is not held or if it is called outside p's task.
func (c *Condition) Wait(p *Proc) error {
	p.CheckRunning("Condition.Wait")
	c.q.Claim(p, "Condition.Wait")
	if !c.l.Locked() {
		panic("sim: Condition.Wait with the lock not held")
	}
	c.l.Release()
	woken, err := c.q.park(p, nil, "Condition.Wait", false)
	for {
		aerr := c.l.Acquire(p)
		if aerr == nil {
			break
		}
		err = aerr
	}
	if err != nil && woken {
		c.q.WakeOne()
	}
	return err
}

// WaitFor waits (see Wait) until pred returns true; pred is called with the
// lock held, first before any wait. It returns nil, or the error of the
// Wait that failed; either way the lock is held. It panics if pred is nil,
// if the lock is not held or if it is called outside p's task.
func (c *Condition) WaitFor(p *Proc, pred func() bool) error {
	p.CheckRunning("Condition.WaitFor")
	if pred == nil {
		panic("sim: Condition.WaitFor with a nil predicate")
	}
	for !pred() {
		if err := c.Wait(p); err != nil {
			return err
		}
	}
	return nil
}

// Notify wakes up to n waiting tasks, the ones that have waited longest;
// n <= 0 wakes none. The woken tasks resume, in order, after the events due
// now, each once it holds the lock. Notify panics if the lock is not held.
func (c *Condition) Notify(n int) {
	if !c.l.Locked() {
		panic("sim: Condition.Notify with the lock not held")
	}
	for ; n > 0 && c.q.WakeOne() != nil; n-- {
	}
}

// NotifyAll wakes every waiting task, in the order they began to wait. It
// panics if the lock is not held.
func (c *Condition) NotifyAll() {
	if !c.l.Locked() {
		panic("sim: Condition.NotifyAll with the lock not held")
	}
	c.q.WakeAll()
}
