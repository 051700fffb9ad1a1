package jobstats

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/vtsim/vtsim/reports"
)

// DefaultCDFPoints is the number of steps of the response-time distribution
// that [Run] keeps of replication 0 of each policy.
const DefaultCDFPoints = 200

// RunFunc runs one replication of a policy and adds the record of every job
// to acc, in any order. acc is empty and measures with the Config given to
// [Run]; it is reused for other replications after RunFunc returns, so
// RunFunc must not keep it. All randomness must come from streams seeded with
// rep.Seed, the same for every policy (common random numbers), so that the
// replication can be run again alone and the pairs of a comparison are
// paired. RunFuncs run on several goroutines at once.
type RunFunc func(policy string, rep reports.Replication, acc *Accumulator) error

// Runs are the per-replication summaries of one policy: the input of
// [Compare].
type Runs struct {
	Policy string
	// Summaries has one Summary per replication, in index order.
	Summaries []Summary
	// CDF is the response-time distribution of replication 0, for a chart;
	// it may be nil.
	CDF []CDFPoint
}

// Table is the outcome of running several policies over the same
// replications, or a table of summaries built by hand.
type Table struct {
	// Seed is the root seed of the replications.
	Seed uint64
	// Runs has one entry per policy, in the order given.
	Runs []Runs
}

// Run runs every policy over the replications of exp, through
// [reports.Replicate]: in parallel on exp.Workers goroutines, replication i
// with the seed [reports.ReplicationSeed](exp.Seed, i) for every policy. The
// Table is the same, value for value, whatever the number of workers, as
// long as run's records depend only on the policy and the Replication. One
// Accumulator per worker is reused across replications; the memory is
// O(workers · jobs per run).
//
// It returns an error wrapping [ErrPolicies] for no policies or an empty
// or repeated name, [ErrConfig] for a bad cfg, [ErrPrecision] when exp has a
// Precision, and otherwise the error of reports.Replicate (a
// *[reports.ReplicationError] for a failed replication, whose error is that
// of run or of [Accumulator.Summary]), with the policy's name. It panics if
// run is nil.
func Run(ctx context.Context, exp reports.Experiment, cfg Config, policies []string, run RunFunc) (Table, error) {
	if run == nil {
		panic("jobstats: Run: nil RunFunc")
	}
	if err := checkPolicies(policies); err != nil {
		return Table{}, err
	}
	if _, err := NewAccumulator(cfg); err != nil {
		return Table{}, err
	}
	if exp.Precision != nil {
		return Table{}, ErrPrecision
	}
	pool := sync.Pool{New: func() any {
		acc, _ := NewAccumulator(cfg) // cfg was checked above
		return acc
	}}
	t := Table{Seed: exp.Seed, Runs: make([]Runs, len(policies))}
	for p, name := range policies {
		sums := make([]Summary, max(exp.Replications, 0))
		var cdf []CDFPoint
		model := func(rep reports.Replication) (reports.Metrics, error) {
			acc := pool.Get().(*Accumulator)
			defer pool.Put(acc)
			acc.Reset()
			if err := run(name, rep, acc); err != nil {
				return nil, err
			}
			s, err := acc.Summary()
			if err != nil {
				return nil, err
			}
			if rep.Index == 0 {
				if cdf, err = acc.ResponseCDF(DefaultCDFPoints); err != nil {
					return nil, err
				}
			}
			sums[rep.Index] = s
			return s.Metrics(), nil
		}
		if _, err := reports.Replicate(ctx, exp, model); err != nil {
			return Table{}, fmt.Errorf("jobstats: policy %q: %w", name, err)
		}
		t.Runs[p] = Runs{Policy: name, Summaries: sums, CDF: cdf}
	}
	return t, nil
}

func checkPolicies(policies []string) error {
	if len(policies) == 0 {
		return fmt.Errorf("%w: no policies, want at least one", ErrPolicies)
	}
	seen := make(map[string]bool, len(policies))
	for i, p := range policies {
		if p == "" {
			return fmt.Errorf("%w: policy %d has an empty name", ErrPolicies, i)
		}
		if seen[p] {
			return fmt.Errorf("%w: policy %q appears twice, want distinct names", ErrPolicies, p)
		}
		seen[p] = true
	}
	return nil
}

// CompareOptions configure [Compare]. The zero value compares every metric
// against the first policy at the 95% level and ranks by mean response time.
type CompareOptions struct {
	// Baseline is the policy the others are compared with; "" means the
	// first one.
	Baseline string
	// RankBy is the metric that orders the policies, best first (see
	// [HigherIsBetter]); "" means MetricResponseMean.
	RankBy string
	// Metrics are the metrics compared, in the order given; nil means every
	// metric of the summaries, sorted by name.
	Metrics []string
	// Level is the confidence level; 0 means reports.DefaultLevel.
	Level float64
}

