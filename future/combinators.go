package future

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// TimeoutError is the error of a WaitFor whose deadline passed before the
// future finished. It matches ErrTimeout and context.DeadlineExceeded.
type TimeoutError struct {
	// After is the timeout that passed.
	After time.Duration
}

// Error returns "timed out after" and the timeout.
func (e *TimeoutError) Error() string { return fmt.Sprintf("%v after %v", ErrTimeout, e.After) }

// Unwrap returns ErrTimeout.
func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// NoTimeout, given to WaitFor or WaitTimeout, means no deadline (asyncio's
// timeout=None). Any duration that reaches the largest time a Loop can
// represent (math.MaxInt64 nanoseconds, about 292 years, from its start)
// means the same; such a duration is never an overflow.
const NoTimeout = time.Duration(math.MaxInt64)

// forever reports whether d from the loop's now reaches NoTimeout: no
// deadline.
func forever(loop Loop, d time.Duration) bool { return d >= NoTimeout-max(loop.Now(), 0) }

// Outcome is one future's value or error, as GatherOutcomes collects them.
type Outcome[T any] struct {
	Value T
	Err   error
}

// Gather returns a future of the values of fs, in the order of fs
// (asyncio.gather). It fails fast: the first future to fail, or to be
// cancelled, fails the gather with that error (a cancelled child is an error
// matching ErrCancelled, not a cancelled gather); the other futures go on.
// Cancelling the gather cancels every unfinished child; if any child accepted
// the cancellation, the gather ends cancelled once all children are done.
// With no futures the result is an empty slice at once.
func Gather[T any](loop Loop, fs ...Awaitable[T]) *Future[[]T] {
	g := newGathering(loop, fs, false)
	return g.out
}

// GatherOutcomes is Gather with asyncio's return_exceptions=True: it waits for
// every future and returns each one's value or error (a *CancelledError for a
// cancelled child); it fails only when it was itself cancelled.
func GatherOutcomes[T any](loop Loop, fs ...Awaitable[T]) *Future[[]Outcome[T]] {
	g := newGathering(loop, fs, true)
	return g.outAll
}

type gathering[T any] struct {
	fs            []Awaitable[T]
	collect       bool
	finished      int
	cancelRequest bool
	cancelMsg     string
	out           *Future[[]T]
	res           Resolver[[]T]
	outAll        *Future[[]Outcome[T]]
	resAll        Resolver[[]Outcome[T]]
	done          func() bool
	settled       bool // the children's grants were taken (gatherControl.settle)
}

func newGathering[T any](loop Loop, fs []Awaitable[T], collect bool) *gathering[T] {
	g := &gathering[T]{fs: fs, collect: collect}
	if collect {
		g.outAll = new(Future[[]Outcome[T]])
		g.resAll = g.outAll.initRequest(loop, gatherControl[T]{g})
		g.done = g.outAll.Done
	} else {
		g.out = new(Future[[]T])
		g.res = g.out.initRequest(loop, gatherControl[T]{g})
		g.done = g.out.Done
	}
	if len(fs) == 0 {
		g.finish()
		return g
	}
	for i, f := range fs {
		if f == nil {
			panic(fmt.Sprintf("future: Gather: future %d is nil", i))
		}
		f.AddDoneCallback(func() { g.childDone(f) })
	}
	return g
}

func (g *gathering[T]) cancel(msg string) bool {
	accepted := false
	for _, f := range g.fs {
		if !f.Done() && f.Cancel(msg) {
			accepted = true
		}
		if w, ok := f.(Withdrawer); ok && f.Done() && w.Withdraw() {
			accepted = true // its value will not be delivered: it reads as cancelled now
		}
	}
	if accepted {
		g.cancelRequest, g.cancelMsg = true, msg
	}
	return accepted
}

// gatherControl handles the requests on a Gather's future: cancel it, take
// the children's grants when its value is read, give them back when it is
// abandoned unread (see Withdrawer).
type gatherControl[T any] struct{ g *gathering[T] }

func (c gatherControl[T]) cancelRequest(msg string) bool { return c.g.cancel(msg) }

func (c gatherControl[T]) settle() {
	if c.g.settled {
		return
	}
	c.g.settled = true
	for _, f := range c.g.fs {
		if _, ok := f.(Peeker[T]); ok && f.Done() {
			f.Result()
		}
	}
}

