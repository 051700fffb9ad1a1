package sim_test

// Regressions for vtsim issue 12: where vtsim differed from asyncio 3.13.
// Each test names the CPython rule it covers (test file and case, or the
// documentation's sentence); times are virtual and logs exact.

import (
	"errors"
	"fmt"
	"math"
	"slices"
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
		log.Add("t", "Cancel(self) = %v, Cancelling %d", p.Cancel("self"), p.Cancelling())
		log.Add("t", "Uncancel = %d", p.Uncancel())
		log.Add("t", "sleep: %v", p.Sleep(time.Second))
		p.Cancel("again")
		err := p.Sleep(time.Second)
		log.Add("t", "sleep: %v, Cancelling %d", err, p.Cancelling())
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
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
			log.Add("reader", "got %s", v)
			n++
		}
		log.Add("reader", "end")
		return n, nil
	})
	if n, err := sim.RunUntilComplete(env, reader); n != 2 || err != nil {
		t.Fatalf("AsCompleted yielded %d, %v; want 2", n, err)
	}
	log.Check(t, "1s ham done", "1s reader got ham", "2s spam done", "2s reader got spam", "2s reader end")
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
		log.Add("c1", "acquired: %v, value %d", err, sem.Value())
		sim.Go(env, "c4", func(p *sim.Proc) (int, error) { result = append(result, 4); return 0, nil })
		result = append(result, 1)
		return 0, err
	})
	sim.Go(env, "c2", func(p *sim.Proc) (int, error) {
		for range 3 {
			sem.Release()
		}
		log.Add("c2", "released 3: value %d, locked %v", sem.Value(), sem.Locked())
		err := sem.Acquire(p)
		result = append(result, 2)
		return 0, err
	})
	sim.Go(env, "c3", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.Add("c3", "acquired: %v, locked %v", err, sem.Locked())
		result = append(result, 3)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
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
		log.Add("a", "released; value %d", sem.Value())
		err := sem.Acquire(p) // behind c
		log.Add("a", "acquired again: %v", err)
		return 0, sem.Release()
	})
	b = sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.Add("b", "acquire: %v", err)
		return 0, err
	})
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		err := sem.Acquire(p)
		log.Add("c", "acquired: %v", err)
		p.Sleep(time.Second)
		return 0, sem.Release()
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
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
				log.Add("waiter", "done %d, pending %d, %v; b done %v", len(r.Done), len(r.Pending), err, b.Done())
				return 0, err
			})
			if _, err := sim.RunUntilComplete(env, waiter); err != nil {
				t.Fatal(err)
			}
			want := "1s waiter done 2, pending 1, <nil>; b done true"
			if mode == future.AllCompleted {
				want = "1s waiter done 1, pending 1, <nil>; b done true"
			}
			log.Check(t, want)
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
		log.Add("waiter", "WaitFor(MaxInt64): %d, %v", v, err)
		r, err := sim.Await(p, future.WaitTimeout(env.Loop(), math.MaxInt64-time.Millisecond, future.AllCompleted, f))
		log.Add("waiter", "WaitTimeout(MaxInt64-1ms): %d done, %v", len(r.Done), err)
		v, err = sim.Await(p, future.WaitFor[int](env.Loop(), f, future.NoTimeout))
		log.Add("waiter", "WaitFor(NoTimeout): %d, %v", v, err)
		err = sim.Timeout(p, math.MaxInt64, func(s *sim.Scope) error {
			log.Add("waiter", "scope deadline %v", s.When() == sim.MaxTime)
			return p.Sleep(time.Hour)
		})
		log.Add("waiter", "Timeout(MaxInt64): %v", err)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1h0m0s f done",
		"1h0m0s waiter WaitFor(MaxInt64): 7, <nil>",
		"1h0m0s waiter WaitTimeout(MaxInt64-1ms): 1 done, <nil>",
		"1h0m0s waiter WaitFor(NoTimeout): 7, <nil>",
		"1h0m0s waiter scope deadline true",
		"2h0m0s waiter Timeout(MaxInt64): <nil>",
	)
}

