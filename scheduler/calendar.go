package scheduler

import (
	"math"
	"math/bits"
	"time"
)

const (
	// calMinBuckets is the smallest bucket count; a power of two.
	calMinBuckets = 4
	// calMaxBuckets is the largest bucket count; a power of two.
	calMaxBuckets = 1 << 30
	// calFew is the number of entries a bucket stores inline.
	calFew = 4
	// calBufCap is the smallest capacity of a bucket's buffer.
	calBufCap = 4 * calFew
	// calBigBuf is the largest buffer capacity kept for reuse.
	calBigBuf = 256
	// calMaxSample is the most entries sampled to estimate the bucket width.
	calMaxSample = 25
	// calMaxShift bounds the bucket width at 1<<calMaxShift nanoseconds.
	calMaxShift = 62
	// calStage is the number of pushes beyond the current window that are
	// staged before they are inserted together.
	calStage = 32
	// calTuneCost is the work per Pop (buckets stepped over, entries
	// shifted) above which the bucket width is estimated again.
	calTuneCost = 8
	// calNearMax is the bucket count of a calendar with a far tier: a power
	// of two, 8192 buckets of 128 bytes (three-word entries) stay in a
	// core's L2 cache.
	calNearMax = 1 << 13
	// calFarFrom is how many times calNearMax buckets the resize rule must
	// ask for before the calendar grows a far tier instead: up to a few
	// MiB, a bucket array of its own is as fast.
	calFarFrom = 4
	// calFarMin and calFarDiv bound the number of far lists: at least
	// calFarMin, and at most one per calFarDiv buckets the calendar would
	// have without a far tier; powers of two.
	calFarMin = 4
	calFarDiv = 64
	// calChunkLen is the number of entries in a chunk of a far list.
	calChunkLen = 128
)

