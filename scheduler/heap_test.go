package scheduler_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// TestHeapReplace checks Replace against a sorted slice: every call returns
// the least entry, and the heap then holds the others plus the new one.
// Sizes cover the root alone, a partial last level and several full ones.
func TestHeapReplace(t *testing.T) {
	for _, n := range []int{1, 2, 4, 5, 6, 20, 21, 100, 341, 1000} {
		r := rand.New(rand.NewPCG(uint64(n), 7))
		var h scheduler.Heap[int]
		var ref []scheduler.Entry[int]
		key := uint64(0)
		entry := func() scheduler.Entry[int] {
			key++
			// Few distinct times, so that ties are decided by Key.
			return scheduler.Entry[int]{At: time.Duration(r.IntN(n + 1)), Key: key, Value: int(key)}
		}
		for range n {
			e := entry()
			h.Push(e)
			ref = append(ref, e)
		}
		less := func(a, b scheduler.Entry[int]) int {
			switch {
			case a.Less(&b):
				return -1
			case b.Less(&a):
				return 1
			}
			return 0
		}
		for i := range 3 * n {
			slices.SortFunc(ref, less)
			e := entry()
			got := h.Replace(e)
			if got != ref[0] {
				t.Fatalf("n=%d: Replace #%d returned %+v, want %+v", n, i, got, ref[0])
			}
			ref[0] = e
			if h.Len() != n {
				t.Fatalf("n=%d: Len = %d after Replace, want %d", n, h.Len(), n)
			}
		}
		slices.SortFunc(ref, less)
		for i, want := range ref {
			if got := h.Pop(); got != want {
				t.Fatalf("n=%d: Pop #%d = %+v, want %+v", n, i, got, want)
			}
		}
	}
}

// TestHeapReplaceEmpty checks that Replace on an empty heap panics, as Pop
// does.
func TestHeapReplaceEmpty(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Replace on an empty heap did not panic")
		}
	}()
	var h scheduler.Heap[int]
	h.Replace(scheduler.Entry[int]{})
}
