// Package compare benchmarks scheduling policies against each other: it runs
// every system on the same jobs over the replications of an experiment
// (common random numbers: a replication's jobs come from streams seeded by
// its seed alone, the same for every policy) and hands the records to
// package jobstats, whose Compare gives each policy's means with intervals
// and its paired difference from a baseline.
//
// A run of one system in one replication gets an Env of its own, made with
// the replication's seed; the jobs are drawn from that Env's streams (a
// generated workload) or replayed (a trace), so that every policy sees the
// same jobs and a replication can be rerun alone. A policy that draws
// randomness of its own (noisy size estimates, say) builds itself from that
// Env in System.New and draws from streams of its own name.
//
// Run takes O(policies × replications × jobs) events and, per worker, the
// memory of one run's records (see jobstats.Accumulator). Errors of a run
// (a bad job, an invalid workload) come back as the *reports.ReplicationError
// of jobstats.Run, naming the policy and the replication.
package compare

import (
	"context"
	"errors"
	"fmt"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// ErrSystems reports systems that cannot be compared: none, a nil New, or
// two with the same name.
var ErrSystems = errors.New("compare: bad systems")

// Jobs makes the job source of one run on env: a function that returns the
// jobs one at a time, in arrival order, and false when there are no more.
type Jobs func(env *sim.Env) (next func() (workload.Job, bool), err error)

// Generated returns the first n jobs of spec, drawn from the run's Env (its
// streams named by spec.Stream), so that every run with the same seed gets
// the same jobs. It panics if n < 1.
func Generated(spec workload.Spec, n int) Jobs {
	if n < 1 {
		panic(fmt.Sprintf("compare: Generated with %d jobs; it needs at least 1", n))
	}
	return func(env *sim.Env) (func() (workload.Job, bool), error) {
		g, err := workload.NewGenerator(spec, env)
		if err != nil {
			return nil, err
		}
		left := n
		return func() (workload.Job, bool) {
			if left == 0 {
				return workload.Job{}, false
			}
			left--
			return g.Next()
		}, nil
	}
}

// Trace replays jobs, which must be sorted by arrival (workload.SortJobs),
// in every run: a trace has no randomness, so its replications differ only
// in what the policies themselves draw.
func Trace(jobs []workload.Job) Jobs {
	return func(*sim.Env) (func() (workload.Job, bool), error) {
		i := 0
		return func() (workload.Job, bool) {
			if i == len(jobs) {
				return workload.Job{}, false
			}
			i++
			return jobs[i-1], true
		}, nil
	}
}

// System is a named policy to compare: New builds it for one run on that
// run's Env.
type System struct {
	// Name names the system in the comparison.
	Name string
	// New returns the system for a run on env.
	New func(env *sim.Env) (policy.System, error)
}

// Of returns a System that serves every run with sys, a system without
// randomness of its own (every built-in server or farm of the built-in
// policies), under sys's name.
func Of(sys policy.System) System {
	return System{Name: sys.Name(), New: func(*sim.Env) (policy.System, error) { return sys, nil }}
}

// Server returns a System of c servers under p (policy.NewServer), named
// after p; it returns the error of policy.NewServer.
func Server(p policy.Policy, c int) (System, error) {
	srv, err := policy.NewServer(p, c)
	if err != nil {
		return System{}, err
	}
	return Of(srv), nil
}

// RunOne runs sys once on the jobs, on an Env of the given seed, and adds
// every job's record to acc. It is one cell of Run, for code that drives
// its own replications.
func RunOne(seed uint64, jobs Jobs, sys System, acc *jobstats.Accumulator) error {
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	next, err := jobs(env)
	if err != nil {
		return err
	}
	s, err := sys.New(env)
	if err != nil {
		return err
	}
	return policy.RunNext(env, s, next, acc.Add)
}

// Run runs every system on the jobs over exp's replications, in parallel
// on exp.Workers goroutines, and returns jobstats' Table of summaries, the
// same whatever the number of workers (see jobstats.Run). Compare it with
// jobstats.Compare. It returns an error wrapping ErrSystems for no systems,
// a nil New or a repeated name, and the errors of jobstats.Run.
func Run(ctx context.Context, exp reports.Experiment, cfg jobstats.Config, jobs Jobs, systems ...System) (jobstats.Table, error) {
	if jobs == nil {
		panic("compare: Run called with nil Jobs")
	}
	if len(systems) == 0 {
		return jobstats.Table{}, fmt.Errorf("%w: none given", ErrSystems)
	}
	byName := make(map[string]System, len(systems))
	names := make([]string, len(systems))
	for i, s := range systems {
		if s.New == nil {
			return jobstats.Table{}, fmt.Errorf("%w: system %q has a nil New", ErrSystems, s.Name)
		}
		if _, dup := byName[s.Name]; dup {
			return jobstats.Table{}, fmt.Errorf("%w: two systems are named %q; names must differ", ErrSystems, s.Name)
		}
		byName[s.Name], names[i] = s, s.Name
	}
	return jobstats.Run(ctx, exp, cfg, names, func(name string, rep reports.Replication, acc *jobstats.Accumulator) error {
		return RunOne(rep.Seed, jobs, byName[name], acc)
	})
}
