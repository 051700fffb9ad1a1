package sim_test

// Property tests (pgregory.net/rapid): random trees of tasks (depth up to 3,
// fan-out up to 4) whose bodies sleep on a coarse grid (so that many events
// tie), await their children directly or through Gather, GatherOutcomes,
// Wait, WaitFor, Shield and AsCompleted, run Timeout scopes and a Group,
// cancel children, return values or errors, and may swallow one
// cancellation; the driver cancels random tasks at random times. The
// properties:
//
//   - after Run every task and every combinator future is done, Run reports
//     no deadlock (only unread task failures), and no task panicked; the
//     combinators' results agree with their children (a Gather's values are
//     its children's, a WaitFor returned only once its inner was done, a
//     Group returned only after all its tasks ended, ...);
//   - the same tree and seed give the same outcome, bit for bit: the hash of
//     the (time, task, event) log and of every task's final (value, error,
//     cancelled), under FIFO and under the Random tie-break with a fixed
//     tie seed;
//   - Close in the middle of a run ends every task, cancelled if it was
//     unfinished; no goroutine is left (TestMain runs goleak, and every run
//     closes its Env).
//
// Bodies never await a future that nobody resolves, so a deadlock is a bug.
// Every check is a few milliseconds; add -rapid.checks=N for more.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// Shape of the generated trees.
const (
	propGrid   = time.Second // every duration is a multiple of it: ties are frequent
	propDepth  = 3           // the root is at depth 0
	propFanout = 4
)

// propKind is what one step of a body does.
type propKind uint8

const (
	propSleep          propKind = iota // Sleep(d); d = 0 yields
	propSleepRand                      // Sleep of a duration drawn from the Env's stream "sleep"
	propTimeout                        // a Timeout scope of d around more steps
	propAwait                          // Await a child
	propShield                         // Await Shield(child)
	propWaitFor                        // Await WaitFor(child, d)
	propCancelKid                      // Cancel a child, without waiting
	propGather                         // Await Gather(children)
	propGatherOutcomes                 // Await GatherOutcomes(children)
	propWait                           // Await Wait(mode, children), with or without a timeout
	propAsCompleted                    // range over AsCompleted(children)
	propGroup                          // a Group that starts the node's grouped children, around more steps
)

// propOp is one step of a body.
type propOp struct {
	kind      propKind
	d         time.Duration
	kids      []int // indices into the node's kids
	mode      future.WaitMode
	timed     bool     // propWait: WaitTimeout(d)
	body      []propOp // propTimeout, propGroup: the steps inside
	bodyFails bool     // propGroup: the group's body returns an error
}

// propNode is one task of the tree.
type propNode struct {
	id      int
	name    string
	kids    []*propNode
	grouped []bool // kids[i] is started by the node's Group step, not at its start
	ops     []propOp
	swallow int  // 0: never swallows a cancellation; 1: swallows one; 2: swallows one and calls Uncancel
	fails   bool // ends with an error instead of a value
}

// propCancel is a Cancel the driver schedules.
type propCancel struct {
	at time.Duration
	id int
}

// propTree is a generated test case.
type propTree struct {
	nodes   []*propNode // by id; nodes[0] is the root
	cancels []propCancel
	seed    uint64 // the Env's seed (the "sleep" stream)
	tieSeed uint64 // the Random tie-break's seed
}

func drawPropTree(rt *rapid.T) *propTree {
	tr := &propTree{}
	drawPropNode(rt, tr, 0)
	for range rapid.IntRange(0, 3).Draw(rt, "cancels") {
		tr.cancels = append(tr.cancels, propCancel{
			at: propGrid * time.Duration(rapid.IntRange(0, 8).Draw(rt, "cancel at")),
			id: rapid.IntRange(0, len(tr.nodes)-1).Draw(rt, "cancel whom"),
		})
	}
	tr.seed = rapid.Uint64().Draw(rt, "seed")
	tr.tieSeed = rapid.Uint64().Draw(rt, "tie seed")
	return tr
}

