package queuetest_test

import (
	"container/heap"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
)

// atOnly is a broken queue: a binary heap (container/heap) ordered by At
// alone, so Key is ignored. With full set, it is a correct queue.
type atOnly struct{ es atHeap }

type atHeap struct {
	es   []scheduler.Entry[int]
	full bool // order by Entry.Less, not by At alone
}

func (h *atHeap) Len() int { return len(h.es) }
func (h *atHeap) Less(i, j int) bool {
	if h.full {
		return h.es[i].Less(&h.es[j])
	}
	return h.es[i].At < h.es[j].At
}
func (h *atHeap) Swap(i, j int) { h.es[i], h.es[j] = h.es[j], h.es[i] }
func (h *atHeap) Push(x any)    { h.es = append(h.es, x.(scheduler.Entry[int])) }
func (h *atHeap) Pop() any {
	e := h.es[len(h.es)-1]
	h.es = h.es[:len(h.es)-1]
	return e
}

func (q *atOnly) Push(e scheduler.Entry[int]) { heap.Push(&q.es, e) }
func (q *atOnly) Pop() scheduler.Entry[int]   { return heap.Pop(&q.es).(scheduler.Entry[int]) }
func (q *atOnly) Len() int                    { return q.es.Len() }

func (q *atOnly) Peek() *scheduler.Entry[int] {
	if q.Len() == 0 {
		return nil
	}
	return &q.es.es[0]
}

func (q *atOnly) PopUntil(limit time.Duration) (scheduler.Entry[int], bool) {
	if q.Len() == 0 || q.es.es[0].At > limit {
		return scheduler.Entry[int]{}, false
	}
	return q.Pop(), true
}

func (q *atOnly) Filter(keep func(*scheduler.Entry[int]) bool) {
	kept := q.es.es[:0]
	for i := range q.es.es {
		if keep(&q.es.es[i]) {
			kept = append(kept, q.es.es[i])
		}
	}
	q.es.es = kept
	heap.Init(&q.es)
}

// exclusive is a broken queue: PopUntil leaves an entry due at the limit.
type exclusive struct{ scheduler.Heap[int] }

func (q *exclusive) PopUntil(limit time.Duration) (scheduler.Entry[int], bool) {
	if p := q.Peek(); p == nil || p.At >= limit {
		return scheduler.Entry[int]{}, false
	}
	return q.Pop(), true
}

// quiet is a broken queue: Pop on an empty queue returns the zero Entry.
type quiet struct{ scheduler.Heap[int] }

func (q *quiet) Pop() scheduler.Entry[int] {
	if q.Len() == 0 {
		return scheduler.Entry[int]{}
	}
	return q.Heap.Pop()
}

// lostKeys is a broken queue: Filter shows keep a copy of each entry, so
// Key changes are lost.
type lostKeys struct{ scheduler.Heap[int] }

func (q *lostKeys) Filter(keep func(*scheduler.Entry[int]) bool) {
	q.Heap.Filter(func(e *scheduler.Entry[int]) bool {
		c := *e
		return keep(&c)
	})
}

// capped is a broken queue: it drops pushes beyond 10000 entries.
type capped struct{ scheduler.Heap[int] }

func (q *capped) Push(e scheduler.Entry[int]) {
	if q.Len() < 10000 {
		q.Heap.Push(e)
	}
}

// TestNaiveQueue checks that a correct queue built another way, a binary
// heap on container/heap, passes: the kit asks only for what Queue
// promises.
func TestNaiveQueue(t *testing.T) {
	queuetest.TestQueue(t, func() scheduler.Queue[int] { return &atOnly{es: atHeap{full: true}} })
}

