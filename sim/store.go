package sim

import (
	"slices"
	"sort"
)

// storeKind is the order in which a store hands its items out.
type storeKind uint8

const (
	storeFIFO storeKind = iota
	storeFilter
	storePriority
)

// storeCore is what Store, FilterStore and PriorityStore share.
//
// Items handed to a woken getter leave items at once but still count
// against the capacity until the getter resumes (handed); a woken putter's
// item is put when it resumes, its place set aside until then
// (pendingPuts). A getter that fails after it was handed an item puts it
// back where it was.
type storeCore[T any] struct {
	kind     storeKind
	capacity int
	items    []seqItem[T] // by seq; a heap for storePriority
	less     func(a, b T) bool
	seq      uint64

	handed, pendingPuts int
	putters, getters    waiterList[T]
	putWhat, getWhat    string
	stats               *Stats // nil unless EnableStats was called
}

// enableStats starts the statistics, once; InUse is the number of items.
func (s *storeCore[T]) enableStats(env *Env) *Stats {
	if s.stats == nil {
		s.stats = NewStats(env, float64(len(s.items)))
	}
	return s.stats
}

// noteItems records the number of items, if statistics are on.
func (s *storeCore[T]) noteItems() {
	if s.stats != nil {
		s.stats.SetLevel(float64(len(s.items)))
	}
}

func (s *storeCore[T]) init(kind storeKind, capacity int, name string) {
	s.kind = kind
	s.capacity = max(capacity, 0)
	s.putWhat, s.getWhat = name+" (Put)", name+" (Get)"
}

// room reports whether one more item fits.
func (s *storeCore[T]) room() bool {
	return s.capacity == 0 || len(s.items)+s.handed+s.pendingPuts < s.capacity
}

func (s *storeCore[T]) put(p *Proc, v T) error {
	st, since := s.stats, p.env.now
	if s.putters.n == 0 && s.room() {
		s.add(v)
		if st != nil {
			st.Serve(since)
		}
		return nil
	}
	w := &waiter[T]{val: v, q: waitQueue{what: s.putWhat}}
	s.putters.push(w)
	if st != nil {
		st.Enter()
	}
	woken, err := w.q.wait(p)
	if st != nil {
		st.Leave(since, err == nil)
	}
	if !woken {
		s.putters.remove(w)
		s.triggerPuts() // a putter that came while w was leaving may wait behind it
		return err
	}
	s.pendingPuts--
	if err != nil {
		s.triggerPuts() // the place set aside for w goes to the next
		return err
	}
	s.add(v)
	return nil
}

func (s *storeCore[T]) get(p *Proc, match func(T) bool) (T, error) {
	st, since := s.stats, p.env.now
	if i := s.find(match); i >= 0 {
		e := s.take(i)
		s.triggerPuts()
		if st != nil {
			st.Serve(since)
		}
		return e.v, nil
	}
	w := &waiter[T]{match: match, q: waitQueue{what: s.getWhat}}
	s.getters.push(w)
	if st != nil {
		st.Enter()
	}
	woken, err := w.q.wait(p)
	if st != nil {
		st.Leave(since, err == nil)
	}
	if !woken {
		s.getters.remove(w)
		var zero T
		return zero, err
	}
	s.handed--
	if err != nil {
		s.insert(seqItem[T]{w.val, w.seq}) // back where it was
		s.triggerGets()                    // and on to the next getter that wants it
		var zero T
		return zero, err
	}
	s.triggerPuts()
	return w.val, nil
}

// add puts a new item into the store and hands items to waiting getters.
func (s *storeCore[T]) add(v T) {
	s.insert(seqItem[T]{v, s.seq})
	s.seq++
	s.triggerGets()
}

// insert puts e into items at its place.
func (s *storeCore[T]) insert(e seqItem[T]) {
	if s.kind == storePriority {
		s.items = append(s.items, e)
		seqUp(s.items, len(s.items)-1, s.less)
		s.noteItems()
		return
	}
	n := len(s.items)
	if n == 0 || s.items[n-1].seq < e.seq {
		s.items = append(s.items, e)
		s.noteItems()
		return
	}
	i := sort.Search(n, func(i int) bool { return s.items[i].seq > e.seq })
	s.items = slices.Insert(s.items, i, e)
	s.noteItems()
}

// find returns the index of the item a getter accepting match takes, or -1.
func (s *storeCore[T]) find(match func(T) bool) int {
	if len(s.items) == 0 {
		return -1
	}
	if match == nil {
		return 0 // the first item, or the heap's least
	}
	for i := range s.items {
		if match(s.items[i].v) {
			return i
		}
	}
	return -1
}

