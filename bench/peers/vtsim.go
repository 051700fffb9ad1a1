package main

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// This file holds vtsim's sides: callbacks (hold only, Env.CallLater) and
// tasks (sim.Go, or sim.Spawn for mm1's customers and the sleepers, and Proc.Sleep;
// resource.NewResource for mm1; resource.NewStore and
// sim.NewQueue for pingpong). Each Env has vtsim's default options, as a
// user gets them. Closing the Env, which unwinds the tasks still asleep,
// is not timed.

// vtsimHoldCallbacks is hold in callback style: every firing schedules the
// next one with CallLater; the n-th stops the Env.
func vtsimHoldCallbacks(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	env := sim.New()
	defer env.Close()
	fired := 0
	var fire func()
	fire = func() {
		if fired++; fired == p.n {
			env.Stop()
			return
		}
		env.CallLater(expDur(r, 1), fire)
	}
	sw := startWatch()
	for range p.pending {
		env.CallLater(expDur(r, 1), fire)
	}
	err := env.Run()
	sp := sw.stop()
	return result{events: fired, span: sp, wq: math.NaN()}, err
}

// vtsimHoldTasks is hold in task style: pending tasks, each looping
// Sleep(Exp(1)); the n-th wake-up stops the Env.
func vtsimHoldTasks(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	env := sim.New()
	defer env.Close()
	woke := 0
	body := func(pr *sim.Proc) (struct{}, error) {
		for {
			if err := pr.Sleep(expDur(r, 1)); err != nil {
				return struct{}{}, err
			}
			if woke++; woke == p.n {
				env.Stop()
			}
		}
	}
	sw := startWatch()
	for range p.pending {
		sim.Go(env, "holder", body)
	}
	err := env.Run()
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, err
}

// vtsimMM1 is mm1 with a source task that starts one task per customer;
// the customer requests a sim.Resource of capacity 1, holds it Exp(μ) and
// releases it. The customers are started with sim.Spawn, as a user would
// write it: nobody awaits a customer or reads its result.
func vtsimMM1(_ *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	env := sim.New()
	defer env.Close()
	server := resource.NewResource(1)
	var wait time.Duration
	served := 0
	customer := func(pr *sim.Proc) error {
		arrived := pr.Now()
		if err := server.Request(pr); err != nil {
			return err
		}
		wait += pr.Now() - arrived
		err := pr.Sleep(expDur(services, mu))
		server.Release()
		served++
		return err
	}
	sw := startWatch()
	sim.Go(env, "source", func(pr *sim.Proc) (struct{}, error) {
		for range p.n {
			if err := pr.Sleep(expDur(arrivals, lambda)); err != nil {
				return struct{}{}, err
			}
			sim.Spawn(env, "customer", customer)
		}
		return struct{}{}, nil
	})
	err := env.Run()
	sp := sw.stop()
	if served != p.n {
		err = errors.Join(err, fmt.Errorf("vtsim mm1: %d customers served of %d", served, p.n))
	}
	return result{events: 2 * served, span: sp, wq: wait.Seconds() / float64(served)}, err
}

// vtsimPingpongStore is pingpong through two unbounded resource.Stores:
// ping puts into to and gets from back, pong gets from to and puts into
// back; each Get that returns is one hand-off. It and vtsimPingpongQueue
// are the same code on two types, written out rather than generic: a
// generic function over the two pointer types would call their methods
// through its dictionary, indirectly, which no user's code does (about 6%
// of a hand-off).
func vtsimPingpongStore(_ *testing.T, p params) (result, error) {
	to, back := resource.NewStore[int](0), resource.NewStore[int](0)
	env := sim.New()
	defer env.Close()
	got := 0
	sw := startWatch()
	sim.Go(env, "ping", func(pr *sim.Proc) (struct{}, error) {
		for i := range p.n / 2 {
			if err := to.Put(pr, i); err != nil {
				return struct{}{}, err
			}
			if _, err := back.Get(pr); err != nil {
				return struct{}{}, err
			}
			got++
		}
		return struct{}{}, nil
	})
	sim.Go(env, "pong", func(pr *sim.Proc) (struct{}, error) {
		for range p.n / 2 {
			v, err := to.Get(pr)
			if err != nil {
				return struct{}{}, err
			}
			got++
			if err := back.Put(pr, v); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	err := env.Run()
	sp := sw.stop()
	return result{events: got, span: sp, wq: math.NaN()}, err
}

// vtsimPingpongQueue is vtsimPingpongStore through two unbounded
// sim.Queues.
func vtsimPingpongQueue(_ *testing.T, p params) (result, error) {
	to, back := sim.NewQueue[int](0), sim.NewQueue[int](0)
	env := sim.New()
	defer env.Close()
	got := 0
	sw := startWatch()
	sim.Go(env, "ping", func(pr *sim.Proc) (struct{}, error) {
		for i := range p.n / 2 {
			if err := to.Put(pr, i); err != nil {
				return struct{}{}, err
			}
			if _, err := back.Get(pr); err != nil {
				return struct{}{}, err
			}
			got++
		}
		return struct{}{}, nil
	})
	sim.Go(env, "pong", func(pr *sim.Proc) (struct{}, error) {
		for range p.n / 2 {
			v, err := to.Get(pr)
			if err != nil {
				return struct{}{}, err
			}
			got++
			if err := back.Put(pr, v); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	err := env.Run()
	sp := sw.stop()
	return result{events: got, span: sp, wq: math.NaN()}, err
}

// vtsimSleepers is sleepers: n tasks started at t = 0, each sleeping
// Exp(1) once. They are started with sim.Spawn, as a user would write it:
// nobody awaits a sleeper, and a spawned task has no future (224 bytes
// instead of a Task's 320).
func vtsimSleepers(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	env := sim.New()
	defer env.Close()
	woke := 0
	body := func(pr *sim.Proc) error {
		err := pr.Sleep(expDur(r, 1))
		woke++
		return err
	}
	sw := startWatch()
	for range p.n {
		sim.Spawn(env, "sleeper", body)
	}
	err := env.Run()
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, err
}
