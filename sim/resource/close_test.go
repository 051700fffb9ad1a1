package resource_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// TestPropertyCloseConservesUnitsAndItems: random models of tasks that
// request and release Resource units (with a deferred Release, as a model
// should), acquire and release Semaphore units, put items into a Store and
// get them out, and move amounts through a Container, are stopped at a
// random instant and closed. Close unwinds every task where it waits; a
// task that was just handed a unit, an item or an amount when it is
// unwound gives it back, as a cancellation would. Afterwards every unit is
// free again, every item put and not got by a task that went on with it is
// in the store, and the container's level is its initial level plus what
// was put minus what was taken by tasks that completed their get.
func TestPropertyCloseConservesUnitsAndItems(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		capacity := rapid.IntRange(1, 3).Draw(rt, "capacity")
		var res *resource.Resource
		kind := rapid.IntRange(0, 2).Draw(rt, "kind")
		switch kind {
		case 0:
			res = resource.NewResource(capacity)
		case 1:
			res = resource.NewPriorityResource(capacity)
		default:
			res = resource.NewPreemptiveResource(capacity)
		}
		sem := sim.NewSemaphore(capacity)
		store := resource.NewStore[int](rapid.IntRange(0, 2).Draw(rt, "store capacity"))
		tank := resource.NewContainer(4, 2)
		put, got := 0, 0 // items that entered the store, and that tasks went on with
		level := 2.0     // the container's level as the tasks' successful calls account for it
		n := rapid.IntRange(1, 10).Draw(rt, "tasks")
		for i := range n {
			start := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("start", i))) * time.Second
			hold := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("hold", i))) * time.Second
			prio := rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("prio", i))
			role := rapid.IntRange(0, 5).Draw(rt, fmt.Sprint("role", i))
			sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				if err := p.Sleep(start); err != nil {
					return 0, err
				}
				switch role {
				case 0: // a resource user
					var err error
					if kind > 0 {
						err = res.RequestPriority(p, prio)
					} else {
						err = res.Request(p)
					}
					if err != nil {
						return 0, err
					}
					held := true
					defer func() {
						if held {
							res.Release()
						}
					}()
					if err := p.Sleep(hold); err != nil {
						held = !isPreempted(err)
						return 0, err
					}
				case 1: // a semaphore user
					if err := sem.Acquire(p); err != nil {
						return 0, err
					}
					defer sem.Release()
					return 0, p.Sleep(hold)
				case 2: // a producer
					for k := range 3 {
						if err := store.Put(p, k); err != nil {
							return 0, err
						}
						put++
						if err := p.Sleep(hold); err != nil {
							return 0, err
						}
					}
				case 3: // a consumer
					for range 3 {
						if _, err := store.Get(p); err != nil {
							return 0, err
						}
						got++
					}
				case 4: // fills the tank
					if err := tank.Put(p, 1.5); err != nil {
						return 0, err
					}
					level += 1.5
				default: // drains it
					if err := tank.Get(p, 2.5); err != nil {
						return 0, err
					}
					level -= 2.5
				}
				return 0, nil
			})
		}
		stop := time.Duration(rapid.IntRange(0, 8).Draw(rt, "stop")) * time.Second / 2
		_ = env.RunUntil(stop) // failures (preemptions nobody read) are not the point
		_ = env.Close()
		if res.Count() != 0 {
			rt.Fatalf("after Close: %d Resource units in use, want 0", res.Count())
		}
		if v := sem.Value(); v != capacity {
			rt.Fatalf("after Close: Semaphore value %d, want %d", v, capacity)
		}
		if store.Len() != put-got {
			rt.Fatalf("after Close: %d items in the store, want %d put - %d got", store.Len(), put, got)
		}
		if tank.Level() != level {
			rt.Fatalf("after Close: container level %v, want %v", tank.Level(), level)
		}
	})
}

func isPreempted(err error) bool {
	var pre *resource.Preempted
	return errors.As(err, &pre)
}
