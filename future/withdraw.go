package future

import "fmt"

// Withdrawer is a future that holds something it was granted (a resource
// unit, a queue item, a lock) until its result is read, and can give it back
// when whoever waited for it went away: cancelled, timed out, or beaten in a
// race. asyncio's primitives follow this rule for the futures they grant
// (a Lock's waiter cancelled after it was woken passes the lock on);
// [WaitFor] applies it to the future it abandons when its deadline passes
// after that future was done, so that a timed-out get loses no item. The
// wait futures of package github.com/vtsim/vtsim/sim and its resource
// package are Withdrawers.
type Withdrawer interface {
	Waitable
	// Withdraw gives back what the future was granted if it is done with
	// a value that nobody has read yet; the future then reads as
	// cancelled. It reports whether it gave something back.
	Withdraw() bool
}

// Peeker is a Withdrawer whose result can be looked at without taking what
// it holds. [WaitFor] passes a Peeker's value on this way, so that the
// grant stays withdrawable until somebody reads the WaitFor's own result.
type Peeker[T any] interface {
	Withdrawer
	// Peek returns the result as Result does, without making what the
	// future was granted the caller's.
	Peek() (T, error)
}

// PeekErr returns the error the future ended with, as Err does, without
// counting as reading it: a done future's value stays withdrawable (see
// Withdraw), as a combinator that only looks at its inputs needs.
func (f *Future[T]) PeekErr() error {
	if f.state == pending {
		return fmt.Errorf("%w: PeekErr called on a pending future", ErrInvalidState)
	}
	return f.err
}

// Withdraw gives back what the future's value holds if it is done with a
// value nobody has read and it was made by a combinator that can give it
// back (Gather, WaitFor: what their inputs were granted); the future then
// reads as cancelled. It reports whether it gave something back. A plain
// future (New) holds nothing to give back: Withdraw reports false.
func (f *Future[T]) Withdraw() bool {
	if f.state != finished || f.read || f.err != nil || !f.Withdrawable() {
		return false
	}
	f.abandon("withdrawn")
	return f.state == cancelled
}

// Withdrawable reports whether Withdraw can give anything back: whether the
// future is a combinator's whose value holds what its inputs were granted
// (Gather's, WaitFor's). A condition over futures (sim.AnyOf) cancels a
// losing input only if it is withdrawable, and leaves other futures (a
// timeout, a plain future) alone.
func (f *Future[T]) Withdrawable() bool {
	_, ok := f.onCancel.(abandoner)
	return ok
}
