package sim

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strings"

	"github.com/vtsim/vtsim/future"
)

// TaskGroup holds the tasks started in a Group (asyncio's TaskGroup).
// Start tasks in it with GoIn or TaskGroup.Go.
type TaskGroup struct {
	p           *Proc
	live        int     // unfinished tasks
	all         []child // every task started, in order
	errs        []error
	aborting    bool
	exiting     bool
	done        bool
	parentAsked bool // the group cancelled its parent task to interrupt the body
	waiting     *future.Future[struct{}]
	wake        future.Resolver[struct{}]
}

type child interface {
	Done() bool
	Cancel(msg string) bool
}

// GroupError is the error of a Group whose tasks or body failed: every
// failure, in the order they happened. errors.Is and errors.As search them.
type GroupError struct {
	// Errs are the failures of the tasks and of the body.
	Errs []error
	// Cancelled is true if the task running the Group was also cancelled
	// from outside; the cancellation is delivered again at its next wait.
	Cancelled bool
}

// Error lists the failures.
func (e *GroupError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sim: %d error(s) in task group", len(e.Errs))
	if e.Cancelled {
		b.WriteString(" (and the group was cancelled from outside)")
	}
	for _, err := range e.Errs {
		b.WriteString("; ")
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the failures.
func (e *GroupError) Unwrap() []error { return e.Errs }

// Group runs body with a new TaskGroup and returns when body has returned and
// every task of the group has ended (asyncio's TaskGroup, Python 3.13 rules):
//
//   - The first task to fail (end with an error other than a cancellation)
//     cancels every other task of the group and the body, which sees a
//     cancellation at its wait. A body that returns an error does the same.
//   - Group then returns a *GroupError with every failure; a cancellation is
//     never reported as a failure.
//   - If the task running the Group is cancelled from outside, the group's
//     tasks are cancelled and Group returns the cancellation once they have
//     ended; if there were failures too, it returns the *GroupError with
//     Cancelled set and the cancellation is delivered again at the task's
//     next wait: it is never lost.
//
// Group panics if called from outside p's task.
func Group(p *Proc, body func(g *TaskGroup) error) error {
	p.checkRunning("Group")
	if body == nil {
		panic(fmt.Sprintf("sim: Group in task %q called with a nil function", p.name))
	}
	g := &TaskGroup{p: p}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				g.abort() // a panicking body takes its group down with it
				panic(r)
			}
		}()
		err = body(g)
	}()
	return g.exit(err)
}

func (g *TaskGroup) exit(err error) error {
	p := g.p
	g.exiting = true
	var propagate error
	if err != nil && errors.Is(err, ErrCancelled) {
		propagate = err
	}
	if err != nil && !g.aborting {
		g.abort()
	}
	for g.live > 0 {
		g.waiting, g.wake = future.New[struct{}](p.env.Loop())
		if _, werr := Await(p, g.waiting); werr != nil && !g.aborting {
			// The parent task is cancelled from outside while it waits.
			propagate = werr
			g.abort()
		}
		g.waiting = nil
	}
	g.done = true
	if g.parentAsked && p.uncancel() == 0 {
		propagate = nil // the only cancellation was the group's own
	}
	if err != nil && !errors.Is(err, ErrCancelled) {
		g.errs = append(g.errs, err)
	}
	if len(g.errs) == 0 {
		return propagate
	}
	ge := &GroupError{Errs: g.errs}
	if p.cancelCount() > 0 {
		// Cancelled from outside as well: deliver it again at the next wait.
		ge.Cancelled = true
		p.uncancel()
		p.cancel("")
	}
	return ge
}

func (g *TaskGroup) abort() {
	g.aborting = true
	for _, t := range g.all {
		if !t.Done() {
			t.Cancel("")
		}
	}
}

// GoIn starts a task in group g, as Go does, and returns it. A task started
// while the group is shutting down after a failure is cancelled before its
// first step. GoIn panics if the group has finished.
func GoIn[T any](g *TaskGroup, name string, fn func(p *Proc) (T, error)) *Task[T] {
	if g.done {
		panic(fmt.Sprintf("sim: GoIn(%q) on a task group that has finished", name))
	}
	t := Go(g.p.env, name, fn)
	g.all = append(g.all, t)
	g.live++
	t.AddDoneCallback(func() { g.childDone(t) })
	if g.aborting {
		t.Cancel("")
	}
	return t
}

// Go starts a task with no result in the group; see GoIn.
func (g *TaskGroup) Go(name string, fn func(p *Proc) error) *Task[struct{}] {
	if fn == nil {
		panic(fmt.Sprintf("sim: TaskGroup.Go(%q) called with a nil function", name))
	}
	return GoIn(g, name, func(p *Proc) (struct{}, error) { return struct{}{}, fn(p) })
}

func (g *TaskGroup) childDone(t interface {
	Cancelled() bool
	Err() error
}) {
	g.live--
	if g.live == 0 && g.waiting != nil {
		g.wake.SetResult(struct{}{})
	}
	if t.Cancelled() {
		return
	}
	err := t.Err()
	if err == nil {
		return
	}
	g.errs = append(g.errs, err)
	if !g.aborting && !g.parentAsked {
		// Interrupt the body (or the wait in exit) with a cancellation of
		// the parent; exit withdraws it.
		g.abort()
		g.parentAsked = true
		g.p.cancel("")
	}
}

// AsCompleted waits for fs inside p's task and yields each future as it
// completes, in completion order (asyncio.as_completed). A future given
// more than once is yielded once, as asyncio makes a set of its arguments.
// Each yielded future is done: read its outcome with Result. If the task is
// cancelled while it waits, AsCompleted yields (nil, the cancellation) and
// stops; fs are left alone. AsCompleted panics if called from outside p's
// task or if a future is nil.
func AsCompleted[T any](p *Proc, fs ...future.Awaitable[T]) iter.Seq2[future.Awaitable[T], error] {
	return func(yield func(future.Awaitable[T], error) bool) {
		p.checkRunning("AsCompleted")
		fs := distinct(fs)
		var (
			ready  []future.Awaitable[T]
			signal *future.Future[struct{}]
			ring   future.Resolver[struct{}]
			ids    = make([]future.CallbackID, len(fs))
		)
		for i, f := range fs {
			ids[i] = f.AddDoneCallback(func() {
				ready = append(ready, f)
				if signal != nil && !signal.Done() {
					ring.SetResult(struct{}{})
				}
			})
		}
		defer func() {
			for i, f := range fs {
				f.RemoveDoneCallback(ids[i])
			}
		}()
		for range fs {
			for len(ready) == 0 {
				signal, ring = future.New[struct{}](p.env.Loop())
				if _, err := Await(p, signal); err != nil {
					yield(nil, err)
					return
				}
				signal = nil
			}
			f := ready[0]
			ready = ready[1:]
			if !yield(f, nil) {
				return
			}
		}
	}
}

// distinct returns a new slice of fs without repeats, each future where it
// first appears. It panics, naming AsCompleted, if a
// future is nil. Futures of a type that is not comparable count as
// distinct.
func distinct[T any](fs []future.Awaitable[T]) []future.Awaitable[T] {
	seen := make(map[future.Awaitable[T]]struct{}, len(fs))
	out := fs[:0:0]
	for i, f := range fs {
		if f == nil {
			panic(fmt.Sprintf("sim: AsCompleted: future %d is nil", i))
		}
		if reflect.TypeOf(f).Comparable() {
			if _, ok := seen[f]; ok {
				continue
			}
			seen[f] = struct{}{}
		}
		out = append(out, f)
	}
	return out
}
