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
// # Misuse
//
// Methods that take a *sim.Proc must be called from that task; a resource
// belongs to the Env that first used it (until that Env is closed), and a
// task of another Env that uses it panics. Bad amounts are errors matching
// [ErrBadAmount]; a Release by a task that holds no unit (and lost none to a
// preemption) panics.
package resource
