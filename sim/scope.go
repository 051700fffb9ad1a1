package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/vtsim/vtsim/future"
)

// TimeoutError is the error of a timeout scope that expired. It matches
// future.ErrTimeout and context.DeadlineExceeded, never ErrCancelled.
type TimeoutError = future.TimeoutError

// ErrTimeout matches every timeout error; it also matches
// context.DeadlineExceeded.
var ErrTimeout = future.ErrTimeout

type scopeState uint8

const (
	scopeEntered scopeState = iota
	scopeExpiring
	scopeExpired
	scopeExited
)

// Scope is a timeout scope, as made by Timeout and TimeoutAt (asyncio's
// Timeout context manager). Its methods must be called on the Env's
// goroutine.
type Scope struct {
	p          *Proc
	when       time.Duration // MaxTime: no deadline
	entered    time.Duration
	cancelling int // the task's cancellation count when the scope began
	state      scopeState
	timer      Handle
}

// Timeout runs body in a scope with a deadline d from now (asyncio.timeout).
// When the deadline passes while body runs, the task is cancelled; the
// cancellation surfaces in body as a *CancelledError from its wait, and if
// body returns it (or any error wrapping it), Timeout returns a
// *TimeoutError instead, so the timeout is seen only outside the scope. A
// cancellation from outside the scope is never turned into a timeout: it is
// returned as is. Scopes nest; the innermost expired one reports the timeout.
// A negative d counts as 0; a d that reaches MaxTime or past it means no
// deadline (asyncio's timeout(None)), as future.NoTimeout does. Timeout
// panics if called from outside p's task.
func Timeout(p *Proc, d time.Duration, body func(s *Scope) error) error {
	p.checkRunning("Timeout")
	at, err := p.env.deadline(d)
	if err != nil {
		at = MaxTime
	}
	return TimeoutAt(p, at, body)
}

// TimeoutAt is Timeout with an absolute deadline in virtual time; MaxTime
// means no deadline (until Reschedule sets one). A deadline before Now
// expires as soon as the events due now have run.
func TimeoutAt(p *Proc, when time.Duration, body func(s *Scope) error) error {
	p.checkRunning("TimeoutAt")
	if body == nil {
		panic(fmt.Sprintf("sim: Timeout in task %q called with a nil function", p.name))
	}
	s := &Scope{p: p, entered: p.env.now, cancelling: p.cancelCount()}
	x := p.extra()
	x.scopes = append(x.scopes, s)
	s.Reschedule(when)
	var err error
	func() {
		defer s.exit()
		err = body(s)
	}()
	if s.state != scopeExpired {
		return err
	}
	// The scope expired: its cancellation is its own to handle unless
	// another request came from outside.
	if p.uncancel() <= s.cancelling && err != nil && errors.Is(err, ErrCancelled) {
		return &TimeoutError{After: s.when - s.entered}
	}
	return err
}

// exit ends the scope, also when body panics.
func (s *Scope) exit() {
	s.timer.Cancel()
	p := s.p
	p.endScope()
	p.x.scopes = p.x.scopes[:len(p.x.scopes)-1]
	if s.state == scopeExpiring {
		s.state = scopeExpired
	} else {
		s.state = scopeExited
	}
}

// When returns the scope's deadline in virtual time (MaxTime if none).
func (s *Scope) When() time.Duration { return s.when }

// Expired reports whether the deadline passed while the scope was active.
func (s *Scope) Expired() bool { return s.state == scopeExpiring || s.state == scopeExpired }

// Reschedule moves the deadline to when (MaxTime: no deadline). It panics if
// the scope has ended or expired.
func (s *Scope) Reschedule(when time.Duration) {
	if s.state != scopeEntered {
		panic("sim: Scope.Reschedule on a timeout scope that has ended or expired")
	}
	s.timer.Cancel()
	s.timer = Handle{}
	s.when = when
	if when == MaxTime {
		return
	}
	p := s.p
	x := p.x // not nil: s is active
	if x.expire == nil {
		x.expire = p.expireScopes // one function a task, whatever its number of scopes
	}
	s.timer = p.env.CallAt(when, x.expire)
}

// expireScopes expires the task's scopes whose deadline event has just run
// (their ticket is no longer pending), outermost first.
func (p *Proc) expireScopes() {
	for _, s := range p.scopeList() {
		if s.state == scopeEntered && s.when != MaxTime && !s.timer.Pending() {
			s.state = scopeExpiring
			p.cancelFor("", true)
		}
	}
}

// deadline returns the earliest deadline of the task's active scopes.
func (p *Proc) deadline() (time.Duration, bool) {
	at, ok := MaxTime, false
	for _, s := range p.scopeList() {
		if s.when != MaxTime && s.when <= at {
			at, ok = s.when, true
		}
	}
	return at, ok
}
