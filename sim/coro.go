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
}

// coroFor returns a coroutine to run p's task from its first step: an idle
// one if there is one, else a new one.
func (e *Env) coroFor(p *Proc) *coro {
	var c *coro
	if n := len(e.idle); n > 0 {
		c = e.idle[n-1]
		e.idle[n-1] = nil
		e.idle = e.idle[:n-1]
	} else {
		c = &coro{env: e}
		c.next, c.stop = iter.Pull(c.run)
	}
	c.p = p
	return c
}

// run is the coroutine's body: it runs its task, then waits to be given the
// next one. A task that calls runtime.Goexit ends the coroutine with it.
func (c *coro) run(yield func(struct{}) bool) {
	c.yield = yield
	for {
		c.p.body()
		c.p = nil
		e := c.env
		if e.closing || len(e.idle) >= maxIdle {
			return
		}
		e.idle = append(e.idle, c)
		if !yield(struct{}{}) {
			return
		}
	}
}
