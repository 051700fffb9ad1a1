package queuetest

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// sorted is the reference queue: a slice kept sorted by Entry.Less.
type sorted []scheduler.Entry[int]

func compare(a, b scheduler.Entry[int]) int {
	switch {
	case a.Less(&b):
		return -1
	case b.Less(&a):
		return 1
	}
	return 0
}

func (s *sorted) push(e scheduler.Entry[int]) {
	i, _ := slices.BinarySearchFunc(*s, e, compare)
	*s = slices.Insert(*s, i, e)
}

func (s *sorted) pop() scheduler.Entry[int] {
	e := (*s)[0]
	*s = slices.Delete(*s, 0, 1)
	return e
}

// keys hands out unique Keys: half of them the push number, half a random
// number above it, so that Keys both follow the pushes and do not. A run
// makes fewer than 1<<20 pushes.
type keys struct {
	r *rand.Rand
	n uint64
}

func (k *keys) next() uint64 {
	k.n++
	if k.r.IntN(2) == 0 {
		return k.n
	}
	return k.r.Uint64()<<20 | k.n
}

// tester applies operations to one queue and to the reference, and checks
// after each one that they agree.
type tester struct {
	c   *checker
	q   scheduler.Queue[int]
	ref sorted
}

func (x *tester) push(e scheduler.Entry[int]) {
	x.c.op("Push(%s)", show(e))
	x.q.Push(e)
	x.ref.push(e)
	x.checkLen()
}

// pop checks that Pop returns the least entry, and that Peek showed it
// first (unless the caller asks for a Pop without a Peek).
func (x *tester) pop() { x.popPeeked(true) }

func (x *tester) popPeeked(peek bool) {
	if len(x.ref) == 0 {
		x.c.op("PopUntil(MaxInt64)")
		if e, ok := x.q.PopUntil(math.MaxInt64); ok {
			x.c.failf("PopUntil(MaxInt64) on an empty queue returned %s, want ok=false", show(e))
		}
		return
	}
	if peek {
		x.checkPeek()
	}
	x.c.op("Pop()")
	want := x.ref.pop()
	if got := x.q.Pop(); got != want {
		x.c.failf("Pop() = %s, want %s", show(got), show(want))
	}
	x.checkLen()
}

func (x *tester) popUntil(limit time.Duration) {
	x.c.op("PopUntil(%s)", fmtAt(limit))
	got, ok := x.q.PopUntil(limit)
	if len(x.ref) == 0 || x.ref[0].At > limit {
		if ok {
			x.c.failf("PopUntil(%s) = %s, want ok=false (least entry %s)", fmtAt(limit), show(got), showRef(x.ref))
		}
		x.checkLen()
		return
	}
	want := x.ref.pop()
	if !ok {
		x.c.failf("PopUntil(%s) returned ok=false, want %s", fmtAt(limit), show(want))
	}
	if got != want {
		x.c.failf("PopUntil(%s) = %s, want %s", fmtAt(limit), show(got), show(want))
	}
	x.checkLen()
}

// filter keeps the entries for which keep returns true, checking that
// Filter shows keep every entry once.
func (x *tester) filter(what string, keep func(e *scheduler.Entry[int]) bool) {
	x.c.op("Filter(%s)", what)
	seen := make(map[int]bool, len(x.ref))
	x.q.Filter(func(e *scheduler.Entry[int]) bool {
		if seen[e.Value] {
			x.c.failf("Filter showed keep entry %s twice", show(*e))
		}
		seen[e.Value] = true
		return keep(e)
	})
	if len(seen) != len(x.ref) {
		x.c.failf("Filter showed keep %d entries, want %d", len(seen), len(x.ref))
	}
	for _, e := range x.ref {
		if !seen[e.Value] {
			x.c.failf("Filter did not show keep entry %s", show(e))
		}
	}
	x.ref = slices.DeleteFunc(x.ref, func(e scheduler.Entry[int]) bool { return !keep(&e) })
	x.checkLen()
	x.checkPeek()
}

func (x *tester) checkLen() {
	if got, want := x.q.Len(), len(x.ref); got != want {
		x.c.failf("Len() = %d, want %d", got, want)
	}
}

