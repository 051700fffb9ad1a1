// Package bench holds vtsim's benchmarks: the reference workloads of the
// design's performance bars, each next to a baseline measured in the same
// run, so that the ratios between them mean something on a noisy machine.
// The package has no API; everything is in its _test.go files.
//
// # Running
//
// A quick check that every benchmark works (one op each):
//
//	go test -run '^$' -bench . -benchmem -benchtime=1x ./bench
//
// A measurement (about four minutes on two cores, a third of it in
// BenchmarkSleepers; the million-task benchmarks need a few GiB of
// memory):
//
//	go test -run '^$' -bench . -benchmem -benchtime=1s -count=3 ./bench
//
// Select one workload with -bench; the patterns match per level and
// unanchored, so anchor them: -bench '^BenchmarkHold$/^N=1000$' or
// -bench '^BenchmarkSwitch$'. Profile one with -cpuprofile cpu.out and read it with
// go tool pprof -top cpu.out.
//
// Every benchmark reports ns/op, allocs/op (with -benchmem; zero for every
// vtsim variant except Sleepers, whose op creates a million tasks) and
// events/s. Nothing sleeps for real.
//
// # Hold: BenchmarkHold, BenchmarkHoldStep, BenchmarkHoldTask
//
// The classic event-set benchmark: N events pending (N=1000 and
// N=1000000); each event, when it runs, schedules one new event at now +
// Exp(mean 1s), drawn from the Env's "hold" stream (math/rand/v2 PCG). One
// op is one event, so ns/op is the cost of one event.
//
// BenchmarkHold is the callback style, with four variants side by side:
//
//   - vtsim-heap and vtsim-calendar: Env.CallLater on the heap and calendar
//     queues. Every event runs the same closure, made once, so an event
//     allocates nothing.
//   - typed-heap: a hand-written binary heap of value entries {at, seq, fn}
//     ordered by (at, seq), driven by a bare loop; the floor of what an
//     event set can cost.
//   - container-heap: container/heap over *event pointers, a new event
//     allocated for each scheduling, as idiomatic pointer-based code does.
//
// All variants draw the same delays from the same stream, so they schedule
// the same events (TestHoldVariantsAgree checks it).
//
// A model is set up once per sub-benchmark (N pending events, then 2N+1e5
// events of warm-up so that the pending times reach their steady
// distribution and every slice has grown) and kept across the calls that
// the testing package makes with a growing b.N and across -count, so that
// setting up a million tasks is paid once and never timed. The vtsim
// variants run exactly b.N events with one call of Env.Run: the callback
// counts down and calls Env.Stop at zero. This measures the run loop that
// simulations use; driving the Env with one Step per event adds the cost of
// entering and leaving Step for every event, which BenchmarkHoldStep
// reports separately (vtsim-heap at N=1000). The watchdog is on during Run
// (the default); in callback style it costs one atomic store every 64
// events.
//
// BenchmarkHoldTask is the task style: N tasks, each looping
// p.Sleep(Exp(1s)); one op is one resumption of a task (its sleep ending).
// Creating the tasks and their first steps are setup. The Env is closed at
// the end, which unwinds every task. At N=1000 a -nowatchdog variant runs
// with sim.WithWatchdog(0, nil) to show what the watchdog costs per
// resumption (two atomic stores), and callback+iter.Pull is the floor of a
// task's event measured alike: the callback hold in which every event also
// makes a bare iter.Pull round trip into its own one of N coroutines, so
// that, as with N tasks, each round trip finds its goroutine out of the
// cache (BenchmarkSwitch's iter.Pull always goes into the same one).
//
// # Switch: BenchmarkSwitch
//
// Two tasks calling p.Yield() (Sleep(0)) at turns: one op is one round,
// each task's wake-up an event and a switch into it (the task that yields
// hosts the other one, docs/design.md "Hosting"), so two events and two
// coroutine switches. The iter.Pull variant is a bare coroutine round trip
// (next() into a sequence that yields at once), the mechanism underneath:
// two switches too. vtsim-nowatchdog shows the watchdog's share.
// vtsim-alone is one task yielding alone, the switch bar's own workload:
// its wake-up is always the next event, so it goes on without a switch
// ("Direct timer wake-ups") and an op is one event pushed and popped.
//
// BenchmarkPullSpread is the same bare round trip spread over N coroutines
// (1, 1,000 and 100,000) resumed in a random order, as a workload with N
// live tasks resumes them. Each round trip then touches a goroutine stack
// and a g that are cold in the cache, which is why a task event of hold
// (1,000 tasks) costs more than a callback event plus BenchmarkSwitch's
// round trip; bench/peers' coroutine floor measures the whole of it.
//
// # Ratios: BenchmarkRatios
//
// The bars stated as ratios (docs/design.md), measured with both sides
// interleaved: each side's b.N events run in 20 slices, the sides' slices
// alternating (in turn first), each timed on its own, so that a slow minute
// on the shared machine slows both sides of a ratio alike. (The separate
// sub-benchmarks above run one after the other, all rounds of one variant
// before the next, and their ratios move by 10% from one run to the next.)
// ns/op is the sum of the sides and means little; the metrics are each
// side's ns/event and the ratios:
//
//   - hold: the callback hold at N=1000 on the default heap, the calendar
//     queue, the typed heap and container/heap: heap/typed (bar: at most
//     1.2), container/heap and container/calendar (bar: at least 2.5).
//   - calendar: the calendar queue at N=1e6 and N=1000: 1e6/1e3 (bar: at
//     most 2). Skipped with -short.
//   - switch: BenchmarkSwitch's round of two tasks, with and without the
//     watchdog, one task alone, and the bare iter.Pull round trip:
//     vtsim/pull (two events and two switches against two switches),
//     nowd/pull and alone/pull (the bar's workload, one task's Sleep(0):
//     at most 1.5).
//
// Each model is set up once per sub-benchmark and kept across the testing
// package's calls, as in BenchmarkHold.
//
// # Sleepers: BenchmarkSleepers
//
// One op creates 1e6 tasks that each sleep once for Exp(1s) and end, runs
// their first steps (after which all of them are asleep at once) and runs
// them to completion: 2e6 events. B/task is the memory the sleeping tasks
// hold (live heap plus goroutine stacks, after a collection, measured with
// runtime.ReadMemStats before the tasks are created and when all are
// asleep); stack-B/task is the stack part. events/s is the rate of the
// whole op (collections excluded). The goroutines variant holds 1e6 plain
// goroutines blocked on a channel, for comparison of B/task only.
//
// Two runtime effects move B/task between rounds; read the first round of
// a fresh process. The runtime keeps the g structures of ended goroutines
// for reuse, so a round that follows another million goroutines does not
// count them (about 500 B/task less). And the initial size of a goroutine
// stack follows the average stack use seen by the last collection
// (GODEBUG adaptivestackstart): the collection that precedes the
// measurement sees only a few deep goroutines and can make the next stacks
// start at 4 KiB; the goroutines variant shows it in its later rounds,
// while the tasks, which allocate enough to trigger collections that see
// the parked tasks themselves (each uses little of its stack), start at
// 2 KiB.
//
// # Futures: BenchmarkFuture
//
// The futures and combinators of issue 3, each op run in a loop by one
// driver task (the Env, the driver and a warm-up of 100 ops are set up
// before the timer starts; b.Loop runs inside the driver), next to Switch,
// which is BenchmarkSwitch's vtsim variant: the round of two yielding
// tasks that the other ops' switches are built from. Each reports events/op (counted with Env.Steps, and
// checked by TestFutureOps together with the virtual time an op takes):
//
//   - CreateAwait: Go of a task that returns at once, then Await of it
//     (2 events: the child's first step, the driver's wake-up).
//   - Gather/N=1000: 1,000 such tasks and an Await of future.Gather of
//     them (2,001 events); ns/child is ns/op divided by 1,000.
//   - WaitFor/done: WaitFor(task that sleeps 1s, 1h), which does not time
//     out (4 events; the 1h timer is cancelled).
//   - WaitFor/timeout: WaitFor(task that sleeps 1h, 1s): it times out,
//     cancels the task and waits for it to end (5 events).
//   - Timeout/scope: sim.Timeout(1h) around a Sleep(1s) that ends in time,
//     next to Timeout/sleep, the same Sleep without the scope (1 event
//     each). The driver sleeps alone, so Timeout/sleep's wake-up is always
//     the next event and ends without a task switch (docs/design.md,
//     "Direct timer wake-ups"); a scope's sleep always switches.
//
// An op that creates a task allocates (the task, and the coroutine that
// iter.Pull makes for it); the others allocate only what their combinator
// makes. The watchdog is on, as in BenchmarkSwitch's vtsim variant.
//
// # Hand-offs of package resource: BenchmarkStorePingPong, BenchmarkContainerHandoff
//
// BenchmarkStorePingPong is BenchmarkPingPong through two unbounded
// resource.Stores, as bench/peers runs pingpong, counted as
// BenchmarkPingPong counts (one op per answer of pong: two hand-offs).
// BenchmarkContainerHandoff has a producer put 1 into a resource.Container
// of capacity 1 and a consumer get 1, so that each waits in turn; one op is
// one unit through the container (a put and a get, each waking the other). Both allocate nothing per op (the stores and containers reuse
// their waits' request records), as resource's alloc_test.go pins with
// testing.AllocsPerRun.
//
// # Replications: BenchmarkReplicate
//
// reports.Replicate of 8 replications of the mm1 workload (20,000
// customers each, a fresh Env per replication) with 1 and 2 workers; one op
// is one experiment. The speedup sub-benchmark runs the two in turn, b.N
// pairs, and reports the median of time(1 worker) / time(2 workers). It
// asserts nothing: on a shared machine the figure measures the neighbours
// as much as Replicate. Read it with the load average.
package bench
