package sim_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// latch is a primitive written outside package sim on its exported parking
// kit alone: tasks wait until the count reaches zero (Java's
// CountDownLatch, Go's sync.WaitGroup.Wait).
type latch struct {
	count int
	q     sim.WaitQueue
}

func newLatch(n int) *latch {
	l := &latch{count: n}
	l.q.Init("a latch")
	return l
}

func (l *latch) Wait(p *sim.Proc) error {
	p.CheckRunning("latch.Wait")
	if l.count == 0 {
		return nil
	}
	_, err := l.q.Wait(p)
	return err
}

func (l *latch) CountDown() {
	if l.count > 0 {
		l.count--
		if l.count == 0 {
			l.q.WakeAll()
		}
	}
}

func TestParkingKitLatch(t *testing.T) {
	env, log := newEnv(t)
	l := newLatch(2)
	for _, name := range []string{"a", "b", "c"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := l.Wait(p)
			log.Add(name, "released: %v", err)
			return 0, err
		})
	}
	cancelled := sim.Go(env, "d", func(p *sim.Proc) (int, error) {
		err := l.Wait(p)
		log.Add("d", "left: %v", errors.Is(err, sim.ErrCancelled))
		return 0, err
	})
	sim.Go(env, "counter", func(p *sim.Proc) (int, error) {
		for range 2 {
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			log.Add("counter", "count down; %d waiting", l.q.Len())
			if l.q.Len() == 4 {
				cancelled.Cancel("no patience")
				if err := p.Yield(); err != nil {
					return 0, err
				}
			}
			l.CountDown()
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s counter count down; 4 waiting",
		"1s d left: true",
		"2s counter count down; 3 waiting",
		"2s a released: <nil>",
		"2s b released: <nil>",
		"2s c released: <nil>",
	)
}

func TestParkingKitDeadlockNamesWhatIsWaitedOn(t *testing.T) {
	env, _ := newEnv(t)
	l := newLatch(1)
	sim.Go(env, "waiter", func(p *sim.Proc) (int, error) { return 0, l.Wait(p) })
	err := env.Run()
	var d *sim.DeadlockError
	if !errors.As(err, &d) || len(d.Waiting) != 1 || d.Waiting[0].On != "a latch #1" || d.Waiting[0].Task != "waiter" {
		t.Fatalf("Run = %v, want a deadlock naming task waiter on a latch", err)
	}
}

func TestParkingKitWakeOrderAndData(t *testing.T) {
	// Wake(p) picks a waiter out of order; WakeOne takes the front; each
	// waiter's data is readable while it waits; Wake of a task that is not
	// waiting reports false.
	env, log := newEnv(t)
	var q sim.WaitQueue
	procs := map[string]*sim.Proc{}
	for _, name := range []string{"x", "y", "z"} {
		task := sim.Go(env, name, func(p *sim.Proc) (int, error) {
			woken, err := q.WaitWith(p, name+"'s data")
			log.Add(name, "woken %v err %v", woken, err)
			return 0, err
		})
		procs[name] = task.Proc()
	}
	env.CallLater(time.Second, func() {
		var order []any
		for p := q.Front(); p != nil; p = q.Next(p) {
			order = append(order, p.WaitData())
		}
		log.Add("driver", "waiting %v on %s", order, q.What())
		log.Add("driver", "wake y: %v", q.Wake(procs["y"]))
		log.Add("driver", "wake y again: %v", q.Wake(procs["y"]))
		log.Add("driver", "wake one: %s", q.WakeOne().Name())
		log.Add("driver", "wake all: %d", q.WakeAll())
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s driver waiting [x's data y's data z's data] on a WaitQueue",
		"1s driver wake y: true",
		"1s driver wake y again: false",
		"1s driver wake one: x",
		"1s driver wake all: 1",
		"1s y woken true err <nil>",
		"1s x woken true err <nil>",
		"1s z woken true err <nil>",
	)
}

func TestParkingKitMisuse(t *testing.T) {
	env, _ := newEnv(t)
	var q sim.WaitQueue
	task := sim.Go(env, "t", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Second) })
	mustPanic(t, `sim: Proc.WaitQueue.Wait of task "t" called outside the task`, func() { q.Wait(task.Proc()) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// A one-shot gate written on the parking kit: tasks wait until it opens.
func ExampleWaitQueue() {
	env := sim.New()
	defer env.Close()
	var gate sim.WaitQueue
	gate.Init("the gate")
	open := false
	for _, name := range []string{"ann", "bob"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if !open {
				if _, err := gate.Wait(p); err != nil {
					return 0, err
				}
			}
			fmt.Println(p.Now(), name, "passes")
			return 0, nil
		})
	}
	env.CallLater(time.Minute, func() {
		open = true
		fmt.Println(env.Now(), "open:", gate.WakeAll(), "waiting on", gate.What())
	})
	fmt.Println(env.Run())
	// Output:
	// 1m0s open: 2 waiting on the gate
	// 1m0s ann passes
	// 1m0s bob passes
	// <nil>
}
