package scenario

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
)

// DefaultReps is the number of replications of a scenario whose Reps is 0.
const DefaultReps = 30

// Metric describes one observation a scenario reports per replication.
type Metric struct {
	// Name is the metric's key in the Observations of Run.
	Name string
	// Unit is its unit, such as "s"; it may be empty.
	Unit string
	// Help says what it measures, in a short phrase.
	Help string
	// Theory, if not nil, returns the value queueing theory (or another
	// exact argument) predicts for the parameters, and false when there is
	// none for them (an unstable queue, say).
	Theory func(p Params) (float64, bool)
}

// Observations are the metrics of one replication, by name: every metric
// the scenario declares, and no other, each a finite float64.
type Observations = reports.Metrics

// Scenario is a model with named, typed parameters that the command line can
// run, describe, sweep and shard. The built-in scenarios of vtsim are
// Scenario values, and a program of one's own gets the whole command line
// for its scenarios from [Main].
//
// The fields Name, Summary, Metrics and Run are required; [Scenario.Validate]
// panics, naming the field, when a definition is malformed.
type Scenario struct {
	// Name is the scenario's name on the command line: lower case letters,
	// digits and '-'.
	Name string
	// Summary is a one-line description.
	Summary string
	// Description is a longer text for `describe`, in plain sentences; it
	// may be empty.
	Description string
	// Params are its parameters, in the order they are shown.
	Params []Param
	// Metrics are the metrics Run reports, in the order they are shown.
	Metrics []Metric
	// Reps is the number of replications when none is asked for; 0 means
	// DefaultReps.
	Reps int
	// Check, if not nil, is called once before any replication with the
	// parameters: an error rejects them (a usage error: say what is allowed),
	// and a non-empty warning is printed on stderr before the run goes on
	// (an unstable queue, for instance, which must still end: Run must stop
	// on its own after a bounded amount of work).
	Check func(p Params) (warning string, err error)
	// Conclude, if not nil, returns a sentence or two on what a run's result
	// shows, printed under the text report of run and of the default
	// experiment. Nil means a statement of how many confidence intervals
	// cover their theory value.
	Conclude func(p Params, res reports.Result) string
	// Run runs one replication on env, an Env made with sim.New and the
	// replication's seed, which the caller closes afterwards. It must draw
	// all its randomness from env (env.Rand), so that the same seed gives the
	// same observations. Replications run in parallel on several goroutines;
	// Run must not share mutable state between calls.
	Run func(env *sim.Env, p Params) (Observations, error)
}

// Validate panics, naming the scenario and the field, if s is not a
// well-formed definition: an empty or ill-formed name, no summary, no
// metrics, no Run, two parameters or metrics with one name, or a parameter
// whose default does not fit its type or range.
func (s *Scenario) Validate() {
	if s == nil {
		panic("scenario: Validate: nil *Scenario")
	}
	if s.Name == "" || strings.Trim(s.Name, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		panic(fmt.Sprintf("scenario: Name %q: want lower case letters, digits and '-'", s.Name))
	}
	if s.Summary == "" || s.Run == nil || len(s.Metrics) == 0 {
		panic(fmt.Sprintf("scenario: %s: Summary, Metrics and Run are required", s.Name))
	}
	if s.Reps < 0 {
		panic(fmt.Sprintf("scenario: %s: Reps = %d, want 0 (default %d) or more", s.Name, s.Reps, DefaultReps))
	}
	seen := map[string]bool{}
	for _, p := range s.Params {
		p.check(s.Name)
		if seen[p.Name] {
			panic(fmt.Sprintf("scenario: %s: two parameters named %q", s.Name, p.Name))
		}
		seen[p.Name] = true
	}
	seen = map[string]bool{}
	for _, m := range s.Metrics {
		if m.Name == "" || seen[m.Name] {
			panic(fmt.Sprintf("scenario: %s: metric name %q is empty or used twice", s.Name, m.Name))
		}
		seen[m.Name] = true
	}
}

// reps returns the default number of replications.
func (s *Scenario) reps() int {
	if s.Reps == 0 {
		return DefaultReps
	}
	return s.Reps
}

