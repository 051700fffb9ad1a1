package sim

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
)

type taskState uint8

const (
	created  taskState = iota // first step scheduled, body not started
	running                   // the body runs now
	waiting                   // suspended in a wait
	finished                  // ended with a value, an error or cancelled
)

// waitKind says what a waiting task waits on and how to cancel that wait.
type waitKind uint8

const (
	waitNone   waitKind = iota
	waitTimer           // Sleep, SleepUntil, Yield: an event in the queue (ticket)
	waitFuture          // Await: a done-callback on fut
	waitWake            // a resumption is scheduled already (ticket); cannot be cancelled
	waitQueued          // in a primitive's waitQueue (wq)
)

// Proc is a task as seen from inside: its body receives it and calls its
// waits (Sleep, SleepUntil, Yield, and functions such as Await that take it).
// Waits may only be called from the task's own body, while it runs; other
// methods may be called from anywhere on the Env's goroutine.
type Proc struct {
	env   *Env
	name  string
	id    uint64
	owner taskOwner

	co *coro // the coroutine running the task, taken when it is created; nil after the end

	// The current wait (its kind is the field wait, below).
	until  time.Duration // deadline of a timer wait
	since  time.Duration // when the wait began
	ticket scheduler.Ticket
	fut    future.Waitable
	wq     *waitQueue // the primitive's queue, for waitQueued
	wqPrev *Proc      // links in wq
	wqNext *Proc
	err    error // delivered by the wait when the task resumes

	// Cancellation, as asyncio's Task: the number of requests not yet
	// withdrawn by Uncancel, and a request to deliver at the next wait.
	cancels int
	futCB   future.CallbackID
	x       *procExtra // rarely used state, allocated on first use

	// Outcome, for failure reports.
	endedAt   time.Duration
	resumedAt time.Duration // for the watchdog's report

	prevTask, nextTask *Proc // the Env's list of unfinished tasks

	// Small fields together, to save padding.
	state      taskState
	wait       waitKind  // what the task waits on now
	woken      bool      // a waitQueue woke the task (rather than a cancellation)
	mustCancel bool      // a cancellation request to deliver at the next wait
	timerKind  timerWait // which of Sleep, SleepUntil and Yield a timer wait is, for reports
	observed   bool      // somebody read the task's outcome
}

// procExtra is the state of a task that most tasks never use, kept out of
// Proc so that a task costs less memory and creating one clears less.
type procExtra struct {
	interrupts []error // interrupts and preemptions to deliver, one a wait, oldest first
	cancelMsg  string
	scopes     []*Scope       // active timeout scopes, outermost first
	expire     func()         // expireScopes, made on the first deadline
	ctxs       []*procContext // contexts to cancel with the task
}

// extra returns p's procExtra, allocating it on first use.
func (p *Proc) extra() *procExtra {
	if p.x == nil {
		p.x = new(procExtra)
	}
	return p.x
}

// interrupted reports whether an interrupt waits to be delivered.
func (p *Proc) interrupted() bool { return p.x != nil && len(p.x.interrupts) > 0 }

// cancelMessage returns the message of the pending cancellation request.
func (p *Proc) cancelMessage() string {
	if p.x == nil {
		return ""
	}
	return p.x.cancelMsg
}

// scopeList returns the active timeout scopes, outermost first.
func (p *Proc) scopeList() []*Scope {
	if p.x == nil {
		return nil
	}
	return p.x.scopes
}

// taskOwner is the typed Task that holds a Proc.
type taskOwner interface {
	runBody()                        // runs the body and completes the task
	complete(err error, cancel bool) // ends the task with err, or cancelled
	describe() string
}

// Task is a running task: a coroutine with a result of type T, and a Future
// of that result (asyncio's Task). Create one with Go. Its methods must be
// called on the Env's goroutine (from the driver, a callback or a task).
type Task[T any] struct {
	proc Proc
	fut  future.Future[T]
	res  future.Resolver[T]
	fn   func(*Proc) (T, error)
}

