package main

import (
	"fmt"
	"math"
	"testing"

	"github.com/fschuetz04/simgo"
)

// This file holds simgo v0.7.0's sides, in process style (simgo's
// processes are goroutines; its times are float64, one unit a second
// here). simgo has no resource, so mm1's server is written here the way
// SimPy's Resource works: a request that must wait is an event, which the
// release triggers.

// simgoHold is hold: pending processes, each looping on a Timeout of
// Exp(1). The simulation steps until the n-th firing; Shutdown, untimed,
// releases the processes.
func simgoHold(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	s := simgo.NewSimulation()
	defer s.Shutdown()
	woke := 0
	body := func(pr simgo.Process) {
		for {
			pr.Wait(pr.Timeout(r.ExpFloat64()))
			woke++
		}
	}
	sw := startWatch()
	for range p.pending {
		s.Process(body)
	}
	for woke < p.n && s.Step() {
	}
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}

// simgoServer is a FIFO server of capacity 1 for simgo processes.
type simgoServer struct {
	busy    bool
	waiting fifo[*simgo.Event]
}

// request returns when pr holds the server.
func (v *simgoServer) request(pr simgo.Process) {
	if !v.busy {
		v.busy = true
		return
	}
	ev := pr.Event()
	v.waiting.push(ev)
	pr.Wait(ev) // triggered by release, which hands the server over
}

// release hands the server to the next waiting request, now.
func (v *simgoServer) release() {
	if ev, ok := v.waiting.pop(); ok {
		ev.Trigger()
		return
	}
	v.busy = false
}

// simgoMM1 is mm1: a source process starts a process per customer, which
// requests a simgoServer, holds it Exp(μ) and releases it.
func simgoMM1(_ *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	s := simgo.NewSimulation()
	defer s.Shutdown()
	var server simgoServer
	var wait float64
	served := 0
	customer := func(pr simgo.Process) {
		arrived := pr.Now()
		server.request(pr)
		wait += pr.Now() - arrived
		pr.Wait(pr.Timeout(services.ExpFloat64() / mu))
		server.release()
		served++
	}
	sw := startWatch()
	s.Process(func(pr simgo.Process) {
		for range p.n {
			pr.Wait(pr.Timeout(arrivals.ExpFloat64() / lambda))
			pr.Process(customer)
		}
	})
	s.Run()
	sp := sw.stop()
	var err error
	if served != p.n {
		err = fmt.Errorf("simgo mm1: %d customers served of %d", served, p.n)
	}
	return result{events: 2 * served, span: sp, wq: wait / float64(served)}, err
}

// simgoPingpong is pingpong through two unbounded simgo.Stores. A put
// into an unbounded store succeeds at once, so no process waits on one.
func simgoPingpong(_ *testing.T, p params) (result, error) {
	s := simgo.NewSimulation()
	defer s.Shutdown()
	to, back := simgo.NewStore[int](s), simgo.NewStore[int](s)
	got := 0
	sw := startWatch()
	s.Process(func(pr simgo.Process) {
		for i := range p.n / 2 {
			to.Put(i)
			pr.Wait(back.Get())
			got++
		}
	})
	s.Process(func(pr simgo.Process) {
		for range p.n / 2 {
			g := to.Get()
			pr.Wait(g)
			got++
			back.Put(g.Item)
		}
	})
	s.Run()
	sp := sw.stop()
	return result{events: got, span: sp, wq: math.NaN()}, nil
}

// simgoSleepers is sleepers: n processes started at t = 0, each waiting on
// one Timeout of Exp(1).
func simgoSleepers(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	s := simgo.NewSimulation()
	defer s.Shutdown()
	woke := 0
	body := func(pr simgo.Process) {
		pr.Wait(pr.Timeout(r.ExpFloat64()))
		woke++
	}
	sw := startWatch()
	for range p.n {
		s.Process(body)
	}
	s.Run()
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}
