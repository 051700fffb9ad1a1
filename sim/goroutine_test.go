package sim_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// fromGoroutine runs f on a goroutine of its own, as a task that starts one
// would, waits for it with a plain channel receive (so that the task is
// the running one all along, and the checks of the task alone pass), and
// returns what f panicked with, or nil.
func fromGoroutine(f func()) any {
	got := make(chan any)
	go func() {
		defer func() { got <- recover() }()
		f()
	}()
	return <-got
}

// foreign is the panic of a wait called from a goroutine other than its
// task's.
func foreign(op, task string) string {
	return fmt.Sprintf("sim: %s of task %q called from a goroutine the task started; waits must be called from the task's own goroutine", op, task)
}

// TestMisuseWaitFromForeignGoroutine: a wait called with a task's Proc from a
// goroutine the task started is named in a panic in that goroutine, before
// it changes anything (issue 12, point 11). Before the check, iter.Pull
// switched from the wrong goroutine without a word and the run loop went on
// while the task's own goroutine ran: the timing was silently wrong. After
// the panic the model goes on as if nothing happened: the task's own waits
// keep their virtual times.
func TestMisuseWaitFromForeignGoroutine(t *testing.T) {
	if !sim.ExactGoroutineCheck {
		t.Skip("the waits check their goroutine on amd64 and arm64, and in race builds")
	}
	cases := []struct {
		op   string
		wait func(p *sim.Proc)
	}{
		{"Proc.Sleep", func(p *sim.Proc) { p.Sleep(time.Second) }},
		{"Proc.Yield", func(p *sim.Proc) { p.Yield() }},
		{"Await", func(p *sim.Proc) {
			f, _ := future.New[int](p.Env().Loop())
			sim.Await[int](p, f)
		}},
		{"WaitQueue.Wait", func(p *sim.Proc) { new(sim.WaitQueue).Wait(p) }},
		{"Queue.Get", func(p *sim.Proc) { sim.NewQueue[int](0).Get(p) }},
	}
	for _, c := range cases {
		t.Run(c.op, func(t *testing.T) {
			env, log := newEnv(t)
			sim.Go(env, "x", func(p *sim.Proc) (int, error) {
				if err := p.Sleep(time.Second); err != nil {
					return 0, err
				}
				r := fromGoroutine(func() { c.wait(p) })
				if want := foreign(c.op, "x"); r != want {
					t.Errorf("the goroutine's %s panicked with %v; want %q", c.op, r, want)
				}
				log.Add("x", "caught")
				if err := p.Sleep(time.Second); err != nil {
					return 0, err
				}
				log.Add("x", "slept")
				return 0, nil
			})
			sim.Go(env, "y", func(p *sim.Proc) (int, error) {
				for range 3 {
					log.Add("y", "tick")
					if err := p.Sleep(time.Second); err != nil {
						return 0, err
					}
				}
				return 0, nil
			})
			if err := env.Run(); err != nil {
				t.Fatal(err)
			}
			log.Check(t,
				"0s y tick",
				"1s x caught",
				"1s y tick",
				"2s x slept",
				"2s y tick",
			)
		})
	}
}

// TestMisuseWaitFromGoroutineOfAnotherTask: a goroutine that calls a wait
// with the Proc of a task that is not the running one is told it is a
// goroutine, not the running task's body.
func TestMisuseWaitFromGoroutineOfAnotherTask(t *testing.T) {
	if !sim.ExactGoroutineCheck {
		t.Skip("the waits check their goroutine on amd64 and arm64, and in race builds")
	}
	env, _ := newEnv(t)
	x := sim.Go(env, "x", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Second) })
	sim.Go(env, "y", func(p *sim.Proc) (int, error) {
		r := fromGoroutine(func() { x.Proc().Sleep(time.Second) })
		want := `sim: Proc.Sleep of task "x" called from a goroutine other than a task's own (while task "y" runs); waits must be called from the task's own goroutine`
		if r != want {
			t.Errorf("the goroutine's Sleep panicked with %v; want %q", r, want)
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// TestMisuseNonWaitFromForeignGoroutine: in race builds the calls that do
// not wait (here Queue.Get of a queue with an item) check their goroutine
// too; in other builds they are not checked (see the doc of
// Proc.CheckRunning), and the race detector reports the race.
func TestMisuseNonWaitFromForeignGoroutine(t *testing.T) {
	if !sim.RaceEnabled {
		t.Skip("only race builds check the calls that do not wait")
	}
	env, _ := newEnv(t)
	q := sim.NewQueue[int](0)
	sim.Go(env, "x", func(p *sim.Proc) (int, error) {
		if err := q.Put(p, 1); err != nil {
			return 0, err
		}
		r := fromGoroutine(func() { q.Get(p) })
		if want := foreign("Queue.Get", "x"); r != want {
			t.Errorf("the goroutine's Queue.Get panicked with %v; want %q", r, want)
		}
		if q.Len() != 1 {
			t.Errorf("Len = %d after the caught Get; want 1", q.Len())
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// grow recurses n frames of 1 KiB each, then calls f at the bottom.
func grow(n int, f func()) byte {
	var pad [1024]byte
	pad[n%len(pad)] = byte(n)
	if n == 0 {
		f()
		return pad[0]
	}
	return grow(n-1, f) + pad[n%len(pad)]
}

// TestGoroutineCheckSurvivesStackMoves: a task whose stack grows (and so
// moves) between waits, waits at the bottom of a deep recursion, and has its
// stack shrunk by the collector while it waits, raises no false alarm: the
// check compares goroutines, not stack addresses.
func TestGoroutineCheckSurvivesStackMoves(t *testing.T) {
	env, log := newEnv(t)
	sim.Go(env, "deep", func(p *sim.Proc) (int, error) {
		var here int
		before := uintptr(unsafe.Pointer(&here))
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		var err error
		grow(4096, func() { // 4 MiB of stack: it is copied to larger ones
			err = p.Sleep(time.Second)
			log.Add("deep", "at the bottom")
		})
		if err != nil {
			return 0, err
		}
		if after := uintptr(unsafe.Pointer(&here)); after == before {
			t.Error("the stack did not move: the test does not test what it says")
		}
		for range 3 {
			if err := p.Sleep(time.Second); err != nil { // the GC below shrinks the stack meanwhile
				return 0, err
			}
			grow(512, func() {})
		}
		log.Add("deep", "done")
		return 0, nil
	})
	sim.Go(env, "gc", func(p *sim.Proc) (int, error) {
		for range 3 {
			if err := p.Sleep(1500 * time.Millisecond); err != nil {
				return 0, err
			}
			runtime.GC()
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "2s deep at the bottom", "5s deep done")
}
