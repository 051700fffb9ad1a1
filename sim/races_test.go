package sim_test

// The historic asyncio races, as regression tests. Each scenario puts two
// events at exactly the same virtual instant (an inner task's end and a
// WaitFor deadline, an outside Cancel, a child's failure) and runs once under
// the FIFO tie-break, once under LIFO and once under each of raceSeeds seeds
// of the Random tie-break, so that every order of the tied events (and of the
// done-callbacks and wake-ups they schedule at that instant) is tried. Each
// run asserts the invariants that must hold in every order: no outcome is
// lost, no cancellation is lost, nothing hangs, and times are exact. Each
// test also asserts that the race really is exercised: every outcome the
// comments list occurs under at least one seed of the Random tie-break. The
// tallies are logged (go test -v -run Race).

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/internal/testlog"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// raceSeeds is the number of seeds of the Random tie-break each race runs
// under.
const raceSeeds = 200

// Times and values the races share.
const (
	raceAt      = 5 * time.Second // the instant of the race
	raceCleanup = 2 * time.Second // how long a cancelled inner task cleans up
	raceValue   = 42              // the inner task's value
	raceLate    = -1              // the value an inner task returns after swallowing a cancellation
)

// raceOrder is one tie-break configuration.
type raceOrder struct {
	name   string
	random bool
	opts   []sim.Option
}

// raceOrders returns FIFO, LIFO and raceSeeds seeds of Random.
func raceOrders() []raceOrder {
	orders := []raceOrder{
		{"fifo", false, nil},
		{"lifo", false, []sim.Option{sim.WithTieBreak(scheduler.LIFO)}},
	}
	for seed := range uint64(raceSeeds) {
		orders = append(orders, raceOrder{
			name:   fmt.Sprintf("random tie-break seed %d", seed),
			random: true,
			opts:   []sim.Option{sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed)},
		})
	}
	return orders
}

// raceCase is one run of a race scenario in one order.
type raceCase struct {
	t     *testing.T
	order string
	env   *sim.Env
	log   *tlog
}

// errorf reports a broken invariant with the order that broke it (so that
// the failure names the seed that reproduces it) and the run's log.
func (rc *raceCase) errorf(format string, args ...any) {
	rc.t.Helper()
	rc.t.Errorf("%s: %s\nlog:\n%s", rc.order, fmt.Sprintf(format, args...), strings.Join(rc.log.Lines, "\n"))
}

// checkLog compares the run's log with want.
func (rc *raceCase) checkLog(want ...string) {
	rc.t.Helper()
	if !slices.Equal(rc.log.Lines, want) {
		rc.errorf("log differs; want:\n%s", strings.Join(want, "\n"))
	}
}

// raceTally counts the outcomes of a race.
type raceTally struct {
	random     map[string]int // over the seeds of the Random tie-break
	fifo, lifo string         // the outcomes under FIFO and LIFO
}

