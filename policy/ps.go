package policy

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// psStation is processor sharing on c servers, or weighted (discriminatory)
// PS on one, by virtual time: every job present gains service at rate
// w·dv/dt, where v is the station's virtual time (attained service per unit
// weight: dv/dt = min(1, c/n) for PS, 1/Σw for DPS). A job arriving at
// virtual time v with size x and weight w finishes when v reaches
// v + x/w, its key in a heap; each event costs O(log n) whatever n is.
//
// Virtual time is a float, so completions are rounded to the nanosecond;
// the station's remaining work is kept exactly in integer nanoseconds,
// and the last job present finishes exactly when that work is done, so
// busy periods are exact.
type psStation struct {
	r        *run
	c        int
	weighted bool
	member   int
	heap     minHeap
	v        float64 // virtual time
	sumW     float64
	at       time.Duration // when v and rem were last brought up to date
	rem      time.Duration // remaining work, exact
	h        sim.Handle
	onFire   func()
}

func newPS(r *run, c int, weighted bool, member int) *psStation {
	s := &psStation{r: r, c: c, weighted: weighted, member: member, at: r.env.Now()}
	s.onFire = s.fire
	return s
}

func (s *psStation) count() int { return s.heap.len() }

func (s *psStation) work() time.Duration {
	return s.rem - time.Duration(min(s.heap.len(), s.c))*(s.r.env.Now()-s.at)
}

func (s *psStation) stop() { s.h.Cancel() }

// rate returns dv/dt with n jobs present.
func (s *psStation) rate() float64 {
	n := s.heap.len()
	if s.weighted {
		return 1 / s.sumW
	}
	if n <= s.c {
		return 1
	}
	return float64(s.c) / float64(n)
}

// advance brings v and rem up to now.
func (s *psStation) advance() {
	now := s.r.env.Now()
	if n := s.heap.len(); n > 0 {
		dt := now - s.at
		s.v += float64(dt) * s.rate()
		s.rem -= time.Duration(min(n, s.c)) * dt
	}
	s.at = now
}

func (s *psStation) arrive(i int32) {
	s.advance()
	s.settle()
	j := &s.r.js[i]
	if s.heap.len() == 0 {
		s.v, s.sumW = 0, 0 // a new busy period: keep v small and exact
	}
	w := 1.0
	if s.weighted {
		w = s.r.weight(i)
		s.sumW += w
	}
	s.r.begin(i)
	s.rem += j.job.Size
	s.heap.push(entry{key: s.v + float64(j.job.Size)/w, seq: j.seq, job: i})
	s.schedule()
}

// settle finishes, before an arrival, the jobs whose rounded completion
// is less than 1 ns away: an arrival at the instant a job finishes must
// come after it, as it would with exact arithmetic.
func (s *psStation) settle() {
	now := s.r.env.Now()
	for s.heap.len() > 0 {
		j := &s.r.js[s.heap.top().job].job
		if s.due() > now+1 || j.Arrival+j.Size > now {
			return
		}
		s.complete()
	}
}

// due returns when the job with the least virtual finish is to finish.
func (s *psStation) due() time.Duration {
	n := s.heap.len()
	now := s.r.env.Now()
	var d time.Duration
	if n == 1 {
		d = s.rem
	} else {
		d = time.Duration(math.Round((s.heap.top().key - s.v) / s.rate()))
	}
	return finishAt(now, d, s.rem, &s.r.js[s.heap.top().job].job)
}

// schedule (re)schedules the next completion.
func (s *psStation) schedule() {
	s.h.Cancel()
	if s.heap.len() > 0 {
		s.h = s.r.at(s.due(), s.onFire)
	}
}

// finishAt returns when job j, due to finish d from now by a float
// computation, is to finish: no earlier than j.Arrival+j.Size (no job is
// served faster than rate 1) and no later than now+rem (once the
// remaining work rem is done, every job is), so that rounding never
// breaks either bound.
func finishAt(now, d, rem time.Duration, j *workload.Job) time.Duration {
	return max(min(now+max(d, 0), now+max(rem, 0)), j.Arrival+j.Size)
}

// fire is the completion of the job with the least virtual finish.
func (s *psStation) fire() {
	s.advance()
	s.complete()
	s.schedule()
}

// complete finishes the job with the least virtual finish now.
func (s *psStation) complete() {
	e := s.heap.pop()
	if s.weighted {
		s.sumW -= s.r.weight(e.job)
	}
	if s.heap.len() == 0 {
		s.rem = 0
	}
	s.r.finish(e.job, max(s.member, 0))
}
