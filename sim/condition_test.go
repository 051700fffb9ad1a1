package sim_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
)

// condWaiter returns a task body that takes c's lock, waits once, logs how
// the wait ended and whether the lock is held, holds it for hold and
// releases it.
func condWaiter(log *tlog, c *sim.Condition, name string, hold time.Duration) func(p *sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) {
		if err := c.Acquire(p); err != nil {
			return 0, err
		}
		log.Add(name, "waits")
		err := c.Wait(p)
		log.Add(name, "woke: %v (locked %v)", err, c.Locked())
		defer c.Release()
		if err != nil {
			return 0, err
		}
		return 0, p.Sleep(hold)
	}
}

func TestConditionNotifyOrder(t *testing.T) {
	env, log := newEnv(t)
	c := sim.NewCondition(nil)
	for _, name := range []string{"a", "b", "c"} {
		sim.Go(env, name, condWaiter(log, c, name, time.Second))
	}
	sim.Go(env, "n", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		c.Acquire(p)
		c.Notify(1) // the oldest waiter, a; it needs the lock, held 1s more
		log.Add("n", "notify(1)")
		p.Sleep(time.Second)
		c.Release()
		c.Acquire(p) // after a, which holds it until 3s
		c.NotifyAll()
		log.Add("n", "notify all")
		c.Release()
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a waits",
		"0s b waits",
		"0s c waits",
		"1s n notify(1)",
		"2s a woke: <nil> (locked true)",
		"3s n notify all",
		"3s b woke: <nil> (locked true)", // b and c re-acquire in order
		"4s c woke: <nil> (locked true)",
	)
	if c.Locked() {
		t.Error("lock left locked")
	}
}