// checkPeek checks Peek, twice: it must not change the queue.
func (x *tester) checkPeek() {
	for range 2 {
		p := x.q.Peek()
		switch {
		case len(x.ref) == 0 && p != nil:
			x.c.failf("Peek() = %s on an empty queue, want nil", show(*p))
		case len(x.ref) > 0 && (p == nil || *p != x.ref[0]):
			x.c.failf("Peek() = %s, want %s", showPtr(p), show(x.ref[0]))
		}
	}
	x.checkLen()
}

// drain pops every entry left, then checks that the queue is empty.
func (x *tester) drain() {
	for len(x.ref) > 0 {
		x.pop()
	}
	x.checkPeek()
	x.pop()
}

func showRef(ref sorted) string {
	if len(ref) == 0 {
		return "none"
	}
	return show(ref[0])
}

// checkEmpty checks a new queue and a queue emptied again: Len 0, Peek nil,
// PopUntil not ok for any limit, Pop panics.
func checkEmpty(c *checker) {
	q := c.queue()
	empty := func(when string) {
		if n := q.Len(); n != 0 {
			c.failf("Len() = %d %s, want 0", n, when)
		}
		if p := q.Peek(); p != nil {
			c.failf("Peek() = %s %s, want nil", show(*p), when)
		}
		for _, limit := range []time.Duration{math.MinInt64, 0, math.MaxInt64} {
			if e, ok := q.PopUntil(limit); ok {
				c.failf("PopUntil(%s) = %s %s, want ok=false", fmtAt(limit), show(e), when)
			}
		}
		func() {
			defer func() {
				if recover() == nil {
					c.failf("Pop() %s did not panic", when)
				}
			}()
			q.Pop()
		}()
	}
	c.op("new queue")
	empty("on a new queue")
	c.op("Push({At:5}); Pop()")
	q.Push(scheduler.Entry[int]{At: 5, Key: 1, Value: 1})
	if e := q.Pop(); e.Value != 1 {
		c.failf("Pop() = %s, want the one entry pushed", show(e))
	}
	empty("after the only entry was popped")
}

// checkPeekPop checks that Peek shows what Pop returns next, follows pushes
// of lesser entries, and removes nothing.
func checkPeekPop(c *checker) {
	x := &tester{c: c, q: c.queue()}
	for i, at := range []time.Duration{50, 40, 60, 40, 10, 70} {
		x.push(scheduler.Entry[int]{At: at, Key: uint64(10 - i), Value: i})
		x.checkPeek()
	}
	p := x.q.Peek()
	if p == nil {
		c.failf("Peek() = nil with %d entries", len(x.ref))
	}
	// The pointer is valid until the next Push, Pop or Filter: reading
	// it again reads the same entry.
	first := *p
	x.checkLen()
	if *p != first {
		c.failf("the entry Peek() pointed to changed from %s to %s with no call in between", show(first), show(*p))
	}
	x.drain()
}

// checkPopUntil checks the limit of PopUntil: an entry due at the limit
// leaves, one due after it stays, at the edges of the range too.
func checkPopUntil(c *checker) {
	x := &tester{c: c, q: c.queue()}
	e := func(at time.Duration, key uint64) scheduler.Entry[int] {
		return scheduler.Entry[int]{At: at, Key: key, Value: int(key)}
	}
	x.push(e(10, 2))
	x.push(e(20, 3))
	x.push(e(10, 1))
	for _, limit := range []time.Duration{math.MinInt64, 9, 10, 10, 10, 19, 20, 20} {
		x.popUntil(limit)
		x.checkPeek()
	}
	x.push(e(math.MinInt64, 4))
	x.push(e(math.MaxInt64, 5))
	x.push(e(math.MaxInt64, 6))
	for _, limit := range []time.Duration{math.MinInt64, math.MinInt64, math.MaxInt64 - 1, math.MaxInt64, math.MaxInt64, math.MaxInt64} {
		x.popUntil(limit)
		x.checkPeek()
	}
	// Push an entry due before one that a PopUntil just left in place.
	x.push(e(100, 7))
	x.popUntil(99)
	x.push(e(99, 8))
	x.popUntil(99)
	x.popUntil(99)
	x.popUntil(100)
	x.drain()
}

