package policy

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// lasStation is least attained service on one server. The jobs with equal
// attained service form a level; levels are a stack, the least attained on
// top, because an arrival (attained 0) always starts the lowest level. The
// top level is served as PS: with k jobs its attained service a grows at
// 1/k, and a job leaves when a reaches its size, so each level keeps its
// jobs in a heap by size. When a reaches the level below, the two merge
// (the smaller heap into the larger). Each event is O(log n) amortised,
// merges O(log² n).
//
// As in psStation, a is a float and events are rounded to the nanosecond,
// but the last job present finishes when the exact remaining work is done.
type lasStation struct {
	r      *run
	member int
	levels []lasLevel // levels[len-1] is served
	spare  []minHeap  // emptied heaps, for reuse
	n      int
	at     time.Duration
	rem    time.Duration
	h      sim.Handle
	onFire func()
}

// lasLevel is a set of jobs with equal attained service a, by size.
type lasLevel struct {
	a    float64
	jobs minHeap
}

func newLAS(r *run, member int) *lasStation {
	s := &lasStation{r: r, member: member, at: r.env.Now()}
	s.onFire = s.fire
	return s
}

func (s *lasStation) count() int { return s.n }

func (s *lasStation) work() time.Duration {
	if s.n == 0 {
		return 0
	}
	return s.rem - (s.r.env.Now() - s.at)
}

func (s *lasStation) stop() { s.h.Cancel() }

// advance brings the served level and the remaining work up to now.
func (s *lasStation) advance() {
	now := s.r.env.Now()
	if s.n > 0 {
		dt := now - s.at
		top := &s.levels[len(s.levels)-1]
		top.a += float64(dt) / float64(top.jobs.len())
		s.rem -= dt
	}
	s.at = now
}

func (s *lasStation) arrive(i int32) {
	s.advance()
	s.settle()
	j := &s.r.js[i]
	s.n++
	s.rem += j.job.Size
	e := entry{key: float64(j.job.Size), seq: j.seq, job: i}
	if k := len(s.levels); k > 0 && s.levels[k-1].a == 0 {
		s.levels[k-1].jobs.push(e)
	} else {
		var h minHeap
		if m := len(s.spare); m > 0 {
			h = s.spare[m-1]
			s.spare = s.spare[:m-1]
		}
		h.push(e)
		s.levels = append(s.levels, lasLevel{jobs: h})
	}
	s.r.begin(i)
	s.schedule()
}

// settle carries out, before an arrival, the completions and merges whose
// rounded time is less than 1 ns away: an arrival at the instant a job
// finishes (or a level reaches the one below) must come after it, as it
// would with exact arithmetic. Under LAS this matters: the arrival would
// otherwise take the server and delay the job by its own service.
func (s *lasStation) settle() {
	now := s.r.env.Now()
	for s.n > 0 {
		t, merge := s.due()
		if t > now+1 {
			return
		}
		if !merge {
			if j := &s.r.js[s.levels[len(s.levels)-1].jobs.top().job].job; j.Arrival+j.Size > now {
				return
			}
		}
		s.step(merge)
	}
}

// due returns the time of the served level's next event and whether it
// is a merge with the level below (else a completion).
func (s *lasStation) due() (time.Duration, bool) {
	now := s.r.env.Now()
	if s.n == 1 {
		return now + max(s.rem, 0), false
	}
	k := len(s.levels)
	top := &s.levels[k-1]
	m := float64(top.jobs.len())
	if k > 1 && top.jobs.top().key > s.levels[k-2].a {
		d := time.Duration(math.Round((s.levels[k-2].a - top.a) * m))
		return now + max(d, 0), true
	}
	d := time.Duration(math.Round((top.jobs.top().key - top.a) * m))
	return finishAt(now, d, s.rem, &s.r.js[top.jobs.top().job].job), false
}

// schedule (re)schedules the served level's next event.
func (s *lasStation) schedule() {
	s.h.Cancel()
	if s.n > 0 {
		t, _ := s.due()
		s.h = s.r.at(t, s.onFire)
	}
}

func (s *lasStation) fire() {
	s.advance()
	_, merge := s.due()
	s.step(merge)
	s.schedule()
}

// step carries out the served level's next event: the completion of its
// smallest job, or its merge with the level below.
func (s *lasStation) step(merge bool) {
	k := len(s.levels)
	top := &s.levels[k-1]
	if !merge {
		e := top.jobs.pop()
		s.n--
		if top.jobs.len() == 0 {
			s.spare = append(s.spare, top.jobs)
			s.levels = s.levels[:k-1]
		}
		if s.n == 0 {
			s.rem = 0
		}
		s.r.finish(e.job, max(s.member, 0))
		return
	}
	below := &s.levels[k-2]
	small, large := top.jobs, below.jobs
	if small.len() > large.len() {
		small, large = large, small
	}
	for _, x := range small.e {
		large.push(x)
	}
	small.e = small.e[:0]
	s.spare = append(s.spare, small)
	below.jobs = large
	s.levels = s.levels[:k-1]
}