func drawPropNode(rt *rapid.T, tr *propTree, depth int) *propNode {
	n := &propNode{id: len(tr.nodes)}
	n.name = fmt.Sprintf("t%d", n.id)
	tr.nodes = append(tr.nodes, n)
	if depth < propDepth {
		for range rapid.IntRange(0, propFanout).Draw(rt, "kids") {
			n.kids = append(n.kids, drawPropNode(rt, tr, depth+1))
			n.grouped = append(n.grouped, rapid.IntRange(0, 3).Draw(rt, "grouped") == 0)
		}
	}
	var plain, grouped []int
	for i, g := range n.grouped {
		if g {
			grouped = append(grouped, i)
		} else {
			plain = append(plain, i)
		}
	}
	nops := rapid.IntRange(1, 4).Draw(rt, "steps")
	groupAt := -1
	if len(grouped) > 0 {
		groupAt = rapid.IntRange(0, nops-1).Draw(rt, "group at")
	}
	avail := plain // children a step may use: those started by then
	for i := range nops {
		if i != groupAt {
			n.ops = append(n.ops, drawPropOp(rt, avail, 0))
			continue
		}
		inside := append(slices.Clone(avail), grouped...)
		op := propOp{kind: propGroup, kids: grouped, bodyFails: rapid.IntRange(0, 4).Draw(rt, "group body fails") == 0}
		for range rapid.IntRange(0, 2).Draw(rt, "group steps") {
			op.body = append(op.body, drawPropOp(rt, inside, 1))
		}
		n.ops = append(n.ops, op)
		avail = inside
	}
	n.swallow = rapid.IntRange(0, 2).Draw(rt, "swallow")
	n.fails = rapid.IntRange(0, 3).Draw(rt, "fails") == 0
	return n
}

// drawPropOp draws a step that uses only the children in avail; nest is the
// number of scopes around it.
func drawPropOp(rt *rapid.T, avail []int, nest int) propOp {
	kinds := []propKind{propSleep, propSleepRand}
	if nest < 2 {
		kinds = append(kinds, propTimeout)
	}
	if len(avail) > 0 {
		kinds = append(kinds, propAwait, propShield, propWaitFor, propCancelKid, propGather, propGatherOutcomes, propWait, propAsCompleted)
	}
	op := propOp{kind: rapid.SampledFrom(kinds).Draw(rt, "step")}
	grid := func(label string, hi int) time.Duration {
		return propGrid * time.Duration(rapid.IntRange(0, hi).Draw(rt, label))
	}
	switch op.kind {
	case propSleep:
		op.d = grid("sleep", 3)
	case propTimeout:
		op.d = grid("timeout", 4)
		for range rapid.IntRange(1, 2).Draw(rt, "scope steps") {
			op.body = append(op.body, drawPropOp(rt, avail, nest+1))
		}
	case propAwait, propShield, propCancelKid:
		op.kids = []int{rapid.SampledFrom(avail).Draw(rt, "child")}
	case propWaitFor:
		op.kids = []int{rapid.SampledFrom(avail).Draw(rt, "child")}
		op.d = grid("wait_for timeout", 4)
	case propGather, propGatherOutcomes, propWait, propAsCompleted:
		for _, k := range avail {
			if rapid.Bool().Draw(rt, "use child") {
				op.kids = append(op.kids, k)
			}
		}
		if len(op.kids) == 0 {
			op.kids = []int{rapid.SampledFrom(avail).Draw(rt, "child")}
		}
		if op.kind == propWait {
			op.mode = future.WaitMode(rapid.IntRange(0, 2).Draw(rt, "wait mode"))
			op.timed = rapid.Bool().Draw(rt, "wait timed")
			op.d = grid("wait timeout", 4)
		}
	}
	return op
}

