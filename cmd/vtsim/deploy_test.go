package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
)

// deploy is the repository's deploy/ directory.
var deploy = filepath.Join("..", "..", "deploy")

// TestDeployFiles checks that the sweep config of deploy/ loads, that the
// Kubernetes Job runs shards with --shard auto and as many shards as
// completions, and that the Slurm script does too.
func TestDeployFiles(t *testing.T) {
	cfg, err := scenario.LoadConfig(filepath.Join(deploy, "sweep.yaml"), catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Points) != 12 {
		t.Errorf("deploy/sweep.yaml has %d points, want 12", len(cfg.Points))
	}
	data, err := os.ReadFile(filepath.Join(deploy, "kubernetes-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type container struct {
		Args []string
		Env  []struct{ Name, Value string }
	}
	type doc struct {
		Kind string
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int
			Template       struct {
				Spec struct{ Containers []container }
			}
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	jobs := 0
	for {
		var d doc
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if d.Kind != "Job" {
			continue
		}
		jobs++
		c := d.Spec.Template.Spec.Containers[0]
		if d.Spec.CompletionMode != "Indexed" || !slices.Contains(c.Args, "auto") || c.Args[0] != "sweep" {
			t.Errorf("the Job is not an Indexed Job running vtsim sweep --shard auto: %+v", d.Spec)
		}
		for _, e := range c.Env {
			if e.Name == "VTSIM_SHARDS" && e.Value != "4" || d.Spec.Completions != 4 {
				t.Errorf("VTSIM_SHARDS = %s with %d completions", e.Value, d.Spec.Completions)
			}
		}
	}
	if jobs != 1 {
		t.Errorf("%d Jobs in kubernetes-job.yaml, want 1", jobs)
	}
	script, err := os.ReadFile(filepath.Join(deploy, "slurm-sweep.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#SBATCH --array=0-3", "vtsim sweep \"$config\" --shard auto --dir \"$units\""} {
		if !strings.Contains(string(script), want) {
			t.Errorf("slurm-sweep.sh lacks %q", want)
		}
	}
}
