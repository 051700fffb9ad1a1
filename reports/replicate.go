package reports

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// Result is the outcome of an experiment. It holds no maps, so that encoding
// it (for instance as JSON) gives the same bytes every time.
type Result struct {
	// Seed is the root seed of the experiment.
	Seed uint64
	// Replications is the number of replications run.
	Replications int
	// Level is the confidence level of the summaries.
	Level float64
	// PrecisionReached reports, for a sequential experiment, whether the
	// target precision was reached before MaxReplications; it is false for
	// an experiment without Precision.
	PrecisionReached bool
	// Metrics has one entry per metric name, sorted by name.
	Metrics []Metric
}

// Metric is one metric of an experiment: its value in each replication, in
// index order, and their summary.
type Metric struct {
	Name    string
	Values  []float64
	Summary Summary
}

// Metric returns the metric with the given name, and whether there is one.
// It takes O(log m) for m metrics.
func (r Result) Metric(name string) (Metric, bool) {
	i, ok := slices.BinarySearchFunc(r.Metrics, name, func(m Metric, name string) int {
		switch {
		case m.Name < name:
			return -1
		case m.Name > name:
			return 1
		}
		return 0
	})
	if !ok {
		return Metric{}, false
	}
	return r.Metrics[i], true
}

// ReplicationError is the error of one replication: its index, its seed and
// what went wrong. Run the model again with Replication{Index, Seed} to
// reproduce it.
type ReplicationError struct {
	Index int
	Seed  uint64
	Err   error
}

// Error implements the error interface.
func (e *ReplicationError) Error() string {
	return fmt.Sprintf("reports: replication %d (seed %d): %v", e.Index, e.Seed, e.Err)
}

// Unwrap returns the underlying error.
func (e *ReplicationError) Unwrap() error { return e.Err }

// Replicate runs the replications of exp, in parallel on exp.Workers
// goroutines, and summarises each metric over them. Replication i gets the
// seed [ReplicationSeed](exp.Seed, i); results are gathered by index, so the
// Result is the same, value for value, whatever the number of workers, as
// long as the model's result depends only on its Replication.
//
// Errors: invalid settings or a nil model give an error wrapping
// [ErrExperiment]. If replications fail (the model returns an error or
// panics, reports names that differ from replication 0's, or a value that is
// NaN or infinite), Replicate stops handing out replications and returns a
// [*ReplicationError] for the failing replication with the lowest index,
// which does not depend on the number of workers. If ctx is cancelled,
// Replicate waits for the replications under way and returns an error
// wrapping ctx.Err(). With Precision, an unknown metric name gives an error
// wrapping [ErrUnknownMetric]. Every goroutine has ended when Replicate
// returns.
func Replicate(ctx context.Context, exp Experiment, model Model) (Result, error) {
	s, err := exp.settings()
	if err != nil {
		return Result{}, err
	}
	if model == nil {
		return Result{}, fmt.Errorf("%w: nil model", ErrExperiment)
	}
	c := collector{root: s.seed}
	n := s.n
	reached := false
	for from := 0; ; {
		if err := ctx.Err(); err != nil {
			return Result{}, fmt.Errorf("reports: experiment stopped before replication %d: %w", from, err)
		}
		out := make([]outcome, n)
		runRange(ctx, model, s.seed, from, n, s.workers, out)
		if err := c.collect(ctx, out, from, n); err != nil {
			return Result{}, err
		}
		if !s.sequential {
			break
		}
		values, ok := c.values[s.metric]
		if !ok {
			return Result{}, fmt.Errorf("%w: Precision.Metric %q (metrics: %q)", ErrUnknownMetric, s.metric, c.names)
		}
		sum, err := Summarize(values, s.level)
		if err != nil {
			return Result{}, err // cannot happen: values are finite and non-empty
		}
		if sum.RelHalfWidth <= s.target {
			reached = true
			break
		}
		if n == s.max {
			break
		}
		from, n = n, min(n+s.batch, s.max)
	}
	return c.result(s.level, n, reached)
}

// collector gathers metric values in index order.
type collector struct {
	root   uint64
	names  []string // sorted metric names of replication 0
	values map[string][]float64
}

// collect checks the outcomes from..to-1 in index order and appends their
// values; it returns the error of the first replication that failed.
func (c *collector) collect(ctx context.Context, out []outcome, from, to int) error {
	for i := from; i < to; i++ {
		o := out[i]
		if !o.done && o.err == nil {
			return fmt.Errorf("reports: experiment stopped before replication %d: %w", i, ctx.Err())
		}
		if err := c.check(i, o); err != nil {
			return &ReplicationError{Index: i, Seed: ReplicationSeed(c.root, i), Err: err}
		}
		for _, name := range c.names {
			c.values[name] = append(c.values[name], o.metrics[name])
		}
	}
	return nil
}

// check returns what is wrong with the outcome of replication i, if anything.
func (c *collector) check(i int, o outcome) error {
	if o.err != nil {
		return o.err
	}
	if c.values == nil { // replication 0 sets the names
		c.names = make([]string, 0, len(o.metrics))
		for name := range o.metrics {
			c.names = append(c.names, name)
		}
		slices.Sort(c.names)
		c.values = make(map[string][]float64, len(c.names))
	}
	for _, name := range c.names {
		if _, ok := o.metrics[name]; !ok {
			return fmt.Errorf("%w: %q is missing", ErrMetrics, name)
		}
	}
	if len(o.metrics) != len(c.names) {
		extra := make([]string, 0, 1)
		for name := range o.metrics {
			if _, ok := slices.BinarySearch(c.names, name); !ok {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
		return fmt.Errorf("%w: unexpected %q", ErrMetrics, extra)
	}
	for _, name := range c.names {
		if v := o.metrics[name]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: metric %q is %v", ErrNotFinite, name, v)
		}
	}
	return nil
}

// result builds the Result of n replications.
func (c *collector) result(level float64, n int, reached bool) (Result, error) {
	r := Result{Seed: c.root, Replications: n, Level: level, PrecisionReached: reached, Metrics: make([]Metric, 0, len(c.names))}
	for _, name := range c.names {
		values := c.values[name]
		sum, err := Summarize(values, level)
		if err != nil {
			return Result{}, fmt.Errorf("metric %q: %w", name, err)
		}
		r.Metrics = append(r.Metrics, Metric{Name: name, Values: values, Summary: sum})
	}
	return r, nil
}
