package scheduler_test

import (
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
)

// BenchmarkHeap runs the queuetest workloads on Heap.
func BenchmarkHeap(b *testing.B) {
	queuetest.Benchmark(b, func() scheduler.Queue[int] { return &scheduler.Heap[int]{} })
}

// BenchmarkCalendar runs the queuetest workloads on Calendar.
func BenchmarkCalendar(b *testing.B) {
	queuetest.Benchmark(b, func() scheduler.Queue[int] { return scheduler.NewCalendar[int]() })
}
