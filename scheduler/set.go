package scheduler

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"time"
)

// How the Set is fast, in one place (each trick's measurement and history
// is in docs/design.md, "The tricks"):
//
//   - Packed keys: priority, tie-break rank and cancellation slot share the
//     64-bit Key, so an entry is three words (24 bytes, not 32); a heap
//     level copies entries, and the same heap ran 60 ns an event at 24
//     bytes against 73 ns at 32 (1e3 hold).
//   - The held root: next leaves a popped heap root in place and the next
//     Push replaces it in one pass (Heap.Replace): hold at 1e3 73 -> 64 ns.
//   - The ready ring: under FIFO, priority-0 entries due at the instant of
//     the last pop (wake-ups, yields, CallSoon) go to a ring, O(1) a push
//     and pop, in exactly the heap's order.
//   - The slot bitmap: two bits a slot say live or cancelled, so Pop's check
//     stays in cache with a million pending entries; Push takes slots in
//     order from a table kept half empty, so its writes hit the cache
//     (calendar at 1e6 124 -> 109 ns), and release reads a slot's state only
//     when some entry is dead.

// Errors returned by this package.
var (
	// ErrUnknownKind is returned by ParseKind for a name that is not a queue kind.
	ErrUnknownKind = errors.New("scheduler: unknown queue kind")
	// ErrUnknownTieBreak is returned by ParseTieBreak for a name that is not a policy.
	ErrUnknownTieBreak = errors.New("scheduler: unknown tie-break policy")
)

// TieBreak is the policy that orders entries with equal time and priority.
type TieBreak uint8

const (
	// FIFO runs equal entries in the order they were pushed (the default).
	FIFO TieBreak = iota
	// LIFO runs equal entries in the reverse of the order they were pushed.
	LIFO
	// Random runs equal entries in a seeded pseudo-random order.
	Random
)

// String returns the policy's name as accepted by [ParseTieBreak].
func (tb TieBreak) String() string {
	switch tb {
	case FIFO:
		return "fifo"
	case LIFO:
		return "lifo"
	case Random:
		return "random"
	}
	return fmt.Sprintf("TieBreak(%d)", uint8(tb))
}

// ParseTieBreak returns the policy named s ("fifo", "lifo" or "random").
func ParseTieBreak(s string) (TieBreak, error) {
	switch s {
	case "fifo":
		return FIFO, nil
	case "lifo":
		return LIFO, nil
	case "random":
		return Random, nil
	}
	return 0, fmt.Errorf("%w: %q (allowed: fifo, lifo, random)", ErrUnknownTieBreak, s)
}

// Ticket identifies one pushed entry for [Set.Cancel]. The zero Ticket
// identifies nothing.
type Ticket struct {
	slot int32  // the entry's slot in the queue's slot table, or -1 for the ring
	id   uint64 // in the queue: the push's sequence number; in the ring: the entry's ring sequence number
}

// The Key of an entry in a Set, from the most significant bit:
//
//	priority + 128 (8 bits) | rank (30 bits) | slot (26 bits)
//
// so that ordering by Key orders by priority, then by rank. The rank is the
// tie-break: a counter for FIFO, the counter's complement for LIFO, a
// pseudo-random number for Random. No two pending entries have the same
// rank under FIFO and LIFO, so the slot bits never decide their order;
// under Random the slot decides between equal ranks. The counter is 30 bits
// wide: when it runs out (after about a billion pushes), the pending entries
// are given new ranks 1..n in their current order, in O(n log n), and it
// goes on from n.
//
// The slot bits hold the entry's cancellation slot, or ringSlot for a live
// ring entry and ringDead for a cancelled one.
const (
	slotBits  = 26
	rankBits  = 30
	prioShift = slotBits + rankBits
	slotMask  = 1<<slotBits - 1
	rankMask  = 1<<rankBits - 1
	ringSlot  = slotMask     // slot bits of a live ring entry
	ringDead  = slotMask - 1 // slot bits of a cancelled ring entry
	prioBias  = 0x80         // added to the priority, as a byte, so that the byte orders as the priority

	// MaxPending is the most entries a Set holds in its queue at once (live
	// ones plus cancelled ones not yet removed), besides the ready entries
	// of the FIFO ring: one a slot, from 0 to ringDead-1.
	MaxPending = ringDead
)

