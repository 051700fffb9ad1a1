package bench

import (
	"runtime"
	"sync"
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// sleepers is the number of tasks asleep at once in BenchmarkSleepers.
const sleepers = 1_000_000

// memInUse returns the bytes of live heap objects and of goroutine stacks,
// after a full collection.
func memInUse() (heap, stack uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.StackInuse
}

// memDelta is the memory that a set of tasks or goroutines holds.
type memDelta struct{ heap, stack int64 }

// measure runs start, which must leave count tasks (or goroutines) alive,
// and returns the memory they hold. The collections and reads of the memory
// statistics are not timed.
func measure(b *testing.B, start func()) memDelta {
	b.StopTimer()
	h0, s0 := memInUse()
	b.StartTimer()
	start()
	b.StopTimer()
	h1, s1 := memInUse()
	b.StartTimer()
	return memDelta{int64(h1) - int64(h0), int64(s1) - int64(s0)}
}

// reportMem reports the memory per task of the last measurement.
func reportMem(b *testing.B, d memDelta, count int) {
	b.ReportMetric(float64(d.heap+d.stack)/float64(count), "B/task")
	b.ReportMetric(float64(d.stack)/float64(count), "stack-B/task")
}

// BenchmarkSleepers creates 1e6 tasks that each sleep once for Exp(1s) and
// then end, and runs them to completion. One op is the whole simulation:
// creating the tasks, their first steps (after which all of them are asleep
// at once) and their wake-ups, 2e6 events. B/task is the memory the
// sleeping tasks hold (live heap plus goroutine stacks, measured after a
// collection when every task is asleep); events/s is the rate of the whole
// op. The spawn variant starts the tasks with sim.Spawn (no Task, no
// future) on the heap queue. The goroutines variant holds 1e6 plain goroutines blocked on a
// channel, for the memory comparison only.
func BenchmarkSleepers(b *testing.B) {
	if testing.Short() {
		b.Skip("1e6 tasks: skipped with -short")
	}
	b.Run("vtsim-heap", func(b *testing.B) { benchSleepers(b, scheduler.HeapQueue, false) })
	b.Run("vtsim-calendar", func(b *testing.B) { benchSleepers(b, scheduler.CalendarQueue, false) })
	b.Run("vtsim-spawn", func(b *testing.B) { benchSleepers(b, scheduler.HeapQueue, true) })
	b.Run("goroutines", benchBlockedGoroutines)
}

func benchSleepers(b *testing.B, q scheduler.Kind, spawn bool) {
	b.ReportAllocs()
	var d memDelta
	iters := 0
	for b.Loop() {
		env := sim.New(sim.WithSeed(seed), sim.WithQueue(q))
		r := env.Rand("sleep")
		body := func(p *sim.Proc) (struct{}, error) {
			return struct{}{}, p.Sleep(expDelay(r))
		}
		spawned := func(p *sim.Proc) error { return p.Sleep(expDelay(r)) }
		d = measure(b, func() {
			for range sleepers {
				if spawn {
					sim.Spawn(env, "sleeper", spawned)
				} else {
					sim.Go(env, "sleeper", body)
				}
			}
			// Every first step is due at 0; a task's wake-up is later.
			if err := env.RunUntil(0); err != nil {
				b.Fatal(err)
			}
		})
		if err := env.Run(); err != nil {
			b.Fatal(err)
		}
		if got := env.Steps(); got != 2*sleepers {
			b.Fatalf("%d events, want %d", got, 2*sleepers)
		}
		env.Close()
		iters++
	}
	reportMem(b, d, sleepers)
	reportRate(b, 2*sleepers*iters)
}

func benchBlockedGoroutines(b *testing.B) {
	b.ReportAllocs()
	var d memDelta
	for b.Loop() {
		release := make(chan struct{})
		var started, done sync.WaitGroup
		started.Add(sleepers)
		done.Add(sleepers)
		d = measure(b, func() {
			for range sleepers {
				go func() {
					started.Done()
					<-release
					done.Done()
				}()
			}
			started.Wait()
		})
		close(release)
		done.Wait()
	}
	reportMem(b, d, sleepers)
}
