package policy

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// rankStation runs a Ranker on c servers with one central queue: the
// waiting jobs in a heap by (rank, arrival), the served ones in slots.
type rankStation struct {
	r       *run
	p       Ranker
	ch      Changer // nil unless the policy is preemptive and a Changer
	ad      Admitter
	preempt bool
	member  int
	slots   []rankSlot
	free    []int // indices of free slots
	wait    minHeap
	n       int
	rem     time.Duration // remaining work at remAt
	remAt   time.Duration
}

// rankSlot is one server of a rankStation.
type rankSlot struct {
	job   int32 // -1 when idle
	since time.Duration
	h     sim.Handle
	fire  func()
}

func newRank(r *run, p Ranker, c int, member int) *rankStation {
	s := &rankStation{r: r, p: p, preempt: p.Preempts(), member: member, slots: make([]rankSlot, c)}
	if ch, ok := p.(Changer); ok && s.preempt {
		s.ch = ch
	}
	s.ad, _ = p.(Admitter)
	for k := c - 1; k >= 0; k-- {
		s.slots[k] = rankSlot{job: -1, fire: func() { s.fire(k) }}
		s.free = append(s.free, k)
	}
	s.remAt = r.env.Now()
	return s
}

func (s *rankStation) count() int { return s.n }

func (s *rankStation) work() time.Duration {
	now := s.r.env.Now()
	return s.rem - time.Duration(len(s.slots)-len(s.free))*(now-s.remAt)
}

// sync brings the remaining work up to now; call it before the number of
// busy slots changes.
func (s *rankStation) sync() {
	now := s.r.env.Now()
	s.rem -= time.Duration(len(s.slots)-len(s.free)) * (now - s.remAt)
	s.remAt = now
}

func (s *rankStation) stop() {
	for k := range s.slots {
		s.slots[k].h.Cancel()
	}
}

// rank returns p's rank of job i at its attained service, checked.
func (s *rankStation) rank(i int32, attained time.Duration) float64 {
	k := s.p.Rank(&s.r.js[i].job, attained)
	if math.IsNaN(k) {
		panic("policy: Rank of " + s.p.Name() + " returned NaN")
	}
	return k
}

func (s *rankStation) arrive(i int32) {
	s.sync()
	if s.ad != nil {
		s.ad.Admit(&s.r.js[i].job)
	}
	s.rem += s.r.js[i].job.Size
	s.n++
	if n := len(s.free); n > 0 {
		k := s.free[n-1]
		s.free = s.free[:n-1]
		s.serve(k, i)
		return
	}
	key := s.rank(i, 0)
	e := entry{key: key, seq: s.r.js[i].seq, job: i}
	if s.preempt {
		// Find the worst-ranked served job.
		now := s.r.env.Now()
		worst := -1
		var we entry
		for k := range s.slots {
			sl := &s.slots[k]
			j := &s.r.js[sl.job]
			ke := entry{key: s.rank(sl.job, j.attained+now-sl.since), seq: j.seq, job: sl.job}
			if worst < 0 || we.less(ke) {
				worst, we = k, ke
			}
		}
		if e.less(we) {
			sl := &s.slots[worst]
			sl.h.Cancel()
			j := &s.r.js[we.job]
			j.attained += now - sl.since
			j.pre++
			s.wait.push(we)
			s.serve(worst, i)
			return
		}
	}
	s.wait.push(e)
}

// serve puts job i on slot k from now and schedules its next event.
func (s *rankStation) serve(k int, i int32) {
	sl := &s.slots[k]
	sl.job = i
	sl.since = s.r.env.Now()
	s.r.begin(i)
	s.schedule(k)
}

// schedule schedules slot k's next event: its job's completion or, under
// a Changer, the next decision point if that comes first.
func (s *rankStation) schedule(k int) {
	sl := &s.slots[k]
	j := &s.r.js[sl.job]
	left := j.job.Size - j.attained
	if s.ch != nil {
		if c := s.ch.NextChange(&j.job, j.attained); c != Never {
			if c <= j.attained {
				panic("policy: NextChange of " + s.p.Name() + " returned an attained service not after the current one")
			}
			left = min(left, c-j.attained)
		}
	}
	sl.h = s.r.at(sl.since+left, sl.fire)
}

// fire is slot k's event: a completion or a decision point.
func (s *rankStation) fire(k int) {
	sl := &s.slots[k]
	i := sl.job
	j := &s.r.js[i]
	now := s.r.env.Now()
	j.attained += now - sl.since
	sl.since = now
	if j.attained >= j.job.Size {
		s.sync()
		server := s.member
		if server < 0 {
			server = k
		}
		s.n--
		sl.job = -1
		s.r.finish(i, server)
		if s.wait.len() > 0 {
			s.serve(k, s.wait.pop().job)
		} else {
			s.free = append(s.free, k)
		}
		return
	}
	// A decision point: preempt if a waiting job now ranks lower.
	e := entry{key: s.rank(i, j.attained), seq: j.seq, job: i}
	if s.wait.len() > 0 && s.wait.top().less(e) {
		j.pre++
		next := s.wait.pop().job
		s.wait.push(e)
		s.serve(k, next)
		return
	}
	s.schedule(k)
}