// take removes and returns item i; vacated slots are zeroed.
func (s *storeCore[T]) take(i int) seqItem[T] {
	e := s.items[i]
	n := len(s.items) - 1
	switch {
	case s.kind == storePriority:
		s.items[0] = s.items[n]
		s.items[n] = seqItem[T]{}
		s.items = s.items[:n]
		seqDown(s.items, 0, s.less)
	case i == 0:
		s.items[0] = seqItem[T]{}
		s.items = s.items[1:]
	default:
		s.items = slices.Delete(s.items, i, i+1)
	}
	s.noteItems()
	return e
}

// triggerGets hands items to the waiting getters, in order; a getter that
// accepts none of the items keeps waiting without blocking those behind.
func (s *storeCore[T]) triggerGets() {
	for w := s.getters.head; w != nil && len(s.items) > 0; {
		next := w.next
		if w.q.n == 0 { // its task left and has not resumed yet
			s.getters.remove(w)
		} else if i := s.find(w.match); i >= 0 {
			s.getters.remove(w)
			e := s.take(i)
			w.val, w.seq = e.v, e.seq
			s.handed++
			w.q.wakeOne()
		}
		w = next
	}
}

// triggerPuts wakes the waiting putters, in order, while there is room.
func (s *storeCore[T]) triggerPuts() {
	for w := s.putters.first(); w != nil && s.room(); w = s.putters.first() {
		s.putters.remove(w)
		s.pendingPuts++
		w.q.wakeOne()
	}
}

// itemsCopy returns the items in the order they would be got.
func (s *storeCore[T]) itemsCopy() []T {
	es := slices.Clone(s.items)
	if s.kind == storePriority {
		slices.SortFunc(es, func(a, b seqItem[T]) int {
			if seqBefore(&a, &b, s.less) {
				return -1
			}
			return 1
		})
	}
	out := make([]T, len(es))
	for i, e := range es {
		out[i] = e.v
	}
	return out
}

// Store is SimPy's Store: items of type T put by producers and got by
// consumers in first in, first out order. Put waits while the store holds
// its capacity of items; Get waits while it is empty. Waiting puts and gets
// are served first come, first served. Create one with NewStore; the zero
// Store is not usable. Its methods must be called on the Env's goroutine.
//
// A Store differs from a Queue as SimPy differs from asyncio: a waiter is
// served when an item or a place becomes free (the item is set aside for
// it, so a task arriving later cannot take it first), and there is no task
// tracking or shutdown.
//
// # Cancellation
//
// A task cancelled or interrupted while it waits in Put or Get leaves the
// store as if it had never asked: its item is not put, or it takes no
// item; an item already handed to it goes back to its place in the store
// and on to the next getter. Items are never lost or duplicated.
//
// # Complexity
//
// Put and Get take O(1) amortized time, plus O(k) to serve the k waiters a
// change wakes; a Put or Get that waits allocates once.
type Store[T any] struct{ core storeCore[T] }

// NewStore returns an empty store that holds at most capacity items; if
// capacity is 0 or less, the store is unbounded.
func NewStore[T any](capacity int) *Store[T] {
	s := &Store[T]{}
	s.core.init(storeFIFO, capacity, "a Store")
	return s
}

// Put puts v into the store, first waiting, behind the puts that wait
// already, until there is room. It returns nil once v is in the store, or
// the error of a cancellation or interrupt while it waits (v is then not
// put). It panics if called from outside p's task.
func (s *Store[T]) Put(p *Proc, v T) error {
	p.checkRunning("Store.Put")
	return s.core.put(p, v)
}

// Get removes and returns the oldest item, first waiting, behind the gets
// that wait already, until there is one. It returns the error of a
// cancellation or interrupt while it waits (no item is then taken). It
// panics if called from outside p's task.
func (s *Store[T]) Get(p *Proc) (T, error) {
	p.checkRunning("Store.Get")
	return s.core.get(p, nil)
}

// Len returns the number of items in the store.
func (s *Store[T]) Len() int { return len(s.core.items) }

// Cap returns the capacity, or 0 if the store is unbounded.
func (s *Store[T]) Cap() int { return s.core.capacity }

// Items returns a copy of the items, oldest first.
func (s *Store[T]) Items() []T { return s.core.itemsCopy() }

// EnableStats starts recording s's statistics (see Stats) on env's virtual
// time and returns them: InUse is the number of items in the store (an
// item handed to a getter leaves it at once), QueueLength counts the tasks
// waiting in Put and Get. Calling it again returns the same Stats. It
// panics if env is nil.
func (s *Store[T]) EnableStats(env *Env) *Stats { return s.core.enableStats(env) }

// Stats returns s's statistics, or nil if EnableStats was not called.
func (s *Store[T]) Stats() *Stats { return s.core.stats }

