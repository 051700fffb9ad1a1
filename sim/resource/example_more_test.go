package resource_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

func ExampleNewPriorityStore() {
	env := sim.New()
	defer env.Close()
	type job struct {
		prio int
		name string
	}
	jobs := resource.NewPriorityStore[job](0, func(a, b job) bool { return a.prio < b.prio })
	sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second) // let the jobs pile up
		for range 3 {
			j, err := jobs.Get(p)
			if err != nil {
				return 0, err
			}
			fmt.Println(p.Now(), j.name)
		}
		return 0, nil
	})
	sim.Go(env, "submitter", func(p *sim.Proc) (int, error) {
		for _, j := range []job{{2, "backup"}, {0, "page the on-call"}, {1, "reindex"}} {
			if err := jobs.Put(p, j); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
	env.Run()
	// Output:
	// 1s page the on-call
	// 1s reindex
	// 1s backup
}

func ExampleNewPriorityResource() {
	env := sim.New()
	defer env.Close()
	desk := resource.NewPriorityResource(1)
	visit := func(name string, prio int, arrive time.Duration) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			p.Sleep(arrive)
			if err := desk.RequestPriority(p, prio); err != nil {
				return 0, err
			}
			defer desk.Release()
			fmt.Println(p.Now(), name, "served")
			return 0, p.Sleep(time.Minute)
		})
	}
	visit("first", 5, 0)
	visit("regular", 5, time.Second)
	visit("vip", 0, 2*time.Second) // arrives later, served before "regular"
	env.Run()
	// Output:
	// 0s first served
	// 1m0s vip served
	// 2m0s regular served
}
