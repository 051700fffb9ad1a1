package main

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// This file holds the floor: a hand-written binary min-heap of value
// entries (no interface, no allocation per event, no bookkeeping beyond the
// order) and the four workloads on it in callback style. The goroutine
// baseline (goroutines.go) schedules on the same heap.

// event is an entry of eventHeap: a callback due at a virtual time, in
// nanoseconds; seq breaks ties first in, first out.
type event struct {
	at  int64
	seq uint64
	fn  func()
}

// before reports whether e is due before f.
func (e *event) before(f *event) bool {
	return e.at < f.at || e.at == f.at && e.seq < f.seq
}

// eventHeap is a binary min-heap of events with a clock.
type eventHeap struct {
	es  []event
	seq uint64
	now int64 // time of the event dispatched last
}

// schedule makes fn due d nanoseconds from now.
func (h *eventHeap) schedule(d time.Duration, fn func()) {
	e := event{at: h.now + int64(d), seq: h.seq, fn: fn}
	h.seq++
	h.es = append(h.es, e)
	es := h.es
	i := len(es) - 1
	for i > 0 {
		up := (i - 1) / 2
		if !e.before(&es[up]) {
			break
		}
		es[i] = es[up]
		i = up
	}
	es[i] = e
}

// step dispatches the next event: it advances the clock to its time and
// calls it. It returns false if no event is left.
func (h *eventHeap) step() bool {
	es := h.es
	if len(es) == 0 {
		return false
	}
	top := es[0]
	last := len(es) - 1
	e := es[last]
	es[last] = event{}
	es = es[:last]
	h.es = es
	if last > 0 {
		i := 0
		for {
			c := 2*i + 1
			if c >= last {
				break
			}
			if c+1 < last && es[c+1].before(&es[c]) {
				c++
			}
			if !es[c].before(&e) {
				break
			}
			es[i] = es[c]
			i = c
		}
		es[i] = e
	}
	h.now = top.at
	top.fn()
	return true
}

// heapHold is hold on the heap: every firing schedules the next one.
func heapHold(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	var h eventHeap
	fired := 0
	var fire func()
	fire = func() {
		fired++
		h.schedule(expDur(r, 1), fire)
	}
	sw := startWatch()
	for range p.pending {
		h.schedule(expDur(r, 1), fire)
	}
	for fired < p.n && h.step() {
	}
	sp := sw.stop()
	return result{events: fired, span: sp, wq: math.NaN()}, nil
}

// heapMM1 is mm1 in callback style: an arrival event schedules the next
// arrival and starts a service or joins the queue (the arrival times of
// the waiting customers); a departure starts the next service.
func heapMM1(_ *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	var h eventHeap
	var queue fifo[int64]
	busy := false
	arrived, served := 0, 0
	var wait int64
	var arrive, depart func()
	serve := func(since int64) {
		wait += h.now - since
		h.schedule(expDur(services, mu), depart)
	}
	arrive = func() {
		if arrived++; arrived < p.n {
			h.schedule(expDur(arrivals, lambda), arrive)
		}
		if busy {
			queue.push(h.now)
			return
		}
		busy = true
		serve(h.now)
	}
	depart = func() {
		served++
		if since, ok := queue.pop(); ok {
			serve(since)
			return
		}
		busy = false
	}
	sw := startWatch()
	h.schedule(expDur(arrivals, lambda), arrive)
	for h.step() {
	}
	sp := sw.stop()
	var err error
	if arrived != p.n || served != p.n {
		err = fmt.Errorf("typed-heap mm1: %d arrivals, %d departures, want %d", arrived, served, p.n)
	}
	wq := time.Duration(wait).Seconds() / float64(served)
	return result{events: arrived + served, span: sp, wq: wq}, err
}

// heapStore is an unbounded store of callbacks: a getter waits as a
// callback, which a put schedules now (one event per hand-off).
type heapStore struct {
	h      *eventHeap
	items  fifo[int]
	getter func()
}

// put adds v and schedules the waiting getter, if any.
func (s *heapStore) put(v int) {
	s.items.push(v)
	if g := s.getter; g != nil {
		s.getter = nil
		s.h.schedule(0, g)
	}
}

// get makes fn, which takes the item, run when there is one: now if there
// is one already.
func (s *heapStore) get(fn func()) {
	if s.items.len() > 0 {
		s.h.schedule(0, fn)
		return
	}
	s.getter = fn
}

// heapPingpong is pingpong in callback style through two heapStores.
func heapPingpong(_ *testing.T, p params) (result, error) {
	var h eventHeap
	to, back := &heapStore{h: &h}, &heapStore{h: &h}
	got, sent := 0, 0
	var ping, pong func()
	ping = func() { // a message came back, or the start
		if _, ok := back.items.pop(); ok {
			got++
		}
		if sent < p.n/2 {
			to.put(sent)
			sent++
			back.get(ping)
		}
	}
	pong = func() {
		v, _ := to.items.pop()
		got++
		back.put(v)
		to.get(pong)
	}
	sw := startWatch()
	to.get(pong)
	h.schedule(0, ping)
	for h.step() {
	}
	sp := sw.stop()
	return result{events: got, span: sp, wq: math.NaN()}, nil
}

// heapSleepers is sleepers in callback style: n wake-ups scheduled at
// t = 0, all of them the same callback.
func heapSleepers(_ *testing.T, p params) (result, error) {
	r := newRand(0)
	var h eventHeap
	woke := 0
	wake := func() { woke++ }
	sw := startWatch()
	for range p.n {
		h.schedule(expDur(r, 1), wake)
	}
	for h.step() {
	}
	sp := sw.stop()
	return result{events: woke, span: sp, wq: math.NaN()}, nil
}
