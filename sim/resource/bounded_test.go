package resource_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// names returns the tasks' names.
func names(ps []*sim.Proc) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name()
	}
	return fmt.Sprint(s)
}

// TestResourceQueueLimit: with one unit and a waiting room of one, of four
// customers arriving at once the first is served, the second waits and
// the others are refused at once and counted; after a cancellation in the
// queue, a new arrival finds room.
func TestResourceQueueLimit(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewResource(1).SetQueueLimit(1)
	st := r.EnableStats(env)
	var tasks []*sim.Task[int]
	arrive := func(name string) {
		tasks = append(tasks, sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := r.Request(p); err != nil {
				log.Add(name, "%v", err)
				return 0, nil
			}
			log.Add(name, "served")
			defer r.Release()
			return 0, p.Sleep(time.Second)
		}))
	}
	for _, n := range []string{"a", "b", "c", "d"} {
		arrive(n)
	}
	env.CallLater(time.Millisecond, func() {
		log.Add("look", "users %s queue %s", names(r.Users()), names(r.Queue()))
		tasks[1].Cancel("gone")
		arrive("e")
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`0s a served`,
		`0s c resource: refused: the waiting room is full`,
		`0s d resource: refused: the waiting room is full`,
		`1ms look users [a] queue [b]`,
		`1ms b cancelled: gone`,
		`1s e served`,
	)
	if st.Refused != 2 || st.Served != 2 || r.QueueLimit() != 1 {
		t.Errorf("Refused %d, Served %d, limit %d; want 2, 2, 1", st.Refused, st.Served, r.QueueLimit())
	}
	st.Reset()
	if st.Refused != 0 {
		t.Errorf("Refused %d after Reset", st.Refused)
	}
}

// TestLossSystemAndPriority: a waiting room of 0 is Erlang's loss system;
// on a preemptive resource, a preempting request is not refused, one
// without preemption is.
func TestLossSystemAndPriority(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1).SetQueueLimit(0)
	try := func(name string, prio int, preempt bool) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			req := r.RequestPriority
			if !preempt {
				req = r.RequestPriorityNoPreempt
			}
			if err := req(p, prio); err != nil {
				log.Add(name, "%v", err)
				return 0, nil
			}
			log.Add(name, "served")
			if err := p.Sleep(time.Second); err != nil {
				log.Add(name, "%v", err)
				return 0, nil
			}
			r.Release()
			return 0, nil
		})
	}
	try("low", 5, true)
	try("same", 5, true)
	try("polite", 1, false)
	try("urgent", 1, true)
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`0s low served`,
		`0s same resource: refused: the waiting room is full`,
		`0s polite resource: refused: the waiting room is full`,
		`0s urgent served`,
		`0s low sim: interrupted at 0s: preempted by task "urgent" (in use since 0s)`,
	)
}

// TestNoPreemptWaitsInPriorityOrder: a high-priority request without
// preemption waits, ahead of lower priorities, until the holder releases;
// the queue shows the order of service.
func TestNoPreemptWaitsInPriorityOrder(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	tasks := map[string]*sim.Task[int]{}
	use := func(name string, prio int, at time.Duration) {
		tasks[name] = sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(at); err != nil {
				return 0, err
			}
			if err := r.RequestPriorityNoPreempt(p, prio); err != nil {
				return 0, err
			}
			log.Add(name, "served")
			defer r.Release()
			return 0, p.Sleep(time.Second)
		})
	}
	use("holder", 9, 0)
	use("mid", 5, time.Millisecond)
	use("top", 0, 2*time.Millisecond)
	use("mid2", 5, 3*time.Millisecond)
	use("gone", 7, 3*time.Millisecond)
	env.CallLater(4*time.Millisecond, func() {
		log.Add("look", "users %s queue %s", names(r.Users()), names(r.Queue()))
		tasks["gone"].Cancel("bye") // leaves the queue now, resumes later
		log.Add("look", "queue %s", names(r.Queue()))
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`0s holder served`,
		`4ms look users [holder] queue [top mid mid2 gone]`,
		`4ms look queue [top mid mid2]`,
		`1s top served`,
		`2s mid served`,
		`3s mid2 served`,
	)
}

// TestStorePutQueueLimit: a store of capacity 2 that refuses Puts when
// full (a waiting room that loses arrivals), and the put and get queues of
// a store and a container as SimPy shows them.
func TestStorePutQueueLimit(t *testing.T) {
	env, log := newEnv(t)
	s := resource.NewStore[string](2).SetPutQueueLimit(1)
	st := s.EnableStats(env)
	for _, v := range []string{"a", "b", "c", "d", "e"} {
		sim.Go(env, "put "+v, func(p *sim.Proc) (int, error) {
			if err := s.Put(p, v); err != nil {
				log.Add("put "+v, "%v", err)
			}
			return 0, nil
		})
	}
	empty := resource.NewStore[int](0)
	c := resource.NewContainer(10, 5)
	for _, n := range []string{"g1", "g2"} {
		sim.Go(env, n, func(p *sim.Proc) (int, error) {
			_, err := empty.Get(p)
			return 0, err
		})
		sim.Go(env, "c"+n, func(p *sim.Proc) (int, error) { return 0, c.Get(p, 8) })
		sim.Go(env, "cp"+n, func(p *sim.Proc) (int, error) { return 0, c.Put(p, 8) }) // no room for 8
	}
	env.CallLater(time.Second, func() {
		log.Add("look", "items %v puts %s; gets %s; container gets %s puts %s",
			s.Items(), names(s.PutQueue()), names(empty.GetQueue()), names(c.GetQueue()), names(c.PutQueue()))
	})
	if err := env.RunFor(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		`0s put d resource: refused: the waiting room is full`,
		`0s put e resource: refused: the waiting room is full`,
		`1s look items [a b] puts [put c]; gets [g1 g2]; container gets [cg1 cg2] puts [cpg1 cpg2]`,
	)
	if st.Refused != 2 || s.PutQueueLimit() != 1 {
		t.Errorf("Refused %d, limit %d; want 2, 1", st.Refused, s.PutQueueLimit())
	}
}
