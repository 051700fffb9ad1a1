package future

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
