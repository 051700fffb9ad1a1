package sim_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// A consumer waits, with the lock released, until a producer has put two
// items; WaitFor re-checks the predicate after each notification.
func ExampleCondition() {
	env := sim.New()
	defer env.Close()
	c := sim.NewCondition(nil)
	items := 0
	consumer := sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		if err := c.Acquire(p); err != nil {
			return 0, err
		}
		defer c.Release()
		if err := c.WaitFor(p, func() bool { return items >= 2 }); err != nil {
			return 0, err
		}
		fmt.Println(p.Now(), "consumer takes", items)
		return items, nil
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for range 2 {
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			if err := c.Acquire(p); err != nil {
				return 0, err
			}
			items++
			fmt.Println(p.Now(), "producer puts item", items)
			c.NotifyAll()
			c.Release()
		}
		return 0, nil
	})
	fmt.Println(sim.RunUntilComplete(env, consumer))
	// Output:
	// 1s producer puts item 1
	// 2s producer puts item 2
	// 2s consumer takes 2
	// 2 <nil>
}

// Three tasks arrive at a barrier at 1s, 2s and 3s; all go on at 3s, each
// with its arrival index.
func ExampleBarrier() {
	env := sim.New()
	defer env.Close()
	b := sim.NewBarrier(3)
	for _, name := range []string{"a", "b", "c"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(time.Duration(name[0]-'a'+1) * time.Second); err != nil {
				return 0, err
			}
			i, err := b.Wait(p)
			fmt.Println(p.Now(), name, "passes with index", i, err)
			return i, err
		})
	}
	env.CallAt(2500*time.Millisecond, func() { fmt.Println(env.Now(), b.NWaiting(), "waiting") })
	fmt.Println(env.Run())
	// Output:
	// 2.5s 2 waiting
	// 3s c passes with index 2 <nil>
	// 3s a passes with index 0 <nil>
	// 3s b passes with index 1 <nil>
	// <nil>
}

// Abort breaks a barrier: its waiters, and tasks arriving later, get
// ErrBrokenBarrier until Reset.
func ExampleBarrier_Abort() {
	env := sim.New()
	defer env.Close()
	b := sim.NewBarrier(2)
	waiter := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) { return b.Wait(p) })
	env.CallLater(time.Minute, b.Abort)
	_, err := sim.RunUntilComplete(env, waiter)
	fmt.Println(env.Now(), err, b.Broken())
	b.Reset()
	fmt.Println(b.Broken(), b.NWaiting(), b.Parties())
	// Output:
	// 1m0s sim: Barrier is broken true
	// false 0 2
}
