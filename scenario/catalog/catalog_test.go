package catalog_test

import (
	"context"
	"testing"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
)

// replicate runs s with values and returns its result and parameters.
func replicate(t *testing.T, s *scenario.Scenario, values map[string]string, reps int) (reports.Result, scenario.Params) {
	t.Helper()
	p, err := s.Resolve(values)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Replicate(context.Background(), p, scenario.Options{Reps: reps, Seed: 2026})
	if err != nil {
		t.Fatal(err)
	}
	return res, p
}

// TestTheory checks every queue scenario against its theory: the 99%
// confidence interval of each metric over 20 replications must cover the
// analytic value. The formulas and their sources are in the scenarios' doc
// comments (Kleinrock 1975: M/M/1 section 3.2, Erlang C section 3.5,
// Pollaczek-Khinchine section 5.6). Seeds are fixed, so the test is
// deterministic; a 99% level keeps the chance that a correct model fails at a
// new seed to about one in a hundred per metric.
func TestTheory(t *testing.T) {
	short := map[string]string{"customers": "10000", "warmup": "1000"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range short {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		s      *scenario.Scenario
		values map[string]string
	}{
		{catalog.MM1(), with("arrival", "0.7")},
		{catalog.MMC(), with("servers", "3", "arrival", "2.4")},
		{catalog.MG1(), with("dist", "exp")},
		{catalog.MG1(), with("dist", "det")},
		{catalog.MG1(), with("dist", "erlang", "k", "3")},
		{catalog.MG1(), with("dist", "lognormal", "scv", "2", "arrival", "0.6")},
		{catalog.MG1(), with("dist", "hyperexp", "scv", "3", "arrival", "0.6")},
		{catalog.Tasks(), nil},
	}
	for _, c := range cases {
		res, p := replicate(t, c.s, c.values, 20)
		for _, def := range c.s.Metrics {
			th, ok := def.Theory(p)
			if !ok {
				t.Errorf("%s %v: no theory for %s", c.s.Name, c.values, def.Name)
				continue
			}
			m, _ := res.Metric(def.Name)
			sum, err := reports.Summarize(m.Values, 0.99)
			if err != nil {
				t.Fatal(err)
			}
			if th < sum.Low || th > sum.High {
				t.Errorf("%s %v: %s = %.4g, 99%% CI [%.4g, %.4g] misses theory %.4g", c.s.Name, c.values, def.Name, sum.Mean, sum.Low, sum.High, th)
			}
		}
	}
}

// TestErlangC checks the M/M/c theory against a published value: with
// c = 2, lambda = 1, mu = 1 (a = 1, rho = 0.5), C = 1/3 and Wq = 1/3
// (Kleinrock 1975, section 3.5: C(2, 1) = (a^2/2)/(1-rho) / (1 + a + (a^2/2)/(1-rho))).
func TestErlangC(t *testing.T) {
	s := catalog.MMC()
	p, err := s.Resolve(map[string]string{"servers": "2", "arrival": "1", "service": "1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Metrics {
		got, _ := m.Theory(p)
		want := map[string]float64{"p_wait": 1.0 / 3, "wait": 1.0 / 3, "sojourn": 4.0 / 3, "in_system": 4.0 / 3, "utilisation": 0.5}[m.Name]
		if d := got - want; d > 1e-12 || d < -1e-12 {
			t.Errorf("%s: theory %v, want %v", m.Name, got, want)
		}
	}
}

// TestRetryStorm checks the metastable failure: after the spike, goodput
// collapses with uncapped retries, and recovers with no retries or with a
// retry budget.
func TestRetryStorm(t *testing.T) {
	base := map[string]string{"duration": "150s", "spike_at": "20s", "spike_for": "10s"}
	run := func(kv ...string) reports.Summary {
		values := map[string]string{}
		for k, v := range base {
			values[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			values[kv[i]] = kv[i+1]
		}
		res, _ := replicate(t, catalog.RetryStorm(), values, 2)
		m, _ := res.Metric("goodput")
		return m.Summary
	}
	if g := run(); g.High > 1 {
		t.Errorf("uncapped retries: goodput %v after the spike, want collapse (< 1/s)", g.Mean)
	}
	for _, fix := range [][]string{{"retries", "0"}, {"budget", "0.1"}, {"spike", "1"}} {
		if g := run(fix...); g.Mean < 70 {
			t.Errorf("%v: goodput %v after the spike, want recovery (about the rate, 80/s)", fix, g.Mean)
		}
	}
}

// TestBounded checks that an unstable queue warns and still ends.
func TestBounded(t *testing.T) {
	s := catalog.MM1()
	p, err := s.Resolve(map[string]string{"arrival": "2", "customers": "3000", "warmup": "0"})
	if err != nil {
		t.Fatal(err)
	}
	warning, err := s.Check(p)
	if err != nil || warning == "" {
		t.Errorf("Check: %q, %v; want a warning", warning, err)
	}
	if _, err := s.RunOne(p, 0, 1, nil); err != nil {
		t.Error(err)
	}
}
