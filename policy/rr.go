package policy

import "time"

// rrStation is round-robin with quantum q on c servers and one FIFO queue:
// one event per quantum served, O(1) each.
type rrStation struct {
	r      *run
	q      time.Duration
	member int
	slots  []rankSlot
	free   []int
	queue  ring
	n      int
	rem    time.Duration
	remAt  time.Duration
}

func newRR(r *run, c int, q time.Duration, member int) *rrStation {
	s := &rrStation{r: r, q: q, member: member, slots: make([]rankSlot, c), remAt: r.env.Now()}
	for k := c - 1; k >= 0; k-- {
		s.slots[k] = rankSlot{job: -1, fire: func() { s.fire(k) }}
		s.free = append(s.free, k)
	}
	return s
}

func (s *rrStation) count() int { return s.n }

func (s *rrStation) work() time.Duration {
	return s.rem - time.Duration(len(s.slots)-len(s.free))*(s.r.env.Now()-s.remAt)
}

func (s *rrStation) sync() {
	now := s.r.env.Now()
	s.rem -= time.Duration(len(s.slots)-len(s.free)) * (now - s.remAt)
	s.remAt = now
}

func (s *rrStation) stop() {
	for k := range s.slots {
		s.slots[k].h.Cancel()
	}
}

func (s *rrStation) arrive(i int32) {
	s.sync()
	s.n++
	s.rem += s.r.js[i].job.Size
	if m := len(s.free); m > 0 {
		k := s.free[m-1]
		s.free = s.free[:m-1]
		s.serve(k, i)
		return
	}
	s.queue.push(i)
}

// serve gives job i a quantum on slot k from now.
func (s *rrStation) serve(k int, i int32) {
	sl := &s.slots[k]
	sl.job = i
	sl.since = s.r.env.Now()
	s.r.begin(i)
	j := &s.r.js[i]
	sl.h = s.r.at(sl.since+min(s.q, j.job.Size-j.attained), sl.fire)
}

// fire ends slot k's quantum.
func (s *rrStation) fire(k int) {
	sl := &s.slots[k]
	i := sl.job
	j := &s.r.js[i]
	now := s.r.env.Now()
	j.attained += now - sl.since
	if j.attained >= j.job.Size {
		s.sync()
		s.n--
		sl.job = -1
		server := s.member
		if server < 0 {
			server = k
		}
		s.r.finish(i, server)
		if s.queue.len() > 0 {
			s.serve(k, s.queue.pop())
		} else {
			s.free = append(s.free, k)
		}
		return
	}
	if s.queue.len() == 0 {
		s.serve(k, i)
		return
	}
	j.pre++
	s.queue.push(i)
	s.serve(k, s.queue.pop())
}
