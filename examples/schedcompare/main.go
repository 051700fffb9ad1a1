// Command schedcompare benchmarks scheduling policies the way a scheduler
// engineer would: FCFS, PS, SRPT, LAS and a policy of one's own (SRPT on
// size estimates off by a random factor) on exactly the same jobs, over
// replications, with each policy's mean and tail response time and slowdown
// and its paired difference from FCFS.
//
//	go run ./examples/schedcompare                      # bounded-Pareto sizes at loads 0.5 and 0.9
//	go run ./examples/schedcompare -swf trace.swf       # a Standard Workload Format trace instead
//	go run ./examples/schedcompare -html report.html    # also the charts
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/jobstats/jobhtml"
	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/policy/compare"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "schedcompare:", err)
		os.Exit(1)
	}
}

// noisySRPT is a user's own policy in a few lines: SRPT on estimates off by
// a lognormal factor (mean 1, coefficient of variation 1), drawn for each
// job at its arrival from the run's own stream.
func noisySRPT() compare.System {
	factor := workload.Must(workload.Lognormal(1, 1))
	return compare.System{Name: "SRPT-noisy", New: func(env *sim.Env) (policy.System, error) {
		r := env.Rand("noise")
		return policy.NewServer(&policy.Ranked{
			Label:      "SRPT-noisy",
			Preemptive: true,
			OnArrival:  func(j *workload.Job) { j.Estimate = time.Duration(float64(j.Size) * factor.Rand(r)) },
			Key:        func(j *workload.Job, attained time.Duration) float64 { return float64(j.Estimate - attained) },
		}, 1)
	}}
}

func systems() ([]compare.System, error) {
	var out []compare.System
	for _, p := range []policy.Policy{policy.FCFS, policy.PS, policy.SRPT, policy.LAS} {
		s, err := compare.Server(p, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return append(out, noisySRPT()), nil
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("schedcompare", flag.ContinueOnError)
	reps := fs.Int("reps", 20, "replications")
	jobs := fs.Int("jobs", 20000, "jobs per replication (generated workloads)")
	seed := fs.Uint64("seed", 1, "root seed")
	swf := fs.String("swf", "", "run on this SWF trace instead of generated jobs")
	htmlOut := fs.String("html", "", "also write the charts of the last comparison to this HTML file")
	full := fs.Bool("full", false, "write jobstats' full comparison table (every metric, p-values) instead of one row a policy")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sys, err := systems()
	if err != nil {
		return err
	}
	exp := reports.Experiment{Replications: *reps, Seed: *seed}
	metrics := []string{jobstats.MetricResponseMean, jobstats.MetricResponseP99, jobstats.MetricSlowdownMean}
	var last jobstats.Comparison
	compareOn := func(title string, jobs compare.Jobs) error {
		tab, err := compare.Run(context.Background(), exp, jobstats.Config{}, jobs, sys...)
		if err != nil {
			return err
		}
		c, err := jobstats.Compare(tab, jobstats.CompareOptions{Baseline: "FCFS", Metrics: metrics})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "### %s\n\n", title)
		last = c
		if *full {
			return jobstats.WriteMarkdown(out, c)
		}
		return writeCompact(out, c)
	}
	if *swf != "" {
		f, err := os.Open(*swf)
		if err != nil {
			return err
		}
		lines, _, err := workload.ReadSWF(f, *swf)
		f.Close()
		if err != nil {
			return err
		}
		all, skipped := workload.SWFJobs(lines)
		var js []workload.Job // jobs of no work say nothing of a policy (and have no slowdown)
		for _, j := range all {
			if j.Size > 0 {
				js = append(js, j)
			}
		}
		workload.SortJobs(js)
		fmt.Fprintf(out, "%s: %d jobs (%d lines skipped, %d jobs of size 0 left out). A trace has no randomness: the\n"+
			"deterministic policies give the same figures in every replication (intervals of width 0); only\n"+
			"SRPT-noisy, which draws its estimates, varies.\n\n", *swf, len(js), skipped.Total(), len(all)-len(js))
		if err := compareOn(*swf, compare.Trace(js)); err != nil {
			return err
		}
	} else {
		for _, load := range []float64{0.5, 0.9} {
			spec := workload.Spec{Arrivals: workload.Must(workload.Poisson(1)), Sizes: workload.Must(workload.BoundedPareto(1.5, 1, 1000))}
			if spec, err = spec.WithLoad(load, 1); err != nil {
				return err
			}
			title := fmt.Sprintf("Load %.1f, bounded-Pareto sizes (index 1.5 on [1, 1000], scaled), %d jobs × %d replications", load, *jobs, *reps)
			if err := compareOn(title, compare.Generated(spec, *jobs)); err != nil {
				return err
			}
			fmt.Fprintln(out)
		}
	}
	if *htmlOut != "" {
		return reports.WriteFileAtomic(*htmlOut, func(w io.Writer) error { return jobhtml.Write(w, last, "schedcompare") })
	}
	return nil
}

// writeCompact writes one row a policy, best first: mean response time
// with its 95% half-width, the p99 response time, the mean slowdown, and
// the paired difference of the mean response time from the baseline.
func writeCompact(w io.Writer, c jobstats.Comparison) error {
	byName := map[string]jobstats.MetricComparison{}
	for _, m := range c.Metrics {
		byName[m.Name] = m
	}
	at := func(metric, policy string) jobstats.PolicyMetric {
		for _, pm := range byName[metric].Policies {
			if pm.Policy == policy {
				return pm
			}
		}
		return jobstats.PolicyMetric{}
	}
	fmt.Fprintf(w, "| policy | mean response (s) | p99 response (s) | mean slowdown | vs %s: Δ mean response, paired 95%% CI |\n", c.Baseline)
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, p := range c.Policies {
		r, p99, sd := at(jobstats.MetricResponseMean, p), at(jobstats.MetricResponseP99, p), at(jobstats.MetricSlowdownMean, p)
		vs := "baseline"
		if !r.Baseline {
			vs = fmt.Sprintf("%.3g [%.3g, %.3g]", r.Versus.Diff, r.Versus.Low, r.Versus.High)
		}
		if _, err := fmt.Fprintf(w, "| %s | %.3g ± %.2g | %.3g | %.3g | %s |\n", p, r.Summary.Mean, r.Summary.HalfWidth, p99.Summary.Mean, sd.Summary.Mean, vs); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\n%d replications, seed %d; every policy ran on the same jobs in each replication.\n", c.Replications, c.Seed)
	return err
}
