package policy_test

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

// dist is a job-size distribution (in seconds) with the partial moments
// the M/G/1 formulas need.
type dist struct {
	name   string
	lo, hi float64 // support (hi finite: far in the tail for unbounded ones)
	sample func(r *rand.Rand) float64
	pdf    func(x float64) float64
	cdf    func(x float64) float64
	m1, m2 func(x float64) float64 // ∫_0^x t dF(t), ∫_0^x t² dF(t)
}

func (d dist) mean() float64   { return d.m1(d.hi) }
func (d dist) second() float64 { return d.m2(d.hi) }

// expoPart returns ∫_0^x t^k μe^{-μt} dt for k = 1, 2.
func expoPart(mu, x float64, k int) float64 {
	e := math.Exp(-mu * x)
	if k == 1 {
		return (1 - e*(1+mu*x)) / mu
	}
	return (2 - e*(mu*mu*x*x+2*mu*x+2)) / (mu * mu)
}

func expo(mean float64) dist {
	mu := 1 / mean
	return dist{
		name: "exp", lo: 0, hi: 60 * mean,
		sample: func(r *rand.Rand) float64 { return r.ExpFloat64() * mean },
		pdf:    func(x float64) float64 { return mu * math.Exp(-mu*x) },
		cdf:    func(x float64) float64 { return 1 - math.Exp(-mu*x) },
		m1:     func(x float64) float64 { return expoPart(mu, x, 1) },
		m2:     func(x float64) float64 { return expoPart(mu, x, 2) },
	}
}

// hyper returns the two-phase hyperexponential with mean 1 and squared
// coefficient of variation c2, with balanced means (p1/μ1 = p2/μ2).
func hyper(c2 float64) dist {
	p := (1 + math.Sqrt((c2-1)/(c2+1))) / 2
	mu1, mu2 := 2*p, 2*(1-p)
	return dist{
		name: "H2", lo: 0, hi: 60 / mu2,
		sample: func(r *rand.Rand) float64 {
			if r.Float64() < p {
				return r.ExpFloat64() / mu1
			}
			return r.ExpFloat64() / mu2
		},
		pdf: func(x float64) float64 { return p*mu1*math.Exp(-mu1*x) + (1-p)*mu2*math.Exp(-mu2*x) },
		cdf: func(x float64) float64 { return 1 - p*math.Exp(-mu1*x) - (1-p)*math.Exp(-mu2*x) },
		m1:  func(x float64) float64 { return p*expoPart(mu1, x, 1) + (1-p)*expoPart(mu2, x, 1) },
		m2:  func(x float64) float64 { return p*expoPart(mu1, x, 2) + (1-p)*expoPart(mu2, x, 2) },
	}
}

// boundedPareto returns the bounded Pareto distribution on [k, p] with
// shape a (density a k^a x^{-a-1} / (1-(k/p)^a)), sampled by inversion.
func boundedPareto(k, p, a float64) dist {
	c := a * math.Pow(k, a) / (1 - math.Pow(k/p, a))
	part := func(x float64, j float64) float64 {
		x = math.Min(math.Max(x, k), p)
		return c * (math.Pow(x, j-a) - math.Pow(k, j-a)) / (j - a)
	}
	return dist{
		name: "BP", lo: k, hi: p,
		sample: func(r *rand.Rand) float64 {
			return k / math.Pow(1-r.Float64()*(1-math.Pow(k/p, a)), 1/a)
		},
		pdf: func(x float64) float64 { return c * math.Pow(x, -a-1) },
		cdf: func(x float64) float64 {
			x = math.Min(math.Max(x, k), p)
			return (1 - math.Pow(k/x, a)) / (1 - math.Pow(k/p, a))
		},
		m1: func(x float64) float64 { return part(x, 1) },
		m2: func(x float64) float64 { return part(x, 2) },
	}
}

