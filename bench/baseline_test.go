package bench

import "container/heap"

// This file holds the two baselines of the hold workload: a hand-written
// typed binary heap of value entries (the overhead floor: no interface, no
// allocation, no bookkeeping beyond the order) and container/heap over
// boxed events (one allocation per event, an interface call per comparison
// and swap).

// typedEntry is an event of the typed heap: a value, not a pointer.
type typedEntry struct {
	at  int64
	seq uint64
	fn  func()
}

// before reports whether e leaves the heap before f: by at, then seq.
func (e *typedEntry) before(f *typedEntry) bool {
	return e.at < f.at || e.at == f.at && e.seq < f.seq
}

// typedHeap is a binary min-heap of typedEntry values with a clock.
type typedHeap struct {
	es  []typedEntry
	seq uint64
	t   int64 // time of the event dispatched last
}

// push schedules fn at time at.
func (h *typedHeap) push(at int64, fn func()) {
	h.seq++
	e := typedEntry{at: at, seq: h.seq, fn: fn}
	h.es = append(h.es, e)
	es := h.es
	i := len(es) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !e.before(&es[p]) {
			break
		}
		es[i] = es[p]
		i = p
	}
	es[i] = e
}

// pop removes and returns the least entry; the heap must not be empty.
func (h *typedHeap) pop() typedEntry {
	es := h.es
	top := es[0]
	n := len(es) - 1
	e := es[n]
	es[n] = typedEntry{}
	es = es[:n]
	h.es = es
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && es[r].before(&es[c]) {
			c = r
		}
		if !es[c].before(&e) {
			break
		}
		es[i] = es[c]
		i = c
	}
	es[i] = e
	return top
}

// typedHold is the hold workload on typedHeap.
type typedHold struct {
	h typedHeap
}

func newTypedHold(n int) (model, error) {
	m := &typedHold{}
	r := holdStream()
	var fn func()
	fn = func() { m.h.push(m.h.t+int64(expDelay(r)), fn) }
	for range n {
		m.h.push(int64(expDelay(r)), fn)
	}
	return m, m.run(warmup(n))
}

func (m *typedHold) run(n int) error {
	for range n {
		e := m.h.pop()
		m.h.t = e.at
		e.fn()
	}
	return nil
}

func (m *typedHold) now() int64 { return m.h.t }
func (m *typedHold) close()     { m.h = typedHeap{} }

// boxedEvent is an event of the container/heap baseline, allocated one by
// one.
type boxedEvent struct {
	at  int64
	seq uint64
	fn  func()
}

// boxedQueue implements heap.Interface over boxed events.
type boxedQueue []*boxedEvent

func (q boxedQueue) Len() int { return len(q) }
func (q boxedQueue) Less(i, j int) bool {
	return q[i].at < q[j].at || q[i].at == q[j].at && q[i].seq < q[j].seq
}
func (q boxedQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *boxedQueue) Push(x any)   { *q = append(*q, x.(*boxedEvent)) }
func (q *boxedQueue) Pop() any {
	old := *q
	n := len(old) - 1
	e := old[n]
	old[n] = nil
	*q = old[:n]
	return e
}

// boxedHold is the hold workload on container/heap: every scheduled event
// is a new *boxedEvent, as idiomatic code that keeps events by pointer does.
type boxedHold struct {
	q   boxedQueue
	seq uint64
	t   int64
}

func newBoxedHold(n int) (model, error) {
	m := &boxedHold{}
	r := holdStream()
	var fn func()
	fn = func() { m.push(m.t+int64(expDelay(r)), fn) }
	for range n {
		m.push(int64(expDelay(r)), fn)
	}
	return m, m.run(warmup(n))
}

func (m *boxedHold) push(at int64, fn func()) {
	m.seq++
	heap.Push(&m.q, &boxedEvent{at: at, seq: m.seq, fn: fn})
}

func (m *boxedHold) run(n int) error {
	for range n {
		e := heap.Pop(&m.q).(*boxedEvent)
		m.t = e.at
		e.fn()
	}
	return nil
}

func (m *boxedHold) now() int64 { return m.t }
func (m *boxedHold) close()     { m.q = nil }
