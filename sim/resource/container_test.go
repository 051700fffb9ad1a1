package resource_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// A tank of 100 holding 10: cars wait for fuel in the order they came (car4
// wants little but waits behind car2), a truck refills it and then waits
// for room for its second load.
func TestContainerTank(t *testing.T) {
	env, log := newEnv(t)
	tank := resource.NewContainer(100, 10)
	car := func(name string, at time.Duration, amount float64) {
		sim.Go(env, name, func(p *sim.Proc) (int, error) {
			if err := p.Sleep(at); err != nil {
				return 0, err
			}
			log.Add(name, "wants %v (level %v)", amount, tank.Level())
			if err := tank.Get(p, amount); err != nil {
				return 0, err
			}
			log.Add(name, "got %v (level %v)", amount, tank.Level())
			return 0, nil
		})
	}
	car("car1", 0, 40)
	car("car2", time.Second, 30)
	car("car4", time.Second, 5)
	car("car3", 5*time.Second, 10)
	sim.Go(env, "truck", func(p *sim.Proc) (int, error) {
		p.Sleep(2 * time.Second)
		for _, amount := range []float64{80, 90} {
			log.Add("truck", "puts %v (level %v)", amount, tank.Level())
			if err := tank.Put(p, amount); err != nil {
				return 0, err
			}
			log.Add("truck", "put %v (level %v)", amount, tank.Level())
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"0s car1 wants 40 (level 10)",
		"1s car2 wants 30 (level 10)",
		"1s car4 wants 5 (level 10)", // would fit, but waits behind car1 and car2
		"2s truck puts 80 (level 10)",
		"2s truck put 80 (level 90)", // serves car1, car2 and car4, who resume next
		"2s truck puts 90 (level 90)",
		"2s car1 got 40 (level 50)",
		"2s car2 got 30 (level 20)",
		"2s car4 got 5 (level 15)",
		"5s car3 wants 10 (level 15)",
		"5s car3 got 10 (level 5)",
		"5s truck put 90 (level 95)",
	)
	if tank.Capacity() != 100 {
		t.Errorf("Capacity = %v; want 100", tank.Capacity())
	}
}

// A served getter cancelled before it resumes leaves the level unchanged and
// passes its share on; a cancelled head of the line unblocks those behind.
func TestContainerCancelledWaiterPassesOn(t *testing.T) {
	env, log := newEnv(t)
	c := resource.NewContainer(10, 0)
	getter := func(name string, amount float64) *sim.Task[int] {
		return sim.Go(env, name, func(p *sim.Proc) (int, error) {
			err := c.Get(p, amount)
			log.Add(name, "get %v: %v (level %v)", amount, err, c.Level())
			return 0, nil
		})
	}
	a := getter("a", 5)
	getter("b", 5)
	big := getter("big", 8)
	getter("small", 1)
	sim.Go(env, "truck", func(p *sim.Proc) (int, error) {
		p.Sleep(time.Second)
		c.Put(p, 6) // serves a
		a.Cancel("unlucky")
		log.Add("truck", "put 6 (level %v)", c.Level())
		p.Sleep(time.Second)
		big.Interrupt("enough")
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t,
		"1s truck put 6 (level 6)",
		"1s a get 5: cancelled: unlucky (level 6)",
		"1s b get 5: <nil> (level 1)",
		"2s big get 8: sim: interrupted at 2s: enough (level 1)",
		"2s small get 1: <nil> (level 0)",
	)
}

func TestContainerArguments(t *testing.T) {
	for _, c := range []struct {
		capacity, init float64
		want           string
	}{
		{0, 0, "resource: NewContainer called with capacity 0; it must be positive (or math.Inf(1))"},
		{-1, 0, "resource: NewContainer called with capacity -1; it must be positive (or math.Inf(1))"},
		{math.NaN(), 0, "resource: NewContainer called with capacity NaN; it must be positive (or math.Inf(1))"},
		{10, -1, "resource: NewContainer called with init -1; it must be finite and between 0 and the capacity 10"},
		{10, 11, "resource: NewContainer called with init 11; it must be finite and between 0 and the capacity 10"},
		{math.Inf(1), math.Inf(1), "resource: NewContainer called with init +Inf; it must be finite and between 0 and the capacity +Inf"},
	} {
		mustPanic(t, c.want, func() { resource.NewContainer(c.capacity, c.init) })
	}
	env, _ := newEnv(t)
	c := resource.NewContainer(10, 5)
	sim.Go(env, "t", func(p *sim.Proc) (int, error) {
		for _, tc := range []struct {
			err  error
			want string
		}{
			{c.Put(p, 0), "resource: bad amount: Container.Put of 0: the amount must be positive and finite"},
			{c.Put(p, -2), "resource: bad amount: Container.Put of -2: the amount must be positive and finite"},
			{c.Get(p, math.NaN()), "resource: bad amount: Container.Get of NaN: the amount must be positive and finite"},
			{c.Get(p, math.Inf(1)), "resource: bad amount: Container.Get of +Inf: the amount must be positive and finite"},
			{c.Put(p, 11), "resource: bad amount: Container.Put of 11: the amount exceeds the capacity 10"},
		} {
			if !errors.Is(tc.err, resource.ErrBadAmount) || tc.err.Error() != tc.want {
				t.Errorf("got %v; want %q", tc.err, tc.want)
			}
		}
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if c.Level() != 5 {
		t.Errorf("Level = %v; want 5", c.Level())
	}

	// An unbounded container takes any finite amount at once.
	u := resource.NewContainer(math.Inf(1), 0)
	sim.Go(env, "u", func(p *sim.Proc) (int, error) { return 0, u.Put(p, 1e300) })
	if err := env.Run(); err != nil || u.Level() != 1e300 {
		t.Errorf("Run = %v, level %v; want nil, 1e300", err, u.Level())
	}
}

// Property: under random puts and gets, with random sleeps, cancellations
// and interrupts, the level is conserved (initial + total put - total got
// == final level) and stays between 0 and the capacity.
func TestContainerConservesLevel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		env := sim.New(sim.WithSeed(rapid.Uint64().Draw(rt, "seed")))
		defer env.Close()
		capacity := rapid.IntRange(1, 10).Draw(rt, "capacity")
		init := rapid.IntRange(0, capacity).Draw(rt, "init")
		c := resource.NewContainer(float64(capacity), float64(init))
		var put, got float64
		check := func(when string) {
			if l := c.Level(); l < 0 || l > c.Capacity() {
				rt.Fatalf("%s: level %v out of [0, %v]", when, l, c.Capacity())
			}
		}
		var tasks []*sim.Task[int]
		for i := range rapid.IntRange(1, 5).Draw(rt, "tasks") {
			ops := rapid.SliceOfN(rapid.IntRange(-capacity, capacity), 1, 6).Draw(rt, fmt.Sprint("ops", i))
			sleeps := rapid.SliceOfN(rapid.IntRange(0, 2), len(ops), len(ops)).Draw(rt, fmt.Sprint("sleeps", i))
			tasks = append(tasks, sim.Go(env, fmt.Sprint("t", i), func(p *sim.Proc) (int, error) {
				for k, op := range ops {
					err := p.Sleep(time.Duration(sleeps[k]) * time.Second)
					if errors.Is(err, sim.ErrCancelled) {
						return 0, err
					}
					switch {
					case err != nil: // interrupted in its sleep: skips this op
					case op > 0:
						if err = c.Put(p, float64(op)); err == nil {
							put += float64(op)
						}
					case op < 0:
						if err = c.Get(p, float64(-op)); err == nil {
							got += float64(-op)
						}
					}
					check(p.Name())
					if errors.Is(err, sim.ErrCancelled) {
						return 0, err
					}
					if err != nil && !errors.Is(err, sim.ErrInterrupted) {
						rt.Fatalf("%s: %v", p.Name(), err)
					}
				}
				return 0, nil
			}))
		}
		for i := range rapid.IntRange(0, 2*len(tasks)).Draw(rt, "stops") {
			victim := tasks[rapid.IntRange(0, len(tasks)-1).Draw(rt, fmt.Sprint("victim", i))]
			at := time.Duration(rapid.IntRange(0, 8).Draw(rt, fmt.Sprint("at", i))) * time.Second
			interrupt := rapid.Bool().Draw(rt, fmt.Sprint("interrupt", i))
			env.CallAt(at, func() {
				if interrupt {
					victim.Interrupt("stop")
				} else {
					victim.Cancel("")
				}
				check("callback")
			})
		}
		if err := env.Run(); err != nil && !errors.Is(err, sim.ErrDeadlock) {
			rt.Fatal(err)
		}
		if want := float64(init) + put - got; c.Level() != want {
			rt.Fatalf("level %v; want %v + %v - %v = %v", c.Level(), init, put, got, want)
		}
	})
}

// TestContainerFloatingPointResidue: ten puts of 0.1 into capacity 1 make a
// full container (the sum is 0.9999999999999999 in float64); a get of 1
// then succeeds at once instead of waiting forever (as it does in SimPy),
// and the level is exactly 0 afterwards.
func TestContainerFloatingPointResidue(t *testing.T) {
	env, log := newEnv(t)
	c := resource.NewContainer(1, 0)
	sim.Go(env, "filler", func(p *sim.Proc) (int, error) {
		for range 10 {
			if err := c.Put(p, 0.1); err != nil {
				return 0, err
			}
		}
		log.Add("filler", "level %v", c.Level())
		return 0, nil
	})
	sim.Go(env, "taker", func(p *sim.Proc) (int, error) {
		if err := c.Get(p, 1); err != nil {
			return 0, err
		}
		log.Add("taker", "took 1, level %v", c.Level())
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	log.Check(t, "0s filler level 1", "0s taker took 1, level 0")
}

// TestContainerRefusesOverflow: an unbounded container refuses a put that
// would make its level infinite.
func TestContainerRefusesOverflow(t *testing.T) {
	env, _ := newEnv(t)
	c := resource.NewContainer(math.Inf(1), math.MaxFloat64)
	task := sim.Go(env, "p", func(p *sim.Proc) (int, error) { return 0, c.Put(p, math.MaxFloat64) })
	_ = env.Run()
	want := "resource: bad amount: Container.Put of 1.7976931348623157e+308: the level 1.7976931348623157e+308 would overflow to +Inf"
	if err := task.Err(); !errors.Is(err, resource.ErrBadAmount) || err.Error() != want {
		t.Errorf("Put = %v; want %q", err, want)
	}
}