// checkFilter checks Filter on an empty queue, dropping some entries,
// none, and all of them, and that the queue works afterwards.
func checkFilter(c *checker) {
	x := &tester{c: c, q: c.queue()}
	x.filter("on an empty queue", func(e *scheduler.Entry[int]) bool {
		c.failf("Filter on an empty queue called keep with %s", show(*e))
		return true
	})
	r := rand.New(rand.NewPCG(1, 2))
	k := keys{r: r}
	for i := range 300 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(50)), Key: k.next(), Value: i})
	}
	for range 100 {
		x.pop()
	}
	x.filter("Value%3 != 0", func(e *scheduler.Entry[int]) bool { return e.Value%3 != 0 })
	x.filter("all", func(*scheduler.Entry[int]) bool { return true })
	for i := range 50 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(80)), Key: k.next(), Value: 300 + i})
	}
	for range 30 {
		x.pop()
	}
	x.filter("Value%2 == 0", func(e *scheduler.Entry[int]) bool { return e.Value%2 == 0 })
	x.filter("none", func(*scheduler.Entry[int]) bool { return false })
	for i := range 20 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(10)), Key: k.next(), Value: 400 + i})
	}
	x.drain()
}

// checkFilterKeys checks that keep may change Keys in a way that keeps the
// order of the entries (as Set does when it renumbers its tie-break ranks),
// and that pushes and pops afterwards use the new Keys.
func checkFilterKeys(c *checker) {
	x := &tester{c: c, q: c.queue()}
	r := rand.New(rand.NewPCG(3, 4))
	k := keys{r: r}
	for i := range 500 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(20)), Key: k.next(), Value: i})
	}
	for range 100 {
		x.pop()
	}
	// Renumber: the entry of rank i among those left gets Key
	// base+i, which keeps their order.
	renumber := func(base uint64) {
		rank := make(map[int]uint64, len(x.ref))
		for i, e := range x.ref {
			rank[e.Value] = base + uint64(i)
		}
		for i := range x.ref {
			x.ref[i].Key = rank[x.ref[i].Value]
		}
		x.filter("renumbered Keys", func(e *scheduler.Entry[int]) bool {
			e.Key = rank[e.Value]
			return true
		})
	}
	renumber(1)
	for i := range 100 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(20)), Key: uint64(1000 + i), Value: 500 + i})
		if i%3 == 0 {
			x.pop()
		}
	}
	renumber(math.MaxUint64 - 1000)
	for i := range 100 {
		x.push(scheduler.Entry[int]{At: time.Duration(r.IntN(20)), Key: k.next(), Value: 600 + i})
		if i%2 == 0 {
			x.pop()
		}
	}
	x.drain()
}

// checkOrder runs random operations (Push, Pop, Peek, PopUntil, Filter)
// with times from d, growing the queue to several hundred entries and
// shrinking it again, against the reference. Len is checked after every
// operation, Peek after about half of them.
func checkOrder(c *checker, d timeDist) {
	for seed := range uint64(2) {
		c.reset()
		r := rand.New(rand.NewPCG(seed, 0x6f72646572))
		x := &tester{c: c, q: c.queue()}
		next := d.make(r)
		k := keys{r: r}
		var now time.Duration
		value := 0
		for step := range 3000 {
			// Grow to several hundred entries, then shrink.
			pushP := 75
			if step >= 1500 {
				pushP = 25
			}
			switch y := r.IntN(100); {
			case y < pushP:
				x.push(scheduler.Entry[int]{At: next(now), Key: k.next(), Value: value})
				value++
			case y < pushP+(100-pushP)/2:
				if len(x.ref) > 0 {
					now = x.ref[0].At
				}
				x.popPeeked(r.IntN(2) == 0)
			case y < 99 || r.IntN(4) != 0:
				x.popUntil(limitNear(r, x.ref, next(now)))
			default:
				m := 2 + r.IntN(4)
				rem := r.IntN(m)
				x.filter("Value%m != rem", func(e *scheduler.Entry[int]) bool { return e.Value%m != rem })
			}
			// Peek after about half of the operations: some bugs
			// show only when a Pop or Push follows a Peek, others only
			// when none does.
			if r.IntN(2) == 0 {
				x.checkPeek()
			}
		}
		x.drain()
	}
}

