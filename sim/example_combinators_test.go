package sim_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// A timeout scope around a block of a task (asyncio.timeout): when the
// deadline passes, the block sees a cancellation at its wait; outside the
// block, Timeout turns it into a timeout error, and the task carries on.
func ExampleTimeout() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "fetch", func(p *sim.Proc) (struct{}, error) {
		err := sim.Timeout(p, 2*time.Second, func(*sim.Scope) error {
			err := p.Sleep(time.Minute) // the deadline passes here
			fmt.Printf("at %v the block sees: %v\n", p.Now(), err)
			return err
		})
		fmt.Printf("at %v Timeout returns: %v\n", p.Now(), err)
		fmt.Println(errors.Is(err, sim.ErrTimeout), errors.Is(err, sim.ErrCancelled))
		return struct{}{}, p.Sleep(time.Second) // not cancelled any more
	})
	_, err := sim.RunUntilComplete(env, t)
	fmt.Println(err, "at", env.Now())
	// Output:
	// at 2s the block sees: cancelled
	// at 2s Timeout returns: timed out after 2s
	// true false
	// <nil> at 3s
}

// Reschedule moves a scope's deadline: here each step of progress buys
// two more seconds, until a step takes too long.
func ExampleScope_Reschedule() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		steps := 0
		err := sim.Timeout(p, 2*time.Second, func(s *sim.Scope) error {
			for _, d := range []time.Duration{time.Second, 1500 * time.Millisecond, 3 * time.Second} {
				if err := p.Sleep(d); err != nil {
					return err
				}
				steps++
				s.Reschedule(p.Now() + 2*time.Second)
				fmt.Println("step at", p.Now(), "deadline", s.When())
			}
			return nil
		})
		fmt.Println(err, "at", p.Now())
		return steps, nil
	})
	steps, _ := sim.RunUntilComplete(env, t)
	fmt.Println(steps, "steps")
	// Output:
	// step at 1s deadline 3s
	// step at 2.5s deadline 4.5s
	// timed out after 4.5s at 4.5s
	// 2 steps
}

// A task group (asyncio.TaskGroup): the first task to fail cancels the
// others, and Group returns every failure in a *GroupError once all of
// them have ended.
func ExampleGroup() {
	env := sim.New()
	defer env.Close()
	errDiskFull := errors.New("disk full")
	t := sim.Go(env, "main", func(p *sim.Proc) (struct{}, error) {
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			g.Go("slow", func(p *sim.Proc) error {
				err := p.Sleep(time.Hour)
				fmt.Printf("at %v slow sees: %v\n", p.Now(), err)
				return err
			})
			g.Go("broken", func(p *sim.Proc) error {
				if err := p.Sleep(time.Second); err != nil {
					return err
				}
				return errDiskFull
			})
			return nil
		})
		fmt.Printf("at %v Group returns: %v\n", p.Now(), err)
		var ge *sim.GroupError
		fmt.Println(errors.As(err, &ge), len(ge.Errs), errors.Is(err, errDiskFull))
		return struct{}{}, nil
	})
	_, err := sim.RunUntilComplete(env, t)
	fmt.Println(err)
	// Output:
	// at 1s slow sees: cancelled
	// at 1s Group returns: sim: 1 error(s) in task group; disk full
	// true 1 true
	// <nil>
}

// AsCompleted yields futures in the order they complete
// (asyncio.as_completed), not in the order they were given.
func ExampleAsCompleted() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "main", func(p *sim.Proc) (struct{}, error) {
		jobs := []struct {
			name string
			d    time.Duration
		}{{"a", 3 * time.Second}, {"b", time.Second}, {"c", 2 * time.Second}}
		var fs []future.Awaitable[string]
		for _, job := range jobs {
			fs = append(fs, sim.Go(env, job.name, func(p *sim.Proc) (string, error) {
				return job.name, p.Sleep(job.d)
			}))
		}
		for f, err := range sim.AsCompleted(p, fs...) {
			if err != nil {
				return struct{}{}, err // the task was cancelled while it waited
			}
			name, _ := f.Result()
			fmt.Println(name, "at", p.Now())
		}
		return struct{}{}, nil
	})
	_, err := sim.RunUntilComplete(env, t)
	fmt.Println(err)
	// Output:
	// b at 1s
	// c at 2s
	// a at 3s
	// <nil>
}

// A task's context, for library code that takes a context.Context: inside
// a timeout scope its deadline is the scope's, on the Env's clock (virtual
// time 0 is sim.DefaultStart), and it expires with the scope.
func ExampleProc_Context() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "client", func(p *sim.Proc) (struct{}, error) {
		var ctx context.Context
		err := sim.Timeout(p, 5*time.Second, func(*sim.Scope) error {
			ctx = p.Context()
			deadline, ok := ctx.Deadline()
			fmt.Println("deadline:", deadline, ok, "=", deadline.Sub(env.Start()))
			fmt.Println("at", p.Now(), "Err:", ctx.Err())
			return p.Sleep(time.Minute)
		})
		fmt.Println("at", p.Now(), "Err:", ctx.Err())
		fmt.Println(errors.Is(err, context.DeadlineExceeded))
		return struct{}{}, nil
	})
	_, err := sim.RunUntilComplete(env, t)
	fmt.Println(err)
	// Output:
	// deadline: 2000-01-01 00:00:05 +0000 UTC true = 5s
	// at 0s Err: <nil>
	// at 5s Err: context deadline exceeded
	// true
	// <nil>
}
