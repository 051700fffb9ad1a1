package sim_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// Pacing tests run in synctest bubbles, whose fake clock makes the real
// time they measure exact and costs no real time.

func TestPacingDispatchesAtTheWallClockInstants(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, log := newEnv(t, sim.WithPacing(10, true, time.Millisecond), sim.WithWatchdog(0, nil))
		wall := time.Now()
		for _, at := range []time.Duration{time.Second, 2 * time.Second, 5 * time.Second} {
			env.CallAt(at, func() { log.Add("cb", "wall %v", time.Since(wall)) })
		}
		// Another goroutine hands in a callback at 250ms of real time.
		go func() {
			time.Sleep(250 * time.Millisecond)
			if err := env.Inject(func() { log.Add("injected", "wall %v", time.Since(wall)) }); err != nil {
				t.Error(err)
			}
		}()
		if err := env.RunFor(10 * time.Second); err != nil {
			t.Fatal(err)
		}
		log.Add("driver", "RunFor returned at wall %v", time.Since(wall))
		log.Check(t,
			"1s cb wall 100ms",
			"2s cb wall 200ms",
			"2.5s injected wall 250ms",
			"5s cb wall 500ms",
			"10s driver RunFor returned at wall 1s",
		)
	})
}

func TestPacingStrictFailsWhenTheModelFallsBehind(t *testing.T) {
	for _, strict := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			env, log := newEnv(t, sim.WithPacing(10, strict, 10*time.Millisecond), sim.WithWatchdog(0, nil))
			wall := time.Now()
			env.CallAt(time.Second, func() { time.Sleep(300 * time.Millisecond) }) // a slow model
			env.CallAt(1100*time.Millisecond, func() { log.Add("cb", "wall %v", time.Since(wall)) })
			err := env.Run()
			if strict {
				if !errors.Is(err, sim.ErrBehind) || err.Error() != "sim: paced run fell behind the wall clock: the event due at 1.1s ran 290ms late (tolerance 10ms)" {
					t.Fatalf("strict Run = %v; want ErrBehind", err)
				}
				log.Check(t)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Check(t, "1.1s cb wall 400ms") // late, and no error
		})
	}
}

// A paced run that idles longer than the watchdog's timeout is not a stall.
func TestPacingKeepsTheWatchdogQuiet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var stalls []*sim.StallError
		env, log := newEnv(t, sim.WithPacing(1, false, 0), sim.WithWatchdog(time.Second, func(err *sim.StallError) { stalls = append(stalls, err) }))
		env.CallAt(time.Minute, func() { log.Add("cb", "ran") })
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		log.Check(t, "1m0s cb ran")
		if len(stalls) != 0 {
			t.Errorf("watchdog reported %v", stalls[0])
		}
	})
}

func TestPacingMisuse(t *testing.T) {
	env, _ := newEnv(t)
	if err := env.Inject(func() {}); !errors.Is(err, sim.ErrNotPaced) {
		t.Errorf("Inject on an unpaced Env = %v", err)
	}
	mustPanic(t, "sim: WithPacing(0): factor not positive and finite", func() { sim.WithPacing(0, false, 0) })
	mustPanic(t, "sim: WithPacing: negative tolerance -1s", func() { sim.WithPacing(1, false, -time.Second) })
	mustPanic(t, "sim: Inject called with a nil function", func() { env.Inject(nil) })
}
