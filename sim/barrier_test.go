package sim_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
)

// arrive returns a task body that sleeps until at, waits at b and logs the
// arrival index or the error.
func arrive(log *tlog, b *sim.Barrier, name string, at time.Duration) func(p *sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) {
		if err := p.SleepUntil(at); err != nil {
			return 0, err
		}
		i, err := b.Wait(p)
		if err != nil {
			log.Add(name, "%v", err)
		} else {
			log.Add(name, "index %d", i)
		}
		return i, err
	}
}

func TestBarrierReleasesAllAtTheLastArrival(t *testing.T) {
	env, log := newEnv(t)
	b := sim.NewBarrier(3)
	sim.Go(env, "a", arrive(log, b, "a", time.Second))
	sim.Go(env, "b", arrive(log, b, "b", 2*time.Second))
	sim.Go(env, "c", arrive(log, b, "c", 3*time.Second))
	env.CallAt(2500*time.Millisecond, func() { log.Add("cb", "%d waiting", b.NWaiting()) })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2.5s cb 2 waiting",
		"3s c index 2", // the last to arrive goes on without waiting
		"3s a index 0",
		"3s b index 1",
	)
	if b.Parties() != 3 || b.NWaiting() != 0 || b.Broken() {
		t.Errorf("Parties %d, NWaiting %d, Broken %v", b.Parties(), b.NWaiting(), b.Broken())
	}
}

