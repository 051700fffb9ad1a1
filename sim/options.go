package sim

import (
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

type config struct {
	seed      uint64
	start     time.Time
	queue     scheduler.Kind
	newQueue  func() scheduler.Queue[func()] // a queue of the user's own (WithQueueOf)
	tieBreak  scheduler.TieBreak
	tbSeed    uint64
	tbSeedSet bool
	tracer    Tracer
	wdTimeout time.Duration
	wdReport  func(*StallError)
	pace      *pacing // WithPacing
}

// Option configures an Env.
type Option func(*config)

// WithSeed sets the root seed of the Env's random streams and of the Random
// tie-break (default 0).
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithStart sets the wall-clock instant of virtual time 0 (default
// DefaultStart).
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithQueue chooses the event queue implementation (default
// scheduler.HeapQueue; scheduler.CalendarQueue stays flat with millions of
// pending events).
// It takes the built-in kinds only; WithQueueOf takes a queue of your own.
func WithQueue(k scheduler.Kind) Option {
	return func(c *config) { c.queue, c.newQueue = k, nil }
}

// WithQueueOf runs the Env on a queue of your own: newQueue is called once,
// by New, and must return an empty scheduler.Queue of the Env's events
// (their values are the callbacks). The scheduler/queuetest kit checks that
// a queue keeps the order every Env relies on; check yours with it first.
// New panics if newQueue is nil or returns nil. The last of WithQueue and
// WithQueueOf wins.
func WithQueueOf(newQueue func() scheduler.Queue[func()]) Option {
	if newQueue == nil {
		panic("sim: WithQueueOf called with a nil function")
	}
	return func(c *config) { c.newQueue = newQueue }
}

// WithTieBreak chooses how events due at the same time with the same
// priority are ordered (default scheduler.FIFO). scheduler.Random permutes
// them with a seeded generator (see WithTieBreakSeed): run a test under many
// seeds to find order-dependent bugs.
func WithTieBreak(tb scheduler.TieBreak) Option { return func(c *config) { c.tieBreak = tb } }

// WithTieBreakSeed seeds the Random tie-break on its own (by default its
// seed derives from WithSeed), so that a test can explore the orders of
// equal-time events while the model's random streams stay the same.
func WithTieBreakSeed(seed uint64) Option {
	return func(c *config) { c.tbSeed, c.tbSeedSet = seed, true }
}

// WithTracer installs a tracer that sees every task and callback event.
func WithTracer(t Tracer) Option { return func(c *config) { c.tracer = t } }

// WithWatchdog sets how long, in real time, the run loop may make no progress
// before the watchdog reports a stall (default DefaultWatchdog; 0 turns the
// watchdog off), and what it does then. With a nil report function it panics
// with the *StallError, which names the blocked task and shows its stack; a
// report function is called on the watchdog's goroutine instead.
//
// The watchdog runs while a Run method (Run, RunUntil, RunFor,
// RunUntilComplete) runs, and reports a stall only when no event started
// for a whole timeout: a slow event is never taken for a stalled one. It
// costs the run loop nothing (see watchdog.go). A loop of Env.Step calls
// has no watchdog: starting one for each step would cost more than the
// step; drive such a loop with RunUntil or RunFor to be protected.
func WithWatchdog(timeout time.Duration, report func(*StallError)) Option {
	return func(c *config) { c.wdTimeout = timeout; c.wdReport = report }
}