// Slot states, two bits a slot in Set.bits: whether a pushed entry occupies
// the slot, and whether that entry was cancelled. Keeping them in a bitmap
// (a quarter of a byte a slot) keeps Pop's check in cache with millions of
// pending entries. The sequence number of each slot's occupant (its low 32
// bits), needed only by Cancel and Pending, is written by Push and never read
// by it. A ticket whose entry has left could be taken for the slot's current
// occupant only if that occupant was pushed an exact multiple of 2^32 pushes
// after it.
//
// Push takes the first free slot at or after the one it took last, wrapping
// around, and the table keeps at most half of its slots in use (it doubles
// when a push would fill more). The search is short (a free slot is one
// word of the bitmap away at most, almost always), and Push writes the
// slots in order, so that its writes to the table hit the cache. (A free
// list hands out the slot of the entry popped last, a random one: with a
// million pending entries, that was a cache miss a push on the table of
// sequence numbers.)
const (
	slotLive = 1 // an entry occupies the slot
	slotDead = 2 // and it was cancelled

	liveBits = 0x5555555555555555 // the live bit of each slot of a bitmap word
)

// Set is an event set: a Queue plus the tie-break policy and O(1)
// cancellation by ticket. Create one with [NewSet].
//
// Under FIFO, entries of priority 0 pushed for the instant of the last pop
// (asyncio's "ready" callbacks: yields, wake-ups, CallSoon) go to a ring
// buffer instead of the queue, and Pop takes the least of the ring's head and
// the queue's head: the order is exactly the same, at O(1) a push and pop.
// A ring entry stays where it was pushed (at its ring sequence number modulo
// the ring's size), so it is cancelled in place, with no slot.
type Set[T any] struct {
	heap    *Heap[T]  // non-nil when q is a *Heap: lets the hot path skip the interface call
	q       Queue[T]  // the queue holding live and dead entries
	tb      TieBreak  // tie-break policy
	rng     *rand.PCG // rank generator for Random
	seq     uint64    // pushes so far
	counter uint64    // FIFO and LIFO ranks handed out since the last renumbering
	maxRank uint64    // the largest rank: rankMask, smaller in tests
	maxSlot int32     // the number of slots allowed: MaxPending, smaller in tests

	ids    []uint32 // push sequence number of each slot's current occupant, truncated
	bits   []uint64 // slot states, 32 slots a word; slots from maxSlot on are marked live, never to be taken
	used   int32    // slots in use: entries in q, live and dead
	growAt int32    // the value of used at which Push grows the table first
	cursor int32    // the slot after the one Push took last
	qdead  int      // dead entries still in q

	// held: next took the heap's root but left it in place; the next Push
	// replaces it, anything else that reads the heap removes it first (settle).
	held bool

	last   time.Duration // At of the last entry popped
	ring   []Entry[T]    // ready entries, all due at ringAt with priority 0; len is a power of two
	rhead  uint64        // ring sequence number of the ring's first entry
	n      int           // entries in the ring, from rhead on
	rdead  int           // dead entries in the ring (slot bits ringDead)
	ringAt time.Duration
}

func (s *Set[T]) state(slot int32) uint64 {
	return s.bits[slot>>5] >> (uint(slot&31) * 2) & 3
}

func (s *Set[T]) setState(slot int32, st uint64) {
	w, sh := slot>>5, uint(slot&31)*2
	s.bits[w] = s.bits[w]&^(3<<sh) | st<<sh
}

// slotOf returns the slot bits of key.
func slotOf(key uint64) int32 { return int32(key & slotMask) }

// NewSet returns an empty set on q, ordering ties with tb. seed seeds the
// Random policy and is ignored by the others. It panics if q is nil or tb is
// unknown.
func NewSet[T any](q Queue[T], tb TieBreak, seed uint64) *Set[T] {
	if q == nil {
		panic("scheduler: NewSet: nil queue")
	}
	if tb > Random {
		panic(fmt.Sprintf("scheduler: NewSet: unknown tie-break policy %d (allowed: FIFO, LIFO, Random)", uint8(tb)))
	}
	s := &Set[T]{q: q, tb: tb, last: math.MinInt64, rhead: 1, maxRank: rankMask, maxSlot: MaxPending}
	if h, ok := q.(*Heap[T]); ok {
		s.heap = h
	}
	if tb == Random {
		s.rng = rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	}
	return s
}

