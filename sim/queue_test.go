package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
)

func TestQueueBoundedProducerConsumer(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[int](2)
	sim.Go(env, "producer", func(p *sim.Proc) (int, error) {
		for i := range 5 {
			if q.Full() {
				log.Add("producer", "full, waits to put %d", i)
			}
			if err := q.Put(p, i); err != nil {
				return 0, err
			}
			log.Add("producer", "put %d (len %d)", i, q.Len())
		}
		if err := q.Join(p); err != nil {
			return 0, err
		}
		log.Add("producer", "joined")
		q.Shutdown(false)
		return 0, nil
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		for {
			v, err := q.Get(p)
			if err != nil {
				log.Add("consumer", "stops: %v", err)
				return 0, nil
			}
			log.Add("consumer", "got %d", v)
			err = p.Sleep(time.Second)
			if err := q.TaskDone(); err != nil {
				return 0, err
			}
			if err != nil {
				return 0, err
			}
		}
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s producer put 0 (len 1)",
		"0s producer put 1 (len 2)",
		"0s producer full, waits to put 2",
		"0s consumer got 0",
		"0s producer put 2 (len 2)",
		"0s producer full, waits to put 3",
		"1s consumer got 1",
		"1s producer put 3 (len 2)",
		"1s producer full, waits to put 4",
		"2s consumer got 2",
		"2s producer put 4 (len 2)",
		"3s consumer got 3",
		"4s consumer got 4",
		"5s producer joined",
		"5s consumer stops: sim: queue is shut down",
	)
}

func TestLifoQueueOrder(t *testing.T) {
	q := sim.NewLifoQueue[string](0)
	for _, s := range []string{"a", "b", "c"} {
		if err := q.PutNowait(s); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for !q.Empty() {
		v, _ := q.GetNowait()
		got = append(got, v)
	}
	if want := []string{"c", "b", "a"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

func TestPriorityQueueOrderIsStable(t *testing.T) {
	type job struct {
		prio int
		name string
	}
	less := func(a, b job) bool { return a.prio < b.prio }
	q := sim.NewPriorityQueue(0, less)
	for _, j := range []job{{2, "a"}, {1, "b"}, {2, "c"}, {1, "d"}, {0, "e"}, {2, "f"}} {
		q.PutNowait(j)
	}
	var got []string
	for !q.Empty() {
		j, _ := q.GetNowait()
		got = append(got, j.name)
	}
	if want := []string{"e", "b", "d", "a", "c", "f"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}

	// Many items with few priorities, interleaving puts and gets: the
	// order is a stable sort of what was put.
	var in, out []job
	for i := range 500 {
		j := job{i * 7 % 5, fmt.Sprint(i)}
		in = append(in, j)
		q.PutNowait(j)
	}
	for range 100 {
		j, _ := q.GetNowait()
		out = append(out, j)
	}
	ref := slices.Clone(in)
	slices.SortStableFunc(ref, func(a, b job) int { return a.prio - b.prio })
	if !slices.Equal(out, ref[:100]) {
		t.Fatalf("first 100 out of order:\n%v\nwant\n%v", out, ref[:100])
	}
	rest := slices.Clone(ref[100:])
	for i := range 300 {
		j := job{i % 3, fmt.Sprint("late", i)}
		rest = append(rest, j)
		q.PutNowait(j)
	}
	slices.SortStableFunc(rest, func(a, b job) int { return a.prio - b.prio })
	out = out[:0]
	for !q.Empty() {
		j, _ := q.GetNowait()
		out = append(out, j)
	}
	if !slices.Equal(out, rest) {
		t.Fatalf("rest out of order:\n%v\nwant\n%v", out, rest)
	}
	mustPanic(t, "sim: NewPriorityQueue called with a nil less function", func() { sim.NewPriorityQueue[int](1, nil) })
}

func TestQueueNowaitErrors(t *testing.T) {
	q := sim.NewQueue[int](1)
	if q.Cap() != 1 || q.Len() != 0 || !q.Empty() || q.Full() {
		t.Errorf("new queue: cap %d len %d empty %v full %v", q.Cap(), q.Len(), q.Empty(), q.Full())
	}
	check := func(what string, err, target error, msg string) {
		t.Helper()
		if !errors.Is(err, target) || err.Error() != msg {
			t.Errorf("%s = %v; want %q", what, err, msg)
		}
	}
	_, err := q.GetNowait()
	check("GetNowait on empty", err, sim.ErrQueueEmpty, "sim: queue is empty")
	if err := q.PutNowait(1); err != nil {
		t.Fatal(err)
	}
	if q.Len() != 1 || q.Empty() || !q.Full() {
		t.Errorf("full queue: len %d empty %v full %v", q.Len(), q.Empty(), q.Full())
	}
	check("PutNowait on full", q.PutNowait(2), sim.ErrQueueFull, "sim: queue is full")
	if err := q.TaskDone(); err != nil {
		t.Fatal(err)
	}
	check("TaskDone twice", q.TaskDone(), sim.ErrTaskDoneTooMany, "sim: Queue.TaskDone called too many times")
	q.Shutdown(false)
	check("PutNowait after Shutdown", q.PutNowait(3), sim.ErrQueueShutdown, "sim: queue is shut down")
	if v, err := q.GetNowait(); v != 1 || err != nil {
		t.Errorf("GetNowait draining = %d, %v; want 1, nil", v, err)
	}
	_, err = q.GetNowait()
	check("GetNowait after Shutdown, empty", err, sim.ErrQueueShutdown, "sim: queue is shut down")

	for _, size := range []int{0, -3} {
		u := sim.NewQueue[int](size)
		for i := range 1000 {
			if err := u.PutNowait(i); err != nil {
				t.Fatal(err)
			}
		}
		if u.Cap() != 0 || u.Full() || u.Len() != 1000 {
			t.Errorf("NewQueue(%d): cap %d full %v len %d", size, u.Cap(), u.Full(), u.Len())
		}
		for i := range 1000 {
			if v, err := u.GetNowait(); v != i || err != nil {
				t.Fatalf("GetNowait = %d, %v; want %d", v, err, i)
			}
		}
	}
}

func TestQueueTaskDoneAndJoin(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[string](0)
	for _, name := range []string{"j1", "j2"} {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := q.Join(p)
			log.Add(name, "joined: %v", err)
			return 0, err
		})
	}
	j3 := sim.Go(env, "j3", func(p *sim.Proc) (int, error) {
		err := q.Join(p)
		log.Add("j3", "joined: %v", err)
		return 0, err
	})
	sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
		for _, s := range []string{"x", "y"} {
			q.PutNowait(s)
		}
		p.Sleep(time.Second)
		for !q.Empty() {
			v, _ := q.GetNowait()
			p.Sleep(time.Second)
			log.Add("worker", "done %s", v)
			q.TaskDone()
		}
		return 0, nil
	})
	env.CallLater(time.Second, func() { j3.Cancel("bored") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s j1 joined: <nil>", // nothing put yet: Join returns at once
		"0s j2 joined: <nil>",
		"0s j3 joined: <nil>",
		"2s worker done x",
		"3s worker done y",
	)

	// Joiners waiting while items are unfinished.
	env2, log2 := newEnv(t)
	q2 := sim.NewQueue[int](0)
	q2.PutNowait(1)
	q2.PutNowait(2)
	for _, name := range []string{"j1", "j2", "j3"} {
		task := sim.Go(env2, name, func(p *sim.Proc) (int, error) {
			err := q2.Join(p)
			log2.Add(name, "joined: %v", err)
			return 0, err
		})
		if name == "j2" {
			env2.CallLater(time.Second, func() { task.Cancel("bored") })
		}
	}
	sim.Go(env2, "worker", func(p *sim.Proc) (int, error) {
		for !q2.Empty() {
			v, _ := q2.GetNowait()
			p.Sleep(2 * time.Second)
			log2.Add("worker", "done %d", v)
			q2.TaskDone()
		}
		return 0, nil
	})
	if err := env2.Run(); err != nil {
		t.Fatal(err)
	}
	log2.Check(t,
		"1s j2 joined: cancelled: bored",
		"2s worker done 1",
		"4s worker done 2",
		"4s j1 joined: <nil>",
		"4s j3 joined: <nil>",
	)
}

func TestQueueShutdownImmediate(t *testing.T) {
	env, log := newEnv(t)
	empty, full := sim.NewQueue[int](0), sim.NewQueue[int](1)
	full.PutNowait(1)
	sim.Go(env, "getter", func(p *sim.Proc) (int, error) {
		v, err := empty.Get(p)
		log.Add("getter", "%d, %v", v, err)
		return 0, nil
	})
	sim.Go(env, "putter", func(p *sim.Proc) (int, error) {
		err := full.Put(p, 2)
		log.Add("putter", "%v", err)
		return 0, nil
	})
	sim.Go(env, "joiner", func(p *sim.Proc) (int, error) {
		err := full.Join(p)
		log.Add("joiner", "%v", err)
		return 0, nil
	})
	env.CallLater(2*time.Second, func() {
		empty.Shutdown(true)
		full.Shutdown(true)
		log.Add("cb", "shut down, len %d", full.Len())
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2s cb shut down, len 0",
		"2s getter 0, sim: queue is shut down", // empty was shut down first
		"2s joiner <nil>",
		"2s putter sim: queue is shut down",
	)
	if err := full.TaskDone(); !errors.Is(err, sim.ErrTaskDoneTooMany) {
		t.Errorf("TaskDone after immediate Shutdown = %v; want ErrTaskDoneTooMany", err)
	}
}

func TestQueueShutdownDraining(t *testing.T) {
	env, log := newEnv(t)
	q, idle := sim.NewQueue[int](2), sim.NewQueue[int](0)
	q.PutNowait(1)
	q.PutNowait(2)
	sim.Go(env, "putter", func(p *sim.Proc) (int, error) {
		err := q.Put(p, 3)
		log.Add("putter", "put 3: %v", err)
		return 0, nil
	})
	sim.Go(env, "idle", func(p *sim.Proc) (int, error) {
		_, err := idle.Get(p)
		log.Add("idle", "get: %v", err)
		return 0, nil
	})
	sim.Go(env, "joiner", func(p *sim.Proc) (int, error) {
		err := q.Join(p)
		log.Add("joiner", "joined: %v", err)
		return 0, nil
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		for {
			v, err := q.Get(p)
			if err != nil {
				log.Add("consumer", "get: %v", err)
				return 0, nil
			}
			log.Add("consumer", "got %d", v)
			p.Sleep(time.Second)
			q.TaskDone()
		}
	})
	env.CallLater(time.Second, func() {
		q.Shutdown(false)
		idle.Shutdown(false)
		log.Add("cb", "shut down, len %d", q.Len())
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s cb shut down, len 2",
		"1s putter put 3: sim: queue is shut down",
		"1s idle get: sim: queue is shut down",
		"2s consumer got 1",
		"3s consumer got 2",
		"4s consumer get: sim: queue is shut down", // fails without waiting
		"4s joiner joined: <nil>",
	)
}

func TestQueueWokenGetterCancelledPassesTheItemOn(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[int](0)
	getter := func(name string) func(p *sim.Proc) (int, error) {
		return func(p *sim.Proc) (int, error) {
			v, err := q.Get(p)
			log.Add(name, "%d, %v", v, err)
			return v, err
		}
	}
	a := sim.Go(env, "a", getter("a"))
	sim.Go(env, "b", getter("b"))
	env.CallLater(time.Second, func() {
		q.PutNowait(7) // wakes a
		a.Cancel("unlucky")
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s a 0, cancelled: unlucky", "1s b 7, <nil>")
}

func TestQueueWokenPutterCancelledPassesTheRoomOn(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[string](1)
	q.PutNowait("x")
	putter := func(name string) func(p *sim.Proc) (int, error) {
		return func(p *sim.Proc) (int, error) {
			err := q.Put(p, name)
			log.Add(name, "%v", err)
			return 0, err
		}
	}
	a := sim.Go(env, "a", putter("a"))
	sim.Go(env, "b", putter("b"))
	env.CallLater(time.Second, func() {
		v, _ := q.GetNowait() // wakes a
		a.Cancel("unlucky")
		log.Add("cb", "got %s", v)
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "1s cb got x", "1s a cancelled: unlucky", "1s b <nil>")
	if v, err := q.GetNowait(); v != "b" || err != nil || !q.Empty() {
		t.Errorf("left %q, %v, len %d; want just b", v, err, q.Len())
	}
}

func TestQueueDeadlockReportNamesTheQueue(t *testing.T) {
	env, _ := newEnv(t)
	q := sim.NewPriorityQueue(0, func(a, b int) bool { return a < b })
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		_, err := q.Get(p)
		if !errors.Is(err, sim.ErrQueueShutdown) {
			t.Errorf("Get = %v; want ErrQueueShutdown", err)
		}
		return 0, nil
	})
	err := env.Run()
	if want := "sim: deadlock at 0s: no event is scheduled and 1 task(s) wait:\n\ttask \"c\" waits on a PriorityQueue (Get) #1 since 0s"; err == nil || err.Error() != want {
		t.Fatalf("Run = %v; want %q", err, want)
	}
	q.Shutdown(false)
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}

func TestQueueDoesNotAllocate(t *testing.T) {
	q := sim.NewQueue[int](64)
	for i := range 64 { // grow the ring to its bound
		q.PutNowait(i)
	}
	for range 60 {
		q.GetNowait()
	}
	if n := testing.AllocsPerRun(1000, func() {
		q.PutNowait(1)
		q.GetNowait()
	}); n != 0 {
		t.Errorf("PutNowait+GetNowait: %v allocs; want 0", n)
	}

	env, _ := newEnv(t)
	var n float64
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		n = testing.AllocsPerRun(1000, func() {
			q.Put(p, 1)
			q.Get(p)
		})
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("Put+Get: %v allocs; want 0", n)
	}
}

// Property: random producers and consumers, with random sleeps, random
// cancellations at random times and random timeouts on puts and gets, on a
// bounded FIFO queue never lose or duplicate an item, keep each producer's
// items in order, and leave no waiter behind once the producers are done and
// the queue is shut down. A put that times out is not counted as put; the
// producer goes on with its next item.
func TestQueueConservesItemsUnderCancellation(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		q := sim.NewQueue[int](rapid.IntRange(1, 3).Draw(rt, "maxsize"))
		var put, got []int
		var tasks []*sim.Task[int] // those that may be cancelled
		var producers []*sim.Task[int]
		// Tasks also cancel each other right after a put or a get, so that
		// a waiter is often cancelled after it was woken, before it resumes.
		cancelAfter := func(who string, k int) func(p *sim.Proc) {
			victims := rapid.SliceOfN(rapid.IntRange(-3, 5), 0, k).Draw(rt, who)
			return func(p *sim.Proc) {
				if len(victims) == 0 {
					return
				}
				v := victims[0]
				victims = victims[1:]
				if v >= 0 && len(tasks) > 0 {
					tasks[v%len(tasks)].Cancel("by " + p.Name())
				}
			}
		}
		for i := range rapid.IntRange(1, 3).Draw(rt, "producers") {
			sleeps := rapid.SliceOfN(rapid.IntRange(0, 2), 0, 6).Draw(rt, fmt.Sprint("psleeps", i))
			// -1: no timeout; else the put gives up after that many seconds.
			patience := rapid.SliceOfN(rapid.IntRange(-1, 2), len(sleeps), len(sleeps)).Draw(rt, fmt.Sprint("ppatience", i))
			cancel := cancelAfter(fmt.Sprint("pcancels", i), 6)
			task := sim.Go(env, fmt.Sprint("p", i), func(p *sim.Proc) (int, error) {
				for k, s := range sleeps {
					if err := p.Sleep(time.Duration(s) * time.Second); err != nil {
						return 0, err
					}
					item := i*1000 + k
					var err error
					if patience[k] < 0 {
						err = q.Put(p, item)
					} else {
						err = sim.Timeout(p, time.Duration(patience[k])*time.Second, func(*sim.Scope) error { return q.Put(p, item) })
						if errors.Is(err, sim.ErrTimeout) {
							continue
						}
					}
					if err != nil {
						return 0, err
					}
					put = append(put, item)
					cancel(p)
				}
				return 0, nil
			})
			producers = append(producers, task)
			tasks = append(tasks, task)
		}
		nc := rapid.IntRange(1, 3).Draw(rt, "consumers")
		for i := range nc {
			sleeps := rapid.SliceOfN(rapid.IntRange(0, 2), 1, 8).Draw(rt, fmt.Sprint("csleeps", i))
			// 0: no timeout; else the get gives up after that many seconds
			// and the consumer tries again. (A zero timeout would poll
			// without letting virtual time advance.)
			patience := rapid.SliceOfN(rapid.IntRange(0, 2), len(sleeps), len(sleeps)).Draw(rt, fmt.Sprint("cpatience", i))
			cancel := cancelAfter(fmt.Sprint("ccancels", i), 4)
			task := sim.Go(env, fmt.Sprint("c", i), func(p *sim.Proc) (int, error) {
				for k := 0; ; k++ {
					var v int
					var err error
					if pt := patience[k%len(patience)]; pt == 0 {
						v, err = q.Get(p)
					} else {
						err = sim.Timeout(p, time.Duration(pt)*time.Second, func(*sim.Scope) error {
							var gerr error
							v, gerr = q.Get(p)
							return gerr
						})
						if errors.Is(err, sim.ErrTimeout) {
							continue
						}
					}
					if errors.Is(err, sim.ErrQueueShutdown) {
						return 0, nil
					}
					if err != nil {
						return 0, err
					}
					got = append(got, v)
					cancel(p)
					err = p.Sleep(time.Duration(sleeps[k%len(sleeps)]) * time.Second)
					if err := q.TaskDone(); err != nil {
						rt.Fatal(err)
					}
					if err != nil {
						return 0, err
					}
				}
			})
			if i > 0 { // c0 is never cancelled, so the queue always drains
				tasks = append(tasks, task)
			}
		}
		// The closer waits for the producers, then for every item to be
		// processed, and shuts the queue down so the consumers stop.
		closer := sim.Go(env, "closer", func(p *sim.Proc) (int, error) {
			for _, pr := range producers {
				sim.Await(p, pr) // its error is its own business
			}
			if err := q.Join(p); err != nil {
				return 0, err
			}
			q.Shutdown(false)
			return 0, nil
		})
		for i := range rapid.IntRange(0, len(tasks)).Draw(rt, "cancels") {
			victim := tasks[rapid.IntRange(0, len(tasks)-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 8).Draw(rt, fmt.Sprint("at", i))) * time.Second
			env.CallAt(at, func() { victim.Cancel("") })
		}
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		if err := closer.Err(); err != nil {
			rt.Fatalf("closer: %v", err)
		}
		for _, task := range tasks {
			if !task.Done() {
				rt.Fatalf("%s not done", task.Name())
			}
		}
		var left []int
		for !q.Empty() {
			v, _ := q.GetNowait()
			left = append(left, v)
		}
		if len(left) != 0 {
			rt.Fatalf("left in the queue: %v", left)
		}
		// No loss, no duplication: got is a permutation of put.
		a, b := slices.Clone(put), slices.Clone(got)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			rt.Fatalf("put %v, got %v", put, got)
		}
		// FIFO per producer: got in put order; items of one producer
		// are numbered in the order it put them.
		last := map[int]int{}
		for _, v := range got {
			if l, ok := last[v/1000]; ok && v < l {
				rt.Fatalf("got %v: %d after %d", got, v, l)
			}
			last[v/1000] = v
		}
	})
}
