package sim

import "iter"

// maxIdle is the most coroutines of ended tasks an Env keeps for reuse.
const maxIdle = 1024

// coro is a coroutine (an iter.Pull goroutine) that runs tasks one after the
// other: when a task ends, the coroutine waits in the Env's idle list until
// a new task needs one, so that creating a task does not create a goroutine
// and its closures each time.
type coro struct {
	env   *Env
	p     *Proc // the task it runs, or nil while idle
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	wake  func() // resumes p: the function of its events and done-callbacks, made once a coroutine
	// g is curg of the coroutine's goroutine, for the goroutine check (goroutine.go).
	g uintptr
}

// coroFor returns a coroutine to run p's task from its first step: an idle
// one if there is one, else a new one. A task takes its coroutine when it is
// created, so that its wake function (the coroutine's) costs no allocation.
func (e *Env) coroFor(p *Proc) *coro {
	var c *coro
	if n := len(e.idle); n > 0 {
		c = e.idle[n-1]
		e.idle[n-1] = nil
		e.idle = e.idle[:n-1]
	} else {
		c = &coro{env: e}
		c.next, c.stop = iter.Pull(c.run)
		c.wake = c.resumer()
	}
	c.p = p
	return c
}

// run is the coroutine's body: it runs its task, then waits to be given the
// next one. A task that calls runtime.Goexit ends the coroutine with it.
//
// A task that calls runtime.Goexit while hosted (its coroutine resumed by
// another task's, host.go) must not end the host's goroutine with it: the
// coroutine then stops in its Goexit and switches back to the host, which
// leaves it to the loop, and the loop's goroutine resumes it to finish
// there, so that the Goexit reaches the loop's goroutine as it would
// without a host (Env.runHeld).
func (c *coro) run(yield func(struct{}) bool) {
	c.yield = yield
	c.g = curg()
	returned := false
	defer func() {
		if e := c.env; !returned && e.host != nil {
			e.exited = c
			yield(struct{}{})
		}
	}()
	for {
		c.p.body()
		c.p = nil
		e := c.env
		if e.closing || len(e.idle) >= maxIdle {
			returned = true
			return
		}
		e.idle = append(e.idle, c)
		if !yield(struct{}{}) {
			returned = true
			return
		}
	}
}

// putIdle takes back the coroutine of a task that ended before its first
// step, which never ran on it.
func (e *Env) putIdle(c *coro) {
	c.p = nil
	if e.closing || len(e.idle) >= maxIdle {
		c.stop()
		return
	}
	e.idle = append(e.idle, c)
}

// resumer returns c's wake function: Env.resume with its common case (a
// waiting task, no tracer) written out, as a closure rather than the method
// value c.resume, which would add a frame (docs/design.md, "One frame after
// the switch"). Env.resume handles the rest.
func (c *coro) resumer() func() {
	e, next := c.env, c.next
	return func() {
		p := c.p
		if p.state != waiting || e.cfg.tracer != nil {
			e.resume(p)
			return
		}
		p.state = running
		e.current = p
		next()
		e.current = nil
		if e.held != nil {
			e.runHeld()
		}
	}
}
