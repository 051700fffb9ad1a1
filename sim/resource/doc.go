// Package resource is SimPy's resources on vtsim's virtual time: a
// [Resource] of capacity units that tasks request and release (first come,
// first served, by priority, or preemptive), a [Store] of items (first in,
// first out or by priority, with GetMatch for SimPy's FilterStore) and a
// [Container] of a continuous level. It is written on package sim's public
// API alone, the way SimPy's resources sit on its core: every wait parks
// the task in a sim.WaitQueue, a preemption is delivered with
// sim.Proc.Interrupt (its cause a [*Preempted]), and the statistics are
// sim.Stats.
//
// # Cancellation
//
// Every wait is cancellation-safe: a task cancelled or interrupted while it
// waits, even just after it was handed a unit, an item or an amount, leaves
// the resource as if it had never asked, and what it was handed goes on to
// the next waiter. When the Env is closed, the waits it unwinds give back
// what they were handed the same way, so nothing is lost.
//
// Each wait has a future form ([Resource.RequestFuture], whose [*Request]
// any task may Release; [Store.GetFuture], [Store.PutFuture],
// [Container.GetFuture], ...) for sim.AnyOf, future.WaitFor and the other
// combinators; what such a wait was granted goes back if nobody reads it
// (see sim.WaitFuture).
//
// # Units held at a task's end
//
// A unit of a Resource belongs to the task that requested it, until it
// calls Release or hands the unit to another task with
// [Resource.Transfer]. A task that ends holding units (it returned, failed
// or was cancelled without releasing them) cannot keep them for ever: they
// are released at its end and handed on to the waiting requests, and the
// next Run method reports the leak as a failure nobody read, a
// [*HeldAtEndError] naming the task and the resource (matching
// [ErrHeldAtEnd]). Tasks unwound by Env.Close are not reported. The check
// is sim.Proc.WatchEnd's, registered when a unit is granted, at no
// allocation.
//
// # Bounded waiting rooms and inspection
//
// [Resource.SetQueueLimit] and [Store.SetPutQueueLimit] bound how many
// requests may wait: one that would wait beyond the bound returns
// [ErrRefused] at once and adds one to sim.Stats.Refused (M/M/c/K, loss
// systems, balking). [Resource.Users], [Resource.Queue], and the PutQueue
// and GetQueue of a Store or Container show who holds and who waits, in
// order, as SimPy's users, queue, put_queue and get_queue do.
//
// # Misuse
//
// Methods that take a *sim.Proc must be called from that task; a resource
// belongs to the Env that first used it (until that Env is closed), and a
// task of another Env that uses it panics. Bad amounts are errors matching
// [ErrBadAmount]; a Release by a task that holds no unit (and lost none to a
// preemption) panics.
package resource
