package resource_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// near fails t unless got is within tol of want.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %v, want %v (±%v)", what, got, want, tol)
	}
}

// meanAt reads a time-weighted mean.
func meanAt(_ *testing.T, m interface {
	MeanAt(time.Duration) float64
}, now time.Duration) float64 {
	return m.MeanAt(now)
}

// TestResourceStatsHandSchedule checks the statistics of a Resource(1)
// against values computed by hand.
//
//	a requests at 0s (granted at once), holds until 4s
//	b requests at 1s, granted at 4s (wait 3s), holds until 6s
//	c requests at 2s, granted at 6s (wait 4s), holds until 8s
//	d requests at 3s and is cancelled at 5s while it waits
//
// Queue length: 0 on [0,1), 1 on [1,2), 2 on [2,3), 3 on [3,4), 2 on
// [4,5) (b granted), 1 on [5,6) (d left), 0 on [6,10): its integral over
// [0,10s] is 1+2+3+2+1 = 9, a mean of 0.9.
// Units in use: 1 on [0,8), 0 on [8,10): utilisation 8/10 = 0.8.
// Waits of the served requests: 0, 3, 4 seconds: 3 served, mean 7/3.
func TestResourceStatsHandSchedule(t *testing.T) {
	env, _ := newEnv(t)
	r := resource.NewResource(1)
	if r.Stats() != nil {
		t.Fatal("Stats() is not nil before EnableStats")
	}
	st := r.EnableStats(env)
	if r.EnableStats(env) != st || r.Stats() != st {
		t.Fatal("EnableStats twice returned another Stats")
	}
	user := func(start, hold time.Duration) func(p *sim.Proc) (struct{}, error) {
		return func(p *sim.Proc) (struct{}, error) {
			if err := p.Sleep(start); err != nil {
				return struct{}{}, err
			}
			if err := r.Request(p); err != nil {
				return struct{}{}, nil // d leaves the queue
			}
			defer r.Release()
			return struct{}{}, p.Sleep(hold)
		}
	}
	sim.Go(env, "a", user(0, 4*time.Second))
	sim.Go(env, "b", user(time.Second, 2*time.Second))
	sim.Go(env, "c", user(2*time.Second, 2*time.Second))
	d := sim.Go(env, "d", user(3*time.Second, time.Second))
	env.CallLater(5*time.Second, func() { d.Cancel("impatient") })
	if err := env.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	now := env.Now()
	near(t, "mean queue length", meanAt(t, &st.QueueLength, now), 0.9, 1e-12)
	near(t, "utilisation", meanAt(t, &st.InUse, now), 0.8, 1e-12)
	if st.Served != 3 || st.Waits.Count() != 3 {
		t.Errorf("served %d, %d waits; want 3", st.Served, st.Waits.Count())
	}
	near(t, "mean wait", st.Waits.Mean(), 7.0/3, 1e-12)
	near(t, "max wait", st.Waits.Max(), 4, 0)

	// A new interval from 10s to 20s: idle, nothing waits.
	st.Reset()
	if err := env.RunUntil(20 * time.Second); err != nil {
		t.Fatal(err)
	}
	near(t, "queue length after Reset", meanAt(t, &st.QueueLength, env.Now()), 0, 0)
	near(t, "utilisation after Reset", meanAt(t, &st.InUse, env.Now()), 0, 0)
	if st.Served != 0 || st.Waits.Count() != 0 {
		t.Errorf("after Reset: served %d, %d waits; want 0", st.Served, st.Waits.Count())
	}
}

// TestPreemptiveResourceStatsHandSchedule checks the statistics of a
// PreemptiveResource(1) against values computed by hand; a preempted
// holder's grant still counts as served.
//
//	low  (priority 5) requests at 0s (granted at once) to hold 10s; preempted at 2s
//	high (priority 0) requests at 2s, preempts low (wait 0), holds until 5s
//	mid  (priority 3) requests at 3s, granted at 5s (wait 2s), holds until 6s
//
// Queue length: 1 on [3,5), 0 elsewhere on [0,10]: a mean of 0.2. Units in
// use: 1 on [0,6): 0.6. Waits: 0, 0, 2 seconds: 3 served, mean 2/3.
func TestPreemptiveResourceStatsHandSchedule(t *testing.T) {
	env, log := newEnv(t)
	r := resource.NewPreemptiveResource(1)
	st := r.EnableStats(env)
	user := func(name string, start, hold time.Duration, prio int) {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			if err := p.Sleep(start); err != nil {
				return struct{}{}, err
			}
			if err := r.RequestPriority(p, prio); err != nil {
				return struct{}{}, err
			}
			if err := p.Sleep(hold); err != nil {
				log.Add(name, "%v", err)
				return struct{}{}, nil // preempted: the unit is gone already
			}
			r.Release()
			return struct{}{}, nil
		})
	}
	user("low", 0, 10*time.Second, 5)
	user("high", 2*time.Second, 3*time.Second, 0)
	user("mid", 3*time.Second, time.Second, 3)
	if err := env.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "2s low sim: interrupted at 2s: preempted by task \"high\" (in use since 0s)")
	now := env.Now()
	near(t, "mean queue length", meanAt(t, &st.QueueLength, now), 0.2, 1e-12)
	near(t, "utilisation", meanAt(t, &st.InUse, now), 0.6, 1e-12)
	if st.Served != 3 || st.Waits.Count() != 3 {
		t.Errorf("served %d, %d waits; want 3", st.Served, st.Waits.Count())
	}
	near(t, "mean wait", st.Waits.Mean(), 2.0/3, 1e-12)
}

