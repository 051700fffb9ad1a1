package sim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/testlog"

	"github.com/vtsim/vtsim/sim"
)

// watcher reports every task it is told of, and fails for the ones named.
type watcher struct {
	log  *tlog
	name string
	fail map[string]bool
}

func (w *watcher) watch() *sim.EndWatch { return &sim.EndWatch{TaskEnded: w.ended} }

func (w *watcher) ended(p *sim.Proc) error {
	w.log.Add(p.Name(), "%s told", w.name)
	if w.fail[p.Name()] {
		return fmt.Errorf("%s: task %q ended holding something", w.name, p.Name())
	}
	return nil
}

// TestWatchEnd checks that watchers are told once each, in order, when a
// task returns, fails or is cancelled, and that their errors come out of
// Run as unread failures, once.
func TestWatchEnd(t *testing.T) {
	env, log := newEnv(t)
	a := &watcher{log: log, name: "a", fail: map[string]bool{"leaky": true}}
	b := &watcher{log: log, name: "b"}
	wa, wb := a.watch(), b.watch()
	sim.Go(env, "leaky", func(p *sim.Proc) (int, error) {
		p.WatchEnd(wa)
		p.WatchEnd(wb)
		p.WatchEnd(wa) // once however often
		p.WatchEnd(wb)
		return 0, p.Sleep(time.Second)
	})
	c := sim.Go(env, "cancelled", func(p *sim.Proc) (int, error) {
		p.WatchEnd(wb)
		return 0, p.Sleep(time.Hour)
	})
	env.CallLater(2*time.Second, func() { c.Cancel("enough") })
	err := env.Run()
	if err == nil || err.Error() != `a: task "leaky" ended holding something` {
		t.Fatalf("Run = %v", err)
	}
	log.Check(t,
		`1s leaky a told`,
		`1s leaky b told`,
		`2s cancelled b told`,
	)
	if err := env.Run(); err != nil {
		t.Errorf("second Run = %v; the report is given once", err)
	}
}

// TestWatchEndNotOnClose checks that tasks unwound by Close are not reported.
func TestWatchEndNotOnClose(t *testing.T) {
	env := sim.New()
	log := testlog.New(env)
	w := &watcher{log: log, name: "w", fail: map[string]bool{"server": true}}
	sim.Go(env, "server", func(p *sim.Proc) (int, error) {
		p.WatchEnd(w.watch())
		return 0, p.Sleep(time.Hour)
	})
	if err := env.RunFor(time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := env.Close(); err != nil {
		t.Errorf("Close = %v; want nil", err)
	}
	log.Check(t)
}

// TestWaitForever checks that WaitForever lasts until an interrupt or a
// cancellation, schedules nothing, and counts in a deadlock.
func TestWaitForever(t *testing.T) {
	env, log := newEnv(t)
	idle := sim.Go(env, "idle", func(p *sim.Proc) (int, error) {
		err := p.WaitForever()
		log.Add("idle", "woke: %v", err)
		err = p.WaitForever()
		log.Add("idle", "woke: %v", err)
		return 0, err
	})
	env.CallLater(3*time.Second, func() {
		if err := idle.Proc().Interrupt("work"); err != nil { // from a callback: allowed
			t.Error(err)
		}
	})
	env.CallLater(5*time.Second, func() { idle.Cancel("closing time") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`3s idle woke: sim: interrupted at 3s: work`,
		`5s idle woke: cancelled: closing time`,
	)
	if !idle.Cancelled() {
		t.Error("idle did not end cancelled")
	}

	sim.Go(env, "stuck", func(p *sim.Proc) (int, error) { return 0, p.WaitForever() })
	err := env.Run()
	var d *sim.DeadlockError
	if !errors.As(err, &d) || len(d.Waiting) != 1 || !strings.HasPrefix(d.Waiting[0].On, "nothing (WaitForever) #") || env.Now() != 5*time.Second {
		t.Errorf("Run = %v at %v; want a deadlock of stuck at 5s", err, env.Now())
	}
}

// TestInterruptCurrentTask documents SimPy's env.active_process.interrupt():
// a callback (there is no current task in it) may interrupt a task through
// its Proc, a peer task may too, but a task may not interrupt itself (SimPy
// raises RuntimeError for that too).
func TestInterruptCurrentTask(t *testing.T) {
	env, log := newEnv(t)
	var self error
	w := sim.Go(env, "w", func(p *sim.Proc) (int, error) {
		self = p.Interrupt("me")
		err := p.Sleep(time.Hour)
		log.Add("w", "%v", err)
		return 0, nil
	})
	env.CallLater(time.Second, func() {
		if env.Current() != nil {
			t.Error("a callback has a current task")
		}
		if err := w.Proc().Interrupt("from a callback"); err != nil {
			t.Error(err)
		}
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(self, sim.ErrNotInterruptible) {
		t.Errorf("self-interrupt = %v; want ErrNotInterruptible", self)
	}
	log.Check(t, `1s w sim: interrupted at 1s: from a callback`)
}
