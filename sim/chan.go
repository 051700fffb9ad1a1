package sim

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Case is one case of [Select]: a receive ([OnRecv]), a send ([OnSend]), a
// [Default] or an [OnTimeout]. The zero Case is a receive from a nil channel,
// which is never ready.
type Case struct {
	kind caseKind
	try  func() bool // does the operation if it can go on at once
	then func()      // runs in the task once the case is chosen
	d    time.Duration
	what string
	// For a task waiting on the other side of an unbuffered channel:
	ch   uintptr     // the channel's identity; 0 for none
	send bool        // a send case
	val  any         // the value of a send
	put  func(v any) // takes the value of a send, for a receive
}

type caseKind uint8

const (
	caseOp caseKind = iota
	caseDefault
	caseTimeout
)

// OnRecv is a case that receives from ch. When Select chooses it, fn (if not
// nil) runs in the task with the value and whether it came from a send (ok)
// rather than a closed channel, as v, ok := <-ch reports. A nil ch is never
// ready.
func OnRecv[T any](ch <-chan T, fn func(v T, ok bool)) Case {
	var v T
	var ok bool
	c := recvCase(ch, &v, &ok)
	if fn != nil {
		c.then = func() { fn(v, ok) }
	}
	return c
}

// recvCase is a case that receives from ch into v and ok.
func recvCase[T any](ch <-chan T, v *T, ok *bool) Case {
	c := Case{what: "a receive"}
	if ch == nil {
		return c
	}
	c.ch = reflect.ValueOf(ch).Pointer()
	c.try = func() bool {
		select {
		case *v, *ok = <-ch:
			return true
		default:
			return false
		}
	}
	c.put = func(x any) { *v, *ok = x.(T), true }
	return c
}

// OnSend is a case that sends v on ch. When Select chooses it, fn (if not
// nil) runs in the task. A nil ch is never ready; a send on a closed channel
// panics in the run loop, as it would in a plain select.
func OnSend[T any](ch chan<- T, v T, fn func()) Case {
	c := Case{what: "a send", then: fn, send: true}
	if ch == nil {
		return c
	}
	c.ch, c.val = reflect.ValueOf(ch).Pointer(), v
	c.try = func() bool {
		select {
		case ch <- v:
			return true
		default:
			return false
		}
	}
	return c
}

// Default is the case Select chooses when no other case is ready at once,
// as default in a select statement.
func Default() Case { return Case{kind: caseDefault, what: "default"} }

// OnTimeout is the case Select chooses when no other case became ready within
// d of virtual time (a negative d counts as 0: the other cases get one turn
// of the events due now).
func OnTimeout(d time.Duration) Case {
	return Case{kind: caseTimeout, d: max(d, 0), what: "a timeout"}
}

// chanWait is a task suspended in Select until a case is ready.
type chanWait struct {
	q      WaitQueue // holds the task alone
	cases  []Case
	one    [1]Case // the case of Recv
	chosen int
	done   bool // the wait ended; the hook forgets it
}

// Recv suspends the running task p until ch has a value or is closed, and
// returns what v, ok := <-ch would: the value and whether it came from a
// send. A value ready at once is received without yielding. Waiting tasks
// receive in the order they started waiting, at the virtual instant the
// value was sent. It returns a *CancelledError (and no value) if the task is
// cancelled while it waits; a value already received for the task is
// returned, and the cancellation is delivered by its next wait. Recv on a nil
// channel waits until cancelled. It panics if called from outside p's task.
//
// Inside a task, use Recv (or Select) for every channel receive that may
// block, such as <-timer.C or <-ctx.Done(): a plain receive blocks the run
// loop with it, and the watchdog reports a stall.
func Recv[T any](p *Proc, ch <-chan T) (v T, ok bool, err error) {
	p.checkRunning("Recv")
	select {
	case v, ok = <-ch:
		if h := p.env.clk; h != nil {
			h.received()
		}
		return v, ok, nil
	default:
	}
	w := &chanWait{chosen: -1}
	w.one[0] = recvCase(ch, &v, &ok)
	w.cases = w.one[:]
	if h := p.env.clk; h != nil && w.one[0].try != nil && h.meet(nil, &w.one[0]) {
		return v, ok, nil
	}
	w.q.Init("sim.Recv")
	if _, err = w.wait(p, -1); err != nil {
		var zero T
		return zero, false, err
	}
	return v, ok, nil
}

// Send suspends the running task p until ch can take v (room in its buffer,
// or a goroutine or task receiving: see Select), and sends it. It returns
// nil, or a *CancelledError (v not sent) if the task is cancelled while it
// waits. It panics if called from outside p's task.
func Send[T any](p *Proc, ch chan<- T, v T) error {
	p.checkRunning("Send")
	_, err := Select(p, OnSend(ch, v, nil))
	return err
}

