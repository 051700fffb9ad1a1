package bench

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"

	"github.com/vtsim/vtsim/sim"
)

// BenchmarkSwitch measures a task switch: two tasks calling Yield
// (Sleep(0)) in turn, so that every op is one round trip from one task
// into the other and back, through the event queue: two coroutine
// switches, as the iter.Pull variant's round trip, next() into a sequence
// that yields at once. (A task that waits takes the run loop's turns on
// its own coroutine, docs/design.md "Hosting": the first task's Yield pops
// the second's wake-up and resumes it, one switch; the second's Yield
// switches back, and the first pops its own wake-up without a switch.)
// The ratio vtsim/iter.Pull is the engine's overhead per round trip;
// BenchmarkRatios measures it with the two interleaved. vtsim-alone is
// one task yielding alone: its own wake-up is always the next event, so
// it never switches, and the op is the Yield's push, pop and checks.
func BenchmarkSwitch(b *testing.B) {
	runModels(b, 0, []variant{
		{"vtsim", func(int) (model, error) { return newYieldModel(2) }},
		{"vtsim-nowatchdog", func(int) (model, error) { return newYieldModel(2, sim.WithWatchdog(0, nil)) }},
		{"vtsim-alone", func(int) (model, error) { return newYieldModel(1) }},
		{"iter.Pull", func(int) (model, error) { return newPullModel() }},
	})
}

// yieldModel is tasks tasks yielding in turn, run n rounds at a time in
// one call of Run, which the last task stops after the n-th: one round is
// one Yield of each task.
type yieldModel struct {
	env  *sim.Env
	left int
}

func newYieldModel(tasks int, opts ...sim.Option) (model, error) {
	m := &yieldModel{env: sim.New(opts...)}
	for i := range tasks {
		last := i == tasks-1
		sim.Go(m.env, fmt.Sprint("yielder ", i), func(p *sim.Proc) (struct{}, error) {
			for {
				if err := p.Yield(); err != nil {
					return struct{}{}, err
				}
				if !last {
					continue
				}
				if m.left--; m.left == 0 {
					m.env.Stop()
				}
			}
		})
	}
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
