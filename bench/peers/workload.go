package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"
)

// The workloads, as README.md describes them. Every side counts its events
// the same way:
//
//   - hold: timer firings (pending timers stay at params.pending);
//   - mm1: 2 per customer (arrival and departure), whatever the engine
//     dispatches internally;
//   - pingpong: put→get hand-offs (a message taken by its getter);
//   - sleepers: wake-ups of processes created at t = 0.
const (
	hold     = "hold"
	mm1      = "mm1"
	pingpong = "pingpong"
	sleepers = "sleepers"
)

// workloads lists the workloads in the order they run and print.
func workloads() []string { return []string{hold, mm1, pingpong, sleepers} }

// The M/M/1 rates: arrivals and services per unit of virtual time (one
// second on the Go sides). Theory: Wq = λ/(μ(μ-λ)) = 9.
const (
	lambda   = 0.9
	mu       = 1.0
	theoryWq = lambda / (mu * (mu - lambda))
)

// seed seeds every generator of the Go sides: math/rand/v2's PCG with
// seed 42 and a stream number per use (0 for hold and sleepers, 1 for the
// arrivals of mm1, 2 for its services), so that every FIFO server of mm1
// sees the same customers.
const seed = 42

// newRand returns a PCG generator seeded 42 on the given stream.
func newRand(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// expDur draws a duration from the exponential distribution with the
// given rate per second, in whole nanoseconds.
func expDur(r *rand.Rand, rate float64) time.Duration {
	return time.Duration(r.ExpFloat64() / rate * float64(time.Second))
}

// params sizes one run of a workload: n is the number of events counted
// (hold, pingpong, sleepers) or of customers (mm1); pending is the number
// of pending timers of hold.
type params struct {
	n, pending int
}

// fullParams returns the sizes of the reference workloads.
func fullParams(w string) params {
	switch w {
	case hold:
		return params{n: 1_000_000, pending: 1_000}
	case mm1:
		return params{n: 200_000}
	case pingpong:
		return params{n: 1_000_000}
	default:
		return params{n: 100_000}
	}
}

// quickParams returns the small sizes of the quick mode (-short).
func quickParams(w string) params {
	switch w {
	case hold:
		return params{n: 10_000, pending: 1_000}
	case mm1:
		return params{n: 2_000}
	case pingpong:
		return params{n: 10_000}
	default:
		return params{n: 1_000}
	}
}

// wantEvents returns the number of events a run of workload w with p
// counts.
func wantEvents(w string, p params) int {
	if w == mm1 {
		return 2 * p.n
	}
	return p.n
}

// result is what one run of one side measured.
type result struct {
	events int // events counted, as the workload defines them
	span
	wq     float64 // mm1: mean wait in queue; NaN otherwise
	maxRSS int64   // peak resident set of the run's process, bytes; 0 if unknown
}

// span is what a stopwatch measured of the simulation, start-up excluded.
type span struct {
	elapsed time.Duration // wall time
	cpu     time.Duration // CPU time (user and system) of the process; 0 if unknown
	allocs  int64         // heap objects the process allocated (Go sides); -1 if unknown
}

// rate returns the events per second of r.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return math.Inf(1)
	}
	return float64(r.events) / r.elapsed.Seconds()
}

// cpuRate returns the events per CPU second of r, or NaN if the CPU time
// is unknown.
func (r result) cpuRate() float64 {
	if r.cpu <= 0 {
		return math.NaN()
	}
	return float64(r.events) / r.cpu.Seconds()
}

// stopwatch measures the wall time, the CPU time of the process (every
// thread's user and system time) and the heap objects it allocated, from
// its start.
type stopwatch struct {
	wall   time.Time
	cpu    time.Duration
	allocs uint64
}

// startWatch returns a stopwatch started now.
func startWatch() stopwatch {
	return stopwatch{wall: time.Now(), cpu: processCPU(), allocs: heapAllocs()}
}

// stop returns what sw measured since its start.
func (sw stopwatch) stop() span {
	return span{
		elapsed: time.Since(sw.wall),
		cpu:     processCPU() - sw.cpu,
		allocs:  int64(heapAllocs() - sw.allocs),
	}
}

