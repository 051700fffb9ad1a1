package workload

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestDistMoments checks each distribution's Mean and Variance against
// the closed forms, then its sample mean and variance against them.
//
// With n draws, the sample mean is within z·σ/√n of the mean, and the
// sample variance within z·√((μ₄ − σ⁴)/n) of the variance, by the central
// limit theorem (Casella and Berger, Statistical Inference, 2nd ed.,
// §5.5; the variance of s² is (μ₄ − σ⁴)/n + O(1/n²)). μ₄ is estimated
// from the sample. z = 4 makes a false alarm a 1-in-15,000 event; the
// streams are seeded, so the test is deterministic anyway.
func TestDistMoments(t *testing.T) {
	const n, z = 200_000, 4.0
	bp := func(alpha, lo, hi, k float64) float64 { // E[X^k], k ≠ alpha, by direct integration
		return alpha * math.Pow(lo, alpha) / (1 - math.Pow(lo/hi, alpha)) *
			(math.Pow(hi, k-alpha) - math.Pow(lo, k-alpha)) / (k - alpha)
	}
	bpMean := bp(1.5, 1, 1e3, 1)
	bpVar := bp(1.5, 1, 1e3, 2) - bpMean*bpMean
	// alpha = 1 and 2: the logarithmic cases of the moment formula.
	bp1Mean := 1 * 2 * math.Log(5) / (1 - 0.2) // k = α = 1: αL^α ln(H/L)/(1 − (L/H)^α), L = 2, H = 10
	bp2M2 := 2 * 4 * math.Log(5) / (1 - 0.04)  // k = α = 2, L = 2, H = 10
	bp2Mean := bp(2, 2, 10, 1)
	wMean := 2 * math.Gamma(1+1/0.7)
	wVar := 4*math.Gamma(1+2/0.7) - wMean*wMean
	tests := []struct {
		name       string
		d          Dist
		mean, var_ float64
	}{
		{"Exp(mean=2)", Must(Exponential(2)), 2, 4},
		{"Det(3)", Must(Deterministic(3)), 3, 0},
		{"Erlang(k=4, mean=2)", Must(Erlang(4, 2)), 2, 1},
		{"Hyperexp(p=[0.3 0.7], mean=[1 5])", Must(Hyperexponential([]float64{0.3, 0.7}, []float64{1, 5})),
			0.3 + 3.5, 2*(0.3+0.7*25) - 3.8*3.8},
		{"Hyperexp(p=[0.9472135954999579 0.05278640450004213], mean=[0.5278640450004206 9.472135954999567])",
			Must(H2(1, 9)), 1, 9},
		{"Lognormal(mean=2, cv=1.5)", Must(Lognormal(2, 1.5)), 2, 9},
		{"Weibull(shape=0.7, scale=2)", Must(Weibull(0.7, 2)), wMean, wVar},
		{"BoundedPareto(alpha=1.5, lo=1, hi=1000)", Must(BoundedPareto(1.5, 1, 1e3)), bpMean, bpVar},
		{"BoundedPareto(alpha=1, lo=2, hi=10)", Must(BoundedPareto(1, 2, 10)), bp1Mean, bp(1, 2, 10, 2) - bp1Mean*bp1Mean},
		{"BoundedPareto(alpha=2, lo=2, hi=10)", Must(BoundedPareto(2, 2, 10)), bp2Mean, bp2M2 - bp2Mean*bp2Mean},
		{"Gamma(shape=2.5, scale=0.8)", Must(Gamma(2.5, 0.8)), 2, 1.6},                                     // kθ, kθ²
		{"Gamma(shape=0.4, scale=5)", Must(Gamma(0.4, 5)), 2, 10},                                          // shape < 1
		{"Triangular(lo=1, mode=2, hi=6)", Must(Triangular(1, 2, 6)), 3, (1 + 4 + 36 - 2 - 6 - 12) / 18.0}, // (a+b+c)/3, (a²+b²+c²−ab−ac−bc)/18
		{"Triangular(lo=0, mode=0, hi=3)", Must(Triangular(0, 0, 3)), 1, 9 / 18.0},
		{"Uniform(0.5, 1.5)", Must(Uniform(0.5, 1.5)), 1, 1.0 / 12},
		{"Empirical(n=3)", Must(Empirical([]float64{1, 2, 10}, []float64{1, 0, 3})), (1 + 30) / 4.0, (1+300)/4.0 - (31/4.0)*(31/4.0)},
		{"2×Exp(mean=1.5)", Must(Scale(Must(Exponential(1.5)), 2)), 3, 9},
		{"6×Erlang(k=2, mean=1)", Must(Scale(Must(Scale(Must(Erlang(2, 1)), 2)), 3)), 6, 18},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.name {
				t.Errorf("String() = %q, want %q", got, tt.name)
			}
			if !close(tt.d.Mean(), tt.mean, 1e-12) || !close(tt.d.Variance(), tt.var_, 1e-9) {
				t.Fatalf("Mean, Variance = %v, %v; want %v, %v", tt.d.Mean(), tt.d.Variance(), tt.mean, tt.var_)
			}
			r := rand.New(rand.NewPCG(uint64(i), 7))
			xs := make([]float64, n)
			var sum float64
			for j := range xs {
				x := tt.d.Rand(r)
				if !(x >= 0) {
					t.Fatalf("draw %d = %v; want >= 0", j, x)
				}
				xs[j] = x
				sum += x
			}
			m := sum / n
			var m2, m4 float64
			for _, x := range xs {
				d := (x - m) * (x - m)
				m2 += d
				m4 += d * d
			}
			m2 /= n - 1
			m4 /= n
			if tol := z * math.Sqrt(tt.var_/n); math.Abs(m-tt.mean) > tol {
				t.Errorf("sample mean %v; want %v ± %v", m, tt.mean, tol)
			}
			if tol := z * math.Sqrt(math.Max(m4-m2*m2, 0)/n); math.Abs(m2-tt.var_) > tol {
				t.Errorf("sample variance %v; want %v ± %v", m2, tt.var_, tol)
			}
		})
	}
}

