package sim

import (
	"runtime"
	"strings"
	"sync"
	"time"
)

// watchdog notices a run loop that makes no progress in real time: a task or
// callback that blocks on something the engine does not see. It is the only
// part of the engine that reads the real clock.
//
// It costs the run loop nothing: eight times a period it reads the Env's
// step counter, clock and current task (peek) without synchronisation, on
// purpose. They are written only by the loop; on the 64-bit platforms vtsim
// targets the counter, the clock and the task pointer are machine words, so
// a read sees a value the loop wrote (the Go memory model rules out torn or
// invented word-sized values), and a stale one only delays a report by a
// tick. The task's name is two words, but it is written once, when the task
// is created, long before any report reads it (a Proc that Spawn reuses
// keeps its name: it is reused only for a task of the same name). Before,
// the loop published its progress through atomics, every 64 events and at
// every task resumption: about 4 ns of a 92 ns task switch, and a report of
// "stalled" for a run whose 64 events took longer than the period. Now a
// stall is reported only when the step counter did not move for a whole
// period, at the virtual time of the event that blocks, naming its task.
type watchdog struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

// progress is what the watchdog reads of the loop.
type progress struct {
	steps  uint64
	now    time.Duration
	inTask bool   // a task runs (else the loop is in a callback)
	task   string // its name, which never changes once the task exists
}

// peek reads the loop's progress without synchronisation (see watchdog).
//
//go:norace
//go:noinline
func peek(e *Env) progress {
	pr := progress{steps: e.steps, now: e.now}
	if p := e.current; p != nil {
		pr.inTask, pr.task = true, p.name
	}
	return pr
}

func startWatchdog(e *Env) *watchdog {
	w := &watchdog{quit: make(chan struct{})}
	timeout, report := e.cfg.wdTimeout, e.cfg.wdReport
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(max(timeout/8, time.Millisecond))
		defer tick.Stop()
		last, since := peek(e).steps, time.Now()
		reported := false
		for {
			select {
			case <-w.quit:
				return
			case <-tick.C:
			}
			pr := peek(e)
			if pr.steps != last {
				// since is when the change was seen, after the step began:
				// a report never comes before a whole period without one.
				last, since, reported = pr.steps, time.Now(), false
				continue
			}
			stalled := time.Since(since)
			if reported || stalled < timeout {
				continue
			}
			reported = true
			err := &StallError{At: pr.now, For: stalled.Round(time.Millisecond), Seed: e.cfg.seed}
			err.Stack, err.Callback = blockedStack(pr.inTask)
			err.Task = pr.task
			if report == nil {
				panic(err)
			}
			report(err)
		}
	}()
	return w
}

func (w *watchdog) stop() {
	close(w.quit)
	w.wg.Wait()
}

// blockedStack returns the stack of the goroutine that blocks: the task's
// coroutine if inTask, else the run loop's goroutine in a callback, whose
// function it names too.
func blockedStack(inTask bool) (stack, callback string) {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[coroutine]") || strings.Contains(header, "[running]") {
			continue
		}
		switch {
		case inTask && strings.Contains(g, "vtsim/sim.(*Proc).body"):
			return g, ""
		case !inTask && strings.Contains(g, "vtsim/sim.(*Env).dispatch"):
			return g, frameAbove(g, "vtsim/sim.(*Env).dispatch")
		}
	}
	return "", ""
}

// frameAbove returns the function of the frame that stack shows just above
// (called by) the first frame of fn: the callback that dispatch runs.
func frameAbove(stack, fn string) string {
	lines := strings.Split(stack, "\n")
	prev := ""
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "\t") {
			continue // a file:line line
		}
		if strings.Contains(l, fn) {
			return prev
		}
		if i := strings.LastIndex(l, "("); i > 0 {
			prev = l[:i]
		}
	}
	return ""
}
