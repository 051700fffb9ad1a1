package queuetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// Benchmark runs the event-set workloads on queues made by newQueue, as
// sub-benchmarks of b (see the package documentation): Hold, MarkovHold
// and UpDown with each increment distribution (named, for example,
// Hold/exponential/N=1000), and Timeout (Timeout/N=1000), each at N =
// 1000, 10000, 100000 and 1000000 (the last skipped with -short), each on a
// queue of its own. Each reports ns/op (the mean),
// p50-ns/op, p99-ns/op and max-ns/op (see the package documentation) and
// allocations. It panics if newQueue is nil or returns nil.
func Benchmark(b *testing.B, newQueue func() scheduler.Queue[int]) {
	mustQueue("Benchmark", newQueue)
	sizes := func(b *testing.B, run func(b *testing.B, n int)) {
		for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
			b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
				if n > 100_000 && testing.Short() {
					b.Skip("N=1000000 is skipped with -short")
				}
				b.ReportAllocs()
				run(b, n)
			})
		}
	}
	workloads := []struct {
		name string
		run  func(b *testing.B, q scheduler.Queue[int], inc *incrs, n int)
	}{
		{"Hold", benchHold},
		{"MarkovHold", benchMarkovHold},
		{"UpDown", benchUpDown},
	}
	for _, w := range workloads {
		b.Run(w.name, func(b *testing.B) {
			for _, d := range increments() {
				b.Run(d.name, func(b *testing.B) {
					sizes(b, func(b *testing.B, n int) { w.run(b, newQueue(), newIncrements(d), n) })
				})
			}
		})
	}
	b.Run("Timeout", func(b *testing.B) {
		sizes(b, func(b *testing.B, n int) { benchTimeout(b, newQueue(), n) })
	})
}

// incrs draws increments from one distribution, scaled to a mean of
// one second, independently for each push, as the workloads of the
// literature define them. (Increments drawn in advance and used in turn
// repeat with the table's period: with 65536 of them, the calendar queue's
// hold at N=1e6 measured about 500 ns an operation, against 300 ns with
// 4M.) A draw costs a few nanoseconds, the same for every queue.
type incrs struct {
	r    *rand.Rand
	draw func(*rand.Rand) float64
}

func newIncrements(d increment) *incrs {
	return &incrs{r: rand.New(rand.NewPCG(1, 0x696e6372)), draw: d.draw}
}

func (inc *incrs) next() time.Duration { return time.Duration(inc.draw(inc.r) * 1e9) }

// feeder pushes entries with increasing Keys.
type feeder struct {
	q   scheduler.Queue[int]
	key uint64
}

func (f *feeder) push(at time.Duration) {
	f.key++
	f.q.Push(scheduler.Entry[int]{At: at, Key: f.key, Value: int(f.key)})
}

// batchOps is the number of operations timed together for the worst-case
// figures.
const batchOps = 64

// batches times every batchOps operations of a benchmark, for the mean,
// the median, the 99th percentile and the maximum cost of an operation. One call of
// time.Now per batch costs well under a nanosecond an operation; timing
// each operation alone would cost more than many operations and is too
// coarse besides.
type batches struct {
	n    int
	last time.Time
	ds   []time.Duration
}

// tick is called before each operation.
func (t *batches) tick() {
	if t.n%batchOps == 0 {
		now := time.Now()
		if t.n > 0 {
			t.ds = append(t.ds, now.Sub(t.last))
		}
		t.last = now
	}
	t.n++
}

// report reports ns/op (replacing the testing package's figure with the
// mean over the timed batches), p50-ns/op, p99-ns/op and max-ns/op.
func (t *batches) report(b *testing.B) {
	if len(t.ds) == 0 {
		return
	}
	var sum time.Duration
	for _, d := range t.ds {
		sum += d
	}
	slices.Sort(t.ds)
	perOp := func(d time.Duration) float64 { return float64(d) / batchOps }
	b.ReportMetric(float64(sum)/float64(len(t.ds)*batchOps), "ns/op")
	b.ReportMetric(perOp(t.ds[len(t.ds)/2]), "p50-ns/op")
	b.ReportMetric(perOp(t.ds[len(t.ds)*99/100]), "p99-ns/op")
	b.ReportMetric(perOp(t.ds[len(t.ds)-1]), "max-ns/op")
}