// Calendar is a calendar queue after R. Brown ("Calendar queues: a fast O(1)
// priority queue implementation for the simulation event set problem",
// CACM 31(10), 1988). The zero value is an empty calendar ready to use;
// [NewCalendar] returns the same thing.
//
// # Structure
//
// Time is cut into windows of one bucket width (a power of two of
// nanoseconds, at least 1). Window number At>>shift maps to bucket
// (At>>shift) mod the bucket count (a power of two); one pass over all the
// buckets is a "year". Each bucket keeps its entries sorted by
// [Entry.Less]: up to four inline, in the bucket itself, so that visiting a
// bucket touches one small region of memory, and more in a buffer with free
// room at both ends, where an entry is inserted by binary search and by
// shifting the shorter side. A run of entries due at the same instant that
// arrive in key order or in reverse key order (the FIFO and LIFO tie-breaks)
// is therefore inserted and removed at an end, in O(1).
//
// The calendar remembers its current window and bucket. No entry is ever in
// an earlier window: a Push into an earlier window moves the current window
// back to it. Pop looks at the head of the current bucket; if that head is
// due within the current window it is the least entry, otherwise Pop steps to
// the next bucket and window. When a whole year of buckets holds no entry due
// in its window, Pop finds the least head of all buckets directly and jumps
// to its window.
//
// A Push due after the current window cannot be the least entry until the
// current window reaches it, so it is staged: up to 32 such entries wait in a
// small array, and are inserted together when the array is full or the
// current window reaches the earliest of them. Their buckets are loaded
// first, in a loop that does nothing else, so that the cache misses overlap.
//
// # The far tier
//
// With a million three-word entries the buckets take 128 MiB, and each
// Push touches a random one: a cache miss and a TLB miss, which the staging
// only partly overlaps. So when the resize rule below asks for more than
// 32768 buckets, the calendar keeps 8192 (1 MiB, which stays in a core's L2
// cache) and only the entries due within one year of them; the later ones
// wait in a far tier. A far window is one year long; far window number
// At>>farShift maps to list (At>>farShift) mod the list count, a power of
// two with enough lists to cover the times pending at the last resize (but
// at most one per 64 buckets the resize rule asks for). A list holds its
// entries unsorted, in the order they came, in chunks of 128 entries, so
// that a Push due in the far tier writes to the end of one of a few hundred
// lists: sequential writes, in cache. Every entry due before the first far
// window not yet taken is in the buckets (or the stage), every later one in
// the far tier (or the stage). When the buckets are empty, Pop moves that
// window's entries to the buckets, which they fit exactly (one year), and
// goes on to the next window; entries of its list due one round of the
// lists later stay. When a whole round of lists holds nothing due, Pop
// finds the least far entry's window directly. Each entry is thus written
// twice, to a list and later to a bucket, instead of once to a random
// bucket of a large array. Entries a list keeps for a later round, and
// lists stepped over, are wasted work: once there has been more of it than
// the resize rule's bucket count, the calendar is rebuilt with a width from
// the spread of all entries, so that one round of the lists covers them.
//
// The bucket count doubles when there are more entries than buckets and
// halves when there are fewer than one per four buckets. (Brown doubles at
// two entries per bucket and halves at one per two: with vtsim's hold
// benchmark, at most one per bucket is about 10% faster with a thousand
// entries and 20% faster with a million, for twice the bucket memory.) Each
// resize estimates the width again by Brown's method: the average separation
// of the next few entries (up to 25, with separations above twice the
// average left out), times three, rounded down to a power of two. When those separations
// are all zero (many entries at one instant) the average separation of all
// entries is used instead, and the width never falls below one nanosecond.
// The width is also estimated again when Pops have been doing too much work
// for a while (the distribution of times drifted since the last resize).
// With a far tier, "the bucket count" is the count the rule asks for, not
// the 8192 buckets there are; a resize rebuilds the far tier too, with the
// new width.
//
// Bucket numbers are computed with shifts and masks and window bounds with
// bitwise or, so any At from math.MinInt64 to math.MaxInt64 is handled
// without overflow.
//
// # Complexity
//
// Push, Pop and Peek take O(1) expected time when the distribution of
// pending times changes slowly (for example the "hold" workload, where each
// popped entry is pushed again a random increment later), independent of the
// number of entries. A Pop that finds no entry in a whole year costs
// O(buckets), one that empties the buckets moves the next far window's
// entries (O(that window), once per entry), and a Push into a bucket that holds many entries due at the
// same instant, in no particular key order (the Random tie-break), costs
// O(size of that bucket). A resize costs O(n) and happens after Θ(n)
// operations. Filter is O(n + buckets + lists).
//
// The bucket array holds four to sixteen inline slots per entry; crowded
// buckets add buffers. With a far tier, the buckets take 1 MiB, and the far
// lists about one slot per entry plus up to a chunk per list. Once the
// calendar has grown, Push and Pop do not allocate: buffers and chunks that
// are no longer needed are kept for reuse. A slot is cleared when its entry
// leaves, so the calendar holds no references to values it no longer
// stores.
type Calendar[T any] struct {
	buckets []calBucket[T]
	size    int           // the bucket count the resize rule asks for; len(buckets) unless far is set
	mask    int           // len(buckets) - 1
	shift   uint          // the bucket width is 1 << shift
	width   time.Duration // 1 << shift
	cur     int           // index of the current bucket
	top     time.Duration // last instant of the current window
	n       int           // entries in the buckets
	spare   [][]Entry[T]  // zeroed buffers kept for reuse

	stage    [calStage]Entry[T] // pushes not inserted yet, all due after top
	staged   int                // entries in stage
	stageMin time.Duration      // least At in stage
	touched  int32              // sink for the loads that warm the buckets in flush

	growAt   int // resize up when n exceeds this
	shrinkAt int // resize down when n falls below this
	period   int // Pops between two looks at the work counter
	ops      int // Pops since the last look
	work     int // buckets stepped over and entries shifted since the last look

	// The far tier, set when size exceeds calFarFrom*nearMax: far window
	// number At>>farShift, one year of the buckets long, maps to list
	// (At>>farShift) mod len(far). Every entry of a far window before fwin
	// is in the buckets or the stage, every entry of fwin or later in a
	// list, unsorted, or the stage. When the buckets are empty, the lists'
	// entries of window fwin move to them (refill) and fwin moves on.
	far      []calList[T]
	farShift uint         // a far window is 1 << farShift nanoseconds: len(buckets) << shift
	farMask  int          // len(far) - 1
	fwin     int64        // the first far window not drained
	farN     int          // entries in far
	waste    int          // far entries looked at and kept, and lists stepped over, since the last rebuild
	free     *calChunk[T] // zeroed chunks kept for reuse, linked by next
	nearMax  int          // calNearMax; smaller in tests
}