// Rule (test_asyncio_waitfor.py test_asyncio_wait_for_cancelled, Python
// 3.12+: wait_for is "async with timeouts.timeout(timeout): return await
// fut"): the WaitFor's task is cancelled; the inner swallows the
// cancellation and runs to its end; WaitFor waits for it and returns its
// value normally, and the task's Cancelling still counts the request (as
// a plain await of an inner that swallows it would).
func TestWaitForInnerSwallowsCallersCancellation(t *testing.T) {
	env, log := newEnv(t)
	slow := sim.Go(env, "slow", func(p *sim.Proc) (int, error) {
		end := p.Now() + 200*time.Millisecond
		for p.Now() < end {
			if err := p.Sleep(end - p.Now()); err != nil {
				log.Add("slow", "ignores %v", err)
			}
		}
		log.Add("slow", "exited")
		return 1, nil
	})
	wft := sim.Go(env, "waitfor", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, future.WaitFor[int](env.Loop(), slow, 400*time.Millisecond))
		log.Add("waitfor", "WaitFor: %d, %v; Cancelling %d", v, err, p.Cancelling())
		return v, err
	})
	sim.Go(env, "main", func(p *sim.Proc) (int, error) {
		p.Yield()
		log.Add("main", "cancel waitfor: %v", wft.Cancel("stop"))
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s main cancel waitfor: true",
		"0s slow ignores cancelled: stop",
		"200ms slow exited",
		"200ms waitfor WaitFor: 1, <nil>; Cancelling 1",
	)
	if v, err := wft.Result(); v != 1 || err != nil || wft.Cancelled() {
		t.Errorf("waitfor ended with %d, %v (cancelled %v); want 1, nil", v, err, wft.Cancelled())
	}
}

