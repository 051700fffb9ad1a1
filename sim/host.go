package sim

import "unsafe"

// Hosting: the loop's turns taken on a waiting task's coroutine.
//
// A task that waits switches to the run loop, and the loop switches to the
// task its next event resumes: two coroutine switches between one task's
// wait and the next task's step, each about 40 ns. In a hand-off between
// two tasks (pingpong: put, then wait for the answer) the next event is
// the other task's wake-up, and the one after it the first task's own.
//
// So inside a run loop a task that waits does not switch to the loop at
// once: its coroutine becomes the host and takes the loop's turns itself
// (Proc.switchOut). It pops the next event as the loop would, sets the clock
// and counts the step, and:
//   - if the event is its own wake-up, it goes on, without a switch;
//   - if it is another task's wake-up, it resumes that task from here, one
//     switch; that task, hosted, switches back to the host when it waits
//     (a hosted task never hosts, so hosts do not nest);
//   - anything else (a callback, which may panic out of Run, or a clock
//     adapter's event) it leaves to the loop: it keeps the event in
//     Env.held and switches to the loop, which dispatches it first
//     (Env.runHeld), on its own goroutine.
//
// A host also switches to the loop when no event is due within the loop's
// limit, Stop was called, or a task it hosted made the Env's clock hook
// (its Clock, its first Recv or Select), from which on the loop runs every
// event through the hook. A hand-off between two tasks then costs two
// switches, not four.
//
// The events dispatched, their order, the clock and the step count are
// the loop's own: the host pops the same events in the same order and
// runs them, or leaves them to the loop, as the loop would. Hosting
// applies where the direct timer wake-ups do (Env.direct: Run, RunUntil
// and RunUntilComplete, not Step, not paced, no tracer) and with no clock
// adapter; the tests' switch SetDirectTimers turns both off, and
// direct_test.go compares runs with and without.
//
// A hosted task's panic is its task's failure, as everywhere. A hosted
// task's runtime.Goexit (t.FailNow in a test) is handed to the loop's
// goroutine (coro.run, Env.runHeld): the host's own frames are not
// unwound.

// switchOut switches p's task out as it waits; every wait calls it, in
// place of its coroutine's yield. Outside a run loop, with a clock
// adapter, or hosted, it yields to whoever resumed p. Otherwise it takes
// the loop's turns on p's coroutine until p's own wake-up (it returns
// true, p running again, with no switch) or an event for the loop (it
// yields to the loop). It returns what the yield returns: false when
// Close unwinds p. It is one function, so that the waits, which inline
// its call, return from a switch through one frame of it.
func (p *Proc) switchOut() bool {
	e, c := p.env, p.co
	if !e.direct || e.host != nil || e.clk != nil {
		return c.yield(struct{}{})
	}
	own := funcval(c.wake)
	e.host, e.current = p, nil
	for !e.stopping && e.clk == nil { // a hosted task may make the hook; then every event is the hook's
		at, fn, ok := e.events.Next(e.limit)
		if !ok {
			break
		}
		f := funcval(fn)
		if f == own {
			e.now = at
			e.steps++
			e.host = nil
			p.state = running // as the wake function does (coro.resumer)
			e.current = p
			return true
		}
		if f == nil || *(*uintptr)(f) != *(*uintptr)(own) { // not a wake function
			e.held, e.heldAt = fn, at
			break
		}
		e.now = at
		e.steps++
		fn()
		if e.exited != nil { // the task hosted ended with runtime.Goexit
			e.held = e.exited.stop
			break
		}
	}
	e.host = nil
	return c.yield(struct{}{})
}

// runHeld dispatches, on the loop's goroutine, the event that a host left
// to the loop, at once after the host's switch, as the loop would have; or
// finishes the runtime.Goexit of a hosted coroutine, which then unwinds
// the loop's goroutine.
func (e *Env) runHeld() {
	fn := e.held
	e.held = nil
	if e.exited != nil {
		e.exited = nil
		fn() // the coroutine's stop: its Goexit reaches this goroutine
		return
	}
	e.now = e.heldAt
	e.steps++
	fn()
}

// funcval returns the closure record of fn (nil for a nil fn): equal for
// the same function value, and holding, in its first word, the code of
// the function. Every coroutine's wake function is a closure of the same
// function literal (coro.resumer), so that a wake function is told from
// any other event by that word.
func funcval(fn func()) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&fn)) }
