package sim

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/vtsim/vtsim/future"
)

// Sleep suspends the task for d of virtual time. A negative d counts as 0:
// Sleep(0) yields (see Yield). It returns nil, or the *CancelledError of a
// cancellation delivered while it waited, or an error matching
// ErrTimeOverflow if Now+d is past MaxTime (without waiting). It panics if
// called from outside the task, and, on amd64 and arm64 and in race builds,
// if called from a goroutine other than the task's own (one the task
// started), naming the misuse, before it changes anything: see
// [Proc.CheckRunning] for what every wait checks.
func (p *Proc) Sleep(d time.Duration) error { return p.timer(sleepFor, d) }

// SleepUntil suspends the task until virtual time t; a time before Now counts
// as Now. It returns as Sleep does.
func (p *Proc) SleepUntil(t time.Duration) error { return p.timer(sleepUntil, t) }

// Yield lets every other event due now run, then resumes the task at the
// same virtual time (Sleep(0); asyncio's sleep(0)). It returns nil or a
// cancellation error.
func (p *Proc) Yield() error { return p.timer(yieldNow, 0) }

// timerWait says which of Sleep, SleepUntil and Yield a timer wait is.
type timerWait uint8

const (
	sleepFor timerWait = iota
	sleepUntil
	yieldNow
)

// op returns the method's name, for messages.
func (k timerWait) op() string { return [...]string{"Sleep", "SleepUntil", "Yield"}[k] }

// timer is Sleep, SleepUntil and Yield: it suspends the task until an event
// in the queue at Now+t, at t, or now, as kind says. It is park written out
// around the event: Sleep and the others inline into the caller, so that
// after the coroutine switch the task returns through this one frame to
// user code (docs/design.md, "One frame after the switch").
func (p *Proc) timer(kind timerWait, t time.Duration) error {
	if p == nil || p.env.current != p {
		p.notRunning(kind.op())
	}
	if !p.onOwnGoroutine() {
		p.foreignGoroutine("Proc." + kind.op())
	}
	e := p.env
	at := e.now
	switch kind {
	case sleepFor:
		if t > MaxTime-at { // never true for t <= 0: now is at most MaxTime
			return fmt.Errorf("sim: Sleep(%v): %w", t, e.overflow(t))
		}
		at += max(t, 0)
	case sleepUntil:
		at = max(t, at)
	}
	if e.direct && at > e.now && p.wakeNext(kind, at) {
		return nil
	}
	p.ticket = e.events.Push(at, 0, p.co.wake)
	p.wait, p.timerKind, p.until = waitTimer, kind, at
	// park, written out, beginWait too (it does not inline: a call and a
	// return on every wait).
	p.state, p.since = waiting, e.now
	if p.mustCancel || p.x != nil || e.cfg.tracer != nil {
		p.beforeYield()
	}
	// suspend, written out with the call of switchOut split in two, so
	// that a task that does not host returns from the coroutine's yield
	// straight into this frame.
	var ok bool
	if e.direct && e.host == nil {
		ok = p.switchOut()
	} else {
		ok = p.co.yield(struct{}{})
	}
	if !ok || e.closing {
		panic(unwinding{})
	}
	return p.woke()
}

// wakeNext ends p's timer wait until at, a time after now, without a task
// switch, if its wake-up would be the very next event the run loop pops,
// and reports whether it did. The switch would push the wake-up and yield
// to the loop, which would pop it at once (nothing else runs in between),
// set the clock, count the step and resume the task: wakeNext does the
// same without the push, the pop and the two coroutine switches. It
// applies only where that is certain and nothing can tell the difference:
// inside a run loop (Env.direct: Run, RunUntil, RunUntilComplete, not
// Step, not paced, no tracer), with at within the loop's limit, no Stop
// requested, no clock adapter, nothing to deliver at the wait (no
// cancellation requested, no error, no procExtra: interrupts, scopes,
// contexts), and the event set's word that at is strictly before every
// pending event (scheduler.Set.Advance: FIFO, the heap, the ready ring
// empty). The watchdog sees the step counted as for any event. A wait
// that ends now (Yield, Sleep(0)) always switches: it exists to let the
// other events due now run, and BenchmarkSwitch measures it.
func (p *Proc) wakeNext(kind timerWait, at time.Duration) bool {
	e := p.env
	if at > e.limit || e.stopping || e.clk != nil || p.mustCancel || p.x != nil || p.err != nil || !e.events.Advance(at) {
		return false
	}
	p.since, p.until, p.timerKind = e.now, at, kind // as the wait would have left them
	e.now = at
	e.steps++
	return true
}

