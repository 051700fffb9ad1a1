package policy

import (
	"math"
	"strconv"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// Never is the attained service a [Changer] returns when a job's rank will
// not change again.
const Never = time.Duration(math.MaxInt64)

// Policy is a scheduling policy. Every policy has a name for reports. The
// policies a [Server] can run are the [Ranker] implementations (the user's
// own among them) and the built-in rate-sharing policies ([PS], [DPS],
// [RR], [FairShare]).
type Policy interface {
	// Name names the policy in reports, e.g. "SRPT" or "RR(1ms)".
	Name() string
}

// Ranker is a rank-based policy in the SOAP form of Scully, Harchol-Balter
// and Scheller-Wolf (SIGMETRICS 2018): every job has a rank computed from
// its descriptor (size, estimate, class, deadline, weight) and its attained
// service, and the jobs with the lowest ranks are served. Equal ranks are
// served in arrival order.
//
// A waiting job's rank does not change (nothing is attained while it
// waits), so a server ranks a job when it starts to wait. A served job's
// rank is recomputed when another job arrives (to decide on preemption) and
// at the decision points a [Changer] names.
type Ranker interface {
	Policy
	// Rank returns the rank of job j after attained service; lower is
	// better. It must not return NaN.
	Rank(j *workload.Job, attained time.Duration) float64
	// Preempts reports whether a job whose rank is lower than a served
	// job's takes its server (preemptive-resume); if not, a served job
	// runs to completion.
	Preempts() bool
}

// Changer is implemented by a preemptive [Ranker] whose served job's rank
// can get worse as it is served (LAS-like and Gittins-like policies): it
// names the next decision point, where the server re-ranks the job and
// preempts it if a waiting job now ranks lower. A rank that only improves
// with service (SRPT) needs no Changer.
type Changer interface {
	// NextChange returns the attained service, greater than attained, at
	// which j's rank next changes, or [Never].
	NextChange(j *workload.Job, attained time.Duration) time.Duration
}

// Admitter is implemented by a policy that looks at, and may change, each
// job once as it arrives at a server, before it is ranked: to draw a noisy
// size estimate, say. Changes stay with the job and are in its
// [workload.Record].
type Admitter interface {
	// Admit sees job j as it arrives and may change its fields.
	Admit(j *workload.Job)
}

// Ranked is a [Ranker] made of functions, for a user's own policy. Key is
// required; the others may be nil. Its zero value is not usable.
type Ranked struct {
	// Label is the policy's name.
	Label string
	// Preemptive makes the policy preemptive-resume.
	Preemptive bool
	// Key returns the rank of j after attained service (see [Ranker]).
	Key func(j *workload.Job, attained time.Duration) float64
	// Change, if not nil, names the next decision point (see [Changer]).
	Change func(j *workload.Job, attained time.Duration) time.Duration
	// OnArrival, if not nil, sees each job as it arrives (see [Admitter]).
	OnArrival func(j *workload.Job)
}

// Name returns r.Label.
func (r *Ranked) Name() string { return r.Label }

// Rank returns r.Key(j, attained).
func (r *Ranked) Rank(j *workload.Job, attained time.Duration) float64 { return r.Key(j, attained) }

// Preempts returns r.Preemptive.
func (r *Ranked) Preempts() bool { return r.Preemptive }

// NextChange returns r.Change(j, attained), or [Never] if Change is nil.
func (r *Ranked) NextChange(j *workload.Job, attained time.Duration) time.Duration {
	if r.Change == nil {
		return Never
	}
	return r.Change(j, attained)
}

// Admit calls r.OnArrival(j) if it is not nil.
func (r *Ranked) Admit(j *workload.Job) {
	if r.OnArrival != nil {
		r.OnArrival(j)
	}
}

// Ranking is a built-in rank-based policy. Its values are the constants
// below; each is a [Ranker].
type Ranking uint8

// The built-in rank-based policies. Ranks are in nanoseconds; ties go to
// the earlier arrival.
const (
	// FCFS serves jobs in arrival order, each to completion (rank: arrival).
	FCFS Ranking = iota + 1
	// LCFS serves the latest arrival when a server frees, non-preemptively
	// (rank: -arrival).
	LCFS
	// LCFSPR is preemptive-resume LCFS: an arrival takes the server.
	LCFSPR
	// SJF serves the shortest job (by Size) next, non-preemptively.
	SJF
	// PSJF is preemptive SJF: the rank is the original size.
	PSJF
	// SRPT serves the job with the shortest remaining size, preemptively
	// (rank: Size - attained).
	SRPT
	// SRPTEstimate is SRPT on Job.Estimate: rank Estimate - attained, with
	// an unknown (zero) estimate ranked as the true size.
	SRPTEstimate
	// LAS (least attained service, foreground-background) serves the jobs
	// with the least attained service; jobs tied at the least share the
	// server equally, as under PS. On c servers the servers go to the
	// least-attained jobs in turn, those tied sharing what is left.
	LAS
	// EDF serves the earliest deadline first, preemptively; a zero
	// deadline ranks last.
	EDF
	// PriorityNP serves the lowest Class first, non-preemptively, FCFS
	// within a class.
	PriorityNP
	// PriorityPR serves the lowest Class first, preemptive-resume, FCFS
	// within a class.
	PriorityPR
)

// Priority returns the static-priority policy over Job.Class (lower class
// first, FCFS within a class): [PriorityPR] if preemptive, else
// [PriorityNP].
func Priority(preemptive bool) Ranking {
	if preemptive {
		return PriorityPR
	}
	return PriorityNP
}

var rankingNames = [...]string{"", "FCFS", "LCFS", "LCFS-PR", "SJF", "PSJF", "SRPT", "SRPT-est", "LAS", "EDF", "Priority", "Priority-PR"}

// Name returns the policy's name, e.g. "SRPT".
func (r Ranking) Name() string {
	if r == 0 || int(r) >= len(rankingNames) {
		return "Ranking(" + strconv.Itoa(int(r)) + ")"
	}
	return rankingNames[r]
}

// String returns r.Name().
func (r Ranking) String() string { return r.Name() }

// Preempts reports whether the policy is preemptive.
func (r Ranking) Preempts() bool {
	switch r {
	case LCFSPR, PSJF, SRPT, SRPTEstimate, LAS, EDF, PriorityPR:
		return true
	}
	return false
}

// Rank returns the job's rank under r. It panics on an unknown Ranking.
func (r Ranking) Rank(j *workload.Job, attained time.Duration) float64 {
	switch r {
	case FCFS:
		return float64(j.Arrival)
	case LCFS, LCFSPR:
		return -float64(j.Arrival)
	case SJF, PSJF:
		return float64(j.Size)
	case SRPT:
		return float64(j.Size - attained)
	case SRPTEstimate:
		if j.Estimate == 0 {
			return float64(j.Size - attained)
		}
		return float64(j.Estimate - attained)
	case LAS:
		return float64(attained)
	case EDF:
		if j.Deadline == 0 {
			return math.Inf(1)
		}
		return float64(j.Deadline)
	case PriorityNP, PriorityPR:
		return float64(j.Class)
	}
	panic("policy: Rank on unknown " + r.Name())
}

// Sharing is a built-in rate-sharing policy: every job present is served at
// once, at a rate that depends on the set of jobs.
type Sharing uint8

// The built-in rate-sharing policies.
const (
	// PS is processor sharing: n jobs on c servers each get rate
	// min(1, c/n).
	PS Sharing = iota + 1
	// DPS is discriminatory (weighted) processor sharing: job i gets rate
	// w_i / Σw, with w from Job.Weight (0 counts as 1). One server only.
	DPS
)

// Name returns "PS" or "DPS".
func (s Sharing) Name() string {
	switch s {
	case PS:
		return "PS"
	case DPS:
		return "DPS"
	}
	return "Sharing(" + strconv.Itoa(int(s)) + ")"
}

// String returns s.Name().
func (s Sharing) String() string { return s.Name() }

// RoundRobin is round-robin with a quantum: the job at the head of a FIFO
// queue is served for up to Quantum, then goes to the tail (behind the jobs
// that arrived meanwhile). As the quantum shrinks it tends to [PS]; with an
// infinite quantum it is FCFS. Build one with [RR].
type RoundRobin struct {
	// Quantum is the time slice; it must be positive.
	Quantum time.Duration
}

// RR returns round-robin with quantum q.
func RR(q time.Duration) RoundRobin { return RoundRobin{Quantum: q} }

// Name returns "RR(q)", e.g. "RR(10ms)".
func (r RoundRobin) Name() string { return "RR(" + r.Quantum.String() + ")" }

// Fair is weighted fair sharing between classes (generalized processor
// sharing over Job.Class): the classes with jobs present share the server
// in proportion to their weights, and the jobs of a class share its part
// equally. Build one with [FairShare].
type Fair struct {
	weights map[int]float64
}

// FairShare returns weighted fair sharing between classes with the given
// weights; a class not in the map has weight 1. The map is copied.
func FairShare(weights map[int]float64) Fair {
	w := make(map[int]float64, len(weights))
	for k, v := range weights {
		w[k] = v
	}
	return Fair{weights: w}
}

// Name returns "FairShare".
func (f Fair) Name() string { return "FairShare" }

// weight returns the weight of class c.
func (f Fair) weight(c int) float64 {
	if w, ok := f.weights[c]; ok {
		return w
	}
	return 1
}