// Go creates a task called name that runs fn as a coroutine, and schedules
// its first step: fn does not run before Go returns (asyncio's
// create_task). The task ends with the value and error fn returns; if fn
// returns an error matching ErrCancelled, the task ends cancelled. A panic
// in fn ends the task with a *PanicError. Go panics if env or fn is nil or
// env is closed.
func Go[T any](env *Env, name string, fn func(p *Proc) (T, error)) *Task[T] {
	if env == nil {
		panic("sim: Go called with a nil Env")
	}
	env.check("Go")
	if fn == nil {
		panic(fmt.Sprintf("sim: Go(%q) called with a nil function", name))
	}
	t := &Task[T]{fn: fn}
	t.res = t.fut.Init((*envLoop)(env))
	p := &t.proc
	env.nextID++
	p.env, p.name, p.id, p.owner, p.since = env, name, env.nextID, t, env.now // the rest is zero
	env.tasks.add(p)
	p.co = env.coroFor(p)
	p.ticket = env.events.Push(env.now, 0, p.co.wake)
	if tr := env.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: env.now, Kind: TraceSpawn, Task: p.id, Name: name})
	}
	return t
}

func (t *Task[T]) runBody() {
	v, err := t.fn(&t.proc)
	t.fn = nil
	p := &t.proc
	switch {
	case err == nil && !p.mustCancel:
		t.res.SetResult(v)
		p.finish(nil)
	case err == nil || errors.Is(err, ErrCancelled):
		t.complete(err, true)
	default:
		t.complete(err, false)
	}
}

func (t *Task[T]) complete(err error, cancel bool) {
	p := &t.proc
	t.fn = nil
	if cancel {
		msg := p.cancelMessage()
		var ce *CancelledError
		if errors.As(err, &ce) {
			msg = ce.Msg
		}
		t.fut.Cancel(msg)
		p.finish(nil)
		return
	}
	t.res.SetError(err)
	p.finish(err)
}

func (t *Task[T]) describe() string { return fmt.Sprintf("task %q", t.proc.name) }

// Name returns the task's name.
func (t *Task[T]) Name() string { return t.proc.name }

// String returns `task "name"`.
func (t *Task[T]) String() string { return t.describe() }

// ID returns the task's number: 1 for the Env's first task, and so on.
func (t *Task[T]) ID() uint64 { return t.proc.id }

// Done reports whether the task has ended.
func (t *Task[T]) Done() bool { return t.fut.Done() }

// Cancelled reports whether the task ended cancelled.
func (t *Task[T]) Cancelled() bool { return t.fut.Cancelled() }

// Result returns the task's value and error; a cancelled task returns a
// *CancelledError and an unfinished one an error matching
// future.ErrInvalidState. Reading the result of a failed task counts as
// handling its failure: Run no longer reports it.
func (t *Task[T]) Result() (T, error) {
	t.proc.observed = true
	return t.fut.Result()
}

// Err returns the task's error, as Result does, without the value.
func (t *Task[T]) Err() error {
	_, err := t.Result()
	return err
}

// AddDoneCallback schedules fn when the task ends (at once if it has).
func (t *Task[T]) AddDoneCallback(fn func()) future.CallbackID { return t.fut.AddDoneCallback(fn) }

// RemoveDoneCallback removes a callback that was not scheduled yet.
func (t *Task[T]) RemoveDoneCallback(id future.CallbackID) bool {
	return t.fut.RemoveDoneCallback(id)
}

// Cancel requests that the task be cancelled (asyncio's Task.cancel). The
// task sees a *CancelledError carrying msg from the wait it is suspended in;
// if it is running, from its next wait; if it has not started, it never runs.
// A future the task awaits is cancelled too. The task ends cancelled if it
// returns that error; it may also handle it and go on. Cancel returns false,
// and changes nothing, if the task has ended.
func (t *Task[T]) Cancel(msg string) bool { return t.proc.cancel(msg) }