// propRun is one run of a tree on an Env.
type propRun struct {
	env   *sim.Env
	tr    *propTree
	tasks []*sim.Task[int] // by node id; nil until created
	futs  []future.Waitable
	log   []string
	bad   []string // broken invariants

	// Delivery of cancellations, per node id. docs/design.md: a task sees the
	// cancellation at the wait it is suspended in, at its next wait if it
	// is running, and never runs if it has not started. A wait on a future
	// that may absorb it (Await of a pending child, which may swallow it;
	// a Gather, which a child may fail anyway) is exempt, as in asyncio,
	// unless the future is done already when Cancel runs (then the task's
	// wake-up is scheduled and it must resume with the cancellation).
	began    []bool            // the body has begun
	strict   []bool            // suspended in a wait that must return a cancellation
	absorber []future.Waitable // suspended in an Await of this future, which may absorb one
	early    []bool            // a Cancel was accepted before the body began
	expect   []bool            // a Cancel was accepted that the current wait must return
	inExit   []bool            // the Group's body has returned; Group waits for its tasks
	exitHit  []bool            // a Cancel was accepted then: Group must report it
	// uncancelled: the body called Uncancel. Inside a Group that voids the
	// exitHit check: an Uncancel of a request the group made itself (to
	// interrupt the body) leaves the group's own Uncancel to withdraw the
	// outside request, which is then lost, exactly as in asyncio, whose
	// documentation reserves uncancel() for asyncio's internals.
	uncancelled []bool
	accepted    []int // Cancels accepted so far
	// pending: Group returned a *GroupError with Cancelled, so the outside
	// cancellation is requested again and the task's next wait must
	// deliver it (an absorbing wait consumes it unchecked; a timeout scope
	// entered meanwhile may turn it into its TimeoutError, see the Timeout
	// step); if no wait comes, the task must end cancelled or with its own
	// failure.
	pending    []bool
	endPending []bool // the body returned with pending set
}

func newPropRun(env *sim.Env, tr *propTree) *propRun {
	n := len(tr.nodes)
	return &propRun{
		env: env, tr: tr, tasks: make([]*sim.Task[int], n),
		began: make([]bool, n), strict: make([]bool, n), absorber: make([]future.Waitable, n),
		early: make([]bool, n), expect: make([]bool, n), pending: make([]bool, n), endPending: make([]bool, n),
		inExit: make([]bool, n), exitHit: make([]bool, n), uncancelled: make([]bool, n), accepted: make([]int, n),
	}
}

func (r *propRun) logf(who, format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf("%v %s %s", r.env.Now(), who, fmt.Sprintf(format, args...)))
}

func (r *propRun) violation(format string, args ...any) {
	r.bad = append(r.bad, fmt.Sprintf("%v: %s", r.env.Now(), fmt.Sprintf(format, args...)))
}

// cancel cancels node id's task, logs it, and notes where the cancellation
// must be delivered.
func (r *propRun) cancel(who string, id int, msg string) {
	t := r.tasks[id]
	ok := t.Cancel(msg)
	r.logf(who, "cancel %s: %v", t.Name(), ok)
	if ok {
		r.accepted[id]++
	}
	switch {
	case !ok:
	case !r.began[id]:
		r.early[id] = true
	case r.strict[id] || (r.absorber[id] != nil && r.absorber[id].Done()):
		r.expect[id] = true
	case r.inExit[id]:
		r.exitHit[id] = true
	}
}

// wait runs fn, a wait of n's task on f (nil for a Sleep or AsCompleted),
// and checks that the cancellations it must deliver come out of it. strict
// says the wait cannot absorb a cancellation.
func (r *propRun) wait(n *propNode, what string, strict bool, f future.Waitable, fn func() error) error {
	pend := false
	if f == nil || !f.Done() { // Await of a done future returns at once, without waiting
		pend = r.pending[n.id]
		r.pending[n.id] = false
	}
	r.expect[n.id] = false
	if strict {
		r.strict[n.id] = true
	} else {
		r.absorber[n.id] = f
	}
	err := fn()
	r.strict[n.id], r.absorber[n.id] = false, nil
	cancelled := err != nil && errors.Is(err, sim.ErrCancelled)
	if strict && pend && !cancelled {
		r.violation("%s: the cancellation Group requested again was not delivered by its next wait (%s): %v", n.name, what, err)
	}
	if r.expect[n.id] && !cancelled {
		r.violation("%s: a Cancel accepted during its wait (%s) was not delivered by it: %v", n.name, what, err)
	}
	r.expect[n.id] = false
	return err
}

