package main

import (
	"fmt"
	"iter"
	"math"
	"testing"
	"time"
)

// This file holds the coroutine floor: the least a process-style engine
// built on iter.Pull coroutines can do. A process is an iter.Pull
// coroutine; the scheduler is the typed heap of heap.go, whose events
// resume a process by calling its next function; a process parks by
// yielding. A process that parks while no other hosts takes the heap's
// turns itself until its own resumption, as vtsim's tasks do (vtsim's
// docs/design.md, "Hosting"): the resumption of another process then
// costs one switch into it and one back, and its own none, instead of a
// switch out to the driver and one back in. There is nothing else: no
// task state, no cancellation, no checks, no result, no bookkeeping of
// live processes, and a coroutine whose body ended is kept for the next
// spawn with no limit. vtsim's tasks run on the same coroutines and
// switch as often, so no vtsim task workload can be faster than this
// side; the ratio of vtsim to it is what vtsim's task semantics cost.

// csched is the scheduler of the coroutine floor.
type csched struct {
	h        eventHeap
	idle     []*cproc // coroutines whose body ended, for the next spawn
	closing  bool     // set by close: parked processes then return
	stopping bool     // set by a workload's last event: the turns stop
	host     *cproc   // the parked process taking the heap's turns, or nil
	hostWoke bool     // the host's own resumption came up
}

// cproc is a process of the coroutine floor: a coroutine that runs one
// body after another.
type cproc struct {
	s      *csched
	body   func(p *cproc)
	next   func() (struct{}, bool)
	stop   func()
	yield  func(struct{}) bool
	resume func() // the event that resumes the process, made once a coroutine
}

// spawn starts body as a new process, due now, on an idle coroutine if
// there is one.
func (s *csched) spawn(body func(p *cproc)) *cproc {
	var p *cproc
	if n := len(s.idle); n > 0 {
		p = s.idle[n-1]
		s.idle[n-1] = nil
		s.idle = s.idle[:n-1]
	} else {
		p = &cproc{s: s}
		p.next, p.stop = iter.Pull(p.run)
		p.resume = func() {
			if s.host == p { // popped by p itself, hosting: it goes on
				s.hostWoke = true
				return
			}
			p.next()
		}
	}
	p.body = body
	s.h.schedule(0, p.resume)
	return p
}

// run is the coroutine's body: it runs the bodies it is given, one after
// the other, parking in the idle list between them.
func (p *cproc) run(yield func(struct{}) bool) {
	p.yield = yield
	for {
		p.body(p)
		p.body = nil
		if p.s.closing {
			return
		}
		p.s.idle = append(p.s.idle, p)
		if !yield(struct{}{}) {
			return
		}
	}
}

// park hands control back to the scheduler until an event resumes p. It
// returns false if the scheduler closed instead. If no process hosts, p
// takes the heap's turns itself until its own resumption comes up, or the
// workload stops, or no event is left.
func (p *cproc) park() bool {
	s := p.s
	if s.host == nil {
		s.host = p
		for !s.stopping && s.h.step() {
			if s.hostWoke {
				s.hostWoke, s.host = false, nil
				return true
			}
		}
		s.host = nil
	}
	return p.yield(struct{}{}) && !s.closing
}

// sleep suspends p for d; it returns false if the scheduler closed
// instead.
func (p *cproc) sleep(d time.Duration) bool {
	p.s.h.schedule(d, p.resume)
	return p.park()
}

// close stops the idle coroutines and the parked processes in live,
// whose bodies must return once park returns false.
func (s *csched) close(live []*cproc) {
	s.closing = true
	for _, p := range live {
		if p.body != nil {
			p.stop()
		}
	}
	for _, p := range s.idle {
		p.stop()
	}
	s.idle = nil
}

// coroutineHold is hold: pending processes, each looping sleep(Exp(1)).
// The processes still asleep after the n-th firing are stopped untimed.
func coroutineHold(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	var s csched
	woke := 0
	body := func(pr *cproc) {
		for pr.sleep(expDur(r, 1)) {
			if woke++; woke == p.n {
				s.stopping = true
			}
		}
	}
	live := make([]*cproc, 0, p.pending)
	sw := startWatch()
	for range p.pending {
		live = append(live, s.spawn(body))
	}
	for !s.stopping && s.h.step() {
	}
	sp := sw.stop()
	s.close(live)
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}

// cserver is a FIFO server of capacity 1 for coroutine processes.
type cserver struct {
	busy    bool
	waiting fifo[*cproc]
}

// request returns when p holds the server.
func (v *cserver) request(p *cproc) {
	if !v.busy {
		v.busy = true
		return
	}
	v.waiting.push(p)
	p.park() // resumed by release, holding the server
}

// release hands the server to the next waiting process, now.
func (v *cserver) release(s *csched) {
	if next, ok := v.waiting.pop(); ok {
		s.h.schedule(0, next.resume)
		return
	}
	v.busy = false
}

// coroutineMM1 is mm1: a source process spawns a process per customer,
// which requests a cserver, holds it Exp(μ) and releases it.
func coroutineMM1(_ *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	var s csched
	var server cserver
	var wait int64
	served := 0
	customer := func(pr *cproc) {
		arrived := s.h.now
		server.request(pr)
		wait += s.h.now - arrived
		pr.sleep(expDur(services, mu))
		server.release(&s)
		served++
	}
	sw := startWatch()
	s.spawn(func(pr *cproc) {
		for range p.n {
			pr.sleep(expDur(arrivals, lambda))
			s.spawn(customer)
		}
	})
	for s.h.step() {
	}
	sp := sw.stop()
	s.close(nil)
	var err error
	if served != p.n {
		err = fmt.Errorf("coroutines mm1: %d customers served of %d", served, p.n)
	}
	wq := time.Duration(wait).Seconds() / float64(served)
	return result{events: 2 * served, span: sp, wq: wq}, err
}

// cstore is an unbounded store for coroutine processes, with at most one
// waiting getter.
type cstore struct {
	items  fifo[int]
	getter *cproc
}

// put adds v and resumes the waiting getter, now.
func (st *cstore) put(s *csched, v int) {
	st.items.push(v)
	if g := st.getter; g != nil {
		st.getter = nil
		s.h.schedule(0, g.resume)
	}
}

// get returns the oldest item, first waiting for one.
func (st *cstore) get(p *cproc) int {
	for {
		if v, ok := st.items.pop(); ok {
			return v
		}
		st.getter = p
		p.park()
	}
}

// coroutinePingpong is pingpong through two cstores.
func coroutinePingpong(_ *testing.T, p params) (result, error) {
	var s csched
	var to, back cstore
	got := 0
	sw := startWatch()
	s.spawn(func(pr *cproc) {
		for i := range p.n / 2 {
			to.put(&s, i)
			back.get(pr)
			got++
		}
	})
	s.spawn(func(pr *cproc) {
		for range p.n / 2 {
			v := to.get(pr)
			got++
			back.put(&s, v)
		}
	})
	for s.h.step() {
	}
	sp := sw.stop()
	s.close(nil)
	return result{events: got, span: sp, wq: math.NaN()}, nil
}

// coroutineSleepers is sleepers: n processes spawned at t = 0, each
// sleeping Exp(1) once. Their coroutines, all idle at the end, are
// stopped untimed.
func coroutineSleepers(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	var s csched
	woke := 0
	body := func(pr *cproc) {
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
	s.close(nil)
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}
