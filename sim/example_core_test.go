package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vtsim/vtsim/reports/trace"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// Run dispatches events until none is left. It returns nil when every task
// has ended, and reports a failure that nobody read instead of dropping it.
func ExampleEnv_Run() {
	env := sim.New()
	defer env.Close()
	for _, d := range []time.Duration{3 * time.Second, time.Second} {
		sim.Go(env, "sleeper", func(p *sim.Proc) (struct{}, error) {
			if err := p.Sleep(d); err != nil {
				return struct{}{}, err
			}
			fmt.Println(p.Now(), "a sleeper wakes")
			return struct{}{}, nil
		})
	}
	env.CallLater(2*time.Second, func() { fmt.Println(env.Now(), "a callback runs") })
	fmt.Println("Run:", env.Run(), "at", env.Now())

	// A task that fails while nobody awaits it: the next Run returns its error.
	sim.Go(env, "broken", func(p *sim.Proc) (struct{}, error) {
		return struct{}{}, errors.New("disk full")
	})
	err := env.Run()
	fmt.Println(errors.Is(err, sim.ErrTaskFailed))
	fmt.Println(err)
	// Output:
	// 1s a sleeper wakes
	// 2s a callback runs
	// 3s a sleeper wakes
	// Run: <nil> at 3s
	// true
	// sim: task "broken" failed at 3s and nobody read its result: disk full
}

// RunUntilComplete runs the Env only until one future is done, here a task,
// and returns its result; other tasks stay where they are.
func ExampleRunUntilComplete() {
	env := sim.New()
	defer env.Close() // unwinds the ticker, which never ends on its own
	ticks := 0
	sim.Go(env, "ticker", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := p.Sleep(time.Second); err != nil {
				return struct{}{}, err
			}
			ticks++
		}
	})
	job := sim.Go(env, "job", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(2500 * time.Millisecond); err != nil {
			return "", err
		}
		return "job done", nil
	})
	res, err := sim.RunUntilComplete(env, job)
	fmt.Println(res, err, "at", env.Now())
	fmt.Println("ticks so far:", ticks, "; events pending:", env.Pending())
	// Output:
	// job done <nil> at 2.5s
	// ticks so far: 2 ; events pending: 1
}

// A machine is interrupted while it works (SimPy's Process.interrupt). Its
// wait returns an *InterruptError with the cause; the task is not cancelled,
// so it handles the interrupt and goes on.
func ExampleTask_Interrupt() {
	env := sim.New()
	defer env.Close()
	machine := sim.Go(env, "machine", func(p *sim.Proc) (int, error) {
		parts := 0
		for parts < 3 {
			err := p.Sleep(10 * time.Second)
			var ie *sim.InterruptError
			if errors.As(err, &ie) {
				fmt.Println(p.Now(), "interrupted:", ie.Cause, "at", ie.At)
				if err := p.Sleep(5 * time.Second); err != nil { // the repair
					return parts, err
				}
				continue // the part in work is lost
			}
			if err != nil {
				return parts, err
			}
			parts++
			fmt.Println(p.Now(), "part", parts, "done")
		}
		return parts, nil
	})
	sim.Go(env, "breakdown", func(p *sim.Proc) (struct{}, error) {
		if err := p.Sleep(14 * time.Second); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, machine.Interrupt("breakdown")
	})
	fmt.Println(sim.RunUntilComplete(env, machine))
	fmt.Println(errors.Is(machine.Interrupt("too late"), sim.ErrNotInterruptible))
	// Output:
	// 10s part 1 done
	// 14s interrupted: breakdown at 14s
	// 29s part 2 done
	// 39s part 3 done
	// 3 <nil>
	// true
}

// A TraceRecorder keeps a run as a timeline, one track per task, with each
// wait as a slice named for what the task waited on. WriteChrome writes it as
// Chrome trace-event JSON for Perfetto; here a few facts are read from
// Events instead.
func ExampleTraceRecorder() {
	rec := &sim.TraceRecorder{}
	env := sim.New(sim.WithTracer(rec))
	defer env.Close()
	gate := sim.NewEvent()
	sim.Go(env, "opener", func(p *sim.Proc) (struct{}, error) {
		if err := p.Sleep(time.Second); err != nil {
			return struct{}{}, err
		}
		gate.Set()
		return struct{}{}, nil
	})
	sim.Go(env, "guest", func(p *sim.Proc) (struct{}, error) {
		return struct{}{}, gate.Wait(p)
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}

	tracks := map[string][]string{} // track name -> the names of its slices
	var names []string
	for _, ev := range rec.Events() {
		if _, ok := tracks[ev.TrackName]; !ok {
			names = append(names, ev.TrackName)
			tracks[ev.TrackName] = nil
		}
		if ev.Phase == trace.Begin {
			tracks[ev.TrackName] = append(tracks[ev.TrackName], ev.Name)
		}
	}
	fmt.Println("tracks:", len(names))
	for _, n := range names {
		fmt.Printf("%s: %q\n", n, tracks[n])
	}
	fmt.Println(slices.Contains(names, "loop")) // no callback ran
	// Output:
	// tracks: 2
	// opener: ["sleep until 1s"]
	// guest: ["an Event #1"]
	// false
}

// The watchdog notices a task that blocks outside the engine (a raw channel,
// a mutex, a real sleep) and reports it by name instead of hanging. By
// default it panics after DefaultWatchdog of real time; WithWatchdog changes
// the timeout and what happens, and a timeout of 0 turns it off. This run
// does not stall, so the report function is never called.
func ExampleWithWatchdog() {
	var stalls []*sim.StallError
	env := sim.New(sim.WithWatchdog(30*time.Second, func(err *sim.StallError) {
		stalls = append(stalls, err) // called on the watchdog's goroutine
	}))
	defer env.Close()
	sim.Go(env, "worker", func(p *sim.Proc) (struct{}, error) {
		return struct{}{}, p.Sleep(time.Hour) // a virtual hour: no real time passes
	})
	fmt.Println(env.Run(), env.Now(), len(stalls))

	off := sim.New(sim.WithWatchdog(0, nil)) // no watchdog: a stall would hang
	defer off.Close()

	// What a report carries, for a task that blocked at 3s of virtual time.
	err := &sim.StallError{Task: "worker", At: 3 * time.Second, For: 30 * time.Second}
	fmt.Println(errors.Is(err, sim.ErrStalled), err.Task, err.At)
	// Output:
	// <nil> 1h0m0s 0
	// true worker 3s
}

// WithQueue puts the Env on another event queue. The calendar queue keeps
// its cost per event nearly flat with millions of pending events; the order
// of events is the same as on the default heap.
func ExampleWithQueue() {
	order := func(kind scheduler.Kind) []string {
		env := sim.New(sim.WithQueue(kind))
		defer env.Close()
		var log []string
		for i, d := range []time.Duration{3, 1, 2, 1, 3} {
			env.CallLater(d*time.Second, func() { log = append(log, fmt.Sprintf("%v:%d", env.Now(), i)) })
		}
		if err := env.Run(); err != nil {
			log = append(log, err.Error())
		}
		return log
	}
	fmt.Println(scheduler.CalendarQueue, order(scheduler.CalendarQueue))
	fmt.Println(scheduler.HeapQueue, order(scheduler.HeapQueue))
	// Output:
	// calendar [1s:1 1s:3 2s:2 3s:0 3s:4]
	// heap [1s:1 1s:3 2s:2 3s:0 3s:4]
}
