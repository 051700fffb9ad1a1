// Package seqheap is a stable binary min-heap of items with insertion
// numbers, shared by sim's priority Queue and resource's priority Store:
// items of equal priority leave in the order they were inserted.
package seqheap

// Item is an item with its insertion number, which breaks ties between
// items of equal priority (and orders the items of a FIFO store).
type Item[T any] struct {
	V   T
	Seq uint64
}

// Before reports whether a leaves before b: the lesser by less first,
// and of equal ones the one inserted first, so that the order is stable.
func Before[T any](a, b *Item[T], less func(a, b T) bool) bool {
	if less(a.V, b.V) {
		return true
	}
	if less(b.V, a.V) {
		return false
	}
	return a.Seq < b.Seq
}

// Up moves h[i] up the binary min-heap h, ordered by Before.
func Up[T any](h []Item[T], i int, less func(a, b T) bool) {
	for i > 0 {
		parent := (i - 1) / 2
		if !Before(&h[i], &h[parent], less) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// Down moves h[i] down the binary min-heap h, ordered by Before.
func Down[T any](h []Item[T], i int, less func(a, b T) bool) {
	n := len(h)
	for {
		first := i
		if l := 2*i + 1; l < n && Before(&h[l], &h[first], less) {
			first = l
		}
		if r := 2*i + 2; r < n && Before(&h[r], &h[first], less) {
			first = r
		}
		if first == i {
			return
		}
		h[i], h[first] = h[first], h[i]
		i = first
	}
}
