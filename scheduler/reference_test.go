package scheduler_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/setref"
	"github.com/vtsim/vtsim/scheduler"
)

var (
	kinds     = []scheduler.Kind{scheduler.HeapQueue, scheduler.CalendarQueue}
	tieBreaks = []scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO, scheduler.Random}
)

// harnessQueue is one queue of the reference harness: each kind, and a
// calendar whose far tier starts past 16 entries, so that scripts of a few
// thousand operations reach it.
type harnessQueue struct {
	name string
	new  func() scheduler.Queue[int]
}

func (q harnessQueue) String() string { return q.name }

var harnessQueues = []harnessQueue{
	{"heap", func() scheduler.Queue[int] { return scheduler.New[int](scheduler.HeapQueue) }},
	{"calendar", func() scheduler.Queue[int] { return scheduler.New[int](scheduler.CalendarQueue) }},
	{"calendar with a far tier", func() scheduler.Queue[int] { return scheduler.NewSmallCalendar[int](4) }},
}

// specialTimes are At values at the edges of the range.
var specialTimes = [...]time.Duration{
	math.MinInt64, math.MinInt64 + 1, -1 << 62, -1 << 40, -1e9, -2, -1, 0,
	1, 1 << 40, 1 << 62, math.MaxInt64 - 1e9, math.MaxInt64 - 2, math.MaxInt64 - 1, math.MaxInt64, 1<<62 + 1,
}

// script decodes operations from bytes; reading past the end yields false.
type script struct {
	data []byte
}

func (s *script) byte() (byte, bool) {
	if len(s.data) == 0 {
		return 0, false
	}
	b := s.data[0]
	s.data = s.data[1:]
	return b, true
}

// at decodes a time: mostly from a small range, so that ties are common;
// sometimes spread wider, at an edge of the range, or any int64.
func (s *script) at() (time.Duration, bool) {
	b, ok := s.byte()
	switch {
	case !ok:
		return 0, false
	case b < 160:
		return time.Duration(b % 16), true
	case b < 224:
		return time.Duration(int(b-160) * 7919), true
	case b < 240:
		return specialTimes[b-224], true
	case len(s.data) >= 8:
		v := binary.LittleEndian.Uint64(s.data)
		s.data = s.data[8:]
		return time.Duration(v), true
	}
	return 0, false
}

// harness applies one script to a Set on each queue kind with each
// tie-break, to the queues on their own, and to reference models, and fails
// the test at the first difference.
type harness struct {
	t       testing.TB
	sets    [3][3]*scheduler.Set[int]
	tickets [3][3][]scheduler.Ticket // by push number
	refs    [3]setref.Model
	queues  [3]scheduler.Queue[int] // the queues on their own; Key is the push number
	sorted  []scheduler.Entry[int]  // reference for queues, sorted by Entry.Less
	pushed  int
	step    int
	log     []string // operations so far, for the failure message
}

func newHarness(t testing.TB, seed uint64) *harness {
	h := &harness{t: t}
	for i, tb := range tieBreaks {
		h.refs[i].TB = tb
		for j, k := range harnessQueues {
			h.sets[i][j] = scheduler.NewSet(k.new(), tb, seed)
		}
	}
	for j, k := range harnessQueues {
		h.queues[j] = k.new()
	}
	return h
}

func (h *harness) fatalf(format string, args ...any) {
	h.t.Helper()
	start := max(0, len(h.log)-20)
	h.t.Fatalf("step %d: %s\nlast operations:\n  %v", h.step, fmt.Sprintf(format, args...), h.log[start:])
}

func (h *harness) logf(format string, args ...any) {
	h.log = append(h.log, fmt.Sprintf(format, args...))
}

func (h *harness) push(at time.Duration, prio int8) {
	h.logf("push(%d, %d)=#%d", at, prio, h.pushed)
	id := h.pushed
	h.pushed++
	for i := range tieBreaks {
		h.refs[i].Push(setref.Item{At: at, Prio: prio, ID: id})
		for j := range harnessQueues {
			h.tickets[i][j] = append(h.tickets[i][j], h.sets[i][j].Push(at, prio, id))
		}
	}
	// On their own, the queues order by Key: the priority (as an offset
	// byte) above the push number.
	e := scheduler.Entry[int]{At: at, Key: uint64(uint8(prio)^0x80)<<32 | uint64(id), Value: id}
	i, _ := slices.BinarySearchFunc(h.sorted, e, func(a, b scheduler.Entry[int]) int {
		if a.Less(&b) {
			return -1
		}
		return 1
	})
	h.sorted = slices.Insert(h.sorted, i, e)
	for _, q := range h.queues {
		q.Push(e)
	}
}

