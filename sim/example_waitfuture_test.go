package sim_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// asyncio's wait_for(queue.get(), t) with a get in future form, and SimPy's
// env.timeout(d, value) and a & b with After and AllOf.
func ExampleQueue_GetFuture() {
	env := sim.New()
	defer env.Close()
	q := sim.NewQueue[string](0)
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		for {
			v, err := sim.Await(p, future.WaitFor[string](env.Loop(), q.GetFuture(env), 2*time.Second))
			if err != nil {
				fmt.Println(p.Now(), err)
				return 0, nil
			}
			fmt.Println(p.Now(), "got", v)
		}
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		a, b := sim.After(env, time.Second, "tea"), sim.After(env, time.Second, "cake")
		leaves, err := sim.Await(p, sim.AllOf(env, a, b))
		if err != nil {
			return 0, err
		}
		for _, f := range leaves {
			v, _ := f.(*future.Future[string]).Result()
			q.PutNowait(v)
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1s got tea
	// 1s got cake
	// 3s timed out after 2s
}
