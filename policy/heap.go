package policy

// entry is a job in a queue ordered by key, ties by seq (arrival order).
type entry struct {
	key float64
	seq uint64
	job int32
}

func (a entry) less(b entry) bool {
	return a.key < b.key || a.key == b.key && a.seq < b.seq
}

// minHeap is a binary min-heap of entries. Its zero value is empty.
type minHeap struct {
	e []entry
}

func (h *minHeap) len() int { return len(h.e) }

func (h *minHeap) top() entry { return h.e[0] }

func (h *minHeap) push(x entry) {
	h.e = append(h.e, x)
	e := h.e
	i := len(e) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !x.less(e[p]) {
			break
		}
		e[i] = e[p]
		i = p
	}
	e[i] = x
}

func (h *minHeap) pop() entry {
	e := h.e
	top := e[0]
	n := len(e) - 1
	x := e[n]
	h.e = e[:n]
	e = e[:n]
	if n == 0 {
		return top
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && e[r].less(e[l]) {
			l = r
		}
		if !e[l].less(x) {
			break
		}
		e[i] = e[l]
		i = l
	}
	e[i] = x
	return top
}

// ring is a FIFO queue of job indices. Its zero value is empty.
type ring struct {
	b          []int32
	head, size int
}

func (r *ring) len() int { return r.size }

func (r *ring) push(j int32) {
	if r.size == len(r.b) {
		nb := make([]int32, max(8, 2*len(r.b)))
		for i := range r.size {
			nb[i] = r.b[(r.head+i)%len(r.b)]
		}
		r.b, r.head = nb, 0
	}
	r.b[(r.head+r.size)%len(r.b)] = j
	r.size++
}

func (r *ring) pop() int32 {
	j := r.b[r.head]
	r.head++
	if r.head == len(r.b) {
		r.head = 0
	}
	r.size--
	return j
}
