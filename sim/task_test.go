package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

func TestOrderIsTimeThenFIFO(t *testing.T) {
	env, log := newEnv(t)
	for _, name := range []string{"a", "b", "c"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			log.Add(name, "start")
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			log.Add(name, "woke")
			return 0, nil
		})
	}
	env.CallLater(time.Second, func() { log.Add("cb", "at 1s, scheduled after the tasks' sleeps") })
	env.CallAt(500*time.Millisecond, func() { log.Add("cb", "at 500ms") })
	env.CallAtPriority(time.Second, -1, func() { log.Add("cb", "priority -1 at 1s goes first") })
	log.Add("main", "created; nothing ran yet")
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s main created; nothing ran yet",
		"0s a start",
		"0s b start",
		"0s c start",
		"500ms cb at 500ms",
		"1s cb priority -1 at 1s goes first",
		"1s cb at 1s, scheduled after the tasks' sleeps",
		"1s a woke",
		"1s b woke",
		"1s c woke",
	)
}

func TestYieldLetsEverythingDueNowRunFirst(t *testing.T) {
	env, log := newEnv(t)
	for _, name := range []string{"a", "b"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			for i := range 3 {
				log.Add(name, "step %d", i)
				if i == 0 && name == "a" {
					env.CallSoon(func() { log.Add("cb", "soon, from a") })
				}
				if err := p.Yield(); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
	}
	sim.Go(env, "neg", func(p *sim.Proc) (int, error) {
		err := p.Sleep(-time.Hour) // negative durations count as zero, as in package time
		log.Add("neg", "slept %v", err)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a step 0",
		"0s b step 0",
		"0s cb soon, from a",
		"0s a step 1",
		"0s b step 1",
		"0s neg slept <nil>",
		"0s a step 2",
		"0s b step 2",
	)
	if env.Now() != 0 {
		t.Errorf("Now = %v after yields; want 0", env.Now())
	}
}

func TestCancelBeforeFirstStepNeverRuns(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "never", func(p *sim.Proc) (int, error) {
		log.Add("never", "ran")
		return 1, nil
	})
	if !task.Cancel("too early") {
		t.Fatal("Cancel on a pending task returned false")
	}
	if task.Cancelling() != 1 {
		t.Errorf("Cancelling = %d; want 1", task.Cancelling())
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t)
	_, err := task.Result()
	var ce *sim.CancelledError
	if !task.Cancelled() || !errors.As(err, &ce) || ce.Msg != "too early" {
		t.Fatalf("Cancelled=%v err=%v; want cancelled with message %q", task.Cancelled(), err, "too early")
	}
	if task.Cancel("again") {
		t.Error("Cancel on a finished task returned true")
	}
}

func TestUncancelBeforeFirstStepRescindsIt(t *testing.T) {
	// Python 3.13: uncancel() bringing the count to zero withdraws a
	// cancellation not yet delivered.
	env, _ := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) { return 7, nil })
	task.Cancel("")
	if n := task.Uncancel(); n != 0 {
		t.Fatalf("Uncancel = %d; want 0", n)
	}
	v, err := sim.RunUntilComplete(env, task)
	if v != 7 || err != nil {
		t.Fatalf("got %v, %v; want 7, nil", v, err)
	}
}

func TestCancelDuringSleep(t *testing.T) {
	env, log := newEnv(t)
	sleeper := sim.Go(env, "sleeper", func(p *sim.Proc) (int, error) {
		err := p.Sleep(time.Hour)
		log.Add("sleeper", "woke: %v; Is(ErrCancelled)=%v Is(context.Canceled)=%v",
			err, errors.Is(err, sim.ErrCancelled), errors.Is(err, context.Canceled))
		return 0, err
	})
	env.CallLater(90*time.Second, func() {
		log.Add("cb", "cancel: %v", sleeper.Cancel("enough"))
	})
	env.CallLater(90*time.Second, func() { log.Add("cb", "same instant, scheduled before the wake-up") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1m30s cb cancel: true",
		"1m30s cb same instant, scheduled before the wake-up",
		"1m30s sleeper woke: cancelled: enough; Is(ErrCancelled)=true Is(context.Canceled)=true",
	)
	if !sleeper.Cancelled() || env.Now() != 90*time.Second {
		t.Errorf("Cancelled=%v Now=%v; want true, 1m30s", sleeper.Cancelled(), env.Now())
	}
	if sleeper.Cancel("late") {
		t.Error("Cancel after the end returned true")
	}
}

func TestSwallowedCancelGoesOn(t *testing.T) {
	env, log := newEnv(t)
	var task *sim.Task[string]
	task = sim.Go(env, "stubborn", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(time.Hour); err != nil {
			log.Add("stubborn", "ignores %v; cancelling=%d uncancel=%d", err, task.Cancelling(), task.Uncancel())
		}
		if err := p.Sleep(time.Minute); err != nil {
			return "", err
		}
		return "done anyway", nil
	})
	env.CallLater(time.Second, func() { task.Cancel("") })
	v, err := sim.RunUntilComplete(env, task)
	log.Add("main", "%q %v", v, err)
	log.Check(t,
		"1s stubborn ignores cancelled; cancelling=1 uncancel=0",
		"1m1s main \"done anyway\" <nil>",
	)
}

