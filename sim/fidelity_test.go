package sim_test

// Regressions for vtsim issue 12: where vtsim differed from asyncio 3.13.
// Each test names the CPython rule it covers (test file and case, or the
// documentation's sentence); times are virtual and logs exact.

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// Rule (asyncio docs, Task.uncancel: "...asyncio.current_task().uncancel()";
// test_tasks.py test_uncancel_basic): the running task reaches its own
// cancel, cancelling and uncancel through its Proc. A task that cancels
// itself sees the cancellation at its next wait; one that withdraws it
// before then goes on.
func TestProcCancelCancellingUncancel(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		log.add("t", "Cancel(self) = %v, Cancelling %d", p.Cancel("self"), p.Cancelling())
		log.add("t", "Uncancel = %d", p.Uncancel())
		log.add("t", "sleep: %v", p.Sleep(time.Second))
		p.Cancel("again")
		err := p.Sleep(time.Second)
		log.add("t", "sleep: %v, Cancelling %d", err, p.Cancelling())
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.check(t,
		"0s t Cancel(self) = true, Cancelling 1",
		"0s t Uncancel = 0",
		"1s t sleep: <nil>",
		"1s t sleep: cancelled: again, Cancelling 1",
	)
	if !task.Cancelled() {
		t.Error("the task did not end cancelled")
	}
	if task.Proc().Cancel("late") {
		t.Error("Proc.Cancel of an ended task = true")
	}
}

// Rule (test_tasks.py test_as_completed_duplicate_coroutines; asyncio
// builds a set of the awaitables): AsCompleted over duplicate inputs yields
// each distinct future once.
func TestAsCompletedDuplicates(t *testing.T) {
	env, log := newEnv(t)
	ham := sim.Go(env, "ham", sleeper(log, "ham", time.Second, "ham"))
	spam := sim.Go(env, "spam", sleeper(log, "spam", 2*time.Second, "spam"))
	reader := sim.Go(env, "reader", func(p *sim.Proc) (int, error) {
		n := 0
		for f, err := range sim.AsCompleted(p, ham, ham, spam, ham) {
			if err != nil {
				return n, err
			}
			v, _ := f.Result()
			log.add("reader", "got %s", v)
			n++
		}
		log.add("reader", "end")
		return n, nil
	})
	if n, err := sim.RunUntilComplete(env, reader); n != 2 || err != nil {
		t.Fatalf("AsCompleted yielded %d, %v; want 2", n, err)
	}
	log.check(t, "1s ham done", "1s reader got ham", "2s spam done", "2s reader got spam", "2s reader end")
}

// Rule (test_locks.py test_acquire_fifo_order_4, Python 3.13; 3.12 fails
// it): a successful Acquire wakes as many further waiters as the value
// still allows, so that tasks queued behind a woken waiter are served in
// FIFO order, before a task created later.
func TestSemaphoreAcquireWakesAsManyAsAllowed(t *testing.T) {
	env, log := newEnv(t)
	sem := sim.NewSemaphore(0)
	var result []int
	sim.Go(env, "c1", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.add("c1", "acquired: %v, value %d", err, sem.Value())
		sim.Go(env, "c4", func(p *sim.Proc) (int, error) { result = append(result, 4); return 0, nil })
		result = append(result, 1)
		return 0, err
	})
	sim.Go(env, "c2", func(p *sim.Proc) (int, error) {
		for range 3 {
			sem.Release()
		}
		log.add("c2", "released 3: value %d, locked %v", sem.Value(), sem.Locked())
		err := sem.Acquire(p)
		result = append(result, 2)
		return 0, err
	})
	sim.Go(env, "c3", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.add("c3", "acquired: %v, locked %v", err, sem.Locked())
		result = append(result, 3)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.check(t,
		"0s c2 released 3: value 2, locked true",
		"0s c1 acquired: <nil>, value 0",
		"0s c3 acquired: <nil>, locked true",
	)
	if len(result) != 4 || result[0] != 1 || result[1] != 2 || result[2] != 3 || result[3] != 4 {
		t.Errorf("order %v; want [1 2 3 4]", result)
	}
}

