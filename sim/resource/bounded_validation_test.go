package resource_test

import (
	"errors"
	"math"
	"testing"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// mmcK returns the M/M/c/K blocking probability p_K and mean number in
// system L = sum n p_n, from the stationary distribution of the birth-death
// chain with a = lambda/mu:
//
//	p_n = p_0 a^n / n!               for 0 <= n <= c,
//	p_n = p_0 a^n / (c! c^(n-c))     for c <= n <= K,
//
// p_0 normalising (Gross, Shortle, Thompson and Harris, Fundamentals of
// Queueing Theory, 4th ed., 2008, section 2.5; Kleinrock, Queueing Systems
// vol. 1, 1975, section 3.6 for c = 1). By PASTA, p_K is also the fraction
// of arrivals refused.
func mmcK(c, k int, lambda, mu float64) (block, l float64) {
	a := lambda / mu
	p := make([]float64, k+1)
	p[0] = 1
	for n := 1; n <= k; n++ {
		p[n] = p[n-1] * a / float64(min(n, c))
	}
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	for n, v := range p {
		l += float64(n) * v / sum
	}
	return p[k] / sum, l
}

// TestMMcKMatchesTheory: a Resource of c units with a waiting room of K-c
// (SetQueueLimit) is M/M/c/K. Its refused fraction (Stats.Refused over the
// arrivals) and time-weighted number in system (InUse + QueueLength) match
// p_K and L within the 95% CI of 30 replications. The M/M/1/K case is
// checked against the closed form P_K = (1-rho) rho^K / (1-rho^(K+1))
// (Kleinrock vol. 1, eq. 3.45 ff.; Gross et al., section 2.5): lambda = 0.9,
// mu = 1, K = 5 gives P_K = 0.059049/0.468559 = 0.12602.
func TestMMcKMatchesTheory(t *testing.T) {
	rho := 0.9
	closed := (1 - rho) * math.Pow(rho, 5) / (1 - math.Pow(rho, 6))
	if got, _ := mmcK(1, 5, 0.9, 1); math.Abs(got-closed) > 1e-12 || math.Abs(closed-0.12602) > 1e-5 {
		t.Fatalf("mmcK(1, 5, 0.9, 1) = %v; closed form %v", got, closed)
	}
	for _, tt := range []struct {
		c, k   int
		lambda float64
	}{{1, 5, 0.9}, {3, 6, 3}, {2, 2, 1.5}} { // M/M/1/5; M/M/3/6 at rho = 1; Erlang's loss system M/M/2/2
		const mu, customers = 1.0, 20_000
		block, l := mmcK(tt.c, tt.k, tt.lambda, mu)
		t.Logf("M/M/%d/%d, lambda %v: p_K %.5f, L %.5f", tt.c, tt.k, tt.lambda, block, l)
		replicateCheck(t, func(rep reports.Replication) (reports.Metrics, error) {
			env := sim.New(sim.WithSeed(rep.Seed))
			defer env.Close()
			res := resource.NewResource(tt.c).SetQueueLimit(tt.k - tt.c)
			st := res.EnableStats(env)
			arrived, inSystem := 0, 0.0
			sim.Go(env, "arrivals", func(p *sim.Proc) (int, error) {
				for i := range customers {
					if err := p.Sleep(expDur(env, "arrivals", tt.lambda)); err != nil {
						return 0, err
					}
					if i == customers/10 { // warm-up deletion: the first 10%
						st.Reset()
						arrived = 0
					}
					arrived++
					sim.Go(env, "customer", func(p *sim.Proc) (int, error) {
						if err := res.Request(p); errors.Is(err, resource.ErrRefused) {
							return 0, nil
						} else if err != nil {
							return 0, err
						}
						defer res.Release()
						return 0, p.Sleep(expDur(env, "service", mu))
					})
				}
				// The time average up to the last arrival, before the system drains.
				inSystem = st.InUse.MeanAt(p.Now()) + st.QueueLength.MeanAt(p.Now())
				return 0, nil
			})
			if err := env.Run(); err != nil {
				return nil, err
			}
			return reports.Metrics{"blocking": float64(st.Refused) / float64(arrived), "L": inSystem}, nil
		}, map[string]float64{"blocking": block, "L": l})
	}
}