// runRace runs scenario once in every order of raceOrders, each on a fresh
// Env that it closes, and tallies the outcome label scenario returns. It
// stops at the first order that fails.
func runRace(t *testing.T, scenario func(rc *raceCase) string) raceTally {
	t.Helper()
	tally := raceTally{random: map[string]int{}}
	for _, o := range raceOrders() {
		env := sim.New(o.opts...)
		rc := &raceCase{t: t, order: o.name, env: env, log: testlog.New(env)}
		outcome := scenario(rc)
		if err := env.Close(); err != nil {
			rc.errorf("Close: %v", err)
		}
		switch {
		case o.random:
			tally.random[outcome]++
		case o.name == "fifo":
			tally.fifo = outcome
		default:
			tally.lifo = outcome
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("FIFO: %s", tally.fifo)
	t.Logf("LIFO: %s", tally.lifo)
	for _, k := range slices.Sorted(maps.Keys(tally.random)) {
		t.Logf("%3d of %d random tie-break seeds: %s", tally.random[k], raceSeeds, k)
	}
	return tally
}

// expect checks that FIFO gave fifo, that every outcome of all occurred
// under some seed of the Random tie-break, and that no order gave another.
func (tally raceTally) expect(t *testing.T, fifo string, all ...string) {
	t.Helper()
	if tally.fifo != fifo {
		t.Errorf("FIFO outcome %q; want %q", tally.fifo, fifo)
	}
	if !slices.Contains(all, tally.lifo) {
		t.Errorf("unexpected LIFO outcome %q", tally.lifo)
	}
	for _, o := range all {
		if tally.random[o] == 0 {
			t.Errorf("outcome %q never occurred in %d seeds: the race is not exercised", o, raceSeeds)
		}
	}
	for _, o := range slices.Sorted(maps.Keys(tally.random)) {
		if !slices.Contains(all, o) {
			t.Errorf("unexpected outcome %q", o)
		}
	}
}

// Outcomes of the WaitFor races.
const (
	outValue       = "WaitFor returns the inner's value"
	outTimeout     = "WaitFor times out and the inner ends cancelled"
	outSwallowed   = "the inner swallows the timeout's cancellation; WaitFor returns its value"
	outTimeoutKept = "the inner ends with its value but the deadline comes first: WaitFor times out, the inner keeps 42"
)

// Race (wait_for, Python 3.13: "async with timeouts.timeout(timeout):
// return await fut", test_waitfor.py; 3.11's "the inner's outcome wins" no
// longer holds): the inner task returns its value at exactly the instant
// of the WaitFor deadline. The outcome is decided by the order of events,
// as a timeout scope's would be, and nothing hangs:
//
//   - the deadline's event runs first: it cancels the inner's sleep, the
//     inner ends cancelled, and WaitFor fails with a timeout error; an inner
//     that swallows the cancellation and returns -1 gives WaitFor -1;
//   - the inner's wake-up runs first and the inner ends with 42; then
//     whichever runs first of the inner's done-callback (which hands 42 to
//     the WaitFor: WaitFor returns 42) and the deadline (which, like a
//     timeout scope's cancellation landing in the awaiting task before it
//     resumes, times the WaitFor out; the inner keeps 42) decides.
//
// A timeout leaves the inner either cancelled or holding 42; a value is
// always the inner's. Under FIFO the event pushed first wins: the deadline
// when the WaitFor is created before the inner's sleep starts; otherwise
// the inner ends first, and its done-callback, pushed at the deadline's
// instant, comes after the deadline (pushed at 0s): a timeout.
func TestRaceWaitForInnerDoneAtDeadline(t *testing.T) {
	for _, tc := range []struct {
		name          string
		deadlineFirst bool // the WaitFor's timer is pushed before the inner's sleep
		swallow       bool // the inner returns raceLate when cancelled
		fifo          string
		all           []string
	}{
		{"deadline pushed first", true, false, outTimeout, []string{outTimeout, outValue, outTimeoutKept}},
		{"inner's sleep pushed first", false, false, outTimeoutKept, []string{outTimeout, outValue, outTimeoutKept}},
		{"deadline pushed first, inner swallows", true, true, outSwallowed, []string{outSwallowed, outValue, outTimeoutKept}},
		{"inner's sleep pushed first, inner swallows", false, true, outTimeoutKept, []string{outSwallowed, outValue, outTimeoutKept}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tally := runRace(t, func(rc *raceCase) string { return raceWaitForDeadline(rc, tc.deadlineFirst, tc.swallow) })
			tally.expect(t, tc.fifo, tc.all...)
		})
	}
}

func raceWaitForDeadline(rc *raceCase, deadlineFirst, swallow bool) string {
	env, log := rc.env, rc.log
	var inner, awaiter *sim.Task[int]
	innerBody := func(p *sim.Proc) (int, error) {
		if err := p.Sleep(raceAt); err != nil {
			log.Add("inner", "cancelled")
			if swallow {
				return raceLate, nil
			}
			return 0, err
		}
		log.Add("inner", "done")
		return raceValue, nil
	}
	var (
		got           int
		gotErr        error
		innerDoneThen bool
	)
	awaiterBody := func(p *sim.Proc) (int, error) {
		got, gotErr = sim.Await(p, future.WaitFor[int](env.Loop(), inner, raceAt))
		innerDoneThen = inner.Done()
		log.Add("awaiter", "WaitFor: %d, %v", got, gotErr)
		return got, gotErr
	}
	if deadlineFirst {
		awaiter = sim.Go(env, "awaiter", awaiterBody)
		inner = sim.Go(env, "inner", innerBody)
	} else {
		inner = sim.Go(env, "inner", innerBody)
		awaiter = sim.Go(env, "awaiter", awaiterBody)
	}
	v, err := sim.RunUntilComplete(env, awaiter)
	if errors.Is(err, sim.ErrDeadlock) || !awaiter.Done() {
		rc.errorf("RunUntilComplete hangs: %v", err)
		return "hang"
	}
	if v != got || err != gotErr || env.Now() != raceAt {
		rc.errorf("RunUntilComplete = %d, %v at %v; want the awaiter's %d, %v at %v", v, err, env.Now(), got, gotErr, raceAt)
	}
	if err := env.Run(); err != nil || env.Now() != raceAt {
		rc.errorf("Run after the race = %v at %v; want nil at %v (WaitFor's timer left behind?)", err, env.Now(), raceAt)
	}
	if !innerDoneThen {
		rc.errorf("WaitFor returned before the inner task was done")
	}
	iv, ierr := inner.Result()
	switch {
	case gotErr == nil:
		if iv != got || ierr != nil || inner.Cancelled() {
			rc.errorf("WaitFor = %d but the inner holds %d, %v (cancelled %v)", got, iv, ierr, inner.Cancelled())
		}
		if got == raceValue {
			rc.checkLog("5s inner done", "5s awaiter WaitFor: 42, <nil>")
			return outValue
		}
		if got == raceLate && swallow {
			rc.checkLog("5s inner cancelled", "5s awaiter WaitFor: -1, <nil>")
			return outSwallowed
		}
		rc.errorf("WaitFor = %d, nil; want %d or %d", got, raceValue, raceLate)
		return "wrong value"
	case errors.Is(gotErr, sim.ErrTimeout):
		var te *sim.TimeoutError
		if !errors.As(gotErr, &te) || te.After != raceAt || !errors.Is(gotErr, context.DeadlineExceeded) || errors.Is(gotErr, sim.ErrCancelled) {
			rc.errorf("WaitFor error %#v; want a *TimeoutError after %v, matching only ErrTimeout and DeadlineExceeded", gotErr, raceAt)
		}
		if !inner.Cancelled() {
			if iv != raceValue || ierr != nil {
				rc.errorf("WaitFor timed out while the inner holds %d, %v; want cancelled or %d", iv, ierr, raceValue)
			}
			rc.checkLog("5s inner done", "5s awaiter WaitFor: 0, timed out after 5s")
			return outTimeoutKept
		}
		rc.checkLog("5s inner cancelled", "5s awaiter WaitFor: 0, timed out after 5s")
		return outTimeout
	}
	rc.errorf("WaitFor = %d, %v; want a value or a timeout", got, gotErr)
	return "wrong error"
}

// Outcomes of the outside-cancel race.
const (
	outBothCancelled = "Cancel runs first: the awaiter and the inner end cancelled"
	outInnerKeeps    = "the inner ends first and keeps its value; the awaiter ends cancelled"
	outTooLate       = "the awaiter has returned the value; Cancel returns false"
)

// Race (Task.cancel while the awaited future completes): a task awaits
// WaitFor(inner, 1h) and is cancelled from outside at exactly the instant the
// inner returns 42. The cancellation is never lost and neither is the value:
//
//   - Cancel runs before the inner's wake-up: it cancels the WaitFor, which
//     cancels the inner's sleep; the inner and the awaiter end cancelled;
//   - the inner's wake-up runs first: the inner keeps 42; Cancel reaches the
//     WaitFor (still pending, its done-callback not run yet) or the awaiter
//     (whose wake-up is scheduled: the cancellation is delivered on
//     resumption, asyncio's _must_cancel); either way the awaiter's Await
//     returns the cancellation;
//   - the awaiter has resumed and returned 42 before Cancel runs: Cancel
//     returns false.
//
// So: if Cancel returned true, Await returned an error matching
// ErrCancelled with Cancel's message, and the awaiter ended cancelled; the
// inner ends cancelled only if Cancel returned true. Under FIFO the event
// pushed first wins.
func TestRaceOutsideCancelAtInnerEnd(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cancelFirst bool // the Cancel's event is pushed before the inner's sleep
		fifo        string
	}{
		{"cancel pushed first", true, outBothCancelled},
		{"inner's sleep pushed first", false, outInnerKeeps},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tally := runRace(t, func(rc *raceCase) string { return raceOutsideCancel(rc, tc.cancelFirst) })
			tally.expect(t, tc.fifo, outBothCancelled, outInnerKeeps, outTooLate)
		})
	}
}