// calList is the entries of one far list, in the order they came, in a
// chain of chunks from head to tail: all full but the tail, which holds
// tailN. The zero value is an empty list.
type calList[T any] struct {
	head, tail *calChunk[T]
	tailN      int
}

// calChunk is one link of a far list. Every slot that holds no entry is
// zero.
type calChunk[T any] struct {
	next *calChunk[T]
	es   [calChunkLen]Entry[T]
}

// calBucket holds the entries of one bucket, sorted by Entry.Less: in
// few[:n] while more is nil, else in more[lo:lo+n]. Every slot that holds no
// entry is zero.
type calBucket[T any] struct {
	n    int32
	lo   int32
	few  [calFew]Entry[T]
	more []Entry[T]
}

// NewCalendar returns an empty calendar queue.
func NewCalendar[T any]() *Calendar[T] {
	c := &Calendar[T]{}
	c.init()
	return c
}

// init makes c an empty calendar with the fewest buckets and a width of
// one nanosecond.
func (c *Calendar[T]) init() {
	c.buckets = make([]calBucket[T], calMinBuckets)
	c.size = calMinBuckets
	c.mask = calMinBuckets - 1
	c.nearMax = calNearMax
	c.shift, c.width = 0, 1
	c.stageMin = math.MaxInt64
	c.setLimits()
}

// Len returns the number of entries.
func (c *Calendar[T]) Len() int { return c.n + c.staged + c.farN }

// Push adds e. O(1) expected.
func (c *Calendar[T]) Push(e Entry[T]) {
	if c.buckets == nil {
		c.init()
	}
	switch {
	case c.n == 0:
		// The staged entries, if any, are inserted first: they must not
		// be left due before a current window moved to e's.
		c.flush()
		c.place(e)
	case e.At <= c.top:
		// With a far tier, the current window is before fwin's (it holds
		// the least entry of the buckets, and those are all before fwin),
		// so e belongs in the buckets.
		c.put(e)
	default:
		// e cannot be the least entry before the current window moves past
		// it: stage it, and insert the staged entries together (into the
		// buckets or the far tier).
		c.stage[c.staged] = e
		c.staged++
		c.stageMin = min(c.stageMin, e.At)
		if c.staged == calStage {
			c.flush()
		}
	}
	if c.n+c.staged+c.farN > c.growAt {
		c.resize(2 * c.size)
	}
}

// Pop removes and returns the least entry. O(1) expected. It panics if the
// calendar is empty.
func (c *Calendar[T]) Pop() Entry[T] {
	if c.n+c.staged+c.farN == 0 {
		panic("scheduler: Pop on empty Calendar")
	}
	e := c.take()
	if c.n+c.staged+c.farN < c.shrinkAt {
		c.resize(c.size / 2)
	} else if c.ops++; c.ops >= c.period {
		c.tune()
	}
	return e
}

// PopUntil removes and returns the least entry if it is due at or before
// limit, looking for the front of the calendar once. O(1) expected.
func (c *Calendar[T]) PopUntil(limit time.Duration) (e Entry[T], ok bool) {
	if c.n+c.staged+c.farN == 0 {
		return e, false
	}
	b := c.front()
	if b.head().At > limit {
		return e, false
	}
	e = c.takeFrom(b)
	if c.n+c.staged+c.farN < c.shrinkAt {
		c.resize(c.size / 2)
	} else if c.ops++; c.ops >= c.period {
		c.tune()
	}
	return e, true
}

