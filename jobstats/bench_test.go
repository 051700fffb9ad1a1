package jobstats

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vtsim/vtsim/workload"
)

// benchRecords are n records of an FCFS queue with two classes, sizes from
// 1 ms to 10 s and deadlines.
func benchRecords(n int) []workload.Record {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]workload.Record, n)
	var now, free time.Duration
	for i := range out {
		now += time.Duration(rng.ExpFloat64() * float64(time.Second))
		size := time.Millisecond + time.Duration(rng.ExpFloat64()*0.9*float64(time.Second))
		start := max(now, free)
		free = start + size
		out[i] = workload.Record{Job: workload.Job{ID: int64(i), Arrival: now, Size: size, Class: i % 2,
			Deadline: now + 5*time.Second}, Start: start, Finish: free}
	}
	return out
}

// BenchmarkAccumulator measures Add alone (after a first run has grown the
// memory) and Add followed by Summary, per record.
func BenchmarkAccumulator(b *testing.B) {
	for _, n := range []int{1e3, 1e6} {
		records := benchRecords(n)
		var acc Accumulator
		for _, r := range records {
			acc.Add(r)
		}
		b.Run(fmt.Sprintf("Add/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				acc.Reset()
				for _, r := range records {
					acc.Add(r)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
		})
		b.Run(fmt.Sprintf("Summary/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				acc.Reset()
				for _, r := range records {
					acc.Add(r)
				}
				if _, err := acc.Summary(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
		})
	}
}