// Cancelling returns the number of cancellation requests not withdrawn by
// Uncancel (asyncio's Task.cancelling).
func (t *Task[T]) Cancelling() int { return t.proc.cancels }

// Uncancel withdraws one cancellation request and returns the number left
// (asyncio's Task.uncancel). As in Python 3.13, when none is left a request
// not yet delivered is withdrawn too.
func (t *Task[T]) Uncancel() int { return t.proc.uncancel() }

func (p *Proc) uncancel() int {
	if p.cancels > 0 {
		p.cancels--
		if p.cancels == 0 {
			p.mustCancel = false
		}
	}
	return p.cancels
}

// Loop returns the Env the task runs on, as a future.Loop.
func (t *Task[T]) Loop() future.Loop { return t.fut.Loop() }

// Proc returns the task's Proc, for code that only needs its name, ID or Env.
// Its waits may still only be called from inside the task.
func (t *Task[T]) Proc() *Proc { return &t.proc }

// Name returns the task's name.
func (p *Proc) Name() string { return p.name }

// ID returns the task's number: 1 for the Env's first task, and so on.
func (p *Proc) ID() uint64 { return p.id }

// Env returns the task's Env.
func (p *Proc) Env() *Env { return p.env }

// Now returns the Env's virtual time.
func (p *Proc) Now() time.Duration { return p.env.now }

// Current returns the task running now, or nil when called from outside any
// task (from a callback or the driver).
func (e *Env) Current() *Proc { return e.current }

// Sleep suspends the task for d of virtual time. A negative d counts as 0:
// Sleep(0) yields (see Yield). It returns nil, or the *CancelledError of a
// cancellation delivered while it waited, or an error matching
// ErrTimeOverflow if Now+d is past MaxTime (without waiting). It panics if
// called from outside the task.
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
// user code. Each frame between the switch and the caller costs about 4 ns
// of a 90 ns switch (BenchmarkSwitch, where park and the wrappers as their
// own frames took 103 ns): the returns after a switch are mispredicted.
func (p *Proc) timer(kind timerWait, t time.Duration) error {
	e := p.env
	if e.current != p {
		p.notRunning(kind.op())
	}
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
	p.ticket = e.events.Push(at, 0, p.co.wake)
	p.wait, p.timerKind, p.until = waitTimer, kind, at
	p.beginWait() // park, written out
	p.suspend()
	return p.woke()
}

// Await suspends the task until f is done and returns f's result. If f is
// done already it returns at once, without yielding (as asyncio's await). If
// the task is cancelled while it waits, f is cancelled with the same message;
// Await returns f's outcome then (a *CancelledError, unless f ignored the
// cancellation). It panics if called from outside p's task, if f is nil, if
// f is p's own task, or if f belongs to another Env.
func Await[T any](p *Proc, f future.Awaitable[T]) (T, error) {
	p.checkRunning("Await")
	if f == nil {
		panic(fmt.Sprintf("sim: Await in task %q called with a nil future", p.name))
	}
	if f.Done() {
		return f.Result()
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

// checkRunning panics unless p's task is the one running now.
func (p *Proc) checkRunning(op string) {
	if p.env.current != p {
		p.notRunning(op)
	}
}

// notRunning is checkRunning's failure, apart so that the check inlines.
func (p *Proc) notRunning(op string) {
	e := p.env
	e.check(op)
	if e.current == nil {
		panic(fmt.Sprintf("sim: Proc.%s of task %q called outside the task (from the driver or a callback); waits may only be called from the task's own body", op, p.name))
	}
	panic(fmt.Sprintf("sim: Proc.%s of task %q called from task %q; waits may only be called from the task's own body", op, p.name, e.current.name))
}

// unwinding is the panic value with which waits unwind tasks on Close.
type unwinding struct{}

// park suspends the running task until the run loop resumes it, and returns
// the error its wait delivers. Its common path (nothing pending, no tracer)
// is a few loads and stores; the rest is in beforeYield and delivered.
func (p *Proc) park() error {
	p.beginWait()
	p.suspend()
	return p.woke()
}

// beginWait marks the task waiting since now and makes the uncommon part
// of a wait before the switch (beforeYield). It inlines.
func (p *Proc) beginWait() {
	e := p.env
	p.state, p.since = waiting, e.now
	if p.mustCancel || p.x != nil || e.cfg.tracer != nil {
		p.beforeYield()
	}
}

// suspend switches to the run loop until the task is resumed; on Close it
// unwinds the task instead. It inlines, so that the waits that call it
// directly (park, timer, waitQueue.wait) return to their caller with no
// frame in between: each frame costs about 4 ns of a switch, since the
// returns after a coroutine switch are mispredicted.
func (p *Proc) suspend() {
	if !p.co.yield(struct{}{}) || p.env.closing {
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
	if wd := e.wd; wd != nil {
		p.resumedAt = e.now // published to the watchdog by the Store
		wd.current.Store(p)
	}
	p.co.next() // the task may end in there, and p.co with it
	e.current = nil
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
			p.owner.complete(&CancelledError{Msg: "sim: Env closed"}, true)
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
	p.endedAt = e.now
	e.tasks.remove(p)
	if err != nil {
		p.err = err
		e.failed = append(e.failed, p)
	}
	if p.wq != nil { // unwound by Close while in a primitive's queue
		p.wq.remove(p)
	}
	p.cancelContexts(false)
	p.co, p.fut = nil, nil
	if tr := e.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: e.now, Kind: TraceDone, Task: p.id, Name: p.name})
	}
}

