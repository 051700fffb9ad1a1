package resource

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/vtsim/vtsim/internal/seqheap"
	"github.com/vtsim/vtsim/sim"
)

// Store is SimPy's Store family in one type: items of type T put by
// producers and got by consumers. A store made by NewStore hands its items
// out first in, first out; one made by NewPriorityStore hands out the least
// item first, as ordered by its less function (items of equal priority in
// the order they were put). On either, GetMatch takes the first item that
// a predicate accepts (SimPy's FilterStore): whenever an item is put, the
// waiting getters are checked in the order they came, and each takes the
// first item it matches; a getter that matches none keeps waiting without
// blocking the getters behind it. Put waits while the store holds its
// capacity of items; Get waits while it has nothing to give. Waiting puts
// and gets are served first come, first served. The zero Store is not
// usable. Its methods must be called on the Env's goroutine.
//
// A Store differs from sim.Queue as SimPy differs from asyncio: a waiter is
// served when an item or a place becomes free (the item is set aside for
// it, so a task arriving later cannot take it first), and there is no task
// tracking or shutdown.
//
// # Cancellation
//
// A task cancelled or interrupted while it waits in Put or Get leaves the
// store as if it had never asked: its item is not put, or it takes no item;
// an item already handed to it goes back to its place in the store and on
// to the next getter. Items are never lost or duplicated.
//
// # Complexity
//
// First-in, first-out: Put and Get take O(1) amortized time, GetMatch O(n)
// for n items. Priority: Put and Get take O(log n). A Put checks the w
// waiting getters in O(w) (O(w·n) with predicates). A Put or Get that waits
// allocates nothing once the store has as many request records as it has
// had waiters at once (it keeps them for reuse).
type Store[T any] struct {
	capacity int
	items    []seqheap.Item[T] // by Seq; a heap when less is set
	buf      []seqheap.Item[T] // the array items lies in, from its start, for a first-in, first-out store (push)
	less     func(a, b T) bool // nil for first in, first out
	seq      uint64

	// Items handed to a woken getter leave items at once but still count
	// against the capacity until the getter resumes (handed); a woken
	// putter's item is put when it resumes, its place set aside until then
	// (pendingPuts).
	handed, pendingPuts int
	putters, getters    sim.WaitQueue  // each waiter's data is its *storeReq
	free                []*storeReq[T] // records of ended waits, for reuse (newReq)
	stats               *sim.Stats     // nil unless EnableStats was called
	maxPuts             int            // the most puts that may wait; -1 for no limit (SetPutQueueLimit)
}

// storeReq is what a waiting Put or Get asks for, and what a getter is
// handed.
type storeReq[T any] struct {
	val   T            // the item to put, or the item handed over
	seq   uint64       // the insertion number of the item handed over
	match func(T) bool // what a getter accepts; nil accepts anything
}

// NewStore returns an empty first-in, first-out store that holds at most
// capacity items; if capacity is 0 or less, the store is unbounded.
func NewStore[T any](capacity int) *Store[T] {
	return newStore[T]("a Store", capacity, nil)
}

// NewPriorityStore returns an empty store that hands out its least item
// first, as ordered by less, and holds at most capacity items (unbounded if
// capacity is 0 or less). It panics if less is nil.
func NewPriorityStore[T any](capacity int, less func(a, b T) bool) *Store[T] {
	if less == nil {
		panic("resource: NewPriorityStore called with a nil less function")
	}
	return newStore("a PriorityStore", capacity, less)
}

func newStore[T any](name string, capacity int, less func(a, b T) bool) *Store[T] {
	s := &Store[T]{capacity: max(capacity, 0), less: less, maxPuts: -1}
	s.putters.Init(name + " (Put)")
	s.getters.Init(name + " (Get)")
	return s
}

// Put puts v into the store, first waiting, behind the puts that wait
// already, until there is room. It returns nil once v is in the store, or
// the error of a cancellation or interrupt while it waits (v is then not
// put). If it would have to wait while the put queue is full (see
// SetPutQueueLimit), it returns ErrRefused at once. It panics if called
// from outside p's task.
func (s *Store[T]) Put(p *sim.Proc, v T) error {
	p.CheckRunning("Store.Put")
	s.putters.Claim(p, "Store.Put")
	st, since := s.stats, p.Now()
	if s.putters.Len() == 0 && s.room() {
		s.add(v)
		if st != nil {
			st.Serve(since)
		}
		return nil
	}
	if s.putsFull() {
		return ErrRefused
	}
	if st != nil {
		st.Enter()
	}
	r := s.newReq()
	r.val = v
	woken, err := s.putters.WaitWith(p, r)
	s.freeReq(r)
	if st != nil {
		st.Leave(since, err == nil)
	}
	if !woken {
		s.triggerPuts() // a putter that came while p was leaving may wait behind it
		return err
	}
	s.pendingPuts--
	if err != nil {
		s.triggerPuts() // the place set aside for p goes to the next
		return err
	}
	s.add(v)
	return nil
}

