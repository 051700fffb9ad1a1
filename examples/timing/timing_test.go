package timing_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/examples/timing"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/simtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The retry loop runs unmodified in a task, on env.Clock(): every attempt
// happens at an exact virtual instant, jitter included (drawn from a seeded
// stream of the Env), and the whole minute of backoff takes microseconds.
func ExampleRetry() {
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	clk := env.Clock()
	sim.Go(env, "client", func(p *sim.Proc) (int, error) {
		ctx, cancel := clk.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b := timing.Backoff{Base: time.Second, Max: 20 * time.Second, Jitter: 0.2}
		err := timing.Retry(ctx, clk, b, env.Rand("jitter"), func(n int) error {
			fmt.Printf("attempt %d at %v\n", n, env.Now().Round(time.Millisecond))
			return errors.New("unavailable")
		})
		fmt.Printf("%v at %v\n", err, env.Now().Round(time.Millisecond))
		return 0, nil
	})
	if err := env.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// attempt 1 at 0s
	// attempt 2 at 862ms
	// attempt 3 at 2.853s
	// attempt 4 at 6.359s
	// attempt 5 at 13.621s
	// attempt 6 at 28.934s
	// attempt 7 at 46.222s
	// retry: gave up after 7 attempts: unavailable at 46.222s
}

// A client that waits for the bucket's tokens gets exactly the burst plus
// one token per interval through a virtual hour.
func TestBucketThroughputOverAVirtualHour(t *testing.T) {
	simtest.Run(t, func(t *testing.T, env *sim.Env) {
		clk := env.Clock()
		b := timing.NewBucket(clk, 100*time.Millisecond, 5)
		sent := 0
		var times []time.Duration
		client := sim.Go(env, "client", func(p *sim.Proc) (int, error) {
			for env.Now() < time.Hour {
				b.Wait()
				if env.Now() <= time.Hour {
					sent++
					if len(times) < 8 {
						times = append(times, env.Now())
					}
				}
			}
			return sent, nil
		})
		if err := env.RunUntil(time.Hour); err != nil {
			t.Fatal(err)
		}
		client.Cancel("end of the hour")
		// 5 at once, then one every 100ms from 100ms to 1h inclusive.
		if want := 5 + 36000; sent != want {
			t.Errorf("sent %d in a virtual hour; want %d", sent, want)
		}
		if got, want := fmt.Sprint(times), "[0s 0s 0s 0s 0s 100ms 200ms 300ms]"; got != want {
			t.Errorf("first sends at %s; want %s", got, want)
		}
	})
}

// leaseTest runs a holder that renews a 3s lease every interval and a
// monitor that checks it every second, for a virtual minute.
func leaseTest(interval time.Duration) func(t *testing.T, env *sim.Env) {
	return func(t *testing.T, env *sim.Env) {
		clk := env.Clock()
		l := timing.NewLease(clk, 3*time.Second)
		stop := func() bool { return env.Now() >= time.Minute }
		sim.Go(env, "holder", func(p *sim.Proc) (int, error) {
			timing.Heartbeat(clk, l, interval, stop)
			return 0, nil
		})
		sim.Go(env, "monitor", func(p *sim.Proc) (int, error) {
			for !stop() {
				clk.Sleep(time.Second)
				if !l.Valid() {
					t.Errorf("lease lost at %v", env.Now())
					return 0, nil
				}
			}
			return 0, nil
		})
		if err := env.Run(); err != nil {
			t.Fatal(err)
		}
	}
}

// With FIFO order the buggy heartbeat passes: the holder's renewal was
// scheduled before the monitor's check at the same instant.
func TestLeaseBugHidesUnderFIFO(t *testing.T) {
	simtest.Run(t, leaseTest(3*time.Second))
}

func TestChildLeaseExplore(t *testing.T) {
	if os.Getenv("TIMING_CHILD") != "1" {
		t.Skip("run by TestExploreFindsTheLeaseBug as a child process")
	}
	simtest.Explore(t, 50, leaseTest(3*time.Second))
}

// Explore finds the order in which the monitor checks before the renewal,
// and the seed it prints reproduces the failure alone.
func TestExploreFindsTheLeaseBug(t *testing.T) {
	run := func(args ...string) string {
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestChildLeaseExplore$", "-test.v"}, args...)...)
		cmd.Env = append(os.Environ(), "TIMING_CHILD=1")
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := run()
	m := regexp.MustCompile(`lease lost at (\S+)[\s\S]*reproduce with:\s+(go test -run '\^TestChildLeaseExplore\$' \./examples/timing -vtsim\.seed=(\d+))`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("Explore found no failing seed:\n%s", out)
	}
	t.Logf("Explore: lease lost at %s; %s", m[1], m[2])
	again := run("-vtsim.seed=" + m[3])
	if !strings.Contains(again, "lease lost at "+m[1]) || !strings.Contains(again, "--- FAIL: TestChildLeaseExplore/seed="+m[3]) {
		t.Errorf("seed %s did not reproduce:\n%s", m[3], again)
	}
}

// Renewing at half the TTL survives every order.
func TestFixedLeaseSurvivesExplore(t *testing.T) {
	simtest.Explore(t, 20, leaseTest(1500*time.Millisecond), simtest.CheckDeterminism())
}
