package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtsim/vtsim/internal/golden"
	"github.com/vtsim/vtsim/reports/trace"
	"github.com/vtsim/vtsim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// result is what one in-process invocation of vtsim gave.
type result struct {
	stdout, stderr string
	code           int
}

// vtsim runs the command line in-process with args and the environment env.
func vtsim(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := scenario.Execute(command(&stdout, &stderr, getenv), args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: scenario.ExitCode(err)}
}

// checkGolden compares got with testdata/name.golden, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name+".golden"), []byte(got), *update)
}

// small are the flags that keep a queue scenario's run short in tests.
var small = []string{"--reps", "3", "--set", "customers=2000", "--set", "warmup=200"}

func TestGolden(t *testing.T) {
	storm := []string{"run", "retry-storm", "--reps", "2", "--set", "duration=60s", "--set", "spike_at=10s", "--set", "spike_for=5s"}
	cases := []struct {
		name string
		args []string
	}{
		{"default", nil},
		{"run_tasks", []string{"run", "tasks"}},
		{"run_mm1", append([]string{"run", "mm1"}, small...)},
		{"run_mmc", append([]string{"run", "mmc", "--set", "servers=3", "--set", "arrival=2.4"}, small...)},
		{"run_mg1_det", append([]string{"run", "mg1"}, small...)},
		{"run_mg1_erlang", append([]string{"run", "mg1", "--set", "dist=erlang", "--set", "k=2"}, small...)},
		{"run_mg1_lognormal", append([]string{"run", "mg1", "--set", "dist=lognormal", "--set", "scv=2"}, small...)},
		{"run_mg1_hyperexp", append([]string{"run", "mg1", "--set", "dist=hyperexp"}, small...)},
		{"run_mg1_exp", append([]string{"run", "mg1", "--set", "dist=exp"}, small...)},
		{"run_sched", []string{"run", "sched", "--reps", "4", "--set", "jobs=2000"}},
		{"run_sched_exp_09", []string{"run", "sched", "--reps", "4", "--set", "jobs=2000", "--set", "sizes=exp", "--set", "load=0.9"}},
		{"run_retry_storm", storm},
		{"run_retry_storm_budget", append(storm, "--set", "budget=0.1")},
		{"run_mm1_md", append([]string{"run", "mm1", "--format", "md"}, small...)},
		{"run_mm1_csv", append([]string{"run", "mm1", "--format", "csv"}, small...)},
		{"run_mm1_json", append([]string{"run", "mm1", "--format", "json"}, small...)},
		{"run_unstable", append([]string{"run", "mm1", "--set", "arrival=1.5"}, small...)},
		{"sweep_mm1", []string{"sweep", "testdata/sweep_mm1.yaml"}},
		{"sweep_mm1_md", []string{"sweep", "testdata/sweep_mm1.yaml", "--format", "md"}},
		{"run_config", []string{"run", "testdata/run_mg1.yaml"}},
		{"list", []string{"list"}},
		{"describe_mm1", []string{"describe", "mm1"}},
		{"describe_retry_storm", []string{"describe", "retry-storm"}},
		{"describe_sched", []string{"describe", "sched"}},
		{"schema", []string{"schema"}},
		{"help", []string{"--help"}},
		{"complete_run", []string{"__complete", "run", ""}},
		{"complete_format", []string{"__complete", "run", "mm1", "--format", ""}},
		{"run_help", []string{"run", "--help"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := vtsim(t, nil, c.args...)
			checkGolden(t, c.name, fmt.Sprintf("$ vtsim %s\nexit %d\n--- stderr\n%s--- stdout\n%s", strings.Join(c.args, " "), r.code, r.stderr, r.stdout))
		})
	}
}

// TestCompletionScripts checks that cobra's completion scripts are there.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := vtsim(t, nil, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, "vtsim") {
			t.Errorf("completion %s: exit %d, %d bytes", shell, r.code, len(r.stdout))
		}
	}
}

