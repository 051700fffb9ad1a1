package reports

import (
	"fmt"
	"math"
)

// Truncation is the warm-up found by [MSER] in a single long run.
type Truncation struct {
	// Index is the number of observations to delete from the start, a
	// multiple of BatchSize; series[Index:] is the part in steady state.
	Index int
	// Mean is the mean of series[Index:], every observation after the
	// truncation point (those after the last whole batch included).
	Mean float64
	// BatchSize is the number of observations per batch (5 for MSER-5).
	BatchSize int
	// Batches is the number of whole batches, len(series) / BatchSize.
	Batches int
	// Statistic is the MSER statistic at the truncation point.
	Statistic float64
	// AtLimit reports that the minimum fell on the last candidate point,
	// just before the second half of the batches: the transient may last
	// longer than half the run, and the run should be longer.
	AtLimit bool
}

// MSER5 is [MSER] with batches of 5 observations, the MSER-5 rule of Franklin
// and White (2008) that White, Cobb and Spratt (2000) recommend.
func MSER5(series []float64) (Truncation, error) { return MSER(series, 5) }

// MSER finds the warm-up period of series by the marginal standard error
// rule (White 1997, "An effective truncation heuristic for bias reduction in
// simulation output", Simulation 69(6)). The series is cut into
// k = len(series)/batchSize batches (observations after the last whole
// batch are not batched), with means Z_1..Z_k. Deleting the first d batches
// leaves k-d of them with mean Z̄(d), and
//
//	MSER(d) = Σ_{j>d} (Z_j - Z̄(d))² / (k-d)².
//
// The truncation is the d that minimises MSER(d) over the first half of the
// batches, 0 ≤ d < k/2 (the smallest such d on ties), since a minimum later
// than that rests on too few batches (White 1997; Franklin and White 2008,
// "Stationarity tests and MSER-5", Winter Simulation Conference); its point
// is d·batchSize observations. It takes O(n) time
// and O(k) memory.
//
// It returns an error wrapping [ErrTooFew] when batchSize is below 1 or
// there are fewer than two batches, and [ErrNotFinite] when a value is NaN or
// infinite.
func MSER(series []float64, batchSize int) (Truncation, error) {
	if batchSize < 1 {
		return Truncation{}, fmt.Errorf("%w: batch size %d, want at least 1", ErrTooFew, batchSize)
	}
	k := len(series) / batchSize
	if k < 2 {
		return Truncation{}, fmt.Errorf("%w: %d observations make %d batches of %d, want at least 2", ErrTooFew, len(series), k, batchSize)
	}
	if err := checkFinite(series); err != nil {
		return Truncation{}, err
	}
	means := batchMeans(series[:k*batchSize], k)
	last := (k - 1) / 2 // the largest d with d < k/2
	best, bestStat := 0, math.Inf(1)
	// Welford from the end: after adding Z_j, m holds the batches j..k-1
	// (0-based), that is d = j deleted.
	var m welford
	for j := k - 1; j >= 0; j-- {
		m.add(means[j])
		if j > last {
			continue
		}
		left := float64(k - j)
		if st := m.s / (left * left); st <= bestStat {
			best, bestStat = j, st
		}
	}
	t := Truncation{
		Index:     best * batchSize,
		BatchSize: batchSize,
		Batches:   k,
		Statistic: bestStat,
		AtLimit:   best == last && last > 0,
	}
	var tail Tally
	for _, v := range series[t.Index:] {
		tail.Add(v)
	}
	t.Mean = tail.Mean()
	return t, nil
}

// batchMeans returns the means of k consecutive batches of equal size that
// cover series.
func batchMeans(series []float64, k int) []float64 {
	size := len(series) / k
	means := make([]float64, k)
	for j := range means {
		var t Tally
		for _, v := range series[j*size : (j+1)*size] {
			t.Add(v)
		}
		means[j] = t.Mean()
	}
	return means
}

// welford is a running mean and sum of squared deviations from it
// (Welford 1962), as MSER's statistic needs them batch by batch.
type welford struct {
	n, mean float64
	s       float64 // sum of (x - mean)^2
}

func (m *welford) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d * (1 / m.n)
	m.s += d * (x - m.mean)
}
