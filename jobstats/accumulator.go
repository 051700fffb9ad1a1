package jobstats

import (
	"math"
	"slices"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// The four per-job measures, as indices of a group's arrays.
const (
	mResponse = iota
	mWait
	mSlowdown
	mBounded
	nMeasures
)

// group accumulates the records of one job class.
type group struct {
	class  int
	values [nMeasures][]float64 // unsorted until a summary sorts them
	sums   [nMeasures]float64
	// sumSq is Σ slowdown², for Jain's index.
	sumSq                float64
	deadlineJobs, misses int
}

func (g *group) reset(class int) {
	for i := range g.values {
		g.values[i] = g.values[i][:0]
	}
	*g = group{class: class, values: g.values}
}

func (g *group) add(m JobMetrics, missed, hasDeadline bool) {
	for i, x := range [nMeasures]float64{m.Response, m.Wait, m.Slowdown, m.BoundedSlowdown} {
		g.values[i] = append(g.values[i], x)
	}
	g.addSums(m, missed, hasDeadline)
}

// addSums adds m to the sums and counts of g, not to its values.
func (g *group) addSums(m JobMetrics, missed, hasDeadline bool) {
	for i, x := range [nMeasures]float64{m.Response, m.Wait, m.Slowdown, m.BoundedSlowdown} {
		g.sums[i] += x
	}
	g.sumSq += m.Slowdown * m.Slowdown
	if hasDeadline {
		g.deadlineJobs++
		if missed {
			g.misses++
		}
	}
}

// binAcc accumulates the slowdowns of the jobs of the size bin [lo, hi).
type binAcc struct {
	jobs   int
	sum    float64
	lo, hi float64
}

// Accumulator summarises the records of one run, added one at a time in
// any order: see the package documentation for what it computes. Add takes
// O(1) amortised time and allocates nothing once the accumulator has seen as
// many records, classes and size bins as before, so that one accumulator,
// [Accumulator.Reset] between runs, serves any number of runs. It keeps
// 48 bytes per record (four measures and two times), which the exact
// quantiles and the maximum number in system need, and as much again for
// the overall quantiles when the jobs are of several classes.
//
// The zero value is an empty accumulator with the zero [Config]; use
// [NewAccumulator] for another. An Accumulator is not safe for concurrent
// use.
type Accumulator struct {
	cfg      Config
	resolved bool
	err      error // the first invalid record or the config's error

	n                        int
	firstArrival, lastFinish time.Duration
	work                     float64 // Σ size·procs in units
	// total has the sums over every job, in the order added (its values
	// are not used), so that the overall means do not depend on how the
	// jobs divide into classes.
	total group

	groups []group     // in order of first appearance
	index  map[int]int // class -> position in groups, read when there are many
	last   int         // position of the last class seen, -1 for none

	// bins are the size bins binLow, binLow+1, ..., with their edges, so
	// that a size within them is placed by a binary search rather than a
	// logarithm.
	bins   []binAcc
	binLow int

	arrivals, finishes []time.Duration
	scratch            [nMeasures][]float64 // every class's values, for several classes
}

// NewAccumulator returns an empty Accumulator that measures with cfg.
// It returns an error wrapping [ErrConfig] if a field of cfg is negative.
func NewAccumulator(cfg Config) (*Accumulator, error) {
	r, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	return &Accumulator{cfg: r, resolved: true, last: -1}, nil
}

// Config returns the Config the accumulator measures with, defaults
// filled in.
func (a *Accumulator) Config() Config {
	a.init()
	return a.cfg
}

func (a *Accumulator) init() {
	if a.resolved {
		return
	}
	// The zero Config always resolves.
	a.cfg, _ = a.cfg.resolve()
	a.resolved, a.last = true, -1
}

// Reset forgets every record, keeping the memory for the next run and the
// Config.
func (a *Accumulator) Reset() {
	a.init()
	a.err = nil
	a.n = 0
	a.firstArrival, a.lastFinish, a.work = 0, 0, 0
	a.total = group{}
	for i := range a.groups {
		a.groups[i].reset(0)
	}
	a.groups = a.groups[:0]
	clear(a.index)
	a.bins = a.bins[:0]
	a.last = -1
	a.arrivals, a.finishes = a.arrivals[:0], a.finishes[:0]
}

// Len returns the number of records added since the last Reset.
func (a *Accumulator) Len() int { return a.n }

// Add records one job. An invalid record (see [Config.Measure]) is not
// counted: the first one is kept and [Accumulator.Summary] returns its error,
// as bufio.Scanner keeps its first error, so that a run can add records
// without checking each. It takes O(1) amortised time.
func (a *Accumulator) Add(r workload.Record) {
	a.init()
	if err := checkRecord(&r); err != nil {
		if a.err == nil {
			a.err = err
		}
		return
	}
	m := a.cfg.measure(&r)
	if a.n == 0 || r.Arrival < a.firstArrival {
		a.firstArrival = r.Arrival
	}
	if a.n == 0 || r.Finish > a.lastFinish {
		a.lastFinish = r.Finish
	}
	a.n++
	a.work += in(r.Size, a.cfg.Unit) * float64(max(r.Procs, 1))
	missed, hasDeadline := r.Deadline != 0 && r.Finish > r.Deadline, r.Deadline != 0
	a.group(r.Class).add(m, missed, hasDeadline)
	a.total.addSums(m, missed, hasDeadline)
	a.addBin(in(r.Size, a.cfg.Unit), m.Slowdown)
	a.arrivals = append(a.arrivals, r.Arrival)
	a.finishes = append(a.finishes, r.Finish)
}

// smallClasses is the number of classes up to which a class is looked up
// by a scan rather than in the map.
const smallClasses = 8

// group returns the group of class, creating it if needed.
func (a *Accumulator) group(class int) *group {
	if a.last >= 0 && a.groups[a.last].class == class {
		return &a.groups[a.last]
	}
	i, ok := -1, false
	if len(a.groups) <= smallClasses {
		for j := range a.groups {
			if a.groups[j].class == class {
				i, ok = j, true
				break
			}
		}
	} else {
		i, ok = a.index[class]
	}
	if !ok {
		if a.index == nil {
			a.index = make(map[int]int)
		}
		i = len(a.groups)
		if i < cap(a.groups) {
			a.groups = a.groups[:i+1] // reuse the values of an old group
			a.groups[i].reset(class)
		} else {
			a.groups = append(a.groups, group{class: class})
		}
		a.index[class] = i
	}
	a.last = i
	return &a.groups[i]
}

// addBin adds a job of the given size (in units) and slowdown to its size
// bin, growing the bins at either end within their capacity.
func (a *Accumulator) addBin(size, slowdown float64) {
	bins := a.bins
	if n := len(bins); n > 0 && bins[0].lo <= size && size < bins[n-1].hi {
		i, j := 0, n-1 // the bin is in bins[i..j]
		for i < j {
			if h := int(uint(i+j) >> 1); size < bins[h].hi {
				j = h
			} else {
				i = h + 1
			}
		}
		bins[i].jobs++
		bins[i].sum += slowdown
		return
	}
	d := a.cfg.BinsPerDecade
	k := sizeBin(size, d)
	edges := func(k int) binAcc { return binAcc{lo: binEdge(k, d), hi: binEdge(k+1, d)} }
	switch {
	case len(a.bins) == 0:
		a.binLow = k
		a.bins = append(a.bins, edges(k))
	case k < a.binLow:
		n, old := a.binLow-k, len(a.bins)
		for range n {
			a.bins = append(a.bins, binAcc{})
		}
		copy(a.bins[n:], a.bins[:old])
		for i := range n {
			a.bins[i] = edges(k + i)
		}
		a.binLow = k
	default:
		for k >= a.binLow+len(a.bins) {
			a.bins = append(a.bins, edges(a.binLow+len(a.bins)))
		}
	}
	b := &a.bins[k-a.binLow]
	b.jobs++
	b.sum += slowdown
}

// binEdge returns the lower edge of size bin k, 10^(k/perDecade).
func binEdge(k, perDecade int) float64 {
	return math.Pow(10, float64(k)/float64(perDecade))
}

// sizeBin returns the k with binEdge(k) ≤ size < binEdge(k+1), for a
// positive size. The logarithm gives k up to rounding, which the edges then
// correct, so that a size equal to an edge is always in the bin above it.
func sizeBin(size float64, perDecade int) int {
	k := int(math.Floor(float64(perDecade) * math.Log10(size)))
	for binEdge(k, perDecade) > size {
		k--
	}
	for binEdge(k+1, perDecade) <= size {
		k++
	}
	return k
}

// ResponseCDF returns the empirical distribution of the response times
// added so far at points+1 evenly spaced fractions 0, 1/points, ..., 1: at
// fraction p, the p-quantile of [reports.QuantileSorted]. It is what a
// response-time distribution chart needs, in a size that does not grow with
// the number of jobs. It sorts the response times, O(n log n) (a summary
// needs no sort), and returns an
// error wrapping [ErrEmpty] for no records, or the error of the first invalid
// record. It panics if points is below 1.
func (a *Accumulator) ResponseCDF(points int) ([]CDFPoint, error) {
	if points < 1 {
		panic("jobstats: Accumulator.ResponseCDF: points must be at least 1")
	}
	if a.err != nil {
		return nil, a.err
	}
	if a.n == 0 {
		return nil, ErrEmpty
	}
	sorted := a.sortedResponses()
	out := make([]CDFPoint, points+1)
	for i := range out {
		p := float64(i) / float64(points)
		out[i] = CDFPoint{Value: quantile(p, sorted), Fraction: p}
	}
	return out, nil
}

// sorted returns every response time, sorted.
func (a *Accumulator) sortedResponses() []float64 {
	all := a.allValues(mResponse)
	slices.Sort(all)
	return all
}

// allValues returns every value of measure m, in no particular order: the
// values of the only class, or those of every class copied into scratch.
func (a *Accumulator) allValues(m int) []float64 {
	if len(a.groups) == 1 {
		return a.groups[0].values[m]
	}
	all := a.scratch[m][:0]
	for i := range a.groups {
		all = append(all, a.groups[i].values[m]...)
	}
	a.scratch[m] = all
	return all
}

// CDFPoint is a point of an empirical distribution function: a fraction of
// the jobs had a value at most Value.
type CDFPoint struct {
	Value, Fraction float64
}
