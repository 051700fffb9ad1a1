package resource_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// SimPy's reneging customer, `req | env.timeout(patience)`: AnyOf of the
// request in future form and a timeout. A customer who gives up leaves the
// queue (AnyOf cancels the losing request), so nobody waits behind them.
func ExampleResource_RequestFuture() {
	env := sim.New()
	defer env.Close()
	clerk := resource.NewResource(1)
	for i, patience := range []time.Duration{9, 2, 9} {
		name := fmt.Sprint("customer ", i)
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			req := clerk.RequestFuture(env)
			defer req.Release()
			c := sim.AnyOf(env, req, sim.After(env, patience*time.Minute, "gave up"))
			if _, err := sim.Await(p, c); err != nil {
				return 0, err
			}
			if !c.Has(req) {
				fmt.Println(p.Now(), name, "reneges")
				return 0, nil
			}
			fmt.Println(p.Now(), name, "is served")
			return 0, p.Sleep(5 * time.Minute)
		})
	}
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0s customer 0 is served
	// 2m0s customer 1 reneges
	// 5m0s customer 2 is served
}
