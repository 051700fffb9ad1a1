package sim

import (
	"errors"
	"fmt"
	"time"
)

func (p *Proc) uncancel() int {
	if p.x == nil || p.x.cancels == 0 {
		return 0
	}
	p.x.cancels--
	if p.x.cancels == 0 {
		p.mustCancel = false
	}
	return p.x.cancels
}

// cancel is Task.Cancel.
func (p *Proc) cancel(msg string) bool { return p.cancelFor(msg, false) }

// cancelFor requests a cancellation; timeout says it comes from an expired
// timeout scope, which the task's contexts report as DeadlineExceeded.
func (p *Proc) cancelFor(msg string, timeout bool) bool {
	if p.state == finished {
		return false
	}
	p.extra().cancels++
	p.cancelContexts(timeout)
	if p.state == waiting && p.cancelWait(msg) {
		return true
	}
	p.mustCancel = true
	p.extra().cancelMsg = msg
	return true
}

// cancelWait cancels what the waiting task waits on, so that it resumes with
// a cancellation. It reports false if the wait cannot be cancelled (the
// resumption is scheduled already).
func (p *Proc) cancelWait(msg string) bool {
	e := p.env
	switch p.wait {
	case waitTimer:
		if !e.events.Cancel(p.ticket) {
			return false
		}
		p.resumeNow(&CancelledError{Msg: msg})
		return true
	case waitFuture:
		// Tasks that await each other in a cycle would pass the
		// cancellation round it for ever (asyncio recurses until its
		// RecursionError; here the stack would overflow): it stops where
		// it started, and the cycle stays the deadlock it is, which Run
		// reports.
		x := p.extra()
		if x.cancelling {
			return false
		}
		x.cancelling = true
		ok := p.fut.Cancel(msg)
		x.cancelling = false
		return ok
	case waitQueued:
		p.wq.remove(p)
		p.resumeNow(&CancelledError{Msg: msg})
		return true
	}
	return false
}

// cutWait ends the current wait early, without cancelling what it waits
// on, so that the task resumes now and its wait delivers a pending
// interrupt. A resumption already scheduled is left as it is: the interrupt
// replaces its outcome.
func (p *Proc) cutWait() {
	e := p.env
	switch p.wait {
	case waitTimer:
		if !e.events.Cancel(p.ticket) {
			return
		}
	case waitFuture:
		if !p.fut.RemoveDoneCallback(p.futCB) {
			return // its wake-up is scheduled already
		}
	case waitQueued:
		p.wq.remove(p)
	default:
		return
	}
	p.resumeNow(nil)
}

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

// Unwrap returns ErrInterrupted and, if the cause is an error, the cause:
// errors.Is and errors.As see through an interrupt to its cause (a
// resource's preemption, say).
func (e *InterruptError) Unwrap() []error {
	if err, ok := e.Cause.(error); ok {
		return []error{ErrInterrupted, err}
	}
	return []error{ErrInterrupted}
}

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
func (t *Task[T]) Interrupt(cause any) error { return t.proc.Interrupt(cause) }

// Interrupt interrupts p's task with cause, as Task.Interrupt does. It is
// for code that holds the task's Proc rather than its Task: a primitive
// that preempts a holder, the task's peers, or a callback (SimPy's
// env.active_process.interrupt(); a callback runs outside any task, so
// Env.Current is nil there). As in SimPy, a task cannot interrupt itself.
func (p *Proc) Interrupt(cause any) error {
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
