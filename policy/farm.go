package policy

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// Farm is k servers, each with its own queue and policy, behind a
// dispatcher that sends each arriving job to one of them. It is a
// [System]; records name the member that served a job in
// [workload.Record].Server. Build one with [NewFarm].
type Farm struct {
	d       Dispatcher
	members []*Server
}

// NewFarm returns a farm of the given members behind d. It returns an
// error matching [ErrServers] if there are no members, and panics if d or
// a member is nil.
func NewFarm(d Dispatcher, members ...*Server) (*Farm, error) {
	if d == nil {
		panic("policy: NewFarm called with a nil Dispatcher")
	}
	for _, m := range members {
		if m == nil {
			panic("policy: NewFarm called with a nil Server")
		}
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("%w: a farm needs at least 1 member, got 0", ErrServers)
	}
	return &Farm{d: d, members: append([]*Server(nil), members...)}, nil
}

// Name returns the dispatcher's name and the members', e.g.
// "JSQ[FCFS×4]" for four FCFS members, "RoundRobin[FCFS,PS]" otherwise.
func (f *Farm) Name() string {
	same := true
	for _, m := range f.members[1:] {
		same = same && m.Name() == f.members[0].Name()
	}
	if same {
		return f.d.Name() + "[" + f.members[0].Name() + "×" + strconv.Itoa(len(f.members)) + "]"
	}
	s := f.d.Name() + "["
	for i, m := range f.members {
		if i > 0 {
			s += ","
		}
		s += m.Name()
	}
	return s + "]"
}

func (f *Farm) build(r *run) target {
	ft := &farmTarget{loads: Loads{st: make([]station, len(f.members))}}
	for i, m := range f.members {
		ft.loads.st[i] = m.station(r, i)
	}
	ft.pick = f.d.Start(r.env, len(f.members))
	ft.r = r
	return ft
}

type farmTarget struct {
	r     *run
	loads Loads
	pick  func(j *workload.Job, l *Loads) int
}

func (f *farmTarget) arrive(i int32) {
	k := f.pick(&f.r.js[i].job, &f.loads)
	if k < 0 || k >= len(f.loads.st) {
		panic(fmt.Sprintf("policy: dispatcher chose member %d of %d", k, len(f.loads.st)))
	}
	f.loads.st[k].arrive(i)
}

func (f *farmTarget) stop() {
	for _, s := range f.loads.st {
		s.stop()
	}
}

// Loads is what a dispatcher sees of a farm's members during a run.
type Loads struct {
	st []station
}

// Len returns the number of members.
func (l *Loads) Len() int { return len(l.st) }

// Jobs returns the number of jobs at member i (waiting and in service).
func (l *Loads) Jobs(i int) int { return l.st[i].count() }

// Work returns member i's remaining work now: the sum of the remaining
// sizes of its jobs.
func (l *Loads) Work(i int) time.Duration { return l.st[i].work() }

// Dispatcher chooses a farm member for each arriving job. Start is called
// once per run and returns the choice function for that run, which keeps
// the run's state (a counter, a random stream); the choice must be in
// [0, k).
type Dispatcher interface {
	// Name names the dispatcher in reports.
	Name() string
	// Start returns the choice function for one run on env over k members.
	Start(env *sim.Env, k int) func(j *workload.Job, l *Loads) int
}

// Dispatch is a built-in [Dispatcher]; build one with [Random],
// [RoundRobinDispatch], [JSQ], [LeastWork] or [PowerOfD].
type Dispatch struct {
	kind   uint8
	d      int
	stream string
}

const (
	dispRandom uint8 = iota
	dispRoundRobin
	dispJSQ
	dispLWL
	dispPowD
)

// Random sends each job to a member chosen uniformly at random from the
// Env's stream of the given name.
func Random(stream string) Dispatch { return Dispatch{kind: dispRandom, stream: stream} }

// RoundRobinDispatch sends job n to member n mod k.
func RoundRobinDispatch() Dispatch { return Dispatch{kind: dispRoundRobin} }

// JSQ (join the shortest queue) sends each job to the member with the
// fewest jobs, the lowest index among ties.
func JSQ() Dispatch { return Dispatch{kind: dispJSQ} }

// LeastWork (least work left) sends each job to the member with the least
// remaining work, the lowest index among ties.
func LeastWork() Dispatch { return Dispatch{kind: dispLWL} }

// PowerOfD (power of d choices) samples d members uniformly with
// replacement from the Env's stream of the given name and sends the job to
// the one with the fewest jobs, the first sampled among ties. It panics
// if d < 1.
func PowerOfD(d int, stream string) Dispatch {
	if d < 1 {
		panic("policy: PowerOfD called with d < 1")
	}
	return Dispatch{kind: dispPowD, d: d, stream: stream}
}

// Name returns "Random", "RoundRobin", "JSQ", "LWL" or "Po<d>", e.g. "Po2".
func (d Dispatch) Name() string {
	switch d.kind {
	case dispRandom:
		return "Random"
	case dispRoundRobin:
		return "RoundRobin"
	case dispJSQ:
		return "JSQ"
	case dispLWL:
		return "LWL"
	}
	return "Po" + strconv.Itoa(d.d)
}

// Start returns the choice function for one run.
func (d Dispatch) Start(env *sim.Env, k int) func(j *workload.Job, l *Loads) int {
	var rng *rand.Rand
	if d.kind == dispRandom || d.kind == dispPowD {
		rng = env.Rand(d.stream)
	}
	switch d.kind {
	case dispRandom:
		return func(*workload.Job, *Loads) int { return rng.IntN(k) }
	case dispRoundRobin:
		next := 0
		return func(*workload.Job, *Loads) int {
			i := next
			next = (next + 1) % k
			return i
		}
	case dispJSQ:
		return func(_ *workload.Job, l *Loads) int {
			best := 0
			for i := 1; i < k; i++ {
				if l.Jobs(i) < l.Jobs(best) {
					best = i
				}
			}
			return best
		}
	case dispLWL:
		return func(_ *workload.Job, l *Loads) int {
			best, bw := 0, l.Work(0)
			for i := 1; i < k; i++ {
				if w := l.Work(i); w < bw {
					best, bw = i, w
				}
			}
			return best
		}
	}
	return func(_ *workload.Job, l *Loads) int {
		best := rng.IntN(k)
		for range d.d - 1 {
			if i := rng.IntN(k); l.Jobs(i) < l.Jobs(best) {
				best = i
			}
		}
		return best
	}
}
