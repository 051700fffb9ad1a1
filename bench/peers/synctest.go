package main

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// This file holds the testing/synctest sides: plain goroutines and
// time.Sleep inside a bubble, whose fake clock jumps to the next timer
// when every goroutine in it is blocked. Goroutines in a bubble run in
// parallel, so shared counters are atomic and hold's goroutines each draw
// from their own PCG stream (seed 42, stream 100+i). The time is measured
// outside the bubble, where the clock is real; it includes setting the
// bubble up and waiting for its goroutines to end. The bubble's main
// goroutine waits for the others (a bubble whose main goroutine returned
// no longer advances its clock).

// bubble runs f in a synctest bubble and returns what a stopwatch
// measured of it (in real time).
func bubble(t *testing.T, f func()) (span, error) {
	if t == nil {
		return span{}, errors.New("synctest: no *testing.T")
	}
	sw := startWatch()
	synctest.Test(t, func(*testing.T) { f() })
	return sw.stop(), nil
}

// synctestHold is hold: pending goroutines, each looping
// time.Sleep(Exp(1)). The n-th wake-up closes a channel made outside the
// bubble, where a goroutine reads the real time: the time stops there.
// Each other goroutine then ends at its next wake-up (pending-1 firings
// more, outside the time).
func synctestHold(t *testing.T, p params) (result, error) {
	var woke atomic.Int64
	reached := make(chan struct{})
	stopped := make(chan span, 1)
	sw := startWatch()
	go func() {
		<-reached
		stopped <- sw.stop()
	}()
	n := int64(p.n)
	_, err := bubble(t, func() {
		var wg sync.WaitGroup
		defer wg.Wait()
		for i := range p.pending {
			r := newRand(100 + uint64(i))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					time.Sleep(expDur(r, 1))
					switch w := woke.Add(1); {
					case w == n:
						close(reached)
						return
					case w > n:
						return
					}
				}
			}()
		}
	})
	if err != nil {
		return result{}, err
	}
	return result{events: int(min(woke.Load(), n)), span: <-stopped, wq: math.NaN()}, nil
}

// synctestMM1 is mm1: the bubble's main goroutine is the source and starts
// a goroutine per customer; the server is a channel of capacity 1, whose
// blocked senders are served first come, first served. The customer in
// service owns the wait sum and the service stream.
func synctestMM1(t *testing.T, p params) (result, error) {
	arrivals, services := newRand(1), newRand(2)
	var wait time.Duration
	served := 0
	sp, err := bubble(t, func() {
		server := make(chan struct{}, 1)
		var wg sync.WaitGroup
		customer := func() {
			defer wg.Done()
			arrived := time.Now()
			server <- struct{}{}
			wait += time.Since(arrived)
			time.Sleep(expDur(services, mu))
			served++
			<-server
		}
		for range p.n {
			time.Sleep(expDur(arrivals, lambda))
			wg.Add(1)
			go customer()
		}
		wg.Wait()
	})
	if err == nil && served != p.n {
		err = fmt.Errorf("synctest mm1: %d customers served of %d", served, p.n)
	}
	return result{events: 2 * served, span: sp, wq: wait.Seconds() / float64(served)}, err
}

// synctestPingpong is pingpong through two channels of capacity 1 (a send
// never blocks here, as a put into an unbounded store).
func synctestPingpong(t *testing.T, p params) (result, error) {
	var got atomic.Int64
	sp, err := bubble(t, func() {
		to, back := make(chan int, 1), make(chan int, 1)
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for range p.n / 2 {
				v := <-to
				n++
				back <- v
			}
			got.Add(int64(n))
		}()
		n := 0
		for i := range p.n / 2 {
			to <- i
			<-back
			n++
		}
		got.Add(int64(n))
	})
	return result{events: int(got.Load()), span: sp, wq: math.NaN()}, err
}

// synctestSleepers is sleepers: n goroutines started at t = 0, each
// sleeping Exp(1) once; the delays are drawn as the goroutines start.
func synctestSleepers(t *testing.T, p params) (result, error) {
	r := newRand(0)
	var woke atomic.Int64
	sp, err := bubble(t, func() {
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Add(p.n)
		for range p.n {
			d := expDur(r, 1)
			go func() {
				defer wg.Done()
				time.Sleep(d)
				woke.Add(1)
			}()
		}
	})
	return result{events: int(woke.Load()), span: sp, wq: math.NaN()}, err
}
