package reports

import (
	"cmp"
	"fmt"
	"slices"
)

// Sample is a named set of values, for example one metric of one
// configuration over its replications, in replication index order.
type Sample struct {
	Name   string
	Values []float64
}

// CompareOptions configure [CompareToBaseline]. The zero value compares with
// the paired-t test at the 95% level, lower means ranking first.
type CompareOptions struct {
	// Method is the test; "" means MethodPaired.
	Method Method
	// Level is the confidence level; 0 means DefaultLevel.
	Level float64
	// HigherIsBetter ranks the highest means first (throughput,
	// utilisation) instead of the lowest (response time, cost).
	HigherIsBetter bool
}

// Row is one configuration in a ranking against a baseline.
type Row struct {
	// Rank is the position in the ranking, from 1 (best).
	Rank int
	// Name is the configuration's name.
	Name string
	// Mean is the configuration's mean.
	Mean float64
	// Versus compares the configuration (X) with the baseline (Y): Diff is
	// its mean minus the baseline's.
	Versus Comparison
}

// CompareToBaseline compares each sample of others with baseline and returns
// one row per sample (the baseline has none), ranked by mean: ascending, or
// descending with HigherIsBetter. Equal means are ordered by name, then by
// their order in others, so the order is fully determined by the input. Each
// row's Rank is its position.
//
// It returns an error wrapping [ErrMethod] for an unknown method or
// [ErrLevel] for a bad level, and otherwise the first error of [PairedT] or
// [WelchT], in the order of others, with the names of the samples.
func CompareToBaseline(baseline Sample, others []Sample, opts CompareOptions) ([]Row, error) {
	level := opts.Level
	if level == 0 {
		level = DefaultLevel
	}
	if err := checkLevel(level); err != nil {
		return nil, err
	}
	var test func(x, y []float64, level float64) (Comparison, error)
	switch opts.Method {
	case "", MethodPaired:
		test = PairedT
	case MethodWelch:
		test = WelchT
	default:
		return nil, fmt.Errorf("%w: %q, want %q or %q", ErrMethod, opts.Method, MethodPaired, MethodWelch)
	}
	rows := make([]Row, len(others))
	for i, s := range others {
		c, err := test(s.Values, baseline.Values, level)
		if err != nil {
			return nil, fmt.Errorf("comparing %q with baseline %q: %w", s.Name, baseline.Name, err)
		}
		rows[i] = Row{Name: s.Name, Mean: c.MeanX, Versus: c}
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		by := cmp.Compare(a.Mean, b.Mean)
		if opts.HigherIsBetter {
			by = -by
		}
		if by != 0 {
			return by
		}
		return cmp.Compare(a.Name, b.Name)
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
	return rows, nil
}
