package bench

import (
	"iter"
	"testing"

	"github.com/vtsim/vtsim/sim"
)

// BenchmarkSwitch measures a task switch: one task calling Yield (Sleep(0))
// in a loop, so that every op is one round trip from the run loop into the
// task and back, through the event queue. The iter.Pull variant is the bare
// coroutine round trip underneath it: next() into a sequence that yields at
// once. The ratio vtsim/iter.Pull is the engine's overhead per switch.
func BenchmarkSwitch(b *testing.B) {
	b.Run("vtsim", func(b *testing.B) { benchYield(b) })
	b.Run("vtsim-nowatchdog", func(b *testing.B) { benchYield(b, sim.WithWatchdog(0, nil)) })
	b.Run("iter.Pull", benchPull)
}

// benchYield runs b.N Yield round trips of one task in one call of Run,
// which the task stops after the b.N-th.
func benchYield(b *testing.B, opts ...sim.Option) {
	env := sim.New(opts...)
	defer env.Close()
	left := 0
	sim.Go(env, "yielder", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := p.Yield(); err != nil {
				return struct{}{}, err
			}
			if left--; left == 0 {
				env.Stop()
			}
		}
	})
	timeCounted(b, env, &left)
}

// benchPull runs b.N round trips into a coroutine made by iter.Pull.
func benchPull(b *testing.B) {
	next, stop := iter.Pull(func(yield func(struct{}) bool) {
		for yield(struct{}{}) {
		}
	})
	defer stop()
	for range 1_000 {
		next()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		next()
	}
	b.StopTimer()
	reportRate(b, b.N)
}
