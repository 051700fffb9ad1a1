package scheduler

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// checkCalendar fails t unless c's internal invariants hold: the bucket
// count is a power of two and the width too; every entry is in the bucket of
// its window, in order, and not before the current window; staged entries
// are due after the current window; every slot that holds no entry is zero,
// so that no reference outlives its entry.
func checkCalendar[T comparable](t *testing.T, c *Calendar[T]) {
	t.Helper()
	var zero Entry[T]
	nb := len(c.buckets)
	if nb == 0 {
		if c.n != 0 || c.staged != 0 {
			t.Fatalf("no buckets but %d entries and %d staged", c.n, c.staged)
		}
		return
	}
	if nb&(nb-1) != 0 || c.mask != nb-1 {
		t.Fatalf("%d buckets, mask %#x", nb, c.mask)
	}
	if c.width != time.Duration(1)<<c.shift || c.width < 1 {
		t.Fatalf("width %d, shift %d", c.width, c.shift)
	}
	if c.top|(c.width-1) != c.top {
		t.Fatalf("top %d is not the end of a window of width %d", c.top, c.width)
	}
	if want := int(int64(c.top)>>c.shift) & c.mask; c.n > 0 && c.cur != want {
		t.Fatalf("current bucket %d, want %d for top %d", c.cur, want, c.top)
	}
	window := int64(c.top) >> c.shift
	count := 0
	for i := range c.buckets {
		b := &c.buckets[i]
		es := b.entries()
		count += len(es)
		for k := range es {
			e := &es[k]
			if got := int(int64(e.At)>>c.shift) & c.mask; got != i {
				t.Fatalf("entry at %d in bucket %d, want %d", e.At, i, got)
			}
			if c.far != nil && int64(e.At)>>c.farShift >= c.fwin {
				t.Fatalf("entry at %d in bucket %d is in far window %d, not before fwin %d", e.At, i, int64(e.At)>>c.farShift, c.fwin)
			}
			if int64(e.At)>>c.shift < window {
				t.Fatalf("entry at %d before the current window (top %d, width %d)", e.At, c.top, c.width)
			}
			if k > 0 && !es[k-1].Less(e) {
				t.Fatalf("bucket %d out of order at %d: %+v then %+v", i, k, es[k-1], *e)
			}
		}
		if b.more == nil {
			if b.n < 0 || b.n > calFew || b.lo != 0 {
				t.Fatalf("inline bucket %d: n %d, lo %d", i, b.n, b.lo)
			}
			for k := b.n; k < calFew; k++ {
				if b.few[k] != zero {
					t.Fatalf("bucket %d: free inline slot %d not cleared", i, k)
				}
			}
			continue
		}
		if b.n <= calFew/2 {
			t.Fatalf("bucket %d keeps a buffer for %d entries", i, b.n)
		}
		for k := range b.few {
			if b.few[k] != zero {
				t.Fatalf("spilled bucket %d: inline slot %d not cleared", i, k)
			}
		}
		for k := range b.more {
			if (k < int(b.lo) || k >= int(b.lo+b.n)) && b.more[k] != zero {
				t.Fatalf("bucket %d: free buffer slot %d not cleared", i, k)
			}
		}
	}
	if count != c.n {
		t.Fatalf("buckets hold %d entries, n = %d", count, c.n)
	}
	checkFar(t, c)
	least := time.Duration(math.MaxInt64)
	for k := range c.staged {
		if at := c.stage[k].At; at <= c.top {
			t.Fatalf("staged entry at %d is not after top %d", at, c.top)
		}
		least = min(least, c.stage[k].At)
	}
	if c.stageMin != least {
		t.Fatalf("stageMin %d, least staged %d", c.stageMin, least)
	}
	for k := c.staged; k < calStage; k++ {
		if c.stage[k] != zero {
			t.Fatalf("free stage slot %d not cleared", k)
		}
	}
	for i, buf := range c.spare {
		for k := range buf {
			if buf[k] != zero {
				t.Fatalf("spare buffer %d: slot %d not cleared", i, k)
			}
		}
	}
}

