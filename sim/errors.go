package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vtsim/vtsim/future"
)

// Errors reported by the Env and its tasks. Check them with errors.Is.
var (
	// ErrCancelled matches the error a cancelled task sees at its wait, and
	// the error of a cancelled task or future. It also matches
	// context.Canceled.
	ErrCancelled = future.ErrCancelled
	// ErrDeadlock matches the error Run returns when no event is left but
	// tasks still wait (a *DeadlockError).
	ErrDeadlock = errors.New("sim: deadlock")
	// ErrClosed is returned by Run, RunUntil, RunFor and RunUntilComplete on
	// an Env that was closed.
	ErrClosed = errors.New("sim: Env is closed")
	// ErrTimeOverflow matches the error of a wait whose deadline lies past
	// the largest virtual time (math.MaxInt64 nanoseconds, about 292 years).
	ErrTimeOverflow = errors.New("sim: virtual time would overflow int64")
	// ErrPast is returned by RunUntil for a time before Now.
	ErrPast = errors.New("sim: time is before Now")
	// ErrTaskFailed matches the *TaskError that Run returns for a task that
	// failed and whose result nobody read.
	ErrTaskFailed = errors.New("sim: task failed")
	// ErrStalled matches the *StallError the watchdog reports when a task
	// or callback blocks outside the engine.
	ErrStalled = errors.New("sim: stalled outside the engine")
)

// CancelledError is the error of a cancellation; it carries the message given
// to Cancel. It is future.CancelledError.
type CancelledError = future.CancelledError

// PanicError is the error of a task that panicked: the panic value and the
// stack of the task's goroutine where it panicked.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the task's stack at the panic, as runtime/debug.Stack formats it.
	Stack []byte
}

// Error returns "sim: task panicked: " and the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("sim: task panicked: %v", e.Value) }

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// TaskError reports a task that failed while nobody awaited it or read its
// result, or a future whose failure a combinator left unread (a Shield's;
// see future.FailureWatcher). It matches ErrTaskFailed and unwraps to the
// task's error.
type TaskError struct {
	// Task is the task's name; "" for a future that is not a task.
	Task string
	// At is the virtual time the task failed.
	At time.Duration
	// Err is the error the task ended with.
	Err error
}

// Error names the task, the time and the error.
func (e *TaskError) Error() string {
	if e.Task == "" {
		return fmt.Sprintf("sim: a future failed at %v and nobody read its result: %v", e.At, e.Err)
	}
	return fmt.Sprintf("sim: task %q failed at %v and nobody read its result: %v", e.Task, e.At, e.Err)
}

// Is reports whether target is ErrTaskFailed.
func (e *TaskError) Is(target error) bool { return target == ErrTaskFailed }

// Unwrap returns the task's error.
func (e *TaskError) Unwrap() error { return e.Err }

// Waiting describes one task that waits.
type Waiting struct {
	// Task is the task's name.
	Task string
	// On says what the task waits on, e.g. `task "worker"` or "sleep until 5s".
	On string
	// Since is the virtual time the wait began.
	Since time.Duration
	// HeldBy names the tasks that hold what the task waits for, when the
	// primitive knows (a Lock's owner, a Resource's users; see
	// WaitQueue.SetHolders).
	HeldBy []string
}

// DeadlockError is returned when no event is left but tasks still wait: none
// of them can ever be resumed. It matches ErrDeadlock. Run returns it
// itself when no other task failed unread, and joined with those failures
// otherwise: find it with errors.As.
type DeadlockError struct {
	// At is the virtual time of the deadlock.
	At time.Duration
	// Waiting lists every waiting task, oldest task first.
	Waiting []Waiting
}

// Error lists the waiting tasks, one a line.
func (e *DeadlockError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sim: deadlock at %v: no event is scheduled and %d task(s) wait:", e.At, len(e.Waiting))
	for _, w := range e.Waiting {
		fmt.Fprintf(&b, "\n\ttask %q waits on %s", w.Task, w.On)
		if len(w.HeldBy) > 0 {
			fmt.Fprintf(&b, " (held by %s)", quoteAll(w.HeldBy))
		}
		fmt.Fprintf(&b, " since %v", w.Since)
	}
	return b.String()
}

// Is reports whether target is ErrDeadlock.
func (e *DeadlockError) Is(target error) bool { return target == ErrDeadlock }

// StallError is what the watchdog reports when the run loop made no progress
// for the watchdog's timeout of real time: a task or callback blocked on
// something the engine does not see (a raw channel, a mutex, real I/O or a
// real sleep). It matches ErrStalled.
type StallError struct {
	// Task is the name of the task that blocks, or "" for a callback.
	Task string
	// Callback is the function of the callback that blocks, when the stack
	// shows it ("" for a task).
	Callback string
	// At is the virtual time of the event that blocks: when the task was
	// resumed, or when the callback was due.
	At time.Duration
	// For is the real time without progress.
	For time.Duration
	// Seed is the Env's seed: a run with WithSeed(Seed) and the same model
	// reproduces the stall.
	Seed uint64
	// Stack is the stack of the blocked goroutine, if it could be found.
	Stack string
}

// Error names the task and shows its stack.
func (e *StallError) Error() string {
	who := "a callback"
	switch {
	case e.Task != "":
		who = fmt.Sprintf("task %q", e.Task)
	case e.Callback != "":
		who = fmt.Sprintf("callback %s", e.Callback)
	}
	msg := fmt.Sprintf("sim: %s made no progress for %v of real time at virtual time %v: "+
		"it blocks outside the engine (raw channel, mutex, real sleep or I/O?); "+
		"inside a task, wait only through the Env (Proc.Sleep, sim.Await); "+
		"the same model with sim.WithSeed(%d) reproduces it", who, e.For, e.At, e.Seed)
	msg += rawChanHint(e.Stack)
	if e.Stack != "" {
		msg += "\n" + e.Stack
	}
	return msg
}

// Is reports whether target is ErrStalled.
func (e *StallError) Is(target error) bool { return target == ErrStalled }

// quoteAll returns the names quoted and joined with commas.
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("task %q", n)
	}
	return strings.Join(q, ", ")
}
