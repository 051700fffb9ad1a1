package bench

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// seed is the root seed of every benchmark's Env and random stream.
const seed = 1

// holdMean is the mean of the exponential delays of the hold workloads.
const holdMean = time.Second

// expDelay draws a delay from the exponential distribution with mean
// holdMean, in whole nanoseconds.
func expDelay(r *rand.Rand) time.Duration {
	return time.Duration(r.ExpFloat64() * float64(holdMean))
}

// holdStream returns the random stream every hold variant draws its delays
// from: the "hold" stream of an Env seeded with seed. The baselines take it
// from an Env used only as a source of numbers, so that all variants draw
// the same delays and schedule the same events.
func holdStream() *rand.Rand { return sim.New(sim.WithSeed(seed)).Rand("hold") }

// reportRate reports events per second of the timed region, which ran
// events events.
func reportRate(b *testing.B, events int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(events)/s, "events/s")
	}
}

// timeCounted runs env until its model, counting down *left, stops it: first
// 1,000 counts to start the tasks and warm up, then b.N counts timed. It
// reports allocations and events/s (the Env's dispatched events).
func timeCounted(b *testing.B, env *sim.Env, left *int) {
	*left = 1_000
	if err := env.Run(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	steps := env.Steps()
	b.ResetTimer()
	*left = b.N
	if err := env.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	reportRate(b, int(env.Steps()-steps))
}

// warmup is the number of events a hold model runs before it is timed, for
// n pending events: enough to replace the initial events (so that the
// pending times reach their steady distribution) and to grow every slice the
// queues use.
func warmup(n int) int { return 2*n + 100_000 }

// model is one implementation of a workload that keeps a fixed number of
// events pending: set up once, then run in slices of exactly n events.
type model interface {
	// run dispatches exactly n events.
	run(n int) error
	// now returns the virtual time of the last event, in nanoseconds.
	now() int64
	// close releases the model (and its goroutines, if any).
	close()
}

// variant names a constructor of a model with n pending events.
type variant struct {
	name  string
	setup func(n int) (model, error)
}

// runModels runs one sub-benchmark per variant, each with n pending events.
// A model is set up (and warmed up) once, on the first call of its
// sub-benchmark, and reused by the calls that follow (the testing package
// calls a benchmark again with a growing b.N, and once more per -count), so
// that setting up a million tasks is paid once and never timed. Each of the
// b.N iterations is one event, so ns/op is the cost of one event.
func runModels(b *testing.B, n int, variants []variant) {
	for _, v := range variants {
		var m model
		b.Run(v.name, func(b *testing.B) {
			timeModel(b, &m, func() (model, error) { return v.setup(n) })
		})
		if m != nil {
			m.close()
		}
	}
}

// timeModel times b.N events of *m, which it sets up with setup on its
// first call; the caller closes *m after its last.
func timeModel(b *testing.B, m *model, setup func() (model, error)) {
	if *m == nil {
		var err error
		if *m, err = setup(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := (*m).run(b.N); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	reportRate(b, b.N)
}
