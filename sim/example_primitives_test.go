package sim_test

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/sim"
)

func ExampleEvent() {
	env := sim.New()
	defer env.Close()
	ready := sim.NewEvent()
	for _, name := range []string{"a", "b"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := ready.Wait(p)
			fmt.Println(name, "goes at", p.Now(), err)
			return 0, err
		})
	}
	env.CallLater(3*time.Second, ready.Set)
	env.Run()
	// Output:
	// a goes at 3s <nil>
	// b goes at 3s <nil>
}

func ExampleLock() {
	env := sim.New()
	defer env.Close()
	l := sim.NewLock()
	for _, name := range []string{"first", "second"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := l.Acquire(p); err != nil {
				return 0, err
			}
			defer l.Release()
			fmt.Println(name, "holds the lock at", p.Now())
			return 0, p.Sleep(time.Second)
		})
	}
	env.Run()
	// Output:
	// first holds the lock at 0s
	// second holds the lock at 1s
}

func ExampleSemaphore() {
	env := sim.New()
	defer env.Close()
	slots := sim.NewSemaphore(2) // two at a time
	for i := range 3 {
		sim.Go(env, fmt.Sprint("job", i), func(p *sim.Proc) (int, error) {
			if err := slots.Acquire(p); err != nil {
				return 0, err
			}
			defer slots.Release()
			fmt.Printf("job%d starts at %v\n", i, p.Now())
			return 0, p.Sleep(time.Minute)
		})
	}
	env.Run()
	// Output:
	// job0 starts at 0s
	// job1 starts at 0s
	// job2 starts at 1m0s
}
