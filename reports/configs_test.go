package reports

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// queueConfig returns a model of a configuration whose "wait" is a common
// random part plus shift (the same draws in every configuration of a
// replication: common random numbers), a class "b" of about 0.7 customers
// per replication, so that it has none in some replications (its mean
// "b.mean" is then NaN, missing), and its pooled parts "b.total" and
// "b.count" for a ratio estimator.
func queueConfig(shift float64) Model {
	return func(rep Replication) (Metrics, error) {
		r := rand.New(rand.NewPCG(rep.Seed, 1))
		var w float64
		for range 10 {
			w += r.ExpFloat64()
		}
		nb := 0
		var tb float64
		for r.Float64() < 0.4 { // geometric number of class-b customers, mean 2/3
			nb++
			tb += r.ExpFloat64() + shift
		}
		spin := 0.0
		for i := range int(rep.Seed % 10000) { // replications finish out of order
			spin += float64(i)
		}
		_ = spin
		return Metrics{"wait": w/10 + shift, "b.mean": tb / float64(nb), "b.total": tb, "b.count": float64(nb)}, nil
	}
}

var queueConfigs = []Config{{"fast", queueConfig(0)}, {"slow", queueConfig(0.5)}, {"slower", queueConfig(1)}}

var bRatio = []Ratio{{Name: "b.wait", Num: "b.total", Den: "b.count"}}

func TestReplicateConfigsWorkersIdentical(t *testing.T) {
	var first ConfigsResult
	var firstText []byte
	for _, workers := range []int{1, 2, 8} {
		exp := Experiment{Replications: 30, Seed: 7, Workers: workers}
		res, err := ReplicateConfigs(context.Background(), exp, ConfigsOptions{Ratios: bRatio}, queueConfigs...)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteConfigsText(&b, res); err != nil {
			t.Fatal(err)
		}
		if err := WriteConfigsMarkdown(&b, res); err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			first, firstText = res, b.Bytes()
			continue
		}
		if !bytes.Equal(b.Bytes(), firstText) {
			t.Errorf("workers %d: report differs from workers 1:\n%s\nwant\n%s", workers, b.Bytes(), firstText)
		}
		if !reflect.DeepEqual(res, first) {
			t.Errorf("workers %d: result differs from workers 1", workers)
		}
	}
}