// TestResourceStatsLittlesLaw runs an M/M/1 queue (λ = 0.8/s, μ = 1/s)
// through a Resource(1) and checks Little's law on the built-in
// statistics: mean number waiting Lq = λ·Wq (Little 1961).
//
// The run ends when the last customer is served, so every wait lies inside
// [0, T] and the integral of the queue length is exactly the sum of the
// waits: Lq = (N/T)·mean(Wq) holds to rounding with the observed arrival
// rate N/T. With the nominal λ it holds up to the error of N/T as an
// estimate of λ, whose relative standard deviation is about 1/√N (Poisson
// arrivals), 0.45% for N = 50000: a 5% tolerance is more than ten standard
// deviations, and the run is seeded, so the test is deterministic.
func TestResourceStatsLittlesLaw(t *testing.T) {
	const (
		lambda = 0.8
		mu     = 1.0
		n      = 50000
	)
	env, _ := newEnv(t, sim.WithSeed(7))
	r := resource.NewResource(1)
	st := r.EnableStats(env)
	arrivals, services := env.Rand("arrivals"), env.Rand("services")
	seconds := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	sim.Go(env, "source", func(p *sim.Proc) (struct{}, error) {
		for range n {
			if err := p.Sleep(seconds(arrivals.ExpFloat64() / lambda)); err != nil {
				return struct{}{}, err
			}
			service := seconds(services.ExpFloat64() / mu)
			sim.Go(env, "customer", func(p *sim.Proc) (struct{}, error) {
				if err := r.Request(p); err != nil {
					return struct{}{}, err
				}
				defer r.Release()
				return struct{}{}, p.Sleep(service)
			})
		}
		return struct{}{}, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	end := env.Now()
	if st.Served != n {
		t.Fatalf("served %d, want %d", st.Served, n)
	}
	lq := meanAt(t, &st.QueueLength, end)
	wq := st.Waits.Mean()
	observed := float64(st.Served) / end.Seconds()
	near(t, "Lq / (observed rate × Wq)", lq/(observed*wq), 1, 1e-6)
	near(t, "Lq / (λ × Wq)", lq/(lambda*wq), 1, 0.05)
}

// TestQueueStats checks a Queue's statistics by hand, over [0, 10s]:
//
//	g gets at 0s and waits until p puts 1 at 2s (wait 2s)
//	p puts 2 at 3s and 3 at 4s; c gets both at 6s
//
// Queue length: 1 on [0,2), a mean of 0.2. Items held: 0 on [0,3) (1 is
// taken at 2s, the instant it is put), 1 on [3,4), 2 on [4,6), 0 after:
// integral 1+4 = 5, a mean of 0.5. Served: 3 puts (no wait) and 3 gets
// (waits 2, 0, 0): 6 requests, mean wait 1/3.
func TestQueueStats(t *testing.T) {
	env, log := newEnv(t)
	q := sim.NewQueue[int](0)
	st := q.EnableStats(env)
	sim.Go(env, "g", func(p *sim.Proc) (int, error) {
		v, err := q.Get(p)
		log.Add("g", "got %d", v)
		return v, err
	})
	sim.Go(env, "p", func(p *sim.Proc) (int, error) {
		for i, at := range []time.Duration{2, 3, 4} {
			if err := p.Sleep(at*time.Second - p.Now()); err != nil {
				return 0, err
			}
			if err := q.Put(p, i+1); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
	sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		if err := p.Sleep(6 * time.Second); err != nil {
			return 0, err
		}
		for range 2 {
			v, err := q.Get(p)
			if err != nil {
				return 0, err
			}
			log.Add("c", "got %d", v)
		}
		return 0, nil
	})
	if err := env.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "2s g got 1", "6s c got 2", "6s c got 3")
	near(t, "mean queue length", meanAt(t, &st.QueueLength, env.Now()), 0.2, 1e-12)
	near(t, "mean items held", meanAt(t, &st.InUse, env.Now()), 0.5, 1e-12)
	if st.Served != 6 {
		t.Errorf("served %d, want 6", st.Served)
	}
	near(t, "mean wait", st.Waits.Mean(), 1.0/3, 1e-12)
}

// TestStoreStats checks a Store's statistics by hand, over [0, 10s]:
//
//	a puts "a" at 0s into a Store(1); b's put of "b" at 0s waits (full)
//	c gets at 3s ("a"; b's put then goes in) and at 5s ("b")
//
// Queue length: 1 on [0,3), a mean of 0.3. Items held: 1 on [0,5) ("a",
// then "b" from the same instant 3s), a mean of 0.5. Served: 2 puts (waits
// 0 and 3s) and 2 gets (no wait): 4 requests, mean wait 0.75s.
func TestStoreStats(t *testing.T) {
	env, log := newEnv(t)
	s := resource.NewStore[string](1)
	st := s.EnableStats(env)
	for _, v := range []string{"a", "b"} {
		sim.Go(env, v, func(p *sim.Proc) (struct{}, error) { return struct{}{}, s.Put(p, v) })
	}
	sim.Go(env, "c", func(p *sim.Proc) (struct{}, error) {
		for _, at := range []time.Duration{3, 5} {
			if err := p.Sleep(at*time.Second - p.Now()); err != nil {
				return struct{}{}, err
			}
			v, err := s.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			log.Add("c", "got %s", v)
		}
		return struct{}{}, nil
	})
	if err := env.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "3s c got a", "5s c got b")
	near(t, "mean queue length", meanAt(t, &st.QueueLength, env.Now()), 0.3, 1e-12)
	near(t, "mean items held", meanAt(t, &st.InUse, env.Now()), 0.5, 1e-12)
	if st.Served != 4 {
		t.Errorf("served %d, want 4", st.Served)
	}
	near(t, "mean wait", st.Waits.Mean(), 0.75, 1e-12)
}

// TestContainerStats checks a Container's level and a cancelled get:
//
//	the container starts at level 5 of 10; g gets 8 at 0s and waits;
//	h gets 1 at 1s and waits behind g, and is cancelled at 2s;
//	p puts 4 at 4s, which serves g (wait 4s): the level goes 9, then 1.
//
// Over [0, 10s]: level 5 on [0,4), 1 on [4,10): mean (20+6)/10 = 2.6.
// Queue length 1 on [0,1), 2 on [1,2), 1 on [2,4): integral 1+2+2 = 5,
// mean 0.5. Served: g's get (4s) and p's put (0s): mean wait 2s.
func TestContainerStats(t *testing.T) {
	env, _ := newEnv(t)
	c := resource.NewContainer(10, 5)
	st := c.EnableStats(env)
	sim.Go(env, "g", func(p *sim.Proc) (struct{}, error) { return struct{}{}, c.Get(p, 8) })
	h := sim.Go(env, "h", func(p *sim.Proc) (struct{}, error) {
		if err := p.Sleep(time.Second); err != nil {
			return struct{}{}, err
		}
		if err := c.Get(p, 1); !errors.Is(err, sim.ErrCancelled) {
			t.Errorf("h: Get = %v, want a cancellation", err)
		}
		return struct{}{}, nil
	})
	env.CallLater(2*time.Second, func() { h.Cancel("impatient") })
	sim.Go(env, "p", func(p *sim.Proc) (struct{}, error) {
		if err := p.Sleep(4 * time.Second); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, c.Put(p, 4)
	})
	if err := env.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	near(t, "mean level", meanAt(t, &st.InUse, env.Now()), 2.6, 1e-12)
	near(t, "mean queue length", meanAt(t, &st.QueueLength, env.Now()), 0.5, 1e-12)
	if st.Served != 2 {
		t.Errorf("served %d, want 2", st.Served)
	}
	near(t, "mean wait", st.Waits.Mean(), 2, 1e-12)
}

// TestResourceNoStatsAllocatesNothing checks that a Request/Release cycle
// that does not wait allocates nothing when statistics are off.
func TestResourceNoStatsAllocatesNothing(t *testing.T) {
	env, _ := newEnv(t)
	r := resource.NewResource(1)
	var allocs float64
	sim.Go(env, "user", func(p *sim.Proc) (struct{}, error) {
		allocs = testing.AllocsPerRun(1000, func() {
			if err := r.Request(p); err != nil {
				t.Error(err)
			}
			r.Release()
		})
		return struct{}{}, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if allocs != 0 {
		t.Errorf("Request/Release allocates %v times per cycle; want 0", allocs)
	}
}

// Three customers arrive at once at a clerk who serves each for 2s: they
// wait 0, 2 and 4 seconds. Two wait on [0,2s) and one on [2s,4s), so the
// mean queue length over [0,6s] is (2·2+1·2)/6 = 1; the clerk is busy all
// the time.
func ExampleResource_EnableStats() {
	env := sim.New()
	defer env.Close()
	clerk := resource.NewResource(1)
	stats := clerk.EnableStats(env)
	for _, name := range []string{"ann", "bob", "cat"} {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			if err := clerk.Request(p); err != nil {
				return struct{}{}, err
			}
			defer clerk.Release()
			return struct{}{}, p.Sleep(2 * time.Second)
		})
	}
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	queue := stats.QueueLength.MeanAt(env.Now())
	busy := stats.InUse.MeanAt(env.Now())
	fmt.Println("served:", stats.Served)
	fmt.Printf("mean wait: %.1fs, max %.1fs\n", stats.Waits.Mean(), stats.Waits.Max())
	fmt.Printf("mean queue length: %.2f, utilisation: %.2f\n", queue, busy)
	// Output:
	// served: 3
	// mean wait: 2.0s, max 4.0s
	// mean queue length: 1.00, utilisation: 1.00
}