func (c gatherControl[T]) abandon() bool {
	gave := false
	for _, f := range c.g.fs {
		if w, ok := f.(Withdrawer); ok && w.Withdraw() {
			gave = true
		}
	}
	return gave
}

// outcome reads f's outcome, without taking what a Peeker was granted: it
// is taken when the Gather's value is read.
func outcome[T any](f Awaitable[T]) (T, error) {
	if pk, ok := f.(Peeker[T]); ok {
		return pk.Peek()
	}
	return f.Result()
}

func (g *gathering[T]) childDone(f Awaitable[T]) {
	g.finished++
	_, err := outcome(f) // read it, so that a failure counts as handled
	if g.done() {
		return
	}
	if !g.collect && err != nil {
		if g.cancelRequest && f.Cancelled() {
			// The gather itself was cancelled: end cancelled (asyncio
			// ends it with a CancelledError exception; both read the same
			// to an awaiter, and Cancelled reports true here).
			g.res.Cancel(g.cancelMsg)
			return
		}
		g.res.SetError(err)
		return
	}
	if g.finished == len(g.fs) {
		g.finish()
	}
}

func (g *gathering[T]) finish() {
	if g.cancelRequest {
		if g.collect {
			g.resAll.Cancel(g.cancelMsg)
		} else {
			g.res.Cancel(g.cancelMsg)
		}
		return
	}
	if g.collect {
		all := make([]Outcome[T], len(g.fs))
		for i, f := range g.fs {
			all[i].Value, all[i].Err = outcome(f)
		}
		g.resAll.SetResult(all)
		return
	}
	vals := make([]T, len(g.fs))
	for i, f := range g.fs {
		vals[i], _ = outcome(f)
	}
	g.res.SetResult(vals)
}

// WaitMode says when Wait returns.
type WaitMode uint8

const (
	// AllCompleted: when every future is done (the default).
	AllCompleted WaitMode = iota
	// FirstCompleted: when any future is done.
	FirstCompleted
	// FirstError: when any future fails (ends with an error, not cancelled),
	// or when every future is done.
	FirstError
)

// String returns the mode's name.
func (m WaitMode) String() string {
	switch m {
	case AllCompleted:
		return "AllCompleted"
	case FirstCompleted:
		return "FirstCompleted"
	case FirstError:
		return "FirstError"
	}
	return fmt.Sprintf("WaitMode(%d)", uint8(m))
}

// WaitResult lists the futures given to Wait that were done when the
// result was first read, and those still pending, each in the order they
// were given.
type WaitResult struct {
	Done, Pending []Waitable
}

// ErrNoFutures is the error of a Wait given no futures.
var ErrNoFutures = errors.New("future: Wait needs at least one future")

// Wait returns a future that completes, as mode says, when some or all of fs
// are done (asyncio.wait). It never cancels fs and never fails because of
// them: read each future for its outcome. Cancelling the Wait leaves fs
// alone. With no futures it fails with ErrNoFutures.
//
// The Done and Pending sets are taken when the result is first read (by
// the task that awaits the Wait, when it resumes), as asyncio builds them
// when the waiting task resumes: a future that finished in between, at the
// same instant, is in Done (test_wait_really_done). Later reads see the
// same sets.
func Wait(loop Loop, mode WaitMode, fs ...Waitable) *Future[WaitResult] {
	return waitFor(loop, mode, 0, false, fs)
}

// WaitTimeout is Wait that also completes when d has passed, with whatever
// is done by then; the timeout is not an error. A negative d counts as 0;
// NoTimeout, or any d that reaches past the largest time, means no
// deadline (Wait).
func WaitTimeout(loop Loop, d time.Duration, mode WaitMode, fs ...Waitable) *Future[WaitResult] {
	return waitFor(loop, mode, max(d, 0), !forever(loop, d), fs)
}

// waiting is a Wait under way.
type waiting struct {
	out     Future[WaitResult]
	res     Resolver[WaitResult]
	mode    WaitMode
	fs      []Waitable
	ids     []CallbackID
	timer   Handle
	settled bool
}

