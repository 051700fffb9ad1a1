package sim_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// Hosting (host.go): a task that waits inside a run loop takes the loop's
// turns on its own coroutine. These tests check that it happens where it
// should, and that what only the loop may do (a callback's panic, a
// task's runtime.Goexit) still happens on the loop's goroutine, with the
// same outcome as without hosting (compareDirect, direct_test.go).

// TestHostPingpong checks that in a hand-off the waiting task hosts the
// other one, and the run is the same without hosting.
func TestHostPingpong(t *testing.T) {
	compareDirect(t, "pingpong", func(logTo func(*sim.Env) func(string, ...any)) *sim.Env {
		env := sim.New()
		log := logTo(env)
		to, back := resource.NewStore[int](0), sim.NewQueue[int](0)
		sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
			for i := range 3 {
				if err := to.Put(p, i); err != nil {
					return struct{}{}, err
				}
				v, err := back.Get(p)
				log("ping got %d: %v", v, err)
			}
			return struct{}{}, nil
		})
		sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
			for {
				v, err := to.Get(p)
				if err != nil {
					return struct{}{}, err
				}
				log("pong got %d", v)
				if err := p.Sleep(time.Duration(v) * time.Second); err != nil {
					return struct{}{}, err
				}
				if err := back.Put(p, 10*v); err != nil {
					return struct{}{}, err
				}
			}
		})
		if err := env.Run(); err != nil {
			log("run: %v", err)
		}
		return env
	})
}

// TestHostIsTheWaitingTask checks who hosts: the task that waits for the
// other's answer, and nobody while a task runs from the loop itself or
// when hosting is off.
func TestHostIsTheWaitingTask(t *testing.T) {
	for _, on := range []bool{true, false} {
		env, _ := newEnv(t)
		sim.SetDirectTimers(env, on)
		to, back := sim.NewQueue[int](0), sim.NewQueue[int](0)
		var hosts []string
		sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
			hosts = append(hosts, "ping:"+sim.Host(env))
			for i := range 2 {
				to.Put(p, i)
				back.Get(p)
				hosts = append(hosts, "ping:"+sim.Host(env))
			}
			return struct{}{}, nil
		})
		sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
			for {
				v, err := to.Get(p)
				if err != nil {
					return struct{}{}, err
				}
				hosts = append(hosts, "pong:"+sim.Host(env))
				back.Put(p, v)
			}
		})
		if err := env.Run(); err == nil {
			t.Fatal("Run: nil error, want pong's deadlock")
		}
		want := "[ping: pong: ping: pong: ping:]"
		if on {
			want = "[ping: pong:ping ping: pong:ping ping:]"
		}
		if got := fmt.Sprint(hosts); got != want {
			t.Errorf("on=%v: hosts %s, want %s", on, got, want)
		}
	}
}

// TestHostCallbackPanic checks that a callback due while a task hosts is
// left to the loop: its panic comes out of Run on the driver's goroutine,
// and the waiting task is not failed by it.
func TestHostCallbackPanic(t *testing.T) {
	for _, on := range []bool{true, false} {
		env, log := newEnv(t)
		sim.SetDirectTimers(env, on)
		q := sim.NewQueue[int](0)
		waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
			env.CallLater(time.Second, func() { panic("boom") })
			return q.Get(p)
		})
		func() {
			defer func() { log.Add("driver", "recovered %v", recover()) }()
			env.Run()
		}()
		log.Add("driver", "waiter done %v", waiter.Done())
		log.Check(t,
			"1s driver recovered boom",
			"1s driver waiter done false",
		)
	}
}

// TestHostGoexit checks that a hosted task's runtime.Goexit (t.FailNow)
// ends the driver's goroutine, as without hosting, and does not unwind the
// host: the host's deferred calls run when Close unwinds it, not before.
func TestHostGoexit(t *testing.T) {
	for _, on := range []bool{true, false} {
		env, log := newEnv(t)
		sim.SetDirectTimers(env, on)
		to, back := sim.NewQueue[int](0), sim.NewQueue[int](0)
		host := sim.Go(env, "host", func(p *sim.Proc) (struct{}, error) {
			defer log.Add("host", "deferred")
			for i := range 3 {
				to.Put(p, i)
				if _, err := back.Get(p); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
		exits := sim.Go(env, "exits", func(p *sim.Proc) (struct{}, error) {
			defer log.Add("exits", "deferred")
			for {
				v, _ := to.Get(p)
				if v == 1 {
					runtime.Goexit()
				}
				back.Put(p, v)
			}
		})
		ran := make(chan bool)
		go func() {
			returned := false
			defer func() { ran <- returned }()
			env.Run()
			returned = true
		}()
		if <-ran {
			t.Fatalf("on=%v: Run returned; want its goroutine ended by the task's runtime.Goexit", on)
		}
		log.Add("driver", "Run's goroutine ended")
		if err := env.Close(); err != nil {
			log.Add("driver", "close: %v", err)
		}
		_, herr := host.Result()
		_, xerr := exits.Result()
		log.Add("driver", "host: %v; exits: %v", errors.Is(herr, sim.ErrCancelled), xerr)
		log.Check(t,
			"0s exits deferred",
			"0s driver Run's goroutine ended",
			"0s host deferred",
			`0s driver close: sim: task "exits" failed at 0s and nobody read its result: sim: task "exits" exited with runtime.Goexit`,
			`0s driver host: true; exits: sim: task "exits" exited with runtime.Goexit`,
		)
	}
}

// TestHostClockMidRun checks that a task hosted while the Env has no clock
// hook, which makes one (its first Recv), ends the hosting: from then on
// every event goes through the hook (clockHook.dispatch), which tries the
// channel waits after it, so that a value sent on a channel reaches the
// task in Recv at once, as without hosting.
func TestHostClockMidRun(t *testing.T) {
	compareDirect(t, "clock made while hosting", func(logTo func(*sim.Env) func(string, ...any)) *sim.Env {
		env := sim.New()
		log := logTo(env)
		to, back := sim.NewQueue[int](0), sim.NewQueue[int](0)
		ch := make(chan int, 1)
		sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
			for i := range 3 {
				to.Put(p, i)
				v, err := back.Get(p)
				log("ping got %d: %v", v, err)
			}
			return struct{}{}, nil
		})
		sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
			for {
				v, err := to.Get(p)
				if err != nil {
					return struct{}{}, err
				}
				log("pong got %d", v)
				if err := p.Sleep(time.Second); err != nil {
					return struct{}{}, err
				}
				if v == 1 {
					ch <- 7
				}
				back.Put(p, v)
			}
		})
		sim.Go(env, "rx", func(p *sim.Proc) (struct{}, error) {
			p.Sleep(1500 * time.Millisecond)
			v, ok, err := sim.Recv(p, ch)
			log("rx got %d %v: %v", v, ok, err)
			return struct{}{}, nil
		})
		if err := env.Run(); err != nil {
			log("run: %v", err)
		}
		return env
	})
}
