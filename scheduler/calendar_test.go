package scheduler_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

var (
	_ scheduler.Queue[int] = (*scheduler.Calendar[int])(nil)
	_ scheduler.Queue[int] = (*scheduler.Heap[int])(nil)
)

// sortedEntries returns es sorted by Entry.Less.
func sortedEntries(es []scheduler.Entry[int]) []scheduler.Entry[int] {
	s := slices.Clone(es)
	slices.SortFunc(s, func(a, b scheduler.Entry[int]) int {
		switch {
		case a.Less(&b):
			return -1
		case b.Less(&a):
			return 1
		}
		return 0
	})
	return s
}

// TestQueueOrder pushes entries of various distributions into each queue
// kind and checks that they all leave in Entry.Less order.
func TestQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	exp := func(mean float64) time.Duration { return time.Duration(r.ExpFloat64() * mean) }
	tests := []struct {
		name string
		at   func(i int) time.Duration
	}{
		{"exponential", func(int) time.Duration { return exp(1e9) }},
		{"ties", func(int) time.Duration { return time.Duration(r.IntN(3)) }},
		{"one instant", func(int) time.Duration { return 42 }},
		{"ascending", func(i int) time.Duration { return time.Duration(i) * time.Millisecond }},
		{"descending", func(i int) time.Duration { return time.Duration(-i) * time.Millisecond }},
		{"negative", func(int) time.Duration { return -exp(1e6) }},
		{"any int64", func(int) time.Duration { return time.Duration(r.Uint64()) }},
		{"near MaxInt64", func(int) time.Duration { return math.MaxInt64 - time.Duration(r.IntN(5000)) }},
		{"near MinInt64", func(int) time.Duration { return math.MinInt64 + time.Duration(r.IntN(5000)) }},
		{"both ends", func(i int) time.Duration {
			if i%2 == 0 {
				return math.MaxInt64 - time.Duration(r.IntN(3))
			}
			return math.MinInt64 + time.Duration(r.IntN(3))
		}},
		{"bimodal", func(i int) time.Duration {
			if i%10 == 0 {
				return 1e15 + exp(1e9)
			}
			return exp(1e3)
		}},
		{"clusters", func(i int) time.Duration { return time.Duration(i/100) * time.Hour }},
	}
	for _, n := range []int{1, 10, 5000} {
		for _, tt := range tests {
			es := make([]scheduler.Entry[int], n)
			for i := range es {
				es[i] = scheduler.Entry[int]{At: tt.at(i), Key: uint64(r.IntN(3))<<32 | uint64(i), Value: i}
			}
			want := sortedEntries(es)
			for _, k := range kinds {
				q := scheduler.New[int](k)
				for _, e := range es {
					q.Push(e)
				}
				if q.Len() != n {
					t.Fatalf("%s, n=%d, %v: Len = %d", tt.name, n, k, q.Len())
				}
				for i := range want {
					if got := q.Pop(); got != want[i] {
						t.Fatalf("%s, n=%d, %v: Pop %d = %+v, want %+v", tt.name, n, k, i, got, want[i])
					}
				}
				if q.Len() != 0 || q.Peek() != nil {
					t.Fatalf("%s, n=%d, %v: not empty after popping everything", tt.name, n, k)
				}
			}
		}
	}
}

// TestQueueHold runs the hold workload on both kinds side by side: each Pop
// is followed by a Push a random increment later, sometimes earlier than
// the entry just popped.
func TestQueueHold(t *testing.T) {
	for _, n := range []int{1, 100, 10000} {
		r := rand.New(rand.NewPCG(uint64(n), 1))
		h, c := scheduler.New[int](scheduler.HeapQueue), scheduler.New[int](scheduler.CalendarQueue)
		var key uint64
		push := func(at time.Duration) {
			key++
			e := scheduler.Entry[int]{At: at, Key: key, Value: int(key)}
			h.Push(e)
			c.Push(e)
		}
		for range n {
			push(time.Duration(r.ExpFloat64() * 1e9))
		}
		for i := range 100000 {
			want := h.Pop()
			if got := c.Pop(); got != want {
				t.Fatalf("n=%d, op %d: calendar popped %+v, heap %+v", n, i, got, want)
			}
			d := time.Duration(r.ExpFloat64() * 1e9)
			if i%50 == 0 {
				d = -d / 1000 // into the past
			}
			push(want.At + d)
		}
	}
}

func TestCalendarPopEmptyPanics(t *testing.T) {
	defer func() {
		if got, want := recover(), "scheduler: Pop on empty Calendar"; got != want {
			t.Errorf("Pop on empty calendar panicked with %v, want %q", got, want)
		}
	}()
	c := scheduler.NewCalendar[int]()
	c.Push(scheduler.Entry[int]{At: 1})
	c.Pop()
	c.Pop()
}

func TestCalendarZeroValue(t *testing.T) {
	var c scheduler.Calendar[string]
	if c.Len() != 0 || c.Peek() != nil {
		t.Fatal("zero Calendar is not empty")
	}
	c.Filter(func(*scheduler.Entry[string]) bool { return true })
	c.Push(scheduler.Entry[string]{At: 2, Value: "b"})
	c.Push(scheduler.Entry[string]{At: 1, Value: "a"})
	if a, b := c.Pop().Value, c.Pop().Value; a != "a" || b != "b" {
		t.Fatalf("popped %q, %q; want a, b", a, b)
	}
}