// param returns the definition of the parameter name.
func (s *Scenario) param(name string) (Param, bool) {
	for _, p := range s.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// paramNames returns the names of the parameters, in order.
func (s *Scenario) paramNames() string {
	names := make([]string, len(s.Params))
	for i, p := range s.Params {
		names[i] = p.Name
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// unknownParam returns the error for a parameter s does not have.
func (s *Scenario) unknownParam(name string) error {
	return fmt.Errorf("%w %q for scenario %s; its parameters: %s", ErrUnknownParam, name, s.Name, s.paramNames())
}

// Defaults returns the parameters with every value at its default.
func (s *Scenario) Defaults() Params {
	p := Params{defs: s.Params, vals: make([]any, len(s.Params))}
	for i, d := range s.Params {
		p.vals[i] = d.Default
	}
	return p
}

// Resolve returns the parameters with the given values, by name, written as
// [Param.Parse] reads them, and defaults for the others. An unknown name
// gives an error wrapping [ErrUnknownParam] and a bad value one wrapping
// [ErrBadValue]; names are checked in sorted order, so the error is always
// the same one. Check is not called.
func (s *Scenario) Resolve(values map[string]string) (Params, error) {
	return s.override(s.Defaults(), values)
}

// override is p.With(values), its unknown names reported with s's name.
func (s *Scenario) override(p Params, values map[string]string) (Params, error) {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if _, ok := s.param(name); !ok {
			return Params{}, s.unknownParam(name)
		}
	}
	return p.With(values)
}

// With returns a copy of p with the given values, by name, written as
// [Param.Parse] reads them; p itself is unchanged. Errors are those of
// [Scenario.Resolve].
func (p Params) With(values map[string]string) (Params, error) {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if !slices.ContainsFunc(p.defs, func(d Param) bool { return d.Name == name }) {
			names := make([]string, len(p.defs))
			for i, d := range p.defs {
				names[i] = d.Name
			}
			return Params{}, fmt.Errorf("%w %q; the parameters: %s", ErrUnknownParam, name, strings.Join(names, ", "))
		}
	}
	q := p
	q.vals = slices.Clone(p.vals)
	for i, d := range p.defs {
		text, ok := values[d.Name]
		if !ok {
			continue
		}
		v, err := d.Parse(text)
		if err != nil {
			return Params{}, err
		}
		q.vals[i] = v
	}
	return q, nil
}

// check runs s.Check, returning its warning.
func (s *Scenario) check(p Params) (string, error) {
	if s.Check == nil {
		return "", nil
	}
	w, err := s.Check(p)
	if err != nil {
		return "", fmt.Errorf("%w: scenario %s: %w", ErrBadValue, s.Name, err)
	}
	return w, nil
}

// Options say how to replicate a scenario.
type Options struct {
	// Reps is the number of replications; 0 means the scenario's default.
	Reps int
	// Seed is the root seed; replication i runs with
	// reports.ReplicationSeed(Seed, i).
	Seed uint64
	// Workers is the number of replications run at once; 0 means
	// GOMAXPROCS. It never changes a result.
	Workers int
	// Log, if not nil, receives the log of replication 0 (see [Params.Log]).
	Log io.Writer
	// Wrap, if not nil, wraps the model of each replication, to count
	// progress for instance (progress.Progress.Model).
	Wrap func(reports.Model) reports.Model
}

// RunOne runs one replication of s with parameters p and seed on an Env made
// with sim.New(sim.WithSeed(seed)) and the extra options, and checks the
// observations against s.Metrics. Replication rep's seed is
// reports.ReplicationSeed(root, rep).
func (s *Scenario) RunOne(p Params, rep int, seed uint64, log io.Writer, opts ...sim.Option) (Observations, error) {
	env := sim.New(append([]sim.Option{sim.WithSeed(seed)}, opts...)...)
	p.rep, p.log = rep, log
	obs, err := s.Run(env, p)
	if cerr := env.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	for _, m := range s.Metrics {
		if _, ok := obs[m.Name]; !ok {
			return nil, fmt.Errorf("scenario %s: Run did not report metric %q", s.Name, m.Name)
		}
	}
	if len(obs) != len(s.Metrics) {
		for _, name := range slices.Sorted(maps.Keys(obs)) {
			found := false
			for _, m := range s.Metrics {
				found = found || m.Name == name
			}
			if !found {
				return nil, fmt.Errorf("scenario %s: Run reported metric %q, which Metrics does not declare", s.Name, name)
			}
		}
	}
	return obs, nil
}

// Replicate runs the replications of s with parameters p in parallel and
// returns their result, the same whatever the number of workers. A failed replication gives an error wrapping
// [ErrRun] and the *reports.ReplicationError that names its seed.
func (s *Scenario) Replicate(ctx context.Context, p Params, o Options) (reports.Result, error) {
	n := o.Reps
	if n == 0 {
		n = s.reps()
	}
	model := reports.Model(func(rep reports.Replication) (reports.Metrics, error) {
		var log io.Writer
		if rep.Index == 0 {
			log = o.Log
		}
		return s.RunOne(p, rep.Index, rep.Seed, log)
	})
	if o.Wrap != nil {
		model = o.Wrap(model)
	}
	res, err := reports.Replicate(ctx, reports.Experiment{Replications: n, Seed: o.Seed, Workers: o.Workers}, model)
	if err != nil {
		return reports.Result{}, fmt.Errorf("%w: %w", ErrRun, err)
	}
	return res, nil
}
