package sim

import "testing"

// RaceEnabled tells the external tests whether the race detector is on,
// under which the calls that do not wait check their goroutine too.
const RaceEnabled = raceEnabled

// ExactGoroutineCheck tells them whether every wait checks its goroutine:
// on amd64 and arm64, and in race builds.
const ExactGoroutineCheck = exactGoroutineCheck

// BenchmarkGoroutineCheck measures what the goroutine check adds to a
// wait (goroutine.go): the comparison of curg with the coroutine's.
func BenchmarkGoroutineCheck(b *testing.B) {
	p := &Proc{co: &coro{g: curg()}}
	n := 0
	for b.Loop() {
		if p.onOwnGoroutine() {
			n++
		}
	}
	if n != b.N {
		b.Fatalf("%d of %d checks passed on the coroutine's own goroutine", n, b.N)
	}
}
