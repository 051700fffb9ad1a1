package sim

import (
	"errors"
	"fmt"
	"time"
)

// ErrInterrupted matches the *InterruptError that a wait returns when its
// task is interrupted.
var ErrInterrupted = errors.New("sim: interrupted")

// ErrNotInterruptible is returned by Interrupt for a task that has ended or
// that interrupts itself.
var ErrNotInterruptible = errors.New("sim: task cannot be interrupted")

// InterruptError is the error a wait returns when its task is interrupted
// (SimPy's Interrupt): it carries the cause given to Interrupt. The task is
// not cancelled: it may handle the interrupt and wait again.
type InterruptError struct {
	// Cause is the value given to Interrupt.
	Cause any
	// At is the virtual time of the interrupt.
	At time.Duration
}

// Error returns "sim: interrupted" and the cause.
func (e *InterruptError) Error() string {
	return fmt.Sprintf("%v at %v: %v", ErrInterrupted, e.At, e.Cause)
}

// Unwrap returns ErrInterrupted.
func (e *InterruptError) Unwrap() error { return ErrInterrupted }

// Interrupt interrupts the task with cause (SimPy's Process.interrupt): the
// wait it is suspended in returns an *InterruptError carrying cause, after
// the events already due now. What it waited on is left alone: a timer or
// a future goes on, a primitive's queue forgets the task (and takes back
// whatever it had handed over), and the task may wait again. If the task's
// resumption is already scheduled, the interrupt replaces the outcome of
// that wait; if the task is running or has not started, its next wait
// returns the interrupt at once. Several interrupts are delivered one a
// wait, in order; a cancellation is delivered before them. Interrupt returns
// an error matching ErrNotInterruptible if the task has ended or is the one
// calling.
func (t *Task[T]) Interrupt(cause any) error {
	p := &t.proc
	switch {
	case p.state == finished:
		return fmt.Errorf("%w: task %q has ended", ErrNotInterruptible, p.name)
	case p.env.current == p:
		return fmt.Errorf("%w: task %q interrupts itself", ErrNotInterruptible, p.name)
	}
	p.deliverInterrupt(&InterruptError{Cause: cause, At: p.env.now})
	return nil
}

// deliverInterrupt queues err for the task's waits, one a wait, and cuts
// short the wait it is suspended in unless a cancellation is due first.
// Interrupts and preemptions both go through it.
func (p *Proc) deliverInterrupt(err error) {
	x := p.extra()
	x.interrupts = append(x.interrupts, err)
	if p.state == waiting && !p.mustCancel {
		p.cutWait()
	}
}
