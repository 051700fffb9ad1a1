package sim_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/testlog"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

func TestMisuseNamesTheCall(t *testing.T) {
	env, _ := newEnv(t)
	task := sim.Go(env, "worker", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Second) })
	closed := sim.New()
	closed.Close()
	tests := []struct {
		name string
		want string
		f    func()
	}{
		{"wait from the driver", `sim: Proc.Sleep of task "worker" called outside the task (from the driver or a callback)`,
			func() { task.Proc().Sleep(time.Second) }},
		{"Go with a nil function", `sim: Go("x") called with a nil function`,
			func() { sim.Go[int](env, "x", nil) }},
		{"Go with a nil Env", "sim: Go called with a nil Env",
			func() { sim.Go(nil, "x", func(*sim.Proc) (int, error) { return 0, nil }) }},
		{"CallLater with a nil function", "sim: CallLater called with a nil function",
			func() { env.CallLater(time.Second, nil) }},
		{"CallSoon on a closed Env", "sim: CallSoon called on a closed Env",
			func() { closed.CallSoon(func() {}) }},
		{"Go on a closed Env", "sim: Go called on a closed Env",
			func() { sim.Go(closed, "x", func(*sim.Proc) (int, error) { return 0, nil }) }},
		{"Step on a closed Env", "sim: Step called on a closed Env",
			func() { closed.Step() }},
		{"Rand on a closed Env", "sim: Rand called on a closed Env",
			func() { closed.Rand("x") }},
		{"nil option", "sim: New: nil Option",
			func() { sim.New(nil) }},
		{"negative watchdog", "sim: WithWatchdog: negative timeout -1s",
			func() { sim.New(sim.WithWatchdog(-time.Second, nil)) }},
		{"unknown queue", "sim: WithQueue: unknown queue kind 9",
			func() { sim.New(sim.WithQueue(9)) }},
		{"unknown tie-break", "sim: WithTieBreak: unknown policy 7",
			func() { sim.New(sim.WithTieBreak(7)) }},
		{"CallLater past the end of time", "sim: CallLater(2562047h47m16.854775807s): sim: virtual time would overflow int64: now 1s",
			func() {
				late := sim.New()
				defer late.Close()
				late.CallLater(time.Second, func() {})
				late.Step()
				late.CallLater(sim.MaxTime, func() {})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { mustPanic(t, tt.want, tt.f) })
	}
}

func TestMisuseInsideTasks(t *testing.T) {
	env, _ := newEnv(t)
	sleeper := sim.Go(env, "sleeper", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Hour) })
	checks := map[string]func(p *sim.Proc){
		`sim: Proc.Yield of task "sleeper" called from task "meddler"`: func(p *sim.Proc) { sleeper.Proc().Yield() },
		"sim: Run called from inside a task or callback":               func(p *sim.Proc) { env.Run() },
		"sim: Close called from inside a task or callback":             func(p *sim.Proc) { env.Close() },
		`sim: task "meddler" awaits itself`:                            nil,
		`sim: task "meddler" awaits a future of another Env or loop`: func(p *sim.Proc) {
			other := sim.New()
			defer other.Close()
			sim.Await(p, sim.Go(other, "elsewhere", func(*sim.Proc) (int, error) { return 0, nil }))
		},
		`sim: Await in task "meddler" called with a nil future`: func(p *sim.Proc) { sim.Await[int](p, nil) },
	}
	for want, f := range checks {
		var me *sim.Task[int]
		me = sim.Go(env, "meddler", func(p *sim.Proc) (int, error) {
			mustPanic(t, want, func() {
				if f == nil {
					sim.Await(p, me)
					return
				}
				f(p)
			})
			return 0, nil
		})
		if _, err := sim.RunUntilComplete(env, me); err != nil {
			t.Fatal(err)
		}
	}
	sleeper.Cancel("")
	env.Run()
}

