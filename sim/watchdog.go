package sim

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// watchdog notices a run loop that makes no progress in real time: a task or
// callback that blocks on something the engine does not see. It is the only
// part of the engine that reads the real clock.
type watchdog struct {
	progress atomic.Uint64        // the Env's step count, stored every 64 steps
	at       time.Duration        // virtual time of the last progress mark; published by the Store
	current  atomic.Pointer[Proc] // the task resumed last
	quit     chan struct{}
	wg       sync.WaitGroup
}

func startWatchdog(e *Env) *watchdog {
	w := &watchdog{quit: make(chan struct{})}
	timeout, report := e.cfg.wdTimeout, e.cfg.wdReport
	w.at = e.now
	w.progress.Store(e.steps)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(max(timeout/8, time.Millisecond))
		defer tick.Stop()
		last, since := w.progress.Load(), time.Now()
		reported := false
		for {
			select {
			case <-w.quit:
				return
			case <-tick.C:
			}
			if n := w.progress.Load(); n != last {
				last, since, reported = n, time.Now(), false
				continue
			}
			stalled := time.Since(since)
			if reported || stalled < timeout {
				continue
			}
			reported = true
			err := &StallError{At: w.at, For: stalled.Round(time.Millisecond)}
			var inTask bool
			err.Stack, inTask = blockedStack()
			if p := w.current.Load(); p != nil && inTask {
				// Tasks resume only through the loop, so the blocked task
				// is the one resumed last.
				err.Task, err.At = p.name, p.resumedAt
			}
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

// blockedStack returns the stacks of the goroutines that run engine code and
// are blocked on something other than a coroutine switch, and whether one of
// them is a task's coroutine (rather than the run loop in a callback).
func blockedStack() (stack string, inTask bool) {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[coroutine]") || strings.Contains(header, "[running]") {
			continue
		}
		task := strings.Contains(g, "vtsim/sim.(*Proc).body")
		if task || strings.Contains(g, "vtsim/sim.(*Env).dispatch") {
			found = append(found, g)
			inTask = inTask || task
		}
	}
	return strings.Join(found, "\n\n"), inTask
}
