package simtest_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/simtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunGivesAFreshSeededEnvAndSettlesIt(t *testing.T) {
	var env *sim.Env
	var done *sim.Task[int]
	simtest.Run(t, func(t *testing.T, e *sim.Env) {
		env = e
		if e.Seed() != simtest.DefaultSeed {
			t.Errorf("seed %d; want %d", e.Seed(), simtest.DefaultSeed)
		}
		clk := e.Clock()
		done = sim.Go(e, "worker", func(p *sim.Proc) (int, error) {
			clk.Sleep(time.Hour) // Run brings the Env to rest after the body
			return 1, nil
		})
	})
	if !done.Done() || env.Now() != time.Hour {
		t.Errorf("worker done %v at %v; want done at 1h", done.Done(), env.Now())
	}
}

// child runs the test named name of this binary as a child process with
// the arguments, and returns its output.
func child(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^" + name + "$", "-test.v"}, args...)...)
	cmd.Env = append(os.Environ(), "SIMTEST_CHILD=1")
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func onlyInChild(t *testing.T) {
	if os.Getenv("SIMTEST_CHILD") != "1" {
		t.Skip("run by another test as a child process")
	}
}

func TestChildFails(t *testing.T) {
	onlyInChild(t)
	simtest.Run(t, func(t *testing.T, env *sim.Env) {
		env.RunFor(time.Minute)
		t.Errorf("draw %d", env.Rand("x").IntN(1000))
	})
}

func TestChildDeadlocksAndLeaks(t *testing.T) {
	onlyInChild(t)
	simtest.Run(t, func(t *testing.T, env *sim.Env) {
		ch := make(chan int)
		sim.Go(env, "stuck", func(p *sim.Proc) (int, error) {
			v, _, err := sim.Recv(p, ch)
			return v, err
		})
		go func() { <-ch }()
	})
}

func TestRunReportsTheSeedAndTheCommand(t *testing.T) {
	out := child(t, "TestChildFails", "-vtsim.seed=42")
	for _, want := range []string{
		"simtest: failed with seed 42 at virtual time 1m0s; reproduce with:",
		"go test -run '^TestChildFails$' ./sim/simtest -vtsim.seed=42",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The same seed draws the same number; the environment variable works too.
	draw := regexp.MustCompile(`draw \d+`)
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildFails$")
	cmd.Env = append(os.Environ(), "SIMTEST_CHILD=1", "VTSIM_SEED=42")
	again, _ := cmd.CombinedOutput()
	if a, b := draw.FindString(out), draw.FindString(string(again)); a == "" || a != b {
		t.Errorf("seed 42 drew %q, then %q", a, b)
	}
}

func TestRunReportsDeadlocksAndLeaks(t *testing.T) {
	out := child(t, "TestChildDeadlocksAndLeaks")
	for _, want := range []string{
		`simtest: at the end of the test: sim: deadlock`, `"stuck"`, "sim.Recv",
		"simtest: found unexpected goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// orderBug is a test whose outcome depends on the order of two events due
// at the same instant: a writer and a reader both at 1s.
func orderBug(t *testing.T, env *sim.Env) {
	value := 0
	env.CallLater(time.Second, func() { value = 1 })
	var seen int
	env.CallLater(time.Second, func() { seen = value })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if seen != 1 {
		t.Errorf("the reader ran before the writer")
	}
}

func TestChildExplore(t *testing.T) {
	onlyInChild(t)
	simtest.Explore(t, 20, orderBug, simtest.CheckDeterminism())
}

func TestExploreFindsTheFailingSeedAndItReproduces(t *testing.T) {
	out := child(t, "TestChildExplore")
	m := regexp.MustCompile(`reproduce with:\s+(go test -run '\^TestChildExplore\$' \./sim/simtest -vtsim\.seed=(\d+))`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no reproduction command:\n%s", out)
	}
	if !strings.Contains(out, "--- PASS: TestChildExplore/determinism/0") || !strings.Contains(out, "--- FAIL: TestChildExplore/seed="+m[2]) {
		t.Errorf("output:\n%s", out)
	}
	again := child(t, "TestChildExplore", "-vtsim.seed="+m[2])
	if !strings.Contains(again, "--- FAIL: TestChildExplore/seed="+m[2]) || strings.Count(again, "--- FAIL: TestChildExplore/seed=") != 1 {
		t.Errorf("seed %s did not reproduce alone:\n%s", m[2], again)
	}
}

func TestExplorePassesWhenTheOrderDoesNotMatter(t *testing.T) {
	runs := 0
	simtest.Explore(t, 5, func(t *testing.T, env *sim.Env) {
		runs++
		env.CallLater(time.Second, func() {})
	}, simtest.AlsoStreams())
	if runs != 5 {
		t.Errorf("%d runs; want 5", runs)
	}
}

// Synctest runs code that blocks in goroutines of its own on the real clock,
// in a bubble.
func TestSynctestMode(t *testing.T) {
	simtest.Synctest(t, func(t *testing.T, clk clock.Clock) {
		start := clk.Now()
		ctx, cancel := clk.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		results := make(chan time.Duration)
		go func() {
			<-ctx.Done()
			results <- clk.Since(start)
		}()
		go func() {
			<-clk.After(time.Second)
			results <- clk.Since(start)
		}()
		if a, b := <-results, <-results; a != time.Second || b != 3*time.Second {
			t.Errorf("woke at %v and %v; want 1s and 3s", a, b)
		}
		if !start.Equal(sim.DefaultStart) {
			t.Errorf("bubble starts at %v", start)
		}
	})
}

func TestLoggerStampsVirtualTime(t *testing.T) {
	simtest.Run(t, func(t *testing.T, env *sim.Env) {
		log := simtest.Logger(t, env)
		sim.Go(env, "worker", func(p *sim.Proc) (int, error) {
			env.Clock().Sleep(time.Minute)
			log.Info("awake")
			return 0, nil
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
	})
}
