package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// spawnOp is one step of a customer in spawnMixModel.
type spawnOp uint8

const (
	opSleep spawnOp = iota
	opYield
	opLockHold    // acquire the Lock, yield, release
	opLockForget  // acquire the Lock and leave it held if the customer ends next
	opSemaphore   // acquire a unit, sleep, release
	opPut         // put an item into the Queue (a consumer takes them)
	opEvent       // wait for the Event, which a callback sets and clears
	opCondition   // wait on the Condition until notified or 2s
	opTimeoutLock // acquire the Lock within a timeout scope
	opAwaitAfter  // await a sim.After
	opAnyOf       // AnyOf(After, Lock.AcquireFuture), releasing what it won
	opGroup       // a task group of two children that sleep
	opSpawn       // start a further customer
	opContext     // make a context
	opWatch       // register an EndWatch that logs the task's end
	opKeep        // Proc.Keep
	nSpawnOps
)

// spawnMixModel runs customers whose programs are progs, started by start
// (Go or Spawn), against every primitive of package sim, while callbacks
// interrupt and cancel the customers that are live (a customer is in live
// only while its function runs). It returns the bodies' log, the trace,
// the number of events and Run's error, all of which must be the same
// whichever start is used.
func spawnMixModel(progs [][]spawnOp, starts []time.Duration, pokes []int, start func(env *sim.Env, name string, fn func(*sim.Proc) error)) (log, trace []string, steps uint64, runErr string) {
	var tr traceLog
	env := sim.New(sim.WithSeed(3), sim.WithTracer(&tr))
	defer env.Close()
	lock, sem, ev := sim.NewLock(), sim.NewSemaphore(1), sim.NewEvent()
	cond := sim.NewCondition(nil)
	q := sim.NewQueue[uint64](2)
	var live []*sim.Proc // the customers whose function runs, by start
	spawned := 0         // by opSpawn, at most 20, so that a chain of spawns ends
	say := func(p *sim.Proc, format string, args ...any) {
		log = append(log, fmt.Sprintf("%v %s #%d ", p.Now(), p.Name(), p.ID())+fmt.Sprintf(format, args...))
	}
	watch := &sim.EndWatch{TaskEnded: func(p *sim.Proc) error {
		log = append(log, fmt.Sprintf("%v end of %s #%d", p.Now(), p.Name(), p.ID()))
		return nil
	}}
	var customer func(k int) func(p *sim.Proc) error
	customer = func(k int) func(p *sim.Proc) error {
		return func(p *sim.Proc) error {
			live = append(live, p)
			defer func() { live = slices.DeleteFunc(live, func(q *sim.Proc) bool { return q == p }) }()
			say(p, "starts program %d", k)
			for i, op := range progs[k] {
				var err error
				switch op {
				case opSleep:
					err = p.Sleep(time.Duration(i%3) * time.Second / 2)
				case opYield:
					err = p.Yield()
				case opLockHold, opLockForget:
					if err = lock.Acquire(p); err == nil {
						if op == opLockForget && i == len(progs[k])-1 {
							say(p, "leaves the lock held")
							break
						}
						err = p.Yield()
						lock.Release()
					}
				case opSemaphore:
					if err = sem.Acquire(p); err == nil {
						err = p.Sleep(time.Second / 2)
						_ = sem.Release()
					}
				case opPut:
					err = q.Put(p, p.ID())
				case opEvent:
					err = ev.Wait(p)
				case opCondition:
					if err = cond.Acquire(p); err == nil {
						err = sim.Timeout(p, 2*time.Second, func(*sim.Scope) error { return cond.Wait(p) })
						cond.Release()
					}
				case opTimeoutLock:
					err = sim.Timeout(p, time.Second, func(*sim.Scope) error { return lock.Acquire(p) })
					if err == nil {
						lock.Release()
					}
				case opAwaitAfter:
					_, err = sim.Await(p, sim.After(env, time.Second, 1))
				case opAnyOf:
					acq := lock.AcquireFuture(env)
					_, err = sim.Await(p, sim.AnyOf(env, sim.After(env, time.Second, 0), acq))
					if err == nil && acq.Done() && acq.Err() == nil {
						if _, rerr := acq.Result(); rerr == nil {
							lock.Release()
						}
					}
				case opGroup:
					err = sim.Group(p, func(g *sim.TaskGroup) error {
						for j := range 2 {
							g.Go("child", func(c *sim.Proc) error { return c.Sleep(time.Duration(j) * time.Second) })
						}
						return nil
					})
				case opSpawn:
					if spawned < 20 {
						spawned++
						start(env, "customer", customer((k+1)%len(progs)))
					}
				case opContext:
					_ = p.Context()
				case opWatch:
					p.WatchEnd(watch)
				case opKeep:
					p.Keep()
				}
				if err != nil {
					say(p, "step %d: %v", i, err)
					if errors.Is(err, sim.ErrCancelled) || errors.Is(err, future.ErrTimeout) {
						return err
					}
				}
			}
			say(p, "done")
			return nil
		}
	}
	sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
		for {
			v, err := q.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			say(p, "got %d", v)
		}
	})
	for k, at := range starts {
		env.CallAt(at, func() { start(env, "customer", customer(k%len(progs))) })
	}
	for i, poke := range pokes {
		at := time.Duration(i) * time.Second / 4
		env.CallAt(at, func() {
			switch poke % 4 {
			case 0:
				ev.Set()
				ev.Clear()
			case 1:
				if cond.Locked() {
					return
				}
				sim.Go(env, "notifier", func(p *sim.Proc) (struct{}, error) {
					if err := cond.Acquire(p); err != nil {
						return struct{}{}, err
					}
					cond.NotifyAll()
					cond.Release()
					return struct{}{}, nil
				})
			case 2:
				if len(live) > 0 {
					_ = live[(poke/4)%len(live)].Interrupt("poke")
				}
			case 3:
				if len(live) > 0 {
					live[(poke/4)%len(live)].Cancel("poke")
				}
			}
		})
	}
	err := env.Run()
	if err != nil {
		runErr = err.Error()
	}
	return log, tr, env.Steps(), runErr
}

