package scheduler

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

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
	slot int32
	gen  uint32
}

type slotState struct {
	gen  uint32 // generation of the current occupant; starts at 1
	dead bool   // the occupant was cancelled and is still in the queue
}

// Set is an event set: a Queue plus the tie-break policy and O(1)
// cancellation by ticket. Create one with [NewSet].
type Set[T any] struct {
	heap  *Heap[T]  // non-nil when q is a *Heap: lets the hot path skip the interface call
	q     Queue[T]  // the queue holding live and dead entries
	tb    TieBreak  // tie-break policy
	rng   *rand.PCG // key generator for Random
	seq   uint64    // pushes so far
	slots []slotState
	free  []int32
	dead  int // dead entries still in q
}

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
	s := &Set[T]{q: q, tb: tb}
	if h, ok := q.(*Heap[T]); ok {
		s.heap = h
	}
	if tb == Random {
		s.rng = rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	}
	return s
}

// Len returns the number of live (pushed, not popped, not cancelled) entries.
func (s *Set[T]) Len() int { return s.q.Len() - s.dead }

// Pushed returns the number of entries pushed so far.
func (s *Set[T]) Pushed() uint64 { return s.seq }

// Push adds an entry due at at with priority prio and returns its ticket.
func (s *Set[T]) Push(at time.Duration, prio int32, v T) Ticket {
	var slot int32
	if n := len(s.free); n > 0 {
		slot = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		slot = int32(len(s.slots))
		s.slots = append(s.slots, slotState{gen: 1})
	}
	s.seq++
	var key uint64
	switch s.tb {
	case FIFO:
		key = s.seq
	case LIFO:
		key = ^s.seq
	default:
		key = s.rng.Uint64()
	}
	e := Entry[T]{At: at, Key: key, Prio: prio, slot: slot, Value: v}
	if s.heap != nil {
		s.heap.Push(e)
	} else {
		s.q.Push(e)
	}
	return Ticket{slot: slot, gen: s.slots[slot].gen}
}

// Cancel removes the entry identified by t. It reports whether the entry was
// still pending; cancelling an entry that was popped or cancelled already
// returns false and changes nothing. O(1) amortised.
func (s *Set[T]) Cancel(t Ticket) bool {
	if t.gen == 0 || int(t.slot) >= len(s.slots) {
		return false
	}
	st := &s.slots[t.slot]
	if st.gen != t.gen || st.dead {
		return false
	}
	st.dead = true
	s.dead++
	if s.dead > 64 && s.dead > s.q.Len()/2 {
		s.compact()
	}
	return true
}

// Pending reports whether the entry identified by t is still pending.
func (s *Set[T]) Pending(t Ticket) bool {
	if t.gen == 0 || int(t.slot) >= len(s.slots) {
		return false
	}
	st := &s.slots[t.slot]
	return st.gen == t.gen && !st.dead
}

// Pop removes and returns the least live entry. ok is false if none is left.
func (s *Set[T]) Pop() (e Entry[T], ok bool) {
	for {
		if s.heap != nil {
			if len(s.heap.es) == 0 {
				return e, false
			}
			e = s.heap.Pop()
		} else {
			if s.q.Len() == 0 {
				return e, false
			}
			e = s.q.Pop()
		}
		if !s.release(e.slot) {
			return e, true
		}
	}
}

// PopUntil removes and returns the least live entry if it is due at or
// before limit. ok is false if no live entry is due by then.
func (s *Set[T]) PopUntil(limit time.Duration) (e Entry[T], ok bool) {
	for {
		if s.heap != nil {
			es := s.heap.es
			if len(es) == 0 || es[0].At > limit {
				return e, false
			}
			e = s.heap.Pop()
		} else {
			top := s.q.Peek()
			if top == nil || top.At > limit {
				return e, false
			}
			e = s.q.Pop()
		}
		if !s.release(e.slot) {
			return e, true
		}
	}
}

// Peek returns the least live entry without removing it, or nil if none is
// left. The pointer is valid until the next call on s.
func (s *Set[T]) Peek() *Entry[T] {
	for {
		e := s.q.Peek()
		if e == nil || !s.slots[e.slot].dead {
			return e
		}
		s.release(s.q.Pop().slot)
	}
}

// release frees slot and reports whether its occupant was dead.
func (s *Set[T]) release(slot int32) (wasDead bool) {
	st := &s.slots[slot]
	st.gen++
	if st.gen == 0 {
		st.gen = 1
	}
	wasDead = st.dead
	if wasDead {
		st.dead = false
		s.dead--
	}
	s.free = append(s.free, slot)
	return wasDead
}

func (s *Set[T]) compact() {
	s.q.Filter(func(e *Entry[T]) bool {
		if s.slots[e.slot].dead {
			s.release(e.slot)
			return false
		}
		return true
	})
}
