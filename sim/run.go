package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
)

// Step dispatches the next event: it advances the clock to the event's time
// and runs its callback or resumes its task. It reports whether there was an
// event. It panics if called from inside a task or callback, or on a closed
// Env. Step runs without the watchdog (see WithWatchdog).
func (e *Env) Step() bool {
	e.enter("Step")
	defer e.leave()
	if e.clk != nil {
		e.clk.settle()
	}
	ent, ok := e.events.Pop()
	if !ok {
		return false
	}
	e.now = ent.At
	if e.clk != nil {
		e.clk.dispatch(ent.Value)
		return true
	}
	e.dispatch(ent.Value)
	return true
}

// Run dispatches events until none is left or Stop is called. It returns a
// *DeadlockError if no event is left while tasks still wait, and a
// *TaskError (joined with errors.Join if there are several) for each task
// that failed while nobody awaited it or read its result, with what end
// watchers reported of ended tasks (see Proc.WatchEnd). It returns
// ErrClosed on a closed Env and panics if called from inside a task or
// callback.
func (e *Env) Run() error {
	if e.closed {
		return ErrClosed
	}
	e.enter("Run")
	defer e.leave()
	e.loop(MaxTime)
	var err error
	if !e.stopping && e.tasks.n > 0 {
		err = e.deadlock()
	}
	e.stopping = false
	if u := e.unread(); u != nil {
		return errors.Join(err, u)
	}
	return err // a *DeadlockError itself when nothing else failed
}

// RunUntil dispatches every event due at or before virtual time t, then
// sets the clock to t. (SimPy's run(until=t) stops before the events at t;
// RunUntil includes them, as a fake clock's Set or Add does.) If Stop is
// called it returns at once, with the clock at the last event. It returns
// ErrPast if t is before Now, and failures of unread tasks as Run does.
func (e *Env) RunUntil(t time.Duration) error {
	if e.closed {
		return ErrClosed
	}
	if t < e.now {
		return fmt.Errorf("%w: RunUntil(%v) at %v", ErrPast, t, e.now)
	}
	e.enter("RunUntil")
	defer e.leave()
	e.loop(t)
	if !e.stopping {
		e.now = t
		if e.clk != nil {
			e.clk.before()
		}
	}
	e.stopping = false
	return e.unread()
}

// RunFor is RunUntil(Now()+d). A negative d counts as 0; a d that overflows
// the virtual clock returns an error matching ErrTimeOverflow.
func (e *Env) RunFor(d time.Duration) error {
	if e.closed {
		return ErrClosed
	}
	t, err := e.deadline(d)
	if err != nil {
		return fmt.Errorf("sim: RunFor(%v): %w", d, err)
	}
	return e.RunUntil(t)
}

// Stop makes the Run method under way return after the current event
// (asyncio's loop.stop). Outside a Run method it does nothing.
func (e *Env) Stop() {
	if e.running {
		e.stopping = true
	}
}

// RunUntilComplete runs env until f is done and returns f's result
// (asyncio's run_until_complete). If no event is left before f is done it
// returns a *DeadlockError; if Stop is called first, an error saying so.
// Failures of other tasks that nobody read are not joined to f's outcome:
// the next Run method or Close reports them.
func RunUntilComplete[T any](env *Env, f future.Awaitable[T]) (T, error) {
	var zero T
	if f == nil {
		panic("sim: RunUntilComplete called with a nil future")
	}
	if env.closed {
		return zero, ErrClosed
	}
	env.enter("RunUntilComplete")
	defer env.leave()
	if !f.Done() {
		id := f.AddDoneCallback(env.Stop)
		env.loop(MaxTime)
		f.RemoveDoneCallback(id)
	}
	env.stopping = false
	if !f.Done() {
		if env.events.Len() == 0 {
			return zero, env.deadlock()
		}
		return zero, errors.New("sim: RunUntilComplete: Stop was called before the future was done")
	}
	return f.Result()
}