// start schedules the driver's cancels and the root task.
func (r *propRun) start() {
	for _, c := range r.tr.cancels {
		name := r.tr.nodes[c.id].name
		r.env.CallAt(c.at, func() {
			if r.tasks[c.id] == nil {
				r.logf("driver", "cancel %s: not started", name)
				return
			}
			r.cancel("driver", c.id, fmt.Sprint("at ", c.at))
		})
	}
	root := r.tr.nodes[0]
	r.tasks[0] = sim.Go(r.env, root.name, r.body(root))
}

// body is node n's task function.
func (r *propRun) body(n *propNode) func(p *sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) {
		r.began[n.id] = true
		r.logf(n.name, "starts")
		for i, k := range n.kids {
			if !n.grouped[i] {
				r.tasks[k.id] = sim.Go(r.env, k.name, r.body(k))
			}
		}
		budget := min(n.swallow, 1)
		err := r.steps(p, n, &budget, n.ops)
		r.endPending[n.id] = r.pending[n.id]
		if err != nil {
			r.logf(n.name, "ends: %v", err)
			return 0, err
		}
		if n.fails {
			err := fmt.Errorf("%s failed", n.name)
			r.logf(n.name, "ends: %v", err)
			return 0, err
		}
		r.logf(n.name, "returns %d", 100+n.id)
		return 100 + n.id, nil
	}
}

// steps runs ops in order. It returns the first cancellation (any error
// matching ErrCancelled, as an awaited cancelled child raises in asyncio)
// that the task does not swallow; other errors are logged and it goes on.
func (r *propRun) steps(p *sim.Proc, n *propNode, budget *int, ops []propOp) error {
	for _, op := range ops {
		err := r.step(p, n, budget, op)
		if err == nil || !errors.Is(err, sim.ErrCancelled) {
			continue
		}
		if *budget == 0 {
			return err
		}
		*budget--
		left := r.tasks[n.id].Cancelling()
		if n.swallow == 2 {
			left = r.tasks[n.id].Uncancel()
			r.uncancelled[n.id] = true
			if left == 0 {
				// Python 3.13: the last Uncancel withdraws a request not
				// yet delivered too (the error swallowed here may have
				// been a child's).
				r.pending[n.id] = false
			}
		}
		r.logf(n.name, "swallows it; cancelling %d", left)
	}
	return nil
}

