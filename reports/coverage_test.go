package reports

import (
	"context"
	"math/rand/v2"
	"testing"
)

func TestConfidenceIntervalCoverage(t *testing.T) {
	// 1,000 experiments of 30 replications; each replication is the mean
	// of 20 Exp(1) draws (true mean 1) from a PCG stream seeded with its
	// replication seed. The 95% t interval of an experiment covers 1 with
	// probability close to 0.95 (the replication means are Gamma(20, 1/20),
	// skewness 0.45, nearly normal), so over 1,000 experiments the count
	// has a binomial standard deviation of about 6.9: [930, 970] is ±3 of
	// them. The seeds are fixed, so the outcome is too.
	model := func(rep Replication) (Metrics, error) {
		r := rand.New(rand.NewPCG(rep.Seed, 0))
		var sum float64
		for range 20 {
			sum += r.ExpFloat64()
		}
		return Metrics{"mean": sum / 20}, nil
	}
	const experiments = 1000
	covered := 0
	for e := range experiments {
		res, err := Replicate(context.Background(), Experiment{Replications: 30, Seed: ReplicationSeed(20250101, e), Workers: 2}, model)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Metrics[0].Summary
		if s.Low <= 1 && 1 <= s.High {
			covered++
		}
	}
	rate := float64(covered) / experiments
	t.Logf("coverage %.3f", rate)
	if rate < 0.93 || rate > 0.97 {
		t.Errorf("95%% intervals covered the true mean in %.3f of %d experiments, want 0.93 to 0.97", rate, experiments)
	}
}
