package sim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// traceLog is a Tracer that keeps every trace event as a line.
type traceLog []string

func (l *traceLog) Trace(ev sim.TraceEvent) {
	*l = append(*l, fmt.Sprintf("%v %v #%d %s %s", ev.At, ev.Kind, ev.Task, ev.Name, ev.What))
}

// spawnModel runs a small model whose short tasks are started by start
// (with Go or with Spawn): customers that sleep, take a Lock, hand an item
// through a Queue, yield, and start further tasks. It returns the trace,
// the bodies' own log and the number of events.
func spawnModel(t *testing.T, start func(env *sim.Env, name string, fn func(*sim.Proc) error)) ([]string, []string, uint64) {
	t.Helper()
	var tr traceLog
	env := sim.New(sim.WithSeed(7), sim.WithTracer(&tr))
	defer env.Close()
	lock := sim.NewLock()
	q := sim.NewQueue[int](1)
	r := env.Rand("model")
	var log []string
	say := func(p *sim.Proc, what string) {
		log = append(log, fmt.Sprintf("%v %s #%d %s", p.Now(), p.Name(), p.ID(), what))
	}
	var customer func(p *sim.Proc) error
	customer = func(p *sim.Proc) error {
		say(p, "arrives")
		if err := p.Sleep(time.Duration(r.IntN(3)) * time.Second); err != nil {
			return err
		}
		if err := lock.Acquire(p); err != nil {
			return err
		}
		say(p, "holds the lock")
		if err := p.Yield(); err != nil {
			return err
		}
		lock.Release()
		if err := q.Put(p, int(p.ID())); err != nil {
			return err
		}
		if r.IntN(3) == 0 {
			start(env, "customer", customer)
		}
		say(p, "leaves")
		return nil
	}
	sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
		for {
			v, err := q.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			say(p, fmt.Sprint("got ", v))
		}
	})
	sim.Go(env, "source", func(p *sim.Proc) (struct{}, error) {
		for range 20 {
			start(env, "customer", customer)
			if err := p.Sleep(time.Duration(r.IntN(2)) * time.Second); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	err := env.Run()
	var de *sim.DeadlockError
	if !errors.As(err, &de) { // the consumer waits for ever at the end
		t.Fatalf("Run: %v, want a deadlock of the consumer", err)
	}
	return tr, log, env.Steps()
}

// A spawned task runs exactly as a Go task: the same trace, the same
// events in the same order, the same IDs, also when Procs are reused.
func TestSpawnRunsAsGo(t *testing.T) {
	goTrace, goLog, goSteps := spawnModel(t, func(env *sim.Env, name string, fn func(*sim.Proc) error) {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) { return struct{}{}, fn(p) })
	})
	spTrace, spLog, spSteps := spawnModel(t, sim.Spawn)
	if goSteps != spSteps {
		t.Errorf("%d events with Go, %d with Spawn", goSteps, spSteps)
	}
	if g, s := strings.Join(goLog, "\n"), strings.Join(spLog, "\n"); g != s {
		t.Errorf("the bodies' logs differ:\nGo:\n%s\nSpawn:\n%s", g, s)
	}
	if g, s := strings.Join(goTrace, "\n"), strings.Join(spTrace, "\n"); g != s {
		t.Errorf("the traces differ:\nGo:\n%s\nSpawn:\n%s", g, s)
	}
	if len(goLog) < 40 {
		t.Errorf("the model did little: %d lines", len(goLog))
	}
}

