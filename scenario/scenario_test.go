package scenario_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// panics returns the panic message of fn, or "".
func panics(fn func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	fn()
	return ""
}

func TestValidatePanics(t *testing.T) {
	ok := func() *scenario.Scenario { return coin() }
	cases := []struct {
		edit func(s *scenario.Scenario)
		want string
	}{
		{func(s *scenario.Scenario) { s.Name = "Coin" }, `scenario: Name "Coin": want lower case letters, digits and '-'`},
		{func(s *scenario.Scenario) { s.Run = nil }, `scenario: coin: Summary, Metrics and Run are required`},
		{func(s *scenario.Scenario) { s.Params[0].Default = 1 }, `scenario: coin: parameter "p": Default 1 (int) does not match type float`},
		{func(s *scenario.Scenario) { s.Params[0].Default = 2.0 }, `scenario: coin: parameter "p": default 2 is out of range: a number in [0, 1]`},
		{func(s *scenario.Scenario) { s.Params = append(s.Params, s.Params[0]) }, `scenario: coin: two parameters named "p"`},
		{func(s *scenario.Scenario) { s.Metrics = append(s.Metrics, s.Metrics[0]) }, `scenario: coin: metric name "heads" is empty or used twice`},
		{func(s *scenario.Scenario) {
			s.Params = append(s.Params, scenario.EnumParam("side", "edge", []string{"heads", "tails"}, "side"))
		}, `scenario: coin: parameter "side": default "edge" is not one of ["heads" "tails"]`},
	}
	for _, c := range cases {
		s := ok()
		c.edit(s)
		if got := panics(s.Validate); got != c.want {
			t.Errorf("panic %q, want %q", got, c.want)
		}
	}
	if got := panics(ok().Validate); got != "" {
		t.Errorf("a valid scenario panics: %s", got)
	}
	p := ok().Defaults()
	if got := panics(func() { p.Int("p") }); got != `scenario: Params.Int("p"): the parameter is of type float` {
		t.Errorf("Int of a float: %q", got)
	}
	if got := panics(func() { p.Float("q") }); got != `scenario: Params.Float("q"): no such parameter` {
		t.Errorf("Float of nothing: %q", got)
	}
}