// integral is ∫_a^b f by 64 panels of 16-point Gauss-Legendre, denser near
// a (panel ends grow geometrically when a is 0), as sizes are.
func integral(f func(float64) float64, a, b float64) float64 {
	const panels = 64
	sum := 0.0
	prev := a
	for i := 1; i <= panels; i++ {
		u := float64(i) / panels
		next := a + (b-a)*u*u
		sum += quad.Fixed(f, prev, next, 16, quad.Legendre{}, 0)
		prev = next
	}
	return sum
}

// srptMean is E[T] under M/G/1 SRPT (Schrage and Miller 1966):
// E[T(x)] = (λ∫_0^x t² dF + λx²(1-F(x))) / (2(1-ρ(x))²) + ∫_0^x dt/(1-ρ(t)),
// ρ(x) = λ∫_0^x t dF, averaged over F.
func srptMean(lambda float64, d dist) float64 {
	tx := srptT(lambda, d)
	return integral(func(x float64) float64 { return tx(x) * d.pdf(x) }, d.lo, d.hi)
}

// srptT returns x ↦ E[T(x)] under M/G/1 SRPT (see srptMean).
func srptT(lambda float64, d dist) func(float64) float64 {
	rho := func(x float64) float64 { return lambda * d.m1(x) }
	return func(x float64) float64 {
		wait := lambda * (d.m2(x) + x*x*(1-d.cdf(x))) / (2 * math.Pow(1-rho(x), 2))
		res := quad.Fixed(func(t float64) float64 { return 1 / (1 - rho(t)) }, 0, x, 32, quad.Legendre{}, 0)
		return wait + res
	}
}

// lasMean is E[T] under M/G/1 LAS (foreground-background; Kleinrock,
// Queueing Systems vol. 2, §4.6; Harchol-Balter, Performance Modeling and
// Design of Computer Systems, ch. 30): with S_x = min(S, x) and
// ρ_x = λE[S_x], E[T(x)] = x/(1-ρ_x) + λE[S_x²]/(2(1-ρ_x)²).
func lasMean(lambda float64, d dist) float64 {
	tx := lasT(lambda, d)
	return integral(func(x float64) float64 { return tx(x) * d.pdf(x) }, d.lo, d.hi)
}

// lasT returns x ↦ E[T(x)] under M/G/1 LAS (see lasMean).
func lasT(lambda float64, d dist) func(float64) float64 {
	return func(x float64) float64 {
		tail := 1 - d.cdf(x)
		rx := lambda * (d.m1(x) + x*tail)
		return x/(1-rx) + lambda*(d.m2(x)+x*x*tail)/(2*(1-rx)*(1-rx))
	}
}

// source returns n jobs with Poisson arrivals of rate lambda (per second),
// sizes from size and classes from class (nil: class 0), drawn from env's
// streams "arrivals", "sizes" and "classes".
func source(env *sim.Env, n int, lambda float64, size func(r *rand.Rand, class int) float64, class func(r *rand.Rand) int) iter.Seq[workload.Job] {
	arr, sz, cl := env.Rand("arrivals"), env.Rand("sizes"), env.Rand("classes")
	return func(yield func(workload.Job) bool) {
		t := 0.0
		for i := range n {
			t += arr.ExpFloat64() / lambda
			c := 0
			if class != nil {
				c = class(cl)
			}
			j := workload.Job{ID: int64(i), Arrival: time.Duration(t * 1e9), Size: time.Duration(math.Round(size(sz, c) * 1e9)), Class: c}
			if !yield(j) {
				return
			}
		}
	}
}

// ci is a mean over replications with its Student-t 95% half-width.
type ci struct{ mean, half float64 }

func (c ci) covers(x float64) bool { return math.Abs(c.mean-x) <= c.half }

func interval(xs []float64) ci {
	m, sd := stat.MeanStdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
	return ci{m, t * sd / math.Sqrt(float64(len(xs)))}
}