// Peek returns the least entry without removing it, or nil if the calendar
// is empty. The pointer points into the calendar's storage and is valid
// until the next Push, Pop or Filter. O(1) expected.
func (c *Calendar[T]) Peek() *Entry[T] {
	if c.n+c.staged+c.farN == 0 {
		return nil
	}
	return c.front().head()
}

// Filter keeps only the entries for which keep returns true, in their order.
// keep must not call methods of c. O(n + buckets).
func (c *Calendar[T]) Filter(keep func(*Entry[T]) bool) {
	c.flush()
	for i := range c.buckets {
		b := &c.buckets[i]
		es := b.entries()
		w := 0
		for r := range es {
			if keep(&es[r]) {
				if w != r {
					es[w] = es[r]
				}
				w++
			}
		}
		clear(es[w:])
		c.n -= len(es) - w
		b.n = int32(w)
		if b.more != nil && w <= calFew/2 {
			c.unspill(b)
		}
	}
	for k := range c.far {
		c.detach(k, func(e *Entry[T]) {
			if keep(e) {
				c.toFar(*e)
			}
		})
	}
	if n := c.n + c.farN; n < c.shrinkAt {
		nb := c.size
		for nb > calMinBuckets && n < nb/2 {
			nb /= 2
		}
		c.resize(nb)
	}
}

// place stores e in the far tier if it is due in window fwin or later, in
// the buckets otherwise, without resizing.
func (c *Calendar[T]) place(e Entry[T]) {
	if c.far != nil && int64(e.At)>>c.farShift >= c.fwin {
		c.toFar(e)
	} else {
		c.put(e)
	}
}

// toFar appends e, due in far window fwin or later, to its list.
func (c *Calendar[T]) toFar(e Entry[T]) {
	l := &c.far[int(int64(e.At)>>c.farShift)&c.farMask]
	if l.tailN == calChunkLen || l.tail == nil {
		ch := c.free
		if ch != nil {
			c.free = ch.next
			ch.next = nil
		} else {
			ch = new(calChunk[T])
		}
		if l.tail == nil {
			l.head = ch
		} else {
			l.tail.next = ch
		}
		l.tail, l.tailN = ch, 0
	}
	l.tail.es[l.tailN] = e
	l.tailN++
	c.farN++
}

// detach empties far list k and calls f on each of its entries, in order;
// f may append to the list again with toFar. The chunks are zeroed and
// kept for reuse as soon as f has seen their entries.
func (c *Calendar[T]) detach(k int, f func(*Entry[T])) {
	l := c.far[k]
	c.far[k] = calList[T]{}
	for ch := l.head; ch != nil; {
		es := ch.es[:]
		if ch == l.tail {
			es = es[:l.tailN]
		}
		c.farN -= len(es)
		for i := range es {
			f(&es[i])
		}
		clear(es)
		next := ch.next
		ch.next = c.free
		c.free = ch
		ch = next
	}
}

// refill moves the entries of the next far window that holds any to the
// buckets, which are empty. The far tier must hold an entry.
func (c *Calendar[T]) refill() {
	for steps := 0; c.n == 0; steps++ {
		if steps > c.farMask {
			// A whole round of lists held nothing due in its window: jump
			// to the window of the least far entry.
			c.fwin = math.MaxInt64
			c.eachFar(func(e *Entry[T]) { c.fwin = min(c.fwin, int64(e.At)>>c.farShift) })
			c.work += c.farN
			c.waste += c.farN
			steps = 0
		}
		// detach written out: with its callback per entry the hold at 1e6
		// took 94-103 ns an event against 90-96 (paired, 3 rounds).
		k := int(c.fwin) & c.farMask
		l := c.far[k]
		c.far[k] = calList[T]{}
		for ch := l.head; ch != nil; {
			es := ch.es[:]
			if ch == l.tail {
				es = es[:l.tailN]
			}
			c.farN -= len(es)
			for i := range es {
				if int64(es[i].At)>>c.farShift == c.fwin {
					c.put(es[i])
				} else {
					// Due in a later round of the lists: it stays.
					c.toFar(es[i])
					c.work++
					c.waste++
				}
			}
			clear(es)
			next := ch.next
			ch.next = c.free
			c.free = ch
			ch = next
		}
		// fwin+1 does not overflow: farShift is at least 2, so fwin is
		// at most MaxInt64>>2.
		c.fwin++
		c.work++
		c.waste++
	}
	if c.waste > c.size {
		// The far windows are too short for the pending times (for
		// example, the width was estimated while all entries were due at
		// one instant, and the later ones spread out): rebuild with a
		// width from the spread of all entries, which fits them in one
		// round of the lists. This costs O(n) after more than n wasted
		// steps.
		c.rebuild(c.size, c.spreadShift())
	}
}