// Select suspends the running task p until one of the cases is ready, does
// its operation and returns its index (the select statement for tasks).
// Cases ready at once are tried in argument order and the first one is
// chosen, without yielding; if none is, a Default case is chosen at once.
// Otherwise the task waits: after each event of the Env, the cases of the
// waiting tasks are tried, oldest wait first, and the first ready case of a
// task is done for it then, at that virtual instant, and chosen. An OnTimeout
// case is chosen when its duration passes first. The chosen case's function
// runs in the task before Select returns.
//
// The choice is deterministic, unlike Go's select, which picks at random:
// among cases ready together, the first in argument order wins.
//
// A case is ready when its operation can go on without blocking: a receive
// from a channel with a value (or closed) or with a goroutine blocked
// sending, a send on a channel with room or with a goroutine blocked
// receiving; and, as on an unbuffered channel, a receive or send that
// another task waits to do the other side of, in Select, Recv or Send: the
// value passes from one to the other, and both go on at that instant.
//
// If the task is cancelled or interrupted while it waits, Select returns -1
// and the error, and no case is done; if a case was done for the task
// already, Select returns it and the cancellation is delivered by the task's
// next wait. Select with no cases (or only never-ready ones) waits until
// cancelled, and reports as waiting in a deadlock. It panics if called from
// outside p's task, or with more than one Default or OnTimeout case.
func Select(p *Proc, cases ...Case) (int, error) {
	p.checkRunning("Select")
	def, tmo := -1, -1
	for i := range cases {
		switch cases[i].kind {
		case caseDefault:
			if def >= 0 {
				panic(fmt.Sprintf("sim: Select in task %q called with more than one Default case", p.name))
			}
			def = i
		case caseTimeout:
			if tmo >= 0 {
				panic(fmt.Sprintf("sim: Select in task %q called with more than one OnTimeout case", p.name))
			}
			tmo = i
		}
	}
	if i := p.env.clk.tryCases(nil, cases); i >= 0 {
		if h := p.env.clk; h != nil {
			h.received()
		}
		return chosen(cases, i), nil
	}
	if def >= 0 {
		return chosen(cases, def), nil
	}
	w := &chanWait{cases: cases, chosen: -1}
	w.q.Init(describeWait(cases))
	i, err := w.wait(p, tmo)
	if i >= 0 {
		chosen(cases, i)
	}
	return i, err
}

// wait suspends p until the hook chooses one of w's cases (or case tmo, an
// OnTimeout, times out), and returns the index, or -1 and the error of a
// cancellation or interrupt that came first.
func (w *chanWait) wait(p *Proc, tmo int) (int, error) {
	e := p.env
	h := e.hook()
	var timer Handle
	if tmo >= 0 {
		timer = e.CallLater(w.cases[tmo].d, func() {
			if !w.done && w.chosen < 0 && w.q.Len() > 0 {
				w.chosen = tmo
				w.q.WakeOne()
			}
		})
	}
	h.chans = append(h.chans, w)
	woken, err := w.q.Wait(p)
	w.done = true
	if tmo >= 0 {
		timer.Cancel()
	}
	if !woken {
		return -1, err
	}
	h.received()
	if err != nil {
		p.redeliver(err)
	}
	return w.chosen, nil
}

// tryCases does the first case of w that can go on at once (with the
// channel's buffer, a goroutine blocked on the other side, or a task waiting
// on the other side) and returns its index, or -1. w is nil for a task not
// waiting yet; h may be nil.
func (h *clockHook) tryCases(w *chanWait, cases []Case) int {
	for i := range cases {
		if c := &cases[i]; c.try != nil && (c.try() || h != nil && h.meet(w, c)) {
			return i
		}
	}
	return -1
}

// meet does case c of the task waiting in w (or about to) with a task
// waiting in another Select (or Recv, Send) on the other side of the same
// channel, as an unbuffered channel's rendezvous would: the value goes from
// the sender's case to the receiver's, and the other task is woken. It
// reports whether it found one; the oldest wait goes first.
func (h *clockHook) meet(w *chanWait, c *Case) bool {
	for _, o := range h.chans {
		if o == w || o.done || o.chosen >= 0 || o.q.Len() == 0 {
			continue
		}
		for j := range o.cases {
			oc := &o.cases[j]
			if oc.ch != c.ch || oc.send == c.send || oc.try == nil {
				continue
			}
			if c.send {
				oc.put(c.val)
			} else {
				c.put(oc.val)
			}
			o.chosen = j
			o.q.WakeOne()
			return true
		}
	}
	return false
}

// chosen runs case i's function and returns i.
func chosen(cases []Case, i int) int {
	if fn := cases[i].then; fn != nil {
		fn()
	}
	return i
}

// describeWait names the wait of Select for deadlock reports and traces.
func describeWait(cases []Case) string {
	if len(cases) == 1 {
		return "sim.Select: " + cases[0].what
	}
	whats := make([]string, len(cases))
	for i := range cases {
		whats[i] = cases[i].what
	}
	return "sim.Select of " + strings.Join(whats, ", ")
}

// pollChans tries the cases of the waiting tasks, oldest wait first, and
// wakes each task with a ready case; it forgets the waits that ended.
func (h *clockHook) pollChans() {
	kept := h.chans[:0]
	for _, w := range h.chans {
		if w.done || w.chosen >= 0 || w.q.Len() == 0 {
			continue
		}
		if i := h.tryCases(w, w.cases); i >= 0 {
			w.chosen = i
			w.q.WakeOne()
			continue
		}
		kept = append(kept, w)
	}
	clear(h.chans[len(kept):])
	h.chans = kept
}

// rawChanHint is the advice a stall report adds when the blocked stack is
// in a raw channel operation.
func rawChanHint(stack string) string {
	for _, state := range []string{"[chan receive", "[chan send", "[select"} {
		if strings.Contains(stack, state) {
			return "\nthe stack shows a raw channel operation: inside a task, receive with sim.Recv and select with sim.Select (timer channels, ctx.Done())"
		}
	}
	return ""
}