// TestSpawnRunsAsGoProperty: whatever customers do (every primitive of
// package sim, timeouts, contexts, groups, end watches, Keep, further
// spawns) and whatever callbacks do to the live ones (interrupts,
// cancellations), customers started with Spawn, whose Procs the engine
// reuses, run exactly as customers started with Go: the same log, IDs
// included, the same trace, the same number of events, the same report.
func TestSpawnRunsAsGoProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		progs := rapid.SliceOfN(rapid.SliceOfN(rapid.Uint8Range(0, uint8(nSpawnOps)-1), 0, 5), 1, 6).Draw(rt, "progs")
		ops := make([][]spawnOp, len(progs))
		for i, p := range progs {
			for _, o := range p {
				ops[i] = append(ops[i], spawnOp(o))
			}
		}
		var starts []time.Duration
		for _, s := range rapid.SliceOfN(rapid.IntRange(0, 12), 1, 12).Draw(rt, "starts") {
			starts = append(starts, time.Duration(s)*time.Second/4)
		}
		pokes := rapid.SliceOfN(rapid.IntRange(0, 63), 0, 16).Draw(rt, "pokes")
		goLog, goTrace, goSteps, goErr := spawnMixModel(ops, starts, pokes, func(env *sim.Env, name string, fn func(*sim.Proc) error) {
			sim.Go(env, name, func(p *sim.Proc) (struct{}, error) { return struct{}{}, fn(p) })
		})
		spLog, spTrace, spSteps, spErr := spawnMixModel(ops, starts, pokes, sim.Spawn)
		if g, s := strings.Join(goLog, "\n"), strings.Join(spLog, "\n"); g != s {
			rt.Fatalf("the logs differ:\nGo:\n%s\nSpawn:\n%s", g, s)
		}
		if g, s := strings.Join(goTrace, "\n"), strings.Join(spTrace, "\n"); g != s {
			rt.Fatalf("the traces differ:\nGo:\n%s\nSpawn:\n%s", g, s)
		}
		if goSteps != spSteps || goErr != spErr {
			rt.Fatalf("Go: %d events, %q; Spawn: %d events, %q", goSteps, goErr, spSteps, spErr)
		}
	})
}
