package resource_test

// Validation of the primitives against queueing theory: each simulated
// mean's 95% confidence interval over 30 independent replications must
// cover the analytic value.

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// expDur draws an exponential duration with the given rate per second.
func expDur(env *sim.Env, stream string, rate float64) time.Duration {
	return time.Duration(env.Rand(stream).ExpFloat64() / rate * float64(time.Second))
}

// erlangCWait is the M/M/c mean wait in queue: Wq = C(c, a) / (c mu - lambda),
// with a = lambda/mu, rho = a/c and Erlang's C formula
// C(c, a) = (a^c/c!)/(1-rho) / (sum_{k<c} a^k/k! + (a^c/c!)/(1-rho))
// (Kleinrock, Queueing Systems vol. 1, 1975, section 3.5; Gross et al.,
// Fundamentals of Queueing Theory, section 2.3).
func erlangCWait(c int, lambda, mu float64) float64 {
	a := lambda / mu
	rho := a / float64(c)
	sum, term := 0.0, 1.0
	for k := range c {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	last := term * a / float64(c) / (1 - rho) // a^c/c! / (1-rho)
	return last / (sum + last) / (float64(c)*mu - lambda)
}

// replicateCheck runs model 30 times and checks that the 95% CI of each
// metric covers want[metric].
func replicateCheck(t *testing.T, model reports.Model, want map[string]float64) {
	t.Helper()
	res, err := reports.Replicate(context.Background(), reports.Experiment{Replications: 30, Seed: 7}, model)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range want {
		m, ok := res.Metric(name)
		if !ok {
			t.Fatalf("no metric %q", name)
		}
		s := m.Summary
		if v < s.Low || v > s.High {
			t.Errorf("%s: 95%% CI [%.4f, %.4f] (mean %.4f) does not cover %.4f", name, s.Low, s.High, s.Mean, v)
		} else {
			t.Logf("%s: mean %.4f, 95%% CI [%.4f, %.4f], theory %.4f", name, s.Mean, s.Low, s.High, v)
		}
	}
}

// M/M/c through Resource(c), and M/M/1 as its c = 1 case: lambda = 2, mu = 1,
// c = 3 gives a = 2, rho = 2/3, C(3, 2) = 4/9 and Wq = 4/9; lambda = 0.5,
// mu = 1, c = 1 gives Wq = rho/(mu - lambda) = 1.
func TestMMcWaitMatchesErlangC(t *testing.T) {
	for _, tt := range []struct {
		c            int
		lambda, want float64
	}{{3, 2, 4.0 / 9}, {1, 0.5, 1}} {
		const mu, customers = 1.0, 20_000
		if got := erlangCWait(tt.c, tt.lambda, mu); math.Abs(got-tt.want) > 1e-12 {
			t.Fatalf("erlangCWait(%d, %v, 1) = %v; want %v", tt.c, tt.lambda, got, tt.want)
		}
		replicateCheck(t, func(rep reports.Replication) (reports.Metrics, error) {
			env := sim.New(sim.WithSeed(rep.Seed))
			defer env.Close()
			res := resource.NewResource(tt.c)
			var waits reports.Tally
			sim.Go(env, "arrivals", func(p *sim.Proc) (int, error) {
				for i := range customers {
					if err := p.Sleep(expDur(env, "arrivals", tt.lambda)); err != nil {
						return 0, err
					}
					sim.Go(env, "customer", func(p *sim.Proc) (int, error) {
						t0 := p.Now()
						if err := res.Request(p); err != nil {
							return 0, err
						}
						if i >= customers/10 { // warm-up deletion: the first 10%
							waits.Add((p.Now() - t0).Seconds())
						}
						defer res.Release()
						return 0, p.Sleep(expDur(env, "service", mu))
					})
				}
				return 0, nil
			})
			if err := env.Run(); err != nil {
				return nil, err
			}
			return reports.Metrics{"wait": waits.Mean()}, nil
		}, map[string]float64{"wait": tt.want})
	}
}

// M/M/1 built on a Store: arrivals put their arrival time in the store; one
// server takes them in order. lambda = 0.5, mu = 1: Wq = rho/(mu - lambda) =
// 1 (Kleinrock vol. 1, section 3.2). Little's law on the store's built-in
// statistics: the time-weighted number waiting L_q = lambda W_q = 0.5
// (Little, Operations Research 9(3), 1961).
func TestMM1OnStoreAndLittlesLaw(t *testing.T) {
	const lambda, mu, customers = 0.5, 1.0, 20_000
	replicateCheck(t, func(rep reports.Replication) (reports.Metrics, error) {
		env := sim.New(sim.WithSeed(rep.Seed))
		defer env.Close()
		line := resource.NewStore[time.Duration](0)
		var waits reports.Tally
		var st *sim.Stats
		sim.Go(env, "arrivals", func(p *sim.Proc) (int, error) {
			for range customers {
				if err := p.Sleep(expDur(env, "arrivals", lambda)); err != nil {
					return 0, err
				}
				if err := line.Put(p, p.Now()); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		server := sim.Go(env, "server", func(p *sim.Proc) (int, error) {
			for i := range customers {
				if i == customers/10 { // warm-up deletion: the first 10%
					st = line.EnableStats(env)
				}
				arrived, err := line.Get(p)
				if err != nil {
					return 0, err
				}
				if i >= customers/10 {
					waits.Add((p.Now() - arrived).Seconds())
				}
				if err := p.Sleep(expDur(env, "service", mu)); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		if _, err := sim.RunUntilComplete(env, server); err != nil {
			return nil, err
		}
		// Items held in the store are the customers waiting for the server.
		lq := st.InUse.MeanAt(env.Now())
		return reports.Metrics{"wait": waits.Mean(), "waiting": lq}, nil
	}, map[string]float64{"wait": 1, "waiting": lambda * 1})
}