// Rule (test_locks.py test_acquire_no_hang and test_acquire_hang, Python
// 3.13): a waiter that was woken but is cancelled before it resumes gives
// its unit back and the next waiter gets it: the turn is passed on, never
// lost. And a task that releases and acquires again goes to the back of
// the queue (Semaphore.acquire: "Maintain FIFO, wait for others to start
// even if _value > 0").
func TestSemaphoreCancelledWakePassesTurnAndReacquireQueues(t *testing.T) {
	env, log := newEnv(t)
	sem := sim.NewBoundedSemaphore(1)
	var b *sim.Task[int]
	sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		sem.Acquire(p)
		p.Sleep(time.Second)
		sem.Release() // wakes b, which is cancelled before it resumes
		b.Cancel("late")
		log.add("a", "released; value %d", sem.Value())
		err := sem.Acquire(p) // behind c
		log.add("a", "acquired again: %v", err)
		return 0, sem.Release()
	})
	b = sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.add("b", "acquire: %v", err)
		return 0, err
	})
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.add("c", "acquired: %v", err)
		p.Sleep(time.Second)
		return 0, sem.Release()
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.check(t,
		"1s a released; value 0",
		"1s b acquire: cancelled: late",
		"1s c acquired: <nil>",
		"2s a acquired again: <nil>",
	)
	if sem.Value() != 1 || sem.Locked() {
		t.Errorf("value %d, locked %v at the end; want 1, false", sem.Value(), sem.Locked())
	}
}

// Rule (test_tasks.py test_wait_really_done: "there is possibility that
// some tasks in the pending list became done but their callbacks haven't
// all been called yet"): Wait's done and pending sets are taken when the
// waiting task resumes, so a future that finished in between, at the same
// instant, is in Done. So in every mode, and when a WaitTimeout's timer
// ends the wait (AllCompleted).
func TestWaitReallyDone(t *testing.T) {
	for _, mode := range []future.WaitMode{future.FirstCompleted, future.FirstError, future.AllCompleted} {
		t.Run(mode.String(), func(t *testing.T) {
			env, log := newEnv(t)
			boom := errors.New("boom")
			a := sim.Go(env, "a", func(p *sim.Proc) (int, error) {
				p.Sleep(time.Second)
				return 0, boom
			})
			b := sim.Go(env, "b", func(p *sim.Proc) (int, error) {
				p.Sleep(time.Second)
				p.Yield()
				return 2, nil
			})
			c := sim.Go(env, "c", sleeper(log, "c", time.Hour, 3))
			waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
				var w *future.Future[future.WaitResult]
				if mode == future.AllCompleted {
					w = future.WaitTimeout(env.Loop(), time.Second, mode, b, c)
				} else {
					w = future.Wait(env.Loop(), mode, b, a, c)
				}
				r, err := sim.Await(p, w)
				log.add("waiter", "done %d, pending %d, %v; b done %v", len(r.Done), len(r.Pending), err, b.Done())
				return 0, err
			})
			if _, err := sim.RunUntilComplete(env, waiter); err != nil {
				t.Fatal(err)
			}
			want := "1s waiter done 2, pending 1, <nil>; b done true"
			if mode == future.AllCompleted {
				want = "1s waiter done 1, pending 1, <nil>; b done true"
			}
			log.check(t, want)
			a.Err()
			c.Cancel("")
		})
	}
}

// Rule (asyncio docs: wait_for "If timeout is None, block until the future
// completes"; wait "timeout ... None means no limit"; asyncio.timeout
// "delay can be None, and no timeout will be applied"): a duration that
// reaches past MaxTime, such as future.NoTimeout or math.MaxInt64 at 1s,
// means no deadline: no panic, no overflow error, no timer.
func TestNoDeadline(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", sleeper(log, "f", time.Hour, 7))
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		v, err := sim.Await(p, future.WaitFor[int](env.Loop(), f, math.MaxInt64))
		log.add("waiter", "WaitFor(MaxInt64): %d, %v", v, err)
		r, err := sim.Await(p, future.WaitTimeout(env.Loop(), math.MaxInt64-time.Millisecond, future.AllCompleted, f))
		log.add("waiter", "WaitTimeout(MaxInt64-1ms): %d done, %v", len(r.Done), err)
		v, err = sim.Await(p, future.WaitFor[int](env.Loop(), f, future.NoTimeout))
		log.add("waiter", "WaitFor(NoTimeout): %d, %v", v, err)
		err = sim.Timeout(p, math.MaxInt64, func(s *sim.Scope) error {
			log.add("waiter", "scope deadline %v", s.When() == sim.MaxTime)
			return p.Sleep(time.Hour)
		})
		log.add("waiter", "Timeout(MaxInt64): %v", err)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.check(t,
		"1h0m0s f done",
		"1h0m0s waiter WaitFor(MaxInt64): 7, <nil>",
		"1h0m0s waiter WaitTimeout(MaxInt64-1ms): 1 done, <nil>",
		"1h0m0s waiter WaitFor(NoTimeout): 7, <nil>",
		"1h0m0s waiter scope deadline true",
		"2h0m0s waiter Timeout(MaxInt64): <nil>",
	)
}
