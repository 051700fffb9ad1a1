package sim_test

// Conformance with asyncio's task, future and combinator rules (Python 3.13
// documentation: "Coroutines and Tasks", "Futures"). Each test names the rule
// it checks; times are virtual and exact.

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// sleeper returns a task body that sleeps d, logs, and returns v.
func sleeper[T any](log *tlog, name string, d time.Duration, v T) func(p *sim.Proc) (T, error) {
	return func(p *sim.Proc) (T, error) {
		if err := p.Sleep(d); err != nil {
			log.Add(name, "cancelled: %v", err)
			var zero T
			return zero, err
		}
		log.Add(name, "done")
		return v, nil
	}
}

func failer(log *tlog, name string, d time.Duration, err error) func(p *sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) {
		if e := p.Sleep(d); e != nil {
			return 0, e
		}
		log.Add(name, "fails")
		return 0, err
	}
}

// Rule (gather): results come in the order of the arguments, whatever the
// order of completion.
func TestGatherKeepsArgumentOrder(t *testing.T) {
	env, log := newEnv(t)
	a := sim.Go(env, "a", sleeper(log, "a", 3*time.Second, 1))
	b := sim.Go(env, "b", sleeper(log, "b", time.Second, 2))
	c := sim.Go(env, "c", sleeper(log, "c", 2*time.Second, 3))
	vs, err := sim.RunUntilComplete(env, future.Gather(env.Loop(), a, b, c))
	if fmt.Sprint(vs, err) != "[1 2 3] <nil>" || env.Now() != 3*time.Second {
		t.Fatalf("Gather = %v, %v at %v", vs, err, env.Now())
	}
	log.Check(t, "1s b done", "2s c done", "3s a done")
}

