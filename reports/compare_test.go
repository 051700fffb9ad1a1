package reports

import (
	"errors"
	"math"
	"testing"
)

// The sleep data of Student (1908), from Cushny and Peebles: extra hours of
// sleep of 10 patients under two drugs; R's datasets::sleep.
var (
	sleep1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleep2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func TestPairedTSleep(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep, paired = TRUE) prints
	// t = -4.0621, df = 9, p-value = 0.002833, 95 percent confidence
	// interval -2.4598858 -0.7001142, mean difference -1.58.
	c, err := PairedT(sleep1, sleep2, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if c.Method != MethodPaired || c.NX != 10 || c.NY != 10 || c.DF != 9 {
		t.Errorf("method %q, n %d/%d, df %v", c.Method, c.NX, c.NY, c.DF)
	}
	checkNear(t, "Diff", c.Diff, -1.58, 1e-14)
	checkNear(t, "MeanX", c.MeanX, 0.75, 1e-14)
	checkNear(t, "MeanY", c.MeanY, 2.33, 1e-14)
	checkNear(t, "T", c.T, -4.0621, 5e-5)
	checkNear(t, "P", c.P, 0.002833, 5e-7)
	checkNear(t, "Low", c.Low, -2.4598858, 5e-8)
	checkNear(t, "High", c.High, -0.7001142, 5e-8)
	if !c.Significant() || c.Level != 0.95 {
		t.Errorf("Significant %v, Level %v", c.Significant(), c.Level)
	}
}

func TestWelchTSleep(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep) (Welch by default) prints
	// t = -1.8608, df = 17.776, p-value = 0.07939, 95 percent confidence
	// interval -3.3654832 0.2054832, means 0.75 and 2.33.
	c, err := WelchT(sleep1, sleep2, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if c.Method != MethodWelch {
		t.Errorf("Method = %q", c.Method)
	}
	checkNear(t, "Diff", c.Diff, -1.58, 1e-14)
	checkNear(t, "T", c.T, -1.8608, 5e-5)
	checkNear(t, "DF", c.DF, 17.776, 5e-4)
	checkNear(t, "P", c.P, 0.07939, 5e-6)
	checkNear(t, "Low", c.Low, -3.3654832, 5e-8)
	checkNear(t, "High", c.High, 0.2054832, 5e-8)
	if c.Significant() {
		t.Error("Significant = true for p = 0.079")
	}
}

// tTwoSidedP computes 2·P(T_ν > |t|) = 1 - 2∫_0^|t| f_ν(u) du by Simpson's
// rule on the density f_ν(u) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) ·
// (1 + u²/ν)^(-(ν+1)/2), independently of gonum's incomplete beta function.
func tTwoSidedP(t, nu float64) float64 {
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg2, _ := math.Lgamma(nu / 2)
	c := math.Exp(lg1-lg2) / math.Sqrt(nu*math.Pi)
	f := func(u float64) float64 { return c * math.Pow(1+u*u/nu, -(nu+1)/2) }
	const n = 20000
	a, b := 0.0, math.Abs(t)
	h := (b - a) / n
	sum := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(a+float64(i)*h)
	}
	return 1 - 2*sum*h/3
}

func TestWelchTHand(t *testing.T) {
	// x = 1..5: mean 3, variance 2.5; y = 2,4,...,10: mean 6, variance 10.
	// Standard error² = 2.5/5 + 10/5 = 2.5; t = -3/√2.5 = -1.8973666;
	// df = 2.5² / (0.5²/4 + 2²/4) = 6.25/1.0625 = 5.8823529;
	// t_{0.975, 5.882} from gonum, the p-value by numerical integration.
	c, err := WelchT([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 6, 8, 10}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "Diff", c.Diff, -3, 1e-15)
	checkNear(t, "StdErr", c.StdErr, math.Sqrt(2.5), 1e-15)
	checkNear(t, "T", c.T, -3/math.Sqrt(2.5), 1e-14)
	checkNear(t, "DF", c.DF, 6.25/1.0625, 1e-14)
	checkNear(t, "P", c.P, tTwoSidedP(c.T, 6.25/1.0625), 1e-9)
	tc, _ := TCritical(0.95, 6.25/1.0625)
	checkNear(t, "HalfWidth", c.HalfWidth, tc*math.Sqrt(2.5), 1e-14)
	// The p-value and the interval agree: at level 1-P the interval just
	// touches 0.
	edge, _ := WelchT([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 6, 8, 10}, 1-c.P)
	checkNear(t, "High at level 1-P", edge.High, 0, 1e-9)
}

