package resource_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// A barber's shop with one chair and two seats to wait on (M/M/1/3): of
// five customers who arrive together, the fourth and the fifth find no
// seat and leave. Users and Queue show who is served and who waits.
func ExampleResource_SetQueueLimit() {
	env := sim.New()
	defer env.Close()
	barber := resource.NewResource(1).SetQueueLimit(2)
	stats := barber.EnableStats(env)
	for _, name := range []string{"ann", "bob", "cat", "dan", "eve"} {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			if err := barber.Request(p); errors.Is(err, resource.ErrRefused) {
				fmt.Printf("%v %s leaves: %v\n", p.Now(), name, err)
				return struct{}{}, nil
			} else if err != nil {
				return struct{}{}, err
			}
			defer barber.Release()
			return struct{}{}, p.Sleep(10 * time.Minute)
		})
	}
	env.CallLater(time.Minute, func() {
		fmt.Println("in the chair:", names(barber.Users()), "waiting:", names(barber.Queue()))
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("served:", stats.Served, "refused:", stats.Refused)
	// Output:
	// 0s dan leaves: resource: refused: the waiting room is full
	// 0s eve leaves: resource: refused: the waiting room is full
	// in the chair: [ann] waiting: [bob cat]
	// served: 3 refused: 2
}

// A helper task requests a unit for the task it works for and hands it
// over with Transfer before it ends; without the Transfer, Run would
// report a *HeldAtEndError and release the unit at the helper's end.
func ExampleResource_Transfer() {
	env := sim.New()
	defer env.Close()
	desk := resource.NewResource(1).SetName("desk")
	sim.Go(env, "ann", func(p *sim.Proc) (struct{}, error) {
		ann := p
		helper := sim.Go(env, "helper", func(p *sim.Proc) (struct{}, error) {
			if err := desk.Request(p); err != nil {
				return struct{}{}, err
			}
			desk.Transfer(p, ann)
			return struct{}{}, nil
		})
		if _, err := sim.Await(p, helper); err != nil {
			return struct{}{}, err
		}
		fmt.Println("the desk's users:", names(desk.Users()))
		desk.Release()
		return struct{}{}, nil
	})
	fmt.Println("Run:", env.Run())
	// Output:
	// the desk's users: [ann]
	// Run: <nil>
}
