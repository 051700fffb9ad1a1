package reports_test

// Validation of the engine and of the output analysis against queueing
// theory: single-server FIFO queues built on sim, replicated with
// reports.Replicate; each analytic value must lie in the simulated 95%
// confidence interval.
//
// Notation: arrivals are Poisson with rate lambda, service times S are i.i.d.
// with mean E[S] = 1/mu, rho = lambda E[S] < 1. Wq is the mean wait in queue
// (arrival to start of service), W = Wq + E[S] the mean sojourn, L the
// time-average number in the system.
//
// Formulas and sources:
//
//   - M/M/1: Wq = rho / (mu - lambda), L = rho / (1 - rho).
//     Kleinrock, Queueing Systems, Vol. 1: Theory (Wiley, 1975), section 3.2;
//     Gross, Shortle, Thompson and Harris, Fundamentals of Queueing Theory,
//     4th ed. (Wiley, 2008), section 2.2.
//   - M/G/1 (Pollaczek-Khinchine mean-value formula):
//     Wq = lambda E[S^2] / (2 (1 - rho)).
//     Kleinrock vol. 1, chapter 5 ("The queue M/G/1"); Gross et al.,
//     section 5.1.1.
//   - M/D/1 is M/G/1 with E[S^2] = D^2: Wq = rho / (2 mu (1 - rho)).
//   - Uniform(0, 2) service: E[S] = 1, E[S^2] = (2^2)/3 = 4/3.
//   - Little's law L = lambda W: Little, "A proof for the queuing formula
//     L = lambda W", Operations Research 9(3):383-387, 1961.
//
// Each replication starts empty and idle, simulates a fixed number of
// customers and deletes the first tenth as warm-up (Law, Simulation Modeling
// and Analysis, 5th ed., 2015, section 9.5.1: replication/deletion). At
// rho = 0.5 the transient from empty is short (the relaxation time of the
// M/M/1 queue, 1/(mu (1 - sqrt(rho))^2), is about 12 time units, against
// about 2,000 time units deleted).

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
)

// queueConfig describes a single-server FIFO queue with Poisson arrivals.
// Time is in units of one virtual second.
type queueConfig struct {
	lambda    float64
	service   func(r *rand.Rand) float64 // draws a service time
	customers int                        // per replication, warm-up included
	warmup    int                        // customers deleted at the start
}

// unit converts model time units to virtual time.
func unit(x float64) time.Duration { return time.Duration(math.Round(x * float64(time.Second))) }

// seconds converts virtual time to model time units.
func seconds(d time.Duration) float64 { return float64(d) / float64(time.Second) }

// runQueue simulates one replication of cfg on a sim Env seeded with seed.
// Arrivals are callbacks that append the customer to a FIFO slice; the
// server is a task that takes customers in order, sleeps their service time,
// and awaits a future when the queue is empty. It returns the mean wait in
// queue and the mean sojourn of the customers after the warm-up, the
// time-average number in the system from the warm-up's end to the last
// departure, and lambda times the mean sojourn.
func runQueue(seed uint64, cfg queueConfig) (reports.Metrics, error) {
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	arrivals, service := env.Rand("arrivals"), env.Rand("service")

	type customer struct {
		index   int
		arrived time.Duration
	}
	var (
		queue    []customer // FIFO: queue[head:] wait, in order of arrival
		head     int
		arrived  int
		idle     bool // the server awaits wake
		wake     future.Resolver[struct{}]
		inSystem reports.TimeWeighted
		waits    reports.Tally
		sojourns reports.Tally
	)
	var arrive func()
	arrive = func() {
		now := env.Now()
		if arrived == cfg.warmup {
			inSystem.Reset(now)
		}
		queue = append(queue, customer{arrived, now})
		arrived++
		inSystem.Add(now, +1)
		if idle {
			idle = false
			_ = wake.SetResult(struct{}{})
		}
		if arrived < cfg.customers {
			env.CallLater(unit(arrivals.ExpFloat64()/cfg.lambda), arrive)
		}
	}
	env.CallLater(unit(arrivals.ExpFloat64()/cfg.lambda), arrive)

	server := sim.Go(env, "server", func(p *sim.Proc) (struct{}, error) {
		for served := 0; served < cfg.customers; served++ {
			if head == len(queue) {
				var f *future.Future[struct{}]
				f, wake = future.New[struct{}](env.Loop())
				idle = true
				if _, err := sim.Await(p, f); err != nil {
					return struct{}{}, err
				}
			}
			c := queue[head]
			head++
			wait := p.Now() - c.arrived
			if err := p.Sleep(unit(cfg.service(service))); err != nil {
				return struct{}{}, err
			}
			inSystem.Add(p.Now(), -1)
			if c.index >= cfg.warmup {
				waits.Add(seconds(wait))
				sojourns.Add(seconds(p.Now() - c.arrived))
			}
		}
		return struct{}{}, nil
	})
	if _, err := sim.RunUntilComplete(env, server); err != nil {
		return nil, err
	}
	l := inSystem.MeanAt(env.Now())
	// MeanAt is per nanosecond of virtual time; a level is dimensionless,
	// so no conversion is needed.
	w := sojourns.Mean()
	return reports.Metrics{
		"wq":      waits.Mean(),
		"w":       w,
		"L":       l,
		"lambdaW": cfg.lambda * w,
		"little":  l - cfg.lambda*w, // paired difference, Little's law: 0
	}, nil
}