// benchHold is the classic hold workload: n entries pending; an operation
// pops the least and pushes a new one an increment after it. Before
// timing, 2n holds (at least 100000) bring the pending times to their
// steady distribution.
func benchHold(b *testing.B, q scheduler.Queue[int], inc *incrs, n int) {
	f := &feeder{q: q}
	for range n {
		f.push(inc.next())
	}
	for range max(2*n, 100_000) {
		f.push(q.Pop().At + inc.next())
	}
	var t batches
	for b.Loop() {
		t.tick()
		f.push(q.Pop().At + inc.next())
	}
	t.report(b)
}

// benchMarkovHold is the Markov hold workload: an operation is a push (an
// increment after the last pop) or a pop, chosen by a two-state Markov
// chain that repeats its last choice with probability 0.9, so that runs of
// about ten pushes alternate with runs of about ten pops, the queue's
// length wandering from n/2 to 3n/2 (at either end the chain changes
// state). One operation is one push or one pop.
func benchMarkovHold(b *testing.B, q scheduler.Queue[int], inc *incrs, n int) {
	f := &feeder{q: q}
	r := rand.New(rand.NewPCG(2, 0x6d61726b))
	for range n {
		f.push(inc.next())
	}
	for range max(2*n, 100_000) {
		f.push(q.Pop().At + inc.next())
	}
	var now time.Duration
	pushing := true
	lo, hi := n/2, n+n/2
	step := func() {
		if pushing {
			f.push(now + inc.next())
		} else {
			now = q.Pop().At
		}
		switch l := q.Len(); {
		case l <= lo:
			pushing = true
		case l >= hi:
			pushing = false
		case r.Uint32N(10) == 0:
			pushing = !pushing
		}
	}
	for range 2 * n {
		step()
	}
	var t batches
	for b.Loop() {
		t.tick()
		step()
	}
	t.report(b)
}

// benchUpDown is the up/down workload: n pushes (each an increment after
// the last pop) fill the queue, then n pops empty it, and again. One
// operation is one push or one pop.
func benchUpDown(b *testing.B, q scheduler.Queue[int], inc *incrs, n int) {
	f := &feeder{q: q}
	var now time.Duration
	up, left := true, n
	step := func() {
		if up {
			f.push(now + inc.next())
		} else {
			now = q.Pop().At
		}
		if left--; left == 0 {
			up, left = !up, n
		}
	}
	for range 2 * n {
		step()
	}
	var t batches
	for b.Loop() {
		t.tick()
		step()
	}
	t.report(b)
}

// benchTimeout is the cancel-heavy timeout workload, through a FIFO
// scheduler.Set on q: n requests in flight. A request pushes its timeout
// 10s ahead and, nine times in ten, its reply uniformly sooner; a reply
// cancels its request's timeout by Ticket. Either event starts the next
// request in its place. One operation is one event handled: a Pop, then
// a Cancel for a reply, and the next request's one or two Pushes. Nine in
// ten timeouts are cancelled before they are due, and the Set compacts
// the queue with Filter when cancelled entries outnumber live ones.
func benchTimeout(b *testing.B, q scheduler.Queue[int], n int) {
	const timeout = 10 * time.Second
	s := scheduler.NewSet(q, scheduler.FIFO, 0)
	r := rand.New(rand.NewPCG(3, 0x74696d65))
	tickets := make([]scheduler.Ticket, n)
	var now time.Duration
	// An event's value is its request's slot, times two, plus one for a
	// reply.
	start := func(slot int) {
		tickets[slot] = s.Push(now+timeout, 0, 2*slot)
		if r.Uint32N(10) != 0 {
			s.Push(now+time.Duration(r.Int64N(int64(timeout))), 0, 2*slot+1)
		}
	}
	step := func() {
		at, v, _ := s.Next(math.MaxInt64)
		now = at
		if v&1 == 1 {
			s.Cancel(tickets[v/2])
		}
		start(v / 2)
	}
	for slot := range n {
		start(slot)
	}
	for range max(4*n, 100_000) {
		step()
	}
	var t batches
	for b.Loop() {
		t.tick()
		step()
	}
	t.report(b)
}
