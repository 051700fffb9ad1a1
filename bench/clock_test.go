package bench

import (
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/vtsim/vtsim/sim"
)

// The clock benchmarks run env.Clock() next to benbjohnson's Mock in the same
// invocation. Mock.Add sleeps 1 ms of real time per call and per timer it
// fires, so its figures are dominated by those sleeps.

// benchEnv returns an Env without watchdog and a task that runs body in a
// loop; the benchmark steps the Env once (or more) an iteration.
func benchEnv(b *testing.B, body func(p *sim.Proc)) *sim.Env {
	env := sim.New(sim.WithWatchdog(0, nil))
	b.Cleanup(func() { env.Close() })
	sim.Go(env, "bench", func(p *sim.Proc) (int, error) {
		for {
			body(p)
		}
	})
	env.Step() // the task's first step
	return env
}

func BenchmarkClockTimerFire(b *testing.B) {
	b.Run("Env", func(b *testing.B) {
		env := sim.New(sim.WithWatchdog(0, nil))
		defer env.Close()
		clk := env.Clock()
		t := clk.Timer(time.Second)
		b.ReportAllocs()
		for b.Loop() {
			env.Step() // fires t
			<-t.C
			t.Reset(time.Second)
		}
	})
	b.Run("Mock", func(b *testing.B) {
		m := clock.NewMock()
		t := m.Timer(time.Second)
		b.ReportAllocs()
		for b.Loop() {
			m.Add(time.Second) // fires t
			<-t.C
			t.Reset(time.Second)
		}
	})
}

func BenchmarkClockAfterFunc(b *testing.B) {
	b.Run("Env", func(b *testing.B) {
		env := sim.New(sim.WithWatchdog(0, nil))
		defer env.Close()
		clk := env.Clock()
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			clk.AfterFunc(time.Second, func() { n++ })
			env.Step()
		}
	})
	b.Run("Mock", func(b *testing.B) {
		m := clock.NewMock()
		done := make(chan struct{})
		b.ReportAllocs()
		for b.Loop() {
			m.AfterFunc(time.Second, func() { done <- struct{}{} })
			m.Add(time.Second)
			<-done
		}
	})
}

func BenchmarkClockTicker(b *testing.B) {
	b.Run("Env", func(b *testing.B) {
		env := sim.New(sim.WithWatchdog(0, nil))
		defer env.Close()
		tk := env.Clock().Ticker(time.Second)
		defer tk.Stop()
		b.ReportAllocs()
		for b.Loop() {
			env.Step()
			<-tk.C
		}
	})
	b.Run("Mock", func(b *testing.B) {
		m := clock.NewMock()
		tk := m.Ticker(time.Second)
		defer tk.Stop()
		b.ReportAllocs()
		for b.Loop() {
			m.Add(time.Second)
			<-tk.C
		}
	})
}

// BenchmarkClockSleep is a task's Clock.Sleep against Proc.Sleep: one
// event and two coroutine switches an iteration. (Mock.Sleep needs another
// goroutine to call Add after the sleep began, which only a real sleep or
// polling can tell: it has no counterpart here.)
func BenchmarkClockSleep(b *testing.B) {
	b.Run("Clock", func(b *testing.B) {
		var clk clock.Clock
		env := benchEnv(b, func(p *sim.Proc) {
			if clk == nil {
				clk = p.Env().Clock()
			}
			clk.Sleep(time.Second)
		})
		b.ReportAllocs()
		for b.Loop() {
			env.Step()
		}
	})
	b.Run("Proc", func(b *testing.B) {
		env := benchEnv(b, func(p *sim.Proc) { p.Sleep(time.Second) })
		b.ReportAllocs()
		for b.Loop() {
			env.Step()
		}
	})
}

// BenchmarkClockRecv is sim.Recv woken by a value sent from the driver,
// against the core's task switch (Proc.Yield): both resume the task once an
// iteration.
func BenchmarkClockRecv(b *testing.B) {
	b.Run("Recv", func(b *testing.B) {
		ch := make(chan int, 1)
		env := benchEnv(b, func(p *sim.Proc) { sim.Recv(p, ch) })
		b.ReportAllocs()
		for b.Loop() {
			ch <- 1
			env.Step()
		}
	})
	b.Run("Switch", func(b *testing.B) {
		env := benchEnv(b, func(p *sim.Proc) { p.Yield() })
		b.ReportAllocs()
		for b.Loop() {
			env.Step()
		}
	})
}

// BenchmarkClockHook is a callback event (a callback that schedules the next
// one) on an Env without a clock, with one, and with one holding 10 and 100
// live timers (far in the future): the per-event cost of the hook that
// checks the clock's timers.
func BenchmarkClockHook(b *testing.B) {
	for _, c := range []struct {
		name   string
		timers int
	}{{"NoClock", -1}, {"Clock", 0}, {"Timers=10", 10}, {"Timers=100", 100}} {
		b.Run(c.name, func(b *testing.B) {
			env := sim.New(sim.WithWatchdog(0, nil))
			defer env.Close()
			if c.timers >= 0 {
				clk := env.Clock()
				for range c.timers {
					clk.Timer(time.Hour)
				}
			}
			var next func()
			next = func() { env.CallLater(time.Nanosecond, next) }
			env.CallSoon(next)
			b.ReportAllocs()
			for b.Loop() {
				env.Step()
			}
		})
	}
}
