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

// TestBoundedResourceProperties: on a Resource of any kind with a random
// waiting room, tasks request (with or without preemption), hold, release,
// forget to release, or are cancelled. Whatever happens: no more than the
// capacity is held and no more than the limit waits; Users and Queue agree
// with Count and QueueLen; every refusal is counted in Stats.Refused; and
// at the end nothing is held, every leak having been reported as a
// HeldAtEndError naming a task that leaked.
func TestBoundedResourceProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		capacity := rapid.IntRange(1, 3).Draw(rt, "capacity")
		limit := rapid.IntRange(-1, 3).Draw(rt, "limit")
		kind := rapid.IntRange(0, 2).Draw(rt, "kind")
		res := []func(int) *resource.Resource{resource.NewResource, resource.NewPriorityResource, resource.NewPreemptiveResource}[kind](capacity)
		res.SetQueueLimit(limit)
		st := res.EnableStats(env)
		check := func(when string) {
			if res.Count() > capacity || (limit >= 0 && res.QueueLen() > limit) {
				rt.Fatalf("%s: %d held, %d waiting (capacity %d, limit %d)", when, res.Count(), res.QueueLen(), capacity, limit)
			}
			if len(res.Users()) != res.Count() || len(res.Queue()) != res.QueueLen() {
				rt.Fatalf("%s: Users %d, Count %d, Queue %d, QueueLen %d", when, len(res.Users()), res.Count(), len(res.Queue()), res.QueueLen())
			}
		}
		refused := 0
		leakers := map[string]bool{}
		var tasks []*sim.Task[int]
		n := rapid.IntRange(1, 12).Draw(rt, "tasks")
		for i := range n {
			name := fmt.Sprint("t", i)
			start := time.Duration(rapid.IntRange(0, 3).Draw(rt, "start"+name)) * time.Second
			hold := time.Duration(rapid.IntRange(0, 3).Draw(rt, "hold"+name)) * time.Second
			prio := rapid.IntRange(0, 3).Draw(rt, "prio"+name)
			preempt := rapid.Bool().Draw(rt, "preempt"+name)
			leak := rapid.IntRange(0, 3).Draw(rt, "leak"+name) == 0
			tasks = append(tasks, sim.Go(env, name, func(p *sim.Proc) (int, error) {
				if err := p.Sleep(start); err != nil {
					return 0, nil
				}
				var err error
				switch {
				case kind == 0:
					err = res.Request(p)
				case preempt:
					err = res.RequestPriority(p, prio)
				default:
					err = res.RequestPriorityNoPreempt(p, prio)
				}
				check(name + " request")
				if errors.Is(err, resource.ErrRefused) {
					refused++
					return 0, nil
				}
				if err != nil {
					return 0, nil // cancelled or interrupted while waiting: holds nothing
				}
				if err := p.Sleep(hold); err != nil || leak {
					// Cancelled or preempted while holding, or careless: no
					// Release. It leaks if it still holds its unit.
					if slices.Contains(res.Users(), p) {
						leakers[name] = true
					}
					return 0, nil
				}
				res.Release()
				check(name + " release")
				return 0, nil
			}))
		}
		for i := range rapid.IntRange(0, 3).Draw(rt, "cancels") {
			victim := tasks[rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 6).Draw(rt, fmt.Sprint("at", i))) * time.Second / 2
			env.CallLater(at, func() { victim.Cancel("stop"); check("cancel") })
		}
		err := env.Run()
		reported := map[string]bool{}
		for _, e := range unjoin(err) {
			var he *resource.HeldAtEndError
			if !errors.As(e, &he) || !leakers[he.Task] || reported[he.Task] || he.Resource != res || he.Units != 1 {
				rt.Fatalf("Run reported %v", e)
			}
			reported[he.Task] = true
		}
		if len(reported) != len(leakers) {
			rt.Fatalf("leaks reported %v; tasks that ended holding a unit %v", reported, leakers)
		}
		if res.Count() != 0 || res.QueueLen() != 0 {
			rt.Fatalf("at the end: %d held, %d waiting", res.Count(), res.QueueLen())
		}
		if st.Refused != refused {
			rt.Fatalf("Stats.Refused %d; %d requests were refused", st.Refused, refused)
		}
	})
}

// unjoin returns the errors joined in err.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}
