package policy

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// lasStation is least attained service on c servers. The jobs with equal
// attained service form a level; levels are kept by attained service, the
// least last, as a stack, because an arrival (attained 0) always starts
// the lowest level. The servers go to the least-attained levels: a level
// of k jobs with f servers still free gets rate min(1, f/k) per job, so
// on one server only the last level is served, as PS. A job leaves when
// its level's attained service reaches its size, so each level keeps its
// jobs in a heap by size. A served level that catches up with the next
// (one served more slowly, or not at all) merges with it, the smaller heap
// into the larger. An event is O(c + log n) amortised; merges O(log² n).
//
// As in psStation, attained service is a float and events are rounded to
// the nanosecond, but the last job present finishes when the exact
// remaining work is done.
type lasStation struct {
	r      *run
	c      int
	member int
	levels []lasLevel // by attained service, the least last
	rates  []float64  // scratch: the served levels' rates, from the last level
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

func newLAS(r *run, c, member int) *lasStation {
	s := &lasStation{r: r, c: c, member: member, at: r.env.Now()}
	s.onFire = s.fire
	return s
}

func (s *lasStation) count() int { return s.n }

func (s *lasStation) work() time.Duration {
	return s.rem - time.Duration(min(s.n, s.c))*(s.r.env.Now()-s.at)
}

func (s *lasStation) stop() { s.h.Cancel() }

// share sets s.rates to the per-job rates of the served levels:
// s.rates[k] is the rate of s.levels[len-1-k].
func (s *lasStation) share() {
	s.rates = s.rates[:0]
	free := s.c
	for i := len(s.levels) - 1; i >= 0 && free > 0; i-- {
		k := s.levels[i].jobs.len()
		if k <= free {
			s.rates = append(s.rates, 1)
			free -= k
		} else {
			s.rates = append(s.rates, float64(free)/float64(k))
			free = 0
		}
	}
}

// advance brings the served levels and the remaining work up to now.
func (s *lasStation) advance() {
	now := s.r.env.Now()
	if s.n > 0 {
		dt := float64(now - s.at)
		s.share()
		top := len(s.levels) - 1
		for k, r := range s.rates {
			s.levels[top-k].a += r * dt
		}
		s.rem -= time.Duration(min(s.n, s.c)) * (now - s.at)
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
// finishes (or a level catches up with another) must come after it, as
// it would with exact arithmetic. Under LAS this matters: the arrival
// would otherwise take a server and delay the job by its own service.
func (s *lasStation) settle() {
	now := s.r.env.Now()
	for s.n > 0 {
		t, lvl, merge := s.due()
		if t > now+1 {
			return
		}
		if !merge {
			if j := &s.r.js[s.levels[lvl].jobs.top().job].job; j.Arrival+j.Size > now {
				return
			}
		}
		s.step(lvl, merge)
	}
}

// due returns the time of the next event, the level it concerns, and
// whether it is that level's merge with the next (else the completion of
// its smallest job). Ties go to completions.
func (s *lasStation) due() (time.Duration, int, bool) {
	now := s.r.env.Now()
	top := len(s.levels) - 1
	if s.n == 1 {
		return now + max(s.rem, 0), top, false
	}
	s.share()
	best, lvl, merge := math.Inf(1), top, false
	for k, r := range s.rates {
		i := top - k
		l := &s.levels[i]
		if d := (l.jobs.top().key - l.a) / r; d < best {
			best, lvl, merge = d, i, false
		}
		if i == 0 {
			break
		}
		next := 0.0 // the rate of the next level, 0 if it is not served
		if k+1 < len(s.rates) {
			next = s.rates[k+1]
		}
		if r > next {
			if d := (s.levels[i-1].a - l.a) / (r - next); d < best {
				best, lvl, merge = d, i, true
			}
		}
	}
	d := time.Duration(math.Round(best))
	if merge {
		return now + max(d, 0), lvl, true
	}
	return finishAt(now, d, s.rem, &s.r.js[s.levels[lvl].jobs.top().job].job), lvl, false
}

// schedule (re)schedules the next event.
func (s *lasStation) schedule() {
	s.h.Cancel()
	if s.n > 0 {
		t, _, _ := s.due()
		s.h = s.r.at(t, s.onFire)
	}
}

func (s *lasStation) fire() {
	s.advance()
	_, lvl, merge := s.due()
	s.step(lvl, merge)
	s.schedule()
}

// step carries out an event: the completion of the smallest job of level
// lvl, or the merge of level lvl with the next (lvl-1).
func (s *lasStation) step(lvl int, merge bool) {
	l := &s.levels[lvl]
	if !merge {
		e := l.jobs.pop()
		s.n--
		if l.jobs.len() == 0 {
			s.spare = append(s.spare, l.jobs)
			s.levels = append(s.levels[:lvl], s.levels[lvl+1:]...)
		}
		if s.n == 0 {
			s.rem = 0
		}
		s.r.finish(e.job, max(s.member, 0))
		return
	}
	next := &s.levels[lvl-1]
	small, large := l.jobs, next.jobs
	if small.len() > large.len() {
		small, large = large, small
	}
	for _, x := range small.e {
		large.push(x)
	}
	small.e = small.e[:0]
	s.spare = append(s.spare, small)
	next.jobs = large
	s.levels = append(s.levels[:lvl], s.levels[lvl+1:]...)
}