func raceOutsideCancel(rc *raceCase, cancelFirst bool) string {
	env, log := rc.env, rc.log
	var (
		awaiter  *sim.Task[int]
		accepted bool
		ran      bool
		got      int
		gotErr   error
	)
	cancel := func() {
		ran = true
		accepted = awaiter.Cancel("outside")
		log.Add("outside", "Cancel(awaiter) = %v", accepted)
	}
	inner := sim.Go(env, "inner", sleeper(log, "inner", raceAt, raceValue))
	awaiter = sim.Go(env, "awaiter", func(p *sim.Proc) (int, error) {
		if !cancelFirst {
			env.CallAt(raceAt, cancel) // after the inner's sleep, which started first
		}
		got, gotErr = sim.Await(p, future.WaitFor[int](env.Loop(), inner, time.Hour))
		log.Add("awaiter", "Await(WaitFor): %d, %v", got, gotErr)
		return got, gotErr
	})
	if cancelFirst {
		env.CallAt(raceAt, cancel) // before the tasks' first steps push anything at raceAt
	}
	if _, err := sim.RunUntilComplete(env, awaiter); errors.Is(err, sim.ErrDeadlock) || !awaiter.Done() {
		rc.errorf("RunUntilComplete hangs: %v", err)
		return "hang"
	}
	if err := env.Run(); err != nil || env.Now() != raceAt || !ran {
		rc.errorf("Run after the race = %v at %v, Cancel ran %v; want nil at %v, Cancel run", err, env.Now(), ran, raceAt)
	}
	iv, ierr := inner.Result()
	innerOK := iv == raceValue && ierr == nil && !inner.Cancelled()
	if !innerOK && !inner.Cancelled() {
		rc.errorf("the inner ended with %d, %v; want %d or cancelled", iv, ierr, raceValue)
	}
	if !accepted {
		if got != raceValue || gotErr != nil || awaiter.Cancelled() || !innerOK {
			rc.errorf("Cancel returned false, but Await = %d, %v, the awaiter cancelled %v, the inner %d, %v", got, gotErr, awaiter.Cancelled(), iv, ierr)
		}
		rc.checkLog("5s inner done", "5s awaiter Await(WaitFor): 42, <nil>", "5s outside Cancel(awaiter) = false")
		return outTooLate
	}
	var ce *sim.CancelledError
	if !errors.As(gotErr, &ce) || ce.Msg != "outside" || !awaiter.Cancelled() {
		rc.errorf("Cancel returned true, but Await = %d, %v and the awaiter cancelled %v: the cancellation is lost", got, gotErr, awaiter.Cancelled())
	}
	if innerOK {
		rc.checkLog("5s inner done", "5s outside Cancel(awaiter) = true", "5s awaiter Await(WaitFor): 0, cancelled: outside")
		return outInnerKeeps
	}
	rc.checkLog(
		"5s outside Cancel(awaiter) = true",
		"5s inner cancelled: cancelled: outside",
		"5s awaiter Await(WaitFor): 0, cancelled: outside",
	)
	return outBothCancelled
}