func waitFor(loop Loop, mode WaitMode, d time.Duration, timed bool, fs []Waitable) *Future[WaitResult] {
	if mode > FirstError {
		panic(fmt.Sprintf("future: Wait: unknown mode %d (allowed: AllCompleted, FirstCompleted, FirstError)", uint8(mode)))
	}
	w := &waiting{mode: mode, fs: fs}
	w.res = w.out.initRequest(loop, w)
	if len(fs) == 0 {
		w.settled = true
		w.res.SetError(ErrNoFutures)
		return &w.out
	}
	for i, f := range fs {
		if f == nil {
			panic(fmt.Sprintf("future: Wait: future %d is nil", i))
		}
	}
	w.ids = make([]CallbackID, len(fs))
	for i, f := range fs {
		w.ids[i] = f.AddDoneCallback(w.check)
	}
	if timed {
		w.timer = loop.CallLater(d, w.finish)
	}
	return &w.out
}

// check runs when one of the futures is done.
func (w *waiting) check() {
	done := 0
	for _, f := range w.fs {
		if !f.Done() {
			continue
		}
		done++
		if w.mode == FirstCompleted || (w.mode == FirstError && !f.Cancelled() && f.Err() != nil) {
			w.finish()
			return
		}
	}
	if done == len(w.fs) {
		w.finish()
	}
}

// finish completes the Wait; its sets are taken when it is read.
func (w *waiting) finish() {
	if w.out.Done() {
		return
	}
	w.release()
	w.res.SetResult(WaitResult{})
}

// release lets go of the futures and the timer.
func (w *waiting) release() {
	if w.timer != nil {
		w.timer.Cancel()
		w.timer = nil
	}
	for i, f := range w.fs {
		f.RemoveDoneCallback(w.ids[i])
	}
}

// cancelRequest cancels the Wait itself: the futures are left alone.
func (w *waiting) cancelRequest(msg string) bool {
	if !w.out.cancel(msg) {
		return false
	}
	w.release()
	return true
}

// abandon gives back what the done futures were granted when the Wait's
// value is abandoned unread (see Withdrawer).
func (w *waiting) abandon() bool {
	gave := false
	for _, f := range w.fs {
		if g, ok := f.(Withdrawer); ok && g.Withdraw() {
			gave = true
		}
	}
	return gave
}

// settle takes the done and pending sets, on the first read.
func (w *waiting) settle() {
	if w.settled {
		return
	}
	w.settled = true
	var r WaitResult
	for _, f := range w.fs {
		if f.Done() {
			r.Done = append(r.Done, f)
		} else {
			r.Pending = append(r.Pending, f)
		}
	}
	w.out.val = r
}

// WaitFor returns a future of f's outcome that fails with a *TimeoutError if
// f is not done within d (asyncio.wait_for). As in Python 3.12 and later,
// it behaves as a timeout scope around an await of f, decided by the order
// of events:
//
//   - When the deadline passes first, f is cancelled and the WaitFor
//     completes once f has finished (its cleanup included): with a timeout
//     error if f ended cancelled, with f's outcome if f handled the
//     cancellation and ended otherwise.
//   - When f is done but its outcome has not reached the WaitFor yet (f's
//     done-callback is still due) as the deadline passes, the deadline
//     wins: the WaitFor times out and f keeps its outcome, as the awaiting
//     task of a timeout scope sees the scope's cancellation rather than
//     the result (Python 3.13; 3.11's wait_for let f's outcome win).
//   - Cancelling the WaitFor cancels f and completes, again after f, with
//     f's outcome: cancelled if f ended cancelled, f's value or error if f
//     swallowed the cancellation (then the awaiting task goes on, its
//     Cancelling count still holding the request, as asyncio's does). If
//     f is done already, or refuses the cancellation, the WaitFor ends
//     cancelled at once: the cancellation is not lost.
//
// A d of zero or less times out at once unless f is done (f is cancelled
// and waited for); NoTimeout, or any d that reaches past the largest time,
// means no deadline (asyncio's timeout=None).
func WaitFor[T any](loop Loop, f Awaitable[T], d time.Duration) *Future[T] {
	if f == nil {
		panic("future: WaitFor with a nil future")
	}
	w := &waitingFor[T]{f: f, d: d}
	w.res = w.out.initRequest(loop, w)
	if f.Done() {
		w.finish()
		return &w.out
	}
	f.AddDoneCallback(w.finish)
	switch {
	case d <= 0:
		w.timedOut = true
		f.Cancel("")
	case !forever(loop, d):
		w.timer = loop.CallLater(d, w.expire)
	}
	return &w.out
}

