package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
	"github.com/vtsim/vtsim/sim"
)

// TestMain runs the test binary as the vtsim command, with the extra
// scenario of testCommand, when VTSIM_TEST_MAIN is 1, so that tests can run
// vtsim in separate processes without building it.
func TestMain(m *testing.M) {
	if os.Getenv("VTSIM_TEST_MAIN") == "1" {
		err := scenario.Execute(testCommand(os.Stdout, os.Stderr, os.Getenv), os.Args[1:])
		os.Exit(scenario.ExitCode(err))
	}
	os.Exit(m.Run())
}

// testCommand is vtsim's command with one more scenario, mm1-crash: mm1,
// except that the process kills itself (SIGKILL, no cleanup) in the
// replication named by VTSIM_TEST_CRASH as "arrival/rep".
func testCommand(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	crash := catalog.MM1()
	crash.Name = "mm1-crash"
	run := crash.Run
	crash.Run = func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
		if getenv("VTSIM_TEST_CRASH") == fmt.Sprintf("%v/%d", p.Float("arrival"), p.Replication()) {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal ends the process
		}
		return run(env, p)
	}
	return scenario.App{Name: "vtsim", Scenarios: append(catalog.All(), crash), Stdout: stdout, Stderr: stderr, Getenv: getenv}.Command()
}

// process runs the test binary as vtsim in a new process.
func process(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "VTSIM_TEST_MAIN=1"), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// TestShardsInProcesses runs a sweep as 4 shards in separate processes, one
// of them killed midway and rerun, merges the units and compares the bytes
// with the same sweep run in one process.
func TestShardsInProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	units := filepath.Join(dir, "units")
	config := writeFile(t, dir, "sweep.yaml", `scenario: mm1-crash
reps: 6
seed: 11
params:
  customers: 1000
  warmup: 100
sweep:
  arrival: [0.5, 0.7]
`)
	// 12 units; shard 1/4 owns units 1, 5 and 9 (point 1, rep 3), where it dies.
	for i := range 4 {
		env := []string{}
		if i == 1 {
			env = append(env, "VTSIM_TEST_CRASH=0.7/3")
		}
		_, stderr, err := process(t, env, "sweep", config, "--shard", fmt.Sprintf("%d/4", i), "--dir", units, "--workers", "1")
		var exit *exec.ExitError
		if i == 1 {
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("shard 1 was not killed: %v, %s", err, stderr)
			}
			continue
		}
		want := fmt.Sprintf("vtsim: shard %d/4: 3 of 12 units in %s (3 run, 0 there already); merge all shards with 'vtsim merge %s'\n", i, units, units)
		if err != nil || stderr != want {
			t.Fatalf("shard %d: %v, stderr %q, want %q", i, err, stderr, want)
		}
	}
	for _, name := range []string{"unit-000001.json", "unit-000005.json"} {
		if _, err := os.Stat(filepath.Join(units, name)); err != nil {
			t.Errorf("the killed shard did not keep %s: %v", name, err)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(units, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %q", leftovers)
	}

	_, stderr, err := process(t, nil, "merge", units)
	if want := "vtsim: cannot merge: 1 of 12 units missing (9); rerun the shards that own them (unit u belongs to shard u mod n)\n"; err == nil || stderr != want {
		t.Errorf("merge with a unit missing: %v, stderr %q, want %q", err, stderr, want)
	}
	_, stderr, err = process(t, nil, "sweep", config, "--shard", "1/4", "--dir", units)
	if want := fmt.Sprintf("vtsim: shard 1/4: 3 of 12 units in %s (1 run, 2 there already); merge all shards with 'vtsim merge %s'\n", units, units); err != nil || stderr != want {
		t.Fatalf("rerun of shard 1: %v, stderr %q, want %q", err, stderr, want)
	}

	for _, format := range []string{"text", "json", "csv"} {
		merged, stderr, err := process(t, nil, "merge", units, "--format", format)
		if err != nil {
			t.Fatalf("merge: %v: %s", err, stderr)
		}
		var single, serr bytes.Buffer
		if err := scenario.Execute(testCommand(&single, &serr, func(string) string { return "" }), []string{"sweep", config, "--format", format}); err != nil {
			t.Fatalf("single-process sweep: %v: %s", err, serr.String())
		}
		if merged != single.String() {
			t.Errorf("%s: merged shards differ from one process:\n%s\n---\n%s", format, merged, single.String())
		}
	}
}

// TestMergeRefuses checks that merge refuses units of another config, seed
// or version, and sweep units in a directory of another config.
func TestMergeRefuses(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	one := writeFile(t, dir, "one.yaml", "scenario: tasks\nreps: 2\nsweep:\n  work: [1s, 2s]\n")
	other := writeFile(t, dir, "other.yaml", "scenario: tasks\nreps: 2\nseed: 5\nsweep:\n  work: [1s, 2s]\n")
	for _, args := range [][]string{
		{"sweep", one, "--shard", "0/1", "--dir", a},
		{"sweep", other, "--shard", "0/1", "--dir", b},
	} {
		if r := vtsim(t, nil, args...); r.code != 0 {
			t.Fatalf("%q: exit %d: %s", args, r.code, r.stderr)
		}
	}
	r := vtsim(t, nil, "merge", filepath.Join(a, "unit-000000.json"), filepath.Join(b, "unit-000001.json"))
	if r.code != 1 || !strings.Contains(r.stderr, "is from another config or seed than") {
		t.Errorf("mixed seeds: exit %d, stderr %q", r.code, r.stderr)
	}
	r = vtsim(t, nil, "sweep", other, "--shard", "0/1", "--dir", a)
	if r.code != 1 || !strings.Contains(r.stderr, "is from another config or version") {
		t.Errorf("sweep into another config's dir: exit %d, stderr %q", r.code, r.stderr)
	}
	path := filepath.Join(a, "unit-000002.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var unit struct {
		Version string `json:"vtsim_version"`
	}
	if err := json.Unmarshal(data, &unit); err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"vtsim_version": "`+unit.Version+`"`), []byte(`"vtsim_version": "v0.0.1"`), 1)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r = vtsim(t, nil, "merge", a)
	want := "vtsim: cannot merge: " + path + " was written by version v0.0.1, this is " + unit.Version + "; rerun its shard with this version\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("other version: exit %d, stderr %q, want %q", r.code, r.stderr, want)
	}
}

// TestShardAuto checks --shard auto with Kubernetes' and Slurm's variables.
func TestShardAuto(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want scenario.Shard
	}{
		{map[string]string{"JOB_COMPLETION_INDEX": "2", "VTSIM_SHARDS": "4"}, scenario.Shard{Index: 2, Count: 4}},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "5"}, scenario.Shard{Index: 3, Count: 5}},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"}, scenario.Shard{Index: 3, Count: 4}},
	}
	for _, c := range cases {
		got, err := scenario.ParseShard("auto", 0, func(k string) string { return c.env[k] })
		if err != nil || got != c.want {
			t.Errorf("%v: %v, %v; want %v", c.env, got, err, c.want)
		}
	}
	dir := t.TempDir()
	config := writeFile(t, dir, "s.yaml", "scenario: tasks\nreps: 2\n")
	r := vtsim(t, map[string]string{"JOB_COMPLETION_INDEX": "1"}, "sweep", config, "--shard", "auto", "--shards", "2", "--dir", dir)
	if r.code != 0 || !strings.HasPrefix(r.stderr, "vtsim: shard 1/2: 1 of 2 units") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
