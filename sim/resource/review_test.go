package resource_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// TestPreemptedAfterCancelReleasesNothing: a holder whose wait returns a
// cancellation in the same instant a higher-priority request preempts it
// cannot tell that it lost its unit; its usual Release must do nothing (as
// SimPy's release of a preempted request), not panic.
func TestPreemptedAfterCancelReleasesNothing(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	holder := sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		if err := r.RequestPriority(p, 5); err != nil {
			return 0, err
		}
		defer r.Release()
		err := p.Sleep(10 * time.Second)
		log.Add("holder", "woke: %v", err)
		return 0, nil
	})
	sim.Go(env, "vip", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		holder.Cancel("stop")
		if err := r.RequestPriority(p, 0); err != nil {
			return 0, err
		}
		log.Add("vip", "holds it; count %d", r.Count())
		r.Release()
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s vip holds it; count 1", "1s holder woke: cancelled: stop")
	if r.Count() != 0 {
		t.Errorf("Count = %d after both released; want 0", r.Count())
	}
}

// TestContainerToleranceNeverMakesOrDestroysMatter: the slack is relative,
// snapping waits until no request of its direction is set aside, and the
// level stays within [0, capacity].
func TestContainerToleranceNeverMakesOrDestroysMatter(t *testing.T) {
	t.Run("two gets served by one put", func(t *testing.T) {
		env, _ := newEnv(t)
		c := resource.NewContainer(2, 0)
		for _, amt := range []float64{1, 1.5e-9} {
			sim.Go(env, "get", func(p *sim.Proc) (int, error) { return 0, c.Get(p, amt) })
		}
		sim.Go(env, "put", func(p *sim.Proc) (int, error) {
			if err := p.Sleep(time.Second); err != nil {
				return 0, err
			}
			return 0, c.Put(p, 1+2e-9)
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
		if l := c.Level(); l < 0 || l > 1e-9 {
			t.Errorf("level %v; want a residue in [0, 1e-9]", l)
		}
	})
	t.Run("tiny amounts are amounts", func(t *testing.T) {
		env, _ := newEnv(t)
		c := resource.NewContainer(1e-9, 0)
		var ok int
		for range 3 {
			sim.Go(env, "put", func(p *sim.Proc) (int, error) {
				if err := c.Put(p, 1e-9); err != nil {
					return 0, err
				}
				ok++
				return 0, nil
			})
		}
		_ = env.RunFor(time.Second) // two puts wait for room forever
		if ok != 1 || c.Level() != 1e-9 {
			t.Errorf("%d puts done, level %v; want 1 put and the container full at 1e-9", ok, c.Level())
		}
		d := resource.NewContainer(1, 0)
		sim.Go(env, "small", func(p *sim.Proc) (int, error) { return 0, d.Put(p, 1e-10) })
		_ = env.RunFor(time.Second)
		if d.Level() != 1e-10 {
			t.Errorf("level after a put of 1e-10: %v; want 1e-10", d.Level())
		}
	})
}

// TestStoreMatchThatDisturbsTheQueueLosesNothing: a predicate that (against
// its contract) cancels another getter does not make the store hand an item
// to a task that left.
func TestStoreMatchThatDisturbsTheQueueLosesNothing(t *testing.T) {
	env, _ := newEnv(t)
	s := resource.NewStore[int](0)
	var g2 *sim.Task[int]
	sim.Go(env, "g1", func(p *sim.Proc) (int, error) {
		return s.GetMatch(p, func(int) bool { g2.Cancel("by g1's match"); return false })
	})
	g2 = sim.Go(env, "g2", func(p *sim.Proc) (int, error) { return s.Get(p) })
	sim.Go(env, "put", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		return 0, s.Put(p, 7)
	})
	_ = env.RunFor(2 * time.Second)
	if _, err := g2.Result(); !errors.Is(err, sim.ErrCancelled) {
		t.Fatalf("g2 = %v; want cancelled", err)
	}
	if s.Len() != 1 {
		t.Errorf("store holds %d items; want the 7 back in it", s.Len())
	}
}

// TestContainerStatsEnabledDuringAWait: statistics enabled while a request
// waits record the level that request's service changes.
func TestContainerStatsEnabledDuringAWait(t *testing.T) {
	env, _ := newEnv(t)
	c := resource.NewContainer(10, 5)
	sim.Go(env, "put", func(p *sim.Proc) (int, error) { return 0, c.Put(p, 5+1) }) // waits: 5+6 > 10
	var st *sim.Stats
	env.CallLater(time.Second, func() { st = c.EnableStats(env) })
	sim.Go(env, "get", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(2 * time.Second); err != nil {
			return 0, err
		}
		return 0, c.Get(p, 1)
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if c.Level() != 10 || st.InUse.Level() != 10 {
		t.Errorf("level %v, recorded %v; want 10 both", c.Level(), st.InUse.Level())
	}
}