func (r *propRun) step(p *sim.Proc, n *propNode, budget *int, op propOp) error {
	env := r.env
	switch op.kind {
	case propSleep, propSleepRand:
		d, what := op.d, "sleep"
		if op.kind == propSleepRand {
			d, what = propGrid*time.Duration(env.Rand("sleep").IntN(3)), "random sleep"
		}
		err := r.wait(n, what, true, nil, func() error { return p.Sleep(d) })
		r.logf(n.name, "%s %v: %v", what, d, err)
		return err
	case propTimeout:
		var scope *sim.Scope
		outstanding, accepted := r.tasks[n.id].Cancelling(), r.accepted[n.id]
		uncancelledBefore := r.uncancelled[n.id]
		r.uncancelled[n.id] = false
		err := sim.Timeout(p, op.d, func(s *sim.Scope) error {
			scope = s
			return r.steps(p, n, budget, op.body)
		})
		r.logf(n.name, "timeout scope %v: %v", op.d, err)
		if errors.Is(err, sim.ErrTimeout) && r.accepted[n.id] > accepted && !r.uncancelled[n.id] {
			r.violation("%s: a Cancel from outside the scope was accepted while it ran, but the scope turned it into %v", n.name, err)
		}
		r.uncancelled[n.id] = r.uncancelled[n.id] || uncancelledBefore
		if errors.Is(err, sim.ErrTimeout) && (!scope.Expired() || env.Now() < scope.When()) {
			r.violation("%s: Timeout returned %v at %v, but the scope (deadline %v) expired: %v", n.name, err, env.Now(), scope.When(), scope.Expired())
		}
		if errors.Is(err, sim.ErrTimeout) && outstanding > 0 {
			// asyncio's rule (Python 3.11 to 3.13): the requests
			// outstanding when a scope is entered are not its own. One
			// still pending then (as Group's re-delivery leaves one) and
			// delivered together with the scope's expiry (one delivery
			// for two requests, both due at the same instant) comes out
			// of the scope as its TimeoutError, and the task may go on
			// with Cancelling() at 1. Python does the same: a task that
			// calls cancel() on itself and then runs "async with
			// asyncio.timeout(0): await asyncio.sleep(0)" gets
			// TimeoutError and can return normally.
			r.logf(n.name, "the scope took a cancellation requested before it began")
		}
		return err
	case propGroup:
		return r.group(p, n, budget, op)
	}
	kids := make([]*sim.Task[int], len(op.kids))
	aws := make([]future.Awaitable[int], len(op.kids))
	ws := make([]future.Waitable, len(op.kids))
	names := make([]string, len(op.kids))
	for i, k := range op.kids {
		kids[i] = r.tasks[n.kids[k].id]
		if kids[i] == nil {
			r.violation("%s: step %d uses child %s, which was not started (generator bug)", n.name, op.kind, n.kids[k].name)
			return nil
		}
		aws[i], ws[i], names[i] = kids[i], kids[i], kids[i].Name()
	}
	what := strings.Join(names, ",")
	switch op.kind {
	case propAwait:
		var v int
		err := r.wait(n, "Await", false, kids[0], func() (err error) { v, err = sim.Await(p, kids[0]); return err })
		r.logf(n.name, "await %s: %d, %v", what, v, err)
		return err
	case propShield:
		sh := future.Shield[int](env.Loop(), kids[0])
		r.futs = append(r.futs, sh)
		var v int
		err := r.wait(n, "Shield", true, sh, func() (err error) { v, err = sim.Await(p, sh); return err })
		r.logf(n.name, "await shield(%s): %d, %v", what, v, err)
		if err == nil {
			r.sameValue("Shield", kids[0], v)
		}
		return err
	case propWaitFor:
		w := future.WaitFor[int](env.Loop(), kids[0], op.d)
		r.futs = append(r.futs, w)
		var v int
		// Not strict: as a timeout scope around an await (Python 3.12+), a
		// WaitFor whose inner swallows the cancellation returns normally.
		err := r.wait(n, "WaitFor", false, w, func() (err error) { v, err = sim.Await(p, w); return err })
		r.logf(n.name, "await wait_for(%s, %v): %d, %v", what, op.d, v, err)
		if w.Done() && !kids[0].Done() {
			r.violation("%s: WaitFor of %s is done before its inner", n.name, what)
		}
		// A WaitFor that timed out may leave its inner with a value or an
		// error: the inner ended at the deadline's instant and the deadline
		// came first (Python 3.13's timeout scope; 3.11 let the inner win).
		if err == nil {
			r.sameValue("WaitFor", kids[0], v)
		}
		return err
	case propCancelKid:
		r.cancel(n.name, n.kids[op.kids[0]].id, "by "+n.name)
		return nil
	case propGather:
		g := future.Gather(env.Loop(), aws...)
		r.futs = append(r.futs, g)
		var vs []int
		before := r.cancelMark(n)
		err := r.wait(n, "Gather", false, g, func() (err error) { vs, err = sim.Await(p, g); return err })
		r.onlyCancelledByUs(n, "Gather", g, before)
		r.logf(n.name, "await gather(%s): %v, %v", what, vs, err)
		if err == nil {
			for i, k := range kids {
				r.sameValue("Gather", k, vs[i])
			}
		} else if !errors.Is(err, sim.ErrCancelled) && !slices.ContainsFunc(kids, func(k *sim.Task[int]) bool { return k.Done() && k.Err() == err }) {
			r.violation("%s: Gather failed with %v, which is no child's error", n.name, err)
		}
		return err
	case propGatherOutcomes:
		g := future.GatherOutcomes(env.Loop(), aws...)
		r.futs = append(r.futs, g)
		var outs []future.Outcome[int]
		before := r.cancelMark(n)
		err := r.wait(n, "GatherOutcomes", true, g, func() (err error) { outs, err = sim.Await(p, g); return err })
		r.onlyCancelledByUs(n, "GatherOutcomes", g, before)
		r.logf(n.name, "await gather_outcomes(%s): %v, %v", what, outs, err)
		if err == nil {
			for i, k := range kids {
				if v, kerr := k.Result(); outs[i].Value != v || outs[i].Err != kerr {
					r.violation("%s: GatherOutcomes gave %v for %s, which ended with %d, %v", n.name, outs[i], k.Name(), v, kerr)
				}
			}
		}
		return err
	case propWait:
		var w *future.Future[future.WaitResult]
		if op.timed {
			w = future.WaitTimeout(env.Loop(), op.d, op.mode, ws...)
		} else {
			w = future.Wait(env.Loop(), op.mode, ws...)
		}
		r.futs = append(r.futs, w)
		began, before := env.Now(), r.cancelMark(n)
		var res future.WaitResult
		err := r.wait(n, "Wait", true, w, func() (err error) { res, err = sim.Await(p, w); return err })
		r.onlyCancelledByUs(n, "Wait", w, before)
		r.logf(n.name, "await wait(%v, %v, timed %v, %s): %d done, %d pending, %v", op.mode, op.d, op.timed, what, len(res.Done), len(res.Pending), err)
		if op.timed && env.Now() > began+op.d {
			r.violation("%s: WaitTimeout(%v) begun at %v returned at %v", n.name, op.d, began, env.Now())
		}
		if err == nil {
			for _, f := range res.Done {
				if !f.Done() {
					r.violation("%s: Wait lists a pending future as done", n.name)
				}
			}
			if len(res.Done)+len(res.Pending) != len(kids) || (!op.timed && len(res.Done) == 0) ||
				(op.mode == future.AllCompleted && !op.timed && len(res.Pending) > 0) {
				r.violation("%s: Wait(%v) returned %d done and %d pending of %d", n.name, op.mode, len(res.Done), len(res.Pending), len(kids))
			}
		}
		return err
	case propAsCompleted:
		var order []string
		err := r.wait(n, "AsCompleted", true, nil, func() error {
			for f, err := range sim.AsCompleted(p, aws...) {
				if err != nil {
					return err
				}
				if !f.Done() {
					r.violation("%s: AsCompleted yielded a pending future", n.name)
				}
				order = append(order, f.(*sim.Task[int]).Name())
			}
			return nil
		})
		r.logf(n.name, "as_completed(%s): %v, %v", what, order, err)
		if err == nil && len(order) != len(kids) {
			r.violation("%s: AsCompleted yielded %d of %d futures", n.name, len(order), len(kids))
		}
		return err
	}
	panic(fmt.Sprintf("unknown step kind %d", op.kind))
}

