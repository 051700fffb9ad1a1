package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"
)

var _ clock.Clock = (*envClock)(nil)

// Clock returns the Env's clock: a [clock.Clock] (github.com/benbjohnson/clock)
// on virtual time, for testing code written against that interface. Calls
// with the same Env return the same clock. Its methods must be called on the
// Env's goroutine (from the driver, a callback or a task), and so must the
// Stop and Reset methods of its timers and tickers.
//
// Now returns [Env.Time]; Since and Until measure from it. Sleep suspends the
// calling task as [Proc.Sleep] does; it panics when called outside a task
// (from the driver or a callback, or another goroutine). Timer, After,
// AfterFunc, Ticker and Tick return the library's own *clock.Timer and
// *clock.Ticker types, with working Stop and Reset (see the differences below);
// the timers fire at their virtual deadlines, as events of the Env.
// WithTimeout and WithDeadline return contexts that the Env cancels at the
// virtual deadline (Err is context.DeadlineExceeded).
//
// # Order
//
// A timer is an event of the Env: timers due at the same instant fire in the
// order they were armed (created, or Reset), among the other events due
// then, and with [github.com/vtsim/vtsim/scheduler.Random] that order is
// permuted by the tie-break like every other event's. A Reset counts as arming the timer at the end of the task step or
// callback that called it; a Reset that leaves the deadline unchanged keeps
// the timer's place.
//
// # Differences from the library
//
//   - An AfterFunc function runs on the run loop, as a callback of the Env
//     (see [Env.CallLater]), not in a goroutine of its own: it must not
//     block, and it may not call Sleep.
//   - A Timer or After with a duration of 0 or less has fired when it
//     returns, its time in C; AfterFunc's function runs after the current
//     event (at the same virtual time).
//   - Stop and Reset report what time.Timer's do since Go 1.23 (the
//     library's real clock): a timer that fired stays pending until its
//     value is read, so Stop and Reset report true then and discard the
//     value. The Env sees a Stop or Reset only at the end of the event that
//     called it: until then a receive still finds the discarded value, and
//     a Reset to 0 or less fires then, not at once. A value read with a
//     plain receive (rather than Recv or Select) counts as read then too.
//   - A timer's channel holds one value; a ticker drops its tick while the
//     previous one is unread, as time.Ticker does.
//   - A context that package context derives from one of WithDeadline's
//     (with WithCancel, say) reports context.Canceled when the deadline
//     passes, with context.Cause DeadlineExceeded.
//   - Ticker and Tick panic for a non-positive interval, as time.NewTicker
//     does (the library's Mock accepts it); Ticker.Reset with one panics
//     in the run loop.
//   - A task waits for a timer's channel or a context's Done with [Recv] or
//     [Select], not with a plain receive, which would block the run loop.
//
// Driving the Env (Run, RunFor, RunUntil, Step) takes the place of the
// library's Mock.Add and Mock.Set. An unstopped Ticker keeps Run from
// returning: use RunFor or RunUntil, or stop it.
//
// # Cost
//
// An Env with no clock and no channel wait pays one nil check an event.
// Once it has one, each event also checks every live timer and ticker of the
// clock for a Stop or Reset done by the event (a few loads each), and tries
// the channels of every task waiting in Recv or Select. A timer is live from
// when it is armed until it is stopped, or it fired and its value was read
// (After's timers and Tick's tickers, which nothing can stop or reset, are
// never checked). Firing a timer costs about as much as a task switch.
//
// Clock panics on a closed Env, and if the linked github.com/benbjohnson/clock
// is not v1.3.5, whose unexported layout the Env reads (a clear panic, once
// per Env).
func (e *Env) Clock() clock.Clock {
	e.check("Clock")
	c := e.hook()
	if c.mock == nil {
		tabs := checkClockLayout()
		c.mock = clock.NewMock()
		c.mv = viewMock(c.mock)
		c.tabs = tabs
		c.mv.now = e.cfg.start.Add(e.now)
		c.mockAt = e.now
	}
	return (*envClock)(c)
}

// hook returns the Env's clock hook, creating it on first use.
func (e *Env) hook() *clockHook {
	if e.clk == nil {
		e.clk = &clockHook{env: e}
	}
	return e.clk
}

// clockHook is the part of an Env that exists once it has a clock or a
// channel wait: the clock's registry of timers and the tasks waiting in Recv
// or Select. The run loop calls it around each event.
type clockHook struct {
	env    *Env
	mock   *clock.Mock // the registry the library's timers point to; nil until Clock
	mv     *mockView
	tabs   clockTabs
	mockAt time.Duration // the virtual time mv.now shows
	live   []*clockRec   // timers and tickers armed, and timers fired with their value unread
	chans  []*chanWait   // Recv and Select waits to try, oldest first
}

