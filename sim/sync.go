package sim

import (
	"errors"
	"fmt"
)

// ErrBoundExceeded is returned by BoundedSemaphore.Release when it would
// raise the count above its bound.
var ErrBoundExceeded = errors.New("sim: BoundedSemaphore released too many times")

// Event is asyncio's Event on virtual time: tasks wait until it is set. The
// zero Event is not usable; create one with NewEvent. Its methods must be
// called on the Env's goroutine.
type Event struct {
	set bool
	q   WaitQueue
}

// NewEvent returns an Event that is not set.
func NewEvent() *Event { return &Event{q: WaitQueue{what: "an Event"}} }

// Set sets the event and wakes every waiting task, in the order they began
// to wait. Tasks woken return from Wait even if the event is cleared before
// they resume.
func (ev *Event) Set() {
	if !ev.set {
		ev.set = true
		ev.q.WakeAll()
	}
}

// Clear unsets the event.
func (ev *Event) Clear() { ev.set = false }

// IsSet reports whether the event is set.
func (ev *Event) IsSet() bool { return ev.set }

// Wait returns at once if the event is set, and otherwise suspends p's task
// until it is. It returns nil, or a *CancelledError if the task is
// cancelled while it waits (it then leaves no trace in the event).
func (ev *Event) Wait(p *Proc) error {
	p.CheckRunning("Event.Wait")
	ev.q.Claim(p, "Event.Wait")
	if ev.set {
		return nil
	}
	_, err := ev.q.park(p, nil, "Event.Wait", false)
	return err
}

// Lock is asyncio's Lock on virtual time: a mutual exclusion lock that is
// fair (waiters acquire it in the order they asked) and cancellation-safe
// (a waiter cancelled at any moment, even just after it was woken, leaves the
// lock as if it had never asked). The zero Lock is not usable; create one
// with NewLock.
type Lock struct {
	locked bool
	woken  int   // waiters woken by Release that have not resumed yet
	holder *Proc // the task that acquired it, for deadlock reports, which read only its name
	q      WaitQueue
}

// NewLock returns an unlocked Lock.
func NewLock() *Lock {
	l := &Lock{q: WaitQueue{what: "a Lock"}}
	l.q.holders = func() []*Proc {
		// A spawned task that ended holding the lock is named as a Go task
		// is, also once Spawn has reused its Proc: a reused Proc keeps its
		// name (Env.spareFor), and the report reads nothing else.
		if l.holder == nil {
			return nil
		}
		return []*Proc{l.holder}
	}
	return l
}

// Locked reports whether the lock is held.
func (l *Lock) Locked() bool { return l.locked }

// Acquire takes the lock for p's task, waiting in FIFO order while another
// holds it. It returns nil once the lock is held, or a *CancelledError if the
// task is cancelled while it waits (the lock is then not held by it).
func (l *Lock) Acquire(p *Proc) error {
	p.CheckRunning("Lock.Acquire")
	l.q.Claim(p, "Lock.Acquire")
	if !l.locked && l.q.Len() == 0 && l.woken == 0 {
		l.locked, l.holder = true, p
		return nil
	}
	woken, err := l.q.park(p, nil, "Lock.Acquire", false)
	if woken {
		l.woken--
	}
	if err != nil {
		if !l.locked {
			l.wakeFirst() // pass the turn on: the lock must not be left idle with waiters
		}
		return err
	}
	l.locked, l.holder = true, p
	return nil
}

// Release unlocks the lock and wakes the first waiter. It panics if the lock
// is not held.
func (l *Lock) Release() {
	if !l.locked {
		panic("sim: Lock.Release of an unlocked Lock")
	}
	l.locked, l.holder = false, nil
	l.wakeFirst()
}

func (l *Lock) wakeFirst() {
	if l.woken == 0 && l.q.WakeOne() != nil {
		l.woken++
	}
}

// Semaphore is asyncio's Semaphore on virtual time: a counter of free units;
// Acquire takes one, waiting in FIFO order while none is free, and Release
// returns one. It is cancellation-safe: a waiter cancelled at any moment
// leaves the count as it was. Create one with NewSemaphore or
// NewBoundedSemaphore.
type Semaphore struct {
	value   int
	bound   int // 0: unbounded
	woken   int // waiters handed a unit that have not resumed yet
	q       WaitQueue
	bounded bool
}

// NewSemaphore returns a Semaphore with value free units. It panics if value
// is negative.
func NewSemaphore(value int) *Semaphore {
	if value < 0 {
		panic(fmt.Sprintf("sim: NewSemaphore(%d): the initial value must be 0 or more", value))
	}
	return &Semaphore{value: value, q: WaitQueue{what: "a Semaphore"}}
}

// NewBoundedSemaphore returns a Semaphore with value free units whose
// Release fails with ErrBoundExceeded if it would raise the count above
// value. It panics if value is negative.
func NewBoundedSemaphore(value int) *Semaphore {
	s := NewSemaphore(value)
	s.bound, s.bounded = value, true
	return s
}

// Value returns the number of free units.
func (s *Semaphore) Value() int { return s.value }

// Locked reports whether Acquire would wait.
func (s *Semaphore) Locked() bool { return s.value == 0 || s.q.Len() > 0 || s.woken > 0 }

// Acquire takes a unit for p's task, waiting in FIFO order while none is
// free or others wait (Python 3.13's rules: a task that asks while others
// wait or were woken queues behind them, even if a unit is free). It
// returns nil, or a *CancelledError if the task is cancelled while it
// waits (then it holds no unit: a unit it was handed goes to the next
// waiter). When a waiter leaves the queue, by acquiring or by being
// cancelled, it wakes as many further waiters as there are free units.
func (s *Semaphore) Acquire(p *Proc) error {
	p.CheckRunning("Semaphore.Acquire")
	s.q.Claim(p, "Semaphore.Acquire")
	if !s.Locked() {
		s.value--
		return nil
	}
	woken, err := s.q.park(p, nil, "Semaphore.Acquire", false)
	if woken {
		s.woken--
		if err != nil { // handed a unit, but cancelled before taking it: give it back
			s.value++
		}
	}
	for s.wakeNext() { // waiters that had to queue behind this one, as units allow
	}
	return err
}

// Release returns a unit and wakes the first waiter. For a bounded
// semaphore it returns ErrBoundExceeded, and changes nothing, if the count
// would exceed the bound.
func (s *Semaphore) Release() error {
	if s.bounded && s.value >= s.bound {
		return fmt.Errorf("%w (bound %d)", ErrBoundExceeded, s.bound)
	}
	s.value++
	s.wakeNext()
	return nil
}

// wakeNext hands a free unit to the first waiter; it reports whether there
// was a unit and a waiter.
func (s *Semaphore) wakeNext() bool {
	if s.value > 0 && s.q.WakeOne() != nil {
		s.value--
		s.woken++
		return true
	}
	return false
}
