package policy

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// The errors of this package; match them with errors.Is.
var (
	// ErrServers is returned for a server count below 1 or a farm with no
	// members.
	ErrServers = errors.New("policy: bad number of servers")
	// ErrUnsupported is returned for a policy a server cannot run with the
	// given number of servers, or a policy value it does not know.
	ErrUnsupported = errors.New("policy: unsupported policy")
	// ErrBadJob is returned by a run for a job out of arrival order, with
	// a negative size, or with a weight that is negative, NaN or infinite.
	ErrBadJob = errors.New("policy: bad job")
	// ErrInvalid is returned for a policy's bad parameter: a quantum that
	// is not positive, a class weight that is not positive and finite, an
	// empty distribution for [Gittins].
	ErrInvalid = errors.New("policy: invalid parameter")
	// ErrIncomplete is returned by a run whose Env stopped (by someone
	// else's Stop) before every job finished.
	ErrIncomplete = errors.New("policy: run stopped before every job finished")
)

// System is what a run offers jobs to: a [*Server] or a [*Farm].
type System interface {
	// Name names the system in reports.
	Name() string
	// build makes the system's stations for one run.
	build(r *run) target
}

// target takes arriving jobs: a station or a farm's dispatcher.
type target interface {
	arrive(j int32)
	stop()
}

// station is one queue with its servers, on one run.
type station interface {
	target
	// count returns the number of jobs at the station.
	count() int
	// work returns the remaining work at the station now.
	work() time.Duration
}

// jobState is a job in a run.
type jobState struct {
	job      workload.Job
	seq      uint64
	start    time.Duration
	attained time.Duration // service received up to the last stop (rank and RR stations)
	pre      int
	started  bool
}

// run is one pass of a job source through a system on an Env.
type run struct {
	env            *sim.Env
	js             []jobState
	free           []int32
	next           func() (workload.Job, bool)
	pending        workload.Job
	last           time.Duration
	seq            uint64
	live           int
	exhausted      bool
	done           func(workload.Record)
	err            error
	onArrive       func()
	pendingArrival sim.Handle // the pending arrival
	tgt            target
}

// Run offers jobs, in arrival order, to sys on env, runs env until every
// job has finished, and calls done with each job's record as it finishes
// (so that a long run keeps no records). Each job finishes exactly once.
// Run drives env with [sim.Env.Run] and stops it once the last job is done,
// so other events on env run too.
//
// A job arriving before the previous one or before env's present, with a
// negative size, or with a weight that is negative, NaN or infinite ends the
// run with an error matching [ErrBadJob] that names the job; the records
// of jobs finished until then have been passed to done. Run panics if any
// argument is nil.
func Run(env *sim.Env, sys System, jobs iter.Seq[workload.Job], done func(workload.Record)) error {
	if env == nil || sys == nil || jobs == nil || done == nil {
		panic("policy: Run called with a nil argument")
	}
	next, stop := iter.Pull(jobs)
	defer stop()
	return runNext(env, sys, next, done)
}

// RunNext is [Run] with the jobs from a next function, such as
// [workload.Generator.Next], that returns false when there are no more. It
// saves the coroutine switch per job that pulling from an iter.Seq costs.
func RunNext(env *sim.Env, sys System, next func() (workload.Job, bool), done func(workload.Record)) error {
	if env == nil || sys == nil || next == nil || done == nil {
		panic("policy: RunNext called with a nil argument")
	}
	return runNext(env, sys, next, done)
}

func runNext(env *sim.Env, sys System, next func() (workload.Job, bool), done func(workload.Record)) error {
	r := &run{env: env, next: next, last: env.Now(), done: done}
	r.onArrive = r.arrival
	r.tgt = sys.build(r)
	if !r.pull() {
		return r.err
	}
	err := env.Run()
	if r.err != nil || r.live > 0 || !r.exhausted {
		r.tgt.stop()
		r.pendingArrival.Cancel()
	}
	if r.err != nil {
		return r.err
	}
	if err != nil {
		return err
	}
	if r.live > 0 || !r.exhausted {
		return fmt.Errorf("%w: %d jobs in the system at %v", ErrIncomplete, r.live, env.Now())
	}
	return nil
}

// Records is [Run] collecting the records in a slice, in order of finish
// (ties in the order the jobs finished within the same instant).
func Records(env *sim.Env, sys System, jobs iter.Seq[workload.Job]) ([]workload.Record, error) {
	var recs []workload.Record
	err := Run(env, sys, jobs, func(r workload.Record) { recs = append(recs, r) })
	return recs, err
}

// pull reads the next job and schedules its arrival. It reports whether
// there was a valid job.
func (r *run) pull() bool {
	j, ok := r.next()
	if !ok {
		r.exhausted = true
		if r.live == 0 {
			r.env.Stop()
		}
		return false
	}
	switch {
	case j.Arrival < r.last:
		return r.fail(fmt.Errorf("%w: job %d arrives at %v, before %v (jobs must come in arrival order, not before the Env's present)", ErrBadJob, j.ID, j.Arrival, r.last))
	case j.Size < 0:
		return r.fail(fmt.Errorf("%w: job %d has size %v (sizes must be at least 0)", ErrBadJob, j.ID, j.Size))
	case j.Weight < 0 || math.IsNaN(j.Weight) || math.IsInf(j.Weight, 0):
		return r.fail(fmt.Errorf("%w: job %d has weight %v (weights must be finite and at least 0, 0 meaning 1)", ErrBadJob, j.ID, j.Weight))
	}
	r.last = j.Arrival
	r.pending = j
	r.pendingArrival = r.env.CallAt(j.Arrival, r.onArrive)
	return true
}

