package resource_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// SimPy's reneging: `with res.request() as req: yield req | env.timeout(patience)`.
// Customer c1 holds the agent for 5s; c2 (patience 2s) reneges at 2s and
// leaves the queue; c3 (patience 10s) is served at 5s, not behind c2.
func TestRequestOrTimeoutReneging(t *testing.T) {
	env, log := newEnv(t)
	agent := resource.NewResource(1)
	customer := func(name string, arrive, patience, service time.Duration) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			p.Sleep(arrive)
			req := agent.RequestFuture(env)
			defer req.Release()
			c := sim.AnyOf(env, req, sim.After(env, patience, "patience"))
			if _, err := sim.Await(p, c); err != nil {
				return 0, err
			}
			if !c.Has(req) {
				log.Add(name, "reneges; queue %d", agent.QueueLen())
				return 0, nil
			}
			log.Add(name, "served; queue %d", agent.QueueLen())
			return 0, p.Sleep(service)
		})
	}
	customer("c1", 0, time.Second, 5*time.Second)
	customer("c2", time.Second, 2*time.Second, time.Second)
	customer("c3", time.Second, 10*time.Second, time.Second)
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s c1 served; queue 0",
		"3s c2 reneges; queue 1",
		"5s c3 served; queue 0",
	)
	if agent.Count() != 0 || agent.QueueLen() != 0 {
		t.Errorf("Count %d, QueueLen %d; want 0, 0", agent.Count(), agent.QueueLen())
	}
}

// A unit granted at the same instant as the timeout fires goes to the
// AnyOf's value (both leaves ended); a unit granted to a request whose
// awaiter was cancelled after the grant, before it resumed, goes to the
// next request.
func TestRequestGrantedThenCancelledGoesOn(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(1)
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		if err := r.Request(p); err != nil {
			return 0, err
		}
		p.Sleep(time.Second)
		r.Release()
		return 0, nil
	})
	victim := sim.Go(env, "victim", func(p *sim.Proc) (int, error) {
		req := r.RequestFuture(env)
		_, err := sim.Await(p, req)
		log.Add("victim", "%v; count %d", err, r.Count())
		return 0, nil
	})
	sim.Go(env, "next", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Millisecond)
		req := r.RequestFuture(env)
		if _, err := sim.Await(p, req); err != nil {
			return 0, err
		}
		log.Add("next", "granted")
		req.Release()
		return 0, nil
	})
	env.CallAt(time.Second, func() {
		// runs after the holder's release: the victim's request is granted,
		// its wake-up not yet run
		env.CallSoon(func() { env.CallSoon(func() { victim.Cancel("bye") }) })
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s victim cancelled: bye; count 1",
		"1s next granted",
	)
	if r.Count() != 0 {
		t.Errorf("Count %d; want 0", r.Count())
	}
}

// An interrupted task's request keeps its place in the queue and is
// awaited again (SimPy keeps a request until it is released or cancelled).
func TestRequestKeepsPlaceOverInterrupt(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(1)
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		r.Request(p)
		p.Sleep(3 * time.Second)
		r.Release()
		return 0, nil
	})
	w := sim.Go(env, "waiter", func(p *sim.Proc) (int, error) {
		req := r.RequestFuture(env)
		defer req.Release()
		for {
			_, err := sim.Await(p, req)
			if err == nil {
				log.Add("waiter", "granted")
				return 0, nil
			}
			log.Add("waiter", "%v; queue %d", err, r.QueueLen())
		}
	})
	sim.Go(env, "late", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		if err := r.Request(p); err != nil {
			return 0, err
		}
		log.Add("late", "granted")
		r.Release()
		return 0, nil
	})
	env.CallAt(time.Second, func() { w.Interrupt("knock") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s waiter sim: interrupted at 1s: knock; queue 1",
		"3s waiter granted",
		"3s late granted",
	)
}

