package sim_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"runtime"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// hashTracer hashes every trace event.
type hashTracer struct{ h hash.Hash }

func (t *hashTracer) Trace(ev sim.TraceEvent) {
	fmt.Fprintf(t.h, "%d|%v|%d|%s|%s\n", ev.At, ev.Kind, ev.Task, ev.Name, ev.What)
}

// model runs a workload with many tasks, random sleeps on a coarse grid (so
// that many events fall at the same instant), awaits, callbacks and
// cancellations, and returns the hash of its trace and of its outcomes.
func model(t *testing.T, opts ...sim.Option) string {
	t.Helper()
	tr := &hashTracer{h: sha256.New()}
	env := sim.New(append(opts, sim.WithTracer(tr))...)
	defer env.Close()
	rng := env.Rand("model")
	var workers []*sim.Task[int]
	for i := range 200 {
		workers = append(workers, sim.Go(env, fmt.Sprintf("w%03d", i), func(p *sim.Proc) (int, error) {
			sum := 0
			for j := range 20 {
				d := time.Duration(rng.IntN(5)) * time.Second
				if err := p.Sleep(d); err != nil {
					if j%2 == 0 {
						return sum, err // end cancelled
					}
					continue // swallow it and go on
				}
				sum += int(p.Now() / time.Second)
			}
			return sum, nil
		}))
	}
	for i := range 50 {
		target := workers[rng.IntN(len(workers))]
		env.CallAt(time.Duration(rng.IntN(40))*time.Second, func() { target.Cancel(fmt.Sprint("c", i)) })
	}
	collector := sim.Go(env, "collector", func(p *sim.Proc) (int, error) {
		total := 0
		for _, w := range workers {
			v, err := sim.Await(p, w)
			if err != nil && !errors.Is(err, sim.ErrCancelled) {
				return 0, err
			}
			total += v
		}
		return total, nil
	})
	total, err := sim.RunUntilComplete(env, collector)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(tr.h, "total %d at %v after %d steps\n", total, env.Now(), env.Steps())
	return fmt.Sprintf("%x", tr.h.Sum(nil))
}

func TestDeterminismAcrossRunsAndGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	want := model(t, sim.WithSeed(7))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		for _, q := range []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue} {
			for run := range 3 {
				if got := model(t, sim.WithSeed(7), sim.WithQueue(q)); got != want {
					t.Fatalf("GOMAXPROCS=%d queue=%v run %d: trace hash %s; want %s", procs, q, run, got, want)
				}
			}
		}
	}
	if other := model(t, sim.WithSeed(8)); other == want {
		t.Error("seeds 7 and 8 gave the same trace")
	}
}

func TestRandomTieBreakPermutesEqualTimesPerSeed(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	seen := map[string]uint64{}
	for seed := range uint64(10) {
		h := model(t, sim.WithSeed(7), sim.WithTieBreak(scheduler.Random), tieSeed(seed))
		for _, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			if again := model(t, sim.WithSeed(7), sim.WithTieBreak(scheduler.Random), tieSeed(seed), sim.WithQueue(scheduler.CalendarQueue)); again != h {
				t.Fatalf("tie-break seed %d, GOMAXPROCS=%d: the order did not repeat", seed, procs)
			}
		}
		if prev, dup := seen[h]; dup {
			t.Errorf("tie-break seeds %d and %d gave the same order", prev, seed)
		}
		seen[h] = seed
	}
}

func TestRandomTieBreakKeepsTimeOrder(t *testing.T) {
	for seed := range uint64(20) {
		env, log := newEnv(t, sim.WithTieBreak(scheduler.Random), tieSeed(seed))
		for i := range 30 {
			env.CallLater(time.Duration(i%3)*time.Second, func() { log.Add("cb", "%d", i) })
		}
		var last time.Duration
		env.CallSoon(func() {}) // an event at 0 among the others
		for env.Step() {
			if env.Now() < last {
				t.Fatalf("seed %d: time went back from %v to %v", seed, last, env.Now())
			}
			last = env.Now()
		}
		if len(log.Lines) != 30 {
			t.Fatalf("seed %d: %d callbacks ran; want 30", seed, len(log.Lines))
		}
	}
}

// tieSeed sets the tie-break seed, which WithTieBreakSeed separates from the
// model's streams.
func tieSeed(s uint64) sim.Option { return sim.WithTieBreakSeed(s) }
