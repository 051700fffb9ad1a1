package scheduler_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// popAll pops every live entry of s and returns their values in order.
func popAll[T any](s *scheduler.Set[T]) []T {
	var vs []T
	for {
		e, ok := s.Pop()
		if !ok {
			return vs
		}
		vs = append(vs, e.Value)
	}
}

type push struct {
	at   time.Duration
	prio int8
}

func TestTieBreakOrder(t *testing.T) {
	same := []push{{time.Second, 0}, {time.Second, 0}, {time.Second, 0}, {time.Second, 0}, {time.Second, 0}}
	mixed := []push{{time.Second, 1}, {time.Second, 0}, {time.Second, 1}, {time.Second, -1}, {time.Second, 0}, {time.Second, 1}}
	tests := []struct {
		name   string
		tb     scheduler.TieBreak
		pushes []push
		want   []int // push numbers in pop order
	}{
		{"fifo equal", scheduler.FIFO, same, []int{0, 1, 2, 3, 4}},
		{"lifo equal", scheduler.LIFO, same, []int{4, 3, 2, 1, 0}},
		{"fifo priorities", scheduler.FIFO, mixed, []int{3, 1, 4, 0, 2, 5}},
		{"lifo priorities", scheduler.LIFO, mixed, []int{3, 4, 1, 5, 2, 0}},
		{"time before priority", scheduler.FIFO,
			[]push{{2 * time.Second, -5}, {time.Second, 5}, {3 * time.Second, -9}, {time.Second, 4}},
			[]int{3, 1, 0, 2}},
		{"lifo only among equals", scheduler.LIFO,
			[]push{{time.Second, 0}, {2 * time.Second, 0}, {time.Second, 0}, {0, 0}, {2 * time.Second, 0}},
			[]int{3, 2, 0, 4, 1}},
		{"negative times and priorities", scheduler.FIFO,
			[]push{{0, 0}, {-time.Second, 0}, {-time.Second, -1}, {-2 * time.Second, 3}},
			[]int{3, 2, 1, 0}},
	}
	for _, tt := range tests {
		for _, k := range kinds {
			t.Run(tt.name+"/"+k.String(), func(t *testing.T) {
				s := scheduler.NewSet(scheduler.New[int](k), tt.tb, 1)
				for i, p := range tt.pushes {
					s.Push(p.at, p.prio, i)
				}
				if s.Len() != len(tt.pushes) || s.Pushed() != uint64(len(tt.pushes)) {
					t.Fatalf("Len = %d, Pushed = %d, want %d", s.Len(), s.Pushed(), len(tt.pushes))
				}
				if got := popAll(s); !slices.Equal(got, tt.want) {
					t.Errorf("popped %v, want %v", got, tt.want)
				}
			})
		}
	}
}

// randomOrder pushes n equal entries into a Random set with the given seed
// and returns their pop order.
func randomOrder(k scheduler.Kind, seed uint64, n int) []int {
	s := scheduler.NewSet(scheduler.New[int](k), scheduler.Random, seed)
	for i := range n {
		s.Push(time.Second, 0, i)
	}
	return popAll(s)
}

func TestRandomTieBreak(t *testing.T) {
	const n = 20
	for _, k := range kinds {
		a, b := randomOrder(k, 1, n), randomOrder(k, 1, n)
		if !slices.Equal(a, b) {
			t.Errorf("%v: seed 1 gave %v, then %v", k, a, b)
		}
		if sorted := slices.Sorted(slices.Values(a)); !slices.Equal(sorted, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
			t.Errorf("%v: popped %v, not a permutation of the pushes", k, a)
		}
		if c := randomOrder(k, 2, n); slices.Equal(a, c) {
			t.Errorf("%v: seeds 1 and 2 both gave %v", k, a)
		}
		reversed := slices.Clone(a)
		slices.Reverse(reversed)
		if slices.IsSorted(a) || slices.IsSorted(reversed) {
			t.Errorf("%v: seed 1 gave %v, not shuffled", k, a)
		}
	}
	// The keys come from the Set, so both kinds agree.
	for seed := range uint64(10) {
		if h, c := randomOrder(scheduler.HeapQueue, seed, n), randomOrder(scheduler.CalendarQueue, seed, n); !slices.Equal(h, c) {
			t.Errorf("seed %d: heap gave %v, calendar %v", seed, h, c)
		}
	}
}

// TestRandomKeepsTimeAndPriority checks that the Random policy permutes only
// entries with equal time and priority.
func TestRandomKeepsTimeAndPriority(t *testing.T) {
	for _, k := range kinds {
		for seed := range uint64(20) {
			s := scheduler.NewSet(scheduler.New[int](k), scheduler.Random, seed)
			for i := range 300 {
				s.Push(time.Duration(i%7)*time.Millisecond, int8(i%3), i)
			}
			var last *scheduler.Entry[int]
			for {
				e, ok := s.Pop()
				if !ok {
					break
				}
				if last != nil && (e.At < last.At || e.At == last.At && s.Prio(&e) < s.Prio(last)) {
					t.Fatalf("%v, seed %d: (%v, %d) popped after (%v, %d)", k, seed, e.At, s.Prio(&e), last.At, s.Prio(last))
				}
				last = &e
			}
		}
	}
}