// replicate runs reps replications (seeds 1...) of n jobs through sys and
// returns, per class in classes (one: over every class), the CI of the
// mean response in seconds over the jobs after the first tenth (warm-up).
func replicate(t *testing.T, sys policy.System, reps, n int, jobs func(env *sim.Env, n int) iter.Seq[workload.Job], classes int) []ci {
	t.Helper()
	means := make([][]float64, classes)
	for rep := range reps {
		env := sim.New(sim.WithSeed(uint64(rep + 1)))
		sum := make([]float64, classes)
		cnt := make([]float64, classes)
		err := policy.Run(env, sys, jobs(env, n), func(r workload.Record) {
			if r.ID >= int64(n/10) {
				c := r.Class
				if classes == 1 {
					c = 0 // one mean over every class
				}
				sum[c] += r.Response().Seconds()
				cnt[c]++
			}
		})
		env.Close()
		if err != nil {
			t.Fatal(err)
		}
		for c := range classes {
			means[c] = append(means[c], sum[c]/cnt[c])
		}
	}
	out := make([]ci, classes)
	for c := range classes {
		out[c] = interval(means[c])
	}
	return out
}

// size returns reps and jobs per replication, fewer under -short.
func size(reps, n int) (int, int) {
	if testing.Short() {
		return 10, n / 2
	}
	return reps, n
}