// Outcomes of the cleanup races.
const (
	outCleanTimeout   = "timeout after the inner's full cleanup (7s)"
	outCleanTimeoutAt = "timeout at the deadline; the inner ended with its value just before (5s)"
	outCleanValue     = "the inner's value at the deadline (5s)"
	outCleanCancelled = "cancelled after the inner's full cleanup (7s)"
	outCleanCut       = "cancelled; the second cancel cut the inner's cleanup short (5s)"
)

// Race (wait_for waits for the cancelled inner to finish): the inner, when
// cancelled, cleans up for 2s (it sleeps, then logs). WaitFor returns only
// once the inner is done: at the end of the cleanup, after the cleanup's log
// line, and with the inner Done when the awaiter resumes.
//
//   - inner sleeps 10s, deadline 5s: in every order the inner is cancelled at
//     5s, cleans up until 7s, and WaitFor times out at 7s;
//   - inner sleeps exactly 5s: either its wake-up and its done-callback
//     run before the deadline (value at 5s), or its wake-up does and the
//     deadline comes before the done-callback (timeout at 5s, the inner
//     keeps its value: Python 3.13's timeout scope), or the deadline runs
//     first (cleanup, timeout at 7s);
//   - the awaiter is cancelled from outside at the deadline: if the Cancel
//     runs before the inner resumes from its first cancellation (before the
//     deadline, or between the deadline and the inner's wake-up, where the
//     two requests merge into one delivery), the cleanup runs its full 2s and
//     WaitFor ends cancelled at 7s; if the inner has already started its
//     cleanup sleep, the WaitFor passes the second cancellation on (as
//     asyncio's wait_for does), the cleanup ends at once and WaitFor ends
//     cancelled at 5s. Never a timeout: the outside cancellation wins.
func TestRaceWaitForReturnsAfterInnerCleanup(t *testing.T) {
	for _, tc := range []struct {
		name      string
		innerEnd  time.Duration
		cancelAt  time.Duration // 0: no outside cancel
		pushFirst bool          // the outside cancel is pushed before the WaitFor's timer
		fifo      string
		all       []string
	}{
		{"deadline first", 10 * time.Second, 0, false, outCleanTimeout, []string{outCleanTimeout}},
		{"inner ends at the deadline", raceAt, 0, false, outCleanTimeoutAt, []string{outCleanValue, outCleanTimeout, outCleanTimeoutAt}},
		{"outside cancel at the deadline, pushed first", 10 * time.Second, raceAt, true, outCleanCancelled, []string{outCleanCancelled, outCleanCut}},
		{"outside cancel at the deadline, pushed after", 10 * time.Second, raceAt, false, outCleanCancelled, []string{outCleanCancelled, outCleanCut}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tally := runRace(t, func(rc *raceCase) string {
				return raceWaitForCleanup(rc, tc.innerEnd, tc.cancelAt, tc.pushFirst)
			})
			tally.expect(t, tc.fifo, tc.all...)
		})
	}
}

