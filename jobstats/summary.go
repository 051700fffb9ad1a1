package jobstats

import (
	"cmp"
	"math"
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

func stats(sum float64, sorted []float64) Stats {
	n := len(sorted)
	return Stats{
		Mean: sum / float64(n),
		P50:  quantile(0.5, sorted), P95: quantile(0.95, sorted),
		P99: quantile(0.99, sorted), P999: quantile(0.999, sorted),
		Max: sorted[n-1],
	}
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
// It sorts the stored values, O(n log n) for n records, and may be called
// again after more records are added. It returns the error of the first
// invalid record added (wrapping [ErrRecord]), or an error wrapping
// [ErrEmpty] when there is no valid record.
func (a *Accumulator) Summary() (Summary, error) {
	a.init()
	if a.err != nil {
		return Summary{}, a.err
	}
	if a.n == 0 {
		return Summary{}, ErrEmpty
	}
	s := Summary{Config: a.cfg, FirstArrival: a.firstArrival, LastFinish: a.lastFinish}
	var all group
	for m := range nMeasures {
		all.values[m] = a.sorted(m)
	}
	order := make([]int, len(a.groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(a.groups[i].class, a.groups[j].class) })
	s.Classes = make([]ClassSummary, len(order))
	for k, i := range order {
		g := &a.groups[i]
		s.Classes[k] = ClassSummary{Class: g.class, Group: g.summary(g.values)}
		for m := range nMeasures {
			all.sums[m] += g.sums[m]
		}
		all.sumSq += g.sumSq
		all.deadlineJobs += g.deadlineJobs
		all.misses += g.misses
	}
	s.Group = all.summary(all.values)
	span := in(a.lastFinish-a.firstArrival, a.cfg.Unit)
	s.Throughput = float64(a.n) / span
	s.Utilisation = a.work / (float64(a.cfg.Servers) * span)
	s.MeanInSystem = all.sums[mResponse] / span
	s.MaxInSystem = a.maxInSystem()
	s.SizeBins = a.sizeBins()
	return s, nil
}

// summary returns the measures of g, whose values are sorted.
func (g *group) summary(sorted [nMeasures][]float64) Group {
	n := len(sorted[mResponse])
	return Group{
		Jobs:            n,
		Response:        stats(g.sums[mResponse], sorted[mResponse]),
		Wait:            stats(g.sums[mWait], sorted[mWait]),
		Slowdown:        stats(g.sums[mSlowdown], sorted[mSlowdown]),
		BoundedSlowdown: stats(g.sums[mBounded], sorted[mBounded]),
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
	lo, hi := math.MaxInt, math.MinInt
	for k := range a.bins {
		lo, hi = min(lo, k), max(hi, k)
	}
	out := make([]SizeBin, 0, hi-lo+1)
	d := a.cfg.BinsPerDecade
	for k := lo; k <= hi; k++ {
		b := a.bins[k]
		out = append(out, SizeBin{Index: k, Low: binEdge(k, d), High: binEdge(k+1, d), Jobs: b.jobs, SlowdownSum: b.sum})
	}
	return out
}
