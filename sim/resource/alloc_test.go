package resource_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// handoffAllocs returns the allocations of n hand-offs in steady state:
// env runs in rounds (each a Run that the model stops by calling count
// until left reaches 0), and since a Run allocates a few objects of its
// own, the figure is the difference between rounds of 2n and of n
// hand-offs. testing.AllocsPerRun runs a round first, which grows every
// slice and request record the model needs.
func handoffAllocs(t *testing.T, env *sim.Env, left *int, n int) float64 {
	t.Helper()
	round := func(k int) float64 {
		return testing.AllocsPerRun(20, func() {
			*left = k
			if err := env.Run(); err != nil {
				t.Fatal(err)
			}
			if *left != 0 {
				t.Fatalf("the round stopped with %d hand-offs left", *left)
			}
		})
	}
	one := round(n)
	return round(2*n) - one
}

// count counts one hand-off and stops env after the round's last.
func count(env *sim.Env, left *int) {
	if *left--; *left == 0 {
		env.Stop()
	}
}

// Put and Get on a Store, FIFO and priority, bounded and unbounded, with
// items left in it or not, with the putter waiting for room (backlog -1: it
// never yields) or not, allocate nothing in steady state: the stores reuse
// their request records and item arrays. (TestStorePingPongDoesNotAllocate
// has the getters wait.)
func TestStoreHandoffDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		name    string
		store   func() *resource.Store[int]
		backlog int // items always in the store; -1: the producer never yields and waits in Put
	}{
		{"fifo unbounded", func() *resource.Store[int] { return resource.NewStore[int](0) }, 0},
		{"fifo unbounded with backlog", func() *resource.Store[int] { return resource.NewStore[int](0) }, 5},
		{"fifo bounded", func() *resource.Store[int] { return resource.NewStore[int](1) }, 0},
		{"fifo bounded with backlog", func() *resource.Store[int] { return resource.NewStore[int](4) }, 3},
		{"fifo bounded, putter waits", func() *resource.Store[int] { return resource.NewStore[int](2) }, -1},
		{"priority, putter waits", func() *resource.Store[int] {
			return resource.NewPriorityStore(3, func(a, b int) bool { return a < b })
		}, -1},
		{"priority", func() *resource.Store[int] {
			return resource.NewPriorityStore(2, func(a, b int) bool { return a < b })
		}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, _ := newEnv(t)
			s := c.store()
			left := -1
			sim.Go(env, "producer", func(p *sim.Proc) (struct{}, error) {
				for i := 0; ; i++ {
					if err := s.Put(p, i); err != nil {
						return struct{}{}, err
					}
					if c.backlog >= 0 && i >= c.backlog {
						if err := p.Yield(); err != nil { // let the getter wait first
							return struct{}{}, err
						}
					}
				}
			})
			sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
				for {
					if _, err := s.Get(p); err != nil {
						return struct{}{}, err
					}
					count(env, &left)
					if err := p.Yield(); err != nil {
						return struct{}{}, err
					}
				}
			})
			if n := handoffAllocs(t, env, &left, 1000); n != 0 {
				t.Errorf("%v allocations in 1,000 hand-offs; want 0", n)
			}
		})
	}
}

// The pingpong workload through two Stores (bench/README.md) allocates
// nothing per message.
func TestStorePingPongDoesNotAllocate(t *testing.T) {
	env, _ := newEnv(t)
	ping, pong := resource.NewStore[int](0), resource.NewStore[int](0)
	left := -1
	sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
		for i := 0; ; i++ {
			if err := ping.Put(p, i); err != nil {
				return struct{}{}, err
			}
			if _, err := pong.Get(p); err != nil {
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
		for {
			v, err := ping.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			count(env, &left)
			if err := pong.Put(p, v); err != nil {
				return struct{}{}, err
			}
		}
	})
	if n := handoffAllocs(t, env, &left, 1000); n != 0 {
		t.Errorf("%v allocations in 1,000 messages; want 0", n)
	}
}