// group runs a Group step: it starts the step's children in the group, runs
// the steps inside it, and checks that Group returns only after every task
// of the group has ended, with only the body's and the tasks' failures.
func (r *propRun) group(p *sim.Proc, n *propNode, budget *int, op propOp) error {
	var started []*sim.Task[int]
	uncancelledBefore := r.uncancelled[n.id]
	r.uncancelled[n.id] = false
	err := sim.Group(p, func(g *sim.TaskGroup) error {
		for _, i := range op.kids {
			k := n.kids[i]
			t := sim.GoIn(g, k.name, r.body(k))
			r.tasks[k.id] = t
			started = append(started, t)
		}
		err := r.steps(p, n, budget, op.body)
		if err == nil && op.bodyFails {
			err = fmt.Errorf("group body of %s failed", n.name)
		}
		r.inExit[n.id] = true
		return err
	})
	hit := r.exitHit[n.id] && !r.uncancelled[n.id]
	r.inExit[n.id], r.exitHit[n.id] = false, false
	r.uncancelled[n.id] = r.uncancelled[n.id] || uncancelledBefore
	r.logf(n.name, "group: %v", err)
	var failed []error
	for _, t := range started {
		if !t.Done() {
			r.violation("%s: Group returned before its task %s ended", n.name, t.Name())
		} else if !t.Cancelled() && t.Err() != nil {
			failed = append(failed, t.Err())
		}
	}
	var ge *sim.GroupError
	isGE := errors.As(err, &ge)
	if hit && !errors.Is(err, sim.ErrCancelled) && !(isGE && ge.Cancelled) {
		r.violation("%s: cancelled while Group waited for its tasks, but Group returned %v: the cancellation is lost", n.name, err)
	}
	if len(failed) > 0 && !isGE {
		r.violation("%s: tasks of the group failed (%v), but Group returned %v", n.name, failed, err)
	}
	for _, e := range failed {
		if isGE && !slices.Contains(ge.Errs, e) {
			r.violation("%s: Group's error %v misses the failure %v of one of its tasks", n.name, err, e)
		}
	}
	if isGE {
		if ge.Cancelled {
			r.pending[n.id] = true
		}
		if len(ge.Errs) == 0 {
			r.violation("%s: Group returned a GroupError with no errors", n.name)
		}
		for _, e := range ge.Errs {
			own := e.Error() == fmt.Sprintf("group body of %s failed", n.name)
			if !own && !slices.ContainsFunc(started, func(t *sim.Task[int]) bool { return t.Err() == e }) {
				r.violation("%s: GroupError holds %v, which is neither the body's nor a task's error", n.name, e)
			}
		}
	}
	return err
}