// envClock is the Env's clock.Clock.
type envClock clockHook

// clockRec is the Env's record of one of its clock's timers or tickers,
// kept next to the library's value (see clockTimer and clockTicker).
type clockRec struct {
	hook    *clockHook
	next    *time.Time     // the library's deadline field
	stopped *bool          // the library's stopped field
	period  *time.Duration // a ticker's interval; nil for a timer
	c       chan time.Time
	fn      func() // an AfterFunc's function
	at      time.Time
	h       Handle // the pending event, for a deadline at
	idx     int    // index in hook.live, or -1
	fired   bool   // a timer that fired; its value is unread
	fixed   bool   // After's timer or Tick's ticker: nobody can stop or reset it
	fire    func() // fireEvent, made once
}

// clockTimer is a clock.Timer with its record; the library's value comes
// first, so that the pointer the Mock registers is the clockTimer's.
type clockTimer struct {
	t clock.Timer
	clockRec
}

// clockTicker is a clock.Ticker with its record.
type clockTicker struct {
	t clock.Ticker
	clockRec
}

// Now returns the Env's virtual time as a wall-clock instant (Env.Time).
func (c *envClock) Now() time.Time {
	c.env.check("Clock.Now")
	return c.env.Time()
}

// Since returns the virtual time elapsed since t.
func (c *envClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until returns the virtual time left until t.
func (c *envClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// Sleep suspends the calling task for d of virtual time (Proc.Sleep); a
// negative d counts as 0. A cancellation or interrupt that arrives while it
// sleeps ends the sleep early and is delivered again by the task's next
// wait, since Sleep cannot return it. It panics outside a task.
func (c *envClock) Sleep(d time.Duration) {
	e := c.env
	p := e.current
	if p == nil {
		e.check("Clock.Sleep")
		panic("sim: Clock.Sleep called outside any task (from the driver or a callback); waits may only be called from a task's own body")
	}
	if d > MaxTime-e.now {
		d = MaxTime - e.now
	}
	if err := p.Sleep(d); err != nil {
		p.redeliver(err)
	}
}

// redeliver makes the task's next wait deliver err again: a cancellation or
// an interrupt that a wait with no error result took.
func (p *Proc) redeliver(err error) {
	var ce *CancelledError
	if errors.As(err, &ce) {
		p.mustCancel = true
		p.extra().cancelMsg = ce.Msg
		return
	}
	x := p.extra()
	x.interrupts = append([]error{err}, x.interrupts...)
}

// After returns the channel of a new Timer(d).
func (c *envClock) After(d time.Duration) <-chan time.Time {
	return c.newTimer("Clock.After", d, nil, true).C
}

// Timer returns a timer that sends the virtual time on its channel C after
// d; with d <= 0 it has fired when Timer returns.
func (c *envClock) Timer(d time.Duration) *clock.Timer {
	return c.newTimer("Clock.Timer", d, nil, false)
}

// AfterFunc returns a timer that runs f after d, on the run loop (as
// Env.CallLater does), not in a goroutine of its own; its C is nil. It
// panics if f is nil.
func (c *envClock) AfterFunc(d time.Duration, f func()) *clock.Timer {
	if f == nil {
		panic("sim: Clock.AfterFunc called with a nil function")
	}
	return c.newTimer("Clock.AfterFunc", d, f, false)
}

// newTimer makes a timer; a fixed one (After's) has no handle outside, so
// nothing can stop or reset it and the Env does not check it.
func (c *envClock) newTimer(op string, d time.Duration, fn func(), fixed bool) *clock.Timer {
	h := (*clockHook)(c)
	h.env.check(op)
	ct := &clockTimer{}
	v := viewTimer(&ct.t)
	ch := make(chan time.Time, 1)
	v.c, v.mock, v.next = ch, h.mock, h.mv.now.Add(d)
	if fn == nil {
		v.C = ch
	}
	r := &ct.clockRec
	r.hook, r.next, r.stopped, r.c, r.fn, r.idx, r.fixed = h, &v.next, &v.stopped, ch, fn, -1, fixed
	r.fire = r.fireEvent
	if d <= 0 && fn == nil {
		ch <- h.mv.now
		r.at, r.fired, v.stopped = v.next, true, fixed
		if !fixed {
			h.track(r)
		}
		return &ct.t
	}
	h.arm(r)
	return &ct.t
}

// Ticker returns a ticker that sends the virtual time on its channel C every
// d, dropping ticks while the previous one is unread. It panics if d <= 0,
// as time.NewTicker does.
func (c *envClock) Ticker(d time.Duration) *clock.Ticker {
	return c.newTicker("Clock.Ticker", d, false)
}

func (c *envClock) newTicker(op string, d time.Duration, fixed bool) *clock.Ticker {
	h := (*clockHook)(c)
	h.env.check(op)
	if d <= 0 {
		panic(fmt.Sprintf("sim: %s(%v): non-positive interval (allowed: a positive duration)", op, d))
	}
	ct := &clockTicker{}
	v := viewTicker(&ct.t)
	ch := make(chan time.Time, 1)
	v.C, v.c, v.mock, v.d, v.next = ch, ch, h.mock, d, h.mv.now.Add(d)
	r := &ct.clockRec
	r.hook, r.next, r.stopped, r.period, r.c, r.idx, r.fixed = h, &v.next, &v.stopped, &v.d, ch, -1, fixed
	r.fire = r.fireEvent
	h.arm(r)
	return &ct.t
}

// Tick returns the channel of a new Ticker(d), which cannot be stopped.
func (c *envClock) Tick(d time.Duration) <-chan time.Time {
	return c.newTicker("Clock.Tick", d, true).C
}

// WithTimeout is WithDeadline(parent, Now().Add(d)).
func (c *envClock) WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return c.WithDeadline(parent, c.Now().Add(d))
}

// WithDeadline returns a copy of parent that the Env cancels at the virtual
// instant d, with Err context.DeadlineExceeded, unless parent is done or the
// returned cancel function is called first. If parent's deadline is earlier,
// the copy keeps it and has no timer of its own, as in the library and in
// package context. A context that package context derives from it (with
// WithCancel, say) reports context.Canceled when it expires, since only a
// real timer can give those DeadlineExceeded; context.Cause reports
// DeadlineExceeded for both. A cancellation of parent reaches the copy at once when parent is a context
// of package context, of this clock, or of a task (Proc.Context); other
// parents are watched by a goroutine of package context, outside the Env's
// order. It panics if parent is nil.
func (c *envClock) WithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	e := c.env
	e.check("Clock.WithDeadline")
	if parent == nil {
		panic("sim: Clock.WithDeadline called with a nil parent context")
	}
	inner, cancel := context.WithCancelCause(parent)
	if cur, ok := parent.Deadline(); ok && cur.Before(d) {
		return &clockCtx{Context: inner, deadline: cur}, func() { cancel(context.Canceled) }
	}
	x := &clockCtx{Context: inner, deadline: d}
	at := d.Sub(e.cfg.start)
	if at <= e.now {
		cancel(context.DeadlineExceeded)
		return x, func() {}
	}
	h := e.CallAt(at, func() { cancel(context.DeadlineExceeded) })
	return x, func() {
		if !e.closed {
			h.Cancel()
		}
		cancel(context.Canceled)
	}
}