// Store.GetFuture under future.WaitFor: a get that times out takes no
// item; the item put later goes to the next getter.
func TestStoreGetWaitFor(t *testing.T) {
	env, log := newEnv(t)
	s := resource.NewStore[string](0)
	sim.Go(env, "impatient", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, future.WaitFor[string](env.Loop(), s.GetFuture(env), time.Second))
		log.Add("impatient", "%q %v", v, err)
		return 0, nil
	})
	sim.Go(env, "patient", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, s.GetFuture(env))
		log.Add("patient", "%q %v", v, err)
		return 0, nil
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		return 0, s.Put(p, "x")
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`1s impatient "" timed out after 1s`,
		`2s patient "x" <nil>`,
	)
}

// AllOf of a Container get and a Store get: its value is both leaves;
// when the Store get fails (a bad amount fails the Container get at once),
// the whole fails and the Store's item is untouched.
func TestAllOfGets(t *testing.T) {
	env, log := newEnv(t)
	c := resource.NewContainer(10, 5)
	s := resource.NewStore[int](0)
	sim.Go(env, "both", func(p *sim.Proc) (int, error) {
		g1, g2 := c.GetFuture(env, 3), s.GetFuture(env)
		v, err := sim.Await(p, sim.AllOf(env, g1, g2))
		a, _ := g1.Result()
		b, _ := g2.Result()
		log.Add("both", "%d leaves %v: %v %v; level %v", len(v), err, a, b, c.Level())
		g3, g4 := c.GetFuture(env, 30), s.GetFuture(env)
		_, err = sim.Await(p, sim.AllOf(env, g3, g4))
		log.Add("both", "%v; bad amount %v", err != nil, errors.Is(err, resource.ErrBadAmount))
		return 0, nil
	})
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		s.Put(p, 7)
		p.Sleep(time.Second)
		s.Put(p, 8)
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s both 2 leaves <nil>: 3 7; level 2",
		"1s both true; bad amount true",
	)
	if got := s.Items(); len(got) != 1 || got[0] != 8 {
		t.Errorf("store holds %v; want [8]", got)
	}
}

// Release of a waiting request cancels it; releasing twice does nothing;
// RequestPriorityFuture needs a priority Resource.
func TestRequestRelease(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(1)
	mustPanic(t, "RequestPriorityFuture on a Resource made by NewResource", func() { r.RequestPriorityFuture(env, 1) })
	sim.Go(env, "main", func(p *sim.Proc) (int, error) {
		first := r.RequestFuture(env)
		second := r.RequestFuture(env)
		if _, err := sim.Await(p, first); err != nil {
			return 0, err
		}
		p.Yield() // the second request is queued by now
		log.Add("main", "count %d, queue %d", r.Count(), r.QueueLen())
		second.Release()
		p.Yield()
		log.Add("main", "second cancelled %v; queue %d", second.Cancelled(), r.QueueLen())
		first.Release()
		first.Release()
		log.Add("main", "count %d", r.Count())
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s main count 1, queue 1",
		"0s main second cancelled true; queue 0",
		"0s main count 0",
	)
}

// A request in future form preempted by a more urgent one reports it, and
// its Release does nothing; a deadlock report names the wait's helper.
func TestRequestFuturePreemptedAndDeadlock(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	sim.Go(env, "low", func(p *sim.Proc) (int, error) {
		req := r.RequestPriorityFuture(env, 5)
		defer req.Release()
		if _, err := sim.Await(p, req); err != nil {
			return 0, err
		}
		p.Sleep(2 * time.Second)
		log.Add("low", "preempted %v", req.Preempted())
		return 0, nil
	})
	sim.Go(env, "high", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		if err := r.RequestPriority(p, 0); err != nil {
			return 0, err
		}
		log.Add("high", "holds; count %d", r.Count())
		p.Sleep(2 * time.Second)
		r.Release()
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s high holds; count 1",
		"2s low preempted true",
	)
	if r.Count() != 0 {
		t.Errorf("Count %d; want 0", r.Count())
	}
	s := resource.NewStore[int](0)
	sim.Go(env, "stuck", func(p *sim.Proc) (int, error) {
		_, err := sim.Await(p, s.GetFuture(env))
		return 0, err
	})
	err := env.Run()
	var de *sim.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v; want a deadlock", err)
	}
	if want := "Store.GetFuture"; !strings.Contains(err.Error(), want) {
		t.Errorf("deadlock report %q does not name %q", err, want)
	}
}

