// Package queuetest is a conformance and benchmark kit for implementations
// of [scheduler.Queue], in the manner of testing/fstest: the checks that
// [scheduler.Heap] and [scheduler.Calendar] pass, and the workloads they are
// measured with, for anyone's queue.
//
// # Use
//
// A queue's test file runs the checks as subtests and the workloads as
// sub-benchmarks:
//
//	func newQueue() scheduler.Queue[int] { return mypkg.NewQueue[int]() }
//
//	func TestQueue(t *testing.T)      { queuetest.TestQueue(t, newQueue) }
//	func BenchmarkQueue(b *testing.B) { queuetest.Benchmark(b, newQueue) }
//
// [Check] runs the same checks without a testing.T and returns what failed
// as an error. newQueue must return a new, empty queue at every call. The
// kit uses int values (each entry's number, to tell entries apart); a queue
// generic in its value type is checked at int. A
// queue that passes can be given to [scheduler.NewSet], and so carry a
// simulation's events.
//
// # Checks
//
// Each check is one rule, and one subtest named for it. Queues are checked
// against a slice kept sorted by [scheduler.Entry.Less]; every entry the
// kit pushes has a distinct (At, Key), so the order is exact. The runs are
// seeded and the same at every call. A failure reports the first
// difference and the last eight operations before it.
//
//   - Empty: a new queue, and one whose only entry was popped, has Len 0,
//     Peek nil, PopUntil not ok at any limit, and Pop panics.
//   - PeekPop: Peek shows what Pop returns next, follows a push of a lesser
//     entry, removes nothing, and its pointer reads the same entry until the
//     next Push, Pop or Filter.
//   - PopUntil: an entry due at the limit leaves, one due after it stays
//     (and the queue is unchanged), at the ends of the range
//     (math.MinInt64, math.MaxInt64) too.
//   - Filter: keep is called once for each entry, none on an empty queue;
//     dropping some, none or all entries keeps the others in order, and the
//     queue works afterwards.
//   - FilterKeys: keep may change Keys in a way that keeps the order (as a
//     Set does when it renumbers its tie-break ranks); later pushes and pops
//     use the new Keys.
//   - Order/dist: random Push, Pop, Peek, PopUntil (at, just before and just
//     after the least entry) and Filter, growing the queue to several
//     hundred entries and shrinking it, with Len checked after every
//     operation and Peek after about half of them. The times come from ten distributions: ties (four distinct
//     times at once), instant (one time), exponential, anyint64, nearmax
//     and nearmin (within 2000ns of an end of the range), bothends, bursts
//     (runs of up to 64 entries at one instant), past (pushes before the
//     last pop) and clusters (one in ten entries 11.6 days later).
//   - Bulk/dist: 20000 entries pushed and popped, then 10000 on the same
//     queue: enough for a queue to resize several times.
//   - Hold/increment: the hold workload with 5000 entries and 40000 holds,
//     for each increment distribution of the benchmarks; one increment in
//     eight is zero, so new entries tie with the one just popped.
//   - Set/fifo, Set/lifo, Set/random: random operations on a
//     [scheduler.Set] on the queue (Push with priorities, many due at the
//     instant of the last pop, Pop, PopUntil, Next, Peek, Cancel of pending,
//     popped and cancelled entries, and bursts of cancels that make the Set
//     compact its queue with Filter). A Set gives its entries their Keys, so
//     with a correct queue it returns exactly what the same Set on a
//     [scheduler.Heap] returns (itself tested against a sorted slice by
//     package scheduler); a reference model checks the policy besides.
//   - Set/cancel: 300 entries, four in five cancelled by Ticket, the rest
//     popped in order; tickets of entries that left cancel nothing.
//
// The checks do not look at concurrency, allocation or speed.
//
// # Benchmarks
//
// [Benchmark] runs the classic workloads of the event-set literature, each
// at N = 1000, 10000, 100000 and 1000000 pending entries (the last skipped
// with -short), named workload/increment/N=n:
//
//   - Hold: N entries pending; an operation pops the least and pushes one
//     an increment after it (J. H. Vaucher and P. Duval, "A comparison of
//     simulation event list algorithms", CACM 18(4), 1975; D. W. Jones,
//     "An empirical comparison of priority-queue and event-set
//     implementations", CACM 29(4), 1986).
//   - MarkovHold: each operation a push (an increment after the last pop)
//     or a pop, chosen by a two-state Markov chain that repeats its last
//     choice with probability 0.9, the length kept between N/2 and 3N/2
//     (after K. Chung, J. Sang and V. Rego, "A performance comparison of
//     event calendar algorithms: an empirical approach", Software: Practice
//     and Experience 23(10), 1993).
//   - UpDown: N pushes fill the queue, N pops empty it, and again; one
//     operation is one push or one pop.
//   - Timeout (no increment): a FIFO Set on the queue with N requests in
//     flight, each pushing a timeout 10s ahead and, nine times in ten, a
//     reply uniformly sooner that cancels the timeout by Ticket: most
//     timers are cancelled before they are due. One operation is one
//     event handled (Next, then Cancel and Pushes).
//
// The increment distributions are the families of the hold and up/down
// experiments of R. Rönngren and R. Ayani, "A comparative study of
// parallel and sequential priority queue algorithms", ACM TOMACS 7(2),
// 1997, each scaled here to a mean of one second: exponential (Exp(1)),
// uniform (on [0, 2)), bimodal (nine in ten on [0, 0.2), one in ten on
// [9, 9.2): the parameters are this kit's) and triangular (density rising
// linearly to 1.5: 1.5*sqrt(U)). They are drawn from a seeded generator
// for every push (a few nanoseconds of each operation).
// Before timing, each workload runs 2N operations (at least 100000) so
// that the pending times reach their steady distribution and the queue
// has grown.
//
// Each benchmark reports ns/op, the mean cost of an operation, and the
// spread of that cost: the benchmark reads the clock every 64 operations,
// and p50-ns/op, p99-ns/op and max-ns/op are the median, the 99th
// percentile and the maximum of those batches' times divided by 64
// (timing each operation alone costs more than an operation). The median
// is the figure least disturbed by a busy machine; p99 and max show a
// queue's worst cases (a resize, a year of empty buckets) and also
// whatever else the machine did, so they are figures to compare, not
// limits. Run them briefly on a shared machine:
//
//	go test -run '^$' -bench 'BenchmarkQueue/Hold/exponential' -benchtime=200ms
//
// Only Benchmark reads the real clock; the checks never do.
//
// # Figures
//
// Heap and Calendar in bench's BenchmarkQueueHeap and
// BenchmarkQueueCalendar, on 2 vCPUs (Intel Xeon) shared with other work (load
// average 6 to 9 throughout); go1.26.8, 2026-12-04, -benchtime=200ms, two
// runs, the lower of the two figures; ns per operation. The load inflated
// the means (ns/op) by up to several times, so the table gives the median
// and the 99th percentile:
//
//	                            Heap           Calendar
//	workload           N        p50    p99     p50    p99
//	Hold/exponential   1000      55     64      52     92
//	                   10000     80    149      63    168
//	                   100000   115    365     227    336
//	                   1000000  574   3323     361    842
//	MarkovHold/exp.    1000      36     84      34     75
//	                   10000     48     75      42    108
//	                   100000    66    128     132    308
//	                   1000000  284   1274     204    666
//	UpDown/exp.        1000      28     57      35   1691
//	                   10000     33     99      36   6538
//	                   100000    39    233      88   1101
//	                   1000000   26    649     240   1407
//	Timeout            1000     146    256     131    244
//	                   10000    183    400     181    522
//	                   100000   639   1648     645   1613
//	                   1000000 2011  65527     960   1939
//
// The other increment distributions give figures of the same order. In
// UpDown every batch is all pushes or all pops, so its median is that of
// one phase; its p99 shows the calendar's resizes, done while it fills and
// empties. At the time, the Env-level hold of package bench measured 605
// ns an event on the calendar at N=1e6, against 120 ns on a quiet machine.
package queuetest
