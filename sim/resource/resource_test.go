package resource_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

func TestResourceIsFCFS(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(2)
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(time.Duration(i) * time.Millisecond); err != nil {
				return 0, err
			}
			if err := r.Request(p); err != nil {
				return 0, err
			}
			log.Add(name, "got a unit (count %d, queue %d)", r.Count(), r.QueueLen())
			defer r.Release()
			return 0, p.Sleep(time.Second)
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a got a unit (count 1, queue 0)",
		"1ms b got a unit (count 2, queue 0)",
		"1s c got a unit (count 2, queue 2)",
		"1.001s d got a unit (count 2, queue 1)",
		"2s e got a unit (count 2, queue 0)",
	)
	if r.Count() != 0 || r.QueueLen() != 0 {
		t.Errorf("count %d, queue %d at the end", r.Count(), r.QueueLen())
	}
}

func TestPriorityResourceOrder(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPriorityResource(1)
	req := func(name string, at time.Duration, prio int) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(at); err != nil {
				return 0, err
			}
			if err := r.RequestPriority(p, prio); err != nil {
				return 0, err
			}
			log.Add(name, "got it (prio %d)", prio)
			defer r.Release()
			return 0, p.Sleep(time.Second)
		})
	}
	req("first", 0, 5)
	req("low", time.Millisecond, 3)
	req("high", 2*time.Millisecond, 1)
	req("high2", 3*time.Millisecond, 1)
	req("mid", 4*time.Millisecond, 2)
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s first got it (prio 5)",
		"1s high got it (prio 1)",
		"2s high2 got it (prio 1)",
		"3s mid got it (prio 2)",
		"4s low got it (prio 3)",
	)
}

func TestPreemptiveResourceLog(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	user := func(name string, at time.Duration, prio int) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(at); err != nil {
				return 0, err
			}
			if err := r.RequestPriority(p, prio); err != nil {
				log.Add(name, "request failed: %v", err)
				return 0, nil
			}
			log.Add(name, "got it (prio %d)", prio)
			if err := p.Sleep(3 * time.Second); err != nil {
				var pe *resource.Preempted
				if !errors.As(err, &pe) || !errors.Is(err, resource.ErrPreempted) || pe.Resource != r {
					t.Errorf("%s: error %v is not a preemption of r", name, err)
				}
				log.Add(name, "preempted by %s, in use since %v", pe.By.Name(), pe.UsageSince)
				return 0, nil
			}
			log.Add(name, "done")
			r.Release()
			return 0, nil
		})
	}
	user("a", 0, 3)
	user("b", time.Second, 3) // same priority: waits
	user("c", 2*time.Second, 1)
	user("d", 3*time.Second, 2) // c is better: d waits, ahead of b
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a got it (prio 3)",
		"2s c got it (prio 1)",
		"2s a preempted by c, in use since 0s",
		"5s c done",
		"5s d got it (prio 2)",
		"8s d done",
		"8s b got it (prio 3)",
		"11s b done",
	)
	if r.Count() != 0 || r.QueueLen() != 0 {
		t.Errorf("count %d, queue %d at the end", r.Count(), r.QueueLen())
	}
}

func TestResourceCancelledRequestLeavesNoTrace(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(1)
	hold := func(name string) func(p *sim.Proc) (int, error) {
		return func(p *sim.Proc) (int, error) {
			if err := r.Request(p); err != nil {
				log.Add(name, "gave up: %v", err)
				return 0, err
			}
			log.Add(name, "got it")
			defer r.Release()
			return 0, p.Sleep(2 * time.Second)
		}
	}
	sim.Go(env, "a", hold("a"))
	b := sim.Go(env, "b", hold("b"))
	c := sim.Go(env, "c", hold("c"))
	sim.Go(env, "d", hold("d"))
	env.CallLater(time.Second, func() {
		count, queue := r.Count(), r.QueueLen()
		b.Cancel("impatient")
		if err := c.Interrupt("bored"); err != nil {
			t.Error(err)
		}
		log.Add("cb", "count %d->%d, queue %d->%d", count, r.Count(), queue, r.QueueLen())
	})
	// A release hands the unit to b at 2s; b is cancelled before it resumes
	// and must pass the unit on to d.
	if err := env.Run(); err != nil && !errors.Is(err, sim.ErrTaskFailed) {
		t.Fatal(err)
	}
	log.Check(t,
		"0s a got it",
		"1s cb count 1->1, queue 3->1",
		"1s b gave up: cancelled: impatient",
		"1s c gave up: sim: interrupted at 1s: bored",
		"2s d got it",
	)
}