func TestCancelWhileRunningIsDeliveredAtNextWait(t *testing.T) {
	env, log := newEnv(t)
	var self *sim.Task[int]
	self = sim.Go(env, "self", func(p *sim.Proc) (int, error) {
		log.Add("self", "cancel myself: %v", self.Cancel("me"))
		env.CallSoon(func() { log.Add("cb", "due now, runs before the delivery") })
		err := p.Sleep(time.Hour)
		log.Add("self", "sleep returned %v", err)
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s self cancel myself: true",
		"0s cb due now, runs before the delivery",
		"0s self sleep returned cancelled: me",
	)
	if !self.Cancelled() {
		t.Error("task not cancelled")
	}
}

func TestCancelRequestedAndReturningNilEndsCancelled(t *testing.T) {
	// asyncio: a task whose coroutine returns while a cancellation is
	// pending ends cancelled.
	env, _ := newEnv(t)
	var task *sim.Task[int]
	task = sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		task.Cancel("pending")
		return 1, nil
	})
	_, err := sim.RunUntilComplete(env, task)
	if !errors.Is(err, sim.ErrCancelled) || !task.Cancelled() {
		t.Fatalf("err = %v, Cancelled = %v; want a cancellation", err, task.Cancelled())
	}
}

func TestCancelPropagatesDownTheAwaitChain(t *testing.T) {
	env, log := newEnv(t)
	leaf := sim.Go(env, "leaf", func(p *sim.Proc) (int, error) {
		err := p.Sleep(time.Hour)
		log.Add("leaf", "%v", err)
		return 0, err
	})
	mid := sim.Go(env, "mid", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, leaf)
		log.Add("mid", "%v", err)
		return v, err
	})
	top := sim.Go(env, "top", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, mid)
		log.Add("top", "%v", err)
		return v, err
	})
	env.CallLater(time.Minute, func() { top.Cancel("from the top") })
	if _, err := sim.RunUntilComplete(env, top); !errors.Is(err, sim.ErrCancelled) {
		t.Fatalf("top: %v", err)
	}
	log.Check(t,
		"1m0s leaf cancelled: from the top",
		"1m0s mid cancelled: from the top",
		"1m0s top cancelled: from the top",
	)
	for _, task := range []interface{ Cancelled() bool }{leaf, mid, top} {
		if !task.Cancelled() {
			t.Errorf("%v not cancelled", task)
		}
	}
}

func TestCancelAfterFutureDoneButBeforeWakeup(t *testing.T) {
	// asyncio: the awaited future completed, its wake-up is scheduled, and
	// then the task is cancelled: the task sees the cancellation, not the
	// value, and the future keeps its value.
	env, log := newEnv(t)
	f, res := future.New[int](loopOf(env))
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, f)
		log.Add("waiter", "%d %v", v, err)
		return v, err
	})
	env.CallLater(time.Second, func() {
		res.SetResult(42)
		log.Add("cb", "set; cancel waiter: %v", waiter.Cancel("late"))
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s cb set; cancel waiter: true",
		"1s waiter 0 cancelled: late",
	)
	if v, err := f.Result(); v != 42 || err != nil {
		t.Errorf("future: %v %v; want 42 nil", v, err)
	}
}

func TestAwaitDoneFutureDoesNotYield(t *testing.T) {
	env, log := newEnv(t)
	done := sim.Go(env, "quick", func(p *sim.Proc) (int, error) { return 5, nil })
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		env.CallSoon(func() { log.Add("cb", "soon") })
		v, err := sim.Await(p, done)
		log.Add("waiter", "got %d %v without yielding", v, err)
		return v, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s waiter got 5 <nil> without yielding",
		"0s cb soon",
	)
}

