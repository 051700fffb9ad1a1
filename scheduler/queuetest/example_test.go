package queuetest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
)

// Check returns nil for a correct queue, and describes each check a
// broken one fails: here a queue whose PopUntil leaves an entry due at the
// limit (the first line of the first failure).
func ExampleCheck() {
	fmt.Println(queuetest.Check(func() scheduler.Queue[int] { return &scheduler.Heap[int]{} }))

	err := queuetest.Check(func() scheduler.Queue[int] { return &exclusive{} })
	first, _, _ := strings.Cut(err.Error(), "\n")
	fmt.Println(first)
	// Output:
	// <nil>
	// PopUntil: PopUntil(10) returned ok=false, want {At:10 Key:0x1 Value:1}
}

// A queue's own test file runs the checks as subtests of one test. (An
// Example cannot make a testing.T, so this one only shows the call.)
func ExampleTestQueue() {
	newQueue := func() scheduler.Queue[int] { return scheduler.NewCalendar[int]() }

	// func TestMyQueue(t *testing.T) { queuetest.TestQueue(t, newQueue) }
	_ = func(t *testing.T) { queuetest.TestQueue(t, newQueue) }
	// The same checks, outside a test:
	fmt.Println(queuetest.Check(newQueue))
	// Output: <nil>
}

// A queue's own benchmark file runs the workloads as sub-benchmarks of one
// benchmark; select some with -bench, for example
// -bench 'BenchmarkMyQueue/Hold/exponential'.
func ExampleBenchmark() {
	newQueue := func() scheduler.Queue[int] { return &scheduler.Heap[int]{} }

	// func BenchmarkMyQueue(b *testing.B) { queuetest.Benchmark(b, newQueue) }
	_ = func(b *testing.B) { queuetest.Benchmark(b, newQueue) }
	fmt.Println("a queue to benchmark:", newQueue().Len(), "entries")
	// Output: a queue to benchmark: 0 entries
}