func raceWaitForCleanup(rc *raceCase, innerEnd, cancelAt time.Duration, pushFirst bool) string {
	env, log := rc.env, rc.log
	var (
		awaiter       *sim.Task[int]
		innerEndedAt  time.Duration
		got           int
		gotErr        error
		innerDoneThen bool
	)
	cancel := func() { log.Add("outside", "Cancel(awaiter) = %v", awaiter.Cancel("outside")) }
	inner := sim.Go(env, "inner", func(p *sim.Proc) (int, error) {
		defer func() { innerEndedAt = p.Now() }()
		err := p.Sleep(innerEnd)
		if err == nil {
			log.Add("inner", "done")
			return raceValue, nil
		}
		log.Add("inner", "cancelled; cleaning up")
		cerr := p.Sleep(raceCleanup) // a cancelled task may still wait
		log.Add("inner", "cleanup done: %v", cerr)
		return 0, err
	})
	awaiter = sim.Go(env, "awaiter", func(p *sim.Proc) (int, error) {
		if cancelAt > 0 && pushFirst {
			env.CallAt(cancelAt, cancel)
		}
		w := future.WaitFor[int](env.Loop(), inner, raceAt)
		if cancelAt > 0 && !pushFirst {
			env.CallAt(cancelAt, cancel)
		}
		got, gotErr = sim.Await(p, w)
		innerDoneThen = inner.Done()
		log.Add("awaiter", "WaitFor: %d, %v", got, gotErr)
		return got, gotErr
	})
	if _, err := sim.RunUntilComplete(env, awaiter); errors.Is(err, sim.ErrDeadlock) || !awaiter.Done() {
		rc.errorf("RunUntilComplete hangs: %v", err)
		return "hang"
	}
	returnedAt := env.Now()
	if err := env.Run(); err != nil {
		rc.errorf("Run after the race: %v", err)
	}
	if !innerDoneThen || returnedAt != innerEndedAt {
		rc.errorf("WaitFor returned at %v (inner done: %v); the inner ended at %v", returnedAt, innerDoneThen, innerEndedAt)
	}
	switch {
	case gotErr == nil:
		rc.checkLog("5s inner done", "5s awaiter WaitFor: 42, <nil>")
		return outCleanValue
	case errors.Is(gotErr, sim.ErrTimeout):
		if cancelAt > 0 {
			rc.errorf("WaitFor timed out although the awaiter was cancelled from outside: the cancellation is lost")
		}
		if returnedAt == raceAt {
			rc.checkLog("5s inner done", "5s awaiter WaitFor: 0, timed out after 5s")
			return outCleanTimeoutAt
		}
		rc.checkLog("5s inner cancelled; cleaning up", "7s inner cleanup done: <nil>", "7s awaiter WaitFor: 0, timed out after 5s")
		return outCleanTimeout
	case errors.Is(gotErr, sim.ErrCancelled) && cancelAt > 0:
		if returnedAt == raceAt {
			rc.checkLog(
				"5s inner cancelled; cleaning up",
				"5s outside Cancel(awaiter) = true",
				"5s inner cleanup done: cancelled: outside",
				"5s awaiter WaitFor: 0, cancelled: outside",
			)
			return outCleanCut
		}
		rc.checkLog(
			"5s outside Cancel(awaiter) = true",
			"5s inner cancelled; cleaning up",
			"7s inner cleanup done: <nil>",
			"7s awaiter WaitFor: 0, cancelled: outside",
		)
		return outCleanCancelled
	}
	rc.errorf("WaitFor = %d, %v", got, gotErr)
	return "wrong outcome"
}

// Outcomes of the TaskGroup race.
const (
	outGroupReDelivered = "GroupError{boom} with Cancelled; the outside cancel is re-delivered at the next wait"
	outGroupThenCancel  = "GroupError{boom} without Cancelled; the outside cancel reaches the next wait"
	outGroupChildCancel = "the child is cancelled before it fails; Group returns the outside cancellation"
)