// clockCtx is a context of Clock.WithDeadline: a cancellable copy of the
// parent (package context's, which carries the propagation and the cause)
// with a virtual deadline. It expired if its cause is DeadlineExceeded: the
// Env's event at its deadline, or its parent's expiry, cancelled it.
type clockCtx struct {
	context.Context
	deadline time.Time
}

// Deadline returns the virtual deadline.
func (x *clockCtx) Deadline() (time.Time, bool) { return x.deadline, true }

// Err returns context.DeadlineExceeded once the deadline passed, and the
// cancellation's error otherwise.
func (x *clockCtx) Err() error {
	err := x.Context.Err()
	if err != nil && context.Cause(x.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}

// String describes the context as package context does.
func (x *clockCtx) String() string {
	return fmt.Sprintf("sim.Clock.WithDeadline(%s)", x.deadline.Format(time.RFC3339Nano))
}

// arm schedules r's event at the deadline its library value holds now.
func (h *clockHook) arm(r *clockRec) {
	e := h.env
	r.at, r.fired = *r.next, false
	at := r.at.Sub(e.cfg.start) // saturates at MaxTime: such a timer never fires in practice
	r.h = e.callAt("Clock", max(at, e.now), 0, r.fire)
	if !r.fixed {
		h.track(r)
	}
}

// track adds r to the live timers if it is not there.
func (h *clockHook) track(r *clockRec) {
	if r.idx < 0 {
		r.idx = len(h.live)
		h.live = append(h.live, r)
	}
}

// untrack cancels r's event and takes it out of the live timers.
func (h *clockHook) untrack(r *clockRec) {
	r.h.Cancel()
	last := h.live[len(h.live)-1]
	h.live[r.idx] = last
	last.idx = r.idx
	h.live[len(h.live)-1] = nil
	h.live = h.live[:len(h.live)-1]
	r.idx = -1
}

// fireEvent is the event of a timer or ticker due now: it sends the time on
// the channel, or runs an AfterFunc's function, and moves a ticker on by its
// interval. A ticker drops its tick if the previous one is unread. A timer
// stays live (not stopped, as time.Timer since Go 1.23) until its value is
// read: Stop and Reset report true until then, and discard the value.
func (r *clockRec) fireEvent() {
	h := r.hook
	if *r.stopped || *r.next != r.at {
		return // changed by the event before; sync re-arms it
	}
	now := h.mv.now
	switch {
	case r.period != nil:
		select {
		case r.c <- now:
		default:
		}
		*r.next = now.Add(*r.period)
		h.arm(r)
	case r.fn != nil:
		h.untrack(r)
		*r.stopped = true
		r.fn()
	case r.fixed:
		*r.stopped = true
		r.c <- now
	default:
		drain(r.c)
		r.c <- now
		r.fired = true
	}
}

// drain empties a timer channel.
func drain(c chan time.Time) {
	select {
	case <-c:
	default:
	}
}

// before runs before each event, at its time: it keeps the Mock's now (which
// the library's Reset reads) at the virtual time.
func (h *clockHook) before() {
	if h.mv != nil && h.mockAt != h.env.now {
		h.mv.now = h.env.cfg.start.Add(h.env.now)
		h.mockAt = h.env.now
	}
}

// dispatch runs an event with the hook around it: the run loop's path once
// the Env has a clock or a channel wait.
func (h *clockHook) dispatch(fn func()) {
	h.before()
	h.env.dispatch(fn)
	h.sync()
}

// sync takes in what the last event (or the driver) did to the clock's timers
// and to the channels tasks wait on: a timer registered again by Reset after
// it fired or was stopped is armed; a live one that was stopped is forgotten
// (and its unread value discarded), one whose deadline changed is armed
// again; a fired timer whose value was read is stopped. Then the waits of
// Recv and Select are tried.
func (h *clockHook) sync() {
	if h.mv != nil {
		if ts := h.mv.timers; len(ts) > 0 {
			for _, w := range ts {
				if r := h.tabs.registered(w); r.idx < 0 {
					h.rearm(r)
				}
			}
			clear(ts)
			h.mv.timers = ts[:0]
		}
		for i := 0; i < len(h.live); {
			r := h.live[i]
			switch {
			case *r.stopped:
				h.untrack(r)
				if r.period == nil {
					drain(r.c)
				}
				continue // the last one moved to i
			case *r.next != r.at:
				r.h.Cancel()
				h.rearm(r)
			case r.fired && len(r.c) == 0:
				*r.stopped = true
				h.untrack(r)
				continue
			}
			i++
		}
	}
	if len(h.chans) > 0 {
		h.pollChans()
	}
}

// received stops the fired timers whose value was read: Recv and Select
// call it when they received, so that a Stop or Reset right after sees the
// timer expired, as with time.Timer. (A value read with a plain receive
// counts as read at the end of the event.)
func (h *clockHook) received() {
	for i := 0; i < len(h.live); {
		if r := h.live[i]; r.fired && len(r.c) == 0 {
			*r.stopped = true
			h.untrack(r)
			continue
		}
		i++
	}
}

// rearm arms r after a Reset, which discards a timer's unread value and
// must give a ticker a positive interval.
func (h *clockHook) rearm(r *clockRec) {
	if r.period == nil {
		drain(r.c)
	} else if *r.period <= 0 {
		panic(fmt.Sprintf("sim: Ticker.Reset(%v) of the Env's clock: non-positive interval (allowed: a positive duration)", *r.period))
	}
	h.arm(r)
}

// settle brings the hook up to date with what the driver did between two
// Run methods; setNow after RunUntil moved the clock past the last event.
func (h *clockHook) settle() {
	h.before()
	h.sync()
}

// AfterFunc arranges for f to run on the Env's goroutine when the task's
// context is cancelled, and returns a function that unregisters it. Package
// context uses it (as its afterFuncer) to cancel a child context such as
// Clock.WithTimeout's at once, in the Env's order, without a goroutine.
func (c *procContext) AfterFunc(f func()) (stop func() bool) {
	if c.err != nil {
		f()
		return func() bool { return false }
	}
	c.afterFuncs = append(c.afterFuncs, f)
	i := len(c.afterFuncs) - 1
	return func() bool {
		if c.err != nil || c.afterFuncs[i] == nil {
			return false
		}
		c.afterFuncs[i] = nil
		return true
	}
}

// runAfterFuncs runs the functions registered by AfterFunc, once.
func (c *procContext) runAfterFuncs() {
	fs := c.afterFuncs
	c.afterFuncs = nil
	for _, f := range fs {
		if f != nil {
			f()
		}
	}
}
