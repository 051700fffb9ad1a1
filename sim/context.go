package sim

import (
	"context"
	"time"
)

// Context returns a context.Context for handing to library code that takes
// one. It is cancelled (Err is context.Canceled) when a cancellation of the
// task is requested or the task ends, and expires (Err is
// context.DeadlineExceeded) when a timeout scope of the task expires; its
// Deadline is the earliest deadline of the task's active timeout scopes,
// as a wall-clock instant on the Env's clock. Each call returns a new
// context reflecting the task's state at that moment: a task that handles a
// cancellation and goes on asks for a new one. Its Done channel is closed by
// the run loop; code inside the task that waits on it must do so through
// the engine, not with a raw channel receive. Value returns nil.
func (p *Proc) Context() context.Context {
	p.checkRunning("Context")
	c := &procContext{depth: len(p.scopeList())}
	if at, ok := p.deadline(); ok {
		c.deadline, c.hasDeadline = p.env.cfg.start.Add(at), true
	}
	x := p.extra()
	x.ctxs = append(x.ctxs, c)
	return c
}

// procContext is the context.Context of a task.
type procContext struct {
	depth       int // number of timeout scopes active when it was made
	done        chan struct{}
	err         error
	deadline    time.Time
	hasDeadline bool
	afterFuncs  []func() // run when it is cancelled (see procContext.AfterFunc)
}

func (c *procContext) Deadline() (time.Time, bool) { return c.deadline, c.hasDeadline }
func (c *procContext) Value(any) any               { return nil }
func (c *procContext) Err() error                  { return c.err }

func (c *procContext) Done() <-chan struct{} {
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		}
	}
	return c.done
}

func (c *procContext) cancel(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	c.runAfterFuncs()
}

// endScope cancels the contexts made inside the scope that ends, as the
// cancel function of context.WithTimeout would, and forgets them.
func (p *Proc) endScope() {
	x := p.x // not nil: a scope is active
	depth := len(x.scopes)
	kept := x.ctxs[:0]
	for _, c := range x.ctxs {
		if c.depth >= depth {
			c.cancel(context.Canceled)
		} else {
			kept = append(kept, c)
		}
	}
	clear(x.ctxs[len(kept):])
	x.ctxs = kept
}

// cancelContexts cancels the contexts handed out so far.
func (p *Proc) cancelContexts(timeout bool) {
	if p.x == nil || len(p.x.ctxs) == 0 {
		return
	}
	x := p.x
	err := context.Canceled
	if timeout {
		err = context.DeadlineExceeded
	}
	for _, c := range x.ctxs {
		c.cancel(err)
	}
	clear(x.ctxs)
	x.ctxs = x.ctxs[:0]
}