func TestPanicEndsTaskWithStackAndEnvStaysUsable(t *testing.T) {
	env, _ := newEnv(t)
	bad := sim.Go(env, "bad", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		var s []int
		_ = s[p.ID()] // panics
		return 0, nil
	})
	good := sim.Go(env, "good", func(p *sim.Proc) (int, error) {
		return 1, p.Sleep(2 * time.Second)
	})
	v, err := sim.RunUntilComplete(env, good)
	if v != 1 || err != nil {
		t.Fatalf("good: %v %v", v, err)
	}
	_, err = bad.Result()
	var pe *sim.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("bad: %v; want a *PanicError", err)
	}
	if !strings.Contains(pe.Error(), "index out of range [1] with length 0") {
		t.Errorf("panic error %q does not carry the panic value", pe)
	}
	if !strings.Contains(string(pe.Stack), "TestPanicEndsTaskWithStackAndEnvStaysUsable") {
		t.Errorf("stack does not show the task's function:\n%s", pe.Stack)
	}
	// The Env goes on.
	again := sim.Go(env, "again", func(p *sim.Proc) (string, error) { return "ok", p.Sleep(time.Second) })
	if v, err := sim.RunUntilComplete(env, again); v != "ok" || err != nil || env.Now() != 3*time.Second {
		t.Fatalf("after panic: %v %v at %v", v, err, env.Now())
	}
}

func TestUnreadFailureIsReturnedByRun(t *testing.T) {
	env, _ := newEnv(t)
	boom := errors.New("boom")
	sim.Go(env, "fails", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(3 * time.Second); err != nil {
			return 0, err
		}
		return 0, boom
	})
	err := env.Run()
	if !errors.Is(err, sim.ErrTaskFailed) || !errors.Is(err, boom) {
		t.Fatalf("Run = %v; want a TaskError wrapping boom", err)
	}
	if want := `sim: task "fails" failed at 3s and nobody read its result: boom`; err.Error() != want {
		t.Errorf("Run error %q; want %q", err, want)
	}
	if err := env.Run(); err != nil {
		t.Errorf("second Run = %v; the failure is reported once", err)
	}

	// A failure that a task awaited is handled: Run says nothing.
	failing := sim.Go(env, "fails-awaited", func(p *sim.Proc) (int, error) { return 0, boom })
	sim.Go(env, "reader", func(p *sim.Proc) (int, error) {
		if _, err := sim.Await(p, failing); !errors.Is(err, boom) {
			t.Errorf("reader got %v; want boom", err)
		}
		return 0, nil // handled
	})
	if err := env.Run(); err != nil {
		t.Fatalf("Run = %v; an awaited failure is not reported", err)
	}
}

func TestDeadlockReportListsEveryWaitingTask(t *testing.T) {
	env, _ := newEnv(t)
	f, _ := future.New[int](loopOf(env))
	a := sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		return sim.Await(p, f)
	})
	sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(2 * time.Second); err != nil {
			return 0, err
		}
		return sim.Await(p, a)
	})
	err := env.Run()
	var d *sim.DeadlockError
	if !errors.As(err, &d) || !errors.Is(err, sim.ErrDeadlock) {
		t.Fatalf("Run = %v; want a *DeadlockError", err)
	}
	want := `sim: deadlock at 2s: no event is scheduled and 2 task(s) wait:
	task "a" waits on a future (*future.Future[int]) since 1s
	task "b" waits on task "a" since 2s`
	if err.Error() != want {
		t.Errorf("deadlock report:\n%s\nwant:\n%s", err, want)
	}
	// RunUntilComplete reports the same.
	if _, err := sim.RunUntilComplete(env, a); !errors.Is(err, sim.ErrDeadlock) {
		t.Errorf("RunUntilComplete = %v; want a deadlock", err)
	}
}

// loopOf returns env as a future.Loop, through a task's Future.
func loopOf(env *sim.Env) future.Loop { return env.Loop() }

// TestCancelAwaitCycle checks that cancelling one of two tasks that await
// each other ends in the deadlock report, not in a cancellation passed
// round the cycle until the stack overflows.
func TestCancelAwaitCycle(t *testing.T) {
	env, _ := newEnv(t)
	var a, b *sim.Task[struct{}]
	a = sim.Go(env, "a", func(p *sim.Proc) (struct{}, error) {
		_, err := sim.Await(p, b)
		return struct{}{}, err
	})
	b = sim.Go(env, "b", func(p *sim.Proc) (struct{}, error) {
		_, err := sim.Await(p, a)
		return struct{}{}, err
	})
	env.CallLater(time.Second, func() { a.Cancel("stop") })
	err := env.Run()
	var d *sim.DeadlockError
	if !errors.As(err, &d) || len(d.Waiting) != 2 {
		t.Fatalf("Run: %v, want a deadlock of the two tasks", err)
	}
	if a.Done() || b.Done() {
		t.Errorf("done: a %v, b %v; want both still waiting", a.Done(), b.Done())
	}
}
