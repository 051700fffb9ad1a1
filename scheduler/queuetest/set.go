package queuetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vtsim/vtsim/internal/setref"
	"github.com/vtsim/vtsim/scheduler"
)

// setTester drives a Set on the queue under test, a twin Set on a
// scheduler.Heap with the same policy and seed, and the reference model.
// The Set gives every entry its Key, so a correct queue makes its Set
// return exactly what the twin returns; the model checks both against the
// policy's rule.
type setTester struct {
	c       *checker
	s, twin *scheduler.Set[int]
	tickets [][2]scheduler.Ticket // by push number: on s, on twin
	m       setref.Model
}

func newSetTester(c *checker, tb scheduler.TieBreak, seed uint64) *setTester {
	return &setTester{
		c:    c,
		s:    scheduler.NewSet(c.queue(), tb, seed),
		twin: scheduler.NewSet[int](&scheduler.Heap[int]{}, tb, seed),
		m:    setref.Model{TB: tb},
	}
}

func (x *setTester) push(at time.Duration, prio int8) {
	id := len(x.tickets)
	x.c.op("Push(%s, %d)=#%d", fmtAt(at), prio, id)
	x.tickets = append(x.tickets, [2]scheduler.Ticket{x.s.Push(at, prio, id), x.twin.Push(at, prio, id)})
	x.m.Push(setref.Item{At: at, Prio: prio, ID: id})
	x.checkLen()
}

// got checks what the Set returned against the twin and the model, and
// removes it from the model.
func (x *setTester) got(call string, at time.Duration, prio int8, id int, ok bool, tat time.Duration, tprio int8, tid int, tok bool) {
	desc := func(at time.Duration, prio int8, id int, ok bool) string {
		if !ok {
			return "nothing"
		}
		return fmt.Sprintf("#%d (%s, %d)", id, fmtAt(at), prio)
	}
	if ok != tok || ok && (at != tat || prio != tprio || id != tid) {
		x.c.failf("%s returned %s, want %s (as on a Heap)", call, desc(at, prio, id, ok), desc(tat, tprio, tid, tok))
	}
	if !ok {
		return
	}
	for _, it := range x.m.Next() {
		if it.ID == id {
			if it.At != at || it.Prio != prio {
				x.c.failf("%s returned #%d at (%s, %d), pushed at (%s, %d)", call, id, fmtAt(at), prio, fmtAt(it.At), it.Prio)
			}
			x.m.Remove(id)
			return
		}
	}
	x.c.failf("%s returned %s, want one of %v", call, desc(at, prio, id, ok), x.m.Next())
}

func (x *setTester) pop() {
	x.c.op("Pop()")
	e, ok := x.s.Pop()
	t, tok := x.twin.Pop()
	x.got("Pop()", e.At, x.s.Prio(&e), e.Value, ok, t.At, x.twin.Prio(&t), t.Value, tok)
	x.checkLen()
}

func (x *setTester) popUntil(limit time.Duration) {
	x.c.op("PopUntil(%s)", fmtAt(limit))
	e, ok := x.s.PopUntil(limit)
	t, tok := x.twin.PopUntil(limit)
	if len(x.m.Items) > 0 && x.m.Items[0].At <= limit && !tok {
		x.c.failf("the twin Set on a Heap returned nothing from PopUntil(%s)", fmtAt(limit))
	}
	x.got(fmt.Sprintf("PopUntil(%s)", fmtAt(limit)), e.At, x.s.Prio(&e), e.Value, ok, t.At, x.twin.Prio(&t), t.Value, tok)
	x.checkLen()
}

// next is popUntil through Set.Next, which returns no priority: the
// model's is taken.
func (x *setTester) next(limit time.Duration) {
	x.c.op("Next(%s)", fmtAt(limit))
	at, v, ok := x.s.Next(limit)
	tat, tv, tok := x.twin.Next(limit)
	prio := int8(0)
	if ok {
		for _, it := range x.m.Items {
			if it.ID == v {
				prio = it.Prio
			}
		}
	}
	x.got(fmt.Sprintf("Next(%s)", fmtAt(limit)), at, prio, v, ok, tat, prio, tv, tok)
	x.checkLen()
}

func (x *setTester) peek() {
	x.c.op("Peek()")
	p, tp := x.s.Peek(), x.twin.Peek()
	var e, t scheduler.Entry[int]
	var prio, tprio int8
	if p != nil {
		e, prio = *p, x.s.Prio(p)
	}
	if tp != nil {
		t, tprio = *tp, x.twin.Prio(tp)
	}
	if p != nil && tp != nil && e.Value == t.Value && *p != *tp {
		x.c.failf("Peek() = %s, want %s (as on a Heap)", show(e), show(t))
	}
	x.got("Peek()", e.At, prio, e.Value, p != nil, t.At, tprio, t.Value, tp != nil)
	// got removed the entry from the model: put it back.
	if p != nil {
		x.m.Push(setref.Item{At: e.At, Prio: prio, ID: e.Value})
	}
}

