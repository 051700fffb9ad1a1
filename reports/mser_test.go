package reports

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestMSERHand(t *testing.T) {
	// Batches of 5 with means 10, 0, 0, 0 (k = 4; d may be 0 or 1).
	// d = 0: mean 2.5, squared deviations 56.25 + 3·6.25 = 75, MSER 75/16;
	// d = 1: no deviation, MSER 0. So d = 1, 5 observations deleted.
	series := make([]float64, 22) // 2 extra observations after the batches
	for i := range 5 {
		series[i] = 10
	}
	series[20], series[21] = 3, 3
	tr, err := MSER5(series)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Index != 5 || tr.Batches != 4 || tr.BatchSize != 5 || tr.Statistic != 0 || !tr.AtLimit {
		t.Errorf("MSER5 = %+v, want index 5 of 4 batches, statistic 0, at the limit", tr)
	}
	// The mean is over series[5:], the trailing observations included: 6/17.
	checkNear(t, "Mean", tr.Mean, 6.0/17, 1e-15)

	// Batch means 4, 0, 8, 0, 8, 0, 8 (batch size 1, k = 7, d ≤ 3):
	// d=0: mean 4, sq 0+16+16+16+16+16+16 = 96, /49 = 1.959;
	// d=1: mean 4, sq 6·16 = 96, /36 = 2.667;
	// d=2: mean 4.8, sq 10.24+23.04+10.24+23.04+10.24 = 76.8, /25 = 3.072;
	// d=3: mean 4, sq 64, /16 = 4. So d = 0: nothing deleted.
	tr, err = MSER([]float64{4, 0, 8, 0, 8, 0, 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Index != 0 || tr.AtLimit {
		t.Errorf("MSER = %+v, want index 0", tr)
	}
	checkNear(t, "Statistic", tr.Statistic, 96.0/49, 1e-15)
	checkNear(t, "Mean", tr.Mean, 4, 1e-15)
}

// mserBrute evaluates the MSER statistic for every allowed d with a
// two-pass mean and sum of squares and returns the minimising d.
func mserBrute(series []float64, m int) (int, float64) {
	k := len(series) / m
	z := make([]float64, k)
	for j := range z {
		for _, v := range series[j*m : (j+1)*m] {
			z[j] += v
		}
		z[j] /= float64(m)
	}
	best, bestStat := -1, math.Inf(1)
	for d := 0; 2*d < k; d++ {
		var mean float64
		for _, v := range z[d:] {
			mean += v
		}
		mean /= float64(k - d)
		var ss float64
		for _, v := range z[d:] {
			ss += (v - mean) * (v - mean)
		}
		st := ss / float64((k-d)*(k-d))
		if st < bestStat*(1-1e-12) {
			best, bestStat = d, st
		}
	}
	return best, bestStat
}

func TestMSERAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range 100 {
		n := 10 + r.IntN(400)
		m := 1 + r.IntN(6)
		if n/m < 2 {
			continue
		}
		series := make([]float64, n)
		decay := float64(r.IntN(n))
		for i := range series {
			series[i] = 5*math.Exp(-float64(i)/(decay+1)) + r.NormFloat64()
		}
		tr, err := MSER(series, m)
		if err != nil {
			t.Fatal(err)
		}
		d, st := mserBrute(series, m)
		if tr.Index != d*m {
			t.Errorf("n=%d m=%d: Index %d, brute force %d", n, m, tr.Index, d*m)
		}
		checkNear(t, "Statistic", tr.Statistic, st, 1e-9)
	}
}

func TestMSER5Transient(t *testing.T) {
	// A level falling linearly from 10 to 0 over the first 200 points, then
	// 0, plus N(0, 1) noise; 2,000 points. Stopping well before 200 keeps
	// batches whose bias (10·(1-i/200), 2.5 at i = 150) is large next to
	// the standard deviation of a batch mean (1/√5 ≈ 0.45); deleting well
	// past 200 only removes good data. So the truncation should lie in
	// [150, 250]; with these 20 seeds it is 180 to 210. The truncated mean
	// is then near 0 (its standard error is about 0.023), far below the raw
	// mean (about 0.5).
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 17))
		series := make([]float64, 2000)
		for i := range series {
			series[i] = 10*max(0, 1-float64(i)/200) + r.NormFloat64()
		}
		tr, err := MSER5(series)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Index < 150 || tr.Index > 250 || tr.AtLimit {
			t.Errorf("seed %d: truncation at %d (at limit %v), want 150 to 250", seed, tr.Index, tr.AtLimit)
		}
		if math.Abs(tr.Mean) > 0.1 {
			t.Errorf("seed %d: truncated mean %v, want near 0", seed, tr.Mean)
		}
	}
}

func TestMSERStationary(t *testing.T) {
	// Without a transient, little is deleted: about 6 of 1,000 points on
	// average over these seeds.
	total := 0
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 18))
		series := make([]float64, 1000)
		for i := range series {
			series[i] = 3 + r.NormFloat64()
		}
		tr, err := MSER5(series)
		if err != nil {
			t.Fatal(err)
		}
		total += tr.Index
	}
	if avg := float64(total) / 20; avg > 50 {
		t.Errorf("stationary series: mean truncation %v of 1000, want little", avg)
	}
}

func TestMSERErrors(t *testing.T) {
	if _, err := MSER5(make([]float64, 9)); !errors.Is(err, ErrTooFew) {
		t.Errorf("9 observations: %v, want ErrTooFew", err)
	}
	if _, err := MSER(make([]float64, 9), 0); !errors.Is(err, ErrTooFew) {
		t.Errorf("batch size 0: %v, want ErrTooFew", err)
	}
	series := make([]float64, 20)
	series[3] = math.NaN()
	if _, err := MSER5(series); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v, want ErrNotFinite", err)
	}
}
