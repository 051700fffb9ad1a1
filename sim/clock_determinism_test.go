package sim_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// clockModel runs 50 tasks that use every method of env.Clock(), Recv and
// Select on a coarse grid of durations (so that many timers share an
// instant), and returns the hash of the trace and of what each task saw.
func clockModel(t *testing.T, opts ...sim.Option) string {
	t.Helper()
	tr := &hashTracer{h: sha256.New()}
	env := sim.New(append(opts, sim.WithTracer(tr))...)
	defer env.Close()
	clk := env.Clock()
	rng := env.Rand("clock-model")
	d := func() time.Duration { return time.Duration(rng.IntN(4)) * time.Second }
	see := func(p *sim.Proc, format string, args ...any) {
		fmt.Fprintf(tr.h, "%v %s %s\n", clk.Since(env.Start()), p.Name(), fmt.Sprintf(format, args...))
	}
	for i := range 50 {
		sim.Go(env, fmt.Sprintf("t%02d", i), func(p *sim.Proc) (int, error) {
			start := clk.Now()
			tick := clk.Tick(3 * time.Second) // never stopped: the run is bounded
			tk := clk.Ticker(2 * time.Second)
			defer tk.Stop()
			for j := range 6 {
				tm := clk.Timer(d())
				fired := 0
				af := clk.AfterFunc(d(), func() { fired++ })
				if j%2 == 1 {
					see(p, "stop %v reset %v", tm.Stop(), af.Reset(d()))
					tm.Reset(d())
				}
				ctx, cancel := clk.WithTimeout(context.Background(), d()+time.Second)
				dctx, dcancel := clk.WithDeadline(ctx, clk.Now().Add(d()))
				i, err := sim.Select(p,
					sim.OnRecv(tm.C, nil), sim.OnRecv(tk.C, nil), sim.OnRecv(tick, nil),
					sim.OnRecv(dctx.Done(), nil), sim.OnRecv(clk.After(d()), nil), sim.OnTimeout(d()))
				if err != nil {
					return 0, err
				}
				see(p, "chose %d ctx %v/%v until %v", i, ctx.Err(), dctx.Err(), clk.Until(start.Add(time.Minute)))
				see(p, "stop timer %v", tm.Stop())
				dcancel()
				cancel()
				clk.Sleep(d())
				if v, ok, _ := sim.Recv(p, clk.After(d())); ok {
					see(p, "after %v fired %d", clk.Since(v), fired)
				}
				if j == 3 {
					tk.Reset(time.Second)
				}
			}
			return 0, nil
		})
	}
	if err := env.RunFor(2 * time.Minute); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(tr.h, "at %v after %d steps\n", env.Now(), env.Steps())
	return fmt.Sprintf("%x", tr.h.Sum(nil))
}

func TestClockDeterminismAcrossRunsAndGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	want := clockModel(t, sim.WithSeed(3))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		for run := range 2 {
			if got := clockModel(t, sim.WithSeed(3)); got != want {
				t.Fatalf("GOMAXPROCS=%d run %d: trace hash %s; want %s", procs, run, got, want)
			}
		}
	}
	seen := map[string]uint64{want: 1 << 63}
	for seed := range uint64(3) {
		h := clockModel(t, sim.WithSeed(3), sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed))
		if again := clockModel(t, sim.WithSeed(3), sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed)); again != h {
			t.Fatalf("tie-break seed %d: the order did not repeat", seed)
		}
		if prev, dup := seen[h]; dup {
			t.Errorf("tie-break seeds %d and %d gave the same order", prev, seed)
		}
		seen[h] = seed
	}
}
