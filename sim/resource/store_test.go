package resource_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

func TestStoreProducerConsumer(t *testing.T) {
	env, log := newEnv(t)
	s := resource.NewStore[string](2)
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for _, v := range []string{"a", "b", "c", "d"} {
			if err := s.Put(p, v); err != nil {
				return 0, err
			}
			log.Add("producer", "put %s %v", v, s.Items())
		}
		return 0, nil
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		for range 4 {
			p.Sleep(time.Second)
			v, err := s.Get(p)
			if err != nil {
				return 0, err
			}
			log.Add("consumer", "got %s", v)
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s producer put a [a]",
		"0s producer put b [a b]",
		"1s consumer got a",
		"1s producer put c [b c]",
		"2s consumer got b",
		"2s producer put d [c d]",
		"3s consumer got c",
		"4s consumer got d",
	)
	if s.Len() != 0 || s.Cap() != 2 {
		t.Errorf("Len %d, Cap %d; want 0, 2", s.Len(), s.Cap())
	}
}

// Two getters want different items; the second is served first because
// its item arrives first, and a getter served then cancelled puts its item
// back for the next one.
func TestFilterStoreGetters(t *testing.T) {
	env, log := newEnv(t)
	s := resource.NewStore[string](0)
	getter := func(name, want string) *sim.Task[int] {
		return sim.Go(env, name, func(p *sim.Proc) (int, error) {
			v, err := s.GetMatch(p, func(v string) bool { return v == want })
			log.Add(name, "got %q, %v", v, err)
			return 0, nil
		})
	}
	getter("g1", "red")
	getter("g2", "blue")
	g3 := getter("g3", "green")
	getter("g4", "green")
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for _, v := range []string{"blue", "yellow", "red", "green"} {
			p.Sleep(time.Second)
			s.Put(p, v)
			log.Add("producer", "put %s, left %v", v, s.Items())
		}
		g3.Cancel("gone")
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s producer put blue, left []",
		"1s g2 got \"blue\", <nil>",
		"2s producer put yellow, left [yellow]",
		"3s producer put red, left [yellow]",
		"3s g1 got \"red\", <nil>",
		"4s producer put green, left [yellow]",
		"4s g3 got \"\", cancelled: gone",
		"4s g4 got \"green\", <nil>",
	)
	if got := s.Items(); !slices.Equal(got, []string{"yellow"}) {
		t.Errorf("Items = %v; want [yellow]", got)
	}
}

func TestPriorityStoreOrder(t *testing.T) {
	env, log := newEnv(t)
	type job struct {
		prio int
		name string
	}
	s := resource.NewPriorityStore(0, func(a, b job) bool { return a.prio < b.prio })
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		for _, j := range []job{{2, "a"}, {1, "b"}, {2, "c"}, {0, "d"}, {1, "e"}} {
			s.Put(p, j)
		}
		log.Add("t", "items %v", s.Items())
		for s.Len() > 0 {
			j, _ := s.Get(p)
			log.Add("t", "got %s", j.name)
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s t items [{0 d} {1 b} {1 e} {2 a} {2 c}]",
		"0s t got d", "0s t got b", "0s t got e", "0s t got a", "0s t got c",
	)
	mustPanic(t, "resource: NewPriorityStore called with a nil less function", func() { resource.NewPriorityStore[int](0, nil) })
}

// storeOps adapts the three stores to one interface for the property test.
type storeOps struct {
	put   func(p *sim.Proc, v int) error
	get   func(p *sim.Proc, m int) (int, error)
	items func() []int
}

// Property: producers and consumers (which, on a FilterStore, want items
// of some residue) with random sleeps, cancellations and interrupts never
// lose nor duplicate an item: what was got plus what is left is what was
// put.
func TestStoreConservesItems(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		capacity := rapid.IntRange(0, 3).Draw(rt, "capacity")
		var ops storeOps
		switch kind := rapid.IntRange(0, 2).Draw(rt, "kind"); kind {
		case 0:
			s := resource.NewStore[int](capacity)
			ops = storeOps{s.Put, func(p *sim.Proc, _ int) (int, error) { return s.Get(p) }, s.Items}
		case 1:
			s := resource.NewStore[int](capacity)
			ops = storeOps{s.Put, func(p *sim.Proc, m int) (int, error) {
				if m == 0 {
					return s.Get(p)
				}
				return s.GetMatch(p, func(v int) bool { return v%m == 0 })
			}, s.Items}
		default:
			s := resource.NewPriorityStore(capacity, func(a, b int) bool { return a%7 < b%7 })
			ops = storeOps{s.Put, func(p *sim.Proc, _ int) (int, error) { return s.Get(p) }, s.Items}
		}
		var put, got []int
		var tasks []*sim.Task[int]
		run := func(name string, body func(p *sim.Proc, k int) error, n int, sleeps []int) {
			tasks = append(tasks, sim.Go(env, name, func(p *sim.Proc) (int, error) {
				for k := range n {
					err := p.Sleep(time.Duration(sleeps[k%len(sleeps)]) * time.Second)
					if err == nil {
						err = body(p, k)
					}
					if errors.Is(err, sim.ErrCancelled) {
						return 0, err
					}
					if err != nil && !errors.Is(err, sim.ErrInterrupted) {
						rt.Fatalf("%s: %v", name, err)
					}
				}
				return 0, nil
			}))
		}
		for i := range rapid.IntRange(1, 3).Draw(rt, "producers") {
			sleeps := rapid.SliceOfN(rapid.IntRange(0, 2), 1, 4).Draw(rt, fmt.Sprint("psleeps", i))
			n := rapid.IntRange(1, 6).Draw(rt, fmt.Sprint("puts", i))
			run(fmt.Sprint("p", i), func(p *sim.Proc, k int) error {
				v := i*1000 + k
				err := ops.put(p, v)
				if err == nil {
					put = append(put, v)
				}
				return err
			}, n, sleeps)
		}
		for i := range rapid.IntRange(1, 3).Draw(rt, "consumers") {
			sleeps := rapid.SliceOfN(rapid.IntRange(0, 2), 1, 4).Draw(rt, fmt.Sprint("csleeps", i))
			n := rapid.IntRange(1, 6).Draw(rt, fmt.Sprint("gets", i))
			m := rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("match", i))
			run(fmt.Sprint("c", i), func(p *sim.Proc, k int) error {
				v, err := ops.get(p, m)
				if err == nil {
					got = append(got, v)
				}
				return err
			}, n, sleeps)
		}
		for i := range rapid.IntRange(0, len(tasks)).Draw(rt, "stops") {
			victim := tasks[rapid.IntRange(0, len(tasks)-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 8).Draw(rt, fmt.Sprint("at", i))) * time.Second
			interrupt := rapid.Bool().Draw(rt, fmt.Sprint("interrupt", i))
			env.CallAt(at, func() {
				if interrupt {
					victim.Interrupt("stop")
				} else {
					victim.Cancel("")
				}
			})
		}
		if err := env.Run(); err != nil && !errors.Is(err, sim.ErrDeadlock) {
			rt.Fatal(err)
		}
		if capacity > 0 && len(ops.items()) > capacity {
			rt.Fatalf("%d items in a store of %d", len(ops.items()), capacity)
		}
		a := slices.Sorted(slices.Values(put))
		b := slices.Sorted(slices.Values(append(slices.Clone(got), ops.items()...)))
		if !slices.Equal(a, b) {
			rt.Fatalf("put %v; got %v, left %v", put, got, ops.items())
		}
	})
}