// A spawned task's failure, an error or a panic, is reported by the next
// Run as a *TaskError; a cancelled one ends silently.
func TestSpawnFailureIsReportedByRun(t *testing.T) {
	env := sim.New()
	defer env.Close()
	disk := errors.New("disk full")
	sim.Spawn(env, "broken", func(p *sim.Proc) error {
		if err := p.Sleep(time.Second); err != nil {
			return err
		}
		return disk
	})
	sim.Spawn(env, "panicky", func(p *sim.Proc) error { panic("oops") })
	sim.Spawn(env, "cancelled", func(p *sim.Proc) error {
		p.Cancel("enough")
		return p.Sleep(time.Second)
	})
	sim.Spawn(env, "fine", func(p *sim.Proc) error { return p.Sleep(2 * time.Second) })
	err := env.Run()
	if !errors.Is(err, sim.ErrTaskFailed) || !errors.Is(err, disk) {
		t.Fatalf("Run: %v, want the failure of broken", err)
	}
	var te *sim.TaskError
	if !errors.As(err, &te) || te.Task != "panicky" && te.Task != "broken" {
		t.Fatalf("Run: %v, want a *TaskError", err)
	}
	var pe *sim.PanicError
	if !errors.As(err, &pe) || pe.Value != "oops" {
		t.Fatalf("Run: %v, want panicky's *PanicError", err)
	}
	if s := err.Error(); !strings.Contains(s, `task "broken" failed at 1s`) || !strings.Contains(s, `task "panicky" failed at 0s`) || strings.Contains(s, "cancelled") {
		t.Fatalf("Run: %v", err)
	}
	if env.Now() != 2*time.Second {
		t.Fatalf("Run ended at %v, want 2s", env.Now())
	}
	if err := env.Run(); err != nil {
		t.Fatalf("second Run: %v", err)
	}
}

// The Proc of a spawned task that ended cleanly is reused by the next
// Spawn of a task of the same name, with a new ID; that of a task that
// failed, was interrupted or cancelled, or was kept, is not, nor is a Proc
// reused under another name.
func TestSpawnReusesProcWithFreshID(t *testing.T) {
	env := sim.New()
	defer env.Close()
	var got *sim.Proc
	spawn := func(name string, fn func(p *sim.Proc) error) *sim.Proc {
		got = nil
		sim.Spawn(env, name, func(p *sim.Proc) error {
			got = p // for the test only: a Proc must not be used after its task ends
			if p.Name() != name || p.Ended() || p.Cancelling() != 0 {
				t.Errorf("task %q starts as %q, ended %v, cancelling %d", name, p.Name(), p.Ended(), p.Cancelling())
			}
			return fn(p)
		})
		if err := env.Run(); err != nil && !errors.Is(err, sim.ErrTaskFailed) {
			t.Fatalf("Run of %q: %v", name, err)
		}
		return got
	}
	sleep := func(p *sim.Proc) error { return p.Sleep(time.Second) }
	a := spawn("customer", sleep)
	b := spawn("customer", sleep)
	if a != b || b.ID() != 2 || b.Name() != "customer" {
		t.Fatalf("b: reused %v, ID %d, name %q; want the Proc of a, 2, customer", a == b, b.ID(), b.Name())
	}
	if c := spawn("clerk", sleep); c == b || c.Name() != "clerk" || b.Name() != "customer" {
		t.Fatalf("a task of another name took the Proc of %q", b.Name())
	}
	if d := spawn("customer", sleep); d != b && d != a {
		t.Fatalf("the spare of %q was not reused", b.Name())
	}
	for _, c := range []struct {
		name string
		fn   func(p *sim.Proc) error
	}{
		{"fails", func(p *sim.Proc) error { return errors.New("no") }},
		{"interrupted", func(p *sim.Proc) error {
			p.Env().CallSoon(func() { _ = p.Interrupt(errors.New("wake up")) })
			if err := p.Sleep(time.Second); err == nil {
				t.Error("the interrupt did not arrive")
			}
			return nil
		}},
		{"cancelled and goes on", func(p *sim.Proc) error {
			p.Cancel("stop")
			p.Uncancel()
			return nil
		}},
		{"kept", func(p *sim.Proc) error { p.Keep(); return nil }},
		{"with a context", func(p *sim.Proc) error { _ = p.Context(); return nil }},
	} {
		first := spawn("customer", c.fn)
		if next := spawn("customer", sleep); next == first {
			t.Errorf("the Proc of the task that %s was reused", c.name)
		} else if !first.Ended() || first.Name() != "customer" {
			t.Errorf("the Proc of the task that %s changed: %q, ended %v", c.name, first.Name(), first.Ended())
		}
	}
}

