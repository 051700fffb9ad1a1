package scheduler

import "time"

// Heap is a 4-ary min-heap of value entries. The zero value is an empty heap
// ready to use. Push and Pop are O(log n) and allocate only when the backing
// slice grows.
type Heap[T any] struct {
	es []Entry[T]
}

// Len returns the number of entries.
func (h *Heap[T]) Len() int { return len(h.es) }

// Peek returns the least entry, or nil if the heap is empty.
func (h *Heap[T]) Peek() *Entry[T] {
	if len(h.es) == 0 {
		return nil
	}
	return &h.es[0]
}

// Push adds e.
func (h *Heap[T]) Push(e Entry[T]) {
	es := append(h.es, e)
	h.es = es
	i := len(es) - 1
	// Sift e up from the new leaf. fill repeats this loop: a shared helper
	// would keep Push from inlining into Set.Push (pinned by sim's TestInlining).
	for i > 0 {
		p := (i - 1) / 4
		if !e.Less(&es[p]) {
			break
		}
		es[i] = es[p]
		i = p
	}
	es[i] = e
}

// PopUntil removes and returns the least entry if it is due at or before
// limit.
func (h *Heap[T]) PopUntil(limit time.Duration) (e Entry[T], ok bool) {
	if len(h.es) == 0 || h.es[0].At > limit {
		return e, false
	}
	return h.Pop(), true
}

// Pop removes and returns the least entry. It panics if the heap is empty.
func (h *Heap[T]) Pop() Entry[T] {
	es := h.es
	n := len(es) - 1
	top := es[0]
	last := es[n]
	es[n] = Entry[T]{} // drop references held by the value
	h.es = es[:n]
	if n > 0 {
		h.fill(last)
	}
	return top
}

// Replace removes and returns the least entry and adds e, in one pass
// (Python's heapq.heapreplace): cheaper than Pop then Push. It panics if
// the heap is empty.
func (h *Heap[T]) Replace(e Entry[T]) Entry[T] {
	top := h.es[0]
	h.fill(e)
	return top
}

// fill puts e in place of the root. It moves the hole left by the root down
// to a leaf, always to the least child, then sifts e up from there (Floyd's
// bottom-up method): e, the last entry for Pop and a new one for Replace,
// almost always belongs near the bottom, so this saves most of the
// comparisons with it.
func (h *Heap[T]) fill(e Entry[T]) {
	es := h.es
	n := len(es)
	i := 0
	for {
		c := 4*i + 1
		if c+3 < n {
			// A tournament: the least of each pair, then the least of
			// the two winners, all turned into indexes without a branch:
			// which child wins is a coin toss, so a branch on it would be
			// mispredicted half the time.
			m := c + bit(es[c+1].Less(&es[c]))
			r := c + 2 + bit(es[c+3].Less(&es[c+2]))
			m += (r - m) & -bit(es[r].Less(&es[m]))
			es[i] = es[m]
			i = m
			continue
		}
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < n; j++ {
			if es[j].Less(&es[m]) {
				m = j
			}
		}
		es[i] = es[m]
		i = m
		break
	}
	for i > 0 {
		p := (i - 1) / 4
		if !e.Less(&es[p]) {
			break
		}
		es[i] = es[p]
		i = p
	}
	es[i] = e
}

// Filter keeps only the entries for which keep returns true, in O(n).
func (h *Heap[T]) Filter(keep func(*Entry[T]) bool) {
	kept := h.es[:0]
	for i := range h.es {
		if keep(&h.es[i]) {
			kept = append(kept, h.es[i])
		}
	}
	clear(h.es[len(kept):])
	h.es = kept
	// Start at the parent of the last entry. With no entry left, (0-2)/4
	// truncates to 0 and down(0) would index an empty slice, so skip it.
	for i := (len(kept) - 2) / 4; i >= 0 && len(kept) > 1; i-- {
		h.down(i)
	}
}

func (h *Heap[T]) down(i int) {
	es := h.es
	n := len(es)
	e := es[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		// Find the least of up to four children.
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if es[j].Less(&es[m]) {
				m = j
			}
		}
		if !es[m].Less(&e) {
			break
		}
		es[i] = es[m]
		i = m
	}
	es[i] = e
}

// bit returns 1 for true and 0 for false; the compiler makes it a flag
// move, not a branch.
func bit(b bool) int {
	var x int
	if b {
		x = 1
	}
	return x
}
