package sim_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// TestMisuseNilProc: every task-only call with a nil *Proc panics with a
// message naming the call, not with a bare nil-pointer dereference.
func TestMisuseNilProc(t *testing.T) {
	env, _ := newEnv(t)
	f, _ := future.New[int](env.Loop())
	var nilProc *sim.Proc
	q := sim.NewQueue[int](0)
	cases := []struct {
		name string
		call func()
		want string
	}{
		{"Await", func() { sim.Await(nilProc, f) }, "sim: Await called with a nil *Proc; pass the Proc that the task's function receives"},
		{"Sleep", func() { nilProc.Sleep(time.Second) }, "sim: Sleep called with a nil *Proc"},
		{"Yield", func() { nilProc.Yield() }, "sim: Yield called with a nil *Proc"},
		{"Queue.Get", func() { q.Get(nilProc) }, "sim: Queue.Get called with a nil *Proc"},
		{"Timeout", func() { sim.Timeout(nilProc, time.Second, func(*sim.Scope) error { return nil }) }, "sim: Timeout called with a nil *Proc"},
		{"Group", func() { sim.Group(nilProc, func(*sim.TaskGroup) error { return nil }) }, "sim: Group called with a nil *Proc"},
		{"WaitQueue.Wait", func() { var wq sim.WaitQueue; wq.Wait(nilProc) }, "sim: WaitQueue.Wait called with a nil *Proc"},
		{"Context", func() { nilProc.Context() }, "sim: Context called with a nil *Proc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { mustPanic(t, c.want, c.call) })
	}
}

// TestMisusePrimitiveOfTwoEnvs: a primitive belongs to the Env of its first
// waiter; a task of another Env that waits on it is told so (before, the
// primitive silently rebound itself).
func TestMisusePrimitiveOfTwoEnvs(t *testing.T) {
	l := sim.NewLock()
	run := func(env *sim.Env, name string) *sim.Task[int] {
		return sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := l.Acquire(p); err != nil {
				return 0, err
			}
			return 0, nil // keeps the lock: the next one waits
		})
	}
	a, _ := newEnv(t)
	run(a, "first")
	run(a, "second")
	if err := a.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	b, _ := newEnv(t)
	other := run(b, "stranger")
	if err := b.Run(); err == nil {
		t.Fatal("Run of the other Env: no error")
	}
	var pe *sim.PanicError
	if err := other.Err(); !errors.As(err, &pe) || pe.Value != `sim: Lock.Acquire on a Lock #1 by a task of another Env; a primitive belongs to the Env that first used it until that Env is closed` {
		t.Errorf("the other Env's task ended with %v; want a panic naming the Lock and the two Envs", err)
	}
}