// close reports whether a and b agree within a relative tolerance.
func close(a, b, rel float64) bool {
	return a == b || math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func TestBoundedParetoStaysInBounds(t *testing.T) {
	d := Must(BoundedPareto(0.5, 1, 1e9))
	r := rand.New(rand.NewPCG(3, 3))
	for range 100_000 {
		if x := d.Rand(r); x < 1 || x > 1e9 {
			t.Fatalf("draw %v outside [1, 1e9]", x)
		}
	}
}

// TestEmpiricalFrequencies checks the alias table's frequencies, and
// that a value of weight 0 is never drawn. Each count is binomial: within
// z·√(np(1−p)) of np, z = 4.
func TestEmpiricalFrequencies(t *testing.T) {
	weights := []float64{5, 0, 1, 3, 0, 1e-3, 11, 0}
	d := Must(Empirical([]float64{0, 1, 2, 3, 4, 5, 6, 7}, weights))
	r := rand.New(rand.NewPCG(5, 5))
	const n = 200_000
	var count [8]int
	for range n {
		count[int(d.Rand(r))]++
	}
	var total float64
	for _, w := range weights {
		total += w
	}
	for i, w := range weights {
		p := w / total
		if w == 0 && count[i] != 0 {
			t.Errorf("value %d of weight 0 drawn %d times", i, count[i])
		}
		if tol := 4 * math.Sqrt(n*p*(1-p)); math.Abs(float64(count[i])-n*p) > tol {
			t.Errorf("value %d: %d draws; want %.0f ± %.0f", i, count[i], n*p, tol)
		}
	}
}

func TestDistErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"Exponential(0)", second(Exponential(0)), "workload: invalid parameter: Exponential mean = 0; want a finite number > 0"},
		{"Exponential(NaN)", second(Exponential(nan)), "workload: invalid parameter: Exponential mean = NaN; want a finite number > 0"},
		{"Exponential(+Inf)", second(Exponential(math.Inf(1))), "workload: invalid parameter: Exponential mean = +Inf; want a finite number > 0"},
		{"Deterministic(-1)", second(Deterministic(-1)), "workload: invalid parameter: Deterministic value = -1; want a finite number >= 0"},
		{"Erlang(0, 1)", second(Erlang(0, 1)), "workload: invalid parameter: Erlang k = 0; want k >= 1"},
		{"Erlang(2, -1)", second(Erlang(2, -1)), "workload: invalid parameter: Erlang mean = -1; want a finite number > 0"},
		{"Hyperexponential lengths", second(Hyperexponential([]float64{1}, nil)), "workload: invalid parameter: Hyperexponential has 1 probabilities and 0 means; want the same number, at least one"},
		{"Hyperexponential sum", second(Hyperexponential([]float64{0.5, 0.6}, []float64{1, 2})), "workload: invalid parameter: Hyperexponential probabilities add up to 1.1; want 1"},
		{"Hyperexponential negative", second(Hyperexponential([]float64{-0.5, 1.5}, []float64{1, 2})), "workload: invalid parameter: Hyperexponential probs[0] = -0.5; want a finite number >= 0"},
		{"Hyperexponential mean", second(Hyperexponential([]float64{1}, []float64{0})), "workload: invalid parameter: Hyperexponential means[0] = 0; want a finite number > 0"},
		{"H2(1, 0.5)", second(H2(1, 0.5)), "workload: invalid parameter: H2 scv = 0.5; want a finite squared coefficient of variation >= 1"},
		{"Lognormal(1, 0)", second(Lognormal(1, 0)), "workload: invalid parameter: Lognormal cv = 0; want a finite number > 0"},
		{"Weibull(0, 1)", second(Weibull(0, 1)), "workload: invalid parameter: Weibull shape = 0; want a finite number > 0"},
		{"BoundedPareto(1, 5, 5)", second(BoundedPareto(1, 5, 5)), "workload: invalid parameter: BoundedPareto lo = 5, hi = 5; want lo < hi"},
		{"BoundedPareto(1, 0, 5)", second(BoundedPareto(1, 0, 5)), "workload: invalid parameter: BoundedPareto lo = 0; want a finite number > 0"},
		{"Uniform(2, 1)", second(Uniform(2, 1)), "workload: invalid parameter: Uniform lo = 2, hi = 1; want lo < hi"},
		{"Uniform(-1, 1)", second(Uniform(-1, 1)), "workload: invalid parameter: Uniform lo = -1; want a finite number >= 0"},
		{"Empirical empty", second(Empirical(nil, nil)), "workload: invalid parameter: Empirical has no values; want at least one"},
		{"Empirical zero weights", second(Empirical([]float64{1}, []float64{0})), "workload: invalid parameter: Empirical weights add up to 0; want a finite sum > 0"},
		{"Empirical value", second(Empirical([]float64{nan}, nil)), "workload: invalid parameter: Empirical values[0] = NaN; want a finite number >= 0"},
		{"Scale", second(Scale(Must(Exponential(1)), 0)), "workload: invalid parameter: Scale factor = 0; want a finite number > 0"},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, ErrInvalid) {
			t.Errorf("%s: error %v; want %q wrapping ErrInvalid", tt.name, tt.err, tt.want)
		}
	}
}