// TestSchemaIsJSON checks that schema prints one valid JSON document.
func TestSchemaIsJSON(t *testing.T) {
	r := vtsim(t, nil, "schema")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if v["$schema"] != scenario.SchemaID {
		t.Errorf("$schema = %v", v["$schema"])
	}
}

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := func(name, text string) string { return writeFile(t, dir, name, text) }
	malformed := cfg("malformed.yaml", "scenario: mm1\nparams:\n  arrival: [0.5\n")
	unknownField := cfg("unknown.yaml", "scenario: mm1\nrepz: 3\n")
	unknownParam := cfg("param.yaml", "scenario: mm1\nparams:\n  arival: 0.5\n")
	negative := cfg("negative.yaml", "scenario: mm1\nparams:\n  arrival: -1\n")
	noScenario := cfg("none.yaml", "reps: 3\n")
	badScenario := cfg("bad.yaml", "scenario: mm9\n")
	badReps := cfg("reps.yaml", "scenario: mm1\nreps: 0\n")
	badSweep := cfg("sweep.yaml", "scenario: mm1\nsweep:\n  arrival: 0.5\n")
	both := cfg("both.yaml", "scenario: mm1\nsweep:\n  arrival: [0.5]\npoints:\n  - {arrival: 0.5}\n")
	badPoint := cfg("point.yaml", "scenario: mm1\npoints:\n  - {arrival: 0.5}\n  - {service: fast}\n")
	nested := cfg("nested.yaml", "scenario: mm1\nparams:\n  arrival: {x: 1}\n")
	list := cfg("list.yaml", "- scenario: mm1\n")
	dup := cfg("dup.yaml", "scenario: mm1\nparams:\n  arrival: 0.5\n  arrival: 0.6\n")
	sweepCfg := cfg("grid.yaml", "scenario: mm1\nsweep:\n  arrival: [0.5, 0.6]\n")
	cases := []struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		{[]string{"run", "mm2"}, nil, 2, `vtsim: unknown scenario "mm2"; available: tasks, mm1, mmc, mg1, sched, retry-storm (see 'vtsim list')`},
		{[]string{"run", "sched", "--set", "load=1"}, nil, 2, `vtsim: bad parameter value: load = 1 is out of range; allowed: a number in (0, 1)`},
		{[]string{"run", "sched", "--set", "sizes=pareto"}, nil, 2, `vtsim: bad parameter value: sizes = "pareto"; allowed: one of bpareto, exp, h2`},
		{[]string{"describe", "mm2"}, nil, 2, `vtsim: unknown scenario "mm2"; available: tasks, mm1, mmc, mg1, sched, retry-storm (see 'vtsim list')`},
		{[]string{"run", "mm1", "--set", "arrival"}, nil, 2, `vtsim: --set "arrival": want key=value, such as --set arrival=0.8`},
		{[]string{"run", "mm1", "--set", "arrival=fast"}, nil, 2, `vtsim: bad parameter value: arrival = "fast" is not a finite number; allowed: a number > 0`},
		{[]string{"run", "mm1", "--set", "arrival=-1"}, nil, 2, `vtsim: bad parameter value: arrival = -1 is out of range; allowed: a number > 0`},
		{[]string{"run", "mm1", "--set", "customers=0"}, nil, 2, `vtsim: bad parameter value: customers = 0 is out of range; allowed: an integer in [1, 100000000]`},
		{[]string{"run", "mm1", "--set", "servers=2"}, nil, 2, `vtsim: unknown parameter "servers" for scenario mm1; its parameters: arrival, service, customers, warmup`},
		{[]string{"run", "mm1", "--set", "warmup=5000", "--set", "customers=100"}, nil, 2, `vtsim: bad parameter value: scenario mm1: warmup = 5000 deletes every one of customers = 100; allowed: warmup < customers`},
		{[]string{"run", "mg1", "--set", "dist=pareto"}, nil, 2, `vtsim: bad parameter value: dist = "pareto"; allowed: one of exp, det, erlang, lognormal, hyperexp`},
		{[]string{"run", "mg1", "--set", "dist=hyperexp", "--set", "scv=0.5"}, nil, 2, `vtsim: bad parameter value: scenario mg1: dist = hyperexp needs scv >= 1, got scv = 0.5; allowed: scv >= 1, or dist = lognormal or erlang for less variable service`},
		{[]string{"run", "tasks", "--set", "work=soon"}, nil, 2, `vtsim: bad parameter value: work = "soon" is not a duration such as 1.5s or 200ms; allowed: a duration >= 0s`},
		{[]string{"run", "mm1", "--reps", "x"}, nil, 2, `vtsim: invalid argument "x" for "--reps" flag: strconv.ParseInt: parsing "x": invalid syntax; see 'vtsim run --help'`},
		{[]string{"run", "mm1", "--reps", "-2"}, nil, 2, `vtsim: --reps -2: allowed: an integer >= 1 (0 for the scenario's default)`},
		{[]string{"run", "mm1", "--format", "xml"}, nil, 2, `vtsim: --format "xml": allowed: text, md, csv, json, html`},
		{[]string{"run", "mm1", "--frobnicate"}, nil, 2, `vtsim: unknown flag: --frobnicate; see 'vtsim run --help'`},
		{[]string{"run"}, nil, 2, `vtsim: vtsim run wants one scenario name or config file, got 0 arguments; see 'vtsim run --help'`},
		{[]string{"frob"}, nil, 2, `vtsim: unknown command "frob"; commands: describe, list, merge, run, schema, sweep; see 'vtsim --help'`},
		{[]string{"list", "x"}, nil, 2, `vtsim: vtsim list takes no arguments; see 'vtsim list --help'`},
		{[]string{"run", malformed}, nil, 2, "vtsim: " + malformed + `:3:12: YAML syntax: sequence end token ']' not found`},
		{[]string{"run", unknownField}, nil, 2, "vtsim: " + unknownField + `:2:1: unknown field "repz"; allowed fields: scenario, reps, seed, params, sweep, points`},
		{[]string{"run", unknownParam}, nil, 2, "vtsim: " + unknownParam + `:3:3: params.arival: scenario mm1 has no parameter "arival"; its parameters: arrival, service, customers, warmup`},
		{[]string{"run", negative}, nil, 2, "vtsim: " + negative + `:3:12: params.arrival: arrival = -1 is out of range; allowed: a number > 0`},
		{[]string{"run", noScenario}, nil, 2, "vtsim: " + noScenario + `: scenario: missing; name one of: tasks, mm1, mmc, mg1, sched, retry-storm`},
		{[]string{"run", badScenario}, nil, 2, "vtsim: " + badScenario + `:1:11: scenario: "mm9" is not a scenario; allowed: tasks, mm1, mmc, mg1, sched, retry-storm`},
		{[]string{"run", badReps}, nil, 2, "vtsim: " + badReps + `:2:7: reps: "0": allowed: an integer >= 1`},
		{[]string{"sweep", badSweep}, nil, 2, "vtsim: " + badSweep + `:3:12: sweep.arrival: want a list of values such as [0.5, 0.9], not Float`},
		{[]string{"sweep", both}, nil, 2, "vtsim: " + both + `:5:3: points: a config has sweep or points, not both`},
		{[]string{"sweep", badPoint}, nil, 2, "vtsim: " + badPoint + `:4:15: points[1].service: service = "fast" is not a finite number; allowed: a number > 0`},
		{[]string{"run", nested}, nil, 2, "vtsim: " + nested + `:3:12: params.arrival: want a single value, not a mapping`},
		{[]string{"run", list}, nil, 2, "vtsim: " + list + `:1:1: sequence was used where mapping is expected; a config is a mapping of the fields scenario, reps, seed, params, sweep, points`},
		{[]string{"run", dup}, nil, 2, "vtsim: " + dup + `:4:3: YAML syntax: mapping key "arrival" already defined at [3:3]`},
		{[]string{"run", filepath.Join(dir, "missing.yaml")}, nil, 2, "vtsim: bad config: open " + filepath.Join(dir, "missing.yaml") + ": no such file or directory"},
		{[]string{"run", sweepCfg}, nil, 2, "vtsim: " + sweepCfg + " has 2 parameter points; run it with 'vtsim sweep " + sweepCfg + "'"},
		{[]string{"sweep", sweepCfg, "--shard", "0/2"}, nil, 2, `vtsim: --shard 0/2 needs --dir DIR to write the units into`},
		{[]string{"sweep", sweepCfg, "--shard", "2/2", "--dir", dir}, nil, 2, `vtsim: bad shard: --shard "2/2": allowed: i/n with 0 <= i < n, such as 0/4, or auto`},
		{[]string{"sweep", sweepCfg, "--shard", "auto", "--dir", dir}, nil, 2, `vtsim: bad shard: --shard auto found neither JOB_COMPLETION_INDEX (Kubernetes) nor SLURM_ARRAY_TASK_ID (Slurm); pass --shard i/n`},
		{[]string{"sweep", sweepCfg, "--shard", "auto", "--dir", dir}, map[string]string{"JOB_COMPLETION_INDEX": "1"}, 2, `vtsim: bad shard: JOB_COMPLETION_INDEX=1 is set but not the shard count; pass --shards N or set VTSIM_SHARDS to the Job's completions`},
		{[]string{"merge"}, nil, 2, `vtsim: vtsim merge wants a directory or unit files; see 'vtsim merge --help'`},
		{[]string{"merge", dir}, nil, 1, "vtsim: cannot merge: no unit files (unit-*.json) in " + dir + "; run vtsim sweep --dir first"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := vtsim(t, c.env, c.args...)
			if r.code != c.code || r.stderr != c.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d, stderr:\n%s\nstdout:\n%s\nwant exit %d, stderr:\n%s", r.code, r.stderr, r.stdout, c.code, c.want)
			}
		})
	}
}

