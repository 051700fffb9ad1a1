package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vtsim/vtsim/sim"
)

func TestRecvWaitsForASendAtItsVirtualTime(t *testing.T) {
	env, log := newEnv(t)
	ch := make(chan int, 1)
	for _, name := range []string{"r1", "r2"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			v, ok, err := sim.Recv(p, ch)
			log.Add(name, "got %d %v %v", v, ok, err)
			return 0, err
		})
	}
	env.CallLater(time.Second, func() { ch <- 1 })
	env.CallLater(2*time.Second, func() { ch <- 2 })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s r1 got 1 true <nil>", "2s r2 got 2 true <nil>")
}

func TestRecvReadyAtOnceDoesNotYield(t *testing.T) {
	env, log := newEnv(t)
	ch := make(chan string, 1)
	ch <- "ready"
	sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		v, _, _ := sim.Recv(p, ch)
		log.Add("a", "%s", v)
		close(ch)
		v, ok, _ := sim.Recv(p, ch)
		log.Add("a", "closed: %q %v", v, ok)
		return 0, nil
	})
	sim.Go(env, "b", func(p *sim.Proc) (int, error) { log.Add("b", "ran"); return 0, nil })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "0s a ready", `0s a closed: "" false`, "0s b ran")
}

func TestSelectCases(t *testing.T) {
	env, log := newEnv(t)
	in := make(chan int)
	out := make(chan int, 1)
	clk := env.Clock()
	sim.Go(env, "sel", func(p *sim.Proc) (int, error) {
		// Default when nothing is ready.
		i, _ := sim.Select(p, sim.OnRecv(in, nil), sim.Default())
		log.Add("sel", "chose %d", i)
		// The first ready case in argument order.
		out <- 0
		i, _ = sim.Select(p, sim.OnRecv(in, nil), sim.OnSend(out, 7, nil), sim.OnRecv(clk.After(0), nil))
		log.Add("sel", "chose %d", i)
		// A send that waits for room.
		i, _ = sim.Select(p, sim.OnSend(out, 8, func() { log.Add("sel", "sent 8") }), sim.OnTimeout(time.Hour))
		log.Add("sel", "chose %d", i)
		// A timeout.
		i, _ = sim.Select(p, sim.OnRecv(in, nil), sim.OnTimeout(2*time.Second))
		log.Add("sel", "chose %d", i)
		// A timer and a context.
		ctx, cancel := clk.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		tm := clk.Timer(3 * time.Second)
		for range 2 {
			i, _ = sim.Select(p,
				sim.OnRecv(ctx.Done(), func(struct{}, bool) { log.Add("sel", "ctx %v", ctx.Err()) }),
				sim.OnRecv(tm.C, func(v time.Time, _ bool) { log.Add("sel", "timer %v", clk.Since(v)) }))
			log.Add("sel", "chose %d", i)
		}
		return 0, nil
	})
	env.CallLater(time.Second, func() { log.Add("driver", "took %d", <-out) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s sel chose 1",
		"0s sel chose 2", // out is full: the timer's value is the first ready
		"1s driver took 0",
		"1s sel sent 8",
		"1s sel chose 0",
		"3s sel chose 1",
		"6s sel timer 0s",
		"6s sel chose 1",
		"8s sel ctx context deadline exceeded",
		"8s sel chose 0",
	)
}

func TestRecvIsCancellationSafe(t *testing.T) {
	env, log := newEnv(t)
	ch := make(chan int, 2)
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		_, _, err := sim.Recv(p, ch)
		log.Add("waiter", "first: %v", err)
		return 0, err
	})
	env.CallLater(time.Second, func() { waiter.Cancel("stop") })
	// A value received for the task before a cancellation reaches it is
	// returned; the next wait delivers the cancellation.
	late := sim.Go(env, "late", func(p *sim.Proc) (int, error) {
		v, _, err := sim.Recv(p, ch)
		log.Add("late", "got %d %v", v, err)
		err = p.Sleep(time.Second)
		log.Add("late", "sleep: %v", err)
		return v, err
	})
	// At 3s the send's event ends with late's wait taking the value and
	// scheduling its resumption; the cancellation, due at 3s too but
	// scheduled first, runs before that resumption and cannot undo it.
	env.CallLater(3*time.Second, func() { ch <- 2 })
	env.CallAt(3*time.Second, func() { late.Cancel("go") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s waiter first: cancelled: stop",
		"3s late got 2 <nil>",
		"3s late sleep: cancelled: go",
	)
	if !waiter.Cancelled() || !late.Cancelled() || len(ch) != 0 {
		t.Errorf("waiter cancelled %v, late cancelled %v, %d values left", waiter.Cancelled(), late.Cancelled(), len(ch))
	}
}