func TestBarrierReusedOverTwoRounds(t *testing.T) {
	env, log := newEnv(t)
	b := sim.NewBarrier(2)
	for _, w := range []struct {
		name string
		gap  time.Duration
	}{{"a", time.Second}, {"b", 2 * time.Second}} {
		sim.Go(env, w.name, func(p *sim.Proc) (int, error) {
			for round := range 2 {
				p.Sleep(w.gap)
				i, err := b.Wait(p)
				log.Add(w.name, "round %d: index %d, %v", round, i, err)
			}
			return 0, nil
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"2s b round 0: index 1, <nil>",
		"2s a round 0: index 0, <nil>",
		"4s b round 1: index 1, <nil>",
		"4s a round 1: index 0, <nil>",
	)
}

func TestBarrierArrivalsWhileDrainingWait(t *testing.T) {
	// b releases the barrier and at once waits again, before a has left:
	// b waits for the draining to end and starts the next round.
	env, log := newEnv(t)
	b := sim.NewBarrier(2)
	for _, w := range []struct {
		name string
		at   time.Duration
	}{{"a", 0}, {"b", time.Second}} {
		sim.Go(env, w.name, func(p *sim.Proc) (int, error) {
			p.SleepUntil(w.at)
			for round := range 2 {
				i, err := b.Wait(p)
				log.Add(w.name, "round %d: index %d, %v", round, i, err)
			}
			return 0, nil
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s b round 0: index 1, <nil>",
		"1s a round 0: index 0, <nil>",
		"1s b round 1: index 1, <nil>",
		"1s a round 1: index 0, <nil>",
	)
}

func TestBarrierAbort(t *testing.T) {
	env, log := newEnv(t)
	b := sim.NewBarrier(3)
	sim.Go(env, "a", arrive(log, b, "a", 0))
	sim.Go(env, "b", arrive(log, b, "b", time.Second))
	sim.Go(env, "c", arrive(log, b, "c", 3*time.Second))
	env.CallAt(2*time.Second, func() { b.Abort(); log.Add("cb", "abort") })
	env.CallAt(4*time.Second, func() { b.Reset(); log.Add("cb", "reset: broken %v", b.Broken()) })
	sim.Go(env, "d", arrive(log, b, "d", 5*time.Second))
	sim.Go(env, "e", arrive(log, b, "e", 5*time.Second))
	sim.Go(env, "f", arrive(log, b, "f", 5*time.Second))
	if err := env.Run(); err == nil || !errors.Is(err, sim.ErrBrokenBarrier) {
		t.Fatalf("Run = %v; want the unread ErrBrokenBarrier", err)
	}
	log.Check(t,
		"2s cb abort",
		"2s a sim: Barrier is broken",
		"2s b sim: Barrier is broken",
		"3s c sim: Barrier is broken", // arrives at a broken barrier
		"4s cb reset: broken false",
		"5s f index 2",
		"5s d index 0",
		"5s e index 1",
	)
}

func TestBarrierResetBreaksTheWaitersAndArrivalsWaitForThem(t *testing.T) {
	env, log := newEnv(t)
	b := sim.NewBarrier(3)
	// The callback runs at 1s before c's step, and c before a and b resume.
	env.CallAt(time.Second, func() { b.Reset(); log.Add("cb", "reset: %d waiting", b.NWaiting()) })
	ta := sim.Go(env, "a", arrive(log, b, "a", 0))
	tb := sim.Go(env, "b", arrive(log, b, "b", 0))
	sim.Go(env, "c", arrive(log, b, "c", time.Second))
	sim.Go(env, "d", arrive(log, b, "d", 2*time.Second))
	sim.Go(env, "e", arrive(log, b, "e", 3*time.Second))
	if err := env.Run(); err == nil || !errors.Is(err, sim.ErrBrokenBarrier) {
		t.Fatalf("Run = %v; want the unread ErrBrokenBarrier", err)
	}
	log.Check(t,
		"1s cb reset: 0 waiting",
		"1s a sim: Barrier is broken",
		"1s b sim: Barrier is broken",
		"3s e index 2", // c waited for a and b to leave, then was first
		"3s c index 0",
		"3s d index 1",
	)
	for _, task := range []*sim.Task[int]{ta, tb} {
		if err := task.Err(); !errors.Is(err, sim.ErrBrokenBarrier) {
			t.Errorf("%s: %v", task.Name(), err)
		}
	}
}

func TestBarrierCancelledWhileFillingLeavesTheCount(t *testing.T) {
	env, log := newEnv(t)
	b := sim.NewBarrier(3)
	ta := sim.Go(env, "a", arrive(log, b, "a", 0))
	sim.Go(env, "b", arrive(log, b, "b", time.Second))
	report := func() { log.Add("cb", "%d waiting", b.NWaiting()) }
	env.CallAt(1500*time.Millisecond, report)
	env.CallAt(2*time.Second, func() { ta.Cancel("gone") })
	env.CallAt(2500*time.Millisecond, report)
	sim.Go(env, "c", arrive(log, b, "c", 3*time.Second))
	env.CallAt(3500*time.Millisecond, report)
	sim.Go(env, "d", arrive(log, b, "d", 4*time.Second))
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	// As in asyncio, the index is the count at arrival: c gets 1 again.
	log.Check(t,
		"1.5s cb 2 waiting",
		"2s a cancelled: gone",
		"2.5s cb 1 waiting",
		"3.5s cb 2 waiting",
		"4s d index 2",
		"4s b index 1",
		"4s c index 1",
	)
}

func TestBarrierReleasedThenCancelled(t *testing.T) {
	// A waiter cancelled after the release, before it resumes, gets the
	// cancellation; the others are released all the same and the barrier
	// is ready for the next round.
	env, log := newEnv(t)
	b := sim.NewBarrier(3)
	ta := sim.Go(env, "a", arrive(log, b, "a", 0))
	sim.Go(env, "b", arrive(log, b, "b", 0))
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		i, err := b.Wait(p)
		ta.Cancel("unlucky")
		log.Add("c", "index %d, %v; cancel a", i, err)
		return i, err
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s c index 2, <nil>; cancel a",
		"1s a cancelled: unlucky",
		"1s b index 1",
	)
	if b.NWaiting() != 0 || b.Broken() {
		t.Errorf("NWaiting %d, Broken %v", b.NWaiting(), b.Broken())
	}
}

func TestBarrierMisuse(t *testing.T) {
	mustPanic(t, "sim: NewBarrier(0): parties must be 1 or more", func() { sim.NewBarrier(0) })
	env, _ := newEnv(t)
	b := sim.NewBarrier(1)
	task := sim.Go(env, "alone", func(p *sim.Proc) (int, error) { return b.Wait(p) })
	if i, err := sim.RunUntilComplete(env, task); i != 0 || err != nil {
		t.Fatalf("Wait with one party = %d, %v", i, err)
	}
	mustPanic(t, "Barrier.Wait", func() { b.Wait(task.Proc()) })
}

// Property: tasks arriving at random times, with random cancellations,
// resets and aborts, each end with an index in [0, parties), a broken
// barrier error or a cancellation; and once every task is done no one is
// left counted in the barrier: after a Reset, a fresh round of parties
// tasks passes with indexes 0 to parties-1.
func TestBarrierUnderCancellation(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New()
		defer env.Close()
		parties := rapid.IntRange(1, 4).Draw(rt, "parties")
		b := sim.NewBarrier(parties)
		n := rapid.IntRange(1, 10).Draw(rt, "tasks")
		var tasks []*sim.Task[int]
		for i := range n {
			at := time.Duration(rapid.IntRange(0, 4).Draw(rt, fmt.Sprint("at", i))) * time.Second
			tasks = append(tasks, sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				if err := p.SleepUntil(at); err != nil {
					return 0, err
				}
				i, err := b.Wait(p)
				if err == nil && (i < 0 || i >= parties) {
					rt.Fatalf("index %d of %d parties", i, parties)
				}
				if err != nil && !errors.Is(err, sim.ErrBrokenBarrier) && !errors.Is(err, sim.ErrCancelled) {
					rt.Fatalf("Wait: %v", err)
				}
				return i, nil
			}))
		}
		for i := range rapid.IntRange(0, n).Draw(rt, "cancels") {
			victim := tasks[rapid.IntRange(0, n-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 5).Draw(rt, fmt.Sprint("cancel", i))) * time.Second
			env.CallAt(at, func() { victim.Cancel("") })
		}
		for i := range rapid.IntRange(0, 2).Draw(rt, "resets") {
			at := time.Duration(rapid.IntRange(0, 5).Draw(rt, fmt.Sprint("reset", i))) * time.Second
			if rapid.Bool().Draw(rt, fmt.Sprint("abort", i)) {
				env.CallAt(at, b.Abort)
			} else {
				env.CallAt(at, b.Reset)
			}
		}
		// Waiters left when arrivals stop are released by a final abort.
		env.CallAt(10*time.Second, b.Abort)
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
		for _, task := range tasks {
			if !task.Done() {
				rt.Fatalf("%s not done", task.Name())
			}
		}
		b.Reset()
		if b.NWaiting() != 0 || b.Broken() {
			rt.Fatalf("after Reset: NWaiting %d, Broken %v", b.NWaiting(), b.Broken())
		}
		seen := make([]bool, parties)
		for i := range parties {
			sim.Go(env, fmt.Sprint("fresh", i), func(p *sim.Proc) (int, error) {
				i, err := b.Wait(p)
				if err != nil || seen[i] {
					rt.Fatalf("fresh round: index %d, %v (seen %v)", i, err, seen)
				}
				seen[i] = true
				return i, nil
			})
		}
		if err := env.Run(); err != nil {
			rt.Fatal(err)
		}
	})
}
