package sim_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// A task sleeps two virtual seconds; running it takes microseconds.
func Example() {
	env := sim.New(sim.WithSeed(42))
	defer env.Close()
	t := sim.Go(env, "my_task", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(2 * time.Second); err != nil {
			return "", err
		}
		return "task finished", nil
	})
	res, err := sim.RunUntilComplete(env, t)
	fmt.Println(res, err, env.Now())
	fmt.Println(t.Cancel("")) // already done
	// Output:
	// task finished <nil> 2s
	// false
}

func ExampleGo() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		fmt.Println("worker starts at", p.Now())
		return 42, p.Sleep(time.Minute)
	})
	fmt.Println("created; the first step is scheduled, not run")
	v, err := sim.RunUntilComplete(env, t)
	fmt.Println(v, err, env.Now())
	// Output:
	// created; the first step is scheduled, not run
	// worker starts at 0s
	// 42 <nil> 1m0s
}

func ExampleAwait() {
	env := sim.New()
	defer env.Close()
	child := sim.Go(env, "child", func(p *sim.Proc) (string, error) {
		return "from child", p.Sleep(time.Second)
	})
	parent := sim.Go(env, "parent", func(p *sim.Proc) (string, error) {
		v, err := sim.Await(p, child)
		return "parent got " + v, err
	})
	fmt.Println(sim.RunUntilComplete(env, parent))
	// Output: parent got from child <nil>
}

func ExampleTask_Cancel() {
	env := sim.New()
	defer env.Close()
	sleeper := sim.Go(env, "sleeper", func(p *sim.Proc) (int, error) {
		err := p.Sleep(time.Hour)
		fmt.Printf("at %v the sleeper sees: %v\n", p.Now(), err)
		return 0, err // returning the cancellation ends the task cancelled
	})
	env.CallLater(5*time.Minute, func() { sleeper.Cancel("wake up") })
	_, err := sim.RunUntilComplete(env, sleeper)
	fmt.Println(errors.Is(err, sim.ErrCancelled), sleeper.Cancelled())
	// Output:
	// at 5m0s the sleeper sees: cancelled: wake up
	// true true
}

func ExampleProc_Yield() {
	env := sim.New()
	defer env.Close()
	for _, name := range []string{"a", "b"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			for i := range 2 {
				fmt.Println(name, i)
				if err := p.Yield(); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
	}
	env.Run()
	// Output:
	// a 0
	// b 0
	// a 1
	// b 1
}

func ExampleEnv_CallLater() {
	env := sim.New()
	defer env.Close()
	env.CallLater(2*time.Second, func() { fmt.Println("later at", env.Now()) })
	env.CallSoon(func() { fmt.Println("soon at", env.Now()) })
	h := env.CallLater(time.Second, func() { fmt.Println("never") })
	fmt.Println("cancelled:", h.Cancel())
	env.Run()
	// Output:
	// cancelled: true
	// soon at 0s
	// later at 2s
}

func ExampleEnv_RunUntil() {
	env := sim.New()
	defer env.Close()
	sim.Go(env, "ticker", func(p *sim.Proc) (int, error) {
		for {
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			fmt.Println("tick", p.Now())
		}
	})
	env.RunUntil(3 * time.Second) // events at 3s included
	fmt.Println("now", env.Now())
	env.RunFor(1500 * time.Millisecond)
	fmt.Println("now", env.Now())
	// Output:
	// tick 1s
	// tick 2s
	// tick 3s
	// now 3s
	// tick 4s
	// now 4.5s
}

func ExampleEnv_Rand() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	arrivals := env.Rand("arrivals") // independent of every other stream
	again := sim.New(sim.WithSeed(1))
	defer again.Close()
	again.Rand("service") // another stream does not shift "arrivals"
	fmt.Println(arrivals.Uint64() == again.Rand("arrivals").Uint64())
	// Output: true
}

func ExampleDeadlockError() {
	env := sim.New()
	defer env.Close()
	never, _ := future.New[int](env.Loop()) // nobody will resolve it
	sim.Go(env, "stuck", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		return sim.Await(p, never)
	})
	err := env.Run()
	fmt.Println(errors.Is(err, sim.ErrDeadlock))
	fmt.Println(err)
	// Output:
	// true
	// sim: deadlock at 1s: no event is scheduled and 1 task(s) wait:
	// 	task "stuck" waits on a future (*future.Future[int]) since 1s
}

func ExampleWithTieBreak() {
	for _, seed := range []uint64{2, 3} {
		env := sim.New(sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed))
		for _, s := range []string{"a", "b", "c", "d"} {
			env.CallSoon(func() { fmt.Print(s) })
		}
		env.Run()
		fmt.Println()
		env.Close()
	}
	// Output:
	// dcba
	// dacb
}

// The README's example: a task cancels another and awaits it.
func Example_cancel() {
	env := sim.New(sim.WithSeed(42))
	defer env.Close()

	sleeper := sim.Go(env, "sleeper", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(time.Hour); err != nil { // a cancellation arrives here
			return "", err
		}
		return "rested", nil
	})
	main := sim.Go(env, "main", func(p *sim.Proc) (string, error) {
		if err := p.Sleep(2 * time.Second); err != nil {
			return "", err
		}
		sleeper.Cancel("no time to rest")
		_, err := sim.Await(p, sleeper) // errors.Is(err, sim.ErrCancelled): true
		return "sleeper said: " + err.Error(), nil
	})
	res, err := sim.RunUntilComplete(env, main)
	fmt.Println(res, err, env.Now())
	// Output: sleeper said: cancelled: no time to rest <nil> 2s
}
