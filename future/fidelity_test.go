package future_test

// Regressions for vtsim issue 12's asyncio-fidelity points that need no
// simulation (a fakeLoop is enough). Each test names the CPython rule.

import (
	"errors"
	"testing"

	"github.com/vtsim/vtsim/future"
)

// Rule (asyncio Future.remove_done_callback: "Remove callback from the
// callbacks list", of this future only): an id handed out by one future
// identifies nothing on another, so passing it there removes nothing.
func TestRemoveDoneCallbackOfAnotherFuture(t *testing.T) {
	loop := &fakeLoop{}
	a, ra := future.New[int](loop)
	b, rb := future.New[int](loop)
	var log []string
	idA := a.AddDoneCallback(func() { log = append(log, "a") })
	b.AddDoneCallback(func() { log = append(log, "b") })
	if b.RemoveDoneCallback(idA) {
		t.Error("b.RemoveDoneCallback(an id of a) = true; want false")
	}
	ra.SetResult(1)
	rb.SetResult(2)
	loop.run()
	if len(log) != 2 || log[0] != "a" || log[1] != "b" {
		t.Errorf("callbacks run %v; want [a b]", log)
	}
	var zero future.CallbackID
	if a.RemoveDoneCallback(zero) {
		t.Error("RemoveDoneCallback(zero id) = true")
	}
}

// watchLoop is a fakeLoop that implements future.FailureWatcher, as a mock
// exception handler.
type watchLoop struct {
	fakeLoop
	watched []future.Unreader
}

func (l *watchLoop) WatchFailure(f future.Unreader) { l.watched = append(l.watched, f) }

// Rule (test_tasks.py test_shield_cancel_outer_exception: the loop's
// exception handler is "called once"; test_shield_cancel_outer_result:
// "not called"): a Shield whose outer future was cancelled hands the
// inner's failure to the Loop's FailureWatcher, unread.
func TestShieldCancelOuterException(t *testing.T) {
	for _, fail := range []bool{true, false} {
		loop := &watchLoop{}
		inner, res := future.New[int](loop)
		outer := future.Shield[int](loop, inner)
		loop.run()
		outer.Cancel("")
		loop.run()
		if fail {
			res.SetError(errors.New("foo"))
		} else {
			res.SetResult(1)
		}
		loop.run()
		switch {
		case fail && (len(loop.watched) != 1 || loop.watched[0].Unread() == nil):
			t.Errorf("the inner's failure was handed over %d times (unread: %v); want once, unread", len(loop.watched), len(loop.watched) == 1 && loop.watched[0].Unread() != nil)
		case !fail && len(loop.watched) != 0:
			t.Errorf("a value was handed over as a failure")
		}
	}
}