// checkNext checks the entry a Set returned by Pop or Peek against the
// reference and, for Random, against the same Set on the other kind.
func (h *harness) checkNext(op string, i, j int, e scheduler.Entry[int], ok bool, first *int) {
	h.t.Helper()
	ref := &h.refs[i]
	tb, k := tieBreaks[i], harnessQueues[j]
	if len(ref.Items) == 0 {
		if ok {
			h.fatalf("%s: %v set on %v returned #%d, want nothing", op, tb, k, e.Value)
		}
		return
	}
	if !ok {
		h.fatalf("%s: %v set on %v returned nothing, want one of %v", op, tb, k, ref.Next())
	}
	if j > 0 && e.Value != *first {
		h.fatalf("%s: %v set on %v returned #%d, on %v #%d", op, tb, k, e.Value, harnessQueues[0], *first)
	}
	*first = e.Value
	for _, it := range ref.Next() {
		if it.ID == e.Value {
			// Next returns no Key, hence no priority.
			if p := h.sets[i][j].Prio(&e); e.At != it.At || op != "Next" && p != it.Prio {
				h.fatalf("%s: %v set on %v returned #%d at (%d, %d), pushed at (%d, %d)",
					op, tb, k, e.Value, e.At, p, it.At, it.Prio)
			}
			return
		}
	}
	h.fatalf("%s: %v set on %v returned #%d (%d, %d), want one of %v", op, tb, k, e.Value, e.At, h.sets[i][j].Prio(&e), ref.Next())
}

func (h *harness) pop() {
	h.logf("pop")
	for i := range tieBreaks {
		first := -1
		for j := range harnessQueues {
			e, ok := h.sets[i][j].Pop()
			h.checkNext("Pop", i, j, e, ok, &first)
		}
		if first >= 0 {
			h.refs[i].Remove(first)
		}
	}
	h.popQueues()
}

// popUntil pops from the Sets what is due by limit, with PopUntil on even
// steps and Next (the run loop's call) on odd ones, and from the queues on
// their own what is due by limit.
func (h *harness) popUntil(limit time.Duration) {
	op := "PopUntil"
	if h.step%2 == 1 {
		op = "Next"
	}
	h.logf("%s(%d)", op, limit)
	for i := range tieBreaks {
		ref := &h.refs[i]
		due := len(ref.Items) > 0 && ref.Items[0].At <= limit
		first := -1
		for j := range harnessQueues {
			var e scheduler.Entry[int]
			var ok bool
			if op == "Next" {
				e.At, e.Value, ok = h.sets[i][j].Next(limit)
			} else {
				e, ok = h.sets[i][j].PopUntil(limit)
			}
			if !due {
				if ok {
					h.fatalf("%s(%d): %v set on %v returned #%d at %d, want nothing",
						op, limit, tieBreaks[i], harnessQueues[j], e.Value, e.At)
				}
				continue
			}
			h.checkNext(op, i, j, e, ok, &first)
		}
		if first >= 0 {
			ref.Remove(first)
		}
	}
	if len(h.sorted) > 0 && h.sorted[0].At <= limit {
		h.popQueues()
	}
}

// popQueues pops from the queues on their own.
func (h *harness) popQueues() {
	for j, q := range h.queues {
		if len(h.sorted) == 0 {
			if q.Len() != 0 {
				h.fatalf("Pop: %v holds %d entries, want 0", harnessQueues[j], q.Len())
			}
			continue
		}
		if e := q.Pop(); e != h.sorted[0] {
			h.fatalf("Pop: %v returned %+v, want %+v", harnessQueues[j], e, h.sorted[0])
		}
	}
	if len(h.sorted) > 0 {
		h.sorted = slices.Delete(h.sorted, 0, 1)
	}
}

func (h *harness) peek() {
	h.logf("peek")
	for i := range tieBreaks {
		first := -1
		for j := range harnessQueues {
			p := h.sets[i][j].Peek()
			var e scheduler.Entry[int]
			if p != nil {
				e = *p
			}
			h.checkNext("Peek", i, j, e, p != nil, &first)
		}
	}
	for j, q := range h.queues {
		p := q.Peek()
		switch {
		case len(h.sorted) == 0 && p != nil:
			h.fatalf("Peek: %v returned %+v, want nil", harnessQueues[j], *p)
		case len(h.sorted) > 0 && p == nil:
			h.fatalf("Peek: %v returned nil, want %+v", harnessQueues[j], h.sorted[0])
		case len(h.sorted) > 0 && *p != h.sorted[0]:
			h.fatalf("Peek: %v returned %+v, want %+v", harnessQueues[j], *p, h.sorted[0])
		}
	}
}

