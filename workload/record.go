package workload

import "time"

// Record is what happened to one job in a run: the job as offered, when it
// was first served, when it finished and where. Response, wait and
// slowdown are derived from it.
type Record struct {
	Job
	// Start is when the job first received service.
	Start time.Duration
	// Finish is when the job's last unit of work was done.
	Finish time.Duration
	// Server is the index of the server (or farm member) that finished it.
	Server int
	// Preemptions counts how often the job was taken off a server before
	// it finished.
	Preemptions int
}

// Response returns Finish - Arrival (the sojourn or turnaround time).
func (r Record) Response() time.Duration { return r.Finish - r.Arrival }

// Wait returns Start - Arrival, the time before the first service.
func (r Record) Wait() time.Duration { return r.Start - r.Arrival }
