package jobstats

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vtsim/vtsim/reports"
)

// TestSelectNth checks selectNth against a sort, on random slices of many
// lengths with few distinct values (many ties), many distinct values, and
// sorted, reversed and constant slices.
func TestSelectNth(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := map[string]func(n int) []float64{
		"ties": func(n int) []float64 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(rng.IntN(5))
			}
			return xs
		},
		"distinct": func(n int) []float64 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = rng.Float64()
			}
			return xs
		},
		"sorted": func(n int) []float64 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(i)
			}
			return xs
		},
		"reversed": func(n int) []float64 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(n - i)
			}
			return xs
		},
		"constant": func(n int) []float64 { return make([]float64, n) },
	}
	for name, gen := range inputs {
		for _, n := range []int{1, 2, 3, 17, 18, 100, 1001} {
			for _, k := range []int{0, n / 2, n - 1, quantileIndex(0.95, n), quantileIndex(0.999, n)} {
				xs := gen(n)
				want := slices.Clone(xs)
				slices.Sort(want)
				selectNth(xs, k)
				if xs[k] != want[k] {
					t.Fatalf("%s n=%d k=%d: xs[k] = %v, want %v", name, n, k, xs[k], want[k])
				}
				for i := range xs {
					if (i < k && xs[i] > xs[k]) || (i > k && xs[i] < xs[k]) {
						t.Fatalf("%s n=%d k=%d: xs[%d] = %v on the wrong side of %v", name, n, k, i, xs[i], xs[k])
					}
				}
			}
		}
	}
}

// TestSelectStats checks the quantiles of selectStats against
// reports.QuantileSorted of the sorted values.
func TestSelectStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 1; n <= 2500; n = n*3 + 1 {
		xs := make([]float64, n)
		sum := 0.0
		for i := range xs {
			xs[i] = float64(rng.IntN(n/2 + 1))
			sum += xs[i]
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		got := selectStats(sum, xs)
		q := func(p float64) float64 { v, _ := reports.QuantileSorted(p, sorted); return v }
		want := Stats{Mean: sum / float64(n), P50: q(0.5), P95: q(0.95), P99: q(0.99), P999: q(0.999), Max: sorted[n-1]}
		if got != want {
			t.Errorf("n=%d: selectStats = %+v, want %+v", n, got, want)
		}
	}
}
