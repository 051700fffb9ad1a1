package sim_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// asyncio's wait_for(queue.get(), t): the first get times out and takes
// nothing; the item put later goes to the next getter, and a get whose
// WaitFor times out at the very instant its item arrives gives the item back
// to the queue.
func TestWaitForQueueGet(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[string](0)
	sim.Go(env, "impatient", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, future.WaitFor[string](env.Loop(), q.GetFuture(env), time.Second))
		log.Add("impatient", "%q %v", v, err)
		v, err = sim.Await(p, future.WaitFor[string](env.Loop(), q.GetFuture(env), time.Second))
		log.Add("impatient", "%q %v; queue %d", v, err, q.Len())
		return 0, nil
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		q.PutNowait("x") // at 2s, with the second WaitFor's deadline
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`1s impatient "" timed out after 1s`,
		`2s impatient "" timed out after 1s; queue 1`,
	)
	if v, err := q.GetNowait(); v != "x" || err != nil {
		t.Errorf("GetNowait = %q, %v; want x, nil", v, err)
	}
}

// After carries its value; AnyOf's value is the leaves that had ended, in
// order; nested conditions flatten (SimPy's ConditionValue); a failing
// leaf fails the whole.
func TestConditionsValue(t *testing.T) {
	env, log := newEnv(t)
	names := map[future.Waitable]string{}
	show := func(v []future.Waitable) string {
		s := ""
		for _, f := range v {
			s += names[f]
		}
		return s
	}
	sim.Go(env, "main", func(p *sim.Proc) (int, error) {
		a := sim.After(env, time.Second, "a")
		b := sim.After(env, 2*time.Second, "b")
		c := sim.After(env, time.Second, "c")
		names[a], names[b], names[c] = "a", "b", "c"
		v, err := sim.Await(p, sim.AllOf(env, sim.AnyOf(env, a, b), c)) // (a | b) & c
		av, _ := a.Result()
		log.Add("main", "(a|b)&c = [%s] %v; a = %q; b done %v", show(v), err, av, b.Done())
		v, err = sim.Await(p, sim.AnyOf(env, b, sim.AllOf(env, a, c))) // b | (a & c): a & c is done
		log.Add("main", "b|(a&c) = [%s] %v", show(v), err)
		boom, res := future.New[int](env.Loop())
		env.CallLater(time.Second, func() { res.SetError(errors.New("boom")) })
		names[boom] = "boom"
		d := sim.After(env, 5*time.Second, "d")
		_, err = sim.Await(p, sim.AllOf(env, d, boom))
		log.Add("main", "d&boom: %v; d done %v", err, d.Done())
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`1s main (a|b)&c = [ac] <nil>; a = "a"; b done false`,
		`1s main b|(a&c) = [ac] <nil>`,
		`2s main d&boom: boom; d done false`,
	)
}

// A Lock granted to a wait whose awaiter is cancelled after the grant,
// before it resumes, is released for the next; an Event's wait and a
// Condition's wait work in future form, and a Semaphore unit granted to a
// wait that loses an AnyOf goes back.
func TestSyncFutures(t *testing.T) {
	env, log := newEnv(t)
	l := sim.NewLock()
	ev := sim.NewEvent()
	sem := sim.NewSemaphore(0)
	cond := sim.NewCondition(sim.NewLock())
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		l.Acquire(p)
		p.Sleep(time.Second)
		l.Release()
		return 0, nil
	})
	victim := sim.Go(env, "victim", func(p *sim.Proc) (int, error) {
		_, err := sim.Await(p, l.AcquireFuture(env))
		log.Add("victim", "%v; locked %v", err, l.Locked())
		return 0, nil
	})
	env.CallAt(time.Second, func() { env.CallSoon(func() { env.CallSoon(func() { victim.Cancel("") }) }) })
	sim.Go(env, "next", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Millisecond)
		if _, err := sim.Await(p, l.AcquireFuture(env)); err != nil {
			return 0, err
		}
		log.Add("next", "has the lock")
		l.Release()
		_, err := sim.Await(p, ev.WaitFuture(env))
		log.Add("next", "event %v", err)
		return 0, nil
	})
	sim.Go(env, "sem", func(p *sim.Proc) (int, error) {
		acq := sem.AcquireFuture(env)
		c := sim.AnyOf(env, sim.After(env, 3*time.Second, 0), acq)
		sim.Await(p, c)
		log.Add("sem", "got unit %v; value %d", c.Has(acq), sem.Value())
		return 0, nil
	})
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		cond.Acquire(p)
		w := cond.WaitFuture(env)
		_, err := sim.Await(p, w)
		log.Add("waiter", "notified %v; locked %v", err, cond.Locked())
		cond.Release()
		return 0, nil
	})
	env.CallAt(2*time.Second, func() { ev.Set() })
	sim.Go(env, "notifier", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		cond.Acquire(p)
		cond.Notify(1)
		cond.Release()
		return 0, nil
	})
	env.CallAt(3*time.Second, func() { sem.Release() }) // with the After: both end, the unit is in the value
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s victim cancelled; locked false",
		"1s next has the lock",
		"2s next event <nil>",
		"2s waiter notified <nil>; locked true",
		fmt.Sprintf("3s sem got unit %v; value %d", true, 0),
	)
}

