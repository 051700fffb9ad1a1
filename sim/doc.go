// Package sim is vtsim's simulation engine: an Env owns a virtual clock and
// an event set, and runs tasks, plain Go functions, as coroutines on virtual
// time, with the semantics of Python asyncio's Tasks.
//
// # Time
//
// Virtual time is a time.Duration since the Env's start (an integer number of
// nanoseconds; no floats). Env.Time gives it as a wall-clock instant from a
// start that defaults to 2000-01-01T00:00:00Z. Time moves only when the run
// loop takes the next event; nothing in this package reads the real clock or
// sleeps for real, except the watchdog. Negative durations count as zero, as
// in package time; a deadline past MaxTime (about 292 years) is an error
// matching ErrTimeOverflow, never a wrap-around, except for a timeout
// (Timeout, future.WaitFor, future.WaitTimeout), where a duration that
// reaches MaxTime means no deadline (future.NoTimeout; asyncio's None).
//
// # Order
//
// Events run one at a time in order of (time, priority, insertion sequence):
// events due at the same time with the same priority run first in, first out.
// A task is only ever resumed from the run loop, never directly by another
// task or callback: creating a task schedules its first step (Go does not run
// it), completing a future schedules its done-callbacks, and a task woken by
// a cancellation resumes through an event due now. Proc.Yield (Sleep(0))
// therefore lets every event already due now run before the task goes on.
// WithTieBreak can make equal-time order LIFO or seeded-random, for schedule
// exploration; events at different times are never reordered.
//
// The same model, options and seed give the same events in the same order on
// any machine, any GOMAXPROCS, every run. Randomness comes from Env.Rand:
// named streams derived from (seed, name), so adding a stream does not shift
// the numbers of another.
//
// # Tasks
//
// Go creates a task from a func(*Proc) (T, error) and returns a *Task[T],
// which is a future of the function's result. Inside, the function waits with
// Proc.Sleep, Proc.SleepUntil, Proc.Yield and Await; each wait suspends the
// coroutine (an iter.Pull coroutine: a resume costs about as much as a bare
// iter.Pull round trip) and the run loop goes on with the next event. A wait
// may sit anywhere in the task's call stack. Spawn starts a task from a
// func(*Proc) error and returns nothing (a go statement): for the many short
// tasks nobody awaits, such as one per customer, at no allocation in steady
// state, since the Proc of an ended one is reused for the next task of the
// same name; such a Proc must not be kept once its function has returned
// (Proc.Keep exempts one).
//
// Task.Cancel is a request, as in asyncio: the task sees a *CancelledError
// (matching ErrCancelled and context.Canceled) from the wait it is suspended
// in, from its next wait if it is running, or never runs if it has not
// started; a future it awaits is cancelled too, down the chain of awaits. A
// task that returns that error ends cancelled; one that handles it goes on.
// Task.Cancelling and Task.Uncancel count requests as asyncio 3.13 does;
// inside a task, Proc.Cancel, Proc.Cancelling and Proc.Uncancel reach the
// same counters (asyncio's current_task().uncancel()).
//
// A task that panics ends with a *PanicError holding the value and the stack;
// the Env stays usable. A task failure that nobody awaits or reads is
// returned by the next Run method (or Close) as a *TaskError, never dropped;
// so is a future's failure that a combinator leaves unread (a cancelled
// Shield's inner, a Shield nobody reads; the Env is a
// future.FailureWatcher).
//
// # Waiting and cancelling
//
// Every wait is a point where a cancellation can land: [Proc.Sleep],
// [Proc.SleepUntil], [Proc.Yield], [Await], and every primitive's waits.
// [Timeout] and [TimeoutAt] are asyncio's timeout scopes: the body is
// cancelled at the deadline and the scope returns an error matching
// ErrTimeout (and context.DeadlineExceeded). [Proc.Context] gives a
// context.Context that is cancelled with the task, for code written against
// context. [Task.Interrupt] (SimPy's interrupt) makes the current wait
// return an *[InterruptError] without cancelling the task.
//
// # Structured concurrency
//
// [Group] is asyncio's TaskGroup: the first failure cancels the siblings
// and the body, errors are joined, an outside cancellation is never lost.
// [AsCompleted] yields futures in the order they finish; the combinators of
// package future (Gather, Wait, WaitFor, Shield) run on an Env through
// [Env.Loop].
//
// # Differences from asyncio
//
// Where asyncio's rules changed between versions, vtsim follows Python
// 3.13 (WaitFor as a timeout scope, Uncancel rescinding a pending
// cancellation, TaskGroup re-delivering an outside cancellation, Semaphore
// waking as many waiters as its value allows). What remains different is
// deliberate:
//
//   - Combinators are futures, not coroutines. future.WaitFor, Wait,
//     Gather and Shield return futures that a task awaits, where asyncio's
//     wait_for runs a timeout scope inside the awaiting task. So a WaitFor's
//     deadline cancels the inner future, not the awaiting task (whose
//     Cancelling never counts the timeout's own request, which asyncio
//     counts and withdraws before wait_for returns), and the inner is
//     always its own task or future: asyncio 3.12+ runs a coroutine given
//     to wait_for inside the caller's task. The outcomes are a timeout
//     scope's, decided by the order of events; the inner's done-callback,
//     which hands its outcome to the WaitFor, stands for the awaiting
//     task's resumption. Use Timeout around Await for a scope in the task
//     itself.
//   - future.Wait takes its done and pending sets when its result is first
//     read (by the awaiting task as it resumes, as asyncio builds them);
//     later reads see the same sets, since a Go value cannot change under
//     its reader.
//   - Unread failures are reported when a Run method or Close returns,
//     never at garbage collection, which would make reports depend on the
//     collector: a task's failure nobody read, and a future's failure that
//     a combinator left unread (future.FailureWatcher). A plain future that
//     fails with no reader and no combinator involved is not reported.
//   - Errors are values: a WaitFor whose inner fails after the deadline's
//     cancellation returns the inner's error alone (asyncio chains a
//     TimeoutError to it as context); Gather cancelled from outside ends
//     cancelled rather than with a CancelledError exception, which reads
//     the same to an awaiter.
//   - No timeout is spelled future.NoTimeout (any duration reaching
//     MaxTime), not None: negative durations mean zero, as in package time.
//   - Go never runs a task eagerly (asyncio's eager_task_factory): its
//     first step is scheduled, as create_task's is.
//
// # Primitives
//
// asyncio's synchronisation primitives, each cancellation-safe (a waiter
// cancelled at any moment, even just after it was woken, leaves no unit
// taken and no count shifted): [Event], [Lock], [Semaphore] and
// [NewBoundedSemaphore], [Condition], [Barrier], and [Queue] (FIFO, LIFO,
// priority; bounded; TaskDone/Join; Shutdown). SimPy's resources (Resource,
// Store, Container) are in package [github.com/vtsim/vtsim/sim/resource],
// written on this package's public API alone.
//
// Every wait has a future form too ([Queue.GetFuture], [Queue.PutFuture],
// [Lock.AcquireFuture], [Semaphore.AcquireFuture], [Event.WaitFuture],
// [Condition.WaitFuture]; [NewWaitFuture] for a primitive of one's own), a
// [WaitFuture] that the combinators take, and SimPy's conditions compose
// them: [AnyOf] (a | b), [AllOf] (a & b), [After] (env.timeout(d, value)).
// What a wait in future form was granted goes back if nobody reads it
// (its awaiter was cancelled, timed out or lost the race); see WaitFuture.
//
// # Writing a primitive
//
// [WaitQueue] is the parking kit every primitive is built on, here and in
// package resource: [WaitQueue.Wait] parks the running task,
// [WaitQueue.WakeOne], [WaitQueue.Wake] and [WaitQueue.WakeAll] schedule
// waiters' resumptions, and a cancelled waiter leaves by itself. A
// primitive calls [Proc.CheckRunning] first in each operation that may
// wait, hands over what a waiter was woken for at wake-up, and takes it
// back when Wait reports woken with an error. [Stats] records its queue
// length, level and waits (NewStats, Stats.Enter, Stats.Leave,
// Stats.Serve, Stats.SetLevel).
//
// # Statistics
//
// Queue.EnableStats (and the resources' EnableStats) record time-weighted
// queue lengths and levels and the waits of served requests into
// [github.com/vtsim/vtsim/observe] types; package reports turns them into
// confidence intervals. This package links no numerical library.
//
// # Diagnosis
//
// When no event is left but tasks still wait, Run returns a *DeadlockError
// listing every waiting task, what it waits on and since when. A task or
// callback that blocks on something the engine does not see (a raw channel,
// a mutex, a real sleep) stops the world: the watchdog notices after
// DefaultWatchdog of real time without progress and panics with a
// *StallError naming the task and showing its stack (see WithWatchdog).
//
// Calling a wait from outside its task, any method on a closed Env, Run from
// inside a task, or passing nil functions panics with a message that names
// the call. Close unwinds every unfinished task at its wait, running its
// deferred calls, so that no goroutine outlives the Env.
//
// # Tracing
//
// WithTracer installs a Tracer that sees every task spawn, resume, wait and
// end and every callback, in order; with none, tracing costs one nil check.
// TraceRecorder is a Tracer that keeps a track per task (its waits as slices
// labelled with what they wait on) and writes Chrome trace-event JSON, which
// Perfetto and chrome://tracing open; Counter adds levels such as queue
// lengths.
//
// # Costs
//
// Scheduling and dispatching an event is O(log n) with the default heap and
// O(1) expected with scheduler.CalendarQueue; neither allocates per event.
// Cancelling a scheduled callback or a sleep is O(1). A task costs one
// coroutine (a goroutine's stack, from 2 KiB) while it lives.
package sim