// cancelMark returns n's task's Cancelling count before a wait, or -1 if a
// request is pending (Group's re-delivery: it is counted already, and the
// wait delivers it).
func (r *propRun) cancelMark(n *propNode) int {
	if r.pending[n.id] {
		return -1
	}
	return r.tasks[n.id].Cancelling()
}

// onlyCancelledByUs checks that a Gather or Wait future, which only n's
// task can cancel (through its Await), ended cancelled only if a
// cancellation of the task was pending or requested while it waited: its
// Cancelling count rose (nothing lowers it while the task waits).
func (r *propRun) onlyCancelledByUs(n *propNode, what string, f future.Waitable, before int) {
	if f.Cancelled() && before >= 0 && r.tasks[n.id].Cancelling() <= before {
		r.violation("%s: its %s ended cancelled, but nobody cancelled the task", n.name, what)
	}
}

// sameValue checks that a combinator's value v is kid's value.
func (r *propRun) sameValue(what string, kid *sim.Task[int], v int) {
	if kv, err := kid.Result(); err != nil || kv != v || kid.Cancelled() {
		r.violation("%s gave %d for %s, which ended with %d, %v", what, v, kid.Name(), kv, err)
	}
}

// propOutcome is what a run produced: its log, every task's final state, and
// their hash.
type propOutcome struct {
	lines []string
	hash  string
}

// runPropTree runs tr on a new Env with opts until no event is left, checks
// the invariants, closes the Env, and returns the outcome.
func runPropTree(rt *rapid.T, tr *propTree, opts ...sim.Option) propOutcome {
	env := sim.New(append([]sim.Option{sim.WithSeed(tr.seed)}, opts...)...)
	defer env.Close()
	r := newPropRun(env, tr)
	r.start()
	runErr := env.Run()
	if errors.Is(runErr, sim.ErrDeadlock) {
		rt.Fatalf("Run: %v\nlog:\n%s", runErr, strings.Join(r.log, "\n"))
	}
	checkOnlyTaskErrors(rt, "Run", runErr)
	lines := slices.Clone(r.log)
	lines = append(lines, fmt.Sprintf("end at %v after %d events; Run: %v", env.Now(), env.Steps(), runErr))
	for id, t := range r.tasks {
		if t == nil {
			lines = append(lines, fmt.Sprintf("%s never started", tr.nodes[id].name))
			continue
		}
		if !t.Done() {
			r.violation("task %s is not done after Run", t.Name())
		}
		v, err := t.Result()
		var pe *sim.PanicError
		if errors.As(err, &pe) {
			r.violation("task %s panicked: %v\n%s", t.Name(), pe.Value, pe.Stack)
		}
		lines = append(lines, fmt.Sprintf("%s: %d, %v, cancelled %v", t.Name(), v, err, t.Cancelled()))
		if r.early[id] && (r.began[id] || !t.Cancelled()) {
			r.violation("task %s accepted a Cancel before it began, but its body ran (%v) or it ended with %d, %v", t.Name(), r.began[id], v, err)
		}
		if r.endPending[id] && !t.Cancelled() && (err == nil || err.Error() != t.Name()+" failed") {
			r.violation("task %s returned with a cancellation pending, but ended with %d, %v", t.Name(), v, err)
		}
	}
	for i, f := range r.futs {
		if !f.Done() {
			r.violation("combinator future %d (%T) is not done after Run", i, f)
		}
	}
	if err := env.Close(); err != nil {
		r.violation("Close after Run: %v", err)
	}
	if len(r.bad) > 0 {
		rt.Fatalf("broken invariants:\n%s\nlog:\n%s", strings.Join(r.bad, "\n"), strings.Join(lines, "\n"))
	}
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return propOutcome{lines: lines, hash: hex.EncodeToString(h[:])}
}