// checkFar fails t unless c's far tier is consistent: none unless the
// resize rule asks for more than calFarFrom*nearMax buckets, then nearMax buckets, a
// power of two of lists, every entry in the list of its window and not
// before fwin, and every slot past a list's end zero.
func checkFar[T comparable](t *testing.T, c *Calendar[T]) {
	t.Helper()
	var zero Entry[T]
	if c.far == nil {
		if c.farN != 0 || c.free != nil {
			t.Fatalf("no far tier but farN = %d, free chunks %v", c.farN, c.free != nil)
		}
		if c.size != len(c.buckets) {
			t.Fatalf("no far tier but size %d and %d buckets", c.size, len(c.buckets))
		}
		return
	}
	if c.size <= calFarFrom*c.nearMax || len(c.buckets) != c.nearMax {
		t.Fatalf("far tier with size %d, %d buckets, nearMax %d", c.size, len(c.buckets), c.nearMax)
	}
	nf := len(c.far)
	if nf&(nf-1) != 0 || c.farMask != nf-1 || nf < calFarMin {
		t.Fatalf("%d far lists, mask %#x", nf, c.farMask)
	}
	if c.farShift != c.shift+uint(bits.Len(uint(len(c.buckets)))-1) {
		t.Fatalf("far shift %d, shift %d, %d buckets", c.farShift, c.shift, len(c.buckets))
	}
	count := 0
	for k := range c.far {
		l := &c.far[k]
		if (l.head == nil) != (l.tail == nil) || l.tailN < 0 || l.tailN > calChunkLen || (l.tail != nil && l.tail.next != nil) {
			t.Fatalf("far list %d: head %p, tail %p, tailN %d", k, l.head, l.tail, l.tailN)
		}
		for ch := l.head; ch != nil; ch = ch.next {
			m := calChunkLen
			if ch == l.tail {
				m = l.tailN
			}
			count += m
			for i, e := range ch.es {
				if i >= m {
					if e != zero {
						t.Fatalf("far list %d: free slot %d not cleared", k, i)
					}
					continue
				}
				w := int64(e.At) >> c.farShift
				if int(w)&c.farMask != k {
					t.Fatalf("entry at %d (far window %d) in list %d", e.At, w, k)
				}
				if w < c.fwin {
					t.Fatalf("entry at %d in far window %d, before fwin %d", e.At, w, c.fwin)
				}
			}
		}
	}
	for ch := c.free; ch != nil; ch = ch.next {
		for i, e := range ch.es {
			if e != zero {
				t.Fatalf("free chunk: slot %d not cleared", i)
			}
		}
	}
	if count != c.farN {
		t.Fatalf("far lists hold %d entries, farN = %d", count, c.farN)
	}
}

// calendarModel runs a calendar next to a sorted slice and checks both
// after every operation.
type calendarModel struct {
	t    *testing.T
	c    *Calendar[int]
	want []Entry[int]
	key  uint64
	ops  int
}

// push adds an entry with a priority in its Key's high bits, as a Set does.
func (m *calendarModel) push(at time.Duration, prio int, key uint64) {
	e := Entry[int]{At: at, Key: uint64(prio)<<40 | key, Value: int(key)}
	i, _ := slices.BinarySearchFunc(m.want, e, func(a, b Entry[int]) int {
		if a.Less(&b) {
			return -1
		}
		return 1
	})
	m.want = slices.Insert(m.want, i, e)
	m.c.Push(e)
	m.check()
}

func (m *calendarModel) pop() Entry[int] {
	m.t.Helper()
	if p := m.c.Peek(); p == nil || *p != m.want[0] {
		m.t.Fatalf("op %d: Peek = %v, want %+v", m.ops, p, m.want[0])
	}
	e := m.c.Pop()
	if e != m.want[0] {
		m.t.Fatalf("op %d: Pop = %+v, want %+v", m.ops, e, m.want[0])
	}
	m.want = m.want[1:]
	m.check()
	return e
}

func (m *calendarModel) filter(keep func(*Entry[int]) bool) {
	m.c.Filter(keep)
	m.want = slices.DeleteFunc(m.want, func(e Entry[int]) bool { return !keep(&e) })
	m.check()
}

func (m *calendarModel) check() {
	m.t.Helper()
	m.ops++
	if m.c.Len() != len(m.want) {
		m.t.Fatalf("op %d: Len = %d, want %d", m.ops, m.c.Len(), len(m.want))
	}
	if len(m.want) < 500 || m.ops%97 == 0 {
		checkCalendar(m.t, m.c)
	}
}

func (m *calendarModel) drain() {
	for len(m.want) > 0 {
		m.pop()
	}
	if m.c.Peek() != nil {
		m.t.Fatal("Peek on an empty calendar is not nil")
	}
}

