package reports

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// Config is one configuration of a multi-configuration experiment: a name
// and the model that runs one replication of it.
type Config struct {
	Name  string
	Model Model
}

// Ratio names a ratio estimator computed from two metrics of every
// replication: Name is reported as Σ Num / Σ Den over the replications (see
// [SummarizeRatio]). With Num a total (of waits, of a class's response
// times) and Den a count, it is a mean per entity that stays defined when
// some replications have no entity at all.
type Ratio struct {
	Name, Num, Den string
}

// ConfigsOptions are the settings of [ReplicateConfigs] beyond the
// [Experiment].
type ConfigsOptions struct {
	// Baseline names the configuration every other is compared with; ""
	// means the first.
	Baseline string
	// Ratios are ratio estimators to add to every configuration.
	Ratios []Ratio
}

// ConfigsResult is the outcome of [ReplicateConfigs]: every configuration
// over the same replications, with paired comparisons against the
// baseline. It holds no maps, so that it encodes to the same bytes every
// time. A Summary of one value has a NaN StdDev and infinite HalfWidth,
// Low and High, which encoding/json refuses: use at least two
// replications, or WriteConfigsText and WriteConfigsMarkdown.
type ConfigsResult struct {
	Seed         uint64
	Replications int
	Level        float64
	Baseline     string
	// Configs has one entry per configuration, in the order given.
	Configs []ConfigResult
}

// ConfigResult is one configuration's metrics: every metric any
// replication of any configuration reported, then the ratios, each list
// sorted by name.
type ConfigResult struct {
	Name    string
	Metrics []ConfigMetric
}

// ConfigMetric is one metric of one configuration.
type ConfigMetric struct {
	Name string
	// Ratio tells a ratio estimator from a plain metric.
	Ratio bool
	// Values has the metric's value in each replication, in index order,
	// 0 where it is missing; for a ratio, numerator/denominator (0 where
	// either is missing or the denominator is 0).
	Values []float64
	// Missing lists, in increasing order, the replications in which the
	// metric is missing (nil if none). For a ratio, those that lack the
	// numerator or the denominator.
	Missing []int
	// Summary summarises the replications that have the metric (N may be
	// below Replications): the Student-t interval of a plain metric, the
	// pooled estimator of a ratio. It is the zero Summary (N = 0) if no
	// replication has the metric or a ratio's denominators add up to 0.
	Summary Summary
	// Versus is the paired comparison with the same metric of the
	// baseline, over the replications in which both have it: [PairedT]
	// for a plain metric, the paired delta-method interval of the
	// difference of the ratios for a ratio. It is nil for the baseline
	// itself, when fewer than two replications pair up, and for a ratio
	// whose paired denominators add up to 0. Over the paired replications
	// only, its Diff may differ from the difference of the two Means when
	// some values are missing.
	Versus *Comparison
}

// Metric returns the metric of c with the given name, and whether there is
// one.
func (c ConfigResult) Metric(name string) (ConfigMetric, bool) {
	for _, m := range c.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return ConfigMetric{}, false
}

// Config returns the configuration with the given name, and whether there
// is one.
func (r ConfigsResult) Config(name string) (ConfigResult, bool) {
	for _, c := range r.Configs {
		if c.Name == name {
			return c, true
		}
	}
	return ConfigResult{}, false
}