// Len returns the number of live (pushed, not popped, not cancelled) entries.
func (s *Set[T]) Len() int {
	n := s.q.Len() - s.qdead + s.n - s.rdead
	if s.held {
		n--
	}
	return n
}

// settle removes the heap's root if next left it in place (see held).
func (s *Set[T]) settle() {
	if s.held {
		s.held = false
		s.heap.Pop()
	}
}

// Pushed returns the number of entries pushed so far.
func (s *Set[T]) Pushed() uint64 { return s.seq }

// Prio returns the priority of e, an entry popped from or peeked in a Set.
func (s *Set[T]) Prio(e *Entry[T]) int8 { return int8(uint8(e.Key>>prioShift) ^ prioBias) }

// Push adds an entry due at at with priority prio and returns its ticket.
// Entries due at the same time leave in order of priority, lower first. It
// panics if the queue would hold more than [MaxPending] entries.
func (s *Set[T]) Push(at time.Duration, prio int8, v T) Ticket {
	s.seq++
	var rank uint64
	if s.tb == Random {
		rank = s.rng.Uint64() & rankMask
	} else {
		if s.counter == s.maxRank {
			s.renumber()
		}
		s.counter++
		rank = s.counter
		if s.tb == LIFO {
			rank = s.maxRank - rank
		} else if prio == 0 && at == s.last && (s.n == 0 || at == s.ringAt) {
			// A ready entry goes to the ring, written out here: it is on
			// the path of every Yield and wake-up.
			if s.n == len(s.ring) {
				s.growRing()
			}
			r := s.rhead + uint64(s.n)
			s.ring[r&uint64(len(s.ring)-1)] = Entry[T]{At: at, Key: prioBias<<prioShift | rank<<slotBits | ringSlot, Value: v}
			s.n++
			s.ringAt = at
			return Ticket{slot: -1, id: r}
		}
	}
	slot := s.takeSlot()
	s.ids[slot] = uint32(s.seq)
	e := Entry[T]{At: at, Key: uint64(uint8(prio)^prioBias)<<prioShift | rank<<slotBits | uint64(slot), Value: v}
	if h := s.heap; h != nil {
		if s.held {
			s.held = false
			h.Replace(e)
		} else {
			h.Push(e)
		}
	} else {
		s.q.Push(e)
	}
	return Ticket{slot: slot, id: s.seq}
}

// takeSlot marks the first free slot at or after the cursor live and
// returns it.
func (s *Set[T]) takeSlot() int32 {
	if s.used == s.growAt {
		s.growSlots()
	}
	w := int(s.cursor >> 5)
	free := ^s.bits[w] & liveBits &^ (1<<(uint(s.cursor&31)*2) - 1)
	for free == 0 {
		if w++; w == len(s.bits) {
			w = 0
		}
		free = ^s.bits[w] & liveBits
	}
	i := bits.TrailingZeros64(free)
	s.bits[w] |= slotLive << i
	slot := int32(w<<5 + i/2)
	s.cursor = slot + 1
	if int(s.cursor) == len(s.ids) {
		s.cursor = 0
	}
	s.used++
	return slot
}

// growSlots doubles the slot table (or makes its first 32 slots), up to the
// power of two that holds maxSlot slots. It panics if every allowed slot is
// in use.
func (s *Set[T]) growSlots() {
	if s.used == s.maxSlot {
		panic(fmt.Sprintf("scheduler: Set.Push: more than %d pending entries", s.maxSlot))
	}
	old := len(s.ids)
	if old < int(s.maxSlot) {
		n := max(32, 2*old)
		s.ids = append(s.ids, make([]uint32, n-old)...)
		s.bits = append(s.bits, make([]uint64, (n-old)/32)...)
		for slot := int(s.maxSlot); slot < n; slot++ {
			s.bits[slot>>5] |= slotLive << (uint(slot&31) * 2)
		}
	}
	s.growAt = s.maxSlot // full size: Push may fill every allowed slot
	if n := int32(len(s.ids)); n < s.maxSlot {
		s.growAt = n / 2
	}
}