func TestResourceHandedUnitCancelledPassesItOn(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPriorityResource(1)
	var b *sim.Task[int]
	sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		if err := r.Request(p); err != nil {
			return 0, err
		}
		if err := p.Sleep(time.Second); err != nil {
			return 0, err
		}
		r.Release()          // hands the unit to b...
		b.Cancel("too late") // ...which is cancelled before it resumes
		log.Add("a", "released; count %d, queue %d", r.Count(), r.QueueLen())
		return 0, nil
	})
	for _, name := range []string{"b", "c"} {
		task := sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := r.Request(p); err != nil {
				log.Add(name, "gave up: %v", err)
				return 0, nil
			}
			log.Add(name, "got it")
			r.Release()
			return 0, nil
		})
		if name == "b" {
			b = task
		}
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s a released; count 1, queue 1",
		"1s b gave up: cancelled: too late",
		"1s c got it",
	)
}

func TestResourcePanics(t *testing.T) {
	mustPanic(t, "NewResource(0): the capacity must be 1 or more", func() { resource.NewResource(0) })
	mustPanic(t, "NewPreemptiveResource(-1)", func() { resource.NewPreemptiveResource(-1) })
	mustPanic(t, "Resource.Release", func() { resource.NewResource(1).Release() })
	env, _ := newEnv(t)
	r := resource.NewResource(1)
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		mustPanic(t, "RequestPriority on a Resource made by NewResource", func() { _ = r.RequestPriority(p, 1) })
		if err := r.Request(p); err != nil {
			return 0, err
		}
		r.Release()
		mustPanic(t, `task "t", which holds no unit`, func() { r.Release() })
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

// TestResourceProperty: random requests of random priorities, some with a
// timeout (reneging), holds, cancellations and interrupts never put more
// holders than the capacity, and every unit comes back.
func TestResourceProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		capacity := rapid.IntRange(1, 3).Draw(rt, "capacity")
		kind := rapid.IntRange(0, 2).Draw(rt, "kind")
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		r := [...]func(int) *resource.Resource{resource.NewResource, resource.NewPriorityResource, resource.NewPreemptiveResource}[kind](capacity)
		holders := 0
		n := rapid.IntRange(1, 12).Draw(rt, "tasks")
		var tasks []*sim.Task[int]
		for i := range n {
			start := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("start", i))) * time.Second
			hold := time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("hold", i))) * time.Second
			prio := rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("prio", i))
			// 0: no timeout; else the request gives up after patience-1 seconds.
			patience := rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("patience", i))
			tasks = append(tasks, sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				if err := p.Sleep(start); err != nil {
					return 0, nil
				}
				request := func() error {
					if kind == 0 {
						return r.Request(p)
					}
					return r.RequestPriority(p, prio)
				}
				var err error
				if patience == 0 {
					err = request()
				} else {
					err = sim.Timeout(p, time.Duration(patience-1)*time.Second, func(*sim.Scope) error { return request() })
				}
				if err != nil {
					return 0, nil
				}
				// A preempted holder learns it only when it resumes, after
				// its preemptor: the resource's count is the invariant.
				holders++
				if r.Count() > capacity {
					rt.Fatalf("count %d of %d units at %v", r.Count(), capacity, p.Now())
				}
				err = p.Sleep(hold)
				holders--
				if errors.Is(err, resource.ErrPreempted) {
					return 0, nil
				}
				// A preemption that came while another outcome of the wait
				// was due is queued for the next wait: Release may then
				// find nothing held, which it reports with a panic.
				defer func() {
					if v := recover(); v != nil && err == nil {
						panic(v)
					}
				}()
				r.Release()
				return 1, nil
			}))
		}
		for i := range rapid.IntRange(0, n).Draw(rt, "disturbances") {
			at := time.Duration(rapid.IntRange(0, 4).Draw(rt, fmt.Sprint("at", i))) * time.Second
			task := tasks[rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("who", i))]
			interrupt := rapid.Bool().Draw(rt, fmt.Sprint("interrupt", i))
			env.CallLater(at, func() {
				if interrupt {
					_ = task.Interrupt("poke")
				} else {
					task.Cancel("stop")
				}
			})
		}
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		if r.Count() != 0 || r.QueueLen() != 0 || holders != 0 {
			rt.Fatalf("count %d, queue %d, holders %d at the end", r.Count(), r.QueueLen(), holders)
		}
	})
}

// Reneging: a request under a timeout scope either gets the resource or
// leaves the queue cleanly, holding nothing.
func TestRequestWithTimeoutRenegesCleanly(t *testing.T) {
	env, log := newEnv(t)
	res := resource.NewResource(1)
	sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
		if err := res.Request(p); err != nil {
			return 0, err
		}
		defer res.Release()
		return 0, p.Sleep(5 * time.Second)
	})
	for _, patience := range []time.Duration{2 * time.Second, 10 * time.Second} {
		name := fmt.Sprint("patient ", patience)
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := sim.Timeout(p, patience, func(*sim.Scope) error { return res.Request(p) })
			log.Add(name, "%v; count %d, queue %d", err, res.Count(), res.QueueLen())
			if err != nil {
				return 0, nil // reneged
			}
			res.Release()
			return 0, nil
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2s patient 2s timed out after 2s; count 1, queue 1",
		"5s patient 10s <nil>; count 1, queue 0",
	)
}
