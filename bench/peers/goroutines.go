package main

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// This file holds the goroutine-per-process baseline: a process is a
// goroutine, and the scheduler (an eventHeap) hands control to it with an
// unbuffered channel and waits on another until it parks again, so that
// exactly one of them runs at a time. It is what a simulator built on
// plain goroutines pays for every process switch.

// gsched is the scheduler of the goroutine baseline.
type gsched struct {
	h    eventHeap
	back chan struct{} // a process hands control back to the scheduler
	done bool          // set when the run is over: processes then return
}

func newGsched() *gsched { return &gsched{back: make(chan struct{})} }

// gproc is a process of the goroutine baseline.
type gproc struct {
	s      *gsched
	wake   chan struct{}
	resume func() // the event that resumes the process
}

// spawn starts body as a new process, due now.
func (s *gsched) spawn(body func(p *gproc)) {
	p := &gproc{s: s, wake: make(chan struct{})}
	p.resume = func() {
		p.wake <- struct{}{}
		<-s.back
	}
	go func() {
		<-p.wake
		body(p)
		s.back <- struct{}{}
	}()
	s.h.schedule(0, p.resume)
}

// park hands control back to the scheduler until an event resumes p.
func (p *gproc) park() {
	p.s.back <- struct{}{}
	<-p.wake
}

// sleep suspends p for d.
func (p *gproc) sleep(d time.Duration) {
	p.s.h.schedule(d, p.resume)
	p.park()
}

// drain resumes the processes still due, each of which must return once
// it sees done.
func (s *gsched) drain() {
	s.done = true
	for s.h.step() {
	}
}

// goroutineHold is hold: pending processes, each looping sleep(Exp(1)).
// The processes still asleep after the n-th firing are released untimed.
func goroutineHold(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	s := newGsched()
	defer s.drain()
	woke := 0
	body := func(pr *gproc) {
		for !s.done {
			pr.sleep(expDur(r, 1))
			if !s.done {
				woke++
			}
		}
	}
	sw := startWatch()
	for range p.pending {
		s.spawn(body)
	}
	for woke < p.n && s.h.step() {
	}
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}

// gserver is a FIFO server of capacity 1 for goroutine processes.
type gserver struct {
	busy    bool
	waiting fifo[*gproc]
}

// request returns when p holds the server.
func (v *gserver) request(p *gproc) {
	if !v.busy {
		v.busy = true
		return
	}
	v.waiting.push(p)
	p.park() // resumed by release, holding the server
}

// release hands the server to the next waiting process, now.
func (v *gserver) release(s *gsched) {
	if next, ok := v.waiting.pop(); ok {
		s.h.schedule(0, next.resume)
		return
	}
	v.busy = false
}

// goroutineMM1 is mm1: a source process spawns a process per customer,
// which requests a gserver, holds it Exp(μ) and releases it.
func goroutineMM1(_ *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	s := newGsched()
	var server gserver
	var wait int64
	served := 0
	customer := func(pr *gproc) {
		arrived := s.h.now
		server.request(pr)
		wait += s.h.now - arrived
		pr.sleep(expDur(services, mu))
		server.release(s)
		served++
	}
	sw := startWatch()
	s.spawn(func(pr *gproc) {
		for range p.n {
			pr.sleep(expDur(arrivals, lambda))
			s.spawn(customer)
		}
	})
	for s.h.step() {
	}
	sp := sw.stop()
	var err error
	if served != p.n {
		err = fmt.Errorf("goroutines mm1: %d customers served of %d", served, p.n)
	}
	wq := time.Duration(wait).Seconds() / float64(served)
	return result{events: 2 * served, span: sp, wq: wq}, err
}

// gstore is an unbounded store for goroutine processes, with at most one
// waiting getter.
type gstore struct {
	items  fifo[int]
	getter *gproc
}

// put adds v and resumes the waiting getter, now.
func (st *gstore) put(s *gsched, v int) {
	st.items.push(v)
	if g := st.getter; g != nil {
		st.getter = nil
		s.h.schedule(0, g.resume)
	}
}

// get returns the oldest item, first waiting for one.
func (st *gstore) get(p *gproc) int {
	for {
		if v, ok := st.items.pop(); ok {
			return v
		}
		st.getter = p
		p.park()
	}
}

// goroutinePingpong is pingpong through two gstores.
func goroutinePingpong(_ *testing.T, p params) (result, error) {
	s := newGsched()
	var to, back gstore
	got := 0
	sw := startWatch()
	s.spawn(func(pr *gproc) {
		for i := range p.n / 2 {
			to.put(s, i)
			back.get(pr)
			got++
		}
	})
	s.spawn(func(pr *gproc) {
		for range p.n / 2 {
			v := to.get(pr)
			got++
			back.put(s, v)
		}
	})
	for s.h.step() {
	}
	sp := sw.stop()
	return result{events: got, span: sp, wq: math.NaN()}, nil
}

// goroutineSleepers is sleepers: n processes spawned at t = 0, each
// sleeping Exp(1) once.
func goroutineSleepers(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	s := newGsched()
	woke := 0
	body := func(pr *gproc) {
		pr.sleep(expDur(r, 1))
		woke++
	}
	sw := startWatch()
	for range p.n {
		s.spawn(body)
	}
	for s.h.step() {
	}
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}
