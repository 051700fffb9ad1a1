package sim

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
)

// WaitFuture is the future form of a primitive's wait: the wait runs in a
// helper task of its own, so that a task (or a callback) can hand it to the
// combinators (future.Wait, future.WaitFor, future.Gather, AsCompleted,
// AnyOf, AllOf) or Await it, and the wait keeps its place in the
// primitive's queue until it is granted or cancelled, whatever happens to
// the tasks that await it. The primitives' future forms (Queue.GetFuture,
// Lock.AcquireFuture, Event.WaitFuture, and those of package resource)
// return one; NewWaitFuture makes one for a user's own primitive.
//
// # What is handed over
//
// A WaitFuture follows asyncio's rule for what a primitive grants: what the
// wait was granted (a unit, an item, a lock) belongs to whoever reads the
// future's result, and goes back to the primitive if the future is
// cancelled or withdrawn before anybody has read it. So:
//
//   - Await of a WaitFuture that is cancelled, even after the grant and
//     before it resumes, gives the grant back (Cancel withdraws a done
//     future that nobody has read).
//   - future.WaitFor that times out withdraws the future it abandons.
//   - AnyOf withdraws the pending waits that lost the race; AnyOf and AllOf
//     withdraw their leaves when they themselves are cancelled or fail.
//   - An interrupt of the awaiting task changes nothing: the wait stays
//     queued (or granted, unread) and can be awaited again, as SimPy keeps
//     a request's place until it is released or cancelled.
//
// future.Wait never cancels anything (asyncio): the waits it returns as
// pending stay queued until their owner cancels them.
//
// A wait that was granted after its future was read is the reader's, as
// the blocking form's grant is its task's. A given-back item or amount
// goes back to its place even if a put filled the primitive in the
// meantime, so a bounded Queue, Store or Container may then hold one item
// (or amount) more than its capacity until the next get; nothing is lost
// or duplicated.
//
// Each WaitFuture costs a task (one allocation and its closure); the
// blocking forms stay the allocation-free fast path.
type WaitFuture[T any] struct {
	task      *Task[T]
	giveBack  func(helper *Proc, v T) // nil: nothing to give back
	read      bool                    // the value was read: it is the reader's
	withdrawn bool
	msg       string
}

// NewWaitFuture returns the future form of the wait that wait performs in
// a helper task called name (it receives the helper's Proc, and is a
// blocking, cancellation-safe wait such as Queue.Get). giveBack, which may
// be nil, returns to the primitive what wait returned (v) when the future
// is withdrawn before its value was read; it receives the helper's Proc,
// which is finished by then, for primitives that record their holders by
// task. It panics if env or wait is nil.
func NewWaitFuture[T any](env *Env, name string, wait func(p *Proc) (T, error), giveBack func(helper *Proc, v T)) *WaitFuture[T] {
	if wait == nil {
		panic(fmt.Sprintf("sim: NewWaitFuture(%q) with a nil wait", name))
	}
	return &WaitFuture[T]{task: Go(env, name, wait), giveBack: giveBack}
}

// Helper returns the Proc of the task that performs the wait.
func (w *WaitFuture[T]) Helper() *Proc { return w.task.Proc() }

// Loop returns the Env's loop.
func (w *WaitFuture[T]) Loop() future.Loop { return w.task.Loop() }

// Done reports whether the wait has ended: granted, failed or cancelled.
func (w *WaitFuture[T]) Done() bool { return w.task.Done() }

// Cancelled reports whether the wait was cancelled or withdrawn.
func (w *WaitFuture[T]) Cancelled() bool { return w.withdrawn || w.task.Cancelled() }

// Result returns what the wait was granted, and makes it the caller's: a
// later Cancel or Withdraw gives nothing back. A withdrawn future returns
// a *CancelledError.
func (w *WaitFuture[T]) Result() (T, error) {
	if w.withdrawn {
		var zero T
		return zero, &CancelledError{Msg: w.msg}
	}
	v, err := w.task.Result()
	if w.task.Done() {
		w.read = true
	}
	return v, err
}

// Peek returns the result as Result does, without making the grant the
// caller's (future.Peeker).
func (w *WaitFuture[T]) Peek() (T, error) {
	if w.withdrawn {
		var zero T
		return zero, &CancelledError{Msg: w.msg}
	}
	return w.task.Result()
}

// Err returns the error the wait ended with (see Result). Only Result
// takes the grant: a future whose Err was read can still be withdrawn.
func (w *WaitFuture[T]) Err() error {
	_, err := w.Peek()
	return err
}

// AddDoneCallback schedules fn when the wait has ended.
func (w *WaitFuture[T]) AddDoneCallback(fn func()) future.CallbackID {
	return w.task.AddDoneCallback(fn)
}

// RemoveDoneCallback removes a callback that has not been scheduled yet.
func (w *WaitFuture[T]) RemoveDoneCallback(id future.CallbackID) bool {
	return w.task.RemoveDoneCallback(id)
}

// Cancel cancels a pending wait: it leaves the primitive's queue as a
// cancelled blocking wait does, giving back a grant that reached it. On a
// wait that is done, with a value nobody has read, it withdraws it (see
// Withdraw) and returns false, as Cancel of a done future does.
func (w *WaitFuture[T]) Cancel(msg string) bool {
	if !w.task.Done() {
		return w.task.Cancel(msg)
	}
	w.withdraw(msg)
	return false
}

