package resource_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// Three customers share one clerk; they are served first come, first
// served.
func ExampleResource() {
	env := sim.New()
	defer env.Close()
	clerk := resource.NewResource(1)
	for _, name := range []string{"ann", "bob", "cat"} {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			if err := clerk.Request(p); err != nil {
				return struct{}{}, err
			}
			defer clerk.Release()
			fmt.Println(p.Now(), name, "is served; waiting:", clerk.QueueLen())
			return struct{}{}, p.Sleep(2 * time.Second)
		})
	}
	fmt.Println(env.Run())
	// Output:
	// 0s ann is served; waiting: 0
	// 2s bob is served; waiting: 1
	// 4s cat is served; waiting: 0
	// <nil>
}

// An urgent job preempts a routine one on a preemptive machine; the routine
// job learns who took the machine and since when it had it.
func ExampleNewPreemptiveResource() {
	env := sim.New()
	defer env.Close()
	machine := resource.NewPreemptiveResource(1)
	job := func(name string, at time.Duration, prio int) {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			if err := p.Sleep(at); err != nil {
				return struct{}{}, err
			}
			if err := machine.RequestPriority(p, prio); err != nil {
				return struct{}{}, err
			}
			fmt.Println(p.Now(), name, "starts")
			var pe *resource.Preempted
			if err := p.Sleep(5 * time.Second); errors.As(err, &pe) {
				// The unit is lost: no Release.
				fmt.Println(p.Now(), name, "preempted by", pe.By.Name(), "after using it since", pe.UsageSince)
				return struct{}{}, nil
			}
			machine.Release()
			fmt.Println(p.Now(), name, "ends")
			return struct{}{}, nil
		})
	}
	job("routine", 0, 2)
	job("urgent", time.Second, 1)
	fmt.Println(env.Run())
	// Output:
	// 0s routine starts
	// 1s urgent starts
	// 1s routine preempted by urgent after using it since 0s
	// 6s urgent ends
	// <nil>
}