// Rule (gather, return_exceptions=False): the first error is propagated at
// once; the other awaitables are not cancelled and go on running.
func TestGatherFailsFastWithoutCancellingOthers(t *testing.T) {
	env, log := newEnv(t)
	boom := errors.New("boom")
	slow := sim.Go(env, "slow", sleeper(log, "slow", 5*time.Second, 1))
	bad := sim.Go(env, "bad", failer(log, "bad", time.Second, boom))
	g := future.Gather(env.Loop(), slow, bad)
	_, err := sim.RunUntilComplete(env, g)
	if err != boom || env.Now() != time.Second {
		t.Fatalf("Gather = %v at %v; want boom at 1s", err, env.Now())
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s bad fails", "5s slow done")
	if slow.Cancelled() {
		t.Error("the other child was cancelled")
	}
}

// Rule (gather): a cancelled child is an error of the gather (matching
// ErrCancelled); the gather itself is not cancelled.
func TestGatherCancelledChildIsAnError(t *testing.T) {
	env, log := newEnv(t)
	a := sim.Go(env, "a", sleeper(log, "a", time.Hour, 1))
	b := sim.Go(env, "b", sleeper(log, "b", time.Second, 2))
	g := future.Gather(env.Loop(), a, b)
	env.CallLater(time.Minute, func() { a.Cancel("child only") })
	_, err := sim.RunUntilComplete(env, g)
	if !errors.Is(err, sim.ErrCancelled) || g.Cancelled() {
		t.Fatalf("Gather = %v, Cancelled = %v; want a cancellation error, not cancelled", err, g.Cancelled())
	}
	log.Check(t, "1s b done", "1m0s a cancelled: cancelled: child only")
}

// Rule (gather): cancelling the gather cancels every unfinished child; the
// gather ends cancelled (whatever return_exceptions) once they are done.
func TestCancellingGatherCancelsChildren(t *testing.T) {
	for _, collect := range []bool{false, true} {
		env, log := newEnv(t)
		a := sim.Go(env, "a", sleeper(log, "a", time.Hour, 1))
		b := sim.Go(env, "b", sleeper(log, "b", time.Second, 2))
		var g future.Waitable
		if collect {
			g = future.GatherOutcomes(env.Loop(), a, b)
		} else {
			g = future.Gather(env.Loop(), a, b)
		}
		env.CallLater(time.Minute, func() { log.Add("cb", "cancel gather: %v", g.Cancel("stop all")) })
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		log.Check(t, "1s b done", "1m0s cb cancel gather: true", "1m0s a cancelled: cancelled: stop all")
		if !g.Cancelled() || !a.Cancelled() || b.Cancelled() {
			t.Errorf("collect=%v: gather cancelled=%v a=%v b=%v", collect, g.Cancelled(), a.Cancelled(), b.Cancelled())
		}
	}
}

// Rule (gather, return_exceptions=True): errors and cancellations are
// results, in argument order.
func TestGatherOutcomesCollectsErrors(t *testing.T) {
	env, log := newEnv(t)
	boom := errors.New("boom")
	a := sim.Go(env, "a", failer(log, "a", time.Second, boom))
	b := sim.Go(env, "b", sleeper(log, "b", time.Hour, 2))
	c := sim.Go(env, "c", sleeper(log, "c", 2*time.Second, 3))
	env.CallLater(time.Minute, func() { b.Cancel("b out") })
	outs, err := sim.RunUntilComplete(env, future.GatherOutcomes(env.Loop(), a, b, c))
	if err != nil || len(outs) != 3 {
		t.Fatalf("GatherOutcomes = %v, %v", outs, err)
	}
	if outs[0].Err != boom || !errors.Is(outs[1].Err, sim.ErrCancelled) || outs[2].Value != 3 || outs[2].Err != nil {
		t.Errorf("outcomes %+v", outs)
	}
	if env.Now() != time.Minute {
		t.Errorf("done at %v; want 1m", env.Now())
	}
	// An empty gather is done at once with an empty result.
	if vs, err := future.Gather[int](env.Loop()).Result(); len(vs) != 0 || err != nil {
		t.Errorf("empty Gather = %v, %v", vs, err)
	}
}

// Rule (wait): FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED; the
// futures are never cancelled and Wait never fails because of them.
func TestWaitModes(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		mode        future.WaitMode
		at          time.Duration
		done, pend  int
		timeout     time.Duration
		wantTimeout bool
	}{
		{future.FirstCompleted, time.Second, 1, 2, -1, false},
		{future.FirstError, 2 * time.Second, 2, 1, -1, false},
		{future.AllCompleted, 3 * time.Second, 3, 0, -1, false},
		{future.AllCompleted, 1500 * time.Millisecond, 1, 2, 1500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.mode, tt.timeout), func(t *testing.T) {
			env, log := newEnv(t)
			fs := []future.Waitable{
				sim.Go(env, "ok", sleeper(log, "ok", time.Second, 1)),
				sim.Go(env, "bad", failer(log, "bad", 2*time.Second, boom)),
				sim.Go(env, "late", sleeper(log, "late", 3*time.Second, 3)),
			}
			var w *future.Future[future.WaitResult]
			if tt.timeout >= 0 {
				w = future.WaitTimeout(env.Loop(), tt.timeout, tt.mode, fs...)
			} else {
				w = future.Wait(env.Loop(), tt.mode, fs...)
			}
			r, err := sim.RunUntilComplete(env, w)
			if err != nil || env.Now() != tt.at || len(r.Done) != tt.done || len(r.Pending) != tt.pend {
				t.Fatalf("Wait = %d done, %d pending, %v at %v", len(r.Done), len(r.Pending), err, env.Now())
			}
			for _, f := range fs {
				if f.Cancelled() {
					t.Error("Wait cancelled a future")
				}
			}
			if err := env.Run(); err != nil && !errors.Is(err, boom) {
				t.Fatal(err)
			}
		})
	}
	env, _ := newEnv(t)
	if _, err := future.Wait(env.Loop(), future.AllCompleted).Result(); !errors.Is(err, future.ErrNoFutures) {
		t.Errorf("Wait() = %v; want ErrNoFutures", err)
	}
}

