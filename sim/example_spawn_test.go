package sim_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// Spawn starts a task nobody awaits, such as one per customer; a failure
// nobody can read is reported by Run. The customers are named alike, so
// that a later one reuses the Proc of one that ended (with a new ID).
func ExampleSpawn() {
	env := sim.New()
	defer env.Close()
	served := 0
	customer := func(p *sim.Proc) error {
		if err := p.Sleep(time.Second); err != nil {
			return err
		}
		served++
		fmt.Println(p.Now(), p.Name(), "served, task", p.ID())
		return nil
	}
	sim.Go(env, "arrivals", func(p *sim.Proc) (struct{}, error) {
		for range 3 {
			sim.Spawn(env, "customer", customer)
			if err := p.Sleep(2 * time.Second); err != nil {
				return struct{}{}, err
			}
		}
		sim.Spawn(env, "grumpy", func(p *sim.Proc) error { return errors.New("left without paying") })
		return struct{}{}, nil
	})
	err := env.Run()
	fmt.Println(served, "served")
	fmt.Println(err)
	// Output:
	// 1s customer served, task 2
	// 3s customer served, task 3
	// 5s customer served, task 4
	// 3 served
	// sim: task "grumpy" failed at 6s and nobody read its result: left without paying
}
