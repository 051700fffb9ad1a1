package catalog

import (
	"fmt"
	"math"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// MM1 returns the M/M/1 scenario: Poisson arrivals at rate arrival,
// exponential service at rate service, one server, first come first served.
//
// Theory (Kleinrock, Queueing Systems, Vol. 1, 1975, section 3.2), with
// rho = lambda/mu < 1: Wq = rho/(mu - lambda), W = 1/(mu - lambda),
// L = rho/(1 - rho), utilisation rho, P(wait) = rho.
func MM1() *scenario.Scenario {
	rho := func(p scenario.Params) float64 { return p.Float("arrival") / p.Float("service") }
	return &scenario.Scenario{
		Name:    "mm1",
		Summary: "M/M/1 queue: Poisson arrivals, one exponential server, first come first served",
		Description: `Customers arrive at rate arrival and are served one at a time at rate service. Each
replication serves customers arrivals and deletes the first warmup as warm-up. Theory: Kleinrock,
Queueing Systems Vol. 1 (1975), section 3.2.`,
		Params: append([]scenario.Param{
			scenario.FloatParam("arrival", 0.9, "arrival rate lambda").WithUnit("1/s").Positive(),
			scenario.FloatParam("service", 1.0, "service rate mu").WithUnit("1/s").Positive(),
		}, queueParams()...),
		Metrics: queueMetrics(func(p scenario.Params) (wq, w, l, u, pw float64, ok bool) {
			lambda, mu := p.Float("arrival"), p.Float("service")
			r := lambda / mu
			if r >= 1 {
				return 0, 0, 0, 0, 0, false
			}
			return r / (mu - lambda), 1 / (mu - lambda), r / (1 - r), r, r, true
		}),
		Check: func(p scenario.Params) (string, error) { return checkQueue(p, rho(p), "rho = arrival/service") },
		Run: func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
			arrivals, service := env.Rand("arrivals"), env.Rand("service")
			lambda, mu := p.Float("arrival"), p.Float("service")
			return queue{servers: 1, customers: p.Int("customers"), warmup: p.Int("warmup"),
				interarrival: func() float64 { return arrivals.ExpFloat64() / lambda },
				service:      func() float64 { return service.ExpFloat64() / mu },
			}.run(env)
		},
	}
}

// erlangC returns the probability that an arrival waits in an M/M/c queue
// with offered load a = lambda/mu Erlangs (a < c), by the numerically
// stable recursion on the Erlang B formula: B(0) = 1,
// B(k) = a B(k-1) / (k + a B(k-1)), C = B(c) / (1 - (a/c)(1 - B(c)))
// (Kleinrock 1975, section 3.5; Cooper, Introduction to Queueing Theory,
// 1981, section 3.4).
func erlangC(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	return b / (1 - rho*(1-b))
}

// MMC returns the M/M/c scenario: Poisson arrivals, servers exponential
// servers sharing one first-come first-served queue.
//
// Theory (Erlang C): with a = lambda/mu and rho = a/c < 1, P(wait) = C(c, a),
// Wq = C/(c mu - lambda), W = Wq + 1/mu, L = lambda W, utilisation rho.
func MMC() *scenario.Scenario {
	rho := func(p scenario.Params) float64 {
		return p.Float("arrival") / (float64(p.Int("servers")) * p.Float("service"))
	}
	return &scenario.Scenario{
		Name:    "mmc",
		Summary: "M/M/c queue: Poisson arrivals, c exponential servers sharing one queue (Erlang C)",
		Description: `Customers arrive at rate arrival and wait in one queue for the first of servers
servers, each serving at rate service. Theory: the Erlang C formula (Kleinrock 1975, section 3.5).`,
		Params: append([]scenario.Param{
			scenario.FloatParam("arrival", 4.5, "arrival rate lambda").WithUnit("1/s").Positive(),
			scenario.FloatParam("service", 1.0, "service rate mu of each server").WithUnit("1/s").Positive(),
			scenario.IntParam("servers", 5, "number of servers c").WithRange(1, 10000),
		}, queueParams()...),
		Metrics: queueMetrics(func(p scenario.Params) (wq, w, l, u, pw float64, ok bool) {
			lambda, mu, c := p.Float("arrival"), p.Float("service"), p.Int("servers")
			r := rho(p)
			if r >= 1 {
				return 0, 0, 0, 0, 0, false
			}
			pc := erlangC(c, lambda/mu)
			wq = pc / (float64(c)*mu - lambda)
			w = wq + 1/mu
			return wq, w, lambda * w, r, pc, true
		}),
		Check: func(p scenario.Params) (string, error) {
			return checkQueue(p, rho(p), "rho = arrival/(servers*service)")
		},
		Run: func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
			arrivals, service := env.Rand("arrivals"), env.Rand("service")
			lambda, mu := p.Float("arrival"), p.Float("service")
			return queue{servers: p.Int("servers"), customers: p.Int("customers"), warmup: p.Int("warmup"),
				interarrival: func() float64 { return arrivals.ExpFloat64() / lambda },
				service:      func() float64 { return service.ExpFloat64() / mu },
			}.run(env)
		},
	}
}

