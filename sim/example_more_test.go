package sim_test

import (
	"errors"
	"fmt"

	"github.com/vtsim/vtsim/sim"
)

func ExampleNewBoundedSemaphore() {
	s := sim.NewBoundedSemaphore(1)
	err := s.Release() // nothing was acquired: the count would exceed its bound
	fmt.Println(errors.Is(err, sim.ErrBoundExceeded), s.Value())
	// Output: true 1
}

func ExampleNewLifoQueue() {
	env := sim.New()
	defer env.Close()
	stack := sim.NewLifoQueue[string](0)
	for _, s := range []string{"first", "second", "third"} {
		stack.PutNowait(s)
	}
	for !stack.Empty() {
		v, _ := stack.GetNowait()
		fmt.Println(v)
	}
	// Output:
	// third
	// second
	// first
}