func TestChannelWaitMisuse(t *testing.T) {
	env, _ := newEnv(t)
	var p *sim.Proc
	sim.Go(env, "t", func(q *sim.Proc) (int, error) { p = q; return 0, nil })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan int)
	clk := env.Clock()
	mustPanic(t, `sim: Proc.Recv of task "t" called outside the task`, func() { sim.Recv(p, ch) })
	mustPanic(t, `sim: Proc.Select of task "t" called outside the task`, func() { sim.Select(p) })
	mustPanic(t, "sim: Clock.Sleep called outside any task (from the driver or a callback)", func() { clk.Sleep(time.Second) })
	mustPanic(t, "sim: Clock.AfterFunc called with a nil function", func() { clk.AfterFunc(time.Second, nil) })
	mustPanic(t, "sim: Clock.Ticker(-1s): non-positive interval", func() { clk.Ticker(-time.Second) })
	sim.Go(env, "twice", func(p *sim.Proc) (int, error) {
		mustPanic(t, `sim: Select in task "twice" called with more than one Default case`, func() { sim.Select(p, sim.Default(), sim.Default()) })
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

func TestRecvDeadlockNamesTheWait(t *testing.T) {
	env, _ := newEnv(t)
	ch := make(chan int)
	sim.Go(env, "stuck", func(p *sim.Proc) (int, error) {
		_, _, err := sim.Recv(p, ch)
		return 0, err
	})
	err := env.Run()
	var de *sim.DeadlockError
	if !errors.As(err, &de) || len(de.Waiting) != 1 || de.Waiting[0].Task != "stuck" || de.Waiting[0].On != "sim.Recv #1" {
		t.Fatalf("Run = %v; want a deadlock of stuck on its receive", err)
	}
}

// A task that receives from a timer's channel with a plain receive blocks
// the run loop; the watchdog names it and says what to use instead. In a
// synctest bubble the watchdog's timeout passes at once.
func TestRawChannelHangIsDiagnosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		unblock, cancel := context.WithCancel(context.Background())
		var report *sim.StallError
		env := sim.New(sim.WithWatchdog(time.Second, func(err *sim.StallError) { report = err; cancel() }))
		clk := env.Clock()
		sim.Go(env, "poller", func(p *sim.Proc) (int, error) {
			tm := clk.Timer(time.Minute)
			select { // wrong: use sim.Select
			case <-tm.C:
			case <-unblock.Done():
			}
			return 0, nil
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		if err := env.Close(); err != nil {
			t.Fatal(err)
		}
		if report == nil || report.Task != "poller" {
			t.Fatalf("report %v; want one naming poller", report)
		}
		for _, want := range []string{`task "poller" made no progress for 1s`, "[select", "receive with sim.Recv and select with sim.Select"} {
			if !strings.Contains(report.Error(), want) {
				t.Errorf("report lacks %q:\n%s", want, report)
			}
		}
	})
}

// Two tasks meet on an unbuffered channel as two goroutines would: the
// sender waits for the receiver and the other way round, and both go on at
// the instant they meet.
func TestUnbufferedChannelBetweenTasks(t *testing.T) {
	env, log := newEnv(t)
	ch := make(chan int)
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for i := range 3 {
			if err := sim.Send(p, ch, i); err != nil {
				return 0, err
			}
			log.Add("producer", "sent %d", i)
			p.Sleep(time.Duration(i) * time.Second)
		}
		close(ch)
		return 0, nil
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		for {
			// A waiting sender makes the receive ready: Default is not chosen.
			var v int
			var ok bool
			i, _ := sim.Select(p, sim.OnRecv(ch, func(x int, xok bool) { v, ok = x, xok }), sim.Default())
			if i == 1 {
				v, ok, _ = sim.Recv(p, ch)
			}
			if !ok {
				log.Add("consumer", "closed")
				return 0, nil
			}
			log.Add("consumer", "got %d (default %v)", v, i == 1)
		}
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		// The task that completes a meeting goes on at once; the one that
		// waited resumes after the events due then.
		"1s consumer got 0 (default false)",
		"1s producer sent 0",
		"1s producer sent 1",
		"1s consumer got 1 (default true)",
		"2s producer sent 2",
		"2s consumer got 2 (default true)",
		"4s consumer closed",
	)
}
