package jobstats

import (
	"math"
	"math/bits"
	"slices"
)

// selectNth rearranges xs so that xs[k] is the value a sort would put
// there, every value before it no larger and every value after it no
// smaller (the nth_element of C++). It is Hoare's quickselect with a
// median-of-three pivot, O(n) expected; after 2·log₂(n) partitions that
// leave too much it sorts what is left, so that no input costs more than
// O(n log n). The values must not be NaN.
func selectNth(xs []float64, k int) {
	lo, hi := 0, len(xs)-1 // xs[k] is in xs[lo..hi]
	budget := 2 * bits.Len(uint(len(xs)))
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(xs[lo : hi+1])
			return
		}
		budget--
		// The median of the first, middle and last values is the pivot.
		mid := int(uint(lo+hi) >> 1)
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		// Hoare's partition: afterwards xs[lo..j] ≤ pivot ≤ xs[i..hi] with
		// j < i, and values strictly between j and i equal the pivot.
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // j < k < i: xs[k] equals the pivot
		}
	}
	slices.Sort(xs[lo : hi+1])
}

// quantileIndex is the index of the p-quantile of n > 0 sorted values, the
// index that reports.QuantileSorted reads (a test checks they agree).
func quantileIndex(p float64, n int) int {
	i := int(math.Ceil(p*float64(n))) - 1
	return min(max(i, 0), n-1)
}

// selectStats returns the Stats of xs, whose sum is given, in O(n)
// expected time: each quantile is selected in turn from the largest down,
// each among the values no larger than the last. It reorders xs.
func selectStats(sum float64, xs []float64) Stats {
	n := len(xs)
	ps := [...]float64{0.5, 0.95, 0.99, 0.999}
	var qs [len(ps)]float64
	hi := n
	for t := len(ps) - 1; t >= 0; t-- {
		k := quantileIndex(ps[t], n)
		selectNth(xs[:hi], k)
		qs[t] = xs[k]
		hi = k + 1
	}
	top := xs[0]
	for _, x := range xs {
		top = max(top, x)
	}
	return Stats{Mean: sum / float64(n), P50: qs[0], P95: qs[1], P99: qs[2], P999: qs[3], Max: top}
}
