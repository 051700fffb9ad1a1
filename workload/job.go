// Package workload describes the jobs a scheduling policy is benchmarked on:
// arrival processes, job-size distributions, classes, weights and deadlines
// drawn from named Env streams (common random numbers), and traces read from
// CSV and the Standard Workload Format.
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
