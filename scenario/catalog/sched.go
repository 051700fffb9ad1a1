package catalog

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/policy/compare"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// schedPolicy is one policy of the sched scenario: its name in reports,
// its metric prefix, and how a run builds it.
type schedPolicy struct {
	name, key string
	system    func(p scenario.Params) compare.System
}

// schedPolicies are the policies compared, FCFS first (the baseline): four
// textbook ones and one written as a user would write their own.
func schedPolicies() []schedPolicy {
	server := func(pol policy.Policy) func(scenario.Params) compare.System {
		return func(scenario.Params) compare.System {
			s, err := compare.Server(pol, 1)
			if err != nil {
				panic(err) // the built-ins run on one server
			}
			return s
		}
	}
	return []schedPolicy{
		{"FCFS", "fcfs", server(policy.FCFS)},
		{"PS", "ps", server(policy.PS)},
		{"SRPT", "srpt", server(policy.SRPT)},
		{"LAS", "las", server(policy.LAS)},
		{"SRPT-noisy", "srpt_noisy", noisySRPT},
	}
}

// noisySRPT is SRPT on size estimates off by a lognormal factor of mean 1
// and coefficient of variation noise, drawn per job at its arrival from the
// run's stream "noise": the kind of policy a user writes in a few lines
// (policy.Ranked).
func noisySRPT(p scenario.Params) compare.System {
	factor := workload.Must(workload.Lognormal(1, p.Float("noise")))
	return compare.System{Name: "SRPT-noisy", New: func(env *sim.Env) (policy.System, error) {
		r := env.Rand("noise")
		return policy.NewServer(&policy.Ranked{
			Label:      "SRPT-noisy",
			Preemptive: true,
			OnArrival: func(j *workload.Job) {
				j.Estimate = time.Duration(float64(j.Size) * factor.Rand(r))
			},
			Key: func(j *workload.Job, attained time.Duration) float64 {
				return float64(j.Estimate - attained) // may go negative: the job is then served first
			},
		}, 1)
	}}
}

// schedSizes returns the job-size distribution named by the sizes
// parameter, before scaling to the load: every one has mean 1 second but
// the bounded Pareto (index 1.5 on [1, 1000] s, the heavy-tailed sizes of
// Harchol-Balter, Crovella and Murta 1999), which WithLoad scales.
func schedSizes(name string) workload.Dist {
	switch name {
	case "exp":
		return workload.Must(workload.Exponential(1))
	case "h2":
		return workload.Must(workload.H2(1, 10))
	default:
		return workload.Must(workload.BoundedPareto(1.5, 1, 1000))
	}
}

// schedSpec is the workload: Poisson arrivals at rate 1/s, sizes scaled
// so that the load is the load parameter.
func schedSpec(p scenario.Params) workload.Spec {
	spec := workload.Spec{Arrivals: workload.Must(workload.Poisson(1)), Sizes: schedSizes(p.Text("sizes"))}
	scaled, err := spec.WithLoad(p.Float("load"), 1)
	if err != nil {
		panic(err) // load is checked positive and finite
	}
	return scaled
}

