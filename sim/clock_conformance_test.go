package sim_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/vtsim/vtsim/sim"
)

// clockRig is what the conformance script needs besides a clock.Clock: a
// blocking receive (a plain one on the real clock, sim.Recv in a task) and a
// log that AfterFunc functions may write to from their own goroutines.
type clockRig struct {
	clk   clock.Clock
	start time.Time
	recv  func(<-chan time.Time) time.Time
	done  func(context.Context)
	mu    sync.Mutex
	lines []string
}

func (r *clockRig) log(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf("%v ", r.clk.Since(r.start))+fmt.Sprintf(format, args...))
}

// poll reports what a non-blocking receive from c finds.
func (r *clockRig) poll(c <-chan time.Time) string {
	select {
	case v := <-c:
		return "value at " + v.Sub(r.start).String()
	default:
		return "empty"
	}
}

// timerScript exercises the timer rules of clock.Clock; every observable
// result goes to the log. Deadlines and checks never share an instant, so
// the order of same-instant events (which the real clock does not define)
// does not matter.
func timerScript(r *clockRig) {
	clk := r.clk
	const s = time.Second

	// Stop before the timer fires, and after.
	t1 := clk.Timer(s)
	r.log("stop pending: %v", t1.Stop())
	clk.Sleep(s + s/2)
	r.log("stopped timer: %s; stop again: %v", r.poll(t1.C), t1.Stop())
	t2 := clk.Timer(s)
	r.log("received %v", r.recv(t2.C).Sub(r.start))
	r.log("stop fired: %v", t2.Stop())

	// Reset a pending, a fired and a stopped timer.
	t3 := clk.Timer(s)
	clk.Sleep(s / 2)
	r.log("reset pending: %v", t3.Reset(2*s))
	clk.Sleep(s)
	r.log("after the old deadline: %s", r.poll(t3.C))
	r.log("received %v", r.recv(t3.C).Sub(r.start))
	r.log("reset fired: %v", t3.Reset(s))
	r.log("received %v", r.recv(t3.C).Sub(r.start))
	t4 := clk.Timer(s)
	r.log("stop: %v; reset stopped: %v", t4.Stop(), t4.Reset(s/4))
	r.log("received %v", r.recv(t4.C).Sub(r.start))

	// Tickers: ticks, Reset, Stop.
	tk := clk.Ticker(s)
	r.log("tick %v", r.recv(tk.C).Sub(r.start))
	r.log("tick %v", r.recv(tk.C).Sub(r.start))
	tk.Reset(3 * s)
	r.log("tick after reset %v", r.recv(tk.C).Sub(r.start))
	tk.Stop()
	clk.Sleep(7 * s)
	r.log("stopped ticker: %s", r.poll(tk.C))
	tk.Reset(s / 2)
	r.log("tick after reset of a stopped ticker %v", r.recv(tk.C).Sub(r.start))
	tk.Stop()

	// AfterFunc, re-armed by Reset after it ran.
	f := clk.AfterFunc(s, func() { r.log("afterfunc ran") })
	clk.Sleep(s + s/2)
	r.log("reset ran afterfunc: %v", f.Reset(s))
	clk.Sleep(s + s/2)
	g := clk.AfterFunc(s, func() { r.log("stopped afterfunc ran") })
	r.log("stop afterfunc: %v", g.Stop())
	clk.Sleep(2 * s)

	// Contexts.
	ctx, cancel := clk.WithTimeout(context.Background(), 2*s)
	dl, _ := ctx.Deadline()
	r.log("timeout ctx: deadline %v, err %v", dl.Sub(r.start), ctx.Err())
	r.done(ctx)
	r.log("timeout ctx done: %v", ctx.Err())
	cancel()
	ctx, cancel = clk.WithDeadline(context.Background(), clk.Now().Add(5*s))
	cancel()
	r.log("cancelled deadline ctx: %v", ctx.Err())
	ctx, cancel = clk.WithDeadline(context.Background(), clk.Now().Add(-s))
	r.log("past deadline ctx: %v", ctx.Err())
	cancel()
	parent, pcancel := clk.WithTimeout(context.Background(), s)
	child, ccancel := clk.WithTimeout(parent, 10*s)
	dl, _ = child.Deadline()
	r.log("child of an earlier parent: deadline %v", dl.Sub(r.start))
	r.done(child)
	r.log("child done: %v", child.Err())
	ccancel()
	pcancel()

	// Zero and negative durations.
	r.log("timer(0): %s", r.poll(clk.Timer(0).C))
	r.log("after(-1s): %s", r.poll(clk.After(-s)))
	clk.AfterFunc(-s, func() { r.log("afterfunc(-1s) ran") })
	clk.Sleep(s / 10)
	before := clk.Now()
	clk.Sleep(-s)
	clk.Sleep(0)
	r.log("sleep(-1s), sleep(0) took %v", clk.Since(before))
	t5 := clk.Timer(s)
	r.log("reset(-1s) pending: %v", t5.Reset(-s))
	r.log("received %v", r.recv(t5.C).Sub(r.start))
}

// runOnRealClock runs script on benbjohnson's real clock, in a synctest
// bubble (whose fake time starts at 2000-01-01T00:00:00Z, sim.DefaultStart).
func runOnRealClock(t *testing.T, script func(*clockRig)) []string {
	var lines []string
	synctest.Test(t, func(t *testing.T) {
		clk := clock.New()
		r := &clockRig{clk: clk, start: clk.Now(),
			recv: func(c <-chan time.Time) time.Time { return <-c },
			done: func(ctx context.Context) { <-ctx.Done() },
		}
		script(r)
		synctest.Wait()
		lines = r.lines
	})
	return lines
}

// runOnEnvClock runs script in a task on env.Clock().
func runOnEnvClock(t *testing.T, script func(*clockRig)) []string {
	env, _ := newEnv(t)
	clk := env.Clock()
	r := &clockRig{clk: clk, start: clk.Now()}
	sim.Go(env, "script", func(p *sim.Proc) (int, error) {
		r.recv = func(c <-chan time.Time) time.Time {
			v, _, err := sim.Recv(p, c)
			if err != nil {
				t.Errorf("Recv: %v", err)
			}
			return v
		}
		r.done = func(ctx context.Context) {
			if _, _, err := sim.Recv(p, ctx.Done()); err != nil {
				t.Errorf("Recv: %v", err)
			}
		}
		script(r)
		return 0, nil
	})
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	return r.lines
}

func TestClockConformance(t *testing.T) {
	real := runOnRealClock(t, timerScript)
	virt := runOnEnvClock(t, timerScript)
	if g, w := strings.Join(virt, "\n"), strings.Join(real, "\n"); g != w {
		t.Errorf("env.Clock():\n%s\nreal clock in a synctest bubble:\n%s", g, w)
	}
}
