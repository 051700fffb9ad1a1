package sim

import (
	"errors"
	"fmt"
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
	waitQueued          // in a primitive's WaitQueue (wq)
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
	until  time.Duration // deadline of a timer wait; once the task has ended, the time it ended
	since  time.Duration // when the wait began
	ticket scheduler.Ticket
	fut    future.Waitable
	wq     *WaitQueue // the primitive's queue, for waitQueued
	wdata  any        // what the primitive attached to the wait (WaitQueue.WaitWith)
	err    error      // delivered by the wait when the task resumes

	futCB future.CallbackID
	x     *procExtra // rarely used state, allocated on first use
	endw  *EndWatch  // the first watcher of the task's end (taskend.go); more in x

	link [2]procLink // in the Env's list of unfinished tasks and in wq (park.go)

	// Small fields together, to save padding.
	state      taskState
	wait       waitKind  // what the task waits on now
	woken      bool      // a WaitQueue woke the task (rather than a cancellation)
	mustCancel bool      // a cancellation request to deliver at the next wait
	timerKind  timerWait // which of Sleep, SleepUntil and Yield a timer wait is, for reports
	observed   bool      // somebody read the task's outcome
	kept       bool      // Keep was called: a spawned task's Proc is never reused (spawn.go)
}

// procExtra is the state of a task that most tasks never use, kept out of
// Proc so that a task costs less memory and creating one clears less.
type procExtra struct {
	// Cancellation, as asyncio's Task: the number of requests not yet
	// withdrawn by Uncancel (a request to deliver at the next wait is
	// Proc.mustCancel).
	cancels    int
	interrupts []error // interrupts and preemptions to deliver, one a wait, oldest first
	cancelMsg  string
	scopes     []*Scope       // active timeout scopes, outermost first
	expire     func()         // expireScopes, made on the first deadline
	ctxs       []*procContext // contexts to cancel with the task
	endws      []*EndWatch    // watchers of the task's end after the first (taskend.go)
	// cancelling: the task's cancellation is being passed on to the future
	// it awaits (cancelWait), so that one coming back round a cycle of
	// awaits stops there.
	cancelling bool
}

// extra returns p's procExtra, allocating it on first use.
func (p *Proc) extra() *procExtra {
	if p.x == nil {
		p.x = new(procExtra)
	}
	return p.x
}

// cancelCount returns the number of cancellation requests not withdrawn.
func (p *Proc) cancelCount() int {
	if p.x == nil {
		return 0
	}
	return p.x.cancels
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
	env.tasks.pushBack(p, inTaskList)
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
func (t *Task[T]) Cancelling() int { return t.proc.cancelCount() }

// Uncancel withdraws one cancellation request and returns the number left
// (asyncio's Task.uncancel). As in Python 3.13, when none is left a request
// not yet delivered is withdrawn too.
func (t *Task[T]) Uncancel() int { return t.proc.uncancel() }

// Loop returns the Env the task runs on, as a future.Loop.
func (t *Task[T]) Loop() future.Loop { return t.fut.Loop() }

// Proc returns the task's Proc, for code that only needs its name, ID or Env.
// Its waits may still only be called from inside the task.
func (t *Task[T]) Proc() *Proc { return &t.proc }

// Name returns the task's name.
func (p *Proc) Name() string { return p.name }

// Cancel requests that p's task be cancelled, as Task.Cancel does; a task
// may cancel itself (asyncio's current_task().cancel()): its next wait
// returns the cancellation. It returns false if the task has ended.
func (p *Proc) Cancel(msg string) bool { return p.cancel(msg) }

// Cancelling returns the number of cancellation requests of p's task not
// withdrawn by Uncancel, as Task.Cancelling does.
func (p *Proc) Cancelling() int { return p.cancelCount() }

// Uncancel withdraws one cancellation request of p's task and returns the
// number left, as Task.Uncancel does (asyncio's current_task().uncancel(),
// for code that handles a cancellation and goes on).
func (p *Proc) Uncancel() int { return p.uncancel() }

// ID returns the task's number: 1 for the Env's first task, and so on.
func (p *Proc) ID() uint64 { return p.id }

// Env returns the task's Env.
func (p *Proc) Env() *Env { return p.env }

// Now returns the Env's virtual time.
func (p *Proc) Now() time.Duration { return p.env.now }

// Current returns the task running now, or nil when called from outside any
// task (from a callback or the driver).
func (e *Env) Current() *Proc { return e.current }