// replicateQueue runs 30 replications of cfg.
func replicateQueue(t *testing.T, seed uint64, cfg queueConfig) reports.Result {
	t.Helper()
	res, err := reports.Replicate(context.Background(),
		reports.Experiment{Replications: 30, Seed: seed},
		func(rep reports.Replication) (reports.Metrics, error) { return runQueue(rep.Seed, cfg) })
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// covers fails the test unless the 95% CI of metric contains want.
func covers(t *testing.T, res reports.Result, metric string, want float64) {
	t.Helper()
	m, ok := res.Metric(metric)
	if !ok {
		t.Fatalf("no metric %q", metric)
	}
	s := m.Summary
	t.Logf("%-8s mean %.4f  95%% CI [%.4f, %.4f]  n=%d  theory %.4f", metric, s.Mean, s.Low, s.High, s.N, want)
	if want < s.Low || want > s.High {
		t.Errorf("%s: theory %.4f outside the 95%% CI [%.4f, %.4f] (mean %.4f, n=%d)", metric, want, s.Low, s.High, s.Mean, s.N)
	}
}

const (
	validationCustomers = 10_000
	validationWarmup    = validationCustomers / 10
)

func TestValidationMM1(t *testing.T) {
	const lambda, mu = 0.5, 1.0
	rho := lambda / mu
	res := replicateQueue(t, 1, queueConfig{
		lambda:    lambda,
		service:   func(r *rand.Rand) float64 { return r.ExpFloat64() / mu },
		customers: validationCustomers,
		warmup:    validationWarmup,
	})
	covers(t, res, "wq", rho/(mu-lambda))     // 1.0
	covers(t, res, "w", rho/(mu-lambda)+1/mu) // 2.0
	covers(t, res, "L", rho/(1-rho))          // 1.0
	covers(t, res, "lambdaW", rho/(1-rho))    // Little: lambda W = L = 1.0
	covers(t, res, "little", 0)               // L - lambda W, paired per replication
}

func TestValidationMD1(t *testing.T) {
	const lambda, d = 0.5, 1.0
	mu := 1 / d
	rho := lambda / mu
	res := replicateQueue(t, 2, queueConfig{
		lambda:    lambda,
		service:   func(*rand.Rand) float64 { return d },
		customers: validationCustomers,
		warmup:    validationWarmup,
	})
	covers(t, res, "wq", rho/(2*mu*(1-rho))) // 0.5
	covers(t, res, "little", 0)
}

func TestValidationMG1(t *testing.T) {
	const lambda = 0.5
	const es, es2 = 1.0, 4.0 / 3 // uniform(0, 2): E[S] = 1, E[S^2] = 4/3
	rho := lambda * es
	wq := lambda * es2 / (2 * (1 - rho)) // Pollaczek-Khinchine: 2/3
	res := replicateQueue(t, 3, queueConfig{
		lambda:    lambda,
		service:   func(r *rand.Rand) float64 { return 2 * r.Float64() },
		customers: validationCustomers,
		warmup:    validationWarmup,
	})
	covers(t, res, "wq", wq)
	covers(t, res, "L", lambda*(wq+es)) // Little: L = lambda (Wq + E[S]) = 5/6
	covers(t, res, "little", 0)
}
