package bench

import (
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
)

// BenchmarkQueueHeap runs the event-set workloads of scheduler/queuetest on
// Heap: classic hold, Markov hold, up/down and cancel-heavy timeouts.
func BenchmarkQueueHeap(b *testing.B) {
	queuetest.Benchmark(b, func() scheduler.Queue[int] { return &scheduler.Heap[int]{} })
}

// BenchmarkQueueCalendar runs the same workloads on Calendar.
func BenchmarkQueueCalendar(b *testing.B) {
	queuetest.Benchmark(b, func() scheduler.Queue[int] { return scheduler.NewCalendar[int]() })
}
