package jobstats

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/vtsim/vtsim/reports"
)

// Stats describes one per-job measure over the jobs of a run: the mean, the
// exact sample quantiles of [reports.QuantileSorted] (each one a value that
// occurred) and the maximum.
type Stats struct {
	Mean                float64
	P50, P95, P99, P999 float64
	Max                 float64
}

// quantile is reports.QuantileSorted for a p known to be valid and a
// non-empty slice.
func quantile(p float64, sorted []float64) float64 {
	q, _ := reports.QuantileSorted(p, sorted)
	return q
}

// Group are the measures of a set of jobs: all jobs of a run in a
// [Summary], or one class in a [ClassSummary].
type Group struct {
	// Jobs is the number of jobs.
	Jobs int
	// Response and Wait are in the Config's unit; Slowdown and
	// BoundedSlowdown are ratios.
	Response, Wait, Slowdown, BoundedSlowdown Stats
	// Fairness is Jain's fairness index of the per-job slowdowns,
	// (Σx)² / (n·Σx²) (Jain, Chiu and Hawe, "A quantitative measure of
	// fairness and discrimination for resource allocation in shared computer
	// systems", DEC-TR-301, 1984): 1 when every job has the same slowdown,
	// down to 1/n when one job has all of it.
	Fairness float64
	// DeadlineJobs is the number of jobs with a deadline and DeadlineMisses
	// the number of those that finished after it.
	DeadlineJobs, DeadlineMisses int
}

// MissRate returns DeadlineMisses / DeadlineJobs, and false when no job had
// a deadline: then there is no rate, rather than a rate of 0.
func (g Group) MissRate() (float64, bool) {
	if g.DeadlineJobs == 0 {
		return 0, false
	}
	return float64(g.DeadlineMisses) / float64(g.DeadlineJobs), true
}

// ClassSummary are the measures of the jobs of one class.
type ClassSummary struct {
	Class int
	Group
}

// SizeBin holds the slowdowns of the jobs whose size falls in one bin of a
// logarithmic scale: bin Index covers sizes in [Low, High) units, with
// Low = 10^(Index/BinsPerDecade) and High the Low of the next bin. An empty
// bin has Jobs = 0 and no mean: [SizeBin.MeanSlowdown] says so.
type SizeBin struct {
	Index     int
	Low, High float64
	// Jobs is the number of jobs in the bin and SlowdownSum the sum of
	// their slowdowns; bins of several runs add up.
	Jobs        int
	SlowdownSum float64
}

// MeanSlowdown returns the mean slowdown of the jobs in the bin, and false
// for an empty bin, whose mean is missing (not 0).
func (b SizeBin) MeanSlowdown() (float64, bool) {
	if b.Jobs == 0 {
		return 0, false
	}
	return b.SlowdownSum / float64(b.Jobs), true
}

// Summary are the measures of one run. Times are in Config.Unit.
type Summary struct {
	// Config is the Config measured with, defaults filled in.
	Config Config
	// Group holds the measures over every job.
	Group
	// FirstArrival and LastFinish bound the run; their difference is the
	// makespan.
	FirstArrival, LastFinish time.Duration
	// Throughput is Jobs / makespan, in jobs per unit.
	Throughput float64
	// Utilisation is the work done, Σ size·procs, divided by Servers ·
	// makespan.
	Utilisation float64
	// MaxInSystem is the largest number of jobs in the system at once, a
	// job being in it from its arrival until its finish (a job that finishes
	// at the instant another arrives has left), counted exactly from the
	// times.
	MaxInSystem int
	// MeanInSystem is the time-average number of jobs in the system over
	// the makespan, Σ response / makespan (Little's law holds exactly on the
	// run).
	MeanInSystem float64
	// Classes has one entry per class, sorted by class.
	Classes []ClassSummary
	// SizeBins are the size bins from the smallest to the largest job
	// size, consecutive: a bin between them with no job has Jobs = 0.
	SizeBins []SizeBin
}

// Summary returns the measures of the records added since the last Reset.
// It selects the quantiles among the stored values, O(n) expected time for
// n records, and sorts the arrival and finish times, O(n log n) (O(n) when
// they were added in order); it may be called
// again after more records are added. It returns the error of the first
// invalid record added (wrapping [ErrRecord]), an error wrapping [ErrEmpty]
// when there is no valid record, or one wrapping [ErrMakespan] when every job
// arrived and finished at the same instant.
func (a *Accumulator) Summary() (Summary, error) {
	a.init()
	if a.err != nil {
		return Summary{}, a.err
	}
	if a.n == 0 {
		return Summary{}, ErrEmpty
	}
	if a.lastFinish == a.firstArrival {
		return Summary{}, fmt.Errorf("%w: %d jobs all arrived and finished at %v, want a last finish after the first arrival",
			ErrMakespan, a.n, a.firstArrival)
	}
	s := Summary{Config: a.cfg, FirstArrival: a.firstArrival, LastFinish: a.lastFinish}
	all := a.total
	order := make([]int, len(a.groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(a.groups[i].class, a.groups[j].class) })
	s.Classes = make([]ClassSummary, len(order))
	for k, i := range order {
		g := &a.groups[i]
		s.Classes[k] = ClassSummary{Class: g.class, Group: g.summary(g.values)}
	}
	if len(order) == 1 {
		s.Group = s.Classes[0].Group
	} else {
		for m := range nMeasures {
			all.values[m] = a.allValues(m)
		}
		s.Group = all.summary(all.values)
	}
	span := in(a.lastFinish-a.firstArrival, a.cfg.Unit)
	s.Throughput = float64(a.n) / span
	s.Utilisation = a.work / (float64(a.cfg.Servers) * span)
	s.MeanInSystem = all.sums[mResponse] / span
	s.MaxInSystem = a.maxInSystem()
	s.SizeBins = a.sizeBins()
	return s, nil
}

// summary returns the measures of g with the given values, which it
// reorders.
func (g *group) summary(values [nMeasures][]float64) Group {
	n := len(values[mResponse])
	return Group{
		Jobs:            n,
		Response:        selectStats(g.sums[mResponse], values[mResponse]),
		Wait:            selectStats(g.sums[mWait], values[mWait]),
		Slowdown:        selectStats(g.sums[mSlowdown], values[mSlowdown]),
		BoundedSlowdown: selectStats(g.sums[mBounded], values[mBounded]),
		Fairness:        g.sums[mSlowdown] * g.sums[mSlowdown] / (float64(n) * g.sumSq),
		DeadlineJobs:    g.deadlineJobs,
		DeadlineMisses:  g.misses,
	}
}

// maxInSystem sweeps the sorted arrival and finish times: at each arrival,
// the jobs in the system are those arrived so far less those finished at or
// before it.
func (a *Accumulator) maxInSystem() int {
	slices.Sort(a.arrivals)
	slices.Sort(a.finishes)
	most, j := 0, 0
	for i, t := range a.arrivals {
		for j < len(a.finishes) && a.finishes[j] <= t {
			j++
		}
		most = max(most, i+1-j)
	}
	return most
}

// sizeBins returns the bins from the smallest index to the largest,
// consecutive.
func (a *Accumulator) sizeBins() []SizeBin {
	out := make([]SizeBin, len(a.bins))
	for i, b := range a.bins {
		out[i] = SizeBin{Index: a.binLow + i, Low: b.lo, High: b.hi, Jobs: b.jobs, SlowdownSum: b.sum}
	}
	return out
}
