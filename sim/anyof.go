package sim

import (
	"fmt"

	"github.com/vtsim/vtsim/future"
)

// Cond is SimPy's condition event: AnyOf (SimPy's a | b) or AllOf (a & b)
// of futures, which may be Conds themselves. Its value is SimPy's: the
// leaves that had ended when it completed, in the order they were given,
// with the leaves of a nested Cond in its place (SimPy's ConditionValue,
// flattened). A leaf that fails, or is cancelled, fails the Cond with its
// error as soon as its outcome arrives.
//
// A Cond follows the rule of WaitFuture for what its leaves were granted.
// When an AnyOf completes, its leaves still pending that are waits
// (future.Withdrawer: the primitives' future forms and Conds) are
// cancelled, so a request that lost to a timeout leaves the queue
// (SimPy's `with res.request() as req: yield req | env.timeout(p)` does
// the same on leaving the with block); other leaves (tasks, After
// timeouts, plain futures) go on, as SimPy's processes do. When a Cond
// fails or is cancelled, the same pending leaves are cancelled and the
// leaves that ended with a value nobody read are withdrawn; and a Cond that
// is withdrawn (its awaiter went away after it completed) withdraws the
// leaves of its value.
type Cond struct {
	out       *future.Future[[]future.Waitable]
	res       future.Resolver[[]future.Waitable]
	all       bool
	leaves    []future.Waitable
	ids       []future.CallbackID
	read      bool
	withdrawn bool
}

// AnyOf returns a Cond that completes as soon as one of fs has ended
// (SimPy's AnyOf, a | b). With no futures it completes at once with an
// empty value. It panics if env is nil or a future is nil.
func AnyOf(env *Env, fs ...future.Waitable) *Cond { return newCond(env, "AnyOf", false, fs) }

// AllOf returns a Cond that completes when every one of fs has ended with
// a value (SimPy's AllOf, a & b), or fails with the first failure. With no
// futures it completes at once. It panics if env is nil or a future is nil.
func AllOf(env *Env, fs ...future.Waitable) *Cond { return newCond(env, "AllOf", true, fs) }

func newCond(env *Env, op string, all bool, fs []future.Waitable) *Cond {
	if env == nil {
		panic(fmt.Sprintf("sim: %s called with a nil Env", op))
	}
	env.check(op)
	c := &Cond{all: all, leaves: append([]future.Waitable(nil), fs...)}
	c.out, c.res = future.NewRequest[[]future.Waitable](env.Loop(), c.cancel)
	c.ids = make([]future.CallbackID, len(fs))
	for i, f := range fs {
		if f == nil {
			panic(fmt.Sprintf("sim: %s with a nil future (argument %d)", op, i))
		}
	}
	if len(fs) == 0 {
		c.res.SetResult(nil)
		return c
	}
	for i, f := range c.leaves {
		c.ids[i] = f.AddDoneCallback(c.check)
	}
	return c
}

// check runs when a leaf has ended.
func (c *Cond) check() {
	if c.out.Done() {
		return
	}
	done := 0
	for _, f := range c.leaves {
		if !f.Done() {
			continue
		}
		done++
		if err := peekErr(f); err != nil {
			c.res.SetError(err)
			c.release()
			return
		}
	}
	if done == 0 || (c.all && done < len(c.leaves)) {
		return
	}
	c.res.SetResult(c.value())
	c.dropPending()
}

// value is the flattened list of the leaves that have ended.
func (c *Cond) value() []future.Waitable {
	var v []future.Waitable
	for _, f := range c.leaves {
		if !f.Done() {
			continue
		}
		if n, ok := f.(*Cond); ok {
			sub, _ := n.Result()
			v = append(v, sub...)
			continue
		}
		v = append(v, f)
	}
	return v
}

// dropPending stops listening to the pending leaves and cancels the waits
// among them.
func (c *Cond) dropPending() {
	for i, f := range c.leaves {
		if f.Done() {
			continue
		}
		f.RemoveDoneCallback(c.ids[i])
		if withdrawable(f) {
			f.Cancel("")
		}
	}
}