// ReplicateConfigs runs every configuration over the replications of exp
// and compares each with the baseline, pair by pair: replication i of every
// configuration gets the same [Replication] (index i, seed
// [ReplicationSeed](exp.Seed, i)), so that the configurations see common
// random numbers and their differences are measured on the same
// randomness. Replications run in parallel on exp.Workers goroutines
// through the machinery of [Replicate], the configurations of one
// replication in the order given; the result is the same, value for value,
// whatever the number of workers, as long as each model's result depends
// only on its Replication.
//
// Common random numbers hold only if a configuration change does not
// shift which random number goes to which entity: draw each entity's
// quantities (interarrival gap, service need, patience) when it arrives,
// from a named stream of its own kind (env.Rand("arrivals"),
// env.Rand("service"), env.Rand("patience")) seeded with rep.Seed, rather
// than at service start or from one shared stream, whose order of use
// depends on the configuration. Then customer k has the same needs in
// every configuration, and the pairs are as alike as the model allows.
//
// A metric may be missing from a replication: a model omits it from its
// Metrics or reports it as NaN (the mean of an empty size bin, of a class
// with no arrivals). The metric is then summarised over the replications
// that have it and compared over those that both configurations have,
// instead of failing the experiment; [Ratio] estimators pool sums and
// counts over the replications instead.
//
// Errors: invalid settings, a Precision (not supported here), no
// configurations, an empty or repeated name, a nil model, an unknown
// baseline or a ratio whose name is taken give an error wrapping
// [ErrExperiment]; a ratio over a metric no replication reported wraps
// [ErrUnknownMetric]. A configuration that fails (returns an error, panics,
// reports an infinite value) fails its replication, with the
// configuration's name, as a [*ReplicationError] of [Replicate].
func ReplicateConfigs(ctx context.Context, exp Experiment, opts ConfigsOptions, configs ...Config) (ConfigsResult, error) {
	s, err := exp.settings()
	if err != nil {
		return ConfigsResult{}, err
	}
	if exp.Precision != nil {
		return ConfigsResult{}, fmt.Errorf("%w: ReplicateConfigs runs a fixed number of replications; Precision must be nil", ErrExperiment)
	}
	baseline, err := checkConfigs(opts, configs)
	if err != nil {
		return ConfigsResult{}, err
	}
	out := make([][]Metrics, s.n) // out[rep][config]
	model := func(rep Replication) (Metrics, error) {
		row := make([]Metrics, len(configs))
		for k, c := range configs {
			m, err := runModel(c.Model, rep)
			if err != nil {
				return nil, fmt.Errorf("config %q: %w", c.Name, err)
			}
			for name, v := range m {
				if math.IsInf(v, 0) {
					return nil, fmt.Errorf("config %q: %w: metric %q is %v", c.Name, ErrNotFinite, name, v)
				}
			}
			row[k] = m
		}
		out[rep.Index] = row
		return Metrics{}, nil
	}
	if _, err := Replicate(ctx, exp, model); err != nil {
		return ConfigsResult{}, err
	}
	return buildConfigs(s, opts, configs, baseline, out)
}

// checkConfigs checks the configurations and options and returns the
// baseline's index.
func checkConfigs(opts ConfigsOptions, configs []Config) (int, error) {
	if len(configs) == 0 {
		return 0, fmt.Errorf("%w: no configurations, want at least one", ErrExperiment)
	}
	seen := make(map[string]bool, len(configs))
	for i, c := range configs {
		switch {
		case c.Name == "":
			return 0, fmt.Errorf("%w: configuration %d has an empty name", ErrExperiment, i)
		case seen[c.Name]:
			return 0, fmt.Errorf("%w: configuration %q appears twice, want distinct names", ErrExperiment, c.Name)
		case c.Model == nil:
			return 0, fmt.Errorf("%w: configuration %q has a nil model", ErrExperiment, c.Name)
		}
		seen[c.Name] = true
	}
	baseline := 0
	if opts.Baseline != "" {
		baseline = slices.IndexFunc(configs, func(c Config) bool { return c.Name == opts.Baseline })
		if baseline < 0 {
			return 0, fmt.Errorf("%w: baseline %q is not a configuration", ErrExperiment, opts.Baseline)
		}
	}
	ratioNames := map[string]bool{}
	for _, r := range opts.Ratios {
		switch {
		case r.Name == "":
			return 0, fmt.Errorf("%w: a ratio has an empty name", ErrExperiment)
		case ratioNames[r.Name]:
			return 0, fmt.Errorf("%w: ratio %q appears twice", ErrExperiment, r.Name)
		}
		ratioNames[r.Name] = true
	}
	return baseline, nil
}

