package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

func TestClockTimersFireAtTheirVirtualTimes(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	start := clk.Now()
	if !start.Equal(sim.DefaultStart) {
		t.Fatalf("Now = %v, want %v", start, sim.DefaultStart)
	}
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		tm := clk.Timer(3 * time.Second)
		tk := clk.Ticker(2 * time.Second)
		clk.AfterFunc(5*time.Second, func() { log.Add("afterfunc", "ran") })
		for range 3 {
			v, _, err := sim.Recv(p, tk.C)
			if err != nil {
				return 0, err
			}
			log.Add("waiter", "tick %v", v.Sub(start))
		}
		tk.Stop()
		v, _, _ := sim.Recv(p, tm.C)
		log.Add("waiter", "timer sent %v", v.Sub(start))
		clk.Sleep(10 * time.Second)
		log.Add("waiter", "slept, since start %v", clk.Since(start))
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2s waiter tick 2s",
		"4s waiter tick 4s",
		"5s afterfunc ran",
		"6s waiter tick 6s",
		"6s waiter timer sent 3s",
		"16s waiter slept, since start 16s",
	)
}

func TestClockStopAndReset(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	a := clk.AfterFunc(time.Second, func() { log.Add("a", "fired") })
	b := clk.AfterFunc(2*time.Second, func() { log.Add("b", "fired") })
	c := clk.AfterFunc(3*time.Second, func() { log.Add("c", "fired") })
	if !a.Stop() {
		t.Error("Stop of a pending timer = false")
	}
	if a.Stop() {
		t.Error("second Stop = true")
	}
	if !b.Reset(500 * time.Millisecond) {
		t.Error("Reset of a pending timer = false")
	}
	env.CallLater(2500*time.Millisecond, func() {
		c.Reset(time.Second) // now 3.5s
		a.Reset(0)           // re-armed: fires now
		log.Add("driver", "reset c and a")
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"500ms b fired",
		"2.5s driver reset c and a",
		"2.5s a fired",
		"3.5s c fired",
	)
	if env.Now() != 3500*time.Millisecond {
		t.Errorf("Run ended at %v", env.Now())
	}
}

func TestClockWithTimeout(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		ctx, cancel := clk.WithTimeout(p.Context(), 3*time.Second)
		defer cancel()
		dl, _ := ctx.Deadline()
		log.Add("t", "deadline %v", dl.Sub(sim.DefaultStart))
		_, _, err := sim.Recv(p, ctx.Done())
		log.Add("t", "done %v %v", err, ctx.Err())
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("Err = %v", ctx.Err())
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "0s t deadline 3s", "3s t done <nil> context deadline exceeded")
}

// A context of the clock derived from a task's context is cancelled with the
// task, at once and without a goroutine.
func TestClockContextOfATaskContext(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		ctx, cancel := clk.WithTimeout(p.Context(), time.Hour)
		defer cancel()
		_, _, err := sim.Recv(p, ctx.Done())
		log.Add("t", "recv %v, ctx %v", err, ctx.Err())
		return 0, err
	})
	env.CallLater(time.Second, func() { task.Cancel("enough") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	// The cancellation reaches the wait first; the context is cancelled
	// with it, in the same event.
	log.Check(t, "1s t recv cancelled: enough, ctx context canceled")
	if env.Now() != time.Second {
		t.Errorf("Run ended at %v; the hour's timer should be gone", env.Now())
	}
}

// Stop and Reset called by the driver between Run methods take effect, and
// Reset reads the time RunUntil left the clock at.
func TestClockTimersDrivenFromOutside(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	tm := clk.AfterFunc(time.Hour, func() { log.Add("timer", "fired") })
	if err := env.RunUntil(10 * time.Minute); err != nil {
		t.Fatal(err)
	}
	tm.Reset(time.Minute) // 11m
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	tk := clk.Ticker(time.Second)
	if err := env.RunFor(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Add("driver", "tick %v", clk.Since(<-tk.C))
	tk.Stop()
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "11m0s timer fired", "11m3s driver tick 2s")
	if env.Now() != 11*time.Minute+3*time.Second {
		t.Errorf("Run ended at %v", env.Now())
	}
}

// Timers due at the same instant fire in the order they were armed: created,
// or Reset (at the end of the step that called Reset).
func TestClockSameInstantOrder(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	timers := map[string]*clock.Timer{}
	for _, name := range []string{"a", "b", "c"} {
		timers[name] = clk.AfterFunc(time.Second, func() { log.Add(name, "fired") })
	}
	env.CallLater(time.Second, func() { log.Add("cb", "scheduled after them") })
	timers["b"].Reset(time.Second) // same deadline: keeps its place
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		timers[name].Reset(time.Second)
	}
	env.CallSoon(func() {
		timers["b"].Reset(time.Second) // the same deadline: keeps its place
		timers["a"].Stop()
	})
	env.CallSoon(func() { timers["a"].Reset(time.Second) }) // re-armed: after b and c
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s a fired", "1s b fired", "1s c fired", "1s cb scheduled after them",
		"2s b fired", "2s c fired", "2s a fired",
	)
}

// Clock.Sleep cannot return a cancellation: it ends early, and the task's
// next wait delivers it.
func TestClockSleepCancelled(t *testing.T) {
	env, log := newEnv(t)
	clk := env.Clock()
	task := sim.Go(env, "sleeper", func(p *sim.Proc) (int, error) {
		clk.Sleep(time.Hour)
		log.Add("sleeper", "woke")
		err := p.Sleep(time.Second)
		log.Add("sleeper", "next wait: %v", err)
		return 0, err
	})
	env.CallLater(time.Minute, func() { task.Cancel("late") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1m0s sleeper woke", "1m0s sleeper next wait: cancelled: late")
	if !task.Cancelled() {
		t.Error("task not cancelled")
	}
}

func TestClockMisuseInTheRunLoop(t *testing.T) {
	env, _ := newEnv(t)
	clk := env.Clock()
	tk := clk.Ticker(time.Second)
	env.CallLater(time.Second, func() { tk.Reset(0) })
	mustPanic(t, "sim: Ticker.Reset(0s) of the Env's clock: non-positive interval", func() { env.Run() })
	tk.Stop()
	closed := sim.New()
	c := closed.Clock()
	closed.Close()
	mustPanic(t, "sim: Clock.Timer called on a closed Env", func() { c.Timer(time.Second) })
	mustPanic(t, "sim: Clock called on a closed Env", func() { closed.Clock() })
}

// Under the Random tie-break, timers due at the same instant fire in an
// order that depends on the tie-break seed, and repeats with it.
func TestClockRandomTieBreakPermutesTimers(t *testing.T) {
	order := func(seed uint64) string {
		env, log := newEnv(t, sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed))
		clk := env.Clock()
		for _, name := range []string{"a", "b", "c", "d"} {
			clk.AfterFunc(time.Second, func() { log.Add(name, "") })
		}
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(log.Lines, ",")
	}
	seen := map[string]bool{}
	for seed := range uint64(8) {
		o := order(seed)
		if again := order(seed); again != o {
			t.Fatalf("seed %d: %s, then %s", seed, o, again)
		}
		seen[o] = true
	}
	if len(seen) < 3 {
		t.Errorf("8 seeds gave %d orders of 4 timers", len(seen))
	}
}