// release is dropPending, and withdraws the leaves that ended with a value:
// the Cond will not deliver them.
func (c *Cond) release() {
	c.dropPending()
	for _, f := range c.leaves {
		if g, ok := f.(future.Withdrawer); ok && f.Done() && withdrawable(f) {
			g.Withdraw()
		}
	}
}

func (c *Cond) cancel(msg string) bool {
	if c.out.Done() {
		return false
	}
	c.release()
	return c.res.Cancel(msg)
}

// Loop returns the loop the Cond runs on.
func (c *Cond) Loop() future.Loop { return c.out.Loop() }

// Done reports whether the Cond has completed, failed or been cancelled.
func (c *Cond) Done() bool { return c.out.Done() }

// Cancelled reports whether the Cond was cancelled or withdrawn.
func (c *Cond) Cancelled() bool { return c.withdrawn || c.out.Cancelled() }

// Result returns the leaves that had ended when the Cond completed (see
// Cond), or its error. Reading it makes the leaves' grants the caller's to
// read: a later Cancel or Withdraw of the Cond gives nothing back.
func (c *Cond) Result() ([]future.Waitable, error) {
	if c.withdrawn {
		return nil, &CancelledError{Msg: "withdrawn"}
	}
	v, err := c.out.Result()
	if c.out.Done() {
		c.read = true
	}
	return v, err
}

// Err returns the Cond's error; unlike Result, it takes nothing.
func (c *Cond) Err() error { return c.peekErr() }

// AddDoneCallback schedules fn when the Cond is done.
func (c *Cond) AddDoneCallback(fn func()) future.CallbackID { return c.out.AddDoneCallback(fn) }

// RemoveDoneCallback removes a callback that has not been scheduled yet.
func (c *Cond) RemoveDoneCallback(id future.CallbackID) bool { return c.out.RemoveDoneCallback(id) }

// Cancel cancels a pending Cond (see Cond for what happens to its
// leaves). On a Cond that completed and that nobody has read, it withdraws
// it and returns false.
func (c *Cond) Cancel(msg string) bool {
	if !c.out.Done() {
		return c.out.Cancel(msg)
	}
	c.Withdraw()
	return false
}

// Withdraw gives back what the leaves of a completed Cond's value were
// granted, if nobody has read the Cond; it then reads as cancelled. It
// reports whether the Cond was withdrawn (future.Withdrawer).
func (c *Cond) Withdraw() bool {
	if c.read || c.withdrawn || !c.out.Done() || c.out.Cancelled() {
		return false
	}
	v, err := c.out.Result()
	if err != nil {
		return false
	}
	c.withdrawn = true
	for _, f := range v {
		if g, ok := f.(future.Withdrawer); ok {
			g.Withdraw()
		}
	}
	return true
}

// Has reports whether f is among the leaves of the Cond's value (SimPy's
// `req in results`); it is false while the Cond is pending or if it failed.
func (c *Cond) Has(f future.Waitable) bool {
	if !c.out.Done() || c.withdrawn {
		return false
	}
	v, err := c.out.Result()
	if err != nil {
		return false
	}
	for _, g := range v {
		if g == f {
			return true
		}
	}
	return false
}

// withdrawable reports whether f holds what it was granted and can give it
// back: a wait, a Cond, or a combinator's future (future.Future.Withdrawable);
// a plain future is neither cancelled nor withdrawn by a Cond.
func withdrawable(f future.Waitable) bool {
	if _, ok := f.(future.Withdrawer); !ok {
		return false
	}
	if w, ok := f.(interface{ Withdrawable() bool }); ok {
		return w.Withdrawable()
	}
	return true
}

// peeker is a future whose error can be looked at without reading it (and
// so without making its grant the caller's).
type peeker interface{ peekErr() error }

// peekErr returns f's error without reading it, for a wait, a Cond or a
// future.Future (whose value then stays withdrawable); others are read.
func peekErr(f future.Waitable) error {
	switch p := f.(type) {
	case peeker:
		return p.peekErr()
	case interface{ PeekErr() error }:
		return p.PeekErr()
	}
	return f.Err()
}

func (c *Cond) peekErr() error {
	if c.withdrawn {
		return &CancelledError{Msg: "withdrawn"}
	}
	return c.out.Err()
}