// Race (TaskGroup, Python 3.13): the task running a Group is cancelled from
// outside at 1s, the instant a child ("bad") fails with boom; a sibling
// sleeps for an hour. Neither the failure nor the cancellation is lost:
//
//   - if "bad" fails (always, when it fails even when cancelled; otherwise
//     when its wake-up runs before the group's abort cancels it), Group
//     returns a *GroupError whose Errs are exactly [boom]. If the outside
//     Cancel ran before the group finished (before the parent's last
//     resumption in Group's exit: the body's wait, or the exit's wait for
//     the children, took the cancellation), Cancelled is true and Group
//     cancels the parent again, so that its next wait returns a
//     cancellation. If the Cancel runs after Group returned (the child's
//     failure, its done-callback, the parent's wake-ups and the sibling's
//     cancellation all ran first), Cancelled is false and the Cancel reaches
//     the parent's next wait directly;
//   - if "bad" honours cancellation and the parent took the outside
//     cancellation and aborted the group before bad's wake-up ran, bad ends
//     cancelled without failing, and Group returns the cancellation itself.
//
// In every order the parent, which returns the error of its next wait (or
// Group's cancellation), ends cancelled at 1s, and the sibling ends
// cancelled at 1s. The body either waits (it sleeps an hour) or has returned
// and the group waits in its exit; the Cancel's event is pushed before or
// after the child's sleep. Under FIFO the child's wake-up (pushed at 0s)
// runs before the parent's (pushed by the Cancel at 1s) whatever the
// variant: the child fails, and the group reports it with Cancelled set.
func TestRaceTaskGroupOutsideCancelWhileChildFails(t *testing.T) {
	for _, stubborn := range []bool{true, false} {
		for _, bodyWaits := range []bool{true, false} {
			for _, cancelFirst := range []bool{true, false} {
				name := fmt.Sprintf("child fails when cancelled %v, body waits %v, cancel pushed first %v", stubborn, bodyWaits, cancelFirst)
				t.Run(name, func(t *testing.T) {
					tally := runRace(t, func(rc *raceCase) string {
						return raceGroup(rc, stubborn, bodyWaits, cancelFirst)
					})
					all := []string{outGroupReDelivered, outGroupThenCancel}
					if !stubborn {
						all = append(all, outGroupChildCancel)
					}
					// Under FIFO the child's wake-up, pushed at 0s, always
					// runs before the parent's, which the Cancel pushes at
					// 1s: the child fails first, and the parent takes the
					// outside cancel in the group.
					tally.expect(t, outGroupReDelivered, all...)
				})
			}
		}
	}
}

func raceGroup(rc *raceCase, stubborn, bodyWaits, cancelFirst bool) string {
	env, log := rc.env, rc.log
	boom := errors.New("boom")
	var (
		parent, bad, slow    *sim.Task[int]
		accepted, groupEnded bool
		cancelledAfterGroup  bool
		groupErr             error
		groupAt              time.Duration
	)
	cancel := func() {
		cancelledAfterGroup = groupEnded
		accepted = parent.Cancel("outside")
		log.Add("outside", "Cancel(parent) = %v", accepted)
	}
	badBody := failer(log, "bad", time.Second, boom) // returns the cancellation if cancelled
	if stubborn {
		badBody = func(p *sim.Proc) (int, error) {
			err := p.Sleep(time.Second)
			log.Add("bad", "fails (sleep: %v)", err)
			return 0, boom
		}
	}
	parent = sim.Go(env, "parent", func(p *sim.Proc) (int, error) {
		err := sim.Group(p, func(g *sim.TaskGroup) error {
			bad = sim.GoIn(g, "bad", badBody)
			slow = sim.GoIn(g, "slow", sleeper(log, "slow", time.Hour, 1))
			if !cancelFirst {
				// Runs after the children's first steps: the Cancel's
				// event comes after bad's sleep.
				env.CallSoon(func() { env.CallAt(time.Second, cancel) })
			}
			if !bodyWaits {
				return nil
			}
			err := p.Sleep(time.Hour)
			log.Add("parent", "body sees %v", err)
			return err
		})
		groupErr, groupAt, groupEnded = err, p.Now(), true
		log.Add("parent", "Group: %v", err)
		if errors.Is(err, sim.ErrCancelled) {
			return 0, err
		}
		err = p.Sleep(time.Second)
		log.Add("parent", "next wait: %v", err)
		return 0, err
	})
	if cancelFirst {
		env.CallAt(time.Second, cancel)
	}
	if _, err := sim.RunUntilComplete(env, parent); errors.Is(err, sim.ErrDeadlock) || !parent.Done() {
		rc.errorf("RunUntilComplete hangs: %v", err)
		return "hang"
	}
	if env.Now() != time.Second || groupAt != time.Second {
		rc.errorf("Group returned at %v and the parent ended at %v; want both at 1s", groupAt, env.Now())
	}
	if err := env.Run(); err != nil {
		rc.errorf("Run after the race: %v", err)
	}
	if !accepted || !parent.Cancelled() {
		rc.errorf("Cancel(parent) = %v, the parent cancelled %v; want both true: the outside cancellation is lost", accepted, parent.Cancelled())
	}
	if !slow.Cancelled() {
		rc.errorf("the sibling was not cancelled")
	}
	badErr := bad.Err()
	if bad.Cancelled() {
		if stubborn {
			rc.errorf("a child that fails even when cancelled ended cancelled")
		}
		if !errors.Is(groupErr, sim.ErrCancelled) || cancelledAfterGroup {
			rc.errorf("the child was cancelled before it failed, but Group returned %v (Cancel after Group: %v); want the outside cancellation", groupErr, cancelledAfterGroup)
		}
		return outGroupChildCancel
	}
	if badErr != boom {
		rc.errorf("bad ended with %v; want boom", badErr)
	}
	var ge *sim.GroupError
	if !errors.As(groupErr, &ge) || len(ge.Errs) != 1 || ge.Errs[0] != boom {
		rc.errorf("Group returned %v; want a *GroupError with Errs [boom]: the child's failure is lost", groupErr)
		return "failure lost"
	}
	if ge.Cancelled == cancelledAfterGroup {
		rc.errorf("GroupError.Cancelled = %v, but the Cancel ran after Group returned: %v", ge.Cancelled, cancelledAfterGroup)
	}
	if ge.Cancelled {
		return outGroupReDelivered
	}
	return outGroupThenCancel
}