// spreadShift returns the shift of three times the average separation of
// all entries, or more if the far windows of that width would not cover
// them all in one round of at most size/calFarDiv lists. There must be an
// entry.
func (c *Calendar[T]) spreadShift() uint {
	lo, hi := c.bounds()
	span := uint64(hi) - uint64(lo)
	n := uint64(c.n + c.farN)
	w := span / n * 3
	if span/n > math.MaxUint64/3 {
		w = math.MaxUint64
	}
	s := uint(max(bits.Len64(w)-1, 0))
	nearBits := uint(bits.Len(uint(c.nearMax)) - 1)
	lists := uint64(max(calFarMin, c.size/calFarDiv))
	if fit := uint(bits.Len64(span / lists)); fit > s+nearBits {
		s = fit - nearBits
	}
	return min(s, calMaxShift)
}

// eachFar calls f on every entry of the far tier.
func (c *Calendar[T]) eachFar(f func(*Entry[T])) {
	for k := range c.far {
		l := &c.far[k]
		for ch := l.head; ch != nil; ch = ch.next {
			es := ch.es[:]
			if ch == l.tail {
				es = es[:l.tailN]
			}
			for i := range es {
				f(&es[i])
			}
		}
	}
}

// put stores e without resizing.
func (c *Calendar[T]) put(e Entry[T]) {
	v := int64(e.At) >> c.shift
	i := int(v) & c.mask
	if c.n == 0 || v < int64(c.top)>>c.shift {
		// e is due before the current window (or the calendar was empty):
		// its window becomes the current one.
		c.cur = i
		c.top = e.At | (c.width - 1)
	}
	c.work += c.insert(&c.buckets[i], e)
	c.n++
}

// flush inserts the staged entries. It first loads a field of each target
// bucket, in a loop that does nothing else, so that the cache misses overlap
// instead of coming one after the other.
func (c *Calendar[T]) flush() {
	if c.staged == 0 {
		return
	}
	if c.far == nil {
		// (With a far tier, the buckets are few enough to stay in cache.)
		var t int32
		for i := range c.staged {
			b := &c.buckets[int(int64(c.stage[i].At)>>c.shift)&c.mask]
			// The bucket's first and last words: both of its cache lines
			// when Entry is three words (a bucket is then 128 bytes, and a
			// large bucket array starts on a page). Two loads a bucket, no
			// more and no branch: on a 2-vCPU Xeon, also loading the
			// middle of the bucket and the buffer's last entry made the
			// hold at 1e6 cost 363 ns an event instead of 137.
			t += b.n + int32(cap(b.more))
		}
		c.touched = t
		for i := range c.staged {
			c.put(c.stage[i])
		}
	} else {
		for i := range c.staged {
			c.place(c.stage[i])
		}
	}
	clear(c.stage[:c.staged])
	c.staged = 0
	c.stageMin = math.MaxInt64
}

// take removes and returns the least entry without resizing. The calendar
// must not be empty.
func (c *Calendar[T]) take() Entry[T] { return c.takeFrom(c.front()) }

