package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultBatches is a common number of batches for [BatchMeans]: enough
// degrees of freedom for a useful interval, few enough for batches to be
// long.
const DefaultBatches = 20

// BatchMeansResult is the confidence interval of a steady-state mean from one
// long run, by the method of batch means.
type BatchMeansResult struct {
	// Batches is the number of batches and BatchSize their length.
	Batches, BatchSize int
	// Discarded is the number of observations left out at the start so that
	// every batch has BatchSize observations.
	Discarded int
	// Means are the batch means, in order.
	Means []float64
	// Summary is the summary of Means: its interval is the interval for
	// the steady-state mean, with Batches-1 degrees of freedom.
	Summary Summary
	// Lag1 is the lag-1 autocorrelation of the batch means,
	// Σ_{j<k} (Z_j - Z̄)(Z_{j+1} - Z̄) / Σ_j (Z_j - Z̄)², or 0 when they are
	// all equal.
	Lag1 float64
	// Correlated reports that Lag1 is too large for independent batch
	// means: above -1/k + z_{0.95}/√k, the one-sided 5% bound of its
	// large-sample distribution under independence, approximately normal
	// with mean -1/k (Moran 1948) and variance 1/k (Bartlett 1946). The
	// batches are then too short and the interval too narrow: use fewer,
	// longer batches or a longer run.
	Correlated bool
}

// BatchMeans splits series into the given number of batches of equal size,
// dropping the first len(series) mod batches observations (those nearest the
// warm-up), and returns the Student-t interval of the batch means at the
// confidence level. Delete the warm-up first, for instance with [MSER5]. It
// takes O(n) time.
//
// It returns an error wrapping [ErrTooFew] when batches is below 2 or above
// len(series), [ErrLevel] for a level outside (0, 1) and [ErrNotFinite] for
// a NaN or infinite value.
func BatchMeans(series []float64, batches int, level float64) (BatchMeansResult, error) {
	if batches < 2 || batches > len(series) {
		return BatchMeansResult{}, fmt.Errorf("%w: %d batches of %d observations, want 2 to %d batches", ErrTooFew, batches, len(series), len(series))
	}
	if err := checkLevel(level); err != nil {
		return BatchMeansResult{}, err
	}
	if err := checkFinite(series); err != nil {
		return BatchMeansResult{}, err
	}
	size := len(series) / batches
	drop := len(series) - size*batches
	means := batchMeans(series[drop:], batches)
	sum, err := Summarize(means, level)
	if err != nil {
		return BatchMeansResult{}, err
	}
	r := BatchMeansResult{
		Batches:   batches,
		BatchSize: size,
		Discarded: drop,
		Means:     means,
		Summary:   sum,
		Lag1:      lag1(means, sum.Mean),
	}
	k := float64(batches)
	r.Correlated = r.Lag1 > -1/k+distuv.UnitNormal.Quantile(0.95)/math.Sqrt(k)
	return r, nil
}

// lag1 returns the lag-1 sample autocorrelation of x about mean, 0 when x
// does not vary.
func lag1(x []float64, mean float64) float64 {
	var num, den float64
	for i, v := range x {
		d := v - mean
		den += d * d
		if i+1 < len(x) {
			num += d * (x[i+1] - mean)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}