// renumber gives the pending entries (queue and ring, live and dead) the
// ranks base, base+1, ... in their current order, and restarts the counter
// after them: 1..n for FIFO, maxRank-n..maxRank-1 for LIFO.
func (s *Set[T]) renumber() {
	s.settle()
	rankOf := func(key uint64) uint64 { return key >> slotBits & rankMask }
	ranks := make([]uint64, 0, s.q.Len()+s.n)
	s.q.Filter(func(e *Entry[T]) bool {
		ranks = append(ranks, rankOf(e.Key))
		return true
	})
	for i := range uint64(s.n) {
		ranks = append(ranks, rankOf(s.ring[(s.rhead+i)&uint64(len(s.ring)-1)].Key))
	}
	slices.Sort(ranks)
	n := uint64(len(ranks))
	base := uint64(1)
	if s.tb == LIFO {
		base = s.maxRank - n
	}
	remap := func(e *Entry[T]) {
		i, _ := slices.BinarySearch(ranks, rankOf(e.Key))
		e.Key = e.Key&^(rankMask<<slotBits) | (base+uint64(i))<<slotBits
	}
	// The new ranks keep the order, so the queue stays ordered.
	s.q.Filter(func(e *Entry[T]) bool {
		remap(e)
		return true
	})
	for i := range uint64(s.n) {
		remap(&s.ring[(s.rhead+i)&uint64(len(s.ring)-1)])
	}
	s.counter = n
}

// growRing doubles the ring (or makes its first 16 entries).
func (s *Set[T]) growRing() {
	grown := make([]Entry[T], max(16, 2*len(s.ring)))
	for i := range uint64(s.n) {
		r := s.rhead + i
		grown[r&uint64(len(grown)-1)] = s.ring[r&uint64(len(s.ring)-1)]
	}
	s.ring = grown
}

// ringEntry returns the live ring entry of t, or nil.
func (s *Set[T]) ringEntry(t Ticket) *Entry[T] {
	if t.id < s.rhead || t.id-s.rhead >= uint64(s.n) {
		return nil
	}
	e := &s.ring[t.id&uint64(len(s.ring)-1)]
	if slotOf(e.Key) != ringSlot {
		return nil
	}
	return e
}

// Cancel removes the entry identified by t. It reports whether the entry was
// still pending; cancelling an entry that was popped or cancelled already
// returns false and changes nothing. O(1) amortised.
func (s *Set[T]) Cancel(t Ticket) bool {
	if t.slot < 0 {
		e := s.ringEntry(t)
		if e == nil {
			return false
		}
		// Ring entries are due now: the dead ones leave soon.
		e.Key = e.Key&^slotMask | ringDead
		s.rdead++
		return true
	}
	if !s.Pending(t) {
		return false
	}
	s.setState(t.slot, slotLive|slotDead)
	s.qdead++
	if s.qdead > 64 && s.qdead > s.q.Len()/2 {
		s.compact()
	}
	return true
}

// Pending reports whether the entry identified by t is still pending.
func (s *Set[T]) Pending(t Ticket) bool {
	if t.slot < 0 {
		return s.ringEntry(t) != nil
	}
	if t.id == 0 || int(t.slot) >= len(s.ids) {
		return false
	}
	return s.state(t.slot) == slotLive && s.ids[t.slot] == uint32(t.id)
}

// Advance reports whether an entry of priority 0 pushed now for at would
// be the next one popped, strictly before every pending entry, and if so
// moves the set to at as popping it would (it is the instant of the last
// pop from then on), so that the caller may skip the push and the pop. It
// says so only in the case it can tell cheaply and for certain: under
// FIFO, on the heap, with the ready ring empty, and at strictly before
// every entry in the heap, live or cancelled (a held root is not pending).
// Otherwise it changes nothing. The push and pop skipped would have left
// the pending entries and their order as they are; only Pushed, which
// counts pushes, sees the difference. sim's run loop uses it to end a
// task's sleep whose wake-up is the next event without a task switch.
func (s *Set[T]) Advance(at time.Duration) bool {
	h := s.heap
	if s.tb != FIFO || s.n > 0 || h == nil || at < s.last {
		return false
	}
	es := h.es
	if !s.held {
		if len(es) > 0 && es[0].At <= at {
			return false
		}
	} else {
		// The held root has left: the least pending entry is one of its
		// children (the heap is 4-ary).
		for i := 1; i < len(es) && i <= 4; i++ {
			if es[i].At <= at {
				return false
			}
		}
	}
	s.last = at
	return true
}