func TestTimeOverflowIsAnError(t *testing.T) {
	env, _ := newEnv(t)
	task := sim.Go(env, "far", func(p *sim.Proc) (time.Duration, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		err := p.Sleep(sim.MaxTime) // 1s + MaxTime overflows
		if !errors.Is(err, sim.ErrTimeOverflow) {
			t.Errorf("Sleep past MaxTime = %v; want ErrTimeOverflow", err)
		}
		if want := "sim: Sleep(2562047h47m16.854775807s): sim: virtual time would overflow int64: now 1s + 2562047h47m16.854775807s is past 2562047h47m16.854775807s"; err.Error() != want {
			t.Errorf("error %q; want %q", err, want)
		}
		// SleepUntil the last representable instant is fine.
		return p.Now(), p.SleepUntil(sim.MaxTime)
	})
	if v, err := sim.RunUntilComplete(env, task); err != nil || v != time.Second || env.Now() != sim.MaxTime {
		t.Fatalf("got %v, %v at %v", v, err, env.Now())
	}
	if err := env.RunFor(time.Nanosecond); !errors.Is(err, sim.ErrTimeOverflow) {
		t.Errorf("RunFor past MaxTime = %v; want ErrTimeOverflow", err)
	}
}

func TestRunUntilIncludesEventsAtTheLimit(t *testing.T) {
	env, log := newEnv(t)
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		env.CallLater(d, func() { log.Add("cb", "fired") })
	}
	if err := env.RunUntil(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Add("main", "stopped")
	if err := env.RunFor(500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	log.Add("main", "after RunFor, %d pending", env.Pending())
	if err := env.RunUntil(time.Second); !errors.Is(err, sim.ErrPast) {
		t.Errorf("RunUntil in the past = %v; want ErrPast", err)
	}
	if err := env.RunFor(-time.Hour); err != nil || env.Now() != 2500*time.Millisecond {
		t.Errorf("RunFor(-1h) = %v at %v; want nil at 2.5s", err, env.Now())
	}
	log.Check(t,
		"1s cb fired",
		"2s cb fired",
		"2s main stopped",
		"2.5s main after RunFor, 1 pending",
	)
}

func TestStopReturnsAfterTheCurrentEvent(t *testing.T) {
	env, log := newEnv(t)
	env.CallLater(time.Second, func() { log.Add("cb", "stop"); env.Stop() })
	env.CallLater(time.Second, func() { log.Add("cb", "same time, next run") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Add("main", "returned")
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s cb stop", "1s main returned", "1s cb same time, next run")
	env.Stop() // outside Run: nothing
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

func TestHandleCancel(t *testing.T) {
	env, log := newEnv(t)
	h := env.CallLater(time.Second, func() { log.Add("cb", "must not run") })
	if !h.Pending() || !h.Cancel() || h.Cancel() || h.Pending() {
		t.Fatal("Cancel/Pending: want pending, true, then false, not pending")
	}
	ran := env.CallSoon(func() { log.Add("cb", "ran") })
	if !env.Step() || ran.Cancel() {
		t.Fatal("Cancel after the callback ran returned true")
	}
	if env.Step() {
		t.Fatal("Step found an event after the only live one ran")
	}
	if (sim.Handle{}).Cancel() {
		t.Error("zero Handle cancelled something")
	}
	log.Check(t, "0s cb ran")
}

func TestCloseUnwindsTasks(t *testing.T) {
	env := sim.New()
	log := testlog.New(env)
	sim.Go(env, "sleeper", func(p *sim.Proc) (int, error) {
		defer log.Add("sleeper", "deferred call ran")
		p.Sleep(time.Hour)
		log.Add("sleeper", "must not get here")
		return 0, nil
	})
	stubborn := sim.Go(env, "stubborn", func(p *sim.Proc) (int, error) {
		defer func() {
			recover() // swallows the unwinding; the task still ends
			log.Add("stubborn", "recovered")
		}()
		return 0, p.Sleep(time.Hour)
	})
	unstarted := sim.Go(env, "unstarted", func(p *sim.Proc) (int, error) { return 0, nil })
	if err := env.RunFor(time.Minute); err != nil {
		t.Fatal(err)
	}
	sim.Go(env, "late", func(p *sim.Proc) (int, error) { log.Add("late", "must not run"); return 0, nil })
	_ = unstarted
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1m0s sleeper deferred call ran", "1m0s stubborn recovered")
	if !stubborn.Cancelled() {
		t.Errorf("stubborn: %v; want cancelled", stubborn.Err())
	}
	if err := env.Run(); !errors.Is(err, sim.ErrClosed) {
		t.Errorf("Run after Close = %v; want ErrClosed", err)
	}
	if err := env.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	// goleak in TestMain checks that no task goroutine is left.
}

func TestCloseReportsUnreadFailures(t *testing.T) {
	env := sim.New()
	sim.Go(env, "fails", func(p *sim.Proc) (int, error) { return 0, errors.New("lost") })
	sim.Go(env, "ok", func(p *sim.Proc) (int, error) { return 1, nil })
	for range 2 {
		if !env.Step() {
			t.Fatal("want two steps")
		}
	}
	if err := env.Close(); !errors.Is(err, sim.ErrTaskFailed) || !strings.Contains(err.Error(), "lost") {
		t.Fatalf("Close = %v; want the unread failure", err)
	}
}

func TestRandStreamsAreIndependentAndReproducible(t *testing.T) {
	draw := func(seed uint64, names ...string) map[string][3]uint64 {
		env := sim.New(sim.WithSeed(seed))
		defer env.Close()
		out := map[string][3]uint64{}
		for _, n := range names {
			r := env.Rand(n)
			out[n] = [3]uint64{r.Uint64(), r.Uint64(), r.Uint64()}
		}
		return out
	}
	a := draw(1, "arrivals", "service")
	b := draw(1, "extra", "service", "arrivals") // another stream, another order
	if a["arrivals"] != b["arrivals"] || a["service"] != b["service"] {
		t.Error("adding a stream or drawing in another order changed a stream's numbers")
	}
	if a["arrivals"] == a["service"] {
		t.Error("two names gave the same numbers")
	}
	if c := draw(2, "arrivals"); c["arrivals"] == a["arrivals"] {
		t.Error("two seeds gave the same numbers")
	}
	env, _ := newEnv(t)
	if r1, r2 := env.Rand("x"), env.Rand("x"); r1 != r2 {
		t.Error("Rand returned two streams for one name")
	}
}

func TestClockViews(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	env, _ := newEnv(t, sim.WithStart(start), sim.WithSeed(9))
	sim.Go(env, "t", func(p *sim.Proc) (int, error) { return 0, p.Sleep(90 * time.Minute) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if got, want := env.Time(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("Time = %v; want %v", got, want)
	}
	if env.Seed() != 9 || !env.Start().Equal(start) || env.Steps() != 2 {
		t.Errorf("Seed=%d Start=%v Steps=%d", env.Seed(), env.Start(), env.Steps())
	}
	if d := sim.New(); !d.Time().Equal(sim.DefaultStart) || sim.DefaultStart.Format(time.RFC3339) != "2000-01-01T00:00:00Z" {
		t.Errorf("default start %v", d.Time())
	}
}

func TestWatchdogNamesTheBlockedTask(t *testing.T) {
	release := make(chan struct{})
	reports := make(chan *sim.StallError, 1)
	env, _ := newEnv(t, sim.WithWatchdog(100*time.Millisecond, func(err *sim.StallError) {
		reports <- err
		close(release)
	}))
	sim.Go(env, "blocker", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Minute); err != nil {
			return 0, err
		}
		blockOnRawChannel(release)
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	err := <-reports
	if !errors.Is(err, sim.ErrStalled) || err.Task != "blocker" || err.At != time.Minute {
		t.Fatalf("report %+v; want task blocker at 1m", err)
	}
	for _, want := range []string{`sim: task "blocker" made no progress for`, "at virtual time 1m0s", "[chan receive", "blockOnRawChannel"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report lacks %q:\n%s", want, err)
		}
	}
}

func blockOnRawChannel(c chan struct{}) { <-c }

func TestWatchdogInACallback(t *testing.T) {
	release := make(chan struct{})
	reports := make(chan *sim.StallError, 1)
	env, _ := newEnv(t, sim.WithWatchdog(100*time.Millisecond, func(err *sim.StallError) {
		reports <- err
		close(release)
	}))
	env.CallLater(time.Second, func() { blockOnRawChannel(release) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	// The report gives the virtual time the callback was due (not the time
	// of some earlier event, nor 0) and names its function.
	err := <-reports
	if err.Task != "" || err.At != time.Second || err.Callback != "github.com/vtsim/vtsim/sim_test.TestWatchdogInACallback.func2" ||
		!strings.Contains(err.Error(), "sim: callback github.com/vtsim/vtsim/sim_test.TestWatchdogInACallback.func2 made no progress for") ||
		!strings.Contains(err.Error(), "at virtual time 1s") || !strings.Contains(err.Error(), "sim.WithSeed(0) reproduces it") {
		t.Fatalf("report %v; want the callback due at 1s", err)
	}
}

// TestWatchdogNoFalseStall: a run whose events each take real work, longer
// than the period over 64 events but far shorter than the period each, is
// never reported: the watchdog reports a stall only when no event started
// for its whole period. (Before, progress was published every 64 events, so
// this run was reported as stalled after the first period.)
func TestWatchdogNoFalseStall(t *testing.T) {
	var stalls []*sim.StallError
	// 80 events of 10 ms each: 640 ms of work before the 64th event, which
	// the old scheme needed to publish progress, against a period of 500 ms;
	// each event is 50 times shorter than the period, so a busy machine
	// (or the race detector) has a wide margin.
	env, _ := newEnv(t, sim.WithWatchdog(500*time.Millisecond, func(err *sim.StallError) { stalls = append(stalls, err) }))
	for i := range 80 {
		env.CallAt(time.Duration(i)*time.Second, func() {
			for start := time.Now(); time.Since(start) < 10*time.Millisecond; {
				// real work: the loop is busy, not blocked
			}
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if len(stalls) > 0 {
		t.Errorf("a busy run was reported as stalled: %v", stalls[0])
	}
}

func TestQueueKindsAndTieBreaksAreSelectable(t *testing.T) {
	for _, q := range []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue} {
		for _, tb := range []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO} {
			env, log := newEnv(t, sim.WithQueue(q), sim.WithTieBreak(tb))
			for i := range 3 {
				env.CallLater(time.Second, func() { log.Add("cb", "%d", i) })
			}
			if err := env.Run(); err != nil {
				t.Fatal(err)
			}
			want := []string{"1s cb 0", "1s cb 1", "1s cb 2"}
			if tb == scheduler.LIFO {
				want = []string{"1s cb 2", "1s cb 1", "1s cb 0"}
			}
			log.Check(t, want...)
		}
	}
}

// TestWatchdogTaskCreatedDuringTheRun: the report names a task created
// after the run (and the watchdog) started, without a data race (run
// under -race in CI).
func TestWatchdogTaskCreatedDuringTheRun(t *testing.T) {
	release := make(chan struct{})
	reports := make(chan *sim.StallError, 1)
	env, _ := newEnv(t, sim.WithWatchdog(100*time.Millisecond, func(err *sim.StallError) {
		reports <- err
		close(release)
	}))
	env.CallLater(time.Second, func() {
		sim.Go(env, "late", func(p *sim.Proc) (int, error) {
			blockOnRawChannel(release)
			return 0, nil
		})
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if err := <-reports; err.Task != "late" || err.At != time.Second {
		t.Fatalf("report %+v; want task late at 1s", err)
	}
}
