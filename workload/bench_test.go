package workload

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// BenchmarkDist measures one draw of each distribution, next to a bare
// r.ExpFloat64 (the baseline) in the same run.
func BenchmarkDist(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	b.Run("baseline=ExpFloat64", func(b *testing.B) {
		b.ReportAllocs()
		var s float64
		for b.Loop() {
			s += r.ExpFloat64()
		}
		_ = s
	})
	for _, d := range []Dist{
		Must(Exponential(1)), Must(Erlang(3, 1)), Must(H2(1, 4)), Must(Lognormal(1, 1)),
		Must(Weibull(0.5, 1)), Must(BoundedPareto(1.1, 1, 1e6)), Must(Uniform(0, 1)),
		Must(Empirical(make([]float64, 1000), nil)),
	} {
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			var s float64
			for b.Loop() {
				s += d.Rand(r)
			}
			_ = s
		})
	}
}

// swfInput returns n synthetic SWF job lines.
func swfInput(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("; Version: 2.2\n; MaxProcs: 128\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&buf, "%6d %8d %5d %6d %3d %8.2f %6d %3d %6d %6d 1 %3d %2d %3d 1 -1 -1 -1\n",
			i, i*37, i%100, 1+i%5000, 1+i%64, float64(i%5000)*0.9, i%4096, 1+i%64, 2+i%9000, 4096, i%200, i%20, i%300)
	}
	return buf.Bytes()
}

func BenchmarkReadSWF(b *testing.B) {
	const n = 10_000
	in := swfInput(n)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r := NewSWFReader(bytes.NewReader(in), "")
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkReadCSV(b *testing.B) {
	const n = 10_000
	var sb strings.Builder
	sb.WriteString("id,arrival,size,class,weight\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%d,%d.%03d,%d.5,%d,1\n", i, i, i%1000, i%50, i%3)
	}
	in := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r := NewCSVReader(strings.NewReader(in), "", 0)
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}

func BenchmarkWriteBatsimJobs(b *testing.B) {
	recs := make([]Record, 10_000)
	for i := range recs {
		a := time.Duration(i) * 1234567 * time.Microsecond
		recs[i] = Record{Job: Job{ID: int64(i + 1), Arrival: a, Size: time.Second, Estimate: 2 * time.Second}, Start: a + time.Millisecond, Finish: a + 1001*time.Millisecond}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteBatsimJobs(io.Discard, "w0", recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
