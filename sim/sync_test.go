package sim_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
)

func TestEventWakesAllWaitersInOrder(t *testing.T) {
	env, log := newEnv(t)
	ev := sim.NewEvent()
	for _, name := range []string{"a", "b", "c"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := ev.Wait(p)
			log.Add(name, "woke: %v", err)
			return 0, err
		})
	}
	env.CallLater(time.Second, func() { ev.Set(); ev.Clear(); log.Add("cb", "set and cleared") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s cb set and cleared", "1s a woke: <nil>", "1s b woke: <nil>", "1s c woke: <nil>")
	if ev.IsSet() {
		t.Error("event still set after Clear")
	}
}

func TestLockIsFairAndCancellationSafe(t *testing.T) {
	env, log := newEnv(t)
	l := sim.NewLock()
	worker := func(name string, hold time.Duration) func(p *sim.Proc) (int, error) {
		return func(p *sim.Proc) (int, error) {
			if err := l.Acquire(p); err != nil {
				log.Add(name, "gave up: %v", err)
				return 0, err
			}
			log.Add(name, "holds the lock")
			defer l.Release()
			return 0, p.Sleep(hold)
		}
	}
	sim.Go(env, "a", worker("a", 2*time.Second))
	b := sim.Go(env, "b", worker("b", time.Second))
	sim.Go(env, "c", worker("c", time.Second))
	// b is cancelled while it waits; c must get the lock after a, not b.
	env.CallLater(time.Second, func() { b.Cancel("impatient") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a holds the lock",
		"1s b gave up: cancelled: impatient",
		"2s c holds the lock",
	)
	if l.Locked() {
		t.Error("lock left locked")
	}
}

func TestLockWokenWaiterCancelledPassesTheTurnOn(t *testing.T) {
	// asyncio: a waiter woken by Release and cancelled before it resumes
	// must not leave the lock idle while others wait.
	env, log := newEnv(t)
	l := sim.NewLock()
	var b *sim.Task[int]
	sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		l.Acquire(p)
		p.Sleep(time.Second)
		l.Release()         // wakes b
		b.Cancel("unlucky") // b was woken but has not resumed
		return 0, nil
	})
	b = sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		err := l.Acquire(p)
		log.Add("b", "%v", err)
		if err == nil {
			l.Release()
		}
		return 0, err
	})
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		err := l.Acquire(p)
		log.Add("c", "%v", err)
		if err == nil {
			l.Release()
		}
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s b cancelled: unlucky", "1s c <nil>")
}

func TestSemaphoreAndBound(t *testing.T) {
	env, log := newEnv(t)
	s := sim.NewSemaphore(2)
	for i := range 4 {
		name := fmt.Sprint("w", i)
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := s.Acquire(p); err != nil {
				return 0, err
			}
			log.Add(name, "in (value %d)", s.Value())
			p.Sleep(time.Second)
			return 0, s.Release()
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "0s w0 in (value 1)", "0s w1 in (value 0)", "1s w2 in (value 0)", "1s w3 in (value 0)")
	if s.Value() != 2 {
		t.Errorf("value %d; want 2", s.Value())
	}
	b := sim.NewBoundedSemaphore(1)
	if err := b.Release(); !errors.Is(err, sim.ErrBoundExceeded) || err.Error() != "sim: BoundedSemaphore released too many times (bound 1)" {
		t.Errorf("Release past the bound = %v", err)
	}
	mustPanic(t, "sim: NewSemaphore(-1): the initial value must be 0 or more", func() { sim.NewSemaphore(-1) })
	mustPanic(t, "sim: Lock.Release of an unlocked Lock", func() { sim.NewLock().Release() })
}

func TestDeadlockReportNamesThePrimitive(t *testing.T) {
	env, _ := newEnv(t)
	ev := sim.NewEvent()
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) { return 0, ev.Wait(p) })
	err := env.Run()
	if want := "sim: deadlock at 0s: no event is scheduled and 1 task(s) wait:\n\ttask \"waiter\" waits on an Event #1 since 0s"; err == nil || err.Error() != want {
		t.Fatalf("Run = %v; want %q", err, want)
	}
	ev.Set()
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// Property: random tasks acquiring and releasing a semaphore (or a lock),
// with random holds and random cancellations at random times, never hold
// more units than exist, never lose or duplicate one, and leave no waiter.
func TestSemaphoreConservesUnitsUnderCancellation(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		units := rapid.IntRange(1, 3).Draw(rt, "units")
		useLock := units == 1 && rapid.Bool().Draw(rt, "lock")
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		sem, lock := sim.NewSemaphore(units), sim.NewLock()
		acquire := func(p *sim.Proc) error {
			if useLock {
				return lock.Acquire(p)
			}
			return sem.Acquire(p)
		}
		release := func() {
			if useLock {
				lock.Release()
			} else if err := sem.Release(); err != nil {
				rt.Fatal(err)
			}
		}
		holders := 0
		n := rapid.IntRange(1, 12).Draw(rt, "tasks")
		var tasks []*sim.Task[int]
		for i := range n {
			start := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("start", i))) * time.Second
			hold := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("hold", i))) * time.Second
			tasks = append(tasks, sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				if err := p.Sleep(start); err != nil {
					return 0, err
				}
				if err := acquire(p); err != nil {
					return 0, err
				}
				holders++
				if holders > units {
					rt.Fatalf("%d holders of %d units at %v", holders, units, p.Now())
				}
				defer func() { holders--; release() }()
				return 1, p.Sleep(hold)
			}))
		}
		for i := range rapid.IntRange(0, n).Draw(rt, "cancels") {
			victim := tasks[rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 6).Draw(rt, fmt.Sprint("at", i))) * time.Second
			env.CallAt(at, func() { victim.Cancel("") })
		}
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		for _, task := range tasks {
			if !task.Done() {
				rt.Fatalf("%s not done", task.Name())
			}
		}
		if holders != 0 || (useLock && lock.Locked()) || (!useLock && (sem.Value() != units || sem.Locked())) {
			rt.Fatalf("holders %d, lock %v, value %d of %d", holders, lock.Locked(), sem.Value(), units)
		}
	})
}