// TestUnstableWarns checks that an open queue at load >= 1 warns and ends.
func TestUnstableWarns(t *testing.T) {
	r := vtsim(t, nil, append([]string{"run", "mg1", "--set", "arrival=1"}, small...)...)
	want := "vtsim: warning: mg1: load rho = arrival/service = 1 >= 1: the queue is unstable and its waits grow with the run; it stops after customers = 2000 arrivals, and no theory value applies\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("exit %d, stderr %q; want 0, %q", r.code, r.stderr, want)
	}
}

// TestWorkers checks that the number of workers never changes a result.
func TestWorkers(t *testing.T) {
	args := append([]string{"run", "mmc", "--format", "json", "--reps", "5"}, small[2:]...)
	one := vtsim(t, nil, append(args, "--workers", "1")...)
	three := vtsim(t, nil, append(args, "--workers", "3")...)
	if one.code != 0 || one.stdout != three.stdout {
		t.Errorf("--workers 1 and 3 differ:\n%s\n%s", one.stdout, three.stdout)
	}
}

// TestOutAndTrace checks --out (every format) and --trace.
func TestOutAndTrace(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"text", "md", "csv", "json", "html"} {
		out := filepath.Join(dir, "report."+format)
		r := vtsim(t, nil, append([]string{"run", "mm1", "--format", format, "--out", out}, small...)...)
		if r.code != 0 || r.stdout != "" || r.stderr != "vtsim: wrote "+out+"\n" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", format, r.code, r.stdout, r.stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v, %d bytes", format, err, len(data))
		}
		if format == "html" && !bytes.Contains(data, []byte("<svg")) {
			t.Errorf("html report has no chart")
		}
	}
	tr := filepath.Join(dir, "trace.json")
	r := vtsim(t, nil, "run", "tasks", "--trace", tr, "--format", "csv")
	if r.code != 0 || r.stderr != "vtsim: wrote "+tr+" (open it in ui.perfetto.dev)\n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	data, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	if err := trace.Validate(data); err != nil {
		t.Error(err)
	}
	for _, name := range []string{`"nested"`, `"sleeper"`, `"awaiter"`} {
		if !bytes.Contains(data, []byte(name)) {
			t.Errorf("trace has no track %s", name)
		}
	}
}