// Gather and AsCompleted take the future forms like any future.
func TestWaitFuturesInGatherAndAsCompleted(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[int](0)
	sim.Go(env, "main", func(p *sim.Proc) (int, error) {
		vs, err := sim.Await(p, future.Gather[int](env.Loop(), q.GetFuture(env), q.GetFuture(env)))
		log.Add("main", "gather %v %v", vs, err)
		a, b := q.GetFuture(env), q.GetFuture(env)
		for f, err := range sim.AsCompleted[int](p, a, b) {
			v, _ := f.Result()
			log.Add("main", "as completed %d %v", v, err)
		}
		return 0, nil
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for i := range 4 {
			p.Sleep(time.Second)
			q.PutNowait(i)
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2s main gather [0 1] <nil>",
		"3s main as completed 2 <nil>",
		"4s main as completed 3 <nil>",
	)
}

func TestWaitFutureMisuse(t *testing.T) {
	env, _ := newEnv(t)
	mustPanic(t, "NewWaitFuture(\"x\") with a nil wait", func() { sim.NewWaitFuture[int](env, "x", nil, nil) })
	mustPanic(t, "Condition.WaitFuture with the lock not held", func() { sim.NewCondition(nil).WaitFuture(env) })
	mustPanic(t, "AnyOf with a nil future (argument 1)", func() { sim.AnyOf(env, sim.After(env, 0, 0), nil) })
	mustPanic(t, "After called with a nil Env", func() { sim.After(nil, 0, 0) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// A Gather, a Wait or an AnyOf of gets whose awaiter is cancelled at any
// point, also after the combinator completed and before the awaiter
// resumed, gives the items back: an item is either the awaiter's or in the
// queue. The cancellation lands k ready-queue rounds after the items are
// put; some k hit the window after completion.
func TestCombinatorsGiveBackWhenAbandoned(t *testing.T) {
	kinds := []string{"Gather", "Wait", "AnyOf", "WaitFor"}
	for _, kind := range kinds {
		abandoned := 0
		for k := range 8 {
			env := sim.New()
			q := sim.NewQueue[int](0)
			got := 0
			task := sim.Go(env, "awaiter", func(p *sim.Proc) (int, error) {
				a, b := q.GetFuture(env), q.GetFuture(env)
				switch kind {
				case "Gather":
					vs, err := sim.Await(p, future.Gather[int](env.Loop(), a, b))
					if err == nil {
						got += len(vs)
					}
					return 0, err
				case "Wait":
					defer a.Cancel("")
					defer b.Cancel("")
					if _, err := sim.Await(p, future.Wait(env.Loop(), future.AllCompleted, a, b)); err != nil {
						return 0, err
					}
				case "AnyOf":
					if _, err := sim.Await(p, sim.AllOf(env, sim.AnyOf(env, a), b)); err != nil {
						return 0, err
					}
				default:
					defer b.Cancel("")
					if _, err := sim.Await(p, future.WaitFor[int](env.Loop(), a, time.Hour)); err != nil {
						return 0, err
					}
				}
				for _, f := range []*sim.WaitFuture[int]{a, b} {
					if f.Done() {
						if _, err := f.Result(); err == nil {
							got++
						}
					}
				}
				return 0, nil
			})
			env.CallAt(time.Second, func() {
				q.PutNowait(1)
				q.PutNowait(2)
				var soon func(n int)
				soon = func(n int) {
					if n == 0 {
						task.Cancel("gone")
						return
					}
					env.CallSoon(func() { soon(n - 1) })
				}
				soon(k)
			})
			if err := env.Run(); err != nil {
				t.Fatalf("%s k=%d: %v", kind, k, err)
			}
			if got+q.Len() != 2 {
				t.Errorf("%s k=%d: the awaiter got %d items and the queue holds %d; want 2 in all", kind, k, got, q.Len())
			}
			if task.Cancelled() && q.Len() == 2 && k > 0 {
				abandoned++
			}
			env.Close()
		}
		if abandoned == 0 {
			t.Errorf("%s: no k cancelled the awaiter after the gets were granted", kind)
		}
	}
}