// TestCalendarPeek checks that Peek returns the entry Pop returns next, as a
// pointer into the calendar that stays the same until the calendar changes.
func TestCalendarPeek(t *testing.T) {
	c := scheduler.NewCalendar[int]()
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 1000 {
		c.Push(scheduler.Entry[int]{At: time.Duration(r.IntN(1e6)), Key: uint64(i), Value: i})
	}
	for c.Len() > 0 {
		p := c.Peek()
		if q := c.Peek(); q != p {
			t.Fatalf("two Peeks returned %p and %p", p, q)
		}
		want := *p
		if got := c.Pop(); got != want {
			t.Fatalf("Pop = %+v, Peek said %+v", got, want)
		}
	}
}

// TestCalendarPushBeforeLastPop checks that an entry due before the last
// popped one is the next to leave.
func TestCalendarPushBeforeLastPop(t *testing.T) {
	c := scheduler.NewCalendar[int]()
	for i := range 1000 {
		c.Push(scheduler.Entry[int]{At: time.Duration(i) * time.Second, Key: uint64(i)})
	}
	for range 500 {
		c.Pop()
	}
	for _, at := range []time.Duration{-time.Hour, 0, 250 * time.Second, 499 * time.Second} {
		c.Push(scheduler.Entry[int]{At: at, Key: 5000})
		if got := c.Pop(); got.At != at || got.Key != 5000 {
			t.Fatalf("after pushing at %v, Pop = %+v", at, got)
		}
	}
	if got := c.Pop(); got.At != 500*time.Second {
		t.Fatalf("Pop = %+v, want the entry at 500s", got)
	}
}

// TestQueueFilter checks Filter on both kinds: the order of the entries
// kept, and removing everything.
func TestQueueFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, k := range kinds {
		for _, n := range []int{0, 1, 3, 100, 5000} {
			q := scheduler.New[int](k)
			var es []scheduler.Entry[int]
			for i := range n {
				e := scheduler.Entry[int]{At: time.Duration(r.IntN(1000)), Key: uint64(i), Value: i}
				es = append(es, e)
				q.Push(e)
			}
			even := func(e *scheduler.Entry[int]) bool { return e.Value%2 == 0 }
			q.Filter(even)
			want := sortedEntries(slices.DeleteFunc(es, func(e scheduler.Entry[int]) bool { return !even(&e) }))
			if q.Len() != len(want) {
				t.Fatalf("%v, n=%d: Len after Filter = %d, want %d", k, n, q.Len(), len(want))
			}
			for i := range want[:len(want)/2] {
				if got := q.Pop(); got != want[i] {
					t.Fatalf("%v, n=%d: Pop %d = %+v, want %+v", k, n, i, got, want[i])
				}
			}
			q.Filter(func(*scheduler.Entry[int]) bool { return false })
			if q.Len() != 0 || q.Peek() != nil {
				t.Fatalf("%v, n=%d: not empty after filtering everything out", k, n)
			}
			q.Push(scheduler.Entry[int]{At: 3})
			if got := q.Pop(); got.At != 3 {
				t.Fatalf("%v, n=%d: Pop after refilling = %+v", k, n, got)
			}
		}
	}
}

// TestCalendarSameInstant pushes many entries due at one instant, in key
// order, in reverse key order and shuffled. The first two are the FIFO and
// LIFO cases and take O(1) per operation; a quadratic bucket would make this
// test take minutes.
func TestCalendarSameInstant(t *testing.T) {
	const n = 200000
	for _, order := range []string{"up", "down"} {
		c := scheduler.NewCalendar[int]()
		for i := range n {
			k := uint64(i)
			if order == "down" {
				k = n - 1 - k
			}
			c.Push(scheduler.Entry[int]{At: time.Second, Key: k})
		}
		for i := range n {
			if got := c.Pop(); got.Key != uint64(i) {
				t.Fatalf("%s: Pop %d has key %d", order, i, got.Key)
			}
		}
	}
	// Shuffled keys: insertion shifts entries, so fewer of them.
	r := rand.New(rand.NewPCG(1, 1))
	c := scheduler.NewCalendar[int]()
	for _, k := range r.Perm(20000) {
		c.Push(scheduler.Entry[int]{At: time.Second, Key: uint64(k)})
	}
	for i := range 20000 {
		if got := c.Pop(); got.Key != uint64(i) {
			t.Fatalf("shuffled: Pop %d has key %d", i, got.Key)
		}
	}
}

// TestCalendarNoAllocs checks that the hold workload does not allocate
// once the calendar has grown.
func TestCalendarNoAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("warms up 10^6 operations")
	}
	r := rand.New(rand.NewPCG(1, 2))
	c := scheduler.NewCalendar[*int]()
	var key uint64
	v := new(int)
	hold := func() {
		e := c.Pop()
		key++
		e.At += time.Duration(r.ExpFloat64() * 1e9)
		e.Key = key
		c.Push(e)
	}
	for range 10000 {
		key++
		c.Push(scheduler.Entry[*int]{At: time.Duration(r.ExpFloat64() * 1e9), Key: key, Value: v})
	}
	for range 1000000 {
		hold()
	}
	if a := testing.AllocsPerRun(100000, hold); a != 0 {
		t.Errorf("hold allocates %v times per operation", a)
	}
}
