package jobstats

import (
	"fmt"
	"math"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// DefaultThreshold is the threshold τ of the bounded slowdown when
// Config.Threshold is zero: 10 seconds, the value common in the parallel
// job scheduling literature (Feitelson 2001, see [BoundedSlowdown]).
const DefaultThreshold = 10 * time.Second

// Config says how records are measured. The zero value reports times in
// seconds, bounds the slowdown at [DefaultThreshold], counts one server and
// puts job sizes into one bin per decade.
type Config struct {
	// Unit is the unit of the times reported (response, wait, throughput
	// per Unit); 0 means time.Second.
	Unit time.Duration
	// Threshold is τ of the bounded slowdown; 0 means DefaultThreshold.
	Threshold time.Duration
	// Servers is the number of servers the utilisation divides by; 0
	// means 1.
	Servers int
	// BinsPerDecade is the number of size bins per factor of ten of the
	// job size, for the mean slowdown by size; 0 means 1.
	BinsPerDecade int
}

// resolve returns c with its defaults filled in, or an error for a
// negative field.
func (c Config) resolve() (Config, error) {
	switch {
	case c.Unit < 0:
		return c, fmt.Errorf("%w: Unit = %v, want 0 (seconds) or a positive duration", ErrConfig, c.Unit)
	case c.Threshold < 0:
		return c, fmt.Errorf("%w: Threshold = %v, want 0 (%v) or a positive duration", ErrConfig, c.Threshold, DefaultThreshold)
	case c.Servers < 0:
		return c, fmt.Errorf("%w: Servers = %d, want 0 (one server) or more", ErrConfig, c.Servers)
	case c.BinsPerDecade < 0:
		return c, fmt.Errorf("%w: BinsPerDecade = %d, want 0 (one) or more", ErrConfig, c.BinsPerDecade)
	}
	if c.Unit == 0 {
		c.Unit = time.Second
	}
	if c.Threshold == 0 {
		c.Threshold = DefaultThreshold
	}
	if c.Servers == 0 {
		c.Servers = 1
	}
	if c.BinsPerDecade == 0 {
		c.BinsPerDecade = 1
	}
	return c, nil
}

// in converts d to a number of units.
func in(d, unit time.Duration) float64 { return float64(d) / float64(unit) }

// JobMetrics are the measures of one job, times in the Config's unit.
type JobMetrics struct {
	// Response is Finish - Arrival and Wait is Start - Arrival.
	Response, Wait float64
	// Slowdown is Response / Size ([Slowdown]) and BoundedSlowdown is
	// [BoundedSlowdown] with the Config's threshold; both are ratios, in no
	// unit.
	Slowdown, BoundedSlowdown float64
}

// Measure returns the measures of r. It takes O(1) time and returns an
// error wrapping [ErrConfig] for a bad Config or [ErrRecord] for a record
// whose size is not positive or whose times are out of order (Arrival ≤
// Start ≤ Finish is required).
func (c Config) Measure(r workload.Record) (JobMetrics, error) {
	c, err := c.resolve()
	if err != nil {
		return JobMetrics{}, err
	}
	if err := checkRecord(&r); err != nil {
		return JobMetrics{}, err
	}
	return c.measure(&r), nil
}

// measure is Measure for a resolved c and a checked r.
func (c Config) measure(r *workload.Record) JobMetrics {
	return JobMetrics{
		Response:        in(r.Response(), c.Unit),
		Wait:            in(r.Wait(), c.Unit),
		Slowdown:        Slowdown(*r),
		BoundedSlowdown: BoundedSlowdown(*r, c.Threshold),
	}
}

// checkRecord returns an error wrapping ErrRecord if r cannot be measured.
func checkRecord(r *workload.Record) error {
	switch {
	case r.Size <= 0:
		return fmt.Errorf("%w: job %d: size %v, want a positive size", ErrRecord, r.ID, r.Size)
	case r.Start < r.Arrival:
		return fmt.Errorf("%w: job %d: start %v before arrival %v, want Arrival <= Start <= Finish", ErrRecord, r.ID, r.Start, r.Arrival)
	case r.Finish < r.Start:
		return fmt.Errorf("%w: job %d: finish %v before start %v, want Arrival <= Start <= Finish", ErrRecord, r.ID, r.Finish, r.Start)
	case r.Procs < 0:
		return fmt.Errorf("%w: job %d: %d processors, want 0 (one) or more", ErrRecord, r.ID, r.Procs)
	}
	return nil
}

// Slowdown returns the slowdown of r, its response time divided by its
// size: 1 for a job served at once at full rate, larger the longer it
// waited or shared a server. It is +Inf for a size of 0 and is computed
// from the exact integer durations, so it takes O(1) time and does not
// depend on a unit.
func Slowdown(r workload.Record) float64 {
	if r.Size == 0 {
		return math.Inf(1)
	}
	return float64(r.Response()) / float64(r.Size)
}

// BoundedSlowdown returns the bounded slowdown of r with threshold tau,
//
//	max(1, response / max(size, tau)),
//
// the definition of Feitelson, Rudolph, Schwiegelshohn, Sevcik and Wong
// ("Theory and practice in parallel job scheduling", JSSPP 1997) as Feitelson
// discusses it in "Metrics for parallel job scheduling and their convergence"
// (JSSPP 2001): jobs shorter than tau count as if their size were tau, so that
// a very short job that waited a little does not dominate the mean, and no
// value is below 1. It takes O(1) time; with tau and the size both 0 it is
// the plain slowdown, +Inf.
func BoundedSlowdown(r workload.Record, tau time.Duration) float64 {
	d := max(r.Size, tau)
	if d <= 0 {
		return math.Inf(1)
	}
	return max(1, float64(r.Response())/float64(d))
}
