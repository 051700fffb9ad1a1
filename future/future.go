// Package future provides Future[T], a placeholder for a result that becomes
// available later, with the semantics of Python asyncio's Future, on a small
// [Loop] interface so that it depends on no particular event loop.
//
// # Capabilities
//
// Whoever holds a *Future can wait for it, read it and cancel it; only whoever
// holds its [Resolver] can give it a result or an error (compare
// context.WithCancel, which hands out the context and the cancel function
// separately). [New] returns both.
//
// # Callbacks
//
// Done-callbacks never run inline: when a future completes, each callback is
// scheduled with [Loop.CallSoon], in the order they were added, and a callback
// added to a future that is already done is scheduled at once. This is
// asyncio's call_soon rule; it keeps the order of events independent of who
// completed the future.
//
// # Errors
//
// A cancelled future reports a *[CancelledError], which matches
// [ErrCancelled] and context.Canceled under errors.Is. Completing a future
// twice, or reading the result of a pending one, reports [ErrInvalidState].
//
// # Unread failures
//
// A failure nobody reads is a bug that should not go unnoticed: asyncio
// logs "exception was never retrieved" through the loop's exception
// handler. Here a Loop may implement [FailureWatcher]: a combinator that
// leaves a failure behind, where the code that would have read it no
// longer can (a [Shield] whose outer future was cancelled or is never
// read), hands the future to the Loop's WatchFailure, and the Loop reports
// the failure later if by then nobody has read it ([Future.Unread]). A sim
// Env is such a Loop: its Run methods return these failures as they return
// the failures of tasks nobody read. A Loop that does not implement
// FailureWatcher drops them.
//
// # Differences from asyncio
//
// The combinators are futures rather than coroutines; what that changes,
// and every other deliberate difference from asyncio 3.13, is listed in
// one place: the "Differences from asyncio" section of package
// github.com/vtsim/vtsim/sim.
//
// Nothing in this package is safe for concurrent use: a future belongs to the
// goroutine that runs its loop.
package future

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Loop is what futures and their combinators need from an event loop.
type Loop interface {
	// CallSoon schedules fn to run on the loop after the events already due
	// now, in FIFO order.
	CallSoon(fn func())
	// CallLater schedules fn to run d from now (a negative d counts as 0)
	// and returns a timer that can unschedule it.
	CallLater(d time.Duration, fn func()) Handle
	// Now returns the loop's current (virtual) time.
	Now() time.Duration
}

// Handle is a scheduled call, as returned by Loop.CallLater (asyncio's
// TimerHandle); sim.Handle is one.
type Handle interface {
	// Cancel unschedules the call; it reports whether the call was pending.
	Cancel() bool
}

// sentinel is an error value that also matches another error under errors.Is.
type sentinel struct {
	msg  string
	also error
}

func (s *sentinel) Error() string        { return s.msg }
func (s *sentinel) Is(target error) bool { return target == s.also }

// Errors reported by futures.
var (
	// ErrCancelled matches every cancellation error; it also matches
	// context.Canceled.
	ErrCancelled error = &sentinel{"cancelled", context.Canceled}
	// ErrTimeout matches every timeout error; it also matches
	// context.DeadlineExceeded.
	ErrTimeout error = &sentinel{"timed out", context.DeadlineExceeded}
	// ErrInvalidState is reported when a future is completed twice or its
	// result is read while it is pending.
	ErrInvalidState = errors.New("future: invalid state")
)

// CancelledError is the error of a cancelled future or task. It matches
// ErrCancelled and context.Canceled under errors.Is.
type CancelledError struct {
	// Msg is the message given to Cancel; it may be empty.
	Msg string
}

// Error returns "cancelled", followed by the message if there is one.
func (e *CancelledError) Error() string {
	if e.Msg == "" {
		return ErrCancelled.Error()
	}
	return ErrCancelled.Error() + ": " + e.Msg
}

// Unwrap returns ErrCancelled.
func (e *CancelledError) Unwrap() error { return ErrCancelled }

// CallbackID identifies a done-callback of one future for
// [Future.RemoveDoneCallback]; it identifies nothing on any other future.
// The zero CallbackID identifies nothing.
type CallbackID struct {
	of *uint64 // the counter of the future that handed it out
	n  uint64
}

// Waitable is the part of a future's API that does not depend on its result
// type, so that futures of different types can be waited on together.
type Waitable interface {
	// Done reports whether the future has a result, an error or was cancelled.
	Done() bool
	// Cancelled reports whether the future was cancelled.
	Cancelled() bool
	// Err returns the error the future ended with (see Future.Err).
	Err() error
	// Cancel requests cancellation; it returns false if the future is done.
	Cancel(msg string) bool
	// AddDoneCallback schedules fn on the loop when the future is done.
	AddDoneCallback(fn func()) CallbackID
	// RemoveDoneCallback removes a callback that has not been scheduled yet.
	RemoveDoneCallback(id CallbackID) bool
}

