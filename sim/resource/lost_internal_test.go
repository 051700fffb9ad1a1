package resource

import (
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// TestPreemptedRequestsLeaveNoRecord: a Request granted, preempted and
// never released (its Release would do nothing) leaves no record in the
// Resource; before, each one stayed in the list of preempted holders for
// ever, and every Release scanned it (review, 2026-12-04).
func TestPreemptedRequestsLeaveNoRecord(t *testing.T) {
	env := sim.New()
	defer env.Close()
	r := NewPreemptiveResource(1)
	var reqs []*Request
	for i := range 1000 {
		env.CallAt(time.Duration(i)*time.Second, func() { reqs = append(reqs, r.RequestPriorityFuture(env, 1000-i)) })
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	for i, q := range reqs[:999] {
		if !q.Preempted() {
			t.Fatalf("request %d not preempted", i)
		}
	}
	if n := len(r.lost); n != 0 {
		t.Errorf("%d records of preempted holders left; want 0", n)
	}
	if r.Count() != 1 {
		t.Errorf("Count = %d; want the last request's unit", r.Count())
	}
}