// takeFrom removes and returns the head of b, the front bucket.
func (c *Calendar[T]) takeFrom(b *calBucket[T]) Entry[T] {
	var e Entry[T]
	if b.more == nil {
		n := b.n - 1
		e = b.few[0]
		copy(b.few[:n], b.few[1:n+1])
		b.few[n] = Entry[T]{}
		b.n = n
	} else {
		e = b.more[b.lo]
		b.more[b.lo] = Entry[T]{}
		b.lo++
		b.n--
		if b.n <= calFew/2 {
			c.unspill(b)
		}
	}
	c.n--
	return e
}

// front moves the current window to the one holding the least entry and
// returns that entry's bucket. The calendar must not be empty.
func (c *Calendar[T]) front() *calBucket[T] {
	if c.n == 0 {
		c.flush()
		if c.n == 0 {
			c.refill()
		}
	}
	for range c.buckets {
		b := &c.buckets[c.cur]
		if b.n > 0 && b.head().At <= c.top {
			return b
		}
		if c.top == math.MaxInt64 {
			// The last window has no next one. Every entry would be in
			// this bucket, so this is not reached; it keeps top from
			// overflowing all the same.
			break
		}
		c.cur = (c.cur + 1) & c.mask
		c.top += c.width
		c.work++
		if c.stageMin <= c.top {
			c.flush()
		}
	}
	return c.search()
}

// search finds the least entry by looking at the head of every bucket,
// makes its window the current one and returns its bucket.
func (c *Calendar[T]) search() *calBucket[T] {
	c.flush()
	var m *calBucket[T]
	mi := 0
	for i := range c.buckets {
		b := &c.buckets[i]
		if b.n > 0 && (m == nil || b.head().Less(m.head())) {
			m, mi = b, i
		}
	}
	c.work += len(c.buckets)
	c.cur = mi
	c.top = m.head().At | (c.width - 1)
	return m
}

// tune estimates the width again if the Pops since the last look did too
// much work, and rebuilds the calendar if the estimate differs.
func (c *Calendar[T]) tune() {
	if c.work > calTuneCost*c.ops {
		if s := c.estimate(); s != c.shift {
			c.rebuild(c.size, s)
			return
		}
	}
	c.ops, c.work = 0, 0
}

// resize rebuilds the calendar for nb buckets (clamped to the allowed
// range) and a width estimated again.
func (c *Calendar[T]) resize(nb int) {
	c.rebuild(min(max(nb, calMinBuckets), calMaxBuckets), c.estimate())
}

// estimate returns the shift of the bucket width suited to the entries
// nearest the front, by Brown's method: three times the average separation
// of a sample of the next entries, leaving out separations larger than twice
// the average. If that is zero it uses the average separation of all
// entries; if that is zero too the width does not matter and the current
// shift is returned.
func (c *Calendar[T]) estimate() uint {
	c.flush()
	n := c.n + c.farN
	k := n
	if k > 5 {
		k = min(5+n/10, calMaxSample)
	}
	if k < 2 {
		return c.shift
	}
	// Take the k least entries and put them back; take moves the current
	// window forward, and putting back the least entry moves it back.
	var sample [calMaxSample]Entry[T]
	for i := range k {
		sample[i] = c.take()
	}
	var at [calMaxSample]time.Duration
	for i := range k {
		at[i] = sample[i].At
		c.put(sample[i])
	}
	clear(sample[:k])

	// Separations are taken as uint64: the times are sorted, so each
	// difference and their sum (at[k-1] - at[0]) fit.
	var sum uint64
	for i := 1; i < k; i++ {
		sum += uint64(at[i]) - uint64(at[i-1])
	}
	avg := sum / uint64(k-1)
	var sum2, cnt uint64
	for i := 1; i < k; i++ {
		if d := uint64(at[i]) - uint64(at[i-1]); d <= avg || d-avg <= avg {
			sum2 += d
			cnt++
		}
	}
	sep := sum2 / cnt // cnt > 0: some separation is at most the average
	if sep == 0 {
		lo, hi := c.bounds()
		sep = (uint64(hi) - uint64(lo)) / uint64(n)
		if sep == 0 {
			return c.shift
		}
	}
	w := sep * 3
	if sep > math.MaxUint64/3 {
		w = math.MaxUint64
	}
	return min(uint(bits.Len64(w)-1), calMaxShift) // 1<<s <= w < 2<<s
}