// Rule (wait): cancelling the wait leaves the futures alone.
func TestCancellingWaitLeavesFutures(t *testing.T) {
	env, log := newEnv(t)
	a := sim.Go(env, "a", sleeper(log, "a", time.Hour, 1))
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		_, err := sim.Await(p, future.Wait(env.Loop(), future.AllCompleted, a))
		log.Add("waiter", "%v", err)
		return 0, err
	})
	env.CallLater(time.Second, func() { waiter.Cancel("w") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s waiter cancelled: w", "1h0m0s a done")
}

// Rule (wait_for): the result when the future is done in time.
func TestWaitForInTime(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", sleeper(log, "f", time.Second, "v"))
	v, err := sim.RunUntilComplete(env, future.WaitFor[string](env.Loop(), f, 2*time.Second))
	if v != "v" || err != nil || env.Now() != time.Second {
		t.Fatalf("WaitFor = %q, %v at %v", v, err, env.Now())
	}
	if env.Pending() != 0 {
		t.Errorf("%d events left; the timer must be cancelled", env.Pending())
	}
}

// Rule (wait_for): on timeout the future is cancelled, WaitFor waits until it
// has finished cancelling (its cleanup included), then fails with a timeout
// error matching ErrTimeout and context.DeadlineExceeded.
func TestWaitForTimeoutWaitsForCleanup(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", func(p *sim.Proc) (int, error) {
		err := p.Sleep(time.Hour)
		log.Add("f", "cleanup after %v", err)
		p.Sleep(time.Second) // the cleanup takes a second; a cancelled task may still wait
		log.Add("f", "cleanup done")
		return 0, err
	})
	w := future.WaitFor[int](env.Loop(), f, 5*time.Second)
	_, err := sim.RunUntilComplete(env, w)
	log.Add("main", "WaitFor: %v", err)
	if !errors.Is(err, sim.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sim.ErrCancelled) {
		t.Errorf("WaitFor error %v; want a timeout", err)
	}
	log.Check(t,
		"5s f cleanup after cancelled",
		"6s f cleanup done",
		"6s main WaitFor: timed out after 5s",
	)
}

// Rule (wait_for): a future that handles the cancellation and returns a
// value gives that value.
func TestWaitForSwallowedCancellationGivesTheValue(t *testing.T) {
	env, _ := newEnv(t)
	f := sim.Go(env, "f", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(time.Hour); err != nil {
			return "partial", nil
		}
		return "full", nil
	})
	v, err := sim.RunUntilComplete(env, future.WaitFor[string](env.Loop(), f, time.Second))
	if v != "partial" || err != nil {
		t.Fatalf("WaitFor = %q, %v; want partial", v, err)
	}
}