// enter marks the start of a Run method or Step.
func (e *Env) enter(op string) {
	e.check(op)
	if e.running {
		panic("sim: " + op + " called from inside a task or callback; only the goroutine that drives the Env may run it")
	}
	e.running = true
	if e.cfg.wdTimeout > 0 && op != "Step" {
		e.wd = startWatchdog(e)
	}
}

// leave marks the end of a Run method or Step, also when a task's
// runtime.Goexit (t.FailNow in a test) unwinds through it.
func (e *Env) leave() {
	if e.wd != nil {
		e.wd.stop()
		e.wd = nil
	}
	e.running = false
	e.current = nil
	e.direct = false
	e.host, e.held, e.exited = nil, nil, nil
}

// loop dispatches events due at or before limit until none is left or Stop
// is called.
func (e *Env) loop(limit time.Duration) {
	if e.cfg.pace != nil {
		e.pacedLoop(limit)
		return
	}
	if e.clk != nil {
		e.clk.settle()
	}
	e.direct, e.limit = !e.noDirect && e.cfg.tracer == nil, limit
	for !e.stopping {
		at, fn, ok := e.events.Next(limit)
		if !ok {
			break
		}
		e.now = at
		if e.clk != nil {
			e.clk.dispatch(fn)
			continue
		}
		e.dispatch(fn)
	}
	e.direct = false // and leave, if a task's runtime.Goexit unwinds the loop
}

func (e *Env) dispatch(fn func()) {
	e.steps++
	fn()
}

// deadlock builds the error for tasks that wait with no event left.
func (e *Env) deadlock() error {
	d := &DeadlockError{At: e.now}
	for p := e.tasks.head; p != nil; p = p.link[inTaskList].next {
		w := Waiting{Task: p.name, On: p.waitingOn(), Since: p.since}
		if p.wait == waitQueued && p.wq.holders != nil {
			for _, h := range p.wq.holders() {
				w.HeldBy = append(w.HeldBy, h.name)
			}
		}
		d.Waiting = append(d.Waiting, w)
	}
	return d
}

// unread returns the failures of tasks and watched futures nobody read,
// and forgets them.
func (e *Env) unread() error {
	paceErr := e.pacingErr()
	if len(e.failed) == 0 && len(e.watched) == 0 && len(e.ended) == 0 {
		return paceErr
	}
	errs := []error{paceErr}
	errs = append(errs, e.ended...)
	clear(e.ended)
	e.ended = e.ended[:0]
	for _, p := range e.failed {
		if !p.observed {
			errs = append(errs, &TaskError{Task: p.name, At: p.until, Err: p.err})
		}
	}
	for _, w := range e.watched {
		if err := w.f.Unread(); err != nil {
			errs = append(errs, &TaskError{At: w.at, Err: err})
			w.f.Err() // reported: read, so that a future watched twice is reported once
		}
	}
	clear(e.failed)
	e.failed = e.failed[:0]
	clear(e.watched)
	e.watched = e.watched[:0]
	return errors.Join(errs...)
}

// Close unwinds every unfinished task and releases the Env. A task is
// unwound where it waits: its wait panics with a value that the engine
// recovers, so its deferred calls run (as runtime.Goexit would run them);
// a task that never started does not run at all. Unfinished tasks end
// cancelled. Scheduled callbacks are dropped. After Close, Run methods return
// ErrClosed and other methods panic. Close returns the failures of tasks
// that nobody read and that no Run method reported yet (as Run does), and
// nil when called again. It panics if called from inside a task or callback.
func (e *Env) Close() error {
	if e.closed {
		return nil
	}
	if e.running {
		panic("sim: Close called from inside a task or callback; call it after Run returns")
	}
	e.closing = true
	for p := e.tasks.head; p != nil; p = e.tasks.head {
		p.unwind()
	}
	for _, c := range e.idle {
		c.stop()
	}
	e.idle = nil
	err := e.unread()
	e.closed = true
	e.events = nil
	e.streams = nil
	e.failed = nil
	return err
}