func TestConditionNotifyCountsOnASharedLock(t *testing.T) {
	env, log := newEnv(t)
	l := sim.NewLock()
	c := sim.NewCondition(l)
	for _, name := range []string{"a", "b", "c", "d"} {
		sim.Go(env, name, condWaiter(log, c, name, 0))
	}
	sim.Go(env, "n", func(p *sim.Proc) (int, error) {
		for _, n := range []int{0, -1, 2, 5} {
			p.Sleep(time.Second)
			l.Acquire(p) // the Condition's lock, taken directly
			if !c.Locked() {
				t.Error("Condition not locked while its Lock is held")
			}
			c.Notify(n)
			log.Add("n", "notify(%d)", n)
			l.Release()
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a waits",
		"0s b waits",
		"0s c waits",
		"0s d waits",
		"1s n notify(0)",
		"2s n notify(-1)",
		"3s n notify(2)",
		"3s a woke: <nil> (locked true)",
		"3s b woke: <nil> (locked true)",
		"4s n notify(5)",
		"4s c woke: <nil> (locked true)",
		"4s d woke: <nil> (locked true)",
	)
}

func TestConditionWaitFor(t *testing.T) {
	env, log := newEnv(t)
	c := sim.NewCondition(nil)
	items, checks := 0, 0
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		c.Acquire(p)
		defer c.Release()
		err := c.WaitFor(p, func() bool {
			checks++
			if !c.Locked() {
				t.Error("predicate called without the lock")
			}
			return items >= 2
		})
		log.Add("consumer", "got %d: %v (%d checks)", items, err, checks)
		items -= 2
		// A predicate already true returns at once, without waiting.
		err = c.WaitFor(p, func() bool { return true })
		log.Add("consumer", "true at once: %v", err)
		return 0, err
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for range 3 {
			p.Sleep(time.Second)
			c.Acquire(p)
			items++
			log.Add("producer", "items %d", items)
			c.NotifyAll()
			c.Release()
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s producer items 1",
		"2s producer items 2",
		"2s consumer got 2: <nil> (3 checks)",
		"2s consumer true at once: <nil>",
		"3s producer items 1",
	)
}

func TestConditionWaitCancelledReacquiresTheLock(t *testing.T) {
	// Python 3.13: a waiter cancelled while it waits re-acquires the lock,
	// waiting its turn, then gets the cancellation (the latest one if it is
	// cancelled again meanwhile). Being cancelled before it was notified,
	// it wakes no other waiter.
	env, log := newEnv(t)
	c := sim.NewCondition(nil)
	a := sim.Go(env, "a", condWaiter(log, c, "a", 0))
	sim.Go(env, "b", condWaiter(log, c, "b", 0))
	sim.Go(env, "h", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		c.Acquire(p)
		log.Add("h", "holds the lock")
		a.Cancel("bored")
		p.Sleep(2 * time.Second)
		c.Notify(1)
		log.Add("h", "notify(1)")
		c.Release()
		return 0, nil
	})
	env.CallLater(2*time.Second, func() { a.Cancel("again") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a waits",
		"0s b waits",
		"1s h holds the lock",
		"3s h notify(1)",
		"3s a woke: cancelled: again (locked true)",
		"3s b woke: <nil> (locked true)",
	)
	if !a.Cancelled() {
		t.Errorf("a: %v; want cancelled", a.Err())
	}
}

func TestConditionNotifiedThenCancelledPassesItOn(t *testing.T) {
	env, log := newEnv(t)
	c := sim.NewCondition(nil)
	a := sim.Go(env, "a", condWaiter(log, c, "a", 0))
	sim.Go(env, "b", condWaiter(log, c, "b", 0))
	sim.Go(env, "c", condWaiter(log, c, "c", 0))
	sim.Go(env, "n", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		c.Acquire(p)
		c.Notify(1)      // wakes a...
		a.Cancel("late") // ...which is cancelled before it resumes
		log.Add("n", "notify(1), cancel a")
		c.Release()
		return 0, nil
	})
	// b gets a's notification; c, never notified, is left waiting.
	err := env.Run()
	log.Check(t,
		"0s a waits",
		"0s b waits",
		"0s c waits",
		"1s n notify(1), cancel a",
		"1s a woke: cancelled: late (locked true)",
		"1s b woke: <nil> (locked true)",
	)
	if want := "sim: deadlock at 1s: no event is scheduled and 1 task(s) wait:\n\ttask \"c\" waits on a Condition #2 since 0s"; err == nil || err.Error() != want {
		t.Fatalf("Run = %v; want %q", err, want)
	}
}

func TestConditionMisuse(t *testing.T) {
	env, _ := newEnv(t)
	c := sim.NewCondition(nil)
	mustPanic(t, "sim: Condition.Notify with the lock not held", func() { c.Notify(1) })
	mustPanic(t, "sim: Condition.NotifyAll with the lock not held", c.NotifyAll)
	mustPanic(t, "sim: Lock.Release of an unlocked Lock", c.Release)
	task := sim.Go(env, "misuser", func(p *sim.Proc) (int, error) {
		mustPanic(t, "sim: Condition.Wait with the lock not held", func() { c.Wait(p) })
		mustPanic(t, "sim: Condition.WaitFor with a nil predicate", func() { c.WaitFor(p, nil) })
		return 0, nil
	})
	if _, err := sim.RunUntilComplete(env, task); err != nil {
		t.Fatal(err)
	}
	mustPanic(t, "Condition.Wait", func() { c.Wait(task.Proc()) })
}

// Property: waiters that wait for a counter to reach their target, with
// random increments, notifications and cancellations at random times,
// hold the lock alone whenever they run, return from WaitFor holding it,
// only once their predicate holds or with a cancellation, and leave nothing
// locked or waiting (Run would report a deadlock).
func TestConditionWaitForUnderCancellation(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New()
		defer env.Close()
		c := sim.NewCondition(nil)
		counter := 0
		var owner *sim.Proc // the task that holds the lock, as the test sees it
		take := func(p *sim.Proc) {
			if owner != nil || !c.Locked() {
				rt.Fatalf("%s holds the lock with owner %v, locked %v", p.Name(), owner, c.Locked())
			}
			owner = p
		}
		n := rapid.IntRange(1, 8).Draw(rt, "waiters")
		var tasks []*sim.Task[int]
		for i := range n {
			target := rapid.IntRange(0, 4).Draw(rt, fmt.Sprint("target", i))
			tasks = append(tasks, sim.Go(env, fmt.Sprint("w", i), func(p *sim.Proc) (int, error) {
				if err := c.Acquire(p); err != nil {
					return 0, err
				}
				defer func() { owner = nil; c.Release() }()
				err := c.WaitFor(p, func() bool {
					take(p)
					if counter < target {
						owner = nil // Wait releases the lock
						return false
					}
					return true
				})
				if err != nil {
					take(p) // the lock is held again after a cancellation
				}
				return 0, err
			}))
		}
		all := rapid.Bool().Draw(rt, "notifyAll")
		sim.Go(env, "inc", func(p *sim.Proc) (int, error) {
			for range 4 {
				p.Sleep(time.Second)
				c.Acquire(p)
				take(p)
				counter++
				if all {
					c.NotifyAll()
				} else {
					c.Notify(n) // enough for every waiter
				}
				owner = nil
				c.Release()
			}
			return 0, nil
		})
		for i := range rapid.IntRange(0, n).Draw(rt, "cancels") {
			victim := tasks[rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 5).Draw(rt, fmt.Sprint("at", i))) * time.Second
			env.CallAt(at, func() { victim.Cancel("") })
		}
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		if c.Locked() {
			rt.Fatal("lock left locked")
		}
	})
}