// Rule (wait_for): cancelling the WaitFor cancels the inner future; it ends
// cancelled once the inner has finished.
func TestCancellingWaitForCancelsInner(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", sleeper(log, "f", time.Hour, 1))
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, future.WaitFor[int](env.Loop(), f, time.Minute))
		log.Add("waiter", "%v", err)
		return v, err
	})
	env.CallLater(time.Second, func() { waiter.Cancel("outer") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s f cancelled: cancelled: outer", "1s waiter cancelled: outer")
}

// Rule (wait_for, timeout <= 0): done futures give their result; others are
// cancelled at once and time out.
func TestWaitForZeroTimeout(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", sleeper(log, "f", time.Hour, 1))
	env.Step() // f starts sleeping
	_, err := sim.RunUntilComplete(env, future.WaitFor[int](env.Loop(), f, 0))
	if !errors.Is(err, sim.ErrTimeout) || env.Now() != 0 {
		t.Errorf("WaitFor(0) = %v at %v", err, env.Now())
	}
	done, res := future.New[int](env.Loop())
	res.SetResult(4)
	if v, err := future.WaitFor[int](env.Loop(), done, -time.Second).Result(); v != 4 || err != nil {
		t.Errorf("WaitFor(done, -1s) = %v, %v", v, err)
	}
}

// Rule (shield): cancelling the shield does not cancel the inner future.
func TestShield(t *testing.T) {
	env, log := newEnv(t)
	f := sim.Go(env, "f", sleeper(log, "f", time.Hour, 7))
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, future.Shield[int](env.Loop(), f))
		log.Add("waiter", "%v", err)
		return v, err
	})
	env.CallLater(time.Second, func() { waiter.Cancel("outer") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s waiter cancelled: outer", "1h0m0s f done")
	if v, err := f.Result(); v != 7 || err != nil {
		t.Errorf("inner = %v, %v", v, err)
	}
}

// Rule (as_completed): futures come in completion order.
func TestAsCompleted(t *testing.T) {
	env, log := newEnv(t)
	fs := []future.Awaitable[string]{
		sim.Go(env, "a", sleeper(log, "a", 3*time.Second, "a")),
		sim.Go(env, "b", sleeper(log, "b", time.Second, "b")),
		sim.Go(env, "c", sleeper(log, "c", 2*time.Second, "c")),
	}
	reader := sim.Go(env, "reader", func(p *sim.Proc) (string, error) {
		order := ""
		for f, err := range sim.AsCompleted(p, fs...) {
			if err != nil {
				return order, err
			}
			v, _ := f.Result()
			log.Add("reader", "got %s", v)
			order += v
		}
		return order, nil
	})
	if v, err := sim.RunUntilComplete(env, reader); v != "bca" || err != nil {
		t.Fatalf("AsCompleted order %q, %v", v, err)
	}
	log.Check(t, "1s b done", "1s reader got b", "2s c done", "2s reader got c", "3s a done", "3s reader got a")
}

// Rule (asyncio.timeout): on expiry the block sees a cancellation at its
// wait; outside the block it becomes a TimeoutError; Expired reports it.
func TestTimeoutScopeExpires(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		var scope *sim.Scope
		err := sim.Timeout(p, 10*time.Second, func(s *sim.Scope) error {
			scope = s
			err := p.Sleep(time.Hour)
			log.Add("t", "inside: %v", err)
			return err
		})
		log.Add("t", "outside: %v; expired %v; Is(ErrCancelled)=%v", err, scope.Expired(), errors.Is(err, sim.ErrCancelled))
		return 0, p.Sleep(time.Second) // the task is not cancelled any more
	})
	if _, err := sim.RunUntilComplete(env, task); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"10s t inside: cancelled",
		"10s t outside: timed out after 10s; expired true; Is(ErrCancelled)=false",
	)
	if env.Now() != 11*time.Second || task.Cancelling() != 0 {
		t.Errorf("end at %v, cancelling %d", env.Now(), task.Cancelling())
	}
}

// Rule (asyncio.timeout): reschedule moves the deadline; a block that ends
// in time returns its own result.
func TestTimeoutScopeReschedule(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		err := sim.TimeoutAt(p, sim.MaxTime, func(s *sim.Scope) error {
			s.Reschedule(p.Now() + 5*time.Second)
			if err := p.Sleep(3 * time.Second); err != nil {
				return err
			}
			s.Reschedule(p.Now() + 5*time.Second) // now 8s
			return p.Sleep(4 * time.Second)
		})
		log.Add("t", "%v", err)
		return 0, err
	})
	if _, err := sim.RunUntilComplete(env, task); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "7s t <nil>")
}

