package sim_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// SimPy's interrupt example: a car charging is interrupted by its driver;
// it handles the interrupt and drives on.
func TestInterruptDuringSleep(t *testing.T) {
	env, log := newEnv(t)
	car := sim.Go(env, "car", func(p *sim.Proc) (int, error) {
		log.Add("car", "charging")
		if err := p.Sleep(5 * time.Second); err != nil {
			var ie *sim.InterruptError
			if !errors.As(err, &ie) || !errors.Is(err, sim.ErrInterrupted) || errors.Is(err, sim.ErrCancelled) {
				t.Errorf("charge ended with %v; want an interrupt", err)
			}
			log.Add("car", "interrupted by %v; was the battery full? no", ie.Cause)
		}
		if err := p.Sleep(2 * time.Second); err != nil {
			return 0, err
		}
		log.Add("car", "arrived")
		return 1, nil
	})
	env.CallLater(3*time.Second, func() {
		if err := car.Interrupt("driver in a hurry"); err != nil {
			t.Error(err)
		}
	})
	if v, err := sim.RunUntilComplete(env, car); v != 1 || err != nil {
		t.Fatalf("car: %v, %v", v, err)
	}
	log.Check(t,
		"0s car charging",
		"3s car interrupted by driver in a hurry; was the battery full? no",
		"5s car arrived",
	)
	if err := car.Interrupt("late"); !errors.Is(err, sim.ErrNotInterruptible) || err.Error() != `sim: task cannot be interrupted: task "car" has ended` {
		t.Errorf("Interrupt of an ended task = %v", err)
	}
}

func TestInterruptLeavesTheAwaitedFutureAlone(t *testing.T) {
	env, log := newEnv(t)
	work := sim.Go(env, "work", func(p *sim.Proc) (int, error) { return 42, p.Sleep(10 * time.Second) })
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		_, err := sim.Await(p, work)
		log.Add("waiter", "%v", err)
		v, err := sim.Await(p, work) // it may wait again
		log.Add("waiter", "got %d %v", v, err)
		return v, err
	})
	env.CallLater(time.Second, func() { waiter.Interrupt("poke") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s waiter sim: interrupted at 1s: poke", "10s waiter got 42 <nil>")
	if work.Cancelled() {
		t.Error("the awaited task was cancelled")
	}
}

func TestInterruptedWaiterLeavesThePrimitiveAsItWas(t *testing.T) {
	env, log := newEnv(t)
	s := sim.NewSemaphore(0)
	w := sim.Go(env, "w", func(p *sim.Proc) (int, error) {
		err := s.Acquire(p)
		log.Add("w", "%v; value %d", err, s.Value())
		return 0, nil
	})
	env.CallLater(time.Second, func() {
		s.Release()       // hands the unit to w, whose resumption is now scheduled
		w.Interrupt("no") // and the interrupt replaces that outcome: the unit goes back
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s w sim: interrupted at 1s: no; value 1")
}

func TestInterruptsQueueAndBeforeStart(t *testing.T) {
	env, log := newEnv(t)
	var self *sim.Task[int]
	self = sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		if err := self.Interrupt("me"); !errors.Is(err, sim.ErrNotInterruptible) {
			t.Errorf("self-interrupt = %v", err)
		}
		for i := range 3 {
			err := p.Sleep(time.Second)
			log.Add("t", "wait %d: %v", i, err)
		}
		return 0, nil
	})
	self.Interrupt("one") // before the first step: delivered by the first wait
	self.Interrupt("two")
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s t wait 0: sim: interrupted at 0s: one",
		"0s t wait 1: sim: interrupted at 0s: two",
		"1s t wait 2: <nil>",
	)
}

func TestCancellationComesBeforeAnInterrupt(t *testing.T) {
	env, log := newEnv(t)
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		f, _ := future.New[int](env.Loop())
		_, err := sim.Await(p, f)
		log.Add("t", "first: %v", err)
		err = p.Sleep(time.Second)
		log.Add("t", "second: %v", err)
		return 0, err
	})
	env.CallLater(time.Second, func() { task.Interrupt("i"); task.Cancel("c") })
	env.Run()
	log.Check(t, "1s t first: cancelled: c", "1s t second: sim: interrupted at 1s: i")
}
