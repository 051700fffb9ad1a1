package sim

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// ErrBehind matches the error of a strictly paced Run method whose model
// fell behind the wall clock (see WithPacing).
var ErrBehind = errors.New("sim: paced run fell behind the wall clock")

// ErrNotPaced is returned by Inject on an Env without WithPacing.
var ErrNotPaced = errors.New("sim: Env is not paced (see WithPacing)")

// WithPacing paces virtual time against the wall clock, for demos and
// hardware in the loop: each Run method dispatches an event no earlier than
// its virtual time divided by factor of real time after the method started
// (factor 1 is real time, 10 ten times faster). A paced RunUntil or RunFor
// waits, in real time, until its end; a paced Run returns when no event is
// left. Other goroutines hand callbacks to a paced run with Inject.
//
// With strict, a Run method stops and returns an error matching ErrBehind
// when it dispatches an event more than tolerance of real time after its
// paced instant: the model is slower than the pace. Without it, a late
// model runs late and catches up.
//
// Pacing is off by default; it and the watchdog are the only parts of the
// engine that read the real clock. WithPacing panics if factor is not
// positive and finite, or tolerance is negative.
func WithPacing(factor float64, strict bool, tolerance time.Duration) Option {
	if !(factor > 0) || math.IsInf(factor, 1) {
		panic(fmt.Sprintf("sim: WithPacing(%v): factor not positive and finite (allowed: 1 for real time, 10 for ten times faster...)", factor))
	}
	if tolerance < 0 {
		panic(fmt.Sprintf("sim: WithPacing: negative tolerance %v (allowed: 0 or more)", tolerance))
	}
	return func(c *config) {
		c.pace = &pacing{factor: factor, strict: strict, tol: tolerance, wake: make(chan struct{}, 1)}
	}
}

// pacing is the state of a paced Env.
type pacing struct {
	factor float64
	strict bool
	tol    time.Duration

	wall0 time.Time     // when the Run method started
	virt0 time.Duration // the virtual time then
	err   error         // ErrBehind of the last Run method

	mu    sync.Mutex
	inbox []func() // callbacks from Inject, not taken yet
	wake  chan struct{}
}

// Inject hands fn to the Env's paced run from any goroutine (asyncio's
// call_soon_threadsafe): the run takes it as it arrives, moves the virtual
// time to the wall clock's instant (paced), and runs fn there, after the
// events due then. A callback injected while no Run method runs is taken by
// the next one; after Close it never runs. Inject returns ErrNotPaced on an
// Env without WithPacing, and panics if fn is nil.
func (e *Env) Inject(fn func()) error {
	if fn == nil {
		panic("sim: Inject called with a nil function")
	}
	pc := e.cfg.pace // set by New, never written after: safe to read here
	if pc == nil {
		return ErrNotPaced
	}
	pc.mu.Lock()
	pc.inbox = append(pc.inbox, fn)
	pc.mu.Unlock()
	select {
	case pc.wake <- struct{}{}:
	default:
	}
	return nil
}

// wallAt returns the wall-clock instant of virtual time v.
func (pc *pacing) wallAt(v time.Duration) time.Time {
	d := float64(v-pc.virt0) / pc.factor
	if d >= math.MaxInt64 {
		d = math.MaxInt64
	}
	return pc.wall0.Add(time.Duration(d))
}

// virtAt returns the virtual time of wall-clock instant w.
func (pc *pacing) virtAt(w time.Time) time.Duration {
	v := float64(pc.virt0) + float64(w.Sub(pc.wall0))*pc.factor
	if v >= float64(MaxTime) {
		return MaxTime
	}
	return time.Duration(v)
}

// takeIn schedules the injected callbacks now.
func (pc *pacing) takeIn(e *Env) {
	pc.mu.Lock()
	fns := pc.inbox
	pc.inbox = nil
	pc.mu.Unlock()
	for _, fn := range fns {
		e.CallSoon(fn)
	}
}

// pacedLoop is loop for a paced Env: before each event it waits until the
// wall clock reaches the event's paced instant, taking injected callbacks
// meanwhile.
func (e *Env) pacedLoop(limit time.Duration) {
	pc := e.cfg.pace
	pc.wall0, pc.virt0, pc.err = time.Now(), e.now, nil
	if e.clk != nil {
		e.clk.settle()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for !e.stopping {
		pc.takeIn(e)
		target, more := limit, false
		if ent := e.events.Peek(); ent != nil && ent.At <= limit {
			target, more = ent.At, true
		} else if limit == MaxTime {
			return // a paced Run ends when no event is left
		}
		wait := time.Until(pc.wallAt(target))
		if wait > 0 {
			wd := e.wd // a wait for the pace is no stall: the watchdog rests meanwhile
			if wd != nil {
				wd.stop()
			}
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-pc.wake:
				timer.Stop()
			}
			if wd != nil {
				e.wd = startWatchdog(e)
			}
			e.now = max(e.now, min(pc.virtAt(time.Now()), target))
			continue
		}
		if !more {
			return // the wall clock reached limit
		}
		if late := -wait; pc.strict && late > pc.tol {
			pc.err = fmt.Errorf("%w: the event due at %v ran %v late (tolerance %v)", ErrBehind, target, late.Round(time.Microsecond), pc.tol)
			return
		}
		at, fn, _ := e.events.Next(limit)
		e.now = at
		if e.clk != nil {
			e.clk.dispatch(fn)
			continue
		}
		e.dispatch(fn)
	}
}

// pacingErr returns and forgets the ErrBehind of the last Run method.
func (e *Env) pacingErr() error {
	pc := e.cfg.pace
	if pc == nil {
		return nil
	}
	err := pc.err
	pc.err = nil
	return err
}