// Await suspends the task until f is done and returns f's result. If f is
// done already it returns at once, without yielding (as asyncio's await). If
// the task is cancelled while it waits, f is cancelled with the same message;
// Await returns f's outcome then (a *CancelledError, unless f ignored the
// cancellation). It panics if called from outside p's task or, if it would
// wait, from a goroutine other than the task's own (see [Proc.CheckRunning]),
// if f is nil, if f is p's own task, or if f belongs to another Env.
func Await[T any](p *Proc, f future.Awaitable[T]) (T, error) {
	p.checkRunning("Await")
	if f == nil {
		panic(fmt.Sprintf("sim: Await in task %q called with a nil future", p.name))
	}
	if f.Done() {
		return f.Result()
	}
	if !p.onOwnGoroutine() {
		p.foreignGoroutine("Await")
	}
	if o, ok := f.(interface{ Proc() *Proc }); ok && o.Proc() == p {
		panic(fmt.Sprintf("sim: task %q awaits itself", p.name))
	}
	if o, ok := f.(interface{ Loop() future.Loop }); ok && o.Loop() != p.env.Loop() {
		panic(fmt.Sprintf("sim: task %q awaits a future of another Env or loop", p.name))
	}
	p.futCB = f.AddDoneCallback(p.co.wake)
	p.wait, p.fut = waitFuture, f
	err := p.park()
	p.fut = nil
	if err != nil {
		var zero T
		return zero, err
	}
	return f.Result()
}

// checkRunning panics unless p's task is the one running now; in race
// builds, also unless the caller runs on the task's own goroutine
// (goroutine.go).
func (p *Proc) checkRunning(op string) {
	if p == nil || p.env.current != p {
		p.notRunning(op)
	}
	if raceEnabled && !p.onOwnGoroutine() {
		p.foreignGoroutine(op)
	}
}

// notRunning is checkRunning's failure, apart so that the check inlines.
func (p *Proc) notRunning(op string) {
	if p == nil {
		panic(fmt.Sprintf("sim: %s called with a nil *Proc; pass the Proc that the task's function receives", op))
	}
	e := p.env
	e.check(op)
	if e.current == nil {
		panic(fmt.Sprintf("sim: Proc.%s of task %q called outside the task (from the driver or a callback); waits may only be called from the task's own body", op, p.name))
	}
	if !e.current.onOwnGoroutine() {
		panic(fmt.Sprintf("sim: Proc.%s of task %q called from a goroutine other than a task's own (while task %q runs); waits must be called from the task's own goroutine", op, p.name, e.current.name))
	}
	panic(fmt.Sprintf("sim: Proc.%s of task %q called from task %q; waits may only be called from the task's own body", op, p.name, e.current.name))
}

// unwinding is the panic value with which waits unwind tasks on Close.
type unwinding struct{}

// envClosed is the message of the cancellation that Close delivers.
const envClosed = "sim: Env closed"

// park suspends the running task until the run loop resumes it, and returns
// the error its wait delivers. Its common path (nothing pending, no tracer)
// is a few loads and stores; the rest is in beforeYield and delivered.
func (p *Proc) park() error {
	p.beginWait()
	p.suspend()
	return p.woke()
}

// beginWait marks the task waiting since now and makes the uncommon part
// of a wait before the switch (beforeYield). It does not inline (it costs
// 87, past the budget of 80), so the timer wait and WaitQueue.park, on the
// paths of every sleep and hand-off, have it written out: its call and
// return cost 2% of a hand-off.
func (p *Proc) beginWait() {
	e := p.env
	p.state, p.since = waiting, e.now
	if p.mustCancel || p.x != nil || e.cfg.tracer != nil {
		p.beforeYield()
	}
}

// suspend switches to the run loop until the task is resumed; on Close it
// unwinds the task instead. It inlines into the waits (docs/design.md, "One
// frame after the switch").
func (p *Proc) suspend() {
	if !p.switchOut() || p.env.closing {
		panic(unwinding{})
	}
}

// woke ends a wait after suspend and returns what it delivers. It inlines.
func (p *Proc) woke() error {
	p.wait = waitNone
	if p.err == nil && !p.mustCancel && p.x == nil {
		return nil
	}
	return p.delivered()
}

// resumeNow schedules the waiting task's resumption after the events due
// now, with err (if not nil) as the outcome of its wait. Every wake-up that
// is not the wait's own event (a primitive's wake, a cancellation, an
// interrupt) goes through it; once it is scheduled, the wait can no longer
// be cancelled (waitWake).
func (p *Proc) resumeNow(err error) {
	e := p.env
	if err != nil {
		p.err = err
	}
	p.ticket = e.events.Push(e.now, 0, p.co.wake)
	p.wait = waitWake
}

// beforeYield is park's uncommon part before the switch: a cancellation or
// interrupt requested while the task ran, and the tracer.
func (p *Proc) beforeYield() {
	if p.mustCancel && p.cancelWait(p.cancelMessage()) {
		// A cancellation requested while the task ran is delivered by its
		// next wait, after a turn of the loop (asyncio's _must_cancel).
		p.mustCancel = false
	} else if p.interrupted() {
		p.cutWait() // likewise an interrupt
	}
	if tr := p.env.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: p.env.now, Kind: TraceWait, Task: p.id, Name: p.name, What: p.waitingOn()})
	}
}

