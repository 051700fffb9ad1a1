package policy

import (
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// fairStation is weighted fair sharing between classes on one server: the
// active classes share the server in proportion to their weights, and the
// jobs of a class share its part equally, by a virtual time per class as
// in psStation. An event costs O(K + log n) for K active classes.
type fairStation struct {
	r       *run
	f       Fair
	member  int
	classes map[int]*fairClass
	active  []*fairClass
	total   float64 // weight of the active classes
	n       int
	at      time.Duration
	rem     time.Duration
	h       sim.Handle
	next    *fairClass // the class whose job finishes at h
	onFire  func()
}

// fairClass is one class's jobs, by virtual finish.
type fairClass struct {
	w    float64
	v    float64
	jobs minHeap
	pos  int // index in active, or -1
}

func newFair(r *run, f Fair, member int) *fairStation {
	s := &fairStation{r: r, f: f, member: member, classes: map[int]*fairClass{}, at: r.env.Now()}
	s.onFire = s.fire
	return s
}

func (s *fairStation) count() int { return s.n }

func (s *fairStation) work() time.Duration {
	if s.n == 0 {
		return 0
	}
	return s.rem - (s.r.env.Now() - s.at)
}

func (s *fairStation) stop() { s.h.Cancel() }

// rate returns dv/dt of class c.
func (s *fairStation) rate(c *fairClass) float64 {
	return c.w / (s.total * float64(c.jobs.len()))
}

func (s *fairStation) advance() {
	now := s.r.env.Now()
	if s.n > 0 {
		dt := float64(now - s.at)
		for _, c := range s.active {
			c.v += dt * s.rate(c)
		}
		s.rem -= now - s.at
	}
	s.at = now
}

func (s *fairStation) arrive(i int32) {
	s.advance()
	s.settle()
	j := &s.r.js[i]
	c := s.classes[j.job.Class]
	if c == nil {
		c = &fairClass{w: s.f.weight(j.job.Class), pos: -1}
		s.classes[j.job.Class] = c
	}
	if c.pos < 0 {
		c.v = 0
		c.pos = len(s.active)
		s.active = append(s.active, c)
		s.total += c.w
	}
	s.n++
	s.rem += j.job.Size
	c.jobs.push(entry{key: c.v + float64(j.job.Size), seq: j.seq, job: i})
	s.r.begin(i)
	s.schedule()
}

// due returns when the next job is to finish, and sets s.next to its
// class.
func (s *fairStation) due() time.Duration {
	best, seq := math.Inf(1), uint64(0)
	for _, c := range s.active {
		t := c.jobs.top()
		if d := (t.key - c.v) / s.rate(c); d < best || d == best && t.seq < seq {
			best, seq, s.next = d, t.seq, c
		}
	}
	d := time.Duration(math.Round(best))
	if s.n == 1 {
		d = s.rem
	}
	return finishAt(s.r.env.Now(), d, s.rem, &s.r.js[s.next.jobs.top().job].job)
}

func (s *fairStation) schedule() {
	s.h.Cancel()
	if s.n > 0 {
		s.h = s.r.at(s.due(), s.onFire)
	}
}

// settle finishes, before an arrival, the jobs whose rounded completion
// is less than 1 ns away (see psStation.settle).
func (s *fairStation) settle() {
	now := s.r.env.Now()
	for s.n > 0 {
		t := s.due()
		if j := &s.r.js[s.next.jobs.top().job].job; t > now+1 || j.Arrival+j.Size > now {
			return
		}
		s.complete()
	}
}

func (s *fairStation) fire() {
	s.advance()
	s.due()
	s.complete()
	s.schedule()
}

// complete finishes the next job of class s.next now.
func (s *fairStation) complete() {
	c := s.next
	e := c.jobs.pop()
	s.n--
	if c.jobs.len() == 0 {
		last := s.active[len(s.active)-1]
		s.active[c.pos] = last
		last.pos = c.pos
		s.active = s.active[:len(s.active)-1]
		c.pos = -1
		s.total -= c.w
		if len(s.active) == 0 {
			s.total = 0
		}
	}
	if s.n == 0 {
		s.rem = 0
	}
	s.r.finish(e.job, max(s.member, 0))
}