// TestReplicateConfigsAgreesWithPairedT recomputes every plain comparison
// with PairedT on the values of the result (where both are present), and
// checks the missing bookkeeping and the summaries against Summarize.
func TestReplicateConfigsAgreesWithPairedT(t *testing.T) {
	res, err := ReplicateConfigs(context.Background(), Experiment{Replications: 30, Seed: 7}, ConfigsOptions{Baseline: "slow", Ratios: bRatio}, queueConfigs...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Baseline != "slow" || res.Replications != 30 || len(res.Configs) != 3 {
		t.Fatalf("result header %q %d %d", res.Baseline, res.Replications, len(res.Configs))
	}
	base, _ := res.Config("slow")
	for _, c := range res.Configs {
		if got := len(c.Metrics); got != 5 {
			t.Fatalf("%s: %d metrics; want b.count, b.mean, b.total, wait, b.wait", c.Name, got)
		}
		for _, m := range c.Metrics {
			bm, _ := base.Metric(m.Name)
			present := func(mm ConfigMetric) []bool {
				ok := make([]bool, len(mm.Values))
				for i := range ok {
					ok[i] = !containsInt(mm.Missing, i)
				}
				return ok
			}
			ok, bok := present(m), present(bm)
			if m.Ratio {
				continue // TestConfigsRatio
			}
			if want, _ := Summarize(pick(m.Values, ok), 0.95); m.Summary != want && !(len(pick(m.Values, ok)) == 0 && m.Summary == (Summary{})) {
				t.Errorf("%s %s: summary %+v; want %+v", c.Name, m.Name, m.Summary, want)
			}
			if c.Name == "slow" {
				if m.Versus != nil {
					t.Errorf("baseline %s has a comparison", m.Name)
				}
				continue
			}
			both := and(ok, bok)
			want, err := PairedT(pick(m.Values, both), pick(bm.Values, both), 0.95)
			if err != nil || m.Versus == nil || *m.Versus != want {
				t.Errorf("%s %s: Versus %+v; PairedT gives %+v, %v", c.Name, m.Name, m.Versus, want, err)
			}
		}
	}
	fast, _ := res.Config("fast")
	w, _ := fast.Metric("wait")
	if v := w.Versus; v.Diff > -0.5+1e-9 || v.Diff < -0.5-1e-9 || v.HalfWidth > 1e-9 {
		t.Errorf("fast vs slow wait: %+v; want exactly -0.5 (common random numbers)", v)
	}
	bm, _ := fast.Metric("b.mean")
	if len(bm.Missing) == 0 || bm.Summary.N != 30-len(bm.Missing) {
		t.Errorf("b.mean: missing %v, N %d; want some replications without class b", bm.Missing, bm.Summary.N)
	}
}

func containsInt(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestConfigsRatio checks the ratio estimators: with every denominator 1
// it is Summarize of the numerators and its paired comparison PairedT's;
// and the pooled figures of the experiment equal SummarizeRatio's.
func TestConfigsRatio(t *testing.T) {
	x := []float64{1.5, 2, 0.3, 4, 2.2, 1}
	y := []float64{1.1, 2.4, 0.1, 3, 2, 1.2}
	ones := []float64{1, 1, 1, 1, 1, 1}
	got, err := SummarizeRatio(x, ones, 0.95)
	want, _ := Summarize(x, 0.95)
	if err != nil || !closeSummary(got, want) {
		t.Errorf("SummarizeRatio(x, 1) = %+v, %v; want %+v", got, err, want)
	}
	if got, want := got.StdErr(), want.StdDev/math.Sqrt(6); math.Abs(got-want) > 1e-12 {
		t.Errorf("StdErr = %v; want %v", got, want)
	}
	c, ok := pairedRatio(x, ones, y, ones, 0.95)
	p, _ := PairedT(x, y, 0.95)
	if !ok || math.Abs(c.Diff-p.Diff) > 1e-12 || math.Abs(c.HalfWidth-p.HalfWidth) > 1e-12 || math.Abs(c.P-p.P) > 1e-9 {
		t.Errorf("pairedRatio with unit denominators %+v; PairedT %+v", c, p)
	}
	res, err := ReplicateConfigs(context.Background(), Experiment{Replications: 30, Seed: 7}, ConfigsOptions{Ratios: bRatio}, queueConfigs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range res.Configs {
		tot, _ := cr.Metric("b.total")
		cnt, _ := cr.Metric("b.count")
		r, _ := cr.Metric("b.wait")
		want, err := SummarizeRatio(tot.Values, cnt.Values, 0.95)
		if err != nil || r.Summary != want || !r.Ratio || r.Missing != nil {
			t.Errorf("%s b.wait %+v; want %+v, %v", cr.Name, r, want, err)
		}
	}
	if _, err := SummarizeRatio([]float64{1}, []float64{0}, 0.95); !errors.Is(err, ErrTooFew) {
		t.Errorf("zero denominators: %v; want ErrTooFew", err)
	}
	if _, err := SummarizeRatio([]float64{1}, []float64{1, 2}, 0.95); !errors.Is(err, ErrLengthMismatch) {
		t.Errorf("lengths: %v; want ErrLengthMismatch", err)
	}
	if s, _ := (Summary{N: 1}), 0; !math.IsNaN(s.StdErr()) {
		t.Errorf("StdErr of one value = %v; want NaN", s.StdErr())
	}
}

// TestConfigsRatioCoverage: the ratio estimator's 95% interval covers the
// true ratio of means about 95% of the time. Numerator y = Σ of N Exp(2)
// with N geometric (mean 2/3): E[y]/E[N] = 2. 400 experiments of 200
// replications (the delta method is asymptotic: with 30 replications of
// so few customers, 60% of them with none, it covers only about 88%). The
// count of covers is binomial(400, 0.95), sd 4.4, so it lies in
// [362, 398] (±4 sd) unless the interval is wrong.
func TestConfigsRatioCoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	reps := 200
	covers := 0
	for range 400 {
		var num, den []float64
		for range reps {
			n, y := 0, 0.0
			for r.Float64() < 0.4 {
				n++
				y += 2 * r.ExpFloat64()
			}
			num, den = append(num, y), append(den, float64(n))
		}
		s, err := SummarizeRatio(num, den, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if s.Low <= 2 && 2 <= s.High {
			covers++
		}
	}
	if covers < 362 || covers > 398 {
		t.Errorf("covered 2 in %d of 400 experiments; want about 380", covers)
	}
}

func closeSummary(a, b Summary) bool {
	cl := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y)) }
	return a.N == b.N && cl(a.Mean, b.Mean) && cl(a.StdDev, b.StdDev) && cl(a.HalfWidth, b.HalfWidth)
}

