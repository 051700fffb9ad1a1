package bench

import (
	"testing"

	"github.com/vtsim/vtsim/sim"
)

// BenchmarkLockHandoff: two tasks take turns holding a sim.Lock; each
// Release wakes the other task. One op is one hand-over (a release, a wake-up
// and an acquire), which must allocate nothing.
func BenchmarkLockHandoff(b *testing.B) {
	env := sim.New()
	defer env.Close()
	l := sim.NewLock()
	left := 0
	for _, name := range []string{"a", "b"} {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			for {
				if err := l.Acquire(p); err != nil {
					return struct{}{}, err
				}
				if left--; left == 0 {
					env.Stop()
				}
				l.Release()
				if err := p.Yield(); err != nil {
					return struct{}{}, err
				}
			}
		})
	}
	left = 1_000 // start the tasks and warm up
	if err := env.Run(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	left = b.N
	if err := env.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	reportRate(b, b.N)
}