// at schedules a station's event (a completion, a quantum's end, a
// decision point) at t. Station events run before arrivals due at the
// same time, so an arriving job sees the jobs that leave at that instant
// gone and joins a round-robin queue behind a job whose quantum ends then.
func (r *run) at(t time.Duration, fn func()) sim.Handle {
	return r.env.CallAtPriority(t, -1, fn)
}

func (r *run) fail(err error) bool {
	r.err = err
	r.env.Stop()
	return false
}

// arrival is the arrival event of r.pending.
func (r *run) arrival() {
	var i int32
	if n := len(r.free); n > 0 {
		i = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		r.js = append(r.js, jobState{})
		i = int32(len(r.js) - 1)
	}
	r.js[i] = jobState{job: r.pending, seq: r.seq}
	r.seq++
	r.live++
	r.tgt.arrive(i)
	r.pull()
}

// begin marks job i as served from now, if it was not already.
func (r *run) begin(i int32) {
	s := &r.js[i]
	if !s.started {
		s.started = true
		s.start = r.env.Now()
	}
}

// finish ends job i now on the given server.
func (r *run) finish(i int32, server int) {
	s := &r.js[i]
	if !s.started {
		s.started = true
		s.start = r.env.Now()
	}
	r.done(workload.Record{Job: s.job, Start: s.start, Finish: r.env.Now(), Server: server, Preemptions: s.pre})
	r.free = append(r.free, i)
	r.live--
	if r.live == 0 && r.exhausted {
		r.env.Stop()
	}
}

// weight returns job i's weight (0 counts as 1).
func (r *run) weight(i int32) float64 {
	if w := r.js[i].job.Weight; w != 0 {
		return w
	}
	return 1
}

// Server is one queue served by c identical servers of rate 1 under one
// policy (a central queue: the c best-ranked jobs are served, or under
// [PS] each of n jobs gets rate min(1, c/n)). It is a [System] and a
// member of a [Farm]. Build one with [NewServer]; it holds no run state,
// so one Server can serve many runs.
type Server struct {
	p Policy
	c int
}

// NewServer returns a server of c identical servers under policy p. It
// returns an error matching [ErrServers] if c < 1, and one matching
// [ErrUnsupported] for a policy it cannot run on c servers ([DPS] and
// [FairShare] run on one server) or a [Policy] that is neither a
// [Ranker] nor a built-in, and one matching [ErrInvalid] for a
// [RoundRobin] whose quantum is not positive or a [Fair] with a weight
// that is not positive and finite. It panics if p is nil.
func NewServer(p Policy, c int) (*Server, error) {
	if p == nil {
		panic("policy: NewServer called with a nil Policy")
	}
	if c < 1 {
		return nil, fmt.Errorf("%w: %d servers for %s (at least 1 is needed)", ErrServers, c, p.Name())
	}
	one := func() error {
		if c != 1 {
			return fmt.Errorf("%w: %s runs on 1 server, not %d", ErrUnsupported, p.Name(), c)
		}
		return nil
	}
	switch q := p.(type) {
	case Ranking:
		if q < FCFS || q > PriorityPR {
			return nil, fmt.Errorf("%w: %s", ErrUnsupported, q.Name())
		}
	case Sharing:
		switch q {
		case PS:
		case DPS:
			if err := one(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%w: %s", ErrUnsupported, q.Name())
		}
	case RoundRobin:
		if q.Quantum <= 0 {
			return nil, fmt.Errorf("%w: RR quantum %v (it must be positive)", ErrInvalid, q.Quantum)
		}
	case Fair:
		if err := one(); err != nil {
			return nil, err
		}
		for k, w := range q.weights {
			if !(w > 0) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("%w: FairShare weight %v for class %d (weights must be positive and finite)", ErrInvalid, w, k)
			}
		}
	case Ranker:
	default:
		return nil, fmt.Errorf("%w: %s (%T) is neither a Ranker nor a built-in policy", ErrUnsupported, p.Name(), p)
	}
	return &Server{p: p, c: c}, nil
}

// Name returns the policy's name, followed by "/c" for c > 1 servers
// (e.g. "PS/4").
func (s *Server) Name() string {
	if s.c == 1 {
		return s.p.Name()
	}
	return fmt.Sprintf("%s/%d", s.p.Name(), s.c)
}

// Policy returns the server's policy.
func (s *Server) Policy() Policy { return s.p }

// Servers returns the number of servers.
func (s *Server) Servers() int { return s.c }

func (s *Server) build(r *run) target { return s.station(r, -1) }

// station builds the server's station for run r; member is its index in a
// farm, or -1 alone.
func (s *Server) station(r *run, member int) station {
	switch q := s.p.(type) {
	case Ranking:
		if q == LAS {
			return newLAS(r, s.c, member)
		}
	case Sharing:
		return newPS(r, s.c, q == DPS, member)
	case RoundRobin:
		return newRR(r, s.c, q.Quantum, member)
	case Fair:
		return newFair(r, q, member)
	}
	return newRank(r, s.p.(Ranker), s.c, member)
}
