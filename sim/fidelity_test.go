package sim_test

// Regressions for vtsim issue 12: where vtsim differed from asyncio 3.13.
// Each test names the CPython rule it covers (test file and case, or the
// documentation's sentence); times are virtual and logs exact.

import (
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// Rule (asyncio docs, Task.uncancel: "...asyncio.current_task().uncancel()";
// test_tasks.py test_uncancel_basic): the running task reaches its own
// cancel, cancelling and uncancel through its Proc. A task that cancels
// itself sees the cancellation at its next wait; one that withdraws it
// before then goes on.
func TestProcCancelCancellingUncancel(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		log.add("t", "Cancel(self) = %v, Cancelling %d", p.Cancel("self"), p.Cancelling())
		log.add("t", "Uncancel = %d", p.Uncancel())
		log.add("t", "sleep: %v", p.Sleep(time.Second))
		p.Cancel("again")
		err := p.Sleep(time.Second)
		log.add("t", "sleep: %v, Cancelling %d", err, p.Cancelling())
		return 0, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.check(t,
		"0s t Cancel(self) = true, Cancelling 1",
		"0s t Uncancel = 0",
		"1s t sleep: <nil>",
		"1s t sleep: cancelled: again, Cancelling 1",
	)
	if !task.Cancelled() {
		t.Error("the task did not end cancelled")
	}
	if task.Proc().Cancel("late") {
		t.Error("Proc.Cancel of an ended task = true")
	}
}

// Rule (test_tasks.py test_as_completed_duplicate_coroutines; asyncio
// builds a set of the awaitables): AsCompleted over duplicate inputs yields
// each distinct future once.
func TestAsCompletedDuplicates(t *testing.T) {
	env, log := newEnv(t)
	ham := sim.Go(env, "ham", sleeper(log, "ham", time.Second, "ham"))
	spam := sim.Go(env, "spam", sleeper(log, "spam", 2*time.Second, "spam"))
	reader := sim.Go(env, "reader", func(p *sim.Proc) (int, error) {
		n := 0
		for f, err := range sim.AsCompleted(p, ham, ham, spam, ham) {
			if err != nil {
				return n, err
			}
			v, _ := f.Result()
			log.add("reader", "got %s", v)
			n++
		}
		log.add("reader", "end")
		return n, nil
	})
	if n, err := sim.RunUntilComplete(env, reader); n != 2 || err != nil {
		t.Fatalf("AsCompleted yielded %d, %v; want 2", n, err)
	}
	log.check(t, "1s ham done", "1s reader got ham", "2s spam done", "2s reader got spam", "2s reader end")
}