// Get removes and returns the next item (the oldest, or the least of a
// priority store), first waiting, behind the gets that wait already, until
// there is one. It returns the error of a cancellation or interrupt while
// it waits (no item is then taken). It panics if called from outside p's
// task.
func (s *Store[T]) Get(p *sim.Proc) (T, error) {
	p.CheckRunning("Store.Get")
	s.getters.Claim(p, "Store.Get")
	// getItem written out, so that after the task switch the task returns
	// to its caller through this frame alone (docs/design.md, "One frame
	// after the switch").
	st, since := s.stats, p.Now()
	if i := s.find(nil); i >= 0 {
		return s.takeNow(i, st, since).V, nil
	}
	r := s.waitReq(nil, st)
	woken, err := s.getters.WaitWith(p, r)
	e, err := s.gotReq(r, st, since, woken, err)
	return e.V, err
}

// GetMatch removes and returns the first item, in the order Get would
// return them, for which match returns true, first waiting until one is
// put (SimPy's FilterStore.get). It returns the error of a cancellation or
// interrupt while it waits (no item is then taken). match is called by the
// store, possibly from other tasks' puts: it must have no side effects (not
// wait, not use the store, not cancel or wake tasks). GetMatch with a nil match is Get. It panics if called from outside
// p's task.
func (s *Store[T]) GetMatch(p *sim.Proc, match func(T) bool) (T, error) {
	p.CheckRunning("Store.GetMatch")
	s.getters.Claim(p, "Store.GetMatch")
	e, err := s.getItem(p, match)
	return e.V, err
}

// getItem is GetMatch's wait, returning the item with its insertion
// number, so that a withdrawn get in future form (GetFuture) can put it
// back in its place. Get writes it out.
func (s *Store[T]) getItem(p *sim.Proc, match func(T) bool) (seqheap.Item[T], error) {
	st, since := s.stats, p.Now()
	if i := s.find(match); i >= 0 {
		return s.takeNow(i, st, since), nil
	}
	r := s.waitReq(match, st)
	woken, err := s.getters.WaitWith(p, r)
	return s.gotReq(r, st, since, woken, err)
}

// takeNow takes item i for a get that need not wait, which began at since
// with statistics st (nil if off).
func (s *Store[T]) takeNow(i int, st *sim.Stats, since time.Duration) seqheap.Item[T] {
	e := s.take(i)
	s.triggerPuts()
	if st != nil {
		st.Serve(since)
	}
	return e
}

// waitReq returns the request record of a get about to wait for an item
// that match accepts, with statistics st (nil if off).
func (s *Store[T]) waitReq(match func(T) bool, st *sim.Stats) *storeReq[T] {
	r := s.newReq()
	r.match = match
	if st != nil {
		st.Enter()
	}
	return r
}

// gotReq ends the wait of a get with request r, which began at since with
// statistics st (nil if off) and returned woken and err: it returns the
// item handed over, or gives it back if the get failed after all.
func (s *Store[T]) gotReq(r *storeReq[T], st *sim.Stats, since time.Duration, woken bool, err error) (seqheap.Item[T], error) {
	e := seqheap.Item[T]{V: r.val, Seq: r.seq}
	s.freeReq(r)
	if st != nil {
		st.Leave(since, err == nil)
	}
	if !woken {
		return seqheap.Item[T]{}, err
	}
	s.handed--
	if err != nil {
		s.insert(e)     // back where it was
		s.triggerGets() // and on to the next getter that wants it
		return seqheap.Item[T]{}, err
	}
	s.triggerPuts()
	return e, nil
}

// newReq returns a cleared request record for a wait: a reused one if
// there is one, so that waiting allocates nothing in steady state.
func (s *Store[T]) newReq() *storeReq[T] {
	if n := len(s.free); n > 0 {
		r := s.free[n-1]
		s.free = s.free[:n-1]
		return r
	}
	return new(storeReq[T])
}

// freeReq takes back the record of a wait that has returned (nothing reads
// it after that), cleared so that it keeps no item or predicate alive.
func (s *Store[T]) freeReq(r *storeReq[T]) {
	*r = storeReq[T]{}
	s.free = append(s.free, r)
}

// Len returns the number of items in the store.
func (s *Store[T]) Len() int { return len(s.items) }

// Cap returns the capacity, or 0 if the store is unbounded.
func (s *Store[T]) Cap() int { return s.capacity }

// Items returns a copy of the items, in the order Get would return them.
func (s *Store[T]) Items() []T {
	es := slices.Clone(s.items)
	if s.less != nil {
		slices.SortFunc(es, func(a, b seqheap.Item[T]) int {
			if seqheap.Before(&a, &b, s.less) {
				return -1
			}
			return 1
		})
	}
	out := make([]T, len(es))
	for i, e := range es {
		out[i] = e.V
	}
	return out
}

// EnableStats starts recording s's statistics (see sim.Stats) on env's
// virtual time and returns them: InUse is the number of items in the store
// (an item handed to a getter leaves it at once), QueueLength counts the
// tasks waiting in Put and Get (GetMatch counts as a Get). Calling it again
// returns the same Stats. It panics if env is nil.
func (s *Store[T]) EnableStats(env *sim.Env) *sim.Stats {
	if s.stats == nil {
		s.stats = sim.NewStats(env, float64(len(s.items)))
	}
	return s.stats
}

