package workload

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestArrivalsLongRunRate checks each process's mean interarrival time
// against 1/Rate. Interarrival times of MMPP and OnOff are correlated, so
// the interval is by batch means: 50 batches of 4,000, whose means are
// close to independent and normal when a batch is much longer than the
// correlation (Law, Simulation Modeling and Analysis, 5th ed., §9.5.3);
// the half-width is z·s/√50 with z = 4.
func TestArrivalsLongRunRate(t *testing.T) {
	const batches, size, z = 50, 4000, 4.0
	tests := []struct {
		name string
		a    Arrivals
		rate float64
	}{
		{"Poisson(rate=2)", Must(Poisson(2)), 2},
		{"Periodic(0.25)", Must(Periodic(0.25)), 4},
		{"Renewal(Hyperexp(p=[0.5 0.5], mean=[0.5 1.5]))", Must(Renewal(Must(Hyperexponential([]float64{0.5, 0.5}, []float64{0.5, 1.5})))), 1},
		// π₀ = 0.1/(1 + 0.1) = 1/11: rate = 10·(1/11) + 0.1·(10/11) = 1.
		{"MMPP(rates=[10 0.1], switches=[1 0.1])", Must(MMPP(10, 0.1, 1, 0.1)), 1},
		// π₁ = 2/(2 + 3): rate = 5·2/5 = 2.
		{"MMPP(rates=[0 5], switches=[2 3])", Must(MMPP(0, 5, 2, 3)), 2},
		// E[on] = 1, E[off] = 3: rate = 8/4 = 2.
		{"OnOff(rate=8, on=Exp(mean=1), off=Uniform(2, 4))", Must(OnOff(8, Must(Exponential(1)), Must(Uniform(2, 4)))), 2},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.name {
				t.Errorf("String() = %q, want %q", got, tt.name)
			}
			if !close(tt.a.Rate(), tt.rate, 1e-12) || !close(tt.a.Mean(), 1/tt.rate, 1e-12) {
				t.Fatalf("Rate, Mean = %v, %v; want %v, %v", tt.a.Rate(), tt.a.Mean(), tt.rate, 1/tt.rate)
			}
			s := tt.a.Start(rand.New(rand.NewPCG(uint64(i), 11)))
			var sum, sum2 float64
			for range batches {
				var b float64
				for range size {
					x := s.Next()
					if !(x >= 0) {
						t.Fatalf("interarrival %v; want >= 0", x)
					}
					b += x
				}
				b /= size
				sum += b
				sum2 += b * b
			}
			m := sum / batches
			sd := math.Sqrt(math.Max(0, (sum2-batches*m*m)/(batches-1)))
			want := 1 / tt.rate
			if tol := z*sd/math.Sqrt(batches) + 1e-12; math.Abs(m-want) > tol {
				t.Errorf("mean interarrival %v; want %v ± %v", m, want, tol)
			}
		})
	}
}

// TestMMPPIsBursty checks that the MMPP's interarrival times have a
// squared coefficient of variation above 1 (a Poisson process has 1).
func TestMMPPIsBursty(t *testing.T) {
	s := Must(MMPP(10, 0.1, 1, 0.1)).Start(rand.New(rand.NewPCG(1, 1)))
	var sum, sum2 float64
	const n = 100_000
	for range n {
		x := s.Next()
		sum += x
		sum2 += x * x
	}
	m := sum / n
	if scv := (sum2/n - m*m) / (m * m); scv < 5 {
		t.Errorf("scv %v; want > 5 for this bursty MMPP", scv)
	}
}

func TestArrivalsErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"Poisson(0)", secondA(Poisson(0)), "workload: invalid parameter: Poisson rate = 0; want a finite number > 0"},
		{"Periodic(NaN)", secondA(Periodic(math.NaN())), "workload: invalid parameter: Periodic interval = NaN; want a finite number > 0"},
		{"Renewal(Det(0))", secondA(Renewal(Must(Deterministic(0)))), "workload: invalid parameter: Renewal mean interarrival = 0; want a finite number > 0"},
		{"MMPP(0, 0, 1, 1)", secondA(MMPP(0, 0, 1, 1)), "workload: invalid parameter: MMPP rates are both 0; want at least one > 0"},
		{"MMPP(1, -1, 1, 1)", secondA(MMPP(1, -1, 1, 1)), "workload: invalid parameter: MMPP rate1 = -1; want a finite number >= 0"},
		{"MMPP(1, 1, 0, 1)", secondA(MMPP(1, 1, 0, 1)), "workload: invalid parameter: MMPP switch0 = 0; want a finite number > 0"},
		{"OnOff(0, ...)", secondA(OnOff(0, Must(Exponential(1)), Must(Exponential(1)))), "workload: invalid parameter: OnOff rate = 0; want a finite number > 0"},
		{"OnOff(1, Det(0), ...)", secondA(OnOff(1, Must(Deterministic(0)), Must(Exponential(1)))), "workload: invalid parameter: OnOff mean on period = 0; want a finite number > 0"},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, ErrInvalid) {
			t.Errorf("%s: error %v; want %q wrapping ErrInvalid", tt.name, tt.err, tt.want)
		}
	}
}

func secondA(_ Arrivals, err error) error { return err }