// TestMG1 checks mean response times against M/G/1 theory: each analytic
// value must lie in the 95% CI over replications.
func TestMG1(t *testing.T) {
	h4 := hyper(4)
	bp := boundedPareto(0.1, 100, 1.5)
	// Erlang C for M/M/2 with λ = 1.4, μ = 1 (a = 1.4, ρ = 0.7):
	// C = (a²/2)/(1-ρ) / (1 + a + (a²/2)/(1-ρ)) = 3.2667/5.6667;
	// E[T] = C/(cμ-λ) + 1/μ.
	erlangC := (1.4 * 1.4 / 2 / 0.3) / (1 + 1.4 + 1.4*1.4/2/0.3)
	mm2 := erlangC/(2-1.4) + 1
	tests := []struct {
		name   string
		p      policy.Policy
		c      int
		lambda float64
		d      dist
		want   float64
		reps   int
		n      int
	}{
		// M/M/1: E[T] = 1/(μ-λ) under FCFS and PS (any size-blind policy).
		{"M/M/1 FCFS", policy.FCFS, 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
		{"M/M/1 PS", policy.PS, 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
		{"M/M/1 LCFS", policy.LCFS, 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
		{"M/M/1 RR(0.1s)", policy.RR(100 * time.Millisecond), 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
		// M/G/1 PS is insensitive: E[T] = E[S]/(1-ρ) (Kleinrock vol. 2, §4.4).
		{"M/H2/1 PS", policy.PS, 1, 0.6, h4, 1 / 0.4, 16, 25000},
		{"M/BP/1 PS", policy.PS, 1, 0.6 / bp.mean(), bp, bp.mean() / 0.4, 16, 25000},
		// LCFS-PR is insensitive too, with the same mean.
		{"M/H2/1 LCFS-PR", policy.LCFSPR, 1, 0.6, h4, 1 / 0.4, 16, 25000},
		// RR with a small quantum is close to PS: E[S]/(1-ρ).
		{"M/H2/1 RR(0.02s)", policy.RR(20 * time.Millisecond), 1, 0.6, h4, 1 / 0.4, 10, 20000},
		// M/G/1 FCFS: Pollaczek-Khinchine, E[T] = E[S] + λE[S²]/(2(1-ρ)).
		{"M/H2/1 FCFS", policy.FCFS, 1, 0.6, h4, 1 + 0.6*h4.second()/(2*0.4), 16, 25000},
		{"M/BP/1 FCFS", policy.FCFS, 1, 0.5 / bp.mean(), bp, bp.mean() + 0.5/bp.mean()*bp.second()/(2*0.5), 16, 25000},
		// M/G/1 SRPT (Schrage and Miller 1966), integrated numerically.
		{"M/M/1 SRPT", policy.SRPT, 1, 0.8, expo(1), srptMean(0.8, expo(1)), 16, 25000},
		{"M/H2/1 SRPT", policy.SRPT, 1, 0.7, h4, srptMean(0.7, h4), 16, 25000},
		{"M/BP/1 SRPT", policy.SRPT, 1, 0.7 / bp.mean(), bp, srptMean(0.7/bp.mean(), bp), 16, 25000},
		// M/G/1 LAS (Kleinrock vol. 2, §4.6).
		{"M/H2/1 LAS", policy.LAS, 1, 0.7, h4, lasMean(0.7, h4), 16, 25000},
		{"M/M/1 LAS", policy.LAS, 1, 0.7, expo(1), lasMean(0.7, expo(1)), 16, 25000},
		// M/M/2: FCFS (Erlang C) and PS with rate min(1, c/n) have the
		// same birth-death chain of the number present, so the same mean.
		{"M/M/2 FCFS", policy.FCFS, 2, 1.4, expo(1), mm2, 16, 25000},
		{"M/M/2 PS", policy.PS, 2, 1.4, expo(1), mm2, 16, 25000},
		{"M/M/2 RR(0.1s)", policy.RR(100 * time.Millisecond), 2, 1.4, expo(1), mm2, 16, 25000},
		{"M/M/2 LCFS-PR", policy.LCFSPR, 2, 1.4, expo(1), mm2, 16, 25000},
		{"M/M/2 LAS", policy.LAS, 2, 1.4, expo(1), mm2, 16, 25000},
		{"M/BP/1 LAS", policy.LAS, 1, 0.6 / bp.mean(), bp, lasMean(0.6/bp.mean(), bp), 16, 25000},
		// Weighted sharing that is blind to sizes leaves the number
		// present an M/M/1 chain: over all classes E[T] = 1/(μ-λ).
		{"M/M/1 FairShare", policy.FairShare(map[int]float64{1: 3}), 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
		{"M/M/1 DPS", policy.DPS, 1, 0.7, expo(1), 1 / 0.3, 16, 25000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mustServer(t, tt.p, tt.c)
			reps, n := size(tt.reps, tt.n)
			got := replicate(t, srv, reps, n, func(env *sim.Env, n int) iter.Seq[workload.Job] {
				src := source(env, n, tt.lambda, func(r *rand.Rand, _ int) float64 { return tt.d.sample(r) }, func(r *rand.Rand) int { return r.IntN(2) })
				return func(yield func(workload.Job) bool) {
					for j := range src {
						j.Weight = float64(1 + 2*j.Class) // DPS weights 1 and 3
						if !yield(j) {
							return
						}
					}
				}
			}, 1)[0]
			t.Logf("E[T] = %.4f ± %.4f, theory %.4f", got.mean, got.half, tt.want)
			if !got.covers(tt.want) {
				t.Errorf("E[T] = %.4f ± %.4f does not cover %.4f", got.mean, got.half, tt.want)
			}
		})
	}
}

// TestPriority checks two-class M/G/1 static priority against the
// class-wise formulas (Harchol-Balter, Performance Modeling and Design of
// Computer Systems, ch. 31-32). With σ_k = ρ_1 + ... + ρ_k and
// R = Σ_i λ_i E[S_i²]/2 over all classes:
// non-preemptive (Cobham): E[T_k] = E[S_k] + R/((1-σ_{k-1})(1-σ_k));
// preemptive-resume: E[T_k] = E[S_k]/(1-σ_{k-1}) + R_k/((1-σ_{k-1})(1-σ_k))
// with R_k summed over classes 1..k only.
func TestPriority(t *testing.T) {
	// Class 0 (high): 40% of arrivals, exponential sizes of mean 0.5 s;
	// class 1: exponential of mean 1.25 s. λ = 0.8/s in all.
	const lambda = 0.8
	l0, l1 := 0.4*lambda, 0.6*lambda
	m0, m1 := 0.5, 1.25
	r0, r1 := l0*m0, l1*m1           // 0.16, 0.6
	res0, res1 := l0*m0*m0, l1*m1*m1 // λE[S²]/2 = λ·mean² for exponential sizes
	np := []float64{m0 + (res0+res1)/(1-r0), m1 + (res0+res1)/((1-r0)*(1-r0-r1))}
	pr := []float64{m0 + res0/(1-r0), m1/(1-r0) + (res0+res1)/((1-r0)*(1-r0-r1))}
	for _, tt := range []struct {
		p    policy.Policy
		want []float64
	}{{policy.Priority(false), np}, {policy.Priority(true), pr}} {
		t.Run(tt.p.Name(), func(t *testing.T) {
			t.Parallel()
			reps, n := size(16, 30000)
			got := replicate(t, mustServer(t, tt.p, 1), reps, n, func(env *sim.Env, n int) iter.Seq[workload.Job] {
				return source(env, n, lambda, func(r *rand.Rand, c int) float64 {
					return r.ExpFloat64() * [2]float64{m0, m1}[c]
				}, func(r *rand.Rand) int {
					if r.Float64() < 0.4 {
						return 0
					}
					return 1
				})
			}, 2)
			for c := range 2 {
				t.Logf("class %d: E[T] = %.4f ± %.4f, theory %.4f", c, got[c].mean, got[c].half, tt.want[c])
				if !got[c].covers(tt.want[c]) {
					t.Errorf("class %d: E[T] = %.4f ± %.4f does not cover %.4f", c, got[c].mean, got[c].half, tt.want[c])
				}
			}
		})
	}
}

// TestFarmTheory checks dispatchers against theory: random dispatch to k
// M/M/1 FCFS members makes each an M/M/1 queue at rate λ/k, E[T] =
// 1/(μ-λ/k); round-robin makes each an E_k/M/1 queue, E[T] = 1/(μ(1-σ))
// with σ the root in (0, 1) of σ = (λ/(λ+μ(1-σ)))^k (Kleinrock vol. 1,
// §6.4, GI/M/1, with Erlang-k interarrival times of phase rate λ).
func TestFarmTheory(t *testing.T) {
	const k, lambda = 3, 2.1 // load 0.7 per member
	sigma := 0.5
	for range 200 {
		sigma = math.Pow(lambda/(lambda+1-sigma), k)
	}
	fcfs := mustServer(t, policy.FCFS, 1)
	for _, tt := range []struct {
		d    policy.Dispatcher
		want float64
	}{
		{policy.Random("dispatch"), 1 / (1 - lambda/k)},
		{policy.RoundRobinDispatch(), 1 / (1 - sigma)},
	} {
		t.Run(tt.d.Name(), func(t *testing.T) {
			t.Parallel()
			f, _ := policy.NewFarm(tt.d, fcfs, fcfs, fcfs)
			reps, n := size(16, 30000)
			got := replicate(t, f, reps, n, func(env *sim.Env, n int) iter.Seq[workload.Job] {
				return source(env, n, lambda, func(r *rand.Rand, _ int) float64 { return r.ExpFloat64() }, nil)
			}, 1)[0]
			t.Logf("E[T] = %.4f ± %.4f, theory %.4f", got.mean, got.half, tt.want)
			if !got.covers(tt.want) {
				t.Errorf("E[T] = %.4f ± %.4f does not cover %.4f", got.mean, got.half, tt.want)
			}
		})
	}
}

// TestDPS checks two-class M/M/1 discriminatory processor sharing
// against Fayolle, Mitrani and Iasnogorodski ("Sharing a processor among
// many job classes", JACM 27(3), 1980): with weights g and size rates μ,
// the mean response times solve the linear system
// T_k - Σ_j λ_j g_j (T_k + T_j)/(μ_j g_j + μ_k g_k) = 1/μ_k.
// (With equal weights and rates it gives PS's 1/(μ(1-ρ)).)
func TestDPS(t *testing.T) {
	const lambda = 0.7
	l := [2]float64{0.5 * lambda, 0.5 * lambda}
	g := [2]float64{1, 4}
	mu := [2]float64{1, 1.0 / 0.8}
	// a·T = 1/μ, solved by Cramer's rule.
	var a [2][2]float64
	for k := range 2 {
		a[k][k] = 1
		for j := range 2 {
			c := l[j] * g[j] / (mu[j]*g[j] + mu[k]*g[k])
			a[k][k] -= c
			a[k][j] -= c
		}
	}
	det := a[0][0]*a[1][1] - a[0][1]*a[1][0]
	want := []float64{(a[1][1]/mu[0] - a[0][1]/mu[1]) / det, (a[0][0]/mu[1] - a[1][0]/mu[0]) / det}
	reps, n := size(16, 30000)
	got := replicate(t, mustServer(t, policy.DPS, 1), reps, n, func(env *sim.Env, n int) iter.Seq[workload.Job] {
		src := source(env, n, lambda, func(r *rand.Rand, c int) float64 { return r.ExpFloat64() / mu[c] }, func(r *rand.Rand) int { return r.IntN(2) })
		return func(yield func(workload.Job) bool) {
			for j := range src {
				j.Weight = g[j.Class]
				if !yield(j) {
					return
				}
			}
		}
	}, 2)
	for c := range 2 {
		t.Logf("class %d: E[T] = %.4f ± %.4f, theory %.4f", c, got[c].mean, got[c].half, want[c])
		if !got[c].covers(want[c]) {
			t.Errorf("class %d: E[T] = %.4f ± %.4f does not cover %.4f", c, got[c].mean, got[c].half, want[c])
		}
	}
}

// TestConditional checks SRPT's and LAS's response times conditioned on
// the size, E[T | a ≤ S < b] = ∫_a^b E[T(x)] dF(x) / (F(b)-F(a)), with
// E[T(x)] as in srptMean and lasMean, over four size bands of M/H2/1 at
// load 0.7.
func TestConditional(t *testing.T) {
	const lambda = 0.7
	d := hyper(4)
	bands := []float64{0, 0.25, 1, 4, d.hi}
	band := func(x time.Duration) int {
		k := 0
		for k < len(bands)-2 && x.Seconds() >= bands[k+1] {
			k++
		}
		return k
	}
	for _, tt := range []struct {
		p  policy.Policy
		tx func(float64) float64
	}{{policy.SRPT, srptT(lambda, d)}, {policy.LAS, lasT(lambda, d)}} {
		t.Run(tt.p.Name(), func(t *testing.T) {
			t.Parallel()
			reps, n := size(16, 25000)
			got := replicate(t, mustServer(t, tt.p, 1), reps, n, func(env *sim.Env, n int) iter.Seq[workload.Job] {
				src := source(env, n, lambda, func(r *rand.Rand, _ int) float64 { return d.sample(r) }, nil)
				return func(yield func(workload.Job) bool) {
					for j := range src {
						j.Class = band(j.Size)
						if !yield(j) {
							return
						}
					}
				}
			}, len(bands)-1)
			for k := range len(bands) - 1 {
				a, b := bands[k], bands[k+1]
				want := integral(func(x float64) float64 { return tt.tx(x) * d.pdf(x) }, a, b) / (d.cdf(b) - d.cdf(a))
				name := fmt.Sprintf("S in [%g, %g)", a, b)
				if k == len(bands)-2 {
					name = fmt.Sprintf("S ≥ %g", a)
				}
				t.Logf("%s: E[T] = %.4f ± %.4f, theory %.4f", name, got[k].mean, got[k].half, want)
				if !got[k].covers(want) {
					t.Errorf("%s: E[T] = %.4f ± %.4f does not cover %.4f", name, got[k].mean, got[k].half, want)
				}
			}
		})
	}
}
