package future_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// Gather runs tasks at the same time and returns their values in the order
// they were given (asyncio.gather); the slowest one sets the pace. This is
// the README's Gather example.
func ExampleGather() {
	env := sim.New()
	defer env.Close()

	fetch := func(name string, delay time.Duration) *sim.Task[string] {
		return sim.Go(env, name, func(p *sim.Proc) (string, error) {
			if err := p.Sleep(delay); err != nil {
				return "", err
			}
			return name, nil
		})
	}
	main := sim.Go(env, "main", func(p *sim.Proc) ([]string, error) {
		return sim.Await(p, future.Gather(env.Loop(), fetch("a", 2*time.Second), fetch("b", time.Second)))
	})
	names, err := sim.RunUntilComplete(env, main)
	fmt.Println(names, err, env.Now()) // [a b] <nil> 2s
	// Output: [a b] <nil> 2s
}

// GatherOutcomes waits for every future and collects each one's value or
// error (asyncio.gather with return_exceptions=True): a failure or a
// cancellation is a result, not the end of the gather.
func ExampleGatherOutcomes() {
	env := sim.New()
	defer env.Close()

	ok := sim.Go(env, "ok", func(p *sim.Proc) (int, error) {
		return 1, p.Sleep(time.Second)
	})
	broken := sim.Go(env, "broken", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(2 * time.Second); err != nil {
			return 0, err
		}
		return 0, errors.New("disk full")
	})
	slow := sim.Go(env, "slow", func(p *sim.Proc) (int, error) {
		return 3, p.Sleep(time.Hour)
	})
	env.CallLater(3*time.Second, func() { slow.Cancel("too slow") })

	outcomes, err := sim.RunUntilComplete(env, future.GatherOutcomes(env.Loop(), ok, broken, slow))
	for _, o := range outcomes {
		fmt.Println(o.Value, o.Err)
	}
	fmt.Println(err, env.Now())
	// Output:
	// 1 <nil>
	// 0 disk full
	// 0 cancelled: too slow
	// <nil> 3s
}

// Wait returns when the first of several futures is done (asyncio.wait with
// FIRST_COMPLETED). The futures may have different result types, and Wait
// cancels none of them: the pending one goes on.
func ExampleWait() {
	env := sim.New()
	defer env.Close()

	quick := sim.Go(env, "quick", func(p *sim.Proc) (string, error) {
		return "quick", p.Sleep(time.Second)
	})
	slow := sim.Go(env, "slow", func(p *sim.Proc) (int, error) {
		return 42, p.Sleep(time.Minute)
	})
	r, err := sim.RunUntilComplete(env, future.Wait(env.Loop(), future.FirstCompleted, quick, slow))
	fmt.Println("done:", r.Done, "pending:", r.Pending, err, "at", env.Now())

	v, err := sim.RunUntilComplete(env, slow) // still running
	fmt.Println(v, err, "at", env.Now())
	// Output:
	// done: [task "quick"] pending: [task "slow"] <nil> at 1s
	// 42 <nil> at 1m0s
}

// WaitTimeout returns what is done when the time is up; the timeout is not
// an error and cancels nothing, so the caller decides what to do with the
// stragglers.
func ExampleWaitTimeout() {
	env := sim.New()
	defer env.Close()

	var jobs []future.Waitable
	for i, d := range []time.Duration{time.Second, 5 * time.Second, time.Minute} {
		jobs = append(jobs, sim.Go(env, fmt.Sprint("job", i), func(p *sim.Proc) (int, error) {
			return i, p.Sleep(d)
		}))
	}
	w := future.WaitTimeout(env.Loop(), 10*time.Second, future.AllCompleted, jobs...)
	r, err := sim.RunUntilComplete(env, w)
	fmt.Println("done:", r.Done, "pending:", r.Pending, err, "at", env.Now())

	for _, f := range r.Pending {
		f.Cancel("deadline passed")
	}
	err = env.Run()
	fmt.Println(jobs[2].Cancelled(), err, "at", env.Now())
	// Output:
	// done: [task "job0" task "job1"] pending: [task "job2"] <nil> at 10s
	// true <nil> at 10s
}

// WaitFor gives a future a time limit (asyncio.wait_for): when it passes,
// the future is cancelled, and WaitFor fails with a timeout once it has
// ended. The timeout matches future.ErrTimeout and
// context.DeadlineExceeded. This is the README's WaitFor example.
func ExampleWaitFor() {
	env := sim.New()
	defer env.Close()

	slow := sim.Go(env, "slow", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(time.Hour); err != nil { // the timeout cancels the sleep
			fmt.Println("slow cancelled at", p.Now()) // slow cancelled at 1s
			return "", err
		}
		return "done", nil
	})
	main := sim.Go(env, "main", func(p *sim.Proc) (string, error) {
		return sim.Await(p, future.WaitFor(env.Loop(), slow, time.Second))
	})
	_, err := sim.RunUntilComplete(env, main)
	fmt.Println(err, "at", env.Now()) // timed out after 1s at 1s

	// The timeout is an error value; it matches both sentinels.
	fmt.Println(errors.Is(err, future.ErrTimeout), errors.Is(err, context.DeadlineExceeded)) // true true
	// Output:
	// slow cancelled at 1s
	// timed out after 1s at 1s
	// true true
}

// Shield keeps a cancellation from reaching the work it protects
// (asyncio.shield): the caller gives up, the save goes on.
func ExampleShield() {
	env := sim.New()
	defer env.Close()

	save := sim.Go(env, "save", func(p *sim.Proc) (string, error) {
		return "saved", p.Sleep(5 * time.Second)
	})
	caller := sim.Go(env, "caller", func(p *sim.Proc) (string, error) {
		return sim.Await(p, future.Shield(env.Loop(), save))
	})
	env.CallLater(time.Second, func() { caller.Cancel("user gave up") })

	_, err := sim.RunUntilComplete(env, caller)
	fmt.Println("caller:", err, "at", env.Now())
	v, err := sim.RunUntilComplete(env, save)
	fmt.Println("save:", v, err, "at", env.Now())
	// Output:
	// caller: cancelled: user gave up at 1s
	// save: saved <nil> at 5s
}

// NewRequest makes a future whose Cancel asks rather than acts: here a
// download that takes two seconds to clean up after a cancel request, and
// only then ends cancelled, through its resolver.
func ExampleNewRequest() {
	env := sim.New()
	defer env.Close()
	loop := env.Loop()

	var resolve future.Resolver[string] // set below, used when Cancel is called
	download, resolve := future.NewRequest[string](loop, func(msg string) bool {
		fmt.Println("cancel requested at", loop.Now())
		loop.CallLater(2*time.Second, func() { resolve.Cancel(msg) })
		return true // accepted: the download will end cancelled
	})
	env.CallLater(time.Second, func() {
		fmt.Println("Cancel:", download.Cancel("user abort"), "cancelled yet:", download.Cancelled())
	})

	_, err := sim.RunUntilComplete(env, download)
	fmt.Println(err, "at", env.Now())
	// Output:
	// cancel requested at 1s
	// Cancel: true cancelled yet: false
	// cancelled: user abort at 3s
}
