// Package workload describes the jobs a scheduling policy is benchmarked on:
// arrival processes, job-size distributions, classes, weights and deadlines
// drawn from named Env streams (common random numbers), and traces read from
// CSV and the Standard Workload Format. Its distributions ([Dist]) and the
// helpers between a modeller's units and virtual time ([Draw],
// [MustDuration], [InUnits]) serve any model too (examples/callcentre).
//
// # Map of the package
//
//   - [Job] is one unit of work offered to a scheduler; [Record] is what
//     happened to it in a run (job.go, record.go).
//   - [Dist] is a distribution of non-negative numbers: [Exponential],
//     [Deterministic], [Erlang], [Hyperexponential] and [H2],
//     [Lognormal], [Weibull], [BoundedPareto], [Uniform], [Empirical],
//     and [Scale] of any of them (dist.go); [Gamma] and [Triangular]
//     (units.go). gonum's distuv draws where it
//     has the distribution, always from the stream passed to Rand.
//   - [Arrivals] is an arrival process with a long-run rate: [Poisson],
//     [Periodic], [Renewal] of any Dist, the bursty two-state [MMPP] and
//     [OnOff]; [Arrivals.Start] gives the running [Interarrivals]
//     (arrivals.go).
//   - [Spec] puts arrivals, sizes, estimate noise, deadlines (slack ×
//     size), weights and classes ([Class]) together, in a time Unit;
//     [Spec.Load] and [Spec.WithLoad] read and set ρ = λ·E[S]/c.
//     [NewGenerator] draws a Spec's jobs from named streams of any
//     [Streams], such as a *sim.Env: one at a time ([Generator.Next]),
//     as iterators ([Generator.All], [Generator.Seq] for n jobs,
//     [Generator.Until] a time) or as a slice ([Generator.Take])
//     (generate.go).
//   - Traces: [ReadCSV] and [CSVReader] read a CSV trace with a header
//     (trace_csv.go); [ReadSWF] and [SWFReader] read the Standard
//     Workload Format into [SWFJob] values and an [SWFHeader], and [SWFJobs]
//     converts them to Jobs, counting the unusable lines in
//     [SWFSkipped] (trace_swf.go); [SortJobs] orders a trace by arrival.
//   - [WriteBatsimJobs] writes Records in the column layout of Batsim's
//     jobs.csv, for existing analysis scripts (batsim.go).
//
// # Common random numbers
//
// A Generator draws each part of a job from its own stream:
// PREFIX/arrivals, PREFIX/classes, PREFIX/sizes/I for class I,
// PREFIX/estimates and PREFIX/deadlines, PREFIX being [Spec.Stream] or
// "workload". sim.Env.Rand seeds each stream from the Env's seed and the
// name alone. So two runs on Envs with the same seed see the same jobs,
// bit for bit, whatever else they draw (a policy's own tie-breaking
// stream, say), and adding noise or deadlines, or changing one class's
// sizes, leaves every other field of every job unchanged.
//
// # Time
//
// Distributions and rates are plain float64 numbers in a unit (a Spec's
// Unit, a CSV reader's unit; SWF is in seconds). They become virtual
// time by one rule, [ToDuration]: x·unit rounded to the nearest
// nanosecond, halves away from zero, a non-zero x to at least one
// nanosecond (so that no loop over converted gaps stands still); [Draw],
// [MustDuration] and [InUnits] apply it for a model. Decimal text in traces is
// converted exactly by the same rule, with no float64 step; arrival
// times of generated jobs are sums of converted gaps, so they do not
// drift.
//
// # Zero values, cost, errors and panics
//
// Jobs and Records are plain values whose zero fields mean "none" or
// "default" as documented on each field. A zero Spec is invalid (it has
// no arrivals); a zero Generator, CSVReader or SWFReader is not usable.
// Dists and Arrivals are immutable and may be shared; Generators and
// readers are not safe for concurrent use. A Generator's Next costs the
// draws plus O(log classes) and allocates nothing; readers hold one line
// at a time.
//
// Bad parameters (NaN, a non-positive mean, probabilities that do not add
// up, a Spec without arrivals) return errors wrapping [ErrInvalid] that
// say what is allowed; values that do not fit a time.Duration wrap
// [ErrRange]; malformed traces return a [*ParseError] (file, line, field,
// what is allowed) wrapping [ErrSyntax] or [ErrRange]. Nothing is
// silently clamped. Programmer mistakes panic with a message naming the
// call: a nil Dist passed to [Scale], [Renewal] or [OnOff], nil
// [Streams], fewer than one server in [Spec.Load], and [Must] of an
// error.
package workload

import "time"

// Job is one unit of work offered to a scheduler. Times are virtual
// (time.Duration since the Env's start), as everywhere in vtsim.
type Job struct {
	// ID numbers the job; unique within a workload, in arrival order for
	// generated workloads.
	ID int64
	// Arrival is when the job arrives.
	Arrival time.Duration
	// Size is the job's service requirement on one server of rate 1 (its
	// run time).
	Size time.Duration
	// Estimate is the size as the scheduler is told it (SWF's requested
	// time, or a noisy estimate); 0 means unknown. Size-based policies that
	// only see estimates read this field.
	Estimate time.Duration
	// Class is the job's class (priority class, user group); 0 by default.
	Class int
	// Weight is the job's weight for weighted sharing; 0 means 1.
	Weight float64
	// Deadline is the job's absolute deadline; 0 means none.
	Deadline time.Duration
	// Procs is the number of processors requested (SWF); 0 means 1.
	Procs int
}