// Withdraw gives back what the wait was granted if it is done with a value
// that nobody has read; the future then reads as cancelled. It reports
// whether it gave something back (future.Withdrawer). A wait with nothing
// to give back (a put, an Event's wait) keeps its outcome.
func (w *WaitFuture[T]) Withdraw() bool { return w.withdraw("withdrawn") }

func (w *WaitFuture[T]) withdraw(msg string) bool {
	if w.giveBack == nil || w.read || w.withdrawn || !w.task.Done() || w.task.Cancelled() {
		return false
	}
	v, err := w.task.Result()
	if err != nil {
		return false // a failure is the reader's, and holds nothing
	}
	w.withdrawn, w.msg = true, msg
	if w.giveBack != nil {
		w.giveBack(w.task.Proc(), v)
	}
	return true
}

func (w *WaitFuture[T]) peekErr() error {
	if w.withdrawn {
		return &CancelledError{Msg: w.msg}
	}
	return w.task.Err()
}

// String names the wait's helper task (`task "Queue.GetFuture"`), as
// deadlock reports show it.
func (w *WaitFuture[T]) String() string { return w.task.describe() }

// After returns a future that completes with v d from now (SimPy's
// env.timeout(d, value)); a negative d counts as 0. Cancelling it before
// then unschedules it. It panics if env is nil or closed, or, as
// Env.CallLater does, if Now+d is past MaxTime.
func After[T any](env *Env, d time.Duration, v T) *future.Future[T] {
	if env == nil {
		panic("sim: After called with a nil Env")
	}
	env.check("After")
	var h Handle
	var res future.Resolver[T]
	f, res := future.NewRequest[T](env.Loop(), func(msg string) bool {
		h.Cancel()
		return res.Cancel(msg)
	})
	h = env.CallLater(d, func() { res.SetResult(v) })
	return f
}

// GetFuture is Get in future form: the returned wait takes the next item
// when it is granted. An item granted to a wait withdrawn before anybody
// read it goes back to the front of the queue (see WaitFuture).
func (q *Queue[T]) GetFuture(env *Env) *WaitFuture[T] {
	return NewWaitFuture(env, "Queue.GetFuture", q.Get, func(_ *Proc, v T) { q.unget(v) })
}

// PutFuture is Put in future form: the returned wait puts v when there is
// room. A put that is done is done: withdrawing it takes nothing back.
func (q *Queue[T]) PutFuture(env *Env, v T) *WaitFuture[struct{}] {
	return NewWaitFuture(env, "Queue.PutFuture", func(p *Proc) (struct{}, error) {
		return struct{}{}, q.Put(p, v)
	}, nil)
}

// unget gives back v, which a getter took and nobody read: at the front of
// a FIFO queue, on top of a LIFO one, into its order in a priority one
// (behind the items of equal priority: its insertion number is new);
// the item stays unfinished (Get does not count it done).
func (q *Queue[T]) unget(v T) {
	if q.kind == fifo {
		if q.n == len(q.buf) { // grow past the bound if a put filled the queue meanwhile
			buf := make([]T, max(2*len(q.buf), 8))
			k := copy(buf, q.buf[q.head:])
			copy(buf[k:], q.buf[:q.head])
			q.buf, q.head = buf, 0
		}
		q.head--
		if q.head < 0 {
			q.head = len(q.buf) - 1
		}
		q.buf[q.head] = v
		q.n++
		if q.stats != nil {
			q.stats.SetLevel(float64(q.n))
		}
	} else {
		q.push(v)
	}
	q.getters.WakeOne()
}

// AcquireFuture is Acquire in future form. A lock granted to a wait
// withdrawn before anybody read it is released.
func (l *Lock) AcquireFuture(env *Env) *WaitFuture[struct{}] {
	return NewWaitFuture(env, "Lock.AcquireFuture", func(p *Proc) (struct{}, error) {
		return struct{}{}, l.Acquire(p)
	}, func(*Proc, struct{}) { l.Release() })
}

// AcquireFuture is Acquire in future form. A unit granted to a wait
// withdrawn before anybody read it is released.
func (s *Semaphore) AcquireFuture(env *Env) *WaitFuture[struct{}] {
	return NewWaitFuture(env, "Semaphore.AcquireFuture", func(p *Proc) (struct{}, error) {
		return struct{}{}, s.Acquire(p)
	}, func(*Proc, struct{}) { _ = s.Release() }) // it was acquired: the bound holds
}

// WaitFuture is Wait in future form; an event holds nothing to give back.
func (ev *Event) WaitFuture(env *Env) *WaitFuture[struct{}] {
	return NewWaitFuture(env, "Event.WaitFuture", func(p *Proc) (struct{}, error) {
		return struct{}{}, ev.Wait(p)
	}, nil)
}

// WaitFuture is Wait in future form: the helper task releases the lock
// when it starts (right after the events due now), waits to be notified
// and re-acquires the lock, which the reader of the result then holds. A
// wait withdrawn before anybody read it releases the lock it re-acquired.
// It panics if the lock is not held.
func (c *Condition) WaitFuture(env *Env) *WaitFuture[struct{}] {
	if !c.l.Locked() {
		panic("sim: Condition.WaitFuture with the lock not held")
	}
	return NewWaitFuture(env, "Condition.WaitFuture", func(p *Proc) (struct{}, error) {
		err := c.Wait(p)
		if err != nil {
			c.l.Release() // Wait re-acquired it, and nobody will hold it
		}
		return struct{}{}, err
	}, func(*Proc, struct{}) { c.l.Release() })
}
