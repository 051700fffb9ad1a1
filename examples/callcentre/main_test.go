package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/golden"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

var update = flag.Bool("update", false, "rewrite the golden file")

// TestOutput pins the table the example prints and checks the HTML page.
func TestOutput(t *testing.T) {
	page := filepath.Join(t.TempDir(), "callcentre.html")
	var b bytes.Buffer
	if err := run(&b, page); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "output.golden"), b.Bytes(), *update)
	h, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Call centre (Erlang A)", "<table", "abandoned", "5 agents"} {
		if !strings.Contains(string(h), s) {
			t.Errorf("HTML report lacks %q", s)
		}
	}
}

// erlangA returns the steady state of the M/M/c+M queue (Erlang A) with
// arrival rate lambda, service rate mu, c agents and abandonment rate
// theta: the birth-death chain on the number n of callers, birth rate
// lambda, death rate min(n, c)·mu + max(n − c, 0)·theta (Garnett,
// Mandelbaum and Reiman, "Designing a call center with impatient
// customers", Manufacturing & Service Operations Management 4(3), 2002),
// truncated at 1000 callers. It returns the mean queue length E[Q], the
// mean number of busy agents, and by Little's law and the abandonment rate
// theta·E[Q], the mean wait of all callers E[Q]/lambda and the fraction
// that abandon theta·E[Q]/lambda.
func erlangA(lambda, mu, theta float64, c int) (queue, busy, waitAll, abandoned float64) {
	p, z := 1.0, 0.0
	for n := 0; n < 1000; n++ {
		if n > 0 {
			p *= lambda / (float64(min(n, c))*mu + float64(max(n-c, 0))*theta)
		}
		z += p
		queue += float64(max(n-c, 0)) * p
		busy += float64(min(n, c)) * p
	}
	queue, busy = queue/z, busy/z
	return queue, busy, queue / lambda, theta * queue / lambda
}

// TestErlangA checks each configuration's figures against Erlang A: each
// analytic value inside the simulated 95% interval. (A shift starts empty
// and drains after closing, a bias of the time averages that an 8-hour
// shift keeps inside the intervals.)
func TestErlangA(t *testing.T) {
	res, err := reports.ReplicateConfigs(context.Background(), reports.Experiment{Replications: 30, Seed: 2026}, reports.ConfigsOptions{},
		reports.Config{Name: "4 agents", Model: shiftOf(4)}, reports.Config{Name: "5 agents", Model: shiftOf(5)})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range res.Configs {
		q, busy, wait, ab := erlangA(4, 1, 0.5, 4+i)
		for name, want := range map[string]float64{"queue_len": q, "busy_agents": busy, "wait_all_min": wait, "abandoned": ab} {
			m, _ := c.Metric(name)
			if s := m.Summary; want < s.Low || want > s.High {
				t.Errorf("%s %s: Erlang A %.4f outside [%.4f, %.4f]", c.Name, name, want, s.Low, s.High)
			}
		}
		// With exponential patience a waiting caller hangs up at rate
		// theta, so E[abandoned] = theta·E[wait of all callers]: the
		// paired interval of the difference must cover 0.
		lost, _ := c.Metric("abandoned")
		wall, _ := c.Metric("wait_all_min")
		scaled := make([]float64, len(wall.Values))
		for k, v := range wall.Values {
			scaled[k] = 0.5 * v
		}
		if d, err := reports.PairedT(lost.Values, scaled, 0.95); err != nil || d.Low > 0 || d.High < 0 {
			t.Errorf("%s: abandoned − θ·wait %+v, %v; want an interval covering 0", c.Name, d, err)
		}
	}
}

// TestStatsWaitUnits checks that sim.Stats gives waits as durations that
// agree with its seconds: two requests for one unit held 3 s, the second
// waits 3 s.
func TestStatsWaitUnits(t *testing.T) {
	env := sim.New()
	defer env.Close()
	r := resource.NewResource(1)
	s := r.EnableStats(env)
	if s.MeanWait() != 0 || s.MaxWait() != 0 {
		t.Fatalf("no requests: MeanWait %v, MaxWait %v; want 0", s.MeanWait(), s.MaxWait())
	}
	for range 2 {
		sim.Go(env, "user", func(p *sim.Proc) (struct{}, error) {
			if err := r.Request(p); err != nil {
				return struct{}{}, err
			}
			defer r.Release()
			return struct{}{}, p.Sleep(3 * time.Second)
		})
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if s.MeanWait() != 1500*time.Millisecond || s.MaxWait() != 3*time.Second || s.Waits.Mean() != 1.5 || sim.WaitUnit != time.Second {
		t.Errorf("MeanWait %v, MaxWait %v, Waits.Mean %v; want 1.5s, 3s, 1.5", s.MeanWait(), s.MaxWait(), s.Waits.Mean())
	}
}