// Stats returns s's statistics, or nil if EnableStats was not called.
func (s *Store[T]) Stats() *sim.Stats { return s.stats }

// String returns "a Store" or "a PriorityStore" with the number of items.
func (s *Store[T]) String() string {
	kind := "Store"
	if s.less != nil {
		kind = "PriorityStore"
	}
	return fmt.Sprintf("%s of %d items", kind, len(s.items))
}

// room reports whether one more item fits.
func (s *Store[T]) room() bool {
	return s.capacity == 0 || len(s.items)+s.handed+s.pendingPuts < s.capacity
}

// noteItems records the number of items, if statistics are on.
func (s *Store[T]) noteItems() {
	if s.stats != nil {
		s.stats.SetLevel(float64(len(s.items)))
	}
}

// add puts a new item into the store and hands items to waiting getters.
func (s *Store[T]) add(v T) {
	if len(s.items) == 0 && s.stats == nil {
		if p := s.getters.Front(); p != nil {
			if r := p.WaitData().(*storeReq[T]); r.match == nil {
				// The hand-off (a getter waits on an empty store) written
				// out: what insert and triggerGets do, without putting v
				// in items to take it out at once. With statistics on,
				// the level goes through 1, so the long way records it.
				s.getters.Wake(p)
				r.val, r.seq = v, s.seq
				s.seq++
				s.handed++
				return
			}
		}
	}
	s.insert(seqheap.Item[T]{V: v, Seq: s.seq})
	s.seq++
	s.triggerGets()
}

// insert puts e into items at its place.
func (s *Store[T]) insert(e seqheap.Item[T]) {
	switch n := len(s.items); {
	case s.less != nil:
		s.items = append(s.items, e)
		seqheap.Up(s.items, n, s.less)
	case n == 0 || s.items[n-1].Seq < e.Seq:
		s.push(e)
	default:
		i := sort.Search(n, func(i int) bool { return s.items[i].Seq > e.Seq })
		s.items = slices.Insert(s.items, i, e)
	}
	s.noteItems()
}

// push appends e to the items of a first-in, first-out store. Get takes
// items from the front by reslicing, so the items creep towards the end of
// their array: when they reach it, push moves them back to its start if
// they fill at most half of it, rather than let append allocate a new one,
// so that a store whose length stays bounded allocates nothing.
func (s *Store[T]) push(e seqheap.Item[T]) {
	n := len(s.items)
	if n == cap(s.items) && n <= cap(s.buf)/2 {
		copy(s.buf, s.items)
		clear(s.buf[n:])
		s.items = s.buf[:n]
	}
	full := n == cap(s.items)
	s.items = append(s.items, e)
	if full { // append made a new array
		s.buf = s.items[:cap(s.items)]
	}
}

// find returns the index of the item a getter accepting match takes, or -1:
// the first item (the heap's least) for a nil match; otherwise the first
// matching one in store order (the least matching one of a priority store).
func (s *Store[T]) find(match func(T) bool) int {
	if len(s.items) == 0 {
		return -1
	}
	if match == nil {
		return 0
	}
	best := -1
	for i := range s.items {
		if !match(s.items[i].V) {
			continue
		}
		if s.less == nil {
			return i
		}
		if best < 0 || seqheap.Before(&s.items[i], &s.items[best], s.less) {
			best = i
		}
	}
	return best
}

// take removes and returns item i; vacated slots are zeroed.
func (s *Store[T]) take(i int) seqheap.Item[T] {
	e := s.items[i]
	n := len(s.items) - 1
	switch {
	case s.less != nil:
		s.items[i] = s.items[n]
		s.items[n] = seqheap.Item[T]{}
		s.items = s.items[:n]
		if i < n {
			seqheap.Down(s.items, i, s.less)
			seqheap.Up(s.items, i, s.less)
		}
	case i == 0:
		s.items[0] = seqheap.Item[T]{}
		s.items = s.items[1:]
		if n == 0 && s.buf != nil {
			s.items = s.buf[:0] // empty: start again at the array's start
		}
	default:
		s.items = slices.Delete(s.items, i, i+1)
	}
	s.noteItems()
	return e
}

// triggerGets hands items to the waiting getters, in order; a getter that
// accepts none of the items keeps waiting without blocking those behind.
func (s *Store[T]) triggerGets() {
	for p := s.getters.Front(); p != nil && len(s.items) > 0; {
		r := p.WaitData().(*storeReq[T])
		i := s.find(r.match)
		next := s.getters.Next(p) // after match, which might (against its contract) disturb the queue
		if i >= 0 && s.getters.Wake(p) {
			e := s.take(i)
			r.val, r.seq = e.V, e.Seq
			s.handed++
		}
		p = next
	}
}

// triggerPuts wakes the waiting putters, in order, while there is room.
func (s *Store[T]) triggerPuts() {
	for p := s.putters.Front(); p != nil && s.room(); p = s.putters.Front() {
		s.pendingPuts++
		s.putters.Wake(p)
	}
}