// bounds returns the least and the greatest At of the entries. c.n must be
// positive.
func (c *Calendar[T]) bounds() (lo, hi time.Duration) {
	lo, hi = math.MaxInt64, math.MinInt64
	for i := range c.buckets {
		for _, e := range c.buckets[i].entries() {
			lo = min(lo, e.At)
			hi = max(hi, e.At)
		}
	}
	c.eachFar(func(e *Entry[T]) {
		lo = min(lo, e.At)
		hi = max(hi, e.At)
	})
	return lo, hi
}

// rebuild redistributes the entries over nb buckets of width 1<<shift, or,
// when nb is more than calFarFrom*nearMax, over nearMax buckets and a far
// tier.
func (c *Calendar[T]) rebuild(nb int, shift uint) {
	c.flush()
	all := make([]Entry[T], 0, c.n+c.farN)
	for k := range c.far {
		c.detach(k, func(e *Entry[T]) { all = append(all, *e) })
	}
	for i := range c.buckets {
		b := &c.buckets[i]
		es := b.entries()
		all = append(all, es...)
		clear(es)
		b.n = 0
		if b.more != nil {
			c.release(b.more)
			b.more, b.lo = nil, 0
		}
	}
	c.size = nb
	near := nb
	nearBits := uint(bits.Len(uint(c.nearMax)) - 1)
	if nb > calFarFrom*c.nearMax && shift+nearBits <= calMaxShift {
		near = c.nearMax
		c.buildFar(all, shift+nearBits)
	} else {
		c.far, c.free = nil, nil
	}
	if near != len(c.buckets) {
		c.buckets = make([]calBucket[T], near)
		c.mask = near - 1
	}
	// Keep no more spare buffers than a small share of the buckets.
	if m := near / 8; len(c.spare) > m {
		clear(c.spare[m:])
		c.spare = c.spare[:m]
	}
	c.shift, c.width = shift, time.Duration(1)<<shift
	c.n = 0
	for i := range all {
		c.place(all[i])
	}
	c.setLimits()
}

// buildFar sets up an empty far tier of windows of 1<<farShift for the
// entries all, enough windows to cover them (within the bounds), with fwin
// the window after the least entry's.
func (c *Calendar[T]) buildFar(all []Entry[T], farShift uint) {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range all {
		lo = min(lo, int64(all[i].At))
		hi = max(hi, int64(all[i].At))
	}
	span := uint64(hi>>farShift) - uint64(lo>>farShift) + 1
	nf := max(calFarMin, c.size/calFarDiv)
	if span < uint64(nf) {
		nf = 1 << bits.Len64(span-1) // the least power of two >= span
	}
	nf = max(nf, calFarMin)
	if len(c.far) != nf {
		c.far = make([]calList[T], nf)
	}
	c.farShift, c.farMask = farShift, nf-1
	c.fwin = lo>>farShift + 1
}

// setLimits sets the resize thresholds for the current bucket count and
// restarts the work counters.
func (c *Calendar[T]) setLimits() {
	nb := c.size
	c.growAt = nb
	if nb >= calMaxBuckets {
		c.growAt = math.MaxInt
	}
	c.shrinkAt = 0
	if nb > calMinBuckets {
		c.shrinkAt = nb / 4
	}
	c.period = 2*nb + 64
	c.ops, c.work, c.waste = 0, 0, 0
}

// head returns the bucket's least entry. The bucket must not be empty.
func (b *calBucket[T]) head() *Entry[T] {
	if b.more == nil {
		return &b.few[0]
	}
	return &b.more[b.lo]
}