type waitingFor[T any] struct {
	out       Future[T]
	res       Resolver[T]
	f         Awaitable[T]
	d         time.Duration
	timer     Handle
	timedOut  bool // the deadline passed and f was cancelled for it
	cancelled bool // the WaitFor was cancelled and f with it
	cancelMsg string
}

// expire runs at the deadline.
func (w *waitingFor[T]) expire() {
	w.timer = nil
	if w.out.Done() || w.cancelled {
		return // done, or the outside cancellation is on its way
	}
	if w.f.Done() || !w.f.Cancel("") {
		// f's outcome has not reached the WaitFor, or f refuses: as a
		// timeout scope's cancellation lands in the awaiting task first.
		// A failure of f is left unread, for f's reader or the Loop.
		if u, ok := w.f.(Unreader); ok && u.Unread() != nil {
			watchFailure(w.out.loop, u)
		}
		if g, ok := w.f.(Withdrawer); ok {
			g.Withdraw() // what f was granted goes back: nobody will read it
		}
		w.res.SetError(&TimeoutError{After: w.d})
		return
	}
	w.timedOut = true
}

func (w *waitingFor[T]) cancelRequest(msg string) bool {
	if w.out.Done() {
		return false
	}
	w.cancelled, w.cancelMsg = true, msg
	if w.timer != nil {
		w.timer.Cancel()
		w.timer = nil
	}
	if g, ok := w.f.(Withdrawer); ok && w.f.Done() {
		g.Withdraw() // f's outcome will not reach anybody
	}
	if w.f.Done() || !w.f.Cancel(msg) {
		w.res.Cancel(msg) // as the awaiting task's cancellation would land at once
	}
	return true
}

// settle makes what f was granted the reader's, when the WaitFor's value
// is read.
func (w *waitingFor[T]) settle() {
	if _, ok := w.f.(Peeker[T]); ok && w.f.Done() {
		w.f.Result()
	}
}

// abandon gives back what f was granted when the WaitFor's value, which
// holds it, is abandoned unread (see Future.abandon).
func (w *waitingFor[T]) abandon() bool {
	g, ok := w.f.(Withdrawer)
	return ok && g.Withdraw()
}

// finish completes the WaitFor from f's outcome; f is done.
func (w *waitingFor[T]) finish() {
	if w.out.Done() {
		return
	}
	if w.timer != nil {
		w.timer.Cancel()
		w.timer = nil
	}
	var v T
	var err error
	if pk, ok := w.f.(Peeker[T]); ok {
		v, err = pk.Peek() // f's grant is taken when out is read (settle)
	} else {
		v, err = w.f.Result()
	}
	switch {
	case !w.f.Cancelled():
		w.res.Set(v, err)
	case w.cancelled:
		w.res.Cancel(w.cancelMsg)
	case w.timedOut:
		w.res.SetError(&TimeoutError{After: w.d})
	default:
		w.res.Cancel(cancelMessage(err))
	}
}

// Shield returns a future of f's outcome that cancellation does not pass
// through (asyncio.shield): cancelling the returned future cancels it alone,
// and f goes on. If f is cancelled, so is the returned future.
//
// A failure of f is never dropped. If the returned future was cancelled,
// f's failure stays f's own, unread: a task's is reported by Run as any
// unread task failure, a *Future's (an Unreader's) through the Loop's
// FailureWatcher. If nobody reads the failure that the returned future
// copies from f, the Loop's FailureWatcher reports it (asyncio logs both).
func Shield[T any](loop Loop, f Awaitable[T]) *Future[T] {
	if f == nil {
		panic("future: Shield with a nil future")
	}
	out, res := New[T](loop)
	copyOutcome := func() {
		if out.Done() {
			// Cancelled: nobody will read f's outcome through out. Leave it
			// unread, for f's own reader or report.
			if u, ok := f.(Unreader); ok && u.Unread() != nil {
				watchFailure(loop, u)
			}
			return
		}
		if f.Cancelled() {
			res.Cancel(cancelMessage(f.Err()))
			return
		}
		v, err := f.Result()
		res.Set(v, err)
		if err != nil {
			watchFailure(loop, out)
		}
	}
	if f.Done() {
		copyOutcome()
		return out
	}
	f.AddDoneCallback(copyOutcome)
	return out
}

// cancelMessage returns the message of a cancellation error, or "".
func cancelMessage(err error) string {
	var ce *CancelledError
	if errors.As(err, &ce) {
		return ce.Msg
	}
	return ""
}