// serviceDists are the service distributions of mg1.
func serviceDists() []string { return []string{"exp", "det", "erlang", "lognormal", "hyperexp"} }

// scv returns the squared coefficient of variation of mg1's service time.
func scv(p scenario.Params) float64 {
	switch p.Text("dist") {
	case "exp":
		return 1
	case "det":
		return 0
	case "erlang":
		return 1 / float64(p.Int("k"))
	}
	return p.Float("scv")
}

// MG1 returns the M/G/1 scenario: Poisson arrivals and one server whose
// service time, of mean 1/service, is exponential, deterministic, Erlang-k,
// lognormal or a balanced two-phase hyperexponential (the last two with
// squared coefficient of variation scv).
//
// Theory (Pollaczek-Khinchine; Kleinrock 1975, section 5.6): with
// rho = lambda E[S] < 1 and E[S^2] = (1 + scv) E[S]^2,
// Wq = lambda E[S^2] / (2 (1 - rho)), W = Wq + E[S], L = lambda W,
// utilisation rho, P(wait) = rho.
func MG1() *scenario.Scenario {
	rho := func(p scenario.Params) float64 { return p.Float("arrival") / p.Float("service") }
	return &scenario.Scenario{
		Name:    "mg1",
		Summary: "M/G/1 queue: Poisson arrivals, one server with a general service time (Pollaczek-Khinchine)",
		Description: `Customers arrive at rate arrival; service times have mean 1/service and the distribution
dist: exp (scv 1), det (scv 0), erlang (k phases, scv 1/k), lognormal (scv given) or hyperexp (balanced
two-phase hyperexponential, scv >= 1 given). Theory: the Pollaczek-Khinchine formula (Kleinrock 1975,
section 5.6); it depends on the service time only through its mean and scv.`,
		Params: append([]scenario.Param{
			scenario.FloatParam("arrival", 0.8, "arrival rate lambda").WithUnit("1/s").Positive(),
			scenario.FloatParam("service", 1.0, "service rate mu = 1/E[S]").WithUnit("1/s").Positive(),
			scenario.EnumParam("dist", "det", serviceDists(), "service time distribution"),
			scenario.IntParam("k", 4, "phases of the erlang distribution").WithRange(1, 1000),
			scenario.FloatParam("scv", 4, "squared coefficient of variation of lognormal and hyperexp").Positive().AtMost(1000),
		}, queueParams()...),
		Metrics: queueMetrics(func(p scenario.Params) (wq, w, l, u, pw float64, ok bool) {
			lambda, mean := p.Float("arrival"), 1/p.Float("service")
			r := rho(p)
			if r >= 1 {
				return 0, 0, 0, 0, 0, false
			}
			es2 := (1 + scv(p)) * mean * mean
			wq = lambda * es2 / (2 * (1 - r))
			w = wq + mean
			return wq, w, lambda * w, r, r, true
		}),
		Check: func(p scenario.Params) (string, error) {
			if p.Text("dist") == "hyperexp" && p.Float("scv") < 1 {
				return "", fmt.Errorf("dist = hyperexp needs scv >= 1, got scv = %v; allowed: scv >= 1, or dist = lognormal or erlang for less variable service", p.Float("scv"))
			}
			return checkQueue(p, rho(p), "rho = arrival/service")
		},
		Run: func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
			arrivals, service := env.Rand("arrivals"), env.Rand("service")
			lambda, mu := p.Float("arrival"), p.Float("service")
			mean := 1 / mu
			var draw func() float64
			switch p.Text("dist") {
			case "exp":
				draw = func() float64 { return service.ExpFloat64() * mean }
			case "det":
				draw = func() float64 { return mean }
			case "erlang":
				k := p.Int("k")
				draw = func() float64 {
					s := 0.0
					for range k {
						s += service.ExpFloat64()
					}
					return s * mean / float64(k)
				}
			case "lognormal":
				// mean m and scv c2: sigma^2 = ln(1 + c2), mu_ln = ln m - sigma^2/2.
				s2 := math.Log1p(p.Float("scv"))
				m, s := math.Log(mean)-s2/2, math.Sqrt(s2)
				draw = func() float64 { return math.Exp(m + s*service.NormFloat64()) }
			case "hyperexp":
				// Balanced means (Whitt 1982): p1 = (1 + sqrt((c2-1)/(c2+1)))/2,
				// phase i has rate 2 p_i / m, so each phase carries half the mean.
				c2 := p.Float("scv")
				p1 := (1 + math.Sqrt((c2-1)/(c2+1))) / 2
				r1, r2 := 2*p1/mean, 2*(1-p1)/mean
				draw = func() float64 {
					if service.Float64() < p1 {
						return service.ExpFloat64() / r1
					}
					return service.ExpFloat64() / r2
				}
			}
			return queue{servers: 1, customers: p.Int("customers"), warmup: p.Int("warmup"),
				interarrival: func() float64 { return arrivals.ExpFloat64() / lambda },
				service:      draw,
			}.run(env)
		},
	}
}