// Unreader is a future that knows whether its failure was read; *Future
// is one.
type Unreader interface {
	Waitable
	// Unread returns the error the future failed with if nobody has read
	// it yet (see Future.Unread), and nil otherwise.
	Unread() error
}

// FailureWatcher is an optional interface of a Loop, for failures that
// would otherwise go unnoticed (asyncio's loop exception handler, which
// hears of every exception never retrieved).
type FailureWatcher interface {
	// WatchFailure asks the loop to report f's failure if nobody has read
	// it when the loop next reports unread failures (a sim Env: when a Run
	// method or Close returns). The loop calls f.Unread then, and reads f
	// after reporting it, so that a future watched twice is reported once.
	WatchFailure(f Unreader)
}

// watchFailure hands f to loop's FailureWatcher, if it has one.
func watchFailure(loop Loop, f Unreader) {
	if w, ok := loop.(FailureWatcher); ok {
		w.WatchFailure(f)
	}
}

// Awaitable is a future with a result of type T: a *Future[T] or a task.
type Awaitable[T any] interface {
	Waitable
	// Result returns the value or the error the future ended with.
	Result() (T, error)
}

type state uint8

const (
	pending state = iota
	finished
	cancelled
)

type callback struct {
	n  uint64 // its CallbackID's number
	fn func()
}

// Future is the result of an operation that completes later. Create one with
// [New], or embed one and prepare it with [Future.Init].
type Future[T any] struct {
	loop     Loop
	state    state
	read     bool      // Result or Err was called on the done future
	onCancel canceller // if set, Cancel is a request handled by it
	val      T
	err      error
	ids      uint64      // callbacks added so far
	first    callback    // the first callback, kept inline to save an allocation
	more     *[]callback // the callbacks after the first, behind a pointer to keep a Future small
}

// Resolver completes its Future. It is a small value; copies complete the
// same future.
type Resolver[T any] struct {
	f *Future[T]
}

// New returns a pending future on loop and the resolver that completes it.
// It panics if loop is nil.
func New[T any](loop Loop) (*Future[T], Resolver[T]) {
	f := new(Future[T])
	return f, f.Init(loop)
}

// NewRequest returns a pending future whose Cancel is a request: Cancel
// calls onCancel, which decides what to do (typically cancel what the future
// waits for) and returns Cancel's result; the future ends cancelled only when
// its resolver's Cancel says so. It panics if loop or onCancel is nil.
func NewRequest[T any](loop Loop, onCancel func(msg string) bool) (*Future[T], Resolver[T]) {
	if onCancel == nil {
		panic("future: NewRequest with a nil cancel function")
	}
	f, r := New[T](loop)
	f.onCancel = cancelFunc(onCancel)
	return f, r
}

// canceller handles the cancel requests of a future made by NewRequest or
// by a combinator of this package.
type canceller interface {
	cancelRequest(msg string) bool
}

// settler is a canceller that also fixes the future's value when it is
// first read (Wait's done and pending sets, taken when the waiter resumes).
type settler interface {
	canceller
	settle()
}

type cancelFunc func(msg string) bool

func (f cancelFunc) cancelRequest(msg string) bool { return f(msg) }

// initRequest prepares an embedded zero Future whose cancel requests go to c.
func (f *Future[T]) initRequest(loop Loop, c canceller) Resolver[T] {
	r := f.Init(loop)
	f.onCancel = c
	return r
}

// Init prepares a zero Future for use on loop and returns its resolver, for
// types that embed a Future. It panics if loop is nil or f was initialised
// already.
func (f *Future[T]) Init(loop Loop) Resolver[T] {
	if loop == nil {
		panic("future: Init with a nil Loop")
	}
	if f.loop != nil {
		panic("future: Init called twice on the same Future")
	}
	f.loop = loop
	return Resolver[T]{f}
}

// Loop returns the loop the future runs on.
func (f *Future[T]) Loop() Loop { return f.loop }

// Done reports whether the future has a result, an error, or was cancelled.
func (f *Future[T]) Done() bool { return f.state != pending }

// Cancelled reports whether the future was cancelled.
func (f *Future[T]) Cancelled() bool { return f.state == cancelled }

// Result returns the future's value and error. A cancelled future returns a
// *CancelledError; a pending one returns an error matching ErrInvalidState.
func (f *Future[T]) Result() (T, error) {
	switch f.state {
	case pending:
		var zero T
		return zero, fmt.Errorf("%w: Result called on a pending future", ErrInvalidState)
	case cancelled:
		var zero T
		f.read = true
		return zero, f.err
	}
	f.read = true
	if s, ok := f.onCancel.(settler); ok {
		s.settle()
	}
	return f.val, f.err
}

// Err returns the error the future ended with: nil for a value, a
// *CancelledError if it was cancelled, and an error matching ErrInvalidState
// while it is pending.
func (f *Future[T]) Err() error {
	if f.state == pending {
		return fmt.Errorf("%w: Err called on a pending future", ErrInvalidState)
	}
	f.read = true
	return f.err
}

