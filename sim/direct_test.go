package sim_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// A timer wait whose wake-up is the next event ends without a task switch
// (Proc.wakeNext). These tests run the same models with that shortcut on
// and off and require the same runs: the same log of what every task and
// callback saw and when, the same step count at every line, the same final
// clock, and fewer pushes with it on (so that the shortcut was taken).

// directRun is what a model's run leaves for comparison.
type directRun struct {
	log    []string
	steps  uint64
	now    time.Duration
	pushed uint64
}

// compareDirect runs model with the shortcut off and on and compares.
// model makes its Env, gets its log function from logTo, and runs.
func compareDirect(t *testing.T, name string, model func(logTo func(*sim.Env) func(string, ...any)) *sim.Env) {
	t.Helper()
	run := func(on bool) directRun {
		var r directRun
		env := model(func(env *sim.Env) func(string, ...any) {
			sim.SetDirectTimers(env, on)
			return func(format string, args ...any) {
				r.log = append(r.log, fmt.Sprintf("%v #%d ", env.Now(), env.Steps())+fmt.Sprintf(format, args...))
			}
		})
		r.steps, r.now, r.pushed = env.Steps(), env.Now(), sim.Pushed(env)
		if err := env.Close(); err != nil {
			r.log = append(r.log, "close: "+err.Error())
		}
		return r
	}
	off, on := run(false), run(true)
	if len(off.log) != len(on.log) {
		t.Errorf("%s: %d log lines without direct wake-ups, %d with", name, len(off.log), len(on.log))
	}
	for i := range min(len(off.log), len(on.log)) {
		if off.log[i] != on.log[i] {
			t.Fatalf("%s: line %d differs:\n  without: %s\n  with:    %s", name, i, off.log[i], on.log[i])
		}
	}
	if off.steps != on.steps || off.now != on.now {
		t.Errorf("%s: ends at %v after %d steps without direct wake-ups, at %v after %d with", name, off.now, off.steps, on.now, on.steps)
	}
	if on.pushed > off.pushed {
		t.Errorf("%s: %d pushes with direct wake-ups, more than %d without", name, on.pushed, off.pushed)
	}
	t.Logf("%s: %d steps, %d log lines, %d pushes without direct wake-ups, %d with", name, on.steps, len(on.log), off.pushed, on.pushed)
}

func TestDirectWakeMM1(t *testing.T) {
	for _, tb := range []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO, scheduler.Random} {
		for _, q := range []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue} {
			name := fmt.Sprintf("%v/%v", tb, q)
			compareDirect(t, name, func(logTo func(*sim.Env) func(string, ...any)) *sim.Env {
				env := sim.New(sim.WithSeed(7), sim.WithTieBreak(tb), sim.WithQueue(q))
				log := logTo(env)
				arr, svc := env.Rand("arrivals"), env.Rand("service")
				server := resource.NewResource(1)
				customer := func(i int) func(p *sim.Proc) (struct{}, error) {
					return func(p *sim.Proc) (struct{}, error) {
						log("customer %d arrives", i)
						if err := server.Request(p); err != nil {
							return struct{}{}, err
						}
						log("customer %d served", i)
						err := p.Sleep(time.Duration(svc.ExpFloat64() * float64(time.Second)))
						server.Release()
						log("customer %d leaves: %v", i, err)
						return struct{}{}, err
					}
				}
				sim.Go(env, "source", func(p *sim.Proc) (struct{}, error) {
					for i := range 2000 {
						if err := p.Sleep(time.Duration(arr.ExpFloat64() / 0.9 * float64(time.Second))); err != nil {
							return struct{}{}, err
						}
						sim.Go(env, fmt.Sprint("customer", i), customer(i))
					}
					return struct{}{}, nil
				})
				if err := env.Run(); err != nil {
					log("run: %v", err)
				}
				return env
			})
		}
	}
}

// TestDirectWakeRandom runs random models: tasks that sleep (for 0, for a
// little, for long, until a time past or future), yield, hand items over a
// bounded queue, wait with timeouts, cancel and interrupt each other, start
// children, stop the run, next to callbacks, all driven by a random mix of
// Run, RunUntil, RunFor and Step, on every tie-break and queue.
func TestDirectWakeRandom(t *testing.T) {
	seeds := 80
	if testing.Short() {
		seeds = 16
	}
	for seed := range uint64(seeds) {
		tb := []scheduler.TieBreak{scheduler.FIFO, scheduler.FIFO, scheduler.LIFO, scheduler.Random}[seed%4]
		q := []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue}[seed/4%2]
		compareDirect(t, fmt.Sprintf("seed %d %v/%v", seed, tb, q), func(logTo func(*sim.Env) func(string, ...any)) *sim.Env {
			return randomDirectModel(seed, tb, q, logTo)
		})
	}
}

