package sim_test

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// A timer, a ticker and an AfterFunc on the Env's clock, waited for with
// sim.Select: every line happens at an exact virtual time. At 2s the
// AfterFunc, armed at 0s, fires before the tick re-armed at 1s.
func ExampleEnv_Clock() {
	env := sim.New()
	defer env.Close()
	clk := env.Clock()
	start := clk.Now()
	sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		tk := clk.Ticker(time.Second)
		defer tk.Stop()
		deadline := clk.Timer(3500 * time.Millisecond)
		clk.AfterFunc(2*time.Second, func() { fmt.Println(clk.Since(start), "afterfunc, on the run loop") })
		for {
			i, err := sim.Select(p, sim.OnRecv(tk.C, nil), sim.OnRecv(deadline.C, nil))
			if err != nil {
				return 0, err
			}
			if i == 1 {
				fmt.Println(clk.Since(start), "deadline")
				return 0, nil
			}
			fmt.Println(clk.Since(start), "tick")
		}
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1s tick
	// 2s afterfunc, on the run loop
	// 2s tick
	// 3s tick
	// 3.5s deadline
}

// sim.Recv waits for a channel inside a task; a plain receive would block
// the run loop.
func ExampleRecv() {
	env := sim.New()
	defer env.Close()
	results := make(chan string, 1)
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		v, ok, err := sim.Recv(p, results)
		fmt.Println(env.Now(), v, ok, err)
		return 0, err
	})
	env.CallLater(time.Minute, func() { results <- "done" })
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1m0s done true <nil>
}

// The log handler stamps records with the virtual time and the task.
func ExampleEnv_LogHandler() {
	env := sim.New()
	defer env.Close()
	log := slog.New(env.LogHandler(slog.NewTextHandler(os.Stdout, nil)))
	sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		err := p.Sleep(90 * time.Second)
		log.Info("slept", "err", err)
		return 0, err
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	log.Info("done")
	// Output:
	// time=2000-01-01T00:01:30.000Z level=INFO msg=slept err=<nil> task=worker
	// time=2000-01-01T00:01:30.000Z level=INFO msg=done
}

// sim.Select waits for the first of several channel operations, or a
// timeout; among cases ready together the first in argument order wins.
func ExampleSelect() {
	env := sim.New()
	defer env.Close()
	jobs := make(chan int)
	acks := make(chan int, 1)
	sim.Go(env, "server", func(p *sim.Proc) (int, error) {
		for {
			i, err := sim.Select(p,
				sim.OnRecv(jobs, func(v int, ok bool) { fmt.Println(env.Now(), "job", v) }),
				sim.OnSend(acks, 0, func() { fmt.Println(env.Now(), "acked") }),
				sim.OnTimeout(time.Minute))
			if err != nil || i == 2 {
				fmt.Println(env.Now(), "idle for a minute")
				return 0, err
			}
		}
	})
	env.CallLater(time.Second, func() { <-acks })
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0s acked
	// 1s acked
	// 1m1s idle for a minute
}

// Two tasks meet on an unbuffered channel with sim.Send and sim.Recv, as
// two goroutines would.
func ExampleSend() {
	env := sim.New()
	defer env.Close()
	ch := make(chan string)
	sim.Go(env, "sender", func(p *sim.Proc) (int, error) {
		err := sim.Send(p, ch, "hello")
		fmt.Println(env.Now(), "sent", err)
		return 0, err
	})
	sim.Go(env, "receiver", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		v, _, err := sim.Recv(p, ch)
		fmt.Println(env.Now(), "received", v)
		return 0, err
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1s received hello
	// 1s sent <nil>
}
