package bench

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"

	"github.com/vtsim/vtsim/sim"
)

// BenchmarkSwitch measures a task switch: one task calling Yield (Sleep(0))
// in a loop, so that every op is one round trip from the run loop into the
// task and back, through the event queue. The iter.Pull variant is the bare
// coroutine round trip underneath it: next() into a sequence that yields at
// once. The ratio vtsim/iter.Pull is the engine's overhead per switch;
// BenchmarkRatios measures it with the two interleaved.
func BenchmarkSwitch(b *testing.B) {
	runModels(b, 0, []variant{
		{"vtsim", func(int) (model, error) { return newYieldModel() }},
		{"vtsim-nowatchdog", func(int) (model, error) { return newYieldModel(sim.WithWatchdog(0, nil)) }},
		{"iter.Pull", func(int) (model, error) { return newPullModel() }},
	})
}

// yieldModel is one task yielding in a loop, run n round trips at a time
// in one call of Run, which the task stops after the n-th.
type yieldModel struct {
	env  *sim.Env
	left int
}

func newYieldModel(opts ...sim.Option) (model, error) {
	m := &yieldModel{env: sim.New(opts...)}
	sim.Go(m.env, "yielder", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := p.Yield(); err != nil {
				return struct{}{}, err
			}
			if m.left--; m.left == 0 {
				m.env.Stop()
			}
		}
	})
	return m, m.run(1_000)
}

func (m *yieldModel) run(n int) error {
	m.left = n
	return m.env.Run()
}

func (m *yieldModel) now() int64 { return int64(m.env.Now()) }
func (m *yieldModel) close()     { m.env.Close() }

// pullModel is a coroutine made by iter.Pull that yields at once, run n
// round trips at a time.
type pullModel struct {
	next func() (struct{}, bool)
	stop func()
}

func newPullModel() (model, error) {
	m := &pullModel{}
	m.next, m.stop = iter.Pull(func(yield func(struct{}) bool) {
		for yield(struct{}{}) {
		}
	})
	return m, m.run(1_000)
}

func (m *pullModel) run(n int) error {
	for range n {
		m.next()
	}
	return nil
}

func (m *pullModel) now() int64 { return 0 }
func (m *pullModel) close()     { m.stop() }

// BenchmarkPullSpread measures the bare iter.Pull round trip of
// BenchmarkSwitch spread over N coroutines, resumed in a random order, as a
// workload with N live tasks resumes them: each round trip then touches a
// goroutine stack and g that are cold in the cache. It is the switch part
// of the coroutine floor of bench/peers (hold has 1,000 tasks, sleepers
// 100,000).
func BenchmarkPullSpread(b *testing.B) {
	for _, n := range []int{1, 1_000, 100_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			nexts := make([]func() (struct{}, bool), n)
			stops := make([]func(), n)
			for i := range n {
				nexts[i], stops[i] = iter.Pull(func(yield func(struct{}) bool) {
					for yield(struct{}{}) {
					}
				})
			}
			defer func() {
				for _, stop := range stops {
					stop()
				}
			}()
			const mask = 1<<16 - 1
			order := make([]int32, mask+1)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range order {
				order[i] = int32(r.IntN(n))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				nexts[order[i&mask]]()
				i++
			}
		})
	}
}
