package resource_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// waitFut is what every future form is: an Awaitable that can give back.
type waitFut[T any] interface {
	future.Awaitable[T]
	future.Withdrawer
}

// obtain waits for f in one of five ways and reports whether f's grant is
// now the task's: 0 Await; 1 future.WaitFor with patience; 2 AnyOf with an
// After(patience), SimPy's req | timeout; 3 future.Wait first completed
// against an After, cancelling f if it lost (asyncio's try/finally); 4
// future.Gather of f alone. An
// interrupt is handled by awaiting the same future again (the wait keeps
// its place); a cancellation ends the task.
func obtain[T any](p *sim.Proc, f waitFut[T], mode int, patience time.Duration) (T, bool, error) {
	env := p.Env()
	var zero T
	again := func(await func() error) error {
		for {
			err := await()
			var ie *sim.InterruptError
			if !errors.As(err, &ie) {
				return err
			}
		}
	}
	switch mode {
	case 0:
		var v T
		err := again(func() (err error) { v, err = sim.Await[T](p, f); return })
		return v, err == nil, err
	case 1:
		w := future.WaitFor[T](env.Loop(), f, patience)
		var v T
		err := again(func() (err error) { v, err = sim.Await[T](p, w); return })
		if errors.Is(err, future.ErrTimeout) {
			return zero, false, nil
		}
		return v, err == nil, err
	case 2:
		c := sim.AnyOf(env, f, sim.After(env, patience, 0))
		err := again(func() (err error) { _, err = sim.Await(p, c); return })
		if err != nil || !c.Has(f) {
			return zero, false, err
		}
		v, err := f.Result()
		return v, err == nil, err
	case 4:
		g := future.Gather[T](env.Loop(), f)
		var vs []T
		err := again(func() (err error) { vs, err = sim.Await(p, g); return })
		if err != nil {
			return zero, false, err
		}
		return vs[0], true, nil
	default:
		defer f.Cancel("")
		w := future.Wait(env.Loop(), future.FirstCompleted, f, sim.After(env, patience, 0))
		err := again(func() (err error) { _, err = sim.Await(p, w); return })
		if err != nil || !f.Done() {
			return zero, false, err
		}
		v, err := f.Result()
		return v, err == nil, err
	}
}