func TestCancel(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.String(), func(t *testing.T) {
			s := scheduler.NewSet(scheduler.New[string](k), scheduler.FIFO, 0)
			a := s.Push(1*time.Second, 0, "a")
			b := s.Push(2*time.Second, 0, "b")
			c := s.Push(3*time.Second, 0, "c")
			steps := []struct {
				name string
				do   func() bool
				want bool
			}{
				{"Pending(b)", func() bool { return s.Pending(b) }, true},
				{"Cancel(b)", func() bool { return s.Cancel(b) }, true},
				{"Pending(b) after cancel", func() bool { return s.Pending(b) }, false},
				{"Len excludes b", func() bool { return s.Len() == 2 }, true},
				{"Cancel(b) again", func() bool { return s.Cancel(b) }, false},
				{"Len unchanged", func() bool { return s.Len() == 2 }, true},
				{"Cancel(zero Ticket)", func() bool { return s.Cancel(scheduler.Ticket{}) }, false},
				{"Pending(zero Ticket)", func() bool { return s.Pending(scheduler.Ticket{}) }, false},
				{"Pop gives a", func() bool { e, ok := s.Pop(); return ok && e.Value == "a" }, true},
				{"Pending(a) after pop", func() bool { return s.Pending(a) }, false},
				{"Cancel(a) after pop", func() bool { return s.Cancel(a) }, false},
				{"Len after pop", func() bool { return s.Len() == 1 }, true},
				{"Peek skips b", func() bool { p := s.Peek(); return p != nil && p.Value == "c" }, true},
				{"Pending(c)", func() bool { return s.Pending(c) }, true},
				{"Cancel(c)", func() bool { return s.Cancel(c) }, true},
				{"empty", func() bool { return s.Len() == 0 && s.Peek() == nil }, true},
				{"Pop on empty", func() bool { _, ok := s.Pop(); return ok }, false},
			}
			for _, st := range steps {
				if got := st.do(); got != st.want {
					t.Fatalf("%s = %v, want %v", st.name, got, st.want)
				}
			}
			// A slot freed by a pop is reused; the old ticket must not
			// cancel the new entry.
			d := s.Push(4*time.Second, 0, "d")
			if s.Cancel(a) || s.Cancel(b) || s.Cancel(c) || !s.Pending(d) {
				t.Fatal("an old ticket cancelled a new entry")
			}
		})
	}
}

// TestCancelCompaction cancels more than 64 entries and more than half of
// them, which makes the Set filter its queue, and checks order and Len.
func TestCancelCompaction(t *testing.T) {
	for _, k := range kinds {
		for _, tb := range []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO} {
			t.Run(k.String()+"/"+tb.String(), func(t *testing.T) {
				const n = 300
				s := scheduler.NewSet(scheduler.New[int](k), tb, 0)
				tickets := make([]scheduler.Ticket, n)
				for i := range n {
					tickets[i] = s.Push(time.Duration(i%10)*time.Second, 0, i)
				}
				var want []int
				cancelled := 0
				for i := range n {
					if i%5 == 0 {
						want = append(want, i)
						continue
					}
					if !s.Cancel(tickets[i]) {
						t.Fatalf("Cancel(%d) = false", i)
					}
					cancelled++
					if s.Len() != n-cancelled {
						t.Fatalf("Len = %d after %d cancels, want %d", s.Len(), cancelled, n-cancelled)
					}
				}
				if s.Len() != len(want) {
					t.Fatalf("Len = %d, want %d", s.Len(), len(want))
				}
				for i := range n {
					if got := s.Pending(tickets[i]); got != (i%5 == 0) {
						t.Fatalf("Pending(%d) = %v", i, got)
					}
				}
				slices.SortStableFunc(want, func(a, b int) int { return a%10 - b%10 })
				if tb == scheduler.LIFO {
					slices.SortStableFunc(want, func(a, b int) int {
						if a%10 != b%10 {
							return a%10 - b%10
						}
						return b - a
					})
				}
				if got := popAll(s); !slices.Equal(got, want) {
					t.Errorf("popped %v\nwant %v", got, want)
				}
			})
		}
	}
}

// TestCancelAll cancels every entry. With 65 entries the last cancel
// compacts the queue to nothing.
func TestCancelAll(t *testing.T) {
	for _, k := range kinds {
		for _, n := range []int{65, 100} {
			testCancelAll(t, k, n)
		}
	}
}