// FilterStore is SimPy's FilterStore: a Store whose getters may ask for
// the first item, in store order, that matches a predicate. Whenever an
// item is put, the waiting getters are checked in the order they came, and
// each takes the first item it matches; a getter that matches none keeps
// waiting without blocking the getters behind it. Create one with
// NewFilterStore; the zero FilterStore is not usable. Cancellation is as
// in Store.
//
// # Complexity
//
// GetMatch takes O(n) time for n items; a Put takes O(w·n) time to check w
// waiting getters.
type FilterStore[T any] struct{ core storeCore[T] }

// NewFilterStore returns an empty filter store that holds at most capacity
// items; if capacity is 0 or less, it is unbounded.
func NewFilterStore[T any](capacity int) *FilterStore[T] {
	s := &FilterStore[T]{}
	s.core.init(storeFilter, capacity, "a FilterStore")
	return s
}

// Put puts v into the store as Store.Put does, and hands it to the first
// waiting getter that matches it.
func (s *FilterStore[T]) Put(p *Proc, v T) error {
	p.checkRunning("FilterStore.Put")
	return s.core.put(p, v)
}

// Get removes and returns the oldest item, as GetMatch with a predicate
// that matches anything.
func (s *FilterStore[T]) Get(p *Proc) (T, error) {
	p.checkRunning("FilterStore.Get")
	return s.core.get(p, nil)
}

// GetMatch removes and returns the first item, in store order, for which
// match returns true, first waiting until one is put. It returns the error
// of a cancellation or interrupt while it waits (no item is then taken).
// match is called by the store, possibly from other tasks' puts: it must
// not wait nor use the store. GetMatch with a nil match is Get. It panics
// if called from outside p's task.
func (s *FilterStore[T]) GetMatch(p *Proc, match func(T) bool) (T, error) {
	p.checkRunning("FilterStore.GetMatch")
	return s.core.get(p, match)
}

// Len returns the number of items in the store.
func (s *FilterStore[T]) Len() int { return len(s.core.items) }

// Cap returns the capacity, or 0 if the store is unbounded.
func (s *FilterStore[T]) Cap() int { return s.core.capacity }

// Items returns a copy of the items, oldest first.
func (s *FilterStore[T]) Items() []T { return s.core.itemsCopy() }

// EnableStats starts recording s's statistics as Store.EnableStats does;
// GetMatch counts as a Get.
func (s *FilterStore[T]) EnableStats(env *Env) *Stats { return s.core.enableStats(env) }

// Stats returns s's statistics, or nil if EnableStats was not called.
func (s *FilterStore[T]) Stats() *Stats { return s.core.stats }

// PriorityStore is SimPy's PriorityStore: a Store whose Get returns the
// least item, as ordered by a less function; items of equal priority
// (neither less than the other) leave in the order they were put. Create
// one with NewPriorityStore; the zero PriorityStore is not usable.
// Cancellation is as in Store.
//
// # Complexity
//
// Put and Get take O(log n) time for n items.
type PriorityStore[T any] struct{ core storeCore[T] }

// NewPriorityStore returns an empty priority store that holds at most
// capacity items (unbounded if capacity is 0 or less), ordered by less. It
// panics if less is nil.
func NewPriorityStore[T any](capacity int, less func(a, b T) bool) *PriorityStore[T] {
	if less == nil {
		panic("sim: NewPriorityStore called with a nil less function")
	}
	s := &PriorityStore[T]{}
	s.core.init(storePriority, capacity, "a PriorityStore")
	s.core.less = less
	return s
}

// Put puts v into the store as Store.Put does.
func (s *PriorityStore[T]) Put(p *Proc, v T) error {
	p.checkRunning("PriorityStore.Put")
	return s.core.put(p, v)
}

// Get removes and returns the least item (the oldest of equal ones), first
// waiting as Store.Get does.
func (s *PriorityStore[T]) Get(p *Proc) (T, error) {
	p.checkRunning("PriorityStore.Get")
	return s.core.get(p, nil)
}

// Len returns the number of items in the store.
func (s *PriorityStore[T]) Len() int { return len(s.core.items) }

// Cap returns the capacity, or 0 if the store is unbounded.
func (s *PriorityStore[T]) Cap() int { return s.core.capacity }

// Items returns a copy of the items, in the order Get would return them.
func (s *PriorityStore[T]) Items() []T { return s.core.itemsCopy() }

// EnableStats starts recording s's statistics as Store.EnableStats does.
func (s *PriorityStore[T]) EnableStats(env *Env) *Stats { return s.core.enableStats(env) }

// Stats returns s's statistics, or nil if EnableStats was not called.
func (s *PriorityStore[T]) Stats() *Stats { return s.core.stats }
