package sim

import (
	"errors"
	"fmt"
	"slices"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
)

// maxSpare is the most ended spawned tasks an Env keeps for reuse; once
// it has that many, the older half is dropped (recycle).
const maxSpare = 1024

// spawned is the owner of a task started by Spawn: its Proc and function,
// with no future, so that an ended one can be reused whole.
type spawned struct {
	proc Proc
	fn   func(*Proc) error
}

// Spawn starts a task called name that runs fn, as [Go] does, and
// returns no handle: nothing can await it or read its result (a go
// statement; Trio's start_soon). It is for the many short tasks of a model
// whose end nobody waits for (one per customer, job or message), and in
// steady state it allocates nothing: the Proc of a spawned task that has
// ended may be reused by a later Spawn of a task of the same name, with a
// new ID. Name such tasks alike ("customer", not "customer 17"): a task
// whose name no earlier one had gets a new Proc.
//
// So a spawned task's Proc must not be kept, nor used, once fn has
// returned: not in a map, an error value or a callback that runs later.
// That includes [Proc.Interrupt], [Proc.Cancel] and [Proc.Ended] called
// later through a stored Proc: once the Proc is reused, they act on, or
// report, the new task. Code that must keep it calls [Proc.Keep] first.
// The engine reuses a Proc only when nothing it knows of still uses it: the
// task ended with a nil error, it was never cancelled nor interrupted, it
// used none of the rare state (timeout scopes, contexts, a second end
// watch), Keep was not called, and the Env is not closing. Its end watch,
// if it had one, has been told, and an [EndWatch] does not keep the Proc.
// A [Lock] that the task left held names it in deadlock reports, as it
// names a Go task, by its name, which a reused Proc keeps.
//
// The task runs exactly as a Go task would: the same first step, the same
// events in the same order. fn's error ends it as Go's does: an error
// matching ErrCancelled ends it cancelled, silently; any other error, or a
// panic, is a failure nobody can read, which the next Run method (or
// Close) reports as a *TaskError, as it reports a Go task's unread
// failure. Spawn panics if env or fn is nil or env is closed.
func Spawn(env *Env, name string, fn func(p *Proc) error) {
	if env == nil {
		panic("sim: Spawn called with a nil Env")
	}
	env.check("Spawn")
	if fn == nil {
		panic(fmt.Sprintf("sim: Spawn(%q) called with a nil function", name))
	}
	s := env.spareFor(name)
	if s == nil {
		s = &spawned{proc: Proc{name: name}}
	}
	s.fn = fn
	p := &s.proc
	env.nextID++
	p.env, p.id, p.owner, p.since = env, env.nextID, s, env.now // the rest is zero
	env.tasks.pushBack(p, inTaskList)
	p.co = env.coroFor(p)
	p.ticket = env.events.Push(env.now, 0, p.co.wake)
	if tr := env.cfg.tracer; tr != nil {
		tr.Trace(TraceEvent{At: env.now, Kind: TraceSpawn, Task: p.id, Name: name})
	}
}

// spareFor returns a spare spawned task of the given name, cleared, or nil
// if none of the last few spares has that name. A Proc is reused only
// under its own name, which is never written again: the watchdog reads the
// running task's name without synchronisation (watchdog.go), and a name
// rewritten under it could be read torn. Models name their many short
// tasks alike ("customer"), so the last spare almost always fits.
func (e *Env) spareFor(name string) *spawned {
	for i := len(e.spare) - 1; i >= max(0, len(e.spare)-4); i-- {
		s := e.spare[i]
		if s.proc.name != name {
			continue
		}
		last := len(e.spare) - 1
		e.spare[i] = e.spare[last]
		e.spare[last] = nil
		e.spare = e.spare[:last]
		s.reset()
		return s
	}
	return nil
}

// reset clears every field of s but its Proc's name (see spareFor), field
// by field; TestSpawnResetClearsEveryField fails when Proc gains a field
// that reset does not clear.
func (s *spawned) reset() {
	p := &s.proc
	p.env, p.id, p.owner, p.co = nil, 0, nil, nil
	p.until, p.since, p.ticket = 0, 0, scheduler.Ticket{}
	p.fut, p.wq, p.wdata, p.err, p.futCB = nil, nil, nil, nil, future.CallbackID{}
	p.x, p.endw, p.link = nil, nil, [2]procLink{}
	p.state, p.wait, p.woken, p.mustCancel = created, waitNone, false, false
	p.timerKind, p.observed, p.kept = 0, false, false
	s.fn = nil
}

func (s *spawned) runBody() {
	err := s.fn(&s.proc)
	s.fn = nil
	p := &s.proc
	switch {
	case err == nil && !p.mustCancel:
		p.finish(nil)
		s.recycle()
	case err == nil || errors.Is(err, ErrCancelled):
		s.complete(err, true)
	default:
		s.complete(err, false)
	}
}

func (s *spawned) complete(err error, cancel bool) {
	s.fn = nil
	p := &s.proc
	if cancel {
		p.finish(nil) // a cancelled spawned task ends silently, as a cancelled Task
		return
	}
	p.finish(err)
}

// recycle keeps s for a later Spawn if nothing the engine knows of refers
// to its Proc: it ended with nil (so it is not among the failures to
// report), it has no procExtra (never cancelled, interrupted, in a timeout
// scope, with contexts or with a second end watch) and nobody called Keep.
// Its end watch, if any, has been told already and keeps no reference (an
// EndWatch's TaskEnded must not keep p: see [EndWatch]).
func (s *spawned) recycle() {
	p := &s.proc
	e := p.env
	if p.x != nil || p.kept || e.closing {
		return
	}
	if len(e.spare) >= maxSpare {
		// Full: the older half gives way, so that spares of names no Spawn
		// asks for (tasks named one by one) cannot stop the reuse for good.
		n := copy(e.spare, e.spare[maxSpare/2:])
		clear(e.spare[n:])
		e.spare = e.spare[:n]
	}
	e.spare = append(e.spare, s)
}

func (s *spawned) describe() string { return fmt.Sprintf("task %q", s.proc.name) }

// Keep marks p's Proc as kept by the caller beyond the end of its task, so
// that the engine never reuses it for another task. Only a task started
// by [Spawn] is ever reused; for the others Keep changes nothing. Code
// that stores a Proc it did not create, such as an error value naming the
// task that caused it, calls Keep first: in the task's body, in an
// [EndWatch] told of its end, or later, as long as no Spawn has reused the
// Proc since the task ended. Once one has, the Proc is the new task's:
// Keep then keeps the new task's Proc, and [Proc.Ended] no longer tells
// that the first task ended.
func (p *Proc) Keep() {
	p.kept = true
	if s, ok := p.owner.(*spawned); ok && p.state == finished {
		p.env.unspare(s) // ended already: it may be among the spares
	}
}

// unspare takes s out of the spares, if it is there.
func (e *Env) unspare(s *spawned) {
	if i := slices.Index(e.spare, s); i >= 0 {
		e.spare = slices.Delete(e.spare, i, i+1)
	}
}