// heapAllocs returns the heap objects the process allocated so far.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// processCPU returns the CPU time the process used so far, or 0 if
// getrusage fails.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// check reports an error if r did not count the events a run of w with p
// must count, or if mm1's mean wait is implausible. A run of 200,000
// customers has a standard error near 0.4 on Wq; the tolerance is 5 of
// them, and smaller runs are not checked.
func (r result) check(w string, p params) error {
	if want := wantEvents(w, p); r.events != want {
		return fmt.Errorf("%s: %d events counted, want %d", w, r.events, want)
	}
	if w == mm1 && p.n >= 100_000 && !(math.Abs(r.wq-theoryWq) <= 2) {
		return fmt.Errorf("mm1: mean wait in queue %.3f, theory %.1f", r.wq, theoryWq)
	}
	return nil
}

// runFunc runs one side of a workload once, in the calling process. t is
// the test of the sides that need one (testing/synctest) and nil for the
// others.
type runFunc func(t *testing.T, p params) (result, error)

// goSide is one Go implementation of one workload.
type goSide struct {
	run    runFunc
	bubble bool // run needs a *testing.T
}

// goSides returns the Go sides by workload and side name.
func goSides() map[string]map[string]goSide {
	plain := func(f runFunc) goSide { return goSide{run: f} }
	bubbled := func(f runFunc) goSide { return goSide{run: f, bubble: true} }
	return map[string]map[string]goSide{
		hold: {
			"vtsim-callbacks": plain(vtsimHoldCallbacks),
			"vtsim-tasks":     plain(vtsimHoldTasks),
			"typed-heap":      plain(heapHold),
			"coroutines":      plain(coroutineHold),
			"goroutines":      plain(goroutineHold),
			"simgo":           plain(simgoHold),
			"synctest":        bubbled(synctestHold),
		},
		mm1: {
			"vtsim-tasks": plain(vtsimMM1),
			"typed-heap":  plain(heapMM1),
			"coroutines":  plain(coroutineMM1),
			"goroutines":  plain(goroutineMM1),
			"simgo":       plain(simgoMM1),
			"synctest":    bubbled(synctestMM1),
		},
		pingpong: {
			"vtsim-tasks": plain(vtsimPingpongStore),
			"vtsim-queue": plain(vtsimPingpongQueue),
			"typed-heap":  plain(heapPingpong),
			"coroutines":  plain(coroutinePingpong),
			"goroutines":  plain(goroutinePingpong),
			"simgo":       plain(simgoPingpong),
			"synctest":    bubbled(synctestPingpong),
		},
		sleepers: {
			"vtsim-tasks": plain(vtsimSleepers),
			"typed-heap":  plain(heapSleepers),
			"coroutines":  plain(coroutineSleepers),
			"goroutines":  plain(goroutineSleepers),
			"simgo":       plain(simgoSleepers),
			"synctest":    bubbled(synctestSleepers),
		},
	}
}

// simpySides maps the SimPy side names to the style argument of
// simpy_bench.py, by workload.
func simpySides(w string) map[string]string {
	if w == hold {
		return map[string]string{"simpy-callbacks": "callbacks", "simpy": "processes"}
	}
	return map[string]string{"simpy": "processes"}
}

// fifo is a first in, first out queue on a slice, for the sides' servers
// and stores.
type fifo[T any] struct {
	items []T
	head  int
}

func (q *fifo[T]) len() int { return len(q.items) - q.head }

func (q *fifo[T]) push(v T) {
	if q.head > 0 && q.head*2 >= len(q.items) {
		// Move the items to the front rather than let the slice grow.
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, v)
}

// pop removes and returns the oldest item; ok is false if q is empty.
func (q *fifo[T]) pop() (v T, ok bool) {
	if q.head == len(q.items) {
		return v, false
	}
	v = q.items[q.head]
	var zero T
	q.items[q.head] = zero
	q.head++
	return v, true
}