func TestReplicateConfigsErrors(t *testing.T) {
	ctx := context.Background()
	exp := Experiment{Replications: 5, Seed: 1}
	m := queueConfig(0)
	for _, tc := range []struct {
		name    string
		exp     Experiment
		opts    ConfigsOptions
		configs []Config
		is      error
		msg     string
	}{
		{"none", exp, ConfigsOptions{}, nil, ErrExperiment, "no configurations"},
		{"empty name", exp, ConfigsOptions{}, []Config{{"", m}}, ErrExperiment, "configuration 0 has an empty name"},
		{"twice", exp, ConfigsOptions{}, []Config{{"a", m}, {"a", m}}, ErrExperiment, `"a" appears twice`},
		{"nil model", exp, ConfigsOptions{}, []Config{{"a", nil}}, ErrExperiment, `"a" has a nil model`},
		{"baseline", exp, ConfigsOptions{Baseline: "z"}, []Config{{"a", m}}, ErrExperiment, `baseline "z" is not a configuration`},
		{"precision", Experiment{Replications: 5, Precision: &Precision{Metric: "wait", RelHalfWidth: 0.1, MaxReplications: 10}}, ConfigsOptions{}, []Config{{"a", m}}, ErrExperiment, "Precision must be nil"},
		{"ratio unknown", exp, ConfigsOptions{Ratios: []Ratio{{"r", "b.total", "nope"}}}, []Config{{"a", m}}, ErrUnknownMetric, `ratio "r" uses "nope"`},
		{"ratio taken", exp, ConfigsOptions{Ratios: []Ratio{{"wait", "b.total", "b.count"}}}, []Config{{"a", m}}, ErrExperiment, `ratio name "wait"`},
		{"failing", exp, ConfigsOptions{}, []Config{{"a", m}, {"bad", func(rep Replication) (Metrics, error) {
			if rep.Index == 3 {
				return nil, errors.New("boom")
			}
			return Metrics{}, nil
		}}}, nil, `replication 3 (seed `},
		{"infinite", exp, ConfigsOptions{}, []Config{{"inf", func(Replication) (Metrics, error) { return Metrics{"x": math.Inf(1)}, nil }}}, ErrNotFinite, `config "inf": reports: value is NaN or infinite: metric "x" is +Inf`},
		{"panic", exp, ConfigsOptions{}, []Config{{"p", func(Replication) (Metrics, error) { panic("oops") }}}, ErrPanic, `config "p": reports: model panicked: oops`},
	} {
		_, err := ReplicateConfigs(ctx, tc.exp, tc.opts, tc.configs...)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v; want %v containing %q", tc.name, err, tc.is, tc.msg)
		}
	}
	_, err := ReplicateConfigs(ctx, exp, ConfigsOptions{}, Config{"a", m}, Config{"bad", func(rep Replication) (Metrics, error) {
		return nil, errors.New("boom")
	}})
	var re *ReplicationError
	if !errors.As(err, &re) || re.Index != 0 || !strings.Contains(err.Error(), `config "bad": boom`) {
		t.Errorf("failing config: %v; want a *ReplicationError of replication 0 naming the config", err)
	}
}