// Rule (asyncio.timeout, nesting): the scope whose deadline passed reports
// the timeout; an enclosing scope sees a TimeoutError, not a cancellation.
func TestTimeoutScopesNest(t *testing.T) {
	for _, tt := range []struct{ outer, inner time.Duration }{{10 * time.Second, 2 * time.Second}, {2 * time.Second, 10 * time.Second}} {
		env, log := newEnv(t)
		sim.Go(env, "t", func(p *sim.Proc) (int, error) {
			outerErr := sim.Timeout(p, tt.outer, func(o *sim.Scope) error {
				innerErr := sim.Timeout(p, tt.inner, func(*sim.Scope) error { return p.Sleep(time.Hour) })
				log.Add("t", "inner: %v", innerErr)
				return innerErr
			})
			log.Add("t", "outer: %v", outerErr)
			return 0, nil
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		if tt.inner < tt.outer {
			log.Check(t, "2s t inner: timed out after 2s", "2s t outer: timed out after 2s")
		} else {
			log.Check(t, "2s t inner: cancelled", "2s t outer: timed out after 2s")
		}
	}
}

// Rule (asyncio.timeout): a cancellation from outside the scope is never
// turned into a timeout, even at the instant the deadline passes.
func TestTimeoutScopeKeepsOutsideCancel(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		err := sim.Timeout(p, 10*time.Second, func(*sim.Scope) error { return p.Sleep(time.Hour) })
		log.Add("t", "%v; Is(ErrCancelled)=%v", err, errors.Is(err, sim.ErrCancelled))
		return 0, err
	})
	env.CallLater(10*time.Second, func() { task.Cancel("outside") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if !task.Cancelled() {
		t.Error("the task is not cancelled")
	}
	// The outside cancel ran first (it was scheduled first); the expiry's
	// request then replaced its message, as asyncio's _must_cancel does; the
	// cancellation itself is kept.
	log.Check(t, "10s t cancelled; Is(ErrCancelled)=true")
}

// Rule (TaskGroup): the group waits for every task; no error means nil.
func TestTaskGroupWaitsForAll(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "parent", func(p *sim.Proc) (int, error) {
		var a *sim.Task[int]
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			a = sim.GoIn(g, "a", sleeper(log, "a", 2*time.Second, 1))
			g.Go("b", func(p *sim.Proc) error { return p.Sleep(time.Second) })
			log.Add("parent", "body done")
			return nil
		})
		log.Add("parent", "group: %v", err)
		v, _ := a.Result()
		return v, err
	})
	if v, err := sim.RunUntilComplete(env, task); v != 1 || err != nil {
		t.Fatalf("got %v, %v", v, err)
	}
	log.Check(t, "0s parent body done", "2s a done", "2s parent group: <nil>")
}

// Rule (TaskGroup): the first failure cancels the other tasks and the body;
// every failure is reported, joined, and errors.Is finds each one.
func TestTaskGroupFirstFailureCancelsSiblingsAndBody(t *testing.T) {
	env, log := newEnv(t)
	boom, bang := errors.New("boom"), errors.New("bang")
	task := sim.Go(env, "parent", func(p *sim.Proc) (int, error) {
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			sim.GoIn(g, "slow", sleeper(log, "slow", time.Hour, 1))
			sim.GoIn(g, "bad", failer(log, "bad", time.Second, boom))
			sim.GoIn(g, "worse", failer(log, "worse", time.Second, bang))
			err := p.Sleep(time.Hour)
			log.Add("parent", "body sees %v", err)
			return err
		})
		log.Add("parent", "group: %v", err)
		var ge *sim.GroupError
		if !errors.As(err, &ge) || !errors.Is(err, boom) || !errors.Is(err, bang) || ge.Cancelled {
			t.Errorf("group error %#v", err)
		}
		return 0, p.Sleep(time.Second) // the body's cancellation was withdrawn
	})
	if _, err := sim.RunUntilComplete(env, task); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s bad fails",
		"1s worse fails",
		"1s slow cancelled: cancelled",
		"1s parent body sees cancelled",
		"1s parent group: sim: 2 error(s) in task group; boom; bang",
	)
}

// Rule (TaskGroup): a cancellation from outside cancels the tasks and is
// propagated once they have ended.
func TestTaskGroupOutsideCancel(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "parent", func(p *sim.Proc) (int, error) {
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			sim.GoIn(g, "child", sleeper(log, "child", time.Hour, 1))
			return nil // the body ends; the group waits in exit
		})
		log.Add("parent", "group: %v", err)
		return 0, err
	})
	env.CallLater(time.Second, func() { task.Cancel("from outside") })
	if _, err := sim.RunUntilComplete(env, task); !errors.Is(err, sim.ErrCancelled) {
		t.Fatalf("parent: %v", err)
	}
	log.Check(t, "1s child cancelled: cancelled", "1s parent group: cancelled: from outside")
}