// Outcomes of the Gather race.
const (
	outGatherFailed    = "the gather fails with boom"
	outGatherCancelled = "the gather ends cancelled; a was cancelled before it failed"
	outGatherSibling   = "the gather ends cancelled; a failed, but a cancelled sibling was reported first"
	outGatherAwaiter   = "the gather fails with boom; the awaiter, cancelled after that, ends cancelled"
	outGatherAbsorbed  = "the gather takes the awaiter's cancel (b accepts it) but fails with boom; the awaiter gets boom"
	outGatherLate      = "the awaiter has returned boom; Cancel returns false"
)

// Race (gather, return_exceptions=False): child a fails with boom at 1s, the
// instant the gather is cancelled (directly, or by cancelling the task that
// awaits it); child b sleeps an hour and child c returns 3 at 1s. The gather
// ends either failed with boom or cancelled, and every child ends done:
//
//   - the Cancel runs before a's wake-up: a is cancelled and the gather ends
//     cancelled ("stop"); so does an awaiter whose cancellation it was;
//   - a's failure is reported (its done-callback runs) before any cancelled
//     child is: the gather fails with boom, even when its Cancel was
//     accepted by b (asyncio's _done_callback sets the first exception it
//     sees). A task awaiting it and cancelled after the failure ends
//     cancelled (its cancellation is delivered on resumption). A task
//     awaiting it and cancelled before the failure was reported passed its
//     cancellation to the gather, which accepted it (b was cancelled) and
//     then failed: the task gets boom, as in asyncio, where Task.cancel
//     returns True once the awaited future accepts the request; its
//     Cancelling() count still records the request;
//   - never under FIFO, where done-callbacks run in the order they were
//     scheduled, but under some Random tie-break seeds: a fails, the Cancel
//     cancels b, and b's cancellation is reported before a's failure: the
//     gather ends cancelled; a keeps its failure, which the gather read (so
//     Run does not report it as unread);
//   - an awaiter already resumed with boom when the Cancel runs: Cancel
//     returns false.
//
// b, when not cancelled, ends at 1h; the gather is done at 1s.
func TestRaceGatherCancelledWhileChildFails(t *testing.T) {
	for _, tc := range []struct {
		viaAwaiter, cancelFirst bool
		fifo                    string
		all                     []string
	}{
		{false, true, outGatherCancelled, []string{outGatherCancelled, outGatherFailed, outGatherSibling}},
		{false, false, outGatherFailed, []string{outGatherCancelled, outGatherFailed, outGatherSibling}},
		{true, true, outGatherCancelled, []string{outGatherCancelled, outGatherSibling, outGatherAwaiter, outGatherAbsorbed, outGatherLate}},
		{true, false, outGatherAbsorbed, []string{outGatherCancelled, outGatherSibling, outGatherAwaiter, outGatherAbsorbed, outGatherLate}},
	} {
		name := fmt.Sprintf("cancel the awaiter %v, cancel pushed first %v", tc.viaAwaiter, tc.cancelFirst)
		t.Run(name, func(t *testing.T) {
			tally := runRace(t, func(rc *raceCase) string { return raceGather(rc, tc.viaAwaiter, tc.cancelFirst) })
			tally.expect(t, tc.fifo, tc.all...)
		})
	}
}

