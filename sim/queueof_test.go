package sim_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
	"github.com/vtsim/vtsim/sim"
)

// sortedQueue is a user's own event queue: a slice kept sorted, least entry
// last. It is slow (O(n) a push) and obviously right.
type sortedQueue[T any] struct{ es []scheduler.Entry[T] }

func (q *sortedQueue[T]) Push(e scheduler.Entry[T]) {
	i, _ := slices.BinarySearchFunc(q.es, e, func(a, b scheduler.Entry[T]) int {
		if b.Less(&a) {
			return -1
		}
		return 1
	})
	q.es = slices.Insert(q.es, i, e)
}

func (q *sortedQueue[T]) Pop() scheduler.Entry[T] {
	e := q.es[len(q.es)-1]
	q.es = q.es[:len(q.es)-1]
	return e
}

func (q *sortedQueue[T]) Peek() *scheduler.Entry[T] {
	if len(q.es) == 0 {
		return nil
	}
	return &q.es[len(q.es)-1]
}

func (q *sortedQueue[T]) PopUntil(limit time.Duration) (scheduler.Entry[T], bool) {
	if len(q.es) == 0 || q.es[len(q.es)-1].At > limit {
		return scheduler.Entry[T]{}, false
	}
	return q.Pop(), true
}

func (q *sortedQueue[T]) Len() int { return len(q.es) }

func (q *sortedQueue[T]) Filter(keep func(*scheduler.Entry[T]) bool) {
	kept := q.es[:0]
	for i := range q.es {
		if keep(&q.es[i]) { // keep may change the Key in place
			kept = append(kept, q.es[i])
		}
	}
	clear(q.es[len(kept):])
	q.es = kept
}

// TestWithQueueOf: a queue of the user's own that passes the queuetest kit
// carries an Env's events in the same order as the built-in heap, ties and
// cancellations included.
func TestWithQueueOf(t *testing.T) {
	if err := queuetest.Check(func() scheduler.Queue[int] { return &sortedQueue[int]{} }); err != nil {
		t.Fatalf("the test's own queue fails the kit: %v", err)
	}
	run := func(opt sim.Option) []string {
		env, log := newEnv(t, opt)
		var cancelMe sim.Handle
		for i, d := range []time.Duration{3, 1, 2, 1, 3, 2} {
			h := env.CallLater(d*time.Second, func() { log.Add("cb", "%d", i) })
			if i == 2 {
				cancelMe = h
			}
		}
		sim.Go(env, "t", func(p *sim.Proc) (int, error) {
			for range 3 {
				if err := p.Sleep(time.Second); err != nil {
					return 0, err
				}
				log.Add("t", "tick")
			}
			return 0, nil
		})
		env.CallLater(1500*time.Millisecond, func() { cancelMe.Cancel() })
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		return log.Lines
	}
	heap := run(sim.WithQueue(scheduler.HeapQueue))
	own := run(sim.WithQueueOf(func() scheduler.Queue[func()] { return &sortedQueue[func()]{} }))
	if !slices.Equal(heap, own) {
		t.Errorf("own queue:\n%v\nheap:\n%v", own, heap)
	}
	mustPanic(t, "sim: WithQueueOf called with a nil function", func() { sim.WithQueueOf(nil) })
	mustPanic(t, "sim: WithQueueOf: the function returned a nil or non-empty queue", func() {
		sim.New(sim.WithQueueOf(func() scheduler.Queue[func()] { return nil }))
	})
}

// A user's own event queue (here a sorted slice) runs an Env.
func ExampleWithQueueOf() {
	env := sim.New(sim.WithQueueOf(func() scheduler.Queue[func()] { return &sortedQueue[func()]{} }))
	defer env.Close()
	for i, d := range []time.Duration{2, 1, 2} {
		env.CallLater(d*time.Second, func() { fmt.Println(env.Now(), i) })
	}
	fmt.Println(env.Run())
	// Output:
	// 1s 1
	// 2s 0
	// 2s 2
	// <nil>
}
