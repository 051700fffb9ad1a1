package resource_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// A fuel tank of 100 litres: a car waits until the tanker has brought
// enough fuel.
func ExampleNewContainer() {
	env := sim.New()
	defer env.Close()
	tank := resource.NewContainer(100, 10)
	sim.Go(env, "car", func(p *sim.Proc) (int, error) {
		if err := tank.Get(p, 40); err != nil {
			return 0, err
		}
		fmt.Println(p.Now(), "car filled up, tank at", tank.Level())
		return 0, nil
	})
	sim.Go(env, "tanker", func(p *sim.Proc) (int, error) {
		p.Sleep(5 * time.Minute)
		fmt.Println(p.Now(), "tanker delivers 50")
		return 0, tank.Put(p, 50)
	})
	fmt.Println(env.Run())
	// Output:
	// 5m0s tanker delivers 50
	// 5m0s car filled up, tank at 20
	// <nil>
}

// A machine produces parts into a store of two places; a packer takes them
// out, first in, first out.
func ExampleNewStore() {
	env := sim.New()
	defer env.Close()
	parts := resource.NewStore[string](2)
	sim.Go(env, "machine", func(p *sim.Proc) (int, error) {
		for _, part := range []string{"p1", "p2", "p3"} {
			if err := parts.Put(p, part); err != nil {
				return 0, err
			}
			fmt.Println(p.Now(), "made", part)
		}
		return 0, nil
	})
	sim.Go(env, "packer", func(p *sim.Proc) (int, error) {
		for range 3 {
			p.Sleep(time.Second)
			part, err := parts.Get(p)
			if err != nil {
				return 0, err
			}
			fmt.Println(p.Now(), "packed", part)
		}
		return 0, nil
	})
	fmt.Println(env.Run())
	// Output:
	// 0s made p1
	// 0s made p2
	// 1s packed p1
	// 1s made p3
	// 2s packed p2
	// 3s packed p3
	// <nil>
}

// Two customers wait for different colours; each gets its own as soon as it
// is delivered, whatever the order they came in.
func ExampleStore_GetMatch() {
	env := sim.New()
	defer env.Close()
	shop := resource.NewStore[string](0)
	for _, colour := range []string{"red", "blue"} {
		sim.Go(env, "wants "+colour, func(p *sim.Proc) (int, error) {
			car, err := shop.GetMatch(p, func(c string) bool { return c == colour })
			fmt.Println(p.Now(), p.Name(), "got", car)
			return 0, err
		})
	}
	sim.Go(env, "factory", func(p *sim.Proc) (int, error) {
		for _, car := range []string{"blue", "green", "red"} {
			p.Sleep(time.Hour)
			shop.Put(p, car)
		}
		return 0, nil
	})
	fmt.Println(env.Run())
	fmt.Println("left:", shop.Items())
	// Output:
	// 1h0m0s wants blue got blue
	// 3h0m0s wants red got red
	// <nil>
	// left: [green]
}