// Container hand-offs in both directions (a put that wakes a waiting get,
// a get that wakes a waiting put) allocate nothing in steady state: the
// amounts of waiting requests live in reused records.
func TestContainerHandoffDoesNotAllocate(t *testing.T) {
	env, _ := newEnv(t)
	c := resource.NewContainer(1, 0)
	left := -1
	sim.Go(env, "producer", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := c.Put(p, 1); err != nil { // waits every other time
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := c.Get(p, 1); err != nil {
				return struct{}{}, err
			}
			count(env, &left)
		}
	})
	if n := handoffAllocs(t, env, &left, 1000); n != 0 {
		t.Errorf("%v allocations in 1,000 hand-offs; want 0", n)
	}
	if c.Level() < 0 || c.Level() > 1 {
		t.Errorf("level %v; want within [0, 1]", c.Level())
	}
}

// A Resource's hand-over (Release waking the first waiting request), FIFO
// and priority, allocates nothing in steady state.
func TestResourceHandoffDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		name string
		res  func() *resource.Resource
	}{
		{"fifo", func() *resource.Resource { return resource.NewResource(1) }},
		{"priority", func() *resource.Resource { return resource.NewPriorityResource(1) }},
		{"preemptive", func() *resource.Resource { return resource.NewPreemptiveResource(1) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, _ := newEnv(t)
			r := c.res()
			left := -1
			for _, name := range []string{"a", "b", "c"} {
				sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
					for {
						if err := r.Request(p); err != nil {
							return struct{}{}, err
						}
						count(env, &left)
						if err := p.Yield(); err != nil { // the others queue meanwhile
							return struct{}{}, err
						}
						r.Release()
					}
				})
			}
			if n := handoffAllocs(t, env, &left, 1000); n != 0 {
				t.Errorf("%v allocations in 1,000 hand-overs; want 0", n)
			}
		})
	}
}

// The same for a sim.Queue and a sim.Lock, the primitives of package sim,
// with the getter waiting on every message.
func TestSimPrimitivesHandoffDoesNotAllocate(t *testing.T) {
	env, _ := newEnv(t)
	q := sim.NewQueue[int](1)
	left := -1
	sim.Go(env, "producer", func(p *sim.Proc) (struct{}, error) {
		for i := 0; ; i++ {
			if err := q.Put(p, i); err != nil {
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
		for {
			if _, err := q.Get(p); err != nil {
				return struct{}{}, err
			}
			count(env, &left)
		}
	})
	if n := handoffAllocs(t, env, &left, 1000); n != 0 {
		t.Errorf("Queue: %v allocations in 1,000 hand-offs; want 0", n)
	}
}

// Property: a FIFO Store whose items are taken from the front and put at
// the back in any order (so that they creep along their array and are
// moved back to its start, or the array grows) hands them out in the order
// they were put, as a plain slice model does.
func TestStoreKeepsOrderAsItemsMove(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New()
		defer env.Close()
		s := resource.NewStore[int](0)
		ops := rapid.SliceOfN(rapid.IntRange(0, 2), 1, 500).Draw(rt, "ops") // 0: get, else put
		var model []int
		var failure string
		sim.Go(env, "t", func(p *sim.Proc) (struct{}, error) {
			next := 0
			for i, op := range ops {
				if op == 0 && len(model) > 0 {
					v, err := s.Get(p)
					if err != nil || v != model[0] {
						failure = fmt.Sprintf("op %d: Get = %d, %v; want %d", i, v, err, model[0])
						return struct{}{}, nil
					}
					model = model[1:]
					continue
				}
				if err := s.Put(p, next); err != nil {
					failure = fmt.Sprintf("op %d: Put: %v", i, err)
					return struct{}{}, nil
				}
				model = append(model, next)
				next++
			}
			if got := s.Items(); !slices.Equal(got, model) {
				failure = fmt.Sprintf("Items = %v; want %v", got, model)
			}
			return struct{}{}, nil
		})
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		if failure != "" {
			rt.Fatal(failure)
		}
	})
}