// TestBrokenQueues runs the kit on queues with one bug each and checks
// which checks fail, and the whole message of one of them.
func TestBrokenQueues(t *testing.T) {
	orders := func(prefix string, names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, prefix+n)
		}
		return out
	}
	tests := []struct {
		name     string
		newQueue func() scheduler.Queue[int]
		failed   []string // the names of the checks that fail, in order
		check    string   // the check whose message is msg
		msg      string
	}{
		{
			"key ignored", func() scheduler.Queue[int] { return &atOnly{} },
			slices.Concat(
				[]string{"PeekPop", "PopUntil", "Filter", "FilterKeys"},
				orders("Order/", "ties", "instant", "nearmax", "nearmin", "bothends", "bursts", "clusters"),
				orders("Bulk/", "ties", "instant", "nearmax", "nearmin", "bothends", "bursts", "past", "clusters"),
				orders("Hold/", "exponential", "uniform", "bimodal", "triangular"),
				orders("Set/", "fifo", "lifo", "random", "cancel")),
			"PopUntil",
			"Peek() = {At:10 Key:0x2 Value:2}, want {At:10 Key:0x1 Value:1}\n" +
				"\toperations 1 to 4: Push({At:10 Key:0x2 Value:2}); Push({At:20 Key:0x3 Value:3}); " +
				"Push({At:10 Key:0x1 Value:1}); PopUntil(MinInt64)",
		},
		{
			"PopUntil exclusive", func() scheduler.Queue[int] { return &exclusive{} },
			slices.Concat(
				[]string{"PopUntil"},
				orders("Order/", "ties", "instant", "exponential", "anyint64", "nearmax", "nearmin", "bothends", "bursts", "past", "clusters"),
				orders("Set/", "fifo", "lifo", "random")),
			"PopUntil",
			"PopUntil(10) returned ok=false, want {At:10 Key:0x1 Value:1}\n" +
				"\toperations 1 to 6: Push({At:10 Key:0x2 Value:2}); Push({At:20 Key:0x3 Value:3}); " +
				"Push({At:10 Key:0x1 Value:1}); PopUntil(MinInt64); PopUntil(9); PopUntil(10)",
		},
		{
			"Pop on empty does not panic", func() scheduler.Queue[int] { return &quiet{} },
			[]string{"Empty"},
			"Empty",
			"Pop() on a new queue did not panic\n\toperations 1 to 1: new queue",
		},
		{
			"Filter loses Key changes", func() scheduler.Queue[int] { return &lostKeys{} },
			[]string{"FilterKeys"},
			"FilterKeys",
			"Peek() = {At:4 Key:0x133 Value:306}, want {At:4 Key:0x1 Value:306}\n" +
				"\toperations 594 to 601: Pop(); Pop(); Pop(); Pop(); Pop(); Pop(); Pop(); Filter(renumbered Keys)",
		},
		{
			"capacity 10000", func() scheduler.Queue[int] { return &capped{} },
			orders("Bulk/", "ties", "instant", "exponential", "anyint64", "nearmax", "nearmin", "bothends", "bursts", "past", "clusters"),
			"Bulk/instant",
			"Len() = 10000 after 20000 pushes into an empty queue\n\toperations 1 to 1: Push 20000 entries",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := queuetest.Check(tt.newQueue)
			j, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("Check returned %v, want the errors of %d checks", err, len(tt.failed))
			}
			var failed []string
			msg := ""
			for _, e := range j.Unwrap() {
				name, m, _ := strings.Cut(e.Error(), ": ")
				failed = append(failed, name)
				if name == tt.check {
					msg = m
				}
			}
			if !slices.Equal(failed, tt.failed) {
				t.Errorf("failed checks:\n%q\nwant\n%q", failed, tt.failed)
			}
			if msg != tt.msg {
				t.Errorf("%s: message\n%s\nwant\n%s", tt.check, msg, tt.msg)
			}
		})
	}
}

// TestMisuse checks the panics for a nil newQueue and one that returns nil.
func TestMisuse(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"Check nil", func() { queuetest.Check(nil) }, "queuetest: Check: nil newQueue"},
		{"Check returns nil", func() { queuetest.Check(func() scheduler.Queue[int] { return nil }) },
			"queuetest: Check: newQueue returned nil"},
		{"TestQueue nil", func() { queuetest.TestQueue(t, nil) }, "queuetest: TestQueue: nil newQueue"},
		{"Benchmark nil", func() { queuetest.Benchmark(nil, nil) }, "queuetest: Benchmark: nil newQueue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := fmt.Sprint(recover()); got != tt.want {
					t.Errorf("panic %q, want %q", got, tt.want)
				}
			}()
			tt.f()
		})
	}
}
