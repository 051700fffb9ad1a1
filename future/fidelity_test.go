package future_test

// Regressions for vtsim issue 12's asyncio-fidelity points that need no
// simulation (a fakeLoop is enough). Each test names the CPython rule.

import (
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