// An amount granted to a Container get whose awaiter is cancelled before it
// resumes goes back at once, above the capacity if puts filled the
// container meanwhile (the level then stays above it until gets take it).
// Either the awaiter has the amount or the container does.
func TestContainerGetFutureGiveBack(t *testing.T) {
	through := 0
	for k := range 8 {
		env := sim.New()
		c := resource.NewContainer(10, 5)
		got := 0.0
		awaiter := sim.Go(env, "awaiter", func(p *sim.Proc) (int, error) {
			v, err := sim.Await(p, c.GetFuture(env, 8))
			if err == nil {
				got = v
			}
			return 0, err
		})
		sim.Go(env, "filler", func(p *sim.Proc) (int, error) {
			p.Sleep(time.Second)
			env.CallSoon(func() {
				var soon func(n int)
				soon = func(n int) {
					if n == 0 {
						awaiter.Cancel("")
						return
					}
					env.CallSoon(func() { soon(n - 1) })
				}
				soon(k)
			})
			if err := c.Put(p, 5); err != nil {
				return 0, err
			}
			return 0, c.Put(p, 8)
		})
		sim.Go(env, "drain", func(p *sim.Proc) (int, error) {
			p.Sleep(5 * time.Second)
			if got == 0 && c.Level() > 10 {
				through++ // the give-back overfilled the container
			}
			return 0, c.Get(p, 8)
		})
		if err := env.Run(); err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		if l := c.Level(); l+got != 10 {
			t.Errorf("k=%d: level %v and the awaiter got %v; want 10 in all", k, l, got)
		}
		env.Close()
	}
	if through == 0 {
		t.Errorf("no k gave the amount back above the capacity")
	}
}

// TestCondOverGatherGivesBack: a condition over a Gather of requests gives
// the Gather's grants back when the condition is cancelled after the grant
// (A) or fails (B); before, a Gather was neither withdrawn nor cancelled by
// a condition, and its unit stayed held for ever (review, 2026-12-04).
func TestCondOverGatherGivesBack(t *testing.T) {
	t.Run("cancelled", func(t *testing.T) {
		env, _ := newEnv(t)
		r := resource.NewResource(1)
		req := r.RequestFuture(env)
		c := sim.AnyOf(env, future.Gather[struct{}](env.Loop(), req), sim.After(env, time.Hour, 0))
		if err := env.RunFor(time.Second); err != nil {
			t.Fatal(err)
		}
		c.Cancel("x")
		if err := env.RunFor(time.Second); err != nil {
			t.Fatal(err)
		}
		if r.Count() != 0 {
			t.Errorf("Count = %d after the condition was cancelled; want the unit back", r.Count())
		}
	})
	t.Run("failed", func(t *testing.T) {
		env, _ := newEnv(t)
		r := resource.NewResource(1)
		req := r.RequestFuture(env)
		boom, res := future.New[struct{}](env.Loop())
		env.CallLater(time.Second, func() { res.SetError(errors.New("boom")) })
		c := sim.AllOf(env, future.Gather[struct{}](env.Loop(), req), boom)
		_ = env.RunFor(2 * time.Second)
		if err := c.Err(); err == nil || err.Error() != "boom" {
			t.Fatalf("AllOf = %v; want boom", err)
		}
		if r.Count() != 0 {
			t.Errorf("Count = %d after the condition failed; want the unit back", r.Count())
		}
	})
}
