package bench

import (
	"testing"
	"time"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// BenchmarkRatios measures the bars stated as ratios (docs/design.md) with
// both sides of each ratio interleaved in one timed loop: the b.N events
// of each side run in 20 slices, one side's slice after the other's (in
// turn first), each slice timed on its own. On a shared machine a slow
// minute then slows both sides alike, where separate sub-benchmarks, run
// one after the other, can land in different minutes. ns/op is the sum of
// the sides; the metrics that count are each side's ns/event and the
// ratios:
//
//   - hold: vtsim's default heap at N=1000 against the typed binary heap
//     (heap/typed, bar at most 1.2) and container/heap (container/heap, bar
//     at least 2.5), and the calendar queue likewise (container/calendar).
//   - calendar: the calendar queue at N=1e6 against N=1000 (1e6/1e3, bar at
//     most 2).
//   - switch: a round trip between two tasks taking turns at Yield against
//     a bare iter.Pull round trip (vtsim/pull, and nowd/pull without the
//     watchdog), each two coroutine switches; and one task yielding alone
//     (alone/pull, bar at most 1.5: the bar's workload, in which hosting
//     leaves no switch at all; BenchmarkSwitch).
func BenchmarkRatios(b *testing.B) {
	runRatio(b, "hold", []side{
		{name: "heap", setup: holdSetup(scheduler.HeapQueue, 1_000)},
		{name: "calendar", setup: holdSetup(scheduler.CalendarQueue, 1_000)},
		{name: "typed", setup: func() (model, error) { return newTypedHold(1_000) }},
		{name: "container", setup: func() (model, error) { return newBoxedHold(1_000) }},
	}, []ratio{{"heap", "typed"}, {"container", "heap"}, {"container", "calendar"}})
	if !testing.Short() {
		runRatio(b, "calendar", []side{
			{name: "1e6", setup: holdSetup(scheduler.CalendarQueue, 1_000_000)},
			{name: "1e3", setup: holdSetup(scheduler.CalendarQueue, 1_000)},
		}, []ratio{{"1e6", "1e3"}})
	}
	runRatio(b, "switch", []side{
		{name: "vtsim", setup: func() (model, error) { return newYieldModel(2) }},
		{name: "nowd", setup: func() (model, error) { return newYieldModel(2, sim.WithWatchdog(0, nil)) }},
		{name: "alone", setup: func() (model, error) { return newYieldModel(1) }},
		{name: "pull", setup: newPullModel},
	}, []ratio{{"vtsim", "pull"}, {"nowd", "pull"}, {"alone", "pull"}})
}

// side is one side of a ratio: a model, set up once, and the time its
// slices took.
type side struct {
	name    string
	setup   func() (model, error)
	m       model
	elapsed time.Duration
}

// ratio names two sides; the metric is num's time per event over den's.
type ratio struct{ num, den string }

// holdSetup returns the setup of the callback hold workload on queue q with
// n pending events.
func holdSetup(q scheduler.Kind, n int) func() (model, error) {
	return func() (model, error) { return newCallbackHold(n, false, sim.WithQueue(q)) }
}

// runRatio runs a sub-benchmark called name over sides, each set up once
// (untimed) and kept across the calls that the testing package makes with a
// growing b.N and across -count, as runModels does.
func runRatio(b *testing.B, name string, sides []side, ratios []ratio) {
	defer func() {
		for _, s := range sides {
			if s.m != nil {
				s.m.close()
			}
		}
	}()
	b.Run(name, func(b *testing.B) {
		for i := range sides {
			if sides[i].m == nil {
				m, err := sides[i].setup()
				if err != nil {
					b.Fatal(err)
				}
				sides[i].m = m
			}
			sides[i].elapsed = 0
		}
		runSides(b, sides, ratios)
	})
}

// runSides runs b.N events of each side in alternating slices and reports
// each side's ns/event and the ratios.
func runSides(b *testing.B, sides []side, ratios []ratio) {
	const slices = 20
	b.ReportAllocs()
	b.ResetTimer()
	for k := range slices {
		n := b.N/slices + btoi(k < b.N%slices)
		if n == 0 {
			break // the models count down from n: a slice of 0 would not stop
		}
		for j := range sides {
			s := &sides[j]
			if k%2 == 1 {
				s = &sides[len(sides)-1-j]
			}
			start := time.Now()
			if err := s.m.run(n); err != nil {
				b.Fatal(err)
			}
			s.elapsed += time.Since(start)
		}
	}
	b.StopTimer()
	per := make(map[string]float64, len(sides))
	for _, s := range sides {
		per[s.name] = float64(s.elapsed.Nanoseconds()) / float64(b.N)
		b.ReportMetric(per[s.name], s.name+"-ns/event")
	}
	for _, r := range ratios {
		b.ReportMetric(per[r.num]/per[r.den], r.num+"/"+r.den)
	}
}

// btoi returns 1 for true and 0 for false.
func btoi(c bool) int {
	if c {
		return 1
	}
	return 0
}