// delivered returns the outcome of a wait that ends with an error, a
// cancellation or an interrupt. It is kept out of line so that woke, which
// calls it on the uncommon path only, stays small enough to inline.
//
//go:noinline
func (p *Proc) delivered() error {
	err := p.err
	p.err = nil
	if p.mustCancel {
		p.mustCancel = false
		err = &CancelledError{Msg: p.cancelMessage()}
	} else if err == nil && p.interrupted() {
		err = p.x.interrupts[0]
		p.x.interrupts = p.x.interrupts[1:]
	}
	return err
}

// resume runs p's task until its next wait or its end. The coroutine's
// wake function has its common case inlined (see coro.go).
func (e *Env) resume(p *Proc) {
	switch p.state {
	case created:
		if p.mustCancel {
			// Cancelled before its first step: the body never runs.
			c := p.co
			p.owner.complete(nil, true)
			e.putIdle(c)
			return
		}
	case waiting:
	default:
		panic(fmt.Sprintf("sim: internal error: resume of task %q in state %d", p.name, p.state))
	}
	p.state = running
	e.current = p
	if tr := e.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: e.now, Kind: TraceResume, Task: p.id, Name: p.name})
	}
	p.co.next() // the task may end in there, and p.co with it
	e.current = nil
	if e.held != nil {
		e.runHeld()
	}
}

// body runs the task's function on its coroutine and completes the task.
func (p *Proc) body() {
	defer func() {
		if p.state == finished {
			return
		}
		r := recover()
		switch r.(type) {
		case nil:
			// runtime.Goexit (t.FailNow in a test): let it unwind the driver.
			p.owner.complete(fmt.Errorf("sim: task %q exited with runtime.Goexit", p.name), false)
		case unwinding:
			p.owner.complete(&CancelledError{Msg: envClosed}, true)
		default:
			p.owner.complete(&PanicError{Value: r, Stack: debug.Stack()}, false)
		}
	}()
	p.owner.runBody()
}

// finish records the end of the task; err is its failure, if any.
func (p *Proc) finish(err error) {
	e := p.env
	p.state = finished
	p.wait = waitNone
	p.until = e.now // once the task has ended, until is the time it ended (for failure reports)
	e.tasks.remove(p, inTaskList)
	if err != nil {
		p.err = err
		e.failed = append(e.failed, p)
	}
	if p.wq != nil { // unwound by Close while in a primitive's queue
		p.wq.remove(p)
	}
	p.cancelContexts(false)
	if p.endw != nil {
		p.toldEnd()
	}
	p.co, p.fut = nil, nil
	if tr := e.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: e.now, Kind: TraceDone, Task: p.id, Name: p.name})
	}
}

// unwind ends an unfinished task on Close.
func (p *Proc) unwind() {
	e := p.env
	c := p.co
	if p.state == created {
		p.owner.complete(&CancelledError{Msg: envClosed}, true)
		e.putIdle(c)
		return
	}
	// A body that recovers the unwinding and returns still ends cancelled.
	p.mustCancel = true
	p.extra().cancelMsg = envClosed
	p.state = running
	e.current = p
	c.next()
	c.stop()
	e.current = nil
	if p.state != finished { // the body swallowed the unwinding and returned
		p.owner.complete(&CancelledError{Msg: envClosed}, true)
	}
}

// waitingOn describes the current wait for reports.
func (p *Proc) waitingOn() string {
	switch p.wait {
	case waitTimer:
		what := "sleep"
		if p.timerKind == yieldNow {
			what = "yield"
		}
		return fmt.Sprintf("%s until %v", what, p.until)
	case waitFuture:
		if o, ok := p.fut.(interface{ describe() string }); ok {
			return o.describe()
		}
		if s, ok := p.fut.(fmt.Stringer); ok {
			return s.String()
		}
		return fmt.Sprintf("a future (%T)", p.fut)
	case waitWake:
		return "its resumption"
	case waitQueued:
		return p.wq.describe()
	}
	if p.state == created {
		return "its first step"
	}
	return "nothing"
}

// CheckRunning panics, with a message naming op (for example
// "Latch.Wait"), unless p's task is the one running now. A primitive calls
// it first in every operation that may wait, also on the paths that do not
// wait, so that a misuse is caught on every call.
//
// The goroutine check: a call with p from a goroutine other than the task's
// own (one the task started, say, while the task waits for it on a plain
// channel) passes the check above, since the task is the one running, and
// a wait would switch from the wrong goroutine, silently corrupting the
// model's timing. So on amd64 and arm64 every wait that suspends the task
// (Sleep, SleepUntil, Yield, Await of a future not done, every
// [WaitQueue] wait, and so every primitive's wait that waits) first
// compares the running goroutine with the task's, exactly and for about
// 2 ns, and panics in the calling goroutine with "sim: Proc.Sleep of
// task "x" called from a goroutine the task started; waits must be called
// from the task's own goroutine", naming the call (Proc.Sleep, Await,
// Queue.Get, WaitQueue.Wait, ...). CheckRunning makes the same check (on
// amd64 and arm64 always, elsewhere in race builds), so that a primitive
// written on it (package resource's, a user's own) refuses the call before
// it changes anything, and names its own operation.
func (p *Proc) CheckRunning(op string) {
	p.checkRunning(op)
	if !p.onOwnGoroutine() {
		p.foreignGoroutine(op)
	}
}
