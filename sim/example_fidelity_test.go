package sim_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
)

// A task handles a cancellation and goes on: it withdraws the request
// with Proc.Uncancel (asyncio's current_task().uncancel()), so that code
// that checks Cancelling, such as an enclosing timeout scope, no longer
// sees it.
func ExampleProc_Uncancel() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "worker", func(p *sim.Proc) (string, error) {
		err := p.Sleep(time.Hour)
		fmt.Println(p.Now(), err, "cancelling:", p.Cancelling())
		p.Uncancel()
		fmt.Println("after Uncancel:", p.Cancelling())
		if err := p.Sleep(time.Second); err != nil {
			return "", err
		}
		return "recovered", nil
	})
	env.CallLater(time.Minute, func() { t.Cancel("stop") })
	fmt.Println(sim.RunUntilComplete(env, t))
	// Output:
	// 1m0s cancelled: stop cancelling: 1
	// after Uncancel: 0
	// recovered <nil>
}

// A Shield whose outer future was cancelled leaves the inner's failure to
// be reported: Run returns it, as it returns a task failure nobody read.
func ExampleEnv_Run_unreadFailure() {
	env := sim.New()
	defer env.Close()
	inner, res := future.New[int](env.Loop())
	outer := future.Shield[int](env.Loop(), inner)
	env.CallLater(time.Second, func() { outer.Cancel("") })
	env.CallLater(2*time.Second, func() { res.SetError(errors.New("disk full")) })
	err := env.Run()
	fmt.Println(errors.Is(err, sim.ErrTaskFailed))
	fmt.Println(err)
	// Output:
	// true
	// sim: a future failed at 2s and nobody read its result: disk full
}

// A task cancels itself (asyncio's current_task().cancel()): its next
// wait returns the cancellation. Here that wait is a WaitFor with no
// deadline (future.NoTimeout, asyncio's timeout=None), which passes the
// cancellation on to the task it waits for.
func ExampleProc_Cancel() {
	env := sim.New()
	defer env.Close()
	t := sim.Go(env, "self", func(p *sim.Proc) (int, error) {
		p.Cancel("giving up") // delivered by the next wait
		_, err := sim.Await(p, future.WaitFor[int](env.Loop(), sim.Go(env, "slow", func(p *sim.Proc) (int, error) {
			return 1, p.Sleep(time.Hour)
		}), future.NoTimeout))
		return 0, err
	})
	_, err := sim.RunUntilComplete(env, t)
	fmt.Println(err, t.Cancelled(), env.Now())
	// Output: cancelled: giving up true 0s
}