// cancel cancels push number id in every Set; id == h.pushed stands for the
// zero Ticket.
func (h *harness) cancel(id int) {
	h.logf("cancel(#%d)", id)
	for i := range tieBreaks {
		want := false
		if id < h.pushed {
			want = h.refs[i].Remove(id)
		}
		for j := range harnessQueues {
			var t scheduler.Ticket
			if id < h.pushed {
				t = h.tickets[i][j][id]
			}
			s := h.sets[i][j]
			if got := s.Pending(t); got != want {
				h.fatalf("Pending(#%d) on %v set on %v = %v, want %v", id, tieBreaks[i], harnessQueues[j], got, want)
			}
			if got := s.Cancel(t); got != want {
				h.fatalf("Cancel(#%d) on %v set on %v = %v, want %v", id, tieBreaks[i], harnessQueues[j], got, want)
			}
			if s.Pending(t) {
				h.fatalf("Pending(#%d) on %v set on %v after Cancel = true", id, tieBreaks[i], harnessQueues[j])
			}
		}
	}
}

// filter cancels, in the Sets, every pending entry whose push number is rem
// modulo mod (enough of them start a compaction, which filters the queue),
// and filters the queues on their own by the same rule.
func (h *harness) filter(mod, rem int) {
	h.logf("filter(%%%d==%d)", mod, rem)
	for i := range tieBreaks {
		// Pending entries differ between tie-breaks: ties popped in
		// different orders.
		var ids []int
		for _, it := range h.refs[i].Items {
			if it.ID%mod == rem {
				ids = append(ids, it.ID)
			}
		}
		for _, id := range ids {
			h.refs[i].Remove(id)
			for j := range harnessQueues {
				if !h.sets[i][j].Cancel(h.tickets[i][j][id]) {
					h.fatalf("filter: Cancel(#%d) on %v set on %v = false, want true", id, tieBreaks[i], harnessQueues[j])
				}
			}
		}
	}
	keep := func(e *scheduler.Entry[int]) bool { return e.Value%mod != rem }
	for _, q := range h.queues {
		q.Filter(keep)
	}
	h.sorted = slices.DeleteFunc(h.sorted, func(e scheduler.Entry[int]) bool { return !keep(&e) })
}

func (h *harness) checkLen() {
	h.t.Helper()
	for i := range tieBreaks {
		for j := range harnessQueues {
			if got, want := h.sets[i][j].Len(), len(h.refs[i].Items); got != want {
				h.fatalf("Len of %v set on %v = %d, want %d", tieBreaks[i], harnessQueues[j], got, want)
			}
		}
	}
	for j, q := range h.queues {
		if got, want := q.Len(), len(h.sorted); got != want {
			h.fatalf("Len of %v = %d, want %d", harnessQueues[j], got, want)
		}
	}
}

// maxSteps and maxPushes bound the work one input can ask for.
const (
	maxSteps  = 5000
	maxPushes = 4000
)

// run decodes operations from data and applies them, checking lengths after
// every step, then pops everything that is left.
func (h *harness) run(data []byte) {
	s := &script{data: data}
	for h.step = 0; h.step < maxSteps; h.step++ {
		op, ok := s.byte()
		if !ok {
			break
		}
		switch op % 9 {
		case 0, 1, 2:
			at, ok1 := s.at()
			p, ok2 := s.byte()
			if !ok1 || !ok2 || h.pushed >= maxPushes {
				break
			}
			h.push(at, int8(p%3)-1)
		case 3:
			h.pop()
		case 4:
			h.peek()
		case 5:
			b, ok := s.byte()
			if !ok {
				break
			}
			h.cancel(int(b) % (h.pushed + 1))
		case 6:
			b, ok := s.byte()
			if !ok {
				break
			}
			mod := 2 + int(b%3)
			h.filter(mod, int(b/3)%mod)
		case 7:
			// A burst of pushes due at one instant.
			n, ok1 := s.byte()
			at, ok2 := s.byte()
			if !ok1 || !ok2 || h.pushed >= maxPushes {
				break
			}
			for range int(n%48) + 1 {
				h.push(time.Duration(at%4), 0)
			}
		case 8:
			limit, ok := s.at()
			if !ok {
				break
			}
			h.popUntil(limit)
		}
		h.checkLen()
	}
	for len(h.sorted) > 0 || len(h.refs[0].Items) > 0 {
		h.pop()
		h.checkLen()
	}
	h.pop() // everything is empty: Pop must say so
}

