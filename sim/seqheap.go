package sim

// seqItem is an item with its insertion number, which breaks ties between
// items of equal priority (and orders the items of a FIFO store).
type seqItem[T any] struct {
	v   T
	seq uint64
}

// seqBefore reports whether a leaves before b: the lesser by less first,
// and of equal ones the one inserted first, so that the order is stable.
func seqBefore[T any](a, b *seqItem[T], less func(a, b T) bool) bool {
	if less(a.v, b.v) {
		return true
	}
	if less(b.v, a.v) {
		return false
	}
	return a.seq < b.seq
}

// seqUp moves h[i] up the binary min-heap h, ordered by seqBefore.
func seqUp[T any](h []seqItem[T], i int, less func(a, b T) bool) {
	for i > 0 {
		parent := (i - 1) / 2
		if !seqBefore(&h[i], &h[parent], less) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// seqDown moves h[i] down the binary min-heap h, ordered by seqBefore.
func seqDown[T any](h []seqItem[T], i int, less func(a, b T) bool) {
	n := len(h)
	for {
		first := i
		if l := 2*i + 1; l < n && seqBefore(&h[l], &h[first], less) {
			first = l
		}
		if r := 2*i + 2; r < n && seqBefore(&h[r], &h[first], less) {
			first = r
		}
		if first == i {
			return
		}
		h[i], h[first] = h[first], h[i]
		i = first
	}
}
