package sim_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// diffScript exercises the rules where env.Clock() and the real clock
// differ, and some where they agree around them.
func diffScript(r *clockRig) {
	clk := r.clk
	const s = time.Second
	t1 := clk.Timer(s)
	clk.Sleep(2 * s)
	r.log("stop fired unreceived: %v; then %s", t1.Stop(), r.poll(t1.C))
	t2 := clk.Timer(s)
	clk.Sleep(2 * s)
	r.log("reset fired unreceived: %v; then %s", t2.Reset(s), r.poll(t2.C))
	r.log("received %v", r.recv(t2.C).Sub(r.start))
	t3 := clk.Timer(0)
	r.log("stop timer(0): %v; then %s", t3.Stop(), r.poll(t3.C))
	t4 := clk.Timer(s)
	r.log("reset(0): %v; then %s", t4.Reset(0), r.poll(t4.C))
	clk.Sleep(s / 10)
	r.log("after a sleep: %s", r.poll(t4.C))
	ctx, cancel := clk.WithTimeout(context.Background(), s)
	child, ccancel := context.WithCancel(ctx)
	r.done(child)
	r.log("stdlib child: %v, cause %v", child.Err(), context.Cause(child))
	ccancel()
	cancel()
	tk := clk.Ticker(s)
	clk.Sleep(3*s + s/2)
	r.log("ticker after 3.5s: %s, then %s", r.poll(tk.C), r.poll(tk.C))
	tk.Stop()
	func() {
		defer func() { r.log("ticker(0): %v", recover()) }()
		clk.Ticker(0)
	}()
}

// TestClockDifferences names where env.Clock() differs from the real clock
// (Go's timers since 1.23): the Env cannot see a Stop, a Reset or a plain
// receive until the event that made it ends, and package context gives
// DeadlineExceeded only to contexts with a real timer.
func TestClockDifferences(t *testing.T) {
	same := []string{
		"2s stop fired unreceived: true; then %s",
		"4s reset fired unreceived: true; then %s",
		"5s received 5s",
		"5s stop timer(0): true; then %s",
		"5s reset(0): true; then %s",
		"5.1s after a sleep: %s",
		"6.1s stdlib child: %s, cause context deadline exceeded",
		"9.6s ticker after 3.5s: value at 7.1s, then empty",
		"9.6s ticker(0): %s",
	}
	fill := func(args ...string) []string {
		var out []string
		for _, l := range same {
			if strings.Contains(l, "%s") {
				l, args = fmt.Sprintf(l, args[0]), args[1:]
			}
			out = append(out, l)
		}
		return out
	}
	wantReal := fill("empty", "empty", "empty", "value at 5s", "empty",
		"context deadline exceeded", "non-positive interval for NewTicker")
	wantEnv := fill(
		"value at 1s", // the stale value goes at the end of the event
		"value at 3s", // likewise
		"value at 5s", // likewise
		"empty",       // Reset(0) fires at the end of the event...
		"value at 5s", // ...and its value waits, unread
		"context canceled",
		"sim: Clock.Ticker(0s): non-positive interval (allowed: a positive duration)")
	if got := runOnRealClock(t, diffScript); !slices.Equal(got, wantReal) {
		t.Errorf("real clock:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReal, "\n"))
	}
	if got := runOnEnvClock(t, diffScript); !slices.Equal(got, wantEnv) {
		t.Errorf("env.Clock():\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantEnv, "\n"))
	}
}