func testCancelAll(t *testing.T, k scheduler.Kind, n int) {
	t.Helper()
	s := scheduler.NewSet(scheduler.New[int](k), scheduler.FIFO, 0)
	var tickets []scheduler.Ticket
	for i := range n {
		tickets = append(tickets, s.Push(time.Duration(i), 0, i))
	}
	for i, tk := range tickets {
		if !s.Cancel(tk) {
			t.Fatalf("%v, n=%d: Cancel(%d) = false", k, n, i)
		}
	}
	if s.Len() != 0 || s.Peek() != nil {
		t.Fatalf("%v, n=%d: Len = %d after cancelling everything", k, n, s.Len())
	}
	if _, ok := s.Pop(); ok {
		t.Fatalf("%v, n=%d: Pop after cancelling everything returned an entry", k, n)
	}
	s.Push(5, 0, 500)
	if e, ok := s.Pop(); !ok || e.Value != 500 {
		t.Fatalf("%v, n=%d: Pop = %v, %v after refilling", k, n, e.Value, ok)
	}
}

func TestPopUntil(t *testing.T) {
	for _, k := range kinds {
		s := scheduler.NewSet(scheduler.New[int](k), scheduler.FIFO, 0)
		s.Push(3*time.Second, 0, 3)
		s.Cancel(s.Push(time.Second, 0, 1))
		s.Push(2*time.Second, 0, 2)
		if _, ok := s.PopUntil(time.Second); ok {
			t.Fatalf("%v: PopUntil(1s) returned the cancelled entry", k)
		}
		if e, ok := s.PopUntil(2 * time.Second); !ok || e.Value != 2 {
			t.Fatalf("%v: PopUntil(2s) = %v, %v", k, e.Value, ok)
		}
		if _, ok := s.PopUntil(2 * time.Second); ok {
			t.Fatalf("%v: PopUntil(2s) again returned an entry", k)
		}
		if e, ok := s.PopUntil(time.Hour); !ok || e.Value != 3 {
			t.Fatalf("%v: PopUntil(1h) = %v, %v", k, e.Value, ok)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range kinds {
		got, err := scheduler.ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	tests := []struct{ in, msg string }{
		{"", `scheduler: unknown queue kind: "" (allowed: heap, calendar)`},
		{"Heap", `scheduler: unknown queue kind: "Heap" (allowed: heap, calendar)`},
		{"ladder", `scheduler: unknown queue kind: "ladder" (allowed: heap, calendar)`},
	}
	for _, tt := range tests {
		_, err := scheduler.ParseKind(tt.in)
		if !errors.Is(err, scheduler.ErrUnknownKind) {
			t.Errorf("ParseKind(%q) error %v does not match ErrUnknownKind", tt.in, err)
		}
		if err == nil || err.Error() != tt.msg {
			t.Errorf("ParseKind(%q) error = %v, want %s", tt.in, err, tt.msg)
		}
	}
	if s := scheduler.Kind(9).String(); s != "Kind(9)" {
		t.Errorf("Kind(9).String() = %q", s)
	}
}

func TestParseTieBreak(t *testing.T) {
	for _, tb := range tieBreaks {
		got, err := scheduler.ParseTieBreak(tb.String())
		if err != nil || got != tb {
			t.Errorf("ParseTieBreak(%q) = %v, %v", tb.String(), got, err)
		}
	}
	tests := []struct{ in, msg string }{
		{"", `scheduler: unknown tie-break policy: "" (allowed: fifo, lifo, random)`},
		{"FIFO", `scheduler: unknown tie-break policy: "FIFO" (allowed: fifo, lifo, random)`},
		{"shuffle", `scheduler: unknown tie-break policy: "shuffle" (allowed: fifo, lifo, random)`},
	}
	for _, tt := range tests {
		_, err := scheduler.ParseTieBreak(tt.in)
		if !errors.Is(err, scheduler.ErrUnknownTieBreak) {
			t.Errorf("ParseTieBreak(%q) error %v does not match ErrUnknownTieBreak", tt.in, err)
		}
		if err == nil || err.Error() != tt.msg {
			t.Errorf("ParseTieBreak(%q) error = %v, want %s", tt.in, err, tt.msg)
		}
	}
	if s := scheduler.TieBreak(7).String(); s != "TieBreak(7)" {
		t.Errorf("TieBreak(7).String() = %q", s)
	}
}

func TestMisusePanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"NewSet nil queue", func() { scheduler.NewSet[int](nil, scheduler.FIFO, 0) }, "scheduler: NewSet: nil queue"},
		{"NewSet unknown policy", func() { scheduler.NewSet(scheduler.New[int](scheduler.HeapQueue), 3, 0) },
			"scheduler: NewSet: unknown tie-break policy 3 (allowed: FIFO, LIFO, Random)"},
		{"New unknown kind", func() { scheduler.New[int](5) },
			"scheduler: New: unknown queue kind 5 (allowed: HeapQueue, CalendarQueue)"},
		{"Calendar Pop on empty", func() { scheduler.NewCalendar[int]().Pop() }, "scheduler: Pop on empty Calendar"},
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