func FuzzQueues(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1, 0, 2, 1, 3, 3, 3})
	f.Add([]byte{7, 20, 1, 7, 10, 1, 4, 3, 5, 3, 5, 7, 3, 3, 6, 4, 3})
	f.Add([]byte{0, 224, 0, 0, 231, 1, 0, 239, 2, 0, 228, 0, 3, 3, 3, 3})
	f.Add([]byte{0, 240, 1, 2, 3, 4, 5, 6, 7, 8, 0, 3, 200, 1, 4, 3, 3})
	f.Add([]byte{7, 47, 1, 7, 47, 2, 7, 47, 3, 6, 0, 4, 6, 1, 3, 3, 3, 5, 9})
	f.Add([]byte{0, 15, 0, 3, 0, 3, 0, 0, 0, 3, 1, 14, 1, 1, 1, 2, 3, 4, 3, 3})
	f.Add([]byte{0, 5, 1, 0, 9, 1, 0, 200, 0, 8, 7, 8, 2, 8, 230, 3, 8, 239})
	f.Add(randomScript(rand.New(rand.NewPCG(1, 1)), 600))
	f.Fuzz(func(t *testing.T, data []byte) {
		newHarness(t, 42).run(data)
	})
}

// randomScript returns bytes that decode to n operations: phases that push
// more than they pop and phases that pop more than they push, so that the
// queues grow to a few thousand entries and shrink again.
func randomScript(r *rand.Rand, n int) []byte {
	var b []byte
	for i := range n {
		pushy := (i/500)%2 == 0
		switch x := r.IntN(20); {
		case x < 8 && pushy, x < 4:
			at := byte(r.IntN(256))
			b = append(b, 0, at)
			if at >= 240 {
				b = binary.LittleEndian.AppendUint64(b, r.Uint64())
			}
			b = append(b, byte(r.IntN(3)))
		case x < 13:
			b = append(b, 3)
		case x < 15:
			b = append(b, 4)
		case x < 18:
			b = append(b, 5, byte(r.IntN(256)))
		case x < 19:
			b = append(b, 6, byte(r.IntN(256)))
		case x < 20 && r.IntN(2) == 0:
			b = append(b, 8, byte(r.IntN(224)))
		default:
			b = append(b, 7, byte(r.IntN(256)), byte(r.IntN(256)))
		}
	}
	return b
}

func TestQueuesAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(20260101, 7))
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			newHarness(t, uint64(i)).run(randomScript(r, 4000))
		})
	}
}

// TestRanksRenumbered runs random operations on Sets whose rank counter runs
// out after 100 ranks, so that the pending entries are renumbered every few
// dozen pushes, and checks every pop against the reference: renumbering
// keeps the FIFO and LIFO orders of equal entries, in the queue and in the
// ring.
func TestRanksRenumbered(t *testing.T) {
	for seed := range uint64(20) {
		h := newHarness(t, seed)
		for i := range h.sets {
			for j := range h.sets[i] {
				scheduler.SetMaxRank(h.sets[i][j], 100)
			}
		}
		r := rand.New(rand.NewPCG(seed, 7))
		var now time.Duration
		for h.step = 0; h.step < 3000; h.step++ {
			switch x := r.IntN(10); {
			case x < 5 && len(h.refs[0].Items) < 60:
				// Few distinct times and priorities: many ties, and
				// pushes due now go to the FIFO ring.
				h.push(now+time.Duration(r.IntN(3)), int8(r.IntN(3)-1))
			case x < 8:
				if len(h.refs[0].Items) > 0 {
					now = h.refs[0].Items[0].At
				}
				h.pop()
			case x < 9:
				h.cancel(r.IntN(h.pushed + 1))
			default:
				h.popUntil(now)
			}
			h.checkLen()
		}
		for len(h.refs[0].Items) > 0 {
			h.pop()
		}
		if got := h.sets[0][0].Pushed(); got < 500 {
			t.Fatalf("seed %d: only %d pushes; the counter ran out %d times", seed, got, got/100)
		}
	}
}

// TestMaxPending checks the message of a push past the slot limit.
func TestMaxPending(t *testing.T) {
	for _, k := range kinds {
		s := scheduler.NewSet(scheduler.New[int](k), scheduler.FIFO, 0)
		scheduler.SetMaxSlots(s, 3)
		for i := range 3 {
			s.Push(time.Duration(i+1), 0, i)
		}
		s.Pop() // frees a slot: a fourth push fits
		s.Push(9, 0, 3)
		func() {
			defer func() {
				want := "scheduler: Set.Push: more than 3 pending entries"
				if got := recover(); got != want {
					t.Errorf("%v: panic %v, want %q", k, got, want)
				}
			}()
			s.Push(10, 0, 4)
		}()
	}
}