func TestPairedTHand(t *testing.T) {
	// Differences 1, 2, 3, 6: mean 3, squared deviations 4+1+0+9 = 14,
	// sd √(14/3), standard error √(14/3)/2 = 1.0801234, t = 2.7774603, df 3;
	// t_{0.975,3} = 3.182 (table), so not significant.
	x := []float64{11, 12, 13, 16}
	y := []float64{10, 10, 10, 10}
	c, err := PairedT(x, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	se := math.Sqrt(14.0/3) / 2
	checkNear(t, "StdErr", c.StdErr, se, 1e-15)
	checkNear(t, "T", c.T, 3/se, 1e-14)
	checkNear(t, "P", c.P, tTwoSidedP(3/se, 3), 1e-9)
	checkNear(t, "HalfWidth", c.HalfWidth, 3.182*se, 5e-4)
	if c.Significant() {
		t.Error("Significant = true")
	}
}

func TestCompareZeroVariance(t *testing.T) {
	// Every difference equal: the interval is a point, T infinite, P 0.
	c, err := PairedT([]float64{3, 4, 5}, []float64{1, 2, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if c.Diff != 2 || c.StdErr != 0 || !math.IsInf(c.T, 1) || c.P != 0 || c.Low != 2 || c.High != 2 || !c.Significant() {
		t.Errorf("constant difference: %+v", c)
	}
	// Identical samples: T 0, P 1.
	c, _ = PairedT([]float64{1, 2}, []float64{1, 2}, 0.95)
	if c.T != 0 || c.P != 1 || c.HalfWidth != 0 || c.Significant() {
		t.Errorf("identical samples: %+v", c)
	}
	// Welch with two constant samples: df falls back to nx+ny-2.
	w, err := WelchT([]float64{1, 1, 1}, []float64{2, 2}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if w.DF != 3 || !math.IsInf(w.T, -1) || w.P != 0 || w.Low != -1 || w.High != -1 {
		t.Errorf("constant samples: %+v", w)
	}
	// One constant sample: df is the other's n-1.
	w, _ = WelchT([]float64{1, 1, 1}, []float64{1, 2, 3, 4}, 0.95)
	checkNear(t, "DF", w.DF, 3, 1e-14)
}

func TestCompareErrors(t *testing.T) {
	if _, err := PairedT([]float64{1, 2, 3}, []float64{1, 2}, 0.95); !errors.Is(err, ErrLengthMismatch) {
		t.Errorf("lengths 3 and 2: %v, want ErrLengthMismatch", err)
	}
	if _, err := PairedT([]float64{1}, []float64{1}, 0.95); !errors.Is(err, ErrTooFew) {
		t.Errorf("one pair: %v, want ErrTooFew", err)
	}
	if _, err := WelchT([]float64{1, 2}, []float64{1}, 0.95); !errors.Is(err, ErrTooFew) {
		t.Errorf("Welch with one value: %v, want ErrTooFew", err)
	}
	if _, err := WelchT([]float64{1, 2}, []float64{1, 3}, 1); !errors.Is(err, ErrLevel) {
		t.Errorf("level 1: %v, want ErrLevel", err)
	}
	if _, err := PairedT([]float64{1, 2}, []float64{1, math.NaN()}, 0.95); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v, want ErrNotFinite", err)
	}
}
