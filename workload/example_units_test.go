package workload_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// ExampleDraw draws service times in minutes from a gamma distribution on
// a named stream of the Env, as durations a task can sleep, and converts
// the clock back to minutes.
func ExampleDraw() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	service := workload.Must(workload.Gamma(2, 1.5)) // mean 3 minutes
	r := env.Rand("service")
	sim.Go(env, "server", func(p *sim.Proc) (struct{}, error) {
		for range 3 {
			if err := p.Sleep(workload.Draw(service, r, time.Minute)); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%s: mean %g min; 3 services took %.3f min\n", service, service.Mean(), workload.InUnits(env.Now(), time.Minute))
	fmt.Println(workload.MustDuration(1.5, time.Minute), workload.MustDuration(1e-12, time.Second))
	// Output:
	// Gamma(shape=2, scale=1.5): mean 3 min; 3 services took 10.659 min
	// 1m30s 1ns
}
