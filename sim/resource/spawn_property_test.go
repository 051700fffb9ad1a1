package resource_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// TestSpawnedCustomersProperties: spawned tasks, whose Procs the engine
// reuses once they end, request a Resource of any kind (with or without
// preemption), hold it, release it or forget to, and are cancelled or
// preempted, in several waves so that later tasks run on the Procs of
// earlier ones. Whatever happens: every task's body starts once and ends
// once, with a fresh ID; a preempted holder is told (by ID) of a task
// that did request with preemption and a better priority, also when it
// reads it after that task ended; nothing is held or waiting at the end;
// and every leak is reported as a HeldAtEndError.
func TestSpawnedCustomersProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		capacity := rapid.IntRange(1, 2).Draw(rt, "capacity")
		kind := rapid.IntRange(0, 2).Draw(rt, "kind")
		res := []func(int) *resource.Resource{resource.NewResource, resource.NewPriorityResource, resource.NewPreemptiveResource}[kind](capacity)
		type info struct {
			prio    int
			preempt bool
		}
		tasks := map[string]info{}
		started, ended := map[string]int{}, map[string]int{}
		ids := map[uint64]string{}
		live := map[string]*sim.Proc{} // a Proc is kept only while its task runs
		leakers := map[string]bool{}
		n := 0
		for wave := range rapid.IntRange(1, 3).Draw(rt, "waves") {
			for range rapid.IntRange(1, 8).Draw(rt, fmt.Sprint("wave", wave)) {
				name := fmt.Sprint("t", n)
				n++
				start := time.Duration(rapid.IntRange(0, 3).Draw(rt, "start"+name)) * time.Second
				hold := time.Duration(rapid.IntRange(0, 3).Draw(rt, "hold"+name)) * time.Second
				in := info{prio: rapid.IntRange(0, 3).Draw(rt, "prio"+name), preempt: rapid.Bool().Draw(rt, "preempt"+name)}
				leak := rapid.IntRange(0, 4).Draw(rt, "leak"+name) == 0
				tasks[name] = in
				body := func(p *sim.Proc) error {
					if p.Name() != "customer" {
						rt.Fatalf("task %s runs as %q", name, p.Name())
					}
					if other, ok := ids[p.ID()]; ok {
						rt.Fatalf("task %q has the ID %d of task %q", name, p.ID(), other)
					}
					ids[p.ID()] = name
					started[name]++
					live[name] = p
					defer func() { delete(live, name); ended[name]++ }()
					var err error
					switch {
					case kind == 0:
						err = res.Request(p)
					case in.preempt:
						err = res.RequestPriority(p, in.prio)
					default:
						err = res.RequestPriorityNoPreempt(p, in.prio)
					}
					if err != nil {
						return nil // cancelled while waiting: holds nothing
					}
					err = p.Sleep(hold)
					var pe *resource.Preempted
					if errors.As(err, &pe) {
						by, ok := tasks[ids[pe.By.ID()]]
						if !ok || !by.preempt || by.prio >= in.prio || pe.By.Name() != "customer" {
							rt.Fatalf("%s preempted by %q, ID %d (%+v)", name, pe.By.Name(), pe.By.ID(), by)
						}
						// Read the preemptor again later, when its task may
						// have ended and later tasks started.
						was := pe.By.ID()
						_ = p.Sleep(2 * time.Second)
						if pe.By.ID() != was {
							rt.Fatalf("%s preempted by task %d, later by %d", name, was, pe.By.ID())
						}
						return nil
					}
					if err != nil || leak {
						// Cancelled while holding, or careless: no Release.
						if slices.Contains(res.Users(), p) {
							leakers[name] = true
						}
						return err
					}
					res.Release()
					return nil
				}
				// Started later, from a callback, so that it may run on
				// the Proc of a task of this wave that ended.
				env.CallLater(start, func() { sim.Spawn(env, "customer", body) })
			}
			for i := range rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("cancels", wave)) {
				victim := fmt.Sprint("t", rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("victim", wave, i)))
				at := time.Duration(rapid.IntRange(0, 6).Draw(rt, fmt.Sprint("at", wave, i))) * time.Second / 2
				env.CallLater(at, func() {
					if p, ok := live[victim]; ok {
						p.Cancel("stop")
					}
				})
			}
			err := env.Run()
			reported := 0
			for _, e := range unjoin(err) {
				var he *resource.HeldAtEndError
				if !errors.As(e, &he) || he.Task != "customer" || he.Units != 1 {
					rt.Fatalf("wave %d: Run reported %v", wave, e)
				}
				reported++
			}
			if reported != len(leakers) {
				rt.Fatalf("wave %d: %d leaks reported; tasks that ended holding a unit: %v", wave, reported, leakers)
			}
			clear(leakers)
			if res.Count() != 0 || res.QueueLen() != 0 || len(live) != 0 {
				rt.Fatalf("wave %d, at the end: %d held, %d waiting, %d live", wave, res.Count(), res.QueueLen(), len(live))
			}
		}
		for name := range tasks {
			if started[name] != 1 || ended[name] != 1 {
				rt.Fatalf("%s started %d times and ended %d times", name, started[name], ended[name])
			}
		}
		if len(ids) != n {
			rt.Fatalf("%d IDs for %d tasks", len(ids), n)
		}
	})
}