func TestAllowed(t *testing.T) {
	cases := []struct {
		p    scenario.Param
		want string
	}{
		{scenario.IntParam("n", 1, ""), "an integer"},
		{scenario.IntParam("n", 1, "").WithRange(1, 8), "an integer in [1, 8]"},
		{scenario.FloatParam("x", 1, "").Positive(), "a number > 0"},
		{scenario.FloatParam("x", 1, "").Positive().Below(2), "a number in (0, 2)"},
		{scenario.FloatParam("x", 1, "").AtMost(2), "a number <= 2"},
		{scenario.DurationParam("d", time.Second, "").AtLeast(float64(time.Millisecond)), "a duration >= 1ms"},
		{scenario.StringParam("s", "", ""), "a string"},
		{scenario.EnumParam("e", "a", []string{"a", "b"}, ""), "one of a, b"},
	}
	for _, c := range cases {
		if got := c.p.Allowed(); got != c.want {
			t.Errorf("%s: Allowed() = %q, want %q", c.p.Name, got, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	s := coin()
	_, err := s.Resolve(map[string]string{"z": "1", "a": "2"})
	if !errors.Is(err, scenario.ErrUnknownParam) || err.Error() != `unknown parameter "a" for scenario coin; its parameters: p, for` {
		t.Errorf("Resolve: %v", err)
	}
	_, err = s.Resolve(map[string]string{"for": "0s"})
	if !errors.Is(err, scenario.ErrBadValue) || err.Error() != `bad parameter value: for = 0s is out of range; allowed: a duration > 0s` {
		t.Errorf("Resolve: %v", err)
	}
}

// TestRunOneChecksMetrics checks that a Run reporting other metrics than it
// declares fails, naming the metric.
func TestRunOneChecksMetrics(t *testing.T) {
	for _, c := range []struct {
		obs  scenario.Observations
		want string
	}{
		{scenario.Observations{}, `scenario coin: Run did not report metric "heads"`},
		{scenario.Observations{"heads": 1, "tails": 0}, `scenario coin: Run reported metric "tails", which Metrics does not declare`},
	} {
		s := coin()
		s.Run = func(*sim.Env, scenario.Params) (scenario.Observations, error) { return c.obs, nil }
		_, err := s.RunOne(s.Defaults(), 0, 1, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("RunOne: %v, want %s", err, c.want)
		}
		_, err = s.Replicate(context.Background(), s.Defaults(), scenario.Options{Reps: 2})
		if !errors.Is(err, scenario.ErrRun) {
			t.Errorf("Replicate: %v, want ErrRun", err)
		}
	}
}

// TestHash checks that a config's hash depends on its results' inputs only.
func TestHash(t *testing.T) {
	catalog := []*scenario.Scenario{coin()}
	parse := func(text string) string {
		cfg, err := scenario.ParseConfig("c.yaml", []byte(text), catalog)
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Hash()
	}
	a := parse("scenario: coin\n")
	if b := parse("# the same, spelt out\nscenario: coin\nreps: 5\nseed: 1\nparams:\n  p: 0.50\n  for: 60s\n"); a != b {
		t.Errorf("equal configs hash differently: %s, %s", a, b)
	}
	if c := parse("scenario: coin\nseed: 2\n"); a == c {
		t.Errorf("another seed, the same hash")
	}
	if d := parse("scenario: coin\npoints:\n  - {p: 0.5}\n"); a != d {
		t.Errorf("one point as a list hashes differently")
	}
}

// TestReportFormats checks that every format writes and an unknown one is
// a usage error.
func TestReportFormats(t *testing.T) {
	s := coin()
	res, err := s.Replicate(context.Background(), s.Defaults(), scenario.Options{Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := &scenario.Report{Scenario: s, Seed: 1, Reps: 1, Points: []scenario.Point{{Params: s.Defaults(), Result: res}}}
	for _, f := range []string{"text", "md", "csv", "json", "html"} {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", f, err, b.Len())
		}
		if f == "json" && !strings.Contains(b.String(), `"std_dev": null`) {
			t.Errorf("json of one replication: no null std_dev:\n%s", b.String())
		}
	}
	err = r.Write(&bytes.Buffer{}, "pdf")
	var ue *scenario.UsageError
	if !errors.As(err, &ue) || err.Error() != `--format "pdf": allowed: text, md, csv, json, html` {
		t.Errorf("pdf: %v", err)
	}
}

// TestConfigErrorSource checks that a config error carries the annotated
// source of its line.
func TestConfigErrorSource(t *testing.T) {
	_, err := scenario.ParseConfig("c.yaml", []byte("scenario: coin\nparams:\n  p: 7\n"), []*scenario.Scenario{coin()})
	var ce *scenario.ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, scenario.ErrConfig) || !errors.Is(err, scenario.ErrBadValue) {
		t.Fatalf("%v: not a *ConfigError wrapping ErrConfig and ErrBadValue", err)
	}
	if ce.Line != 3 || ce.Column != 6 || ce.Field != "params.p" || !strings.Contains(ce.Source, ">  3 |   p: 7") {
		t.Errorf("line %d, column %d, field %q, source:\n%s", ce.Line, ce.Column, ce.Field, ce.Source)
	}
}

// TestConclude checks that a scenario's own conclusion replaces the
// generic one.
func TestConclude(t *testing.T) {
	s := coin()
	s.Conclude = func(p scenario.Params, res reports.Result) string {
		m, _ := res.Metric("heads")
		return fmt.Sprintf("Heads came up %.2f of the time with p=%v.", m.Summary.Mean, p.Float("p"))
	}
	var out bytes.Buffer
	cmd := scenario.App{Name: "coins", Scenarios: []*scenario.Scenario{s}, Stdout: &out, Stderr: &out}.Command()
	if err := scenario.Execute(cmd, []string{"run", "coin", "--reps", "2"}); err != nil {
		t.Fatal(err)
	}
	if want := "\nHeads came up 0.53 of the time with p=0.5.\n\nreproduce: coins run coin --reps 2 --seed 1\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("output:\n%s\nwant it to end with:\n%s", out.String(), want)
	}
}