// Sched returns the scheduling-policy comparison: FCFS, PS, SRPT, LAS and
// SRPT on noisy size estimates, each on the same jobs in every replication
// (common random numbers), one server, Poisson arrivals, sizes exponential,
// hyperexponential or bounded Pareto.
//
// Theory for the mean response time T of M/G/1 with load rho < 1:
// FCFS (Pollaczek-Khinchine) E[T] = E[S] + lambda E[S^2] / (2 (1 - rho));
// PS E[T] = E[S] / (1 - rho), whatever the size distribution (Kleinrock,
// Queueing Systems Vol. 2, 1976, section 4.4; Harchol-Balter, Performance
// Modeling and Design of Computer Systems, 2013, chapters 23 and 30).
func Sched() *scenario.Scenario {
	pols := schedPolicies()
	var metrics []scenario.Metric
	for _, pol := range pols {
		var theory func(scenario.Params) (float64, bool)
		switch pol.key {
		case "fcfs":
			theory = func(p scenario.Params) (float64, bool) {
				spec := schedSpec(p)
				es, rho := spec.MeanSize(), p.Float("load")
				d := spec.Sizes
				es2 := d.Variance() + d.Mean()*d.Mean()
				return es + 1*es2/(2*(1-rho)), true // lambda = 1/s
			}
		case "ps":
			theory = func(p scenario.Params) (float64, bool) {
				return schedSpec(p).MeanSize() / (1 - p.Float("load")), true
			}
		}
		metrics = append(metrics,
			scenario.Metric{Name: pol.key + ".response", Unit: "s", Help: pol.name + ": mean response time", Theory: theory},
			scenario.Metric{Name: pol.key + ".p99", Unit: "s", Help: pol.name + ": 99th percentile of the response time"},
			scenario.Metric{Name: pol.key + ".slowdown", Help: pol.name + ": mean slowdown (response / size)"},
		)
	}
	return &scenario.Scenario{
		Name:    "sched",
		Summary: "scheduling policies on the same jobs: FCFS, PS, SRPT, LAS and SRPT on noisy estimates",
		Description: `One server, Poisson arrivals at 1/s, job sizes scaled to the given load (bounded
Pareto by default: heavy-tailed). Every policy runs on exactly the same jobs in each replication
(common random numbers), so their differences are paired. SRPT-noisy is SRPT on size estimates
off by a lognormal factor with the given coefficient of variation, written the way a user writes
a policy of their own (policy.Ranked). Theory: Pollaczek-Khinchine for FCFS, E[S]/(1-rho) for PS.`,
		Params: []scenario.Param{
			scenario.FloatParam("load", 0.7, "offered load rho = lambda E[S]").Positive().Below(1),
			scenario.EnumParam("sizes", "bpareto", []string{"bpareto", "exp", "h2"}, "job sizes: bounded Pareto (index 1.5), exponential, or hyperexponential (scv 10)"),
			scenario.IntParam("jobs", 20000, "jobs per replication").AtLeast(100),
			scenario.FloatParam("noise", 1, "coefficient of variation of SRPT-noisy's estimate error").Positive(),
		},
		Metrics:  metrics,
		Conclude: concludeSched,
		Run: func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
			jobs := compare.Generated(schedSpec(p), p.Int("jobs"))
			acc, err := jobstats.NewAccumulator(jobstats.Config{})
			if err != nil {
				return nil, err
			}
			obs := scenario.Observations{}
			for _, pol := range pols {
				acc.Reset()
				if err := compare.RunOne(env.Seed(), jobs, pol.system(p), acc); err != nil {
					return nil, fmt.Errorf("%s: %w", pol.name, err)
				}
				s, err := acc.Summary()
				if err != nil {
					return nil, fmt.Errorf("%s: %w", pol.name, err)
				}
				obs[pol.key+".response"] = s.Response.Mean
				obs[pol.key+".p99"] = s.Response.P99
				obs[pol.key+".slowdown"] = s.Slowdown.Mean
			}
			return obs, nil
		},
	}
}

// concludeSched says which policy has the lowest mean response time and by
// how much it beats FCFS, with the paired interval of the difference.
func concludeSched(p scenario.Params, res reports.Result) string {
	pols := schedPolicies()
	best, bestMean := "", math.Inf(1)
	for _, pol := range pols {
		if m, ok := res.Metric(pol.key + ".response"); ok && m.Summary.Mean < bestMean {
			best, bestMean = pol.key, m.Summary.Mean
		}
	}
	fcfs, ok1 := res.Metric("fcfs.response")
	top, ok2 := res.Metric(best + ".response")
	name := func(key string) string {
		for _, pol := range pols {
			if pol.key == key {
				return pol.name
			}
		}
		return key
	}
	if !ok1 || !ok2 || best == "fcfs" {
		return fmt.Sprintf("At load %.2f, FCFS has the lowest mean response time.", p.Float("load"))
	}
	if res.Replications < 2 {
		return fmt.Sprintf("At load %.2f with %s sizes, %s has the lowest mean response time, %.3g s against FCFS's %.3g s (one replication: run more for an interval).",
			p.Float("load"), p.Text("sizes"), name(best), top.Summary.Mean, fcfs.Summary.Mean)
	}
	cmp, err := reports.PairedT(top.Values, fcfs.Values, res.Level)
	if err != nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "At load %.2f with %s sizes, %s has the lowest mean response time, %.3g s against FCFS's %.3g s: "+
		"%.0f%% lower, paired %.0f%% interval of the difference [%.3g, %.3g] s over %d replications on the same jobs.",
		p.Float("load"), p.Text("sizes"), name(best), top.Summary.Mean, fcfs.Summary.Mean,
		100*(1-top.Summary.Mean/fcfs.Summary.Mean), 100*res.Level, cmp.Low, cmp.High, res.Replications)
	if noisy, ok := res.Metric("srpt_noisy.response"); ok {
		if srpt, ok := res.Metric("srpt.response"); ok && fcfs.Summary.Mean > srpt.Summary.Mean {
			kept := (fcfs.Summary.Mean - noisy.Summary.Mean) / (fcfs.Summary.Mean - srpt.Summary.Mean)
			fmt.Fprintf(&b, " SRPT on estimates off by a factor of coefficient of variation %.2g keeps %.0f%% of SRPT's gain over FCFS.",
				p.Float("noise"), 100*kept)
		}
	}
	return b.String()
}