// buildConfigs summarises and compares the metrics of out.
func buildConfigs(s settings, opts ConfigsOptions, configs []Config, baseline int, out [][]Metrics) (ConfigsResult, error) {
	var names []string
	for _, row := range out {
		for _, m := range row {
			for name := range m {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for _, r := range opts.Ratios {
		if _, taken := slices.BinarySearch(names, r.Name); taken {
			return ConfigsResult{}, fmt.Errorf("%w: ratio name %q is also a metric's name; give the ratio a name of its own", ErrExperiment, r.Name)
		}
		for _, part := range []string{r.Num, r.Den} {
			if _, ok := slices.BinarySearch(names, part); !ok {
				return ConfigsResult{}, fmt.Errorf("%w: ratio %q uses %q (metrics: %q)", ErrUnknownMetric, r.Name, part, names)
			}
		}
	}
	ratios := slices.Clone(opts.Ratios)
	slices.SortFunc(ratios, func(a, b Ratio) int { return cmp.Compare(a.Name, b.Name) })
	for i := 1; i < len(ratios); i++ {
		if ratios[i].Name == ratios[i-1].Name {
			return ConfigsResult{}, fmt.Errorf("%w: ratio %q appears twice", ErrExperiment, ratios[i].Name)
		}
	}
	// column returns config k's values of a metric and whether each is present.
	column := func(k int, name string) ([]float64, []bool) {
		v, ok := make([]float64, s.n), make([]bool, s.n)
		for i, row := range out {
			if x, has := row[k][name]; has && !math.IsNaN(x) {
				v[i], ok[i] = x, true
			}
		}
		return v, ok
	}
	res := ConfigsResult{Seed: s.seed, Replications: s.n, Level: s.level, Baseline: configs[baseline].Name,
		Configs: make([]ConfigResult, len(configs))}
	for k, c := range configs {
		cr := ConfigResult{Name: c.Name, Metrics: make([]ConfigMetric, 0, len(names)+len(ratios))}
		for _, name := range names {
			v, ok := column(k, name)
			bv, bok := column(baseline, name)
			m := ConfigMetric{Name: name, Values: v, Missing: missing(ok)}
			if x := pick(v, ok); len(x) > 0 {
				m.Summary, _ = Summarize(x, s.level) // finite, non-empty
			}
			if k != baseline {
				both := and(ok, bok)
				if x, y := pick(v, both), pick(bv, both); len(x) >= 2 {
					c, _ := PairedT(x, y, s.level)
					m.Versus = &c
				}
			}
			cr.Metrics = append(cr.Metrics, m)
		}
		for _, r := range ratios {
			num, nok := column(k, r.Num)
			den, dok := column(k, r.Den)
			ok := and(nok, dok)
			m := ConfigMetric{Name: r.Name, Ratio: true, Values: make([]float64, s.n), Missing: missing(ok)}
			for i := range ok {
				if ok[i] && den[i] != 0 {
					m.Values[i] = num[i] / den[i]
				}
			}
			if y, x := pick(num, ok), pick(den, ok); len(x) > 0 {
				if sum, err := SummarizeRatio(y, x, s.level); err == nil {
					m.Summary = sum
				}
			}
			if k != baseline {
				bnum, bnok := column(baseline, r.Num)
				bden, bdok := column(baseline, r.Den)
				both := and(ok, and(bnok, bdok))
				if c, ok := pairedRatio(pick(num, both), pick(den, both), pick(bnum, both), pick(bden, both), s.level); ok {
					m.Versus = &c
				}
			}
			cr.Metrics = append(cr.Metrics, m)
		}
		res.Configs[k] = cr
	}
	return res, nil
}

// missing returns the indices where ok is false, nil if none.
func missing(ok []bool) []int {
	var idx []int
	for i, o := range ok {
		if !o {
			idx = append(idx, i)
		}
	}
	return idx
}

// pick returns the values v[i] with ok[i].
func pick(v []float64, ok []bool) []float64 {
	x := make([]float64, 0, len(v))
	for i, o := range ok {
		if o {
			x = append(x, v[i])
		}
	}
	return x
}

// and returns a[i] && b[i] for each i.
func and(a, b []bool) []bool {
	c := make([]bool, len(a))
	for i := range a {
		c[i] = a[i] && b[i]
	}
	return c
}