func randomDirectModel(seed uint64, tb scheduler.TieBreak, qk scheduler.Kind, logTo func(*sim.Env) func(string, ...any)) *sim.Env {
	env := sim.New(sim.WithSeed(seed), sim.WithTieBreak(tb), sim.WithQueue(qk))
	log := logTo(env)
	r := rand.New(rand.NewPCG(seed, 99))
	dur := func() time.Duration {
		switch r.IntN(6) {
		case 0:
			return 0
		case 1:
			return time.Duration(r.IntN(3)) * time.Millisecond // ties
		case 2:
			return -time.Millisecond
		default:
			return time.Duration(r.ExpFloat64() * float64(10*time.Millisecond))
		}
	}
	queue := sim.NewQueue[int](2)
	store, res := resource.NewStore[int](2), resource.NewResource(1)
	// Odd seeds leave out the queue, the store, the resource, the timeouts,
	// the callbacks, the awaits, the clock and the children, so that sleeps
	// are often the next event; one seed in three uses the clock adapter,
	// which a host leaves to the loop (host.go).
	acts := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	if seed%3 == 0 {
		acts = append(acts, 18)
	}
	if seed%2 == 1 {
		acts = []int{0, 1, 2, 3, 4, 5, 9, 10, 12}
	}
	var tasks []*sim.Task[struct{}]
	var body func(id int) func(p *sim.Proc) (struct{}, error)
	body = func(id int) func(p *sim.Proc) (struct{}, error) {
		return func(p *sim.Proc) (struct{}, error) {
			for step := range 200 {
				var err error
				switch acts[r.IntN(len(acts))] {
				case 0, 1, 2, 3:
					d := dur()
					err = p.Sleep(d)
					log("task %d step %d: Sleep(%v): %v", id, step, d, err)
				case 4:
					at := p.Now() + dur()
					err = p.SleepUntil(at)
					log("task %d step %d: SleepUntil(%v): %v", id, step, at, err)
				case 5:
					err = p.Yield()
					log("task %d step %d: Yield: %v", id, step, err)
				case 6:
					err = queue.Put(p, id*100+step)
					log("task %d step %d: Put: %v", id, step, err)
				case 7:
					var v int
					v, err = queue.Get(p)
					log("task %d step %d: Get %d: %v", id, step, v, err)
				case 8:
					d, in := dur(), dur()
					err = sim.Timeout(p, d, func(*sim.Scope) error { return p.Sleep(in) })
					log("task %d step %d: Timeout(%v, Sleep(%v)): %v", id, step, d, in, err)
				case 9:
					if o := tasks[r.IntN(len(tasks))]; o.Proc() != p {
						log("task %d step %d: cancel %s: %v", id, step, o.Name(), o.Cancel("by random"))
					}
				case 10:
					if o := tasks[r.IntN(len(tasks))]; o.Proc() != p && !o.Done() {
						log("task %d step %d: interrupt %s: %v", id, step, o.Name(), o.Interrupt(step))
					}
				case 11:
					d := dur()
					env.CallLater(d, func() { log("callback of task %d step %d after %v", id, step, d) })
				case 12:
					if r.IntN(4) == 0 {
						log("task %d step %d: Stop", id, step)
						env.Stop()
						d := dur()
						err = p.Sleep(d)
						log("task %d step %d: Sleep(%v) after Stop: %v", id, step, d, err)
					}
				case 14:
					err = store.Put(p, id*100+step)
					log("task %d step %d: Store.Put: %v", id, step, err)
				case 15:
					var v int
					v, err = store.Get(p)
					log("task %d step %d: Store.Get %d: %v", id, step, v, err)
				case 16:
					if err = res.Request(p); err == nil {
						d := dur()
						err = p.Sleep(d)
						res.Release()
						log("task %d step %d: held the resource %v: %v", id, step, d, err)
					} else {
						log("task %d step %d: Request: %v", id, step, err)
					}
				case 17:
					// Only a later task, so that no two tasks await each
					// other (a cancellation would go round the cycle).
					if j := r.IntN(len(tasks)); j > id {
						o, d := tasks[j], dur()
						err = sim.Timeout(p, d, func(*sim.Scope) error { _, err := sim.Await(p, o); return err })
						log("task %d step %d: Timeout(%v, Await %s): %v", id, step, d, o.Name(), err)
					}
				case 18:
					d := dur()
					env.Clock().AfterFunc(d, func() { log("clock's AfterFunc of task %d step %d after %v", id, step, d) })
				case 13:
					if len(tasks) < 40 {
						n := len(tasks)
						tasks = append(tasks, sim.Go(env, fmt.Sprint("t", n), body(n)))
						log("task %d step %d: started t%d", id, step, n)
					}
				}
				if errors.Is(err, sim.ErrCancelled) {
					if r.IntN(3) == 0 {
						return struct{}{}, err
					}
					p.Uncancel()
				} // other errors (interrupts, timeouts) end only the wait
			}
			return struct{}{}, nil
		}
	}
	for i := range 1 + int(seed/8%4) { // one task alone takes the shortcut most
		tasks = append(tasks, sim.Go(env, fmt.Sprint("t", i), body(i)))
	}
	for round := 0; env.Pending() > 0 && round < 10_000; round++ {
		var err error
		switch r.IntN(4) {
		case 0:
			err = env.Run()
		case 1:
			err = env.RunUntil(env.Now() + dur() + time.Millisecond)
		case 2:
			err = env.RunFor(time.Duration(r.IntN(5)) * time.Millisecond)
		case 3:
			for range r.IntN(5) {
				env.Step()
			}
		}
		if err != nil {
			log("run: %s", strings.ReplaceAll(err.Error(), "\n", " | "))
		}
	}
	for _, tk := range tasks {
		_, err := tk.Result()
		log("%s: done %v: %v", tk.Name(), tk.Done(), err)
	}
	return env
}
