package scheduler_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

func ExampleNewSet() {
	s := scheduler.NewSet(scheduler.New[string](scheduler.HeapQueue), scheduler.FIFO, 0)
	s.Push(2*time.Second, 0, "tick")
	s.Push(time.Second, 0, "first")
	s.Push(time.Second, 0, "second")  // same time and priority: after "first"
	s.Push(time.Second, -1, "urgent") // same time, lower priority: before both
	for {
		e, ok := s.Pop()
		if !ok {
			break
		}
		fmt.Println(e.At, e.Value)
	}
	// Output:
	// 1s urgent
	// 1s first
	// 1s second
	// 2s tick
}

func ExampleSet_Cancel() {
	s := scheduler.NewSet(scheduler.New[string](scheduler.CalendarQueue), scheduler.FIFO, 0)
	s.Push(time.Second, 0, "heartbeat")
	timeout := s.Push(5*time.Second, 0, "timeout")
	fmt.Println(s.Len(), s.Pending(timeout))

	fmt.Println(s.Cancel(timeout)) // the reply came in time
	fmt.Println(s.Cancel(timeout)) // a second cancel changes nothing
	fmt.Println(s.Len(), s.Pending(timeout))

	e, _ := s.Pop()
	fmt.Println(e.Value)
	_, ok := s.Pop()
	fmt.Println(ok)
	// Output:
	// 2 true
	// true
	// false
	// 1 false
	// heartbeat
	// false
}

// The Random policy shuffles entries due at the same time with the same
// priority, the same way for the same seed, and never moves an entry across
// a different time or priority.
func ExampleNewSet_random() {
	for _, seed := range []uint64{3, 3, 8} {
		s := scheduler.NewSet(scheduler.New[string](scheduler.HeapQueue), scheduler.Random, seed)
		s.Push(0, 0, "a")
		s.Push(0, 0, "b")
		s.Push(0, 0, "c")
		s.Push(0, 0, "d")
		s.Push(time.Second, 0, "later")
		fmt.Print("seed ", seed, ":")
		for {
			e, ok := s.Pop()
			if !ok {
				break
			}
			fmt.Print(" ", e.Value)
		}
		fmt.Println()
	}
	// Output:
	// seed 3: d a c b later
	// seed 3: d a c b later
	// seed 8: b a d c later
}

func ExampleNewCalendar() {
	c := scheduler.NewCalendar[string]()
	c.Push(scheduler.Entry[string]{At: 3 * time.Hour, Value: "c"})
	c.Push(scheduler.Entry[string]{At: -time.Minute, Value: "a"})
	c.Push(scheduler.Entry[string]{At: time.Millisecond, Value: "b"})
	fmt.Println(c.Peek().Value, c.Len())
	for c.Len() > 0 {
		e := c.Pop()
		fmt.Println(e.At, e.Value)
	}
	// Output:
	// a 3
	// -1m0s a
	// 1ms b
	// 3h0m0s c
}

func ExampleParseKind() {
	k, err := scheduler.ParseKind("calendar")
	fmt.Println(k, err)
	_, err = scheduler.ParseKind("splay")
	fmt.Println(err)
	// Output:
	// calendar <nil>
	// scheduler: unknown queue kind: "splay" (allowed: heap, calendar)
}