// Rule (Python 3.13 TaskGroup): cancelled from outside while a task fails,
// the group reports the failure and the cancellation is delivered again at
// the next wait: both are reported, neither is lost.
func TestTaskGroupOutsideCancelAndFailureReportsBoth(t *testing.T) {
	env, log := newEnv(t)
	boom := errors.New("boom")
	task := sim.Go(env, "parent", func(p *sim.Proc) (int, error) {
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			sim.GoIn(g, "cleanup-fails", func(p *sim.Proc) (int, error) {
				p.Sleep(time.Hour)
				log.Add("cleanup-fails", "fails in cleanup")
				return 0, boom
			})
			return p.Sleep(time.Hour)
		})
		log.Add("parent", "group: %v", err)
		err2 := p.Sleep(time.Second)
		log.Add("parent", "next wait: %v", err2)
		return 0, err2
	})
	env.CallLater(time.Second, func() { task.Cancel("outside") })
	_, err := sim.RunUntilComplete(env, task)
	if !errors.Is(err, sim.ErrCancelled) {
		t.Fatalf("parent: %v", err)
	}
	log.Check(t,
		"1s cleanup-fails fails in cleanup",
		"1s parent group: sim: 1 error(s) in task group (and the group was cancelled from outside); boom",
		"1s parent next wait: cancelled",
	)
}

// Rule (Task.cancelling/uncancel): the count of pending requests.
func TestCancellingCounts(t *testing.T) {
	env, _ := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Hour) })
	env.Step()
	task.Cancel("1")
	task.Cancel("2")
	if task.Cancelling() != 2 || task.Uncancel() != 1 || task.Uncancel() != 0 || task.Uncancel() != 0 {
		t.Fatal("Cancelling/Uncancel counts wrong")
	}
	env.Run()
	if !task.Cancelled() {
		t.Error("a cancellation delivered before Uncancel must still end the task")
	}
}

// Rule (context): p.Context is cancelled with the task and expires with a
// timeout scope, whose deadline it carries in the Env's clock.
func TestProcContext(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		var inScope context.Context
		sim.Timeout(p, 5*time.Second, func(*sim.Scope) error {
			inScope = p.Context()
			d, ok := inScope.Deadline()
			log.Add("t", "deadline %v %v", d.Sub(env.Start()), ok)
			return p.Sleep(time.Hour)
		})
		log.Add("t", "scope ctx: %v, closed %v", inScope.Err(), isClosed(inScope.Done()))
		ctx := p.Context()
		if _, ok := ctx.Deadline(); ok || ctx.Err() != nil {
			t.Error("a fresh context outside scopes has a deadline or an error")
		}
		err := p.Sleep(time.Hour)
		log.Add("t", "ctx: %v, closed %v", ctx.Err(), isClosed(ctx.Done()))
		return 0, err
	})
	env.CallLater(10*time.Second, func() { task.Cancel("") })
	env.Run()
	log.Check(t,
		"0s t deadline 5s true",
		"5s t scope ctx: context deadline exceeded, closed true",
		"10s t ctx: context canceled, closed true",
	)
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Rule (context.WithTimeout): a context made inside a timeout scope is
// cancelled when the scope ends in time, as by WithTimeout's cancel.
func TestContextEndsWithItsScope(t *testing.T) {
	env, log := newEnv(t)
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		var ctx context.Context
		err := sim.Timeout(p, time.Second, func(*sim.Scope) error { ctx = p.Context(); return nil })
		log.Add("t", "scope %v; ctx %v", err, ctx.Err())
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "0s t scope <nil>; ctx context canceled")
}

// Rule (wait_for): a future cancelled before WaitFor makes it end cancelled,
// as one cancelled afterwards does.
func TestWaitForOfCancelledFuture(t *testing.T) {
	env, _ := newEnv(t)
	f, _ := future.New[int](env.Loop())
	f.Cancel("early")
	w := future.WaitFor[int](env.Loop(), f, time.Second)
	if _, err := w.Result(); !w.Cancelled() || err.Error() != "cancelled: early" {
		t.Fatalf("WaitFor of a cancelled cancelled=%v err=%v", w.Cancelled(), err)
	}
}