func raceGather(rc *raceCase, viaAwaiter, cancelFirst bool) string {
	env, log := rc.env, rc.log
	boom := errors.New("boom")
	a := sim.Go(env, "a", failer(log, "a", time.Second, boom))
	b := sim.Go(env, "b", sleeper(log, "b", time.Hour, 2))
	c := sim.Go(env, "c", sleeper(log, "c", time.Second, 3))
	g := future.Gather[int](env.Loop(), a, b, c)
	var gDoneAt time.Duration
	g.AddDoneCallback(func() { gDoneAt = env.Now() })
	var (
		awaitErr error
		accepted bool
	)
	awaiter := sim.Go(env, "awaiter", func(p *sim.Proc) (int, error) {
		_, awaitErr = sim.Await(p, g)
		log.Add("awaiter", "Await(gather): %v", awaitErr)
		return 0, awaitErr
	})
	cancel := func() {
		if viaAwaiter {
			accepted = awaiter.Cancel("stop")
		} else {
			accepted = g.Cancel("stop")
		}
		log.Add("outside", "Cancel = %v", accepted)
	}
	if cancelFirst {
		env.CallAt(time.Second, cancel)
	} else {
		env.CallSoon(func() { env.CallAt(time.Second, cancel) }) // after the children's sleeps
	}
	if _, err := sim.RunUntilComplete(env, awaiter); errors.Is(err, sim.ErrDeadlock) || !awaiter.Done() {
		rc.errorf("RunUntilComplete hangs: %v", err)
		return "hang"
	}
	if err := env.Run(); err != nil {
		rc.errorf("Run after the race: %v", err)
	}
	for _, ch := range []*sim.Task[int]{a, b, c} {
		if !ch.Done() {
			rc.errorf("child %s is not done", ch.Name())
		}
	}
	if !g.Done() || gDoneAt != time.Second {
		rc.errorf("gather done %v at %v; want done at 1s", g.Done(), gDoneAt)
	}
	if !b.Cancelled() && env.Now() != time.Hour {
		rc.errorf("b was not cancelled but the run ended at %v; want 1h", env.Now())
	}
	_, gErr := g.Result()
	aErr := a.Err()
	if aErr != boom && !a.Cancelled() {
		rc.errorf("a ended with %v; want boom or cancelled", aErr)
	}
	if !viaAwaiter && awaitErr != gErr {
		rc.errorf("the awaiter got %v; the gather ended with %v", awaitErr, gErr)
	}
	switch {
	case gErr == boom && !g.Cancelled():
		if !viaAwaiter {
			return outGatherFailed
		}
		switch {
		case !accepted:
			if awaitErr != boom || awaiter.Cancelled() {
				rc.errorf("Cancel(awaiter) returned false, but the awaiter got %v (cancelled %v); want boom", awaitErr, awaiter.Cancelled())
			}
			return outGatherLate
		case awaitErr == boom:
			if !b.Cancelled() || awaiter.Cancelling() != 1 {
				rc.errorf("the awaiter got boom after its Cancel returned true, but b cancelled %v, Cancelling() = %d", b.Cancelled(), awaiter.Cancelling())
			}
			return outGatherAbsorbed
		}
		var ce *sim.CancelledError
		if !errors.As(awaitErr, &ce) || ce.Msg != "stop" || !awaiter.Cancelled() {
			rc.errorf("Cancel(awaiter) returned true, but the awaiter got %v (cancelled %v): the cancellation is lost", awaitErr, awaiter.Cancelled())
		}
		return outGatherAwaiter
	case g.Cancelled():
		var ce *sim.CancelledError
		if !errors.As(gErr, &ce) || ce.Msg != "stop" || !accepted || !b.Cancelled() {
			rc.errorf("gather cancelled with %v, Cancel = %v, b cancelled %v", gErr, accepted, b.Cancelled())
		}
		if awaitErr != gErr {
			rc.errorf("the awaiter got %v; the gather ended with %v", awaitErr, gErr)
		}
		if aErr == boom {
			return outGatherSibling
		}
		return outGatherCancelled
	}
	rc.errorf("gather ended with %v (cancelled %v); want boom or cancelled", gErr, g.Cancelled())
	return "wrong outcome"
}