// Unread returns the error the future failed with (not a cancellation) if
// nobody has called Result or Err since it failed, and nil otherwise. It
// does not count as reading. A Loop's FailureWatcher uses it.
func (f *Future[T]) Unread() error {
	if f.state != finished || f.read {
		return nil
	}
	return f.err
}

// Cancel cancels a pending future with msg and schedules its callbacks. It
// returns false, and changes nothing, if the future is done. A future made
// by NewRequest (such as those of Gather and WaitFor) treats Cancel as a
// request: it passes it on and completes later.
func (f *Future[T]) Cancel(msg string) bool {
	if f.state != pending {
		if f.state == finished && !f.read && f.err == nil && f.onCancel != nil {
			f.abandon(msg)
		}
		return false
	}
	if f.onCancel != nil {
		return f.onCancel.cancelRequest(msg)
	}
	return f.cancel(msg)
}

// abandon handles Cancel of a done future with a value nobody has read:
// its awaiter went away. A combinator whose value holds what a Withdrawer
// was granted (WaitFor's) gives it back, and the future reads as
// cancelled from then on.
func (f *Future[T]) abandon(msg string) {
	if a, ok := f.onCancel.(abandoner); ok && a.abandon() {
		var zero T
		f.val, f.err, f.state = zero, &CancelledError{Msg: msg}, cancelled
	}
}

// abandoner is a canceller that can give back what its future's value
// holds (see Withdrawer).
type abandoner interface {
	abandon() bool
}

func (f *Future[T]) cancel(msg string) bool {
	if f.state != pending {
		return false
	}
	f.err = &CancelledError{Msg: msg}
	f.state = cancelled
	f.schedule()
	return true
}

// AddDoneCallback arranges for fn to be scheduled on the loop when the future
// is done; if it is done already, fn is scheduled now. It panics if fn is nil.
func (f *Future[T]) AddDoneCallback(fn func()) CallbackID {
	if fn == nil {
		panic("future: AddDoneCallback with a nil function")
	}
	if f.loop == nil {
		panic("future: AddDoneCallback on a Future that was not initialised (use future.New)")
	}
	if f.state != pending {
		f.loop.CallSoon(fn)
		return CallbackID{}
	}
	f.ids++
	cb := callback{f.ids, fn}
	switch {
	case f.first.fn == nil && (f.more == nil || len(*f.more) == 0):
		f.first = cb
	case f.more == nil:
		f.more = &[]callback{cb}
	default:
		*f.more = append(*f.more, cb)
	}
	return CallbackID{&f.ids, cb.n}
}

// RemoveDoneCallback removes the callback identified by id. It reports whether
// a callback was removed; a callback that was scheduled already cannot be,
// and an id that another future handed out removes nothing.
func (f *Future[T]) RemoveDoneCallback(id CallbackID) bool {
	if id.of != &f.ids {
		return false
	}
	if f.first.n == id.n && f.first.fn != nil {
		f.first = callback{}
		return true
	}
	if f.more == nil {
		return false
	}
	more := *f.more
	for i := range more {
		if more[i].n == id.n {
			*f.more = append(more[:i], more[i+1:]...)
			return true
		}
	}
	return false
}

func (f *Future[T]) schedule() {
	if f.first.fn != nil {
		f.loop.CallSoon(f.first.fn)
		f.first = callback{}
	}
	if f.more == nil {
		return
	}
	more := *f.more
	for i, cb := range more {
		f.loop.CallSoon(cb.fn)
		more[i] = callback{}
	}
	*f.more = more[:0]
}

// SetResult completes the future with v and schedules its callbacks. It
// returns an error matching ErrInvalidState if the future is done.
func (r Resolver[T]) SetResult(v T) error {
	f := r.f
	if f.state != pending {
		return fmt.Errorf("%w: SetResult on a future that is done", ErrInvalidState)
	}
	f.val = v
	f.state = finished
	f.schedule()
	return nil
}

// SetError completes the future with err and schedules its callbacks. It
// returns an error matching ErrInvalidState if the future is done, and
// panics if err is nil.
func (r Resolver[T]) SetError(err error) error {
	if err == nil {
		panic("future: SetError with a nil error")
	}
	f := r.f
	if f.state != pending {
		return fmt.Errorf("%w: SetError on a future that is done", ErrInvalidState)
	}
	f.err = err
	f.state = finished
	f.schedule()
	return nil
}

// Cancel ends the future cancelled with msg and schedules its callbacks,
// bypassing any cancel request function. It returns false if the future is
// done.
func (r Resolver[T]) Cancel(msg string) bool { return r.f.cancel(msg) }

// Set completes the future with v if err is nil, and with err otherwise.
func (r Resolver[T]) Set(v T, err error) error {
	if err != nil {
		return r.SetError(err)
	}
	return r.SetResult(v)
}

// Future returns the future r completes.
func (r Resolver[T]) Future() *Future[T] { return r.f }