func second(_ Dist, err error) error { return err }

func TestMustPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "workload.Must: workload: invalid parameter: Exponential mean = -1; want a finite number > 0" {
			t.Errorf("recover() = %v", r)
		}
	}()
	Must(Exponential(-1))
}

func TestToDuration(t *testing.T) {
	tests := []struct {
		x    float64
		unit time.Duration
		want time.Duration
		err  string
	}{
		{1.5, time.Second, 1500 * time.Millisecond, ""},
		{0.1, time.Second, 100 * time.Millisecond, ""},
		{2.5e-9, time.Second, 3, ""},   // half away from zero
		{-2.5e-9, time.Second, -3, ""}, // half away from zero
		{0.4, time.Nanosecond, 1, ""},  // a non-zero quantity never rounds to zero
		{-1e-12, time.Second, -1, ""},  // of either sign
		{0, time.Second, 0, ""},
		{1, time.Hour, time.Hour, ""},
		{9.3e9, time.Second, 0, "workload: value out of range: 9.3e+09 × 1s does not fit a time.Duration (±292 years)"},
		{math.NaN(), time.Second, 0, "workload: value out of range: NaN × 1s does not fit a time.Duration (±292 years)"},
		{1, 0, 0, "workload: invalid parameter: unit 0s; want a unit > 0 (such as time.Second)"},
	}
	for _, tt := range tests {
		got, err := ToDuration(tt.x, tt.unit)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ToDuration(%v, %v) error %v; want %q", tt.x, tt.unit, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ToDuration(%v, %v) = %v, %v; want %v", tt.x, tt.unit, got, err, tt.want)
		}
	}
}
