// Command tasks is Python asyncio's "Coroutines and Tasks" example on
// virtual time: a task announces that it will take 2 seconds, sleeps 2
// virtual seconds and returns "task finished". A second task is cancelled
// while it sleeps for an hour, and the task awaiting it sees the
// cancellation error. The whole run takes well under a millisecond of real
// time.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vtsim/vtsim/sim"
)

func main() {
	began := time.Now()
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tasks:", err)
		os.Exit(1)
	}
	fmt.Printf("(%v of real time)\n", time.Since(began).Round(time.Microsecond))
}

// run plays the example and writes its log to w.
func run(w io.Writer) error {
	env := sim.New()
	defer env.Close()
	logf := func(format string, args ...any) {
		fmt.Fprintf(w, "[%v] %s\n", env.Now(), fmt.Sprintf(format, args...))
	}

	// The asyncio example: create a task, run it to completion.
	task := sim.Go(env, "nested", func(p *sim.Proc) (string, error) {
		logf("nested: this will take 2 seconds")
		if err := p.Sleep(2 * time.Second); err != nil {
			return "", err
		}
		return "task finished", nil
	})
	res, err := sim.RunUntilComplete(env, task)
	if err != nil {
		return err
	}
	logf("result: %s", res)

	// Cancellation: a long sleeper is cancelled ten minutes in; its awaiter
	// gets the cancellation error.
	sleeper := sim.Go(env, "sleeper", func(p *sim.Proc) (string, error) {
		logf("sleeper: sleeping for an hour")
		if err := p.Sleep(time.Hour); err != nil {
			logf("sleeper: woken by %v", err)
			return "", err
		}
		return "rested", nil
	})
	awaiter := sim.Go(env, "awaiter", func(p *sim.Proc) (string, error) {
		v, err := sim.Await(p, sleeper)
		if errors.Is(err, sim.ErrCancelled) {
			logf("awaiter: the sleeper was cancelled: %v", err)
			return "gave up", nil
		}
		return v, err
	})
	env.CallLater(10*time.Minute, func() {
		logf("main: cancelling the sleeper: %v", sleeper.Cancel("no time to rest"))
	})
	res, err = sim.RunUntilComplete(env, awaiter)
	if err != nil {
		return err
	}
	logf("awaiter returned %q; sleeper cancelled: %v", res, sleeper.Cancelled())
	return nil
}