// TestConfigRun checks a config file run, with flags overriding it, and
// that the reproduce line reproduces it.
func TestConfigRun(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "exp.yaml", "# M/M/1 at load 0.5\nscenario: mm1\nreps: 3\nseed: 9\nparams:\n  arrival: 0.5\n  customers: 2000\n  warmup: 200\n")
	r := vtsim(t, nil, "run", path, "--format", "json")
	direct := vtsim(t, nil, "run", "mm1", "--format", "json", "--reps", "3", "--seed", "9", "--set", "arrival=0.5", "--set", "customers=2000", "--set", "warmup=200")
	if r.code != 0 || r.stdout != direct.stdout {
		t.Errorf("config and flags differ:\n%s\n%s", r.stdout, direct.stdout)
	}
	over := vtsim(t, nil, "run", path, "--set", "arrival=0.6", "--reps", "2")
	if !strings.Contains(over.stdout, "params: arrival=0.6 ") || !strings.Contains(over.stdout, "seed 9, 2 replications") ||
		!strings.HasSuffix(over.stdout, "reproduce: vtsim run "+path+" --reps 2 --seed 9 --set arrival=0.6\n") {
		t.Errorf("overrides not applied:\n%s", over.stdout)
	}
}

// TestNoProgressInFiles checks that no progress bar is drawn when stderr is
// a file, not a terminal.
func TestNoProgressInFiles(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stdout bytes.Buffer
	err = scenario.Execute(command(&stdout, f, func(string) string { return "" }), append([]string{"run", "mm1"}, small...))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.Stat(); err != nil || st.Size() != 0 {
		t.Errorf("stderr got %d bytes, want none: %v", st.Size(), err)
	}
}
