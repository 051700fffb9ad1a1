package resource_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// TestReleaseMisuseMessages: each wrong Release says what is wrong; inside
// a task it does not claim to be outside one.
func TestReleaseMisuseMessages(t *testing.T) {
	env, _ := newEnv(t)
	fresh := resource.NewResource(1)
	used := resource.NewResource(1)
	var msgs []string
	try := func(f func()) {
		defer func() { msgs = append(msgs, toString(recover())) }()
		f()
	}
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		if err := used.Request(p); err != nil {
			return 0, err
		}
		return 0, p.Sleep(time.Hour)
	})
	sim.Go(env, "other", func(p *sim.Proc) (int, error) {
		try(fresh.Release)
		try(used.Release)
		return 0, nil
	})
	if err := env.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	try(used.Release)
	want := []string{
		"resource: Resource.Release of a Resource that no task has requested: no unit is in use",
		`resource: Resource.Release by task "other", which holds no unit of the Resource (a unit granted to a Request is released with Request.Release)`,
		"resource: Resource.Release called outside a task (from the driver or a callback); a unit is released by the task that holds it",
	}
	for i := range want {
		if i >= len(msgs) || msgs[i] != want[i] {
			t.Fatalf("panics %q; want %q", msgs, want)
		}
	}
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// TestResourceOfTwoEnvs: a Resource requested from a task of a second Env
// panics, naming the call; before, it rebound silently and a later Release
// looked for the caller in the wrong Env.
func TestResourceOfTwoEnvs(t *testing.T) {
	r := resource.NewResource(1)
	a, _ := newEnv(t)
	sim.Go(a, "a", func(p *sim.Proc) (int, error) { return 0, r.Request(p) })
	if err := a.Run(); !errors.Is(err, resource.ErrHeldAtEnd) { // a ends holding the unit
		t.Fatal(err)
	}
	b, _ := newEnv(t)
	task := sim.Go(b, "b", func(p *sim.Proc) (int, error) { return 0, r.Request(p) })
	_ = b.Run()
	var pe *sim.PanicError
	if err := task.Err(); !errors.As(err, &pe) || pe.Value != `sim: Resource.Request on a Resource #1 by a task of another Env; a primitive belongs to the Env that first used it until that Env is closed` {
		t.Errorf("task b ended with %v", err)
	}
}

// TestDeadlockReportNamesHolders: the deadlock report names each object
// waited on with a stable number, and who holds a Resource or a Lock.
func TestDeadlockReportNamesHolders(t *testing.T) {
	env, _ := newEnv(t)
	r := resource.NewResource(1)
	l := sim.NewLock()
	sim.Go(env, "ann", func(p *sim.Proc) (int, error) {
		if err := r.Request(p); err != nil {
			return 0, err
		}
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		return 0, l.Acquire(p)
	})
	sim.Go(env, "bob", func(p *sim.Proc) (int, error) {
		if err := l.Acquire(p); err != nil {
			return 0, err
		}
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		return 0, r.Request(p)
	})
	err := env.Run()
	var d *sim.DeadlockError
	if !errors.As(err, &d) {
		t.Fatalf("Run = %v; want a *DeadlockError", err)
	}
	if _, ok := err.(*sim.DeadlockError); !ok {
		t.Errorf("Run returned %T; want the *DeadlockError itself when nothing else failed", err)
	}
	want := "sim: deadlock at 1s: no event is scheduled and 2 task(s) wait:\n" +
		"\ttask \"ann\" waits on a Lock #2 (held by task \"bob\") since 1s\n" +
		"\ttask \"bob\" waits on a Resource #1 (held by task \"ann\") since 1s"
	if err.Error() != want {
		t.Errorf("Run = %v\nwant %s", err, want)
	}
}

// TestForeignGoroutineRequestChangesNothing: a Request from a goroutine the
// task started is refused before the Resource changes (no queue entry, no
// statistics), and the panic names Resource.Request (review, 2026-12-04).
func TestForeignGoroutineRequestChangesNothing(t *testing.T) {
	env, _ := newEnv(t)
	r := resource.NewResource(1)
	st := r.EnableStats(env)
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		if err := r.Request(p); err != nil {
			return 0, err
		}
		defer r.Release()
		return 0, p.Sleep(time.Hour)
	})
	var msg any
	sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { msg = recover() }()
			_ = r.Request(p)
		}()
		<-done // a plain receive on purpose: the task is the running one
		return 0, nil
	})
	if err := env.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	want := `sim: Resource.Request of task "b" called from a goroutine the task started; waits must be called from the task's own goroutine`
	if msg != want {
		t.Errorf("panic %v; want %q", msg, want)
	}
	if r.QueueLen() != 0 || len(r.Queue()) != 0 || st.QueueLength.Level() != 0 {
		t.Errorf("after the refused call: QueueLen %d, queue %v, recorded queue length %v; want all 0", r.QueueLen(), r.Queue(), st.QueueLength.Level())
	}
}