func TestCalendarInvariants(t *testing.T) {
	exp := func(r *rand.Rand, mean time.Duration) time.Duration {
		return time.Duration(r.ExpFloat64() * float64(mean))
	}
	scenarios := []struct {
		name string
		run  func(m *calendarModel, r *rand.Rand)
	}{
		{"hold", func(m *calendarModel, r *rand.Rand) {
			for range 2000 {
				m.push(exp(r, time.Second), 0, m.next())
			}
			for range 20000 {
				e := m.pop()
				m.push(e.At+exp(r, time.Second), 0, m.next())
			}
			m.drain()
		}},
		{"ties", func(m *calendarModel, r *rand.Rand) {
			for range 20 {
				for range r.IntN(300) {
					m.push(time.Duration(r.IntN(4)), r.IntN(3), m.next())
				}
				for range r.IntN(300) {
					if len(m.want) > 0 {
						m.pop()
					}
				}
			}
			m.drain()
		}},
		{"same instant, keys up, down and shuffled", func(m *calendarModel, r *rand.Rand) {
			for _, order := range []string{"up", "down", "shuffled"} {
				keys := make([]uint64, 2000)
				for i := range keys {
					keys[i] = uint64(i)
				}
				switch order {
				case "down":
					slices.Reverse(keys)
				case "shuffled":
					r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
				}
				for i, k := range keys {
					m.push(7, 0, k)
					if i%3 == 0 {
						m.pop()
					}
				}
				m.drain()
			}
		}},
		{"edges of the range", func(m *calendarModel, r *rand.Rand) {
			edges := []time.Duration{math.MinInt64, math.MinInt64 + 1, -1 << 40, -1, 0, 1, 1 << 40, math.MaxInt64 - 1, math.MaxInt64}
			for round := range 50 {
				for range 40 {
					m.push(edges[r.IntN(len(edges))]+time.Duration(r.IntN(3))*sign(round), r.IntN(2), m.next())
				}
				for range 30 {
					m.pop()
				}
			}
			m.drain()
		}},
		{"any int64", func(m *calendarModel, r *rand.Rand) {
			for range 30 {
				for range r.IntN(200) {
					m.push(time.Duration(r.Uint64()), 0, m.next())
				}
				for range r.IntN(200) {
					if len(m.want) > 0 {
						m.pop()
					}
				}
			}
			m.drain()
		}},
		{"pushes before the last pop", func(m *calendarModel, r *rand.Rand) {
			now := time.Duration(0)
			for range 5000 {
				switch x := r.IntN(10); {
				case x < 4 || len(m.want) == 0:
					m.push(now+exp(r, time.Millisecond), 0, m.next())
				case x < 6:
					m.push(now-exp(r, time.Millisecond), 0, m.next()) // in the past
				default:
					now = m.pop().At
				}
			}
			m.drain()
		}},
		{"far jumps", func(m *calendarModel, r *rand.Rand) {
			// Clusters far apart: Pop must search for the next one.
			for c := range 50 {
				base := time.Duration(c) * time.Hour * time.Duration(1+r.IntN(1000))
				for range 1 + r.IntN(40) {
					m.push(base+exp(r, time.Microsecond), 0, m.next())
				}
			}
			m.drain()
		}},
		{"filter", func(m *calendarModel, r *rand.Rand) {
			for range 5000 {
				m.push(exp(r, time.Second), 0, m.next())
			}
			for mod := 2; mod < 40; mod++ {
				m.filter(func(e *Entry[int]) bool { return e.Key%uint64(mod) != 0 })
				for range 20 {
					m.pop()
				}
			}
			m.filter(func(*Entry[int]) bool { return false })
			for range 100 {
				m.push(exp(r, time.Second), 0, m.next())
			}
			m.drain()
		}},
	}
	for _, nearMax := range []int{calNearMax, calMinBuckets, 16} {
		for _, sc := range scenarios {
			t.Run(fmt.Sprintf("%s/nearMax=%d", sc.name, nearMax), func(t *testing.T) {
				c := NewCalendar[int]()
				c.nearMax = nearMax
				m := &calendarModel{t: t, c: c}
				sc.run(m, rand.New(rand.NewPCG(1, 2)))
				checkCalendar(t, m.c)
			})
		}
	}
}

func (m *calendarModel) next() uint64 {
	m.key++
	return m.key
}

func sign(i int) time.Duration {
	if i%2 == 0 {
		return 1
	}
	return -1
}

// TestCalendarTune checks that the width follows the times when the number
// of entries stays the same and no resize happens: here the increments of a
// hold loop grow a thousandfold.
func TestCalendarTune(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	c := NewCalendar[int]()
	const n = 4000
	var key uint64
	hold := func(mean float64, ops int) {
		for range ops {
			e := c.Pop()
			key++
			e.At += time.Duration(r.ExpFloat64() * mean)
			e.Key = key
			c.Push(e)
		}
	}
	for range n {
		key++
		c.Push(Entry[int]{At: time.Duration(r.ExpFloat64() * 1e9), Key: key})
	}
	hold(1e9, 10*n)
	before, buckets := c.shift, len(c.buckets)
	hold(1e12, 10*n)
	checkCalendar(t, c)
	if len(c.buckets) != buckets {
		t.Fatalf("bucket count changed from %d to %d", buckets, len(c.buckets))
	}
	// log2(1000) ≈ 10: the width should grow about a thousandfold.
	if c.shift < before+7 {
		t.Fatalf("shift went from %d to %d, want about %d", before, c.shift, before+10)
	}
}