// Pop removes and returns the least live entry. ok is false if none is left.
func (s *Set[T]) Pop() (e Entry[T], ok bool) {
	return s.PopUntil(math.MaxInt64)
}

// PopUntil removes and returns the least live entry if it is due at or
// before limit. ok is false if no live entry is due by then.
func (s *Set[T]) PopUntil(limit time.Duration) (e Entry[T], ok bool) {
	_, _, ok = s.next(limit, &e)
	return e, ok
}

// Next is PopUntil for run loops: it returns only the entry's time and
// value.
func (s *Set[T]) Next(limit time.Duration) (at time.Duration, v T, ok bool) {
	return s.next(limit, nil)
}

// next pops the least live entry due by limit; if out is not nil it also
// receives the whole entry.
func (s *Set[T]) next(limit time.Duration, out *Entry[T]) (at time.Duration, v T, ok bool) {
	for {
		// An empty heap (as between hand-offs) is tested here, before the
		// call of readyFirst.
		if s.n > 0 && (s.heap != nil && !s.held && len(s.heap.es) == 0 || s.readyFirst()) {
			if s.ringAt > limit {
				return at, v, false
			}
			e := &s.ring[s.rhead&uint64(len(s.ring)-1)]
			s.rhead++
			s.n--
			dead := slotOf(e.Key) == ringDead
			if out != nil {
				*out = *e
			}
			at, v = e.At, e.Value
			*e = Entry[T]{}
			if dead {
				s.rdead--
				continue
			}
			s.last = at
			return at, v, true
		}
		var popped Entry[T]
		if h := s.heap; h != nil {
			s.settle()
			es := h.es
			if len(es) == 0 || es[0].At > limit {
				return at, v, false
			}
			popped = es[0]
			s.held = true
		} else if popped, ok = s.q.PopUntil(limit); !ok {
			return at, v, false
		}
		if s.release(slotOf(popped.Key)) {
			continue
		}
		if out != nil {
			*out = popped
		}
		s.last = popped.At
		return popped.At, popped.Value, true
	}
}

// readyFirst reports whether the ring's head comes before the queue's: the
// heap's case here, other queues' in readyFirstQueue. It is too large to
// inline; next and Peek call it once an entry.
func (s *Set[T]) readyFirst() bool {
	if h := s.heap; h != nil {
		s.settle()
		return len(h.es) == 0 || s.ring[s.rhead&uint64(len(s.ring)-1)].Less(&h.es[0])
	}
	return s.readyFirstQueue()
}

// readyFirstQueue is readyFirst for a queue other than the heap.
func (s *Set[T]) readyFirstQueue() bool {
	top := s.q.Peek()
	return top == nil || s.ring[s.rhead&uint64(len(s.ring)-1)].Less(top)
}

// Peek returns the least live entry without removing it, or nil if none is
// left. The pointer is valid until the next call on s.
func (s *Set[T]) Peek() *Entry[T] {
	s.settle()
	for {
		if s.n > 0 && s.readyFirst() {
			e := &s.ring[s.rhead&uint64(len(s.ring)-1)]
			if slotOf(e.Key) != ringDead {
				return e
			}
			*e = Entry[T]{}
			s.rhead++
			s.n--
			s.rdead--
			continue
		}
		e := s.q.Peek()
		if e == nil || s.state(slotOf(e.Key))&slotDead == 0 {
			return e
		}
		s.release(slotOf(s.q.Pop().Key))
	}
}

// release frees slot and reports whether its occupant was dead.
func (s *Set[T]) release(slot int32) (wasDead bool) {
	// The state word is read only when some entry in q is dead, and written
	// in one read-modify-write (state then setState cost about 10 ns more).
	w, sh := &s.bits[slot>>5], uint(slot&31)*2
	if s.qdead > 0 && *w>>sh&slotDead != 0 {
		wasDead = true
		s.qdead--
	}
	*w &^= 3 << sh
	s.used--
	return wasDead
}

func (s *Set[T]) compact() {
	s.settle()
	s.q.Filter(func(e *Entry[T]) bool {
		if slot := slotOf(e.Key); s.state(slot)&slotDead != 0 {
			s.release(slot)
			return false
		}
		return true
	})
}
