package resource_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// TestHelperRequestEndsHoldingUnit: a unit requested in a helper task that
// then ends is not held for ever: it goes to the next request at the
// helper's end, and Run reports the leak, naming the task and the resource.
func TestHelperRequestEndsHoldingUnit(t *testing.T) {
	env, log := newEnv(t)
	desk := resource.NewResource(1).SetName("desk")
	sim.Go(env, "ann", func(p *sim.Proc) (int, error) {
		helper := sim.Go(env, "helper", func(p *sim.Proc) (int, error) {
			return 0, desk.Request(p) // for ann; but the unit is the helper's
		})
		if _, err := sim.Await(p, helper); err != nil {
			return 0, err
		}
		log.Add("ann", "helper done, users %d", len(desk.Users()))
		return 0, nil
	})
	sim.Go(env, "bob", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Millisecond); err != nil {
			return 0, err
		}
		if err := desk.Request(p); err != nil {
			return 0, err
		}
		log.Add("bob", "got the desk")
		defer desk.Release()
		return 0, p.Sleep(time.Second)
	})
	err := env.Run()
	const want = `resource: task "helper" ended at 0s holding 1 unit(s) of Resource "desk" of capacity 1; they were released (call Release before the task ends, or hand the unit to another task with Resource.Transfer)`
	if err == nil || err.Error() != want {
		t.Fatalf("Run = %v;\nwant %s", err, want)
	}
	var he *resource.HeldAtEndError
	if !errors.As(err, &he) || he.Task != "helper" || he.Units != 1 || he.Resource != desk || !errors.Is(err, resource.ErrHeldAtEnd) {
		t.Errorf("Run's error %#v", he)
	}
	log.Check(t,
		`0s ann helper done, users 0`, // released at the helper's end
		`1ms bob got the desk`,
	)
	if desk.Count() != 0 {
		t.Errorf("Count = %d at the end", desk.Count())
	}
}

// TestTransfer: the helper hands its unit to the task it works for, which
// releases it; nothing is reported.
func TestTransfer(t *testing.T) {
	env, log := newEnv(t)
	desk := resource.NewResource(1)
	sim.Go(env, "ann", func(p *sim.Proc) (int, error) {
		parent := p
		helper := sim.Go(env, "helper", func(p *sim.Proc) (int, error) {
			if err := desk.Request(p); err != nil {
				return 0, err
			}
			desk.Transfer(p, parent)
			return 0, nil
		})
		if _, err := sim.Await(p, helper); err != nil {
			return 0, err
		}
		log.Add("ann", "holds %d as %s", desk.Count(), desk.Users()[0].Name())
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		desk.Release()
		mustPanic(t, `resource: Resource.Transfer from task "ann", which holds no unit of a Resource of capacity 1`, func() {
			desk.Transfer(p, p)
		})
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, `0s ann holds 1 as ann`)
}

// TestCancelledHolderReleased: a holder cancelled without releasing (no
// defer) is reported, and its unit goes to the next request; a holder that
// was preempted and ends without Release is not reported (it holds
// nothing), and tasks that Close unwinds are not reported either.
func TestCancelledHolderReleased(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	hold := func(name string, prio int, d time.Duration) *sim.Task[int] {
		return sim.Go(env, name, func(p *sim.Proc) (int, error) {
			req := r.RequestPriority
			if name == "mid" {
				req = r.RequestPriorityNoPreempt // waits for low instead of preempting it
			}
			if err := req(p, prio); err != nil {
				return 0, err
			}
			log.Add(name, "got it")
			err := p.Sleep(d)
			log.Add(name, "slept: %v", err)
			if err != nil {
				return 0, nil // no Release: cancelled, or preempted (nothing to release)
			}
			r.Release()
			return 0, nil
		})
	}
	low := hold("low", 5, time.Hour)
	env.CallLater(time.Second, func() { low.Cancel("stop") })
	sim.Go(env, "next", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Millisecond); err != nil {
			return 0, err
		}
		hold("mid", 3, time.Hour)
		if err := p.Sleep(2 * time.Second); err != nil {
			return 0, err
		}
		hold("high", 1, time.Hour) // preempts mid, which ends without Release
		return 0, nil
	})
	err := env.RunFor(4 * time.Second)
	const want = `resource: task "low" ended at 1s holding 1 unit(s) of a Resource of capacity 1; they were released (call Release before the task ends, or hand the unit to another task with Resource.Transfer)`
	if err == nil || err.Error() != want {
		t.Errorf("RunFor = %v;\nwant %s", err, want)
	}
	log.Check(t,
		`0s low got it`,
		`1s low slept: cancelled: stop`,
		`1s mid got it`,
		`2.001s high got it`,
		`2.001s mid slept: sim: interrupted at 2.001s: preempted by task "high" (in use since 1s)`,
	)
	if us := r.Users(); len(us) != 1 || us[0].Name() != "high" {
		t.Errorf("Users = %v", us)
	}
}