// Comparison is the outcome of [Compare]: per metric and policy the mean
// over the replications with its Student-t interval, and the paired
// difference from the baseline with its interval. It holds no maps, so it
// is written the same way every time.
type Comparison struct {
	// Seed is the root seed and Replications the number of replications.
	Seed         uint64
	Replications int
	// Level is the confidence level of every interval.
	Level float64
	// Config is the Config of the summaries (the same for all).
	Config Config
	// Baseline and RankBy are the options used, defaults filled in.
	Baseline, RankBy string
	// Policies are the policies ranked by RankBy, best first; equal means
	// keep the order of the Table.
	Policies []string
	// Metrics has one entry per metric compared.
	Metrics []MetricComparison
	// Curves has per policy, in the order of Policies, what the charts of a
	// comparison draw besides the intervals.
	Curves []Curves
}

// MetricComparison is one metric over the policies.
type MetricComparison struct {
	Name string
	// Policies has one entry per policy, in the order of
	// Comparison.Policies.
	Policies []PolicyMetric
}

// PolicyMetric is one metric of one policy.
type PolicyMetric struct {
	Policy string
	// Values are the metric in each replication, in index order, and
	// Summary their mean and interval.
	Values  []float64
	Summary reports.Summary
	// Baseline reports that this is the baseline policy, whose Versus is
	// the zero Comparison.
	Baseline bool
	// Versus is the paired-t comparison with the baseline (X this policy,
	// Y the baseline): Diff is this policy's mean minus the baseline's.
	Versus reports.Comparison
}

// Curves are the distributions of one policy that charts draw.
type Curves struct {
	Policy string
	// CDF is the response-time distribution of replication 0 (nil if the
	// Runs had none).
	CDF []CDFPoint
	// SizeBins are the size bins of every replication added up, so that
	// a bin's mean slowdown is the mean over all its jobs; consecutive, an
	// empty bin has Jobs = 0.
	SizeBins []SizeBin
}

// Compare compares the policies of t (see [Comparison]), each metric with
// the paired-t test of [reports.PairedT]: replication i of a policy with
// replication i of the baseline, which common random numbers make
// positively correlated, so that the interval of the difference is narrower
// than that of either mean. It takes O(p·m·n) time for p policies, m metrics
// and n replications.
//
// It returns an error wrapping [ErrPolicies] for no runs, an empty or
// repeated name or an unknown baseline, [ErrRuns] when the policies have
// different numbers of replications or fewer than two, or summaries with
// different metric names or Configs, [ErrMetric] for a RankBy or Metrics name that the
// summaries do not have, and [reports.ErrLevel] for a bad level.
func Compare(t Table, opts CompareOptions) (Comparison, error) {
	names := make([]string, len(t.Runs))
	for i, r := range t.Runs {
		names[i] = r.Policy
	}
	if err := checkPolicies(names); err != nil {
		return Comparison{}, err
	}
	level := opts.Level
	if level == 0 {
		level = reports.DefaultLevel
	}
	if _, err := reports.TCritical(level, 1); err != nil {
		return Comparison{}, err
	}
	base := opts.Baseline
	if base == "" {
		base = names[0]
	}
	bi := slices.Index(names, base)
	if bi < 0 {
		return Comparison{}, fmt.Errorf("%w: baseline %q is not one of %q", ErrPolicies, base, names)
	}
	n := len(t.Runs[0].Summaries)
	if n < 2 {
		return Comparison{}, fmt.Errorf("%w: %d replications, want at least 2 for an interval", ErrRuns, n)
	}
	values, all, err := metricValues(t, n)
	if err != nil {
		return Comparison{}, err
	}
	rankBy := cmp.Or(opts.RankBy, MetricResponseMean)
	if _, ok := values[rankBy]; !ok {
		return Comparison{}, fmt.Errorf("%w: RankBy %q (metrics: %q)", ErrMetric, rankBy, all)
	}
	metrics := opts.Metrics
	if metrics == nil {
		metrics = all
	}
	for _, m := range metrics {
		if _, ok := values[m]; !ok {
			return Comparison{}, fmt.Errorf("%w: %q (metrics: %q)", ErrMetric, m, all)
		}
	}

	order, err := rank(values[rankBy], HigherIsBetter(rankBy), level)
	if err != nil {
		return Comparison{}, fmt.Errorf("metric %q: %w", rankBy, err)
	}
	c := Comparison{Seed: t.Seed, Replications: n, Level: level, Config: t.Runs[0].Summaries[0].Config, Baseline: base, RankBy: rankBy,
		Policies: make([]string, len(order)), Metrics: make([]MetricComparison, len(metrics)),
		Curves: make([]Curves, len(order))}
	for k, p := range order {
		r := t.Runs[p]
		c.Policies[k] = r.Policy
		c.Curves[k] = Curves{Policy: r.Policy, CDF: r.CDF, SizeBins: poolBins(r.Summaries)}
	}
	for j, m := range metrics {
		mc := MetricComparison{Name: m, Policies: make([]PolicyMetric, len(order))}
		for k, p := range order {
			x := values[m][p]
			s, err := reports.Summarize(x, level)
			if err != nil {
				return Comparison{}, fmt.Errorf("jobstats: policy %q, metric %q: %w", names[p], m, err)
			}
			pm := PolicyMetric{Policy: names[p], Values: x, Summary: s, Baseline: p == bi}
			if p != bi {
				if pm.Versus, err = reports.PairedT(x, values[m][bi], level); err != nil {
					return Comparison{}, fmt.Errorf("jobstats: policy %q against baseline %q, metric %q: %w", names[p], base, m, err)
				}
			}
			mc.Policies[k] = pm
		}
		c.Metrics[j] = mc
	}
	return c, nil
}