// limitNear returns a limit for PopUntil: mostly at, just before or just
// after the least entry, sometimes other.
func limitNear(r *rand.Rand, ref sorted, other time.Duration) time.Duration {
	if len(ref) == 0 {
		return other
	}
	at := ref[0].At
	switch r.IntN(5) {
	case 0:
		if at > math.MinInt64 {
			return at - 1
		}
	case 1:
		if at < math.MaxInt64 {
			return at + 1
		}
	case 2:
		return other
	}
	return at
}

// checkBulk pushes 20000 entries with times from d, pops them all, then
// does it again on the same queue with half as many: enough entries for a
// queue to resize several times, checked against a sort.
func checkBulk(c *checker, d timeDist) {
	r := rand.New(rand.NewPCG(7, 0x62756c6b))
	q := c.queue()
	next := d.make(r)
	k := keys{r: r}
	value := 0
	for _, n := range []int{20000, 10000} {
		c.reset()
		es := make([]scheduler.Entry[int], n)
		for i := range es {
			es[i] = scheduler.Entry[int]{At: next(0), Key: k.next(), Value: value}
			value++
		}
		c.op("Push %d entries", n)
		for _, e := range es {
			q.Push(e)
		}
		if q.Len() != n {
			c.failf("Len() = %d after %d pushes into an empty queue", q.Len(), n)
		}
		slices.SortFunc(es, compare)
		c.op("Pop them all")
		for i, want := range es {
			if p := q.Peek(); p == nil || *p != want {
				c.failf("Peek() before pop %d = %s, want %s", i, showPtr(p), show(want))
			}
			if got := q.Pop(); got != want {
				c.failf("pop %d = %s, want %s", i, show(got), show(want))
			}
		}
		if q.Len() != 0 || q.Peek() != nil {
			c.failf("Len() = %d, Peek() = %s after popping every entry", q.Len(), showPtr(q.Peek()))
		}
	}
}

// checkHold runs the hold workload: 5000 entries; each Pop is followed by
// a Push due an increment from d later (scaled to a mean of 1ms; one in
// eight increments is zero, so that the new entry ties with the one just
// popped and the Key decides). Every pushed entry is due no earlier than
// the entry just popped, so the queue is correct if and only if the popped
// entries come out in order and each exactly once: the check needs no
// reference, and runs 40000 holds.
func checkHold(c *checker, d increment) {
	const n, holds = 5000, 40000
	r := rand.New(rand.NewPCG(11, 0x686f6c64))
	q := c.queue()
	pending := make([]bool, n+holds)
	var key uint64
	push := func(at time.Duration) {
		key++
		pending[key-1] = true
		q.Push(scheduler.Entry[int]{At: at, Key: key, Value: int(key - 1)})
	}
	incr := func() time.Duration {
		if r.IntN(8) == 0 {
			return 0
		}
		return time.Duration(d.draw(r) * 1e6)
	}
	c.op("Push %d entries", n)
	for range n {
		push(incr())
	}
	var last scheduler.Entry[int]
	pop := func(i int) scheduler.Entry[int] {
		// Peek before every other Pop.
		var peeked *scheduler.Entry[int]
		if i%2 == 0 {
			p := q.Peek()
			if p == nil {
				c.failf("Peek() = nil at pop %d with %d entries pushed and not popped", i, q.Len())
			}
			e := *p
			peeked = &e
		}
		e := q.Pop()
		switch {
		case peeked != nil && e != *peeked:
			c.failf("pop %d: Pop() = %s, but Peek() just showed %s", i, show(e), show(*peeked))
		case e.Value < 0 || e.Value >= len(pending) || !pending[e.Value]:
			c.failf("pop %d: Pop() = %s, an entry not pending", i, show(e))
		case i > 0 && e.Less(&last):
			c.failf("pop %d: Pop() = %s after %s", i, show(e), show(last))
		}
		pending[e.Value] = false
		last = e
		return e
	}
	c.op("Pop, then Push a later entry, %d times", holds)
	for i := range holds {
		e := pop(i)
		push(e.At + incr())
		if q.Len() != n {
			c.failf("Len() = %d after hold %d, want %d", q.Len(), i, n)
		}
	}
	c.op("Pop the %d entries left", n)
	for i := range n {
		pop(holds + i)
	}
	if q.Len() != 0 || q.Peek() != nil {
		c.failf("Len() = %d, Peek() = %s after popping every entry", q.Len(), showPtr(q.Peek()))
	}
}