// cancel cancels push number id; id == len(tickets) stands for the zero
// Ticket.
func (x *setTester) cancel(id int) {
	x.c.op("Cancel(#%d)", id)
	var t [2]scheduler.Ticket
	if id < len(x.tickets) {
		t = x.tickets[id]
	}
	want := x.m.Remove(id)
	for i, s := range []*scheduler.Set[int]{x.s, x.twin} {
		on := ""
		if i == 1 {
			on = " on the twin Set on a Heap"
		}
		if got := s.Pending(t[i]); got != want {
			x.c.failf("Pending(#%d)%s = %v before Cancel, want %v", id, on, got, want)
		}
		if got := s.Cancel(t[i]); got != want {
			x.c.failf("Cancel(#%d)%s = %v, want %v", id, on, got, want)
		}
		if s.Pending(t[i]) {
			x.c.failf("Pending(#%d)%s = true after Cancel", id, on)
		}
	}
	x.checkLen()
}

func (x *setTester) checkLen() {
	if got, want := x.s.Len(), len(x.m.Items); got != want {
		x.c.failf("Set.Len() = %d, want %d", got, want)
	}
}

// checkSet runs random Set operations with policy tb: pushes with
// priorities, often due at the instant of the last pop (the FIFO ready
// ring) and with many ties, sometimes earlier; Pop, PopUntil, Next, Peek;
// cancels of pending, popped and cancelled entries; and bursts of cancels
// that make the Set compact its queue with Filter.
func checkSet(c *checker, tb scheduler.TieBreak) {
	for seed := range uint64(3) {
		c.reset()
		r := rand.New(rand.NewPCG(seed, 0x736574))
		x := newSetTester(c, tb, seed)
		var now time.Duration
		for step := range 3000 {
			pushP := 55
			if step/750%2 == 1 {
				pushP = 25
			}
			switch y := r.IntN(100); {
			case y < pushP:
				var at time.Duration
				switch r.IntN(8) {
				case 0, 1, 2:
					at = now
				case 3, 4, 5:
					at = now + time.Duration(r.IntN(3))
				case 6:
					at = now + time.Duration(r.IntN(1_000_000))
				default:
					at = now - time.Duration(r.IntN(3))
				}
				prio := int8(r.IntN(3) - 1)
				if r.IntN(20) == 0 {
					prio = []int8{math.MinInt8, math.MaxInt8}[r.IntN(2)]
				}
				x.push(at, prio)
			case y < pushP+20:
				if len(x.m.Items) > 0 {
					now = x.m.Items[0].At
				}
				x.pop()
			case y < pushP+26:
				x.popUntil(now + time.Duration(r.IntN(2)))
			case y < pushP+32:
				x.next(now + time.Duration(r.IntN(2)))
			case y < pushP+36:
				x.peek()
			case y < 99:
				x.cancel(r.IntN(len(x.tickets) + 1))
			default:
				// Cancel three in four of the pending entries: enough
				// dead ones for the Set to filter its queue.
				var ids []int
				for _, it := range x.m.Items {
					if it.ID%4 != 0 {
						ids = append(ids, it.ID)
					}
				}
				for _, id := range ids {
					x.cancel(id)
				}
			}
		}
		for len(x.m.Items) > 0 {
			x.pop()
		}
		x.pop()
	}
}

// checkSetCancel checks cancellation on a FIFO Set with exact results:
// 300 entries at 10 instants, four in five cancelled (the Set filters its
// queue), the rest popped in order, and a ticket whose entry has left
// never cancelling a later entry.
func checkSetCancel(c *checker) {
	const n = 300
	s := scheduler.NewSet(c.queue(), scheduler.FIFO, 0)
	tickets := make([]scheduler.Ticket, n)
	c.op("Push %d entries due at 10 instants", n)
	for i := range n {
		tickets[i] = s.Push(time.Duration(i%10)*time.Second, 0, i)
	}
	var want []int
	c.op("Cancel the entries whose number is not a multiple of 5")
	for i := range n {
		if i%5 == 0 {
			want = append(want, i)
			continue
		}
		if !s.Cancel(tickets[i]) {
			c.failf("Cancel(#%d) = false, want true", i)
		}
	}
	if s.Len() != len(want) {
		c.failf("Set.Len() = %d after the cancels, want %d", s.Len(), len(want))
	}
	for i := range n {
		if got := s.Pending(tickets[i]); got != (i%5 == 0) {
			c.failf("Pending(#%d) = %v, want %v", i, got, i%5 == 0)
		}
	}
	slices.SortStableFunc(want, func(a, b int) int { return a%10 - b%10 })
	c.op("Pop every entry")
	for _, w := range want {
		e, ok := s.Pop()
		if !ok || e.Value != w {
			c.failf("Pop() = #%d, %v, want #%d", e.Value, ok, w)
		}
		if s.Cancel(tickets[w]) {
			c.failf("Cancel(#%d) = true after it was popped", w)
		}
	}
	if e, ok := s.Pop(); ok {
		c.failf("Pop() = #%d on an empty Set", e.Value)
	}
	c.op("Push #%d; Cancel every old ticket", n)
	d := s.Push(time.Hour, 0, n)
	for i := range n {
		if s.Cancel(tickets[i]) {
			c.failf("Cancel(#%d), an old ticket, = true with only #%d pending", i, n)
		}
	}
	if !s.Pending(d) {
		c.failf("Pending(#%d) = false", n)
	}
	if e, ok := s.Pop(); !ok || e.Value != n {
		c.failf("Pop() = #%d, %v, want #%d", e.Value, ok, n)
	}
}