// metricValues returns, per metric name, per policy (in the order of t) the
// metric's value in each replication, and the sorted names.
func metricValues(t Table, n int) (map[string][][]float64, []string, error) {
	var names []string
	values := make(map[string][][]float64)
	for p, r := range t.Runs {
		if len(r.Summaries) != n {
			return nil, nil, fmt.Errorf("%w: policy %q has %d replications, policy %q has %d",
				ErrRuns, r.Policy, len(r.Summaries), t.Runs[0].Policy, n)
		}
		for i, s := range r.Summaries {
			if s.Config != t.Runs[0].Summaries[0].Config {
				return nil, nil, fmt.Errorf("%w: policy %q, replication %d was measured with %+v, policy %q replication 0 with %+v",
					ErrRuns, r.Policy, i, s.Config, t.Runs[0].Policy, t.Runs[0].Summaries[0].Config)
			}
			m := s.Metrics()
			if names == nil {
				for name := range m {
					names = append(names, name)
					values[name] = make([][]float64, len(t.Runs))
				}
				slices.Sort(names)
			}
			if len(m) != len(names) {
				return nil, nil, fmt.Errorf("%w: policy %q, replication %d has %d metrics, want %d (%q)",
					ErrRuns, r.Policy, i, len(m), len(names), names)
			}
			for _, name := range names {
				x, ok := m[name]
				if !ok {
					return nil, nil, fmt.Errorf("%w: policy %q, replication %d has no metric %q",
						ErrRuns, r.Policy, i, name)
				}
				if values[name][p] == nil {
					values[name][p] = make([]float64, 0, n)
				}
				values[name][p] = append(values[name][p], x)
			}
		}
	}
	return values, names, nil
}

// rank returns the policy indices ordered by the mean of their values,
// best first, equal means in their order.
func rank(values [][]float64, higherIsBetter bool, level float64) ([]int, error) {
	means := make([]float64, len(values))
	for p, x := range values {
		s, err := reports.Summarize(x, level)
		if err != nil {
			return nil, err
		}
		means[p] = s.Mean
	}
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if higherIsBetter {
			return cmp.Compare(means[j], means[i])
		}
		return cmp.Compare(means[i], means[j])
	})
	return order, nil
}

// poolBins adds up the size bins of several summaries, consecutive from the
// smallest index to the largest.
func poolBins(sums []Summary) []SizeBin {
	var out []SizeBin
	for _, s := range sums {
		for _, b := range s.SizeBins {
			switch {
			case len(out) == 0:
				out = append(out, b)
				continue
			case b.Index < out[0].Index:
				pre := make([]SizeBin, out[0].Index-b.Index)
				for i := range pre {
					pre[i] = emptyBin(b.Index+i, s.Config.BinsPerDecade)
				}
				out = append(pre, out...)
			}
			for last := out[len(out)-1].Index; last < b.Index; last++ {
				out = append(out, emptyBin(last+1, s.Config.BinsPerDecade))
			}
			o := &out[b.Index-out[0].Index]
			o.Jobs += b.Jobs
			o.SlowdownSum += b.SlowdownSum
		}
	}
	return out
}

func emptyBin(k, perDecade int) SizeBin {
	return SizeBin{Index: k, Low: binEdge(k, perDecade), High: binEdge(k+1, perDecade)}
}
