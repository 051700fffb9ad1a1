package bench

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// gatherSize is the number of tasks one op of the Gather benchmark gathers.
const gatherSize = 1_000

// futureWarmup is the number of ops a driver runs before it is timed.
const futureWarmup = 100

// futureOp is one operation of BenchmarkFuture, run over and over by one
// driver task.
type futureOp struct {
	name     string
	events   int           // events one op dispatches
	advance  time.Duration // virtual time one op takes
	children int           // tasks one op gathers, for ns/child (0: not reported)
	// setup prepares the op on env, untimed, and returns it.
	setup func(env *sim.Env) func(p *sim.Proc) error
}

// immediateTask is the body of a task that returns at once.
func immediateTask(*sim.Proc) (int, error) { return 1, nil }

// sleepingTask returns the body of a task that sleeps d and returns.
func sleepingTask(d time.Duration) func(*sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) { return 1, p.Sleep(d) }
}

// futureOps are the ops of BenchmarkFuture, each with the events it
// dispatches and the virtual time it takes (TestFutureOps checks both).
func futureOps() []futureOp {
	return []futureOp{{
		// Go, then Await: the child's first step, in which it returns, and
		// the driver's wake-up.
		name: "CreateAwait", events: 2,
		setup: func(env *sim.Env) func(*sim.Proc) error {
			return func(p *sim.Proc) error {
				_, err := sim.Await(p, sim.Go(env, "child", immediateTask))
				return err
			}
		},
	}, {
		// 1,000 first steps, 1,000 done-callbacks of the gather, and the
		// driver's wake-up.
		name: fmt.Sprintf("Gather/N=%d", gatherSize), events: 2*gatherSize + 1, children: gatherSize,
		setup: func(env *sim.Env) func(*sim.Proc) error {
			fs := make([]future.Awaitable[int], gatherSize) // reused by every op
			return func(p *sim.Proc) error {
				for i := range fs {
					fs[i] = sim.Go(env, "child", immediateTask)
				}
				vs, err := sim.Await(p, future.Gather(env.Loop(), fs...))
				if err == nil && len(vs) != gatherSize {
					err = fmt.Errorf("Gather returned %d values, want %d", len(vs), gatherSize)
				}
				return err
			}
		},
	}, {
		// The inner task's first step and wake-up after 1s, WaitFor's
		// done-callback and the driver's wake-up; the 1h timer is cancelled.
		name: "WaitFor/done", events: 4, advance: time.Second,
		setup: func(env *sim.Env) func(*sim.Proc) error {
			body := sleepingTask(time.Second)
			return func(p *sim.Proc) error {
				f := sim.Go(env, "inner", body)
				_, err := sim.Await(p, future.WaitFor(env.Loop(), f, time.Hour))
				return err
			}
		},
	}, {
		// The inner task's first step, the timer after 1s (which cancels
		// the inner task's sleep), the inner task's wake-up with the
		// cancellation, WaitFor's done-callback and the driver's wake-up.
		name: "WaitFor/timeout", events: 5, advance: time.Second,
		setup: func(env *sim.Env) func(*sim.Proc) error {
			body := sleepingTask(time.Hour)
			return func(p *sim.Proc) error {
				f := sim.Go(env, "inner", body)
				_, err := sim.Await(p, future.WaitFor(env.Loop(), f, time.Second))
				if !errors.Is(err, future.ErrTimeout) || !f.Cancelled() {
					return fmt.Errorf("WaitFor: %v (inner cancelled: %t), want a timeout", err, f.Cancelled())
				}
				return nil
			}
		},
	}, {
		// The baseline of Timeout/scope: the same sleep without a scope.
		name: "Timeout/sleep", events: 1, advance: time.Second,
		setup: func(*sim.Env) func(*sim.Proc) error {
			return func(p *sim.Proc) error { return p.Sleep(time.Second) }
		},
	}, {
		// The sleep's wake-up; the scope's timer at 1h is cancelled.
		name: "Timeout/scope", events: 1, advance: time.Second,
		setup: func(*sim.Env) func(*sim.Proc) error {
			return func(p *sim.Proc) error {
				return sim.Timeout(p, time.Hour, func(*sim.Scope) error {
					return p.Sleep(time.Second)
				})
			}
		},
	}}
}

// BenchmarkFuture measures the futures and combinators, each op run by one
// driver task in a loop, next to the task switch of BenchmarkSwitch: one op
// of Switch is one round of two tasks yielding at turns (two events, two
// coroutine switches), what the other ops' switches are made of. Every op
// reports ns/op, allocs/op, events/s and events/op; Gather also reports
// ns/child.
func BenchmarkFuture(b *testing.B) {
	var sw model
	b.Run("Switch", func(b *testing.B) {
		timeModel(b, &sw, func() (model, error) { return newYieldModel(2) })
	})
	if sw != nil {
		sw.close()
	}
	for _, op := range futureOps() {
		b.Run(op.name, func(b *testing.B) { benchFutureOp(b, op) })
	}
}

// benchFutureOp runs op in a loop in one driver task of a new Env: the
// setup and a warm-up of futureWarmup ops are not timed (the first call of
// b.Loop resets the timer, the last one stops it).
func benchFutureOp(b *testing.B, op futureOp) {
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	do := op.setup(env)
	var events uint64
	driver := sim.Go(env, "driver", func(p *sim.Proc) (struct{}, error) {
		for range futureWarmup {
			if err := do(p); err != nil {
				return struct{}{}, err
			}
		}
		before := env.Steps()
		for b.Loop() {
			if err := do(p); err != nil {
				return struct{}{}, err
			}
		}
		events = env.Steps() - before
		return struct{}{}, nil
	})
	b.ReportAllocs()
	if _, err := sim.RunUntilComplete(env, driver); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
	reportRate(b, int(events))
	if op.children > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*op.children), "ns/child")
	}
}

// TestFutureOps checks that each op of BenchmarkFuture dispatches the
// events and takes the virtual time it is documented to, so that the
// benchmark measures what it says (a WaitFor that should not time out does
// not), and that closing the Env leaves no goroutine behind.
func TestFutureOps(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const ops = 10
	for _, op := range futureOps() {
		env := sim.New(sim.WithSeed(seed))
		do := op.setup(env)
		var events uint64
		var took time.Duration
		driver := sim.Go(env, "driver", func(p *sim.Proc) (struct{}, error) {
			before, start := env.Steps(), p.Now()
			for range ops {
				if err := do(p); err != nil {
					return struct{}{}, err
				}
			}
			events, took = env.Steps()-before, p.Now()-start
			return struct{}{}, nil
		})
		if _, err := sim.RunUntilComplete(env, driver); err != nil {
			t.Errorf("%s: %v", op.name, err)
		}
		if want := uint64(ops * op.events); events != want {
			t.Errorf("%s: %d ops dispatched %d events, want %d", op.name, ops, events, want)
		}
		if want := ops * op.advance; took != want {
			t.Errorf("%s: %d ops took %v, want %v", op.name, ops, took, want)
		}
		if err := env.Close(); err != nil {
			t.Errorf("%s: Close: %v", op.name, err)
		}
	}
}