// TestCalendarWidthNeverZero checks that entries all due at one instant
// leave the width at one nanosecond or more, and that a resize over them
// keeps working.
func TestCalendarWidthNeverZero(t *testing.T) {
	c := NewCalendar[int]()
	for i := range 10000 {
		c.Push(Entry[int]{At: 5, Key: uint64(i)})
	}
	checkCalendar(t, c)
	for i := range 10000 {
		if e := c.Pop(); e.Key != uint64(i) {
			t.Fatalf("Pop %d: key %d", i, e.Key)
		}
	}
	checkCalendar(t, c)
	if len(c.buckets) != calMinBuckets {
		t.Fatalf("%d buckets after draining, want %d", len(c.buckets), calMinBuckets)
	}
}

func TestCalendarEstimate(t *testing.T) {
	ties := make([]time.Duration, 31)
	ties[30] = 4096
	tests := []struct {
		name string
		ats  []time.Duration
		want uint
	}{
		// Separations of 1000: three times that is 3000, 2048 rounded down.
		{"even", []time.Duration{0, 1000, 2000, 3000, 4000, 5000}, 11},
		// The large separation is left out of the second average.
		{"outlier", []time.Duration{0, 1000, 2000, 3000, 1e9}, 11},
		// The sample is all ties: the average separation of all 31 entries,
		// 4096/31 = 132, times three is 396, 256 rounded down.
		{"ties", ties, 8},
		// The widest spread there is.
		{"whole range", []time.Duration{math.MinInt64, math.MaxInt64}, calMaxShift},
		// One entry: the width stays.
		{"one", []time.Duration{1e9}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCalendar[int]()
			for i, at := range tt.ats {
				c.put(Entry[int]{At: at, Key: uint64(i)})
			}
			if got := c.estimate(); got != tt.want {
				t.Errorf("estimate() = %d, want %d", got, tt.want)
			}
			checkCalendar(t, c)
		})
	}
}

// TestCalendarFarTier checks that a calendar of the default size grows a
// far tier with more than calFarFrom*calNearMax entries, keeps the order
// through a hold loop over it, and goes back to a flat calendar when it
// shrinks.
func TestCalendarFarTier(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	c := NewCalendar[int]()
	const n = 2 * calFarFrom * calNearMax
	var key uint64
	push := func(at time.Duration) {
		key++
		c.Push(Entry[int]{At: at, Key: key, Value: int(key)})
	}
	for range n {
		push(time.Duration(r.ExpFloat64() * 1e9))
	}
	if c.far == nil || len(c.buckets) != calNearMax {
		t.Fatalf("%d entries: far tier %v, %d buckets", n, c.far != nil, len(c.buckets))
	}
	checkCalendar(t, c)
	last := Entry[int]{At: math.MinInt64}
	for range 4 * n {
		e := c.Pop()
		if e.Less(&last) {
			t.Fatalf("Pop = %+v after %+v", e, last)
		}
		last = e
		push(e.At + time.Duration(r.ExpFloat64()*1e9))
	}
	checkCalendar(t, c)
	for c.Len() > 0 {
		e := c.Pop()
		if e.Less(&last) {
			t.Fatalf("Pop = %+v after %+v", e, last)
		}
		last = e
	}
	checkCalendar(t, c)
	if c.far != nil || len(c.buckets) != calMinBuckets {
		t.Fatalf("empty: far tier %v, %d buckets", c.far != nil, len(c.buckets))
	}
}

// TestCalendarFarTierAfterTies checks that a far tier built while every
// entry was due at one instant (width one nanosecond, a few far windows of
// 8192 ns) does not stay so when the entries spread out: the lists' wasted
// work leads to a rebuild with a width from the spread, so that the hold
// after it runs in linear time.
func TestCalendarFarTierAfterTies(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	c := NewCalendar[int]()
	const n = 2 * calFarFrom * calNearMax
	var key uint64
	push := func(at time.Duration) {
		key++
		c.Push(Entry[int]{At: at, Key: key, Value: int(key)})
	}
	for range n {
		push(0)
	}
	if c.far == nil || c.shift != 0 {
		t.Fatalf("%d entries at one instant: far tier %v, shift %d", n, c.far != nil, c.shift)
	}
	last := Entry[int]{At: math.MinInt64}
	for range 4 * n {
		e := c.Pop()
		if e.Less(&last) {
			t.Fatalf("Pop = %+v after %+v", e, last)
		}
		last = e
		push(e.At + time.Duration(r.ExpFloat64()*1e9))
	}
	checkCalendar(t, c)
	// One round of the lists now covers most pending times.
	if span := time.Duration(len(c.far)) << c.farShift; span < time.Second {
		t.Fatalf("one round of the far lists covers %v", span)
	}
}