// A deadlock report names the spawned task that ended holding a Lock as
// its holder, as it does for a Go task, also once a later task (here the
// waiter itself) has reused its Proc: a reused Proc keeps its name.
func TestLockHolderOfReusedProcIsReportedAsWithGo(t *testing.T) {
	for _, spawn := range []bool{false, true} {
		env := sim.New()
		lock := sim.NewLock()
		var holder *sim.Proc
		start := func(fn func(p *sim.Proc) error) {
			if spawn {
				sim.Spawn(env, "customer", fn)
				return
			}
			sim.Go(env, "customer", func(p *sim.Proc) (struct{}, error) { return struct{}{}, fn(p) })
		}
		start(func(p *sim.Proc) error {
			holder = p             // for the test only
			return lock.Acquire(p) // and never releases it
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		start(func(p *sim.Proc) error {
			if spawn && p != holder {
				t.Error("the Proc was not reused")
			}
			return lock.Acquire(p)
		})
		err := env.Run()
		var de *sim.DeadlockError
		if !errors.As(err, &de) || len(de.Waiting) != 1 {
			t.Fatalf("spawn %v: Run: %v, want a deadlock of the waiter", spawn, err)
		}
		if h := de.Waiting[0].HeldBy; len(h) != 1 || h[0] != "customer" {
			t.Fatalf("spawn %v: the waiter is reported waiting for a lock held by %q, want [customer]: %v", spawn, h, err)
		}
		env.Close()
	}
}

// Spawning short tasks allocates nothing in steady state: their Procs and
// coroutines are reused.
func TestSpawnDoesNotAllocate(t *testing.T) {
	env := sim.New()
	defer env.Close()
	const n = 50
	body := func(p *sim.Proc) error { return p.Sleep(time.Second) }
	round := func(k int) float64 {
		return testing.AllocsPerRun(20, func() {
			for range k {
				sim.Spawn(env, "customer", body)
			}
			if err := env.Run(); err != nil {
				t.Fatal(err)
			}
		})
	}
	one := round(n) // a Run allocates a few objects of its own
	if per := (round(2*n) - one) / n; per > 0 {
		t.Fatalf("%.2f allocations a spawned task, want 0", per)
	}
}

// Keep works until the Proc is reused: called on the Proc of a spawned
// task that has ended (from a callback, say, by code that found the Proc
// in a snapshot such as a resource's Users), it keeps the next Spawn from
// reusing it.
func TestSpawnKeepAfterTheEnd(t *testing.T) {
	env := sim.New()
	defer env.Close()
	var first, second *sim.Proc
	sim.Spawn(env, "customer", func(p *sim.Proc) error {
		first = p // for the test only
		p.Env().CallSoon(func() { first.Keep() })
		return nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	sim.Spawn(env, "customer", func(p *sim.Proc) error { second = p; return nil })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("a Proc kept after its task ended was reused")
	}
	if !first.Ended() || first.ID() != 1 || second.ID() != 2 {
		t.Fatalf("first: ended %v, ID %d; second: ID %d; want true, 1, 2", first.Ended(), first.ID(), second.ID())
	}
}

// Spares of names that no later Spawn asks for (tasks named one by one,
// "job 17") do not stop the reuse of the others: once the list of spares
// is full, a customer still reuses the Proc of an ended customer.
func TestSpawnReusesPastSparesOfOtherNames(t *testing.T) {
	env := sim.New()
	defer env.Close()
	body := func(p *sim.Proc) error { return p.Sleep(time.Second) }
	for i := range 2000 {
		sim.Spawn(env, fmt.Sprint("job ", i), body)
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	const n = 50
	round := func(k int) float64 {
		return testing.AllocsPerRun(20, func() {
			for range k {
				sim.Spawn(env, "customer", body)
			}
			if err := env.Run(); err != nil {
				t.Fatal(err)
			}
		})
	}
	one := round(n)
	if per := (round(2*n) - one) / n; per > 0 {
		t.Fatalf("%.2f allocations a spawned customer after 2,000 jobs, want 0", per)
	}
}