// checkOnlyTaskErrors fails unless err is nil or joins only *TaskErrors
// (failures nobody read), none of them a panic.
func checkOnlyTaskErrors(rt *rapid.T, what string, err error) {
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var te *sim.TaskError
		var pe *sim.PanicError
		if !errors.As(e, &te) || errors.As(e, &pe) {
			rt.Fatalf("%s returned %v; want only unread task failures", what, e)
		}
	}
}

// sameOutcome fails if two runs of one tree differ, showing the first
// difference.
func sameOutcome(rt *rapid.T, what string, a, b propOutcome) {
	if a.hash == b.hash {
		return
	}
	for i := range min(len(a.lines), len(b.lines)) {
		if a.lines[i] != b.lines[i] {
			rt.Fatalf("%s: runs differ at line %d:\n%s\n%s", what, i, a.lines[i], b.lines[i])
		}
	}
	rt.Fatalf("%s: runs differ in length: %d and %d lines", what, len(a.lines), len(b.lines))
}

// Properties (i), (ii), (iii) under FIFO: every task and combinator is done
// after Run, without deadlock or panic, the combinators agree with their
// children, and the same tree and seed repeat the outcome exactly.
func TestPropertyTaskTreesEndDoneAndRepeat(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := drawPropTree(rt)
		first := runPropTree(rt, tr)
		sameOutcome(rt, "FIFO, same seed", first, runPropTree(rt, tr))
	})
}

// Property (iv): under the Random tie-break with a fixed tie seed, the same
// invariants hold and the outcome repeats exactly.
func TestPropertyTaskTreesRepeatUnderRandomTieBreak(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := drawPropTree(rt)
		opts := []sim.Option{sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(tr.tieSeed)}
		first := runPropTree(rt, tr, opts...)
		sameOutcome(rt, fmt.Sprintf("Random tie-break seed %d", tr.tieSeed), first, runPropTree(rt, tr, opts...))
	})
}

// Property (iii), the hard way: Close in the middle of a run unwinds every
// unfinished task, which ends cancelled; every task is then done; Close
// reports only unread failures, and nothing else. TestMain's goleak check
// then proves that no task's goroutine outlived its Env.
func TestPropertyCloseMidRunEndsEveryTask(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := drawPropTree(rt)
		cut := propGrid * time.Duration(rapid.IntRange(0, 6).Draw(rt, "cut"))
		var opts []sim.Option
		if rapid.Bool().Draw(rt, "random tie-break") {
			opts = []sim.Option{sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(tr.tieSeed)}
		}
		env := sim.New(append([]sim.Option{sim.WithSeed(tr.seed)}, opts...)...)
		r := newPropRun(env, tr)
		r.start()
		runErr := env.RunUntil(cut)
		var unfinished []*sim.Task[int]
		for _, t := range r.tasks {
			if t != nil && !t.Done() {
				unfinished = append(unfinished, t)
			}
		}
		closeErr := env.Close()
		checkOnlyTaskErrors(rt, "RunUntil", runErr)
		checkOnlyTaskErrors(rt, "Close", closeErr)
		for _, t := range r.tasks {
			if t != nil && !t.Done() {
				rt.Fatalf("task %s is not done after Close", t.Name())
			}
		}
		for _, t := range unfinished {
			if !t.Cancelled() {
				rt.Fatalf("task %s was unfinished at %v but did not end cancelled: %v", t.Name(), cut, t.Err())
			}
		}
		if err := env.Close(); err != nil {
			rt.Fatalf("second Close: %v", err)
		}
		if len(r.bad) > 0 {
			rt.Fatalf("broken invariants:\n%s", strings.Join(r.bad, "\n"))
		}
	})
}