// cancel is Task.Cancel.
func (p *Proc) cancel(msg string) bool { return p.cancelFor(msg, false) }

// cancelFor requests a cancellation; timeout says it comes from an expired
// timeout scope, which the task's contexts report as DeadlineExceeded.
func (p *Proc) cancelFor(msg string, timeout bool) bool {
	if p.state == finished {
		return false
	}
	p.cancels++
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
		p.err = &CancelledError{Msg: msg}
		p.ticket = e.events.Push(e.now, 0, p.co.wake)
		p.wait = waitWake
		return true
	case waitFuture:
		return p.fut.Cancel(msg)
	case waitQueued:
		p.wq.remove(p)
		p.err = &CancelledError{Msg: msg}
		p.ticket = e.events.Push(e.now, 0, p.co.wake)
		p.wait = waitWake
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
	p.ticket = e.events.Push(e.now, 0, p.co.wake)
	p.wait = waitWake
}

// unwind ends an unfinished task on Close.
func (p *Proc) unwind() {
	e := p.env
	c := p.co
	if p.state == created {
		p.owner.complete(&CancelledError{Msg: "sim: Env closed"}, true)
		e.putIdle(c)
		return
	}
	// A body that recovers the unwinding and returns still ends cancelled.
	p.mustCancel = true
	p.extra().cancelMsg = "sim: Env closed"
	p.state = running
	e.current = p
	c.next()
	c.stop()
	e.current = nil
	if p.state != finished { // the body swallowed the unwinding and returned
		p.owner.complete(&CancelledError{Msg: "sim: Env closed"}, true)
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
		return p.wq.what
	}
	if p.state == created {
		return "its first step"
	}
	return "nothing"
}

// taskList is an intrusive doubly linked list of unfinished tasks.
type taskList struct {
	head, tail *Proc
	n          int
}

func (l *taskList) add(p *Proc) {
	p.prevTask = l.tail
	if l.tail != nil {
		l.tail.nextTask = p
	} else {
		l.head = p
	}
	l.tail = p
	l.n++
}

func (l *taskList) remove(p *Proc) {
	if p.prevTask != nil {
		p.prevTask.nextTask = p.nextTask
	} else {
		l.head = p.nextTask
	}
	if p.nextTask != nil {
		p.nextTask.prevTask = p.prevTask
	} else {
		l.tail = p.prevTask
	}
	p.prevTask, p.nextTask = nil, nil
	l.n--
}