// TestPropertyFuturesConserve: random models whose tasks obtain Resource
// units, Semaphore units, the Lock, Store and Queue items and Container
// amounts through the future forms, each in one of five ways (Await,
// WaitFor, AnyOf with a timeout, Wait with a timeout, Gather), with patiences,
// cancellations and interrupts landing on whole seconds so that they often
// coincide with grants, under a random tie-break that shuffles simultaneous
// events. When everything has settled, every unit is free again, the store
// and the queue hold exactly the items put and not taken by a task that
// read them (no item lost, none duplicated), and the container's level is
// its initial level plus what was put minus what tasks read as got.
func TestPropertyFuturesConserve(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")),
			sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(rapid.Uint64().Draw(rt, "tie seed")))
		defer env.Close()
		capacity := rapid.IntRange(1, 2).Draw(rt, "capacity")
		var res *resource.Resource
		prioRes := rapid.Bool().Draw(rt, "priority resource")
		if prioRes {
			res = resource.NewPriorityResource(capacity)
		} else {
			res = resource.NewResource(capacity)
		}
		sem := sim.NewSemaphore(capacity)
		lock := sim.NewLock()
		store := resource.NewStore[int](rapid.IntRange(0, 2).Draw(rt, "store capacity"))
		queue := sim.NewQueue[int](rapid.IntRange(0, 2).Draw(rt, "queue capacity"))
		tank := resource.NewContainer(math.Inf(1), 2)
		var putS, gotS, putQ, gotQ []int
		type queuePut struct {
			f *sim.WaitFuture[struct{}]
			v int
		}
		var queuePuts []queuePut
		var tankPuts []*sim.WaitFuture[float64]
		level := 2.0
		sec := func(label string, lo, hi int) time.Duration {
			return time.Duration(rapid.IntRange(lo, hi).Draw(rt, label)) * time.Second
		}
		n := rapid.IntRange(1, 12).Draw(rt, "tasks")
		for i := range n {
			start, hold, patience := sec(fmt.Sprint("start", i), 0, 3), sec(fmt.Sprint("hold", i), 0, 2), sec(fmt.Sprint("patience", i), 0, 3)
			mode := rapid.IntRange(0, 4).Draw(rt, fmt.Sprint("mode", i))
			role := rapid.IntRange(0, 7).Draw(rt, fmt.Sprint("role", i))
			prio := rapid.IntRange(0, 2).Draw(rt, fmt.Sprint("prio", i))
			task := sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				if err := p.Sleep(start); err != nil {
					return 0, err
				}
				switch role {
				case 0: // a resource user
					var req *resource.Request
					if prioRes {
						req = res.RequestPriorityFuture(env, prio)
					} else {
						req = res.RequestFuture(env)
					}
					_, ok, err := obtain(p, req, mode, patience)
					if ok {
						defer req.Release()
						return 0, p.Sleep(hold)
					}
					return 0, err
				case 1: // a semaphore user
					_, ok, err := obtain(p, sem.AcquireFuture(env), mode, patience)
					if ok {
						defer sem.Release()
						return 0, p.Sleep(hold)
					}
					return 0, err
				case 2: // a lock user
					_, ok, err := obtain(p, lock.AcquireFuture(env), mode, patience)
					if ok {
						defer lock.Release()
						return 0, p.Sleep(hold)
					}
					return 0, err
				case 3: // a producer for the store and the queue
					for k := range 2 {
						v := 10*i + k
						if err := store.Put(p, v); err != nil {
							return 0, err
						}
						putS = append(putS, v)
						pf := queue.PutFuture(env, v)
						queuePuts = append(queuePuts, queuePut{pf, v}) // a put done is done, whoever learns of it
						if _, ok, err := obtain(p, pf, 0, 0); !ok {
							return 0, err
						}
						if err := p.Sleep(hold); err != nil {
							return 0, err
						}
					}
				case 4: // a store consumer
					for range 2 {
						v, ok, err := obtain(p, store.GetFuture(env), mode, patience)
						if !ok {
							return 0, err
						}
						gotS = append(gotS, v)
					}
				case 5: // a queue consumer
					for range 2 {
						v, ok, err := obtain(p, queue.GetFuture(env), mode, patience)
						if !ok {
							return 0, err
						}
						gotQ = append(gotQ, v)
					}
				case 6: // fills the tank
					pf := tank.PutFuture(env, 1.5)
					tankPuts = append(tankPuts, pf)
					if _, ok, err := obtain(p, pf, 0, 0); !ok {
						return 0, err
					}
				default: // drains it
					v, ok, err := obtain(p, tank.GetFuture(env, 2.5), mode, patience)
					if !ok {
						return 0, err
					}
					level -= v
				}
				return 0, nil
			})
			switch rapid.IntRange(0, 2).Draw(rt, fmt.Sprint("disturb", i)) {
			case 1:
				env.CallAt(sec(fmt.Sprint("cancel at", i), 0, 5), func() { task.Cancel("disturbed") })
			case 2:
				env.CallAt(sec(fmt.Sprint("interrupt at", i), 0, 5), func() { _ = task.Interrupt("disturbed") })
			}
		}
		_ = env.RunUntil(time.Minute) // a consumer left waiting for ever is a deadlock: not the point
		for _, q := range queuePuts {
			if q.f.Done() && q.f.Err() == nil {
				putQ = append(putQ, q.v)
			}
		}
		for _, f := range tankPuts {
			if f.Done() && f.Err() == nil {
				level += 1.5
			}
		}
		if res.Count() != 0 {
			rt.Fatalf("%d Resource units in use, want 0", res.Count())
		}
		if v := sem.Value(); v != capacity {
			rt.Fatalf("Semaphore value %d, want %d", v, capacity)
		}
		if lock.Locked() {
			rt.Fatalf("the Lock is held")
		}
		checkItems(rt, "store", store.Items(), putS, gotS)
		var inQueue []int
		for !queue.Empty() {
			v, _ := queue.GetNowait()
			inQueue = append(inQueue, v)
		}
		checkItems(rt, "queue", inQueue, putQ, gotQ)
		if tank.Level() != level {
			rt.Fatalf("container level %v, want %v", tank.Level(), level)
		}
	})
}

// checkItems fails unless the items held and those got are exactly those put.
func checkItems(rt *rapid.T, what string, held, put, got []int) {
	all := append(slices.Clone(held), got...)
	slices.Sort(all)
	want := slices.Sorted(slices.Values(put))
	if !slices.Equal(all, want) {
		rt.Fatalf("%s: held %v and got %v, want exactly the items put %v", what, held, got, put)
	}
}