// Rule (test_waitfor.py test_wait_for_issue86296: "The task should get
// cancelled and not run to completion"): an inner that is done when the
// awaiting task is cancelled does not swallow the cancellation: the task
// ends cancelled, the inner keeps its value. Also when the inner ends at
// the instant of the Cancel, before its outcome reached the WaitFor.
func TestWaitForIssue86296(t *testing.T) {
	for _, innerYields := range []bool{false, true} {
		env, log := newEnv(t)
		inner := sim.Go(env, "inner", func(p *sim.Proc) (string, error) {
			if innerYields {
				p.Yield()
			}
			return "done", nil
		})
		reachedEnd := false
		task := sim.Go(env, "task", func(p *sim.Proc) (int, error) {
			if _, err := sim.Await(p, future.WaitFor[string](env.Loop(), inner, 100*time.Second)); err != nil {
				return 0, err
			}
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			reachedEnd = true
			return 0, nil
		})
		sim.Go(env, "main", func(p *sim.Proc) (int, error) {
			p.Yield()
			log.Add("main", "cancel task: %v", task.Cancel(""))
			return 0, nil
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		log.Check(t, "0s main cancel task: true")
		if v, err := inner.Result(); !task.Cancelled() || reachedEnd || v != "done" || err != nil {
			t.Errorf("inner yields %v: task cancelled %v, reached end %v, inner %q, %v", innerYields, task.Cancelled(), reachedEnd, v, err)
		}
	}
}

// unreadFailures returns the *TaskErrors a Run method returned.
func unreadFailures(err error) []*sim.TaskError {
	var out []*sim.TaskError
	var walk func(error)
	walk = func(err error) {
		if te, ok := err.(*sim.TaskError); ok {
			out = append(out, te)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

// Rules (test_tasks.py test_shield_cancel_outer_exception, "the loop's
// exception handler is called once"; test_shield_duplicate_log_once;
// test_shield_cancel_outer_result, "not called"): a failure of the inner
// future of a Shield is never dropped. If the shield was cancelled (once,
// by two shields of the same inner, or through nested shields) or never
// awaited, Run reports the failure once as an unread failure, as it
// reports a task failure nobody read; a value is not reported, nor a
// failure somebody read.
func TestShieldNeverDropsAFailure(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		model func(env *sim.Env, log *tlog) // builds the model
		want  []string                      // the unread failures: "task at err"
	}{
		{"outer cancelled, inner a future", func(env *sim.Env, log *tlog) {
			inner, res := future.New[int](env.Loop())
			outer := future.Shield[int](env.Loop(), inner)
			env.CallLater(time.Second, func() { log.Add("driver", "cancel outer: %v", outer.Cancel("")) })
			env.CallLater(2*time.Second, func() { res.SetError(boom) })
		}, []string{` at 2s: boom`}},
		{"two shields of one inner, both cancelled", func(env *sim.Env, log *tlog) {
			inner, res := future.New[int](env.Loop())
			a := future.Shield[int](env.Loop(), inner)
			b := future.Shield[int](env.Loop(), inner)
			env.CallLater(time.Second, func() { a.Cancel(""); b.Cancel("") })
			env.CallLater(2*time.Second, func() { res.SetError(boom) })
		}, []string{` at 2s: boom`}},
		{"nested shields, the outer awaited and cancelled, inner a task", func(env *sim.Env, log *tlog) {
			inner := sim.Go(env, "inner", failer(log, "inner", 2*time.Second, boom))
			waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
				_, err := sim.Await(p, future.Shield[int](env.Loop(), future.Shield[int](env.Loop(), inner)))
				log.Add("waiter", "%v", err)
				return 0, nil
			})
			env.CallLater(time.Second, func() { waiter.Cancel("w") })
		}, []string{` at 2s: boom`}},
		{"outer cancelled, inner a task", func(env *sim.Env, log *tlog) {
			inner := sim.Go(env, "inner", failer(log, "inner", 2*time.Second, boom))
			outer := future.Shield[int](env.Loop(), inner)
			env.CallLater(time.Second, func() { outer.Cancel("") })
		}, []string{`inner at 2s: boom`}},
		{"never awaited", func(env *sim.Env, log *tlog) {
			inner := sim.Go(env, "inner", failer(log, "inner", 2*time.Second, boom))
			future.Shield[int](env.Loop(), inner)
		}, []string{` at 2s: boom`}},
		{"never awaited, inner failed already", func(env *sim.Env, log *tlog) {
			inner, res := future.New[int](env.Loop())
			res.SetError(boom)
			future.Shield[int](env.Loop(), inner)
		}, []string{` at 0s: boom`}},
		{"awaited: the waiter reads the failure", func(env *sim.Env, log *tlog) {
			inner, res := future.New[int](env.Loop())
			sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
				_, err := sim.Await(p, future.Shield[int](env.Loop(), inner))
				log.Add("waiter", "%v", err)
				return 0, nil
			})
			env.CallLater(2*time.Second, func() { res.SetError(boom) })
		}, nil},
		{"outer cancelled, inner succeeds", func(env *sim.Env, log *tlog) {
			inner, res := future.New[int](env.Loop())
			outer := future.Shield[int](env.Loop(), inner)
			env.CallLater(time.Second, func() { outer.Cancel("") })
			env.CallLater(2*time.Second, func() { res.SetResult(1) })
		}, nil},
		{"outer cancelled, inner's failure read by another", func(env *sim.Env, log *tlog) {
			inner := sim.Go(env, "inner", failer(log, "inner", 2*time.Second, boom))
			outer := future.Shield[int](env.Loop(), inner)
			env.CallLater(time.Second, func() { outer.Cancel("") })
			sim.Go(env, "reader", func(p *sim.Proc) (int, error) {
				_, err := sim.Await(p, inner)
				log.Add("reader", "%v", err)
				return 0, nil
			})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, log := newEnv(t)
			tc.model(env, log)
			var got []string
			for _, te := range unreadFailures(env.Run()) {
				got = append(got, fmt.Sprintf("%s at %v: %v", te.Task, te.At, te.Err))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Run reported %q; want %q\nlog: %q", got, tc.want, log.Lines)
			}
		})
	}
}

// Rule (Python 3.13 wait_for as a timeout scope, with asyncio's "exception
// was never retrieved"): an inner future that fails at the deadline's
// instant, its outcome not yet handed to the WaitFor, loses to the
// deadline; its failure, which nobody read, is reported by Run.
func TestWaitForDeadlineWinsOverAFailureLeftUnread(t *testing.T) {
	env, log := newEnv(t)
	boom := errors.New("boom")
	inner, res := future.New[int](env.Loop())
	env.CallAt(5*time.Second, func() { res.SetError(boom) }) // before the deadline's event
	w := future.WaitFor[int](env.Loop(), inner, 5*time.Second)
	w.AddDoneCallback(func() { log.Add("driver", "WaitFor: %v", w.Err()) })
	var got []string
	for _, te := range unreadFailures(env.Run()) {
		got = append(got, fmt.Sprintf("%q at %v: %v", te.Task, te.At, te.Err))
	}
	log.Check(t, "5s driver WaitFor: timed out after 5s")
	if want := []string{`"" at 5s: boom`}; !slices.Equal(got, want) {
		t.Errorf("Run reported %q; want %q", got, want)
	}
}