// entries returns the bucket's entries, in order, in its own storage.
func (b *calBucket[T]) entries() []Entry[T] {
	if b.more == nil {
		return b.few[:b.n]
	}
	return b.more[b.lo : b.lo+b.n]
}

// insert adds e to b in order and returns the number of entries it shifted.
func (c *Calendar[T]) insert(b *calBucket[T], e Entry[T]) int {
	if b.more == nil {
		n := int(b.n)
		if n < calFew {
			j := n
			for j > 0 && e.Less(&b.few[j-1]) {
				b.few[j] = b.few[j-1]
				j--
			}
			b.few[j] = e
			b.n++
			return n - j
		}
		c.spill(b)
	}
	lo := int(b.lo)
	hi := lo + int(b.n)
	j := hi
	if lo < hi && e.Less(&b.more[hi-1]) {
		// Find the first entry greater than e in more[lo:hi-1].
		l, r := lo, hi-1
		for l < r {
			m := int(uint(l+r) >> 1)
			if e.Less(&b.more[m]) {
				r = m
			} else {
				l = m + 1
			}
		}
		j = l
	}
	b.n++
	if j-lo < hi-j {
		// Nearer the head: shift more[lo:j] one slot down.
		if lo == 0 {
			d := c.spread(b)
			lo, j = lo+d, j+d
		}
		copy(b.more[lo-1:j-1], b.more[lo:j])
		b.more[j-1] = e
		b.lo = int32(lo - 1)
		return j - lo
	}
	// Nearer the tail: shift more[j:hi] one slot up.
	if hi == len(b.more) {
		d := c.spread(b)
		hi, j = hi+d, j+d
	}
	copy(b.more[j+1:hi+1], b.more[j:hi])
	b.more[j] = e
	return hi - j
}

// spill moves the inline entries of b, which are all taken, to a buffer.
func (c *Calendar[T]) spill(b *calBucket[T]) {
	buf := c.buffer(calBufCap)
	lo := (len(buf) - calFew) / 2
	copy(buf[lo:], b.few[:])
	clear(b.few[:])
	b.more, b.lo = buf, int32(lo)
}

// unspill moves the entries of b back inline and keeps its buffer for reuse.
// b must hold at most calFew entries.
func (c *Calendar[T]) unspill(b *calBucket[T]) {
	es := b.more[b.lo : b.lo+b.n]
	copy(b.few[:], es)
	clear(es)
	c.release(b.more)
	b.more, b.lo = nil, 0
}

// spread moves the entries of b to the middle of its buffer, first taking a
// larger buffer if less than half of it would be free, so that both ends
// have room. It returns how far the entries moved. b.n counts the entry
// about to be inserted, which is not in the buffer yet.
func (c *Calendar[T]) spread(b *calBucket[T]) int {
	lo, n := int(b.lo), int(b.n)-1
	hi := lo + n
	old := b.more
	buf := old
	if len(buf) < 2*n+2 {
		buf = c.buffer(2*n + 2)
	}
	nlo := (len(buf) - n) / 2
	copy(buf[nlo:nlo+n], old[lo:hi])
	switch {
	case &buf[0] != &old[0]:
		clear(old[lo:hi])
		c.release(old)
	case nlo > lo:
		clear(buf[lo:min(nlo, hi)])
	default:
		clear(buf[max(nlo+n, lo):hi])
	}
	b.more, b.lo = buf, int32(nlo)
	return nlo - lo
}

// buffer returns a zeroed buffer of at least size entries, reusing a spare
// one if it is large enough.
func (c *Calendar[T]) buffer(size int) []Entry[T] {
	if k := len(c.spare) - 1; k >= 0 && len(c.spare[k]) >= size {
		buf := c.spare[k]
		c.spare[k] = nil
		c.spare = c.spare[:k]
		return buf
	}
	return make([]Entry[T], max(size, calBufCap))
}

// release keeps buf, which must be zeroed, for reuse unless it is large.
func (c *Calendar[T]) release(buf []Entry[T]) {
	if len(buf) <= calBigBuf {
		c.spare = append(c.spare, buf)
	}
}
