package scheduler_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// TestAdvance drives two sets through the same random pushes, pops and
// cancellations, and before each pop asks one of them whether an entry
// pushed for a random time would come next (Advance). When it says yes,
// the other set gets that entry pushed and popped, and must pop it first;
// the two must then go on popping the same entries in the same order, as
// if nothing had happened. When it says no, it must not have changed
// anything.
func TestAdvance(t *testing.T) {
	for _, kind := range []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue} {
		for _, tb := range []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO, scheduler.Random} {
			yes := 0
			for seed := range uint64(30) {
				yes += advanceRun(t, kind, tb, seed)
			}
			t.Logf("%v/%v: Advance said yes %d times", kind, tb, yes)
			if kind == scheduler.HeapQueue && tb == scheduler.FIFO && yes == 0 {
				t.Errorf("%v/%v: Advance never said yes", kind, tb)
			}
			if (kind != scheduler.HeapQueue || tb != scheduler.FIFO) && yes != 0 {
				t.Errorf("%v/%v: Advance said yes %d times; it takes only FIFO on the heap", kind, tb, yes)
			}
		}
	}
}

func advanceRun(t *testing.T, kind scheduler.Kind, tb scheduler.TieBreak, seed uint64) (yes int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	a := scheduler.NewSet(scheduler.New[int](kind), tb, seed)
	b := scheduler.NewSet(scheduler.New[int](kind), tb, seed)
	var ta, tbk []scheduler.Ticket
	now := time.Duration(0)
	next := 0
	for step := range 3000 {
		switch op := r.IntN(10); {
		case op < 4: // push, due now or later, sometimes with a priority
			at := now + time.Duration(r.IntN(4))*time.Duration(r.IntN(3))
			prio := int8(0)
			if r.IntN(5) == 0 {
				prio = int8(r.IntN(3) - 1)
			}
			ta = append(ta, a.Push(at, prio, next))
			tbk = append(tbk, b.Push(at, prio, next))
			next++
		case op < 5 && len(ta) > 0: // cancel
			i := r.IntN(len(ta))
			if ca, cb := a.Cancel(ta[i]), b.Cancel(tbk[i]); ca != cb {
				t.Fatalf("seed %d step %d: Cancel %v and %v", seed, step, ca, cb)
			}
		default: // pop, after an Advance on a
			at := now + time.Duration(r.IntN(3))
			before := a.Len()
			if a.Advance(at) {
				yes++
				b.Push(at, 0, -1)
				e, ok := b.Pop()
				if !ok || e.Value != -1 || e.At != at {
					t.Fatalf("seed %d step %d: Advance(%v) said yes, but the push popped %v, %v", seed, step, at, e, ok)
				}
				now = at
			}
			if a.Len() != before {
				t.Fatalf("seed %d step %d: Advance changed Len from %d to %d", seed, step, before, a.Len())
			}
			ea, oka := a.Pop()
			eb, okb := b.Pop()
			if oka != okb || ea.At != eb.At || ea.Value != eb.Value {
				t.Fatalf("seed %d step %d: pops %v %v and %v %v", seed, step, ea, oka, eb, okb)
			}
			if oka {
				now = ea.At
			}
		}
	}
	if la, lb := a.Len(), b.Len(); la != lb {
		t.Fatalf("seed %d: Len %d and %d at the end", seed, la, lb)
	}
	return yes
}
