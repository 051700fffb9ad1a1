// Package simtest runs go tests on a vtsim Env: a fresh Env per test, a
// seed that a failure prints with the command that reproduces it, a check
// for leaked tasks and goroutines at the end, and exploration of the orders
// of same-instant events under many seeds.
//
// # Seeds
//
// A test's seed comes from the -vtsim.seed flag (which this package
// registers, as package testing registers its own flags), else from the
// VTSIM_SEED environment variable, else it is DefaultSeed, so that CI runs
// are stable. On failure, Run and Explore print the seed and the go test
// command that runs the test again with it.
//
// # Code that starts its own goroutines
//
// Code under test that blocks on clock channels or contexts in goroutines of
// its own, rather than in tasks, cannot run on an Env (a plain receive in a
// task blocks the run loop). [Synctest] runs such code unmodified on the real
// clock.Clock inside a testing/synctest bubble, whose fake clock advances
// only when every goroutine of the bubble is durably blocked.
package simtest

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"hash"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/benbjohnson/clock"
	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// DefaultSeed is the seed of a test when neither -vtsim.seed nor VTSIM_SEED
// gives one.
const DefaultSeed uint64 = 1

// MaxSteps is how many events Run dispatches at most after the test body
// returns, bringing the Env to rest, before it reports an Env that never
// comes to rest (an unstopped Ticker, or a task that never ends).
const MaxSteps = 10_000_000

var seedFlag = flag.String("vtsim.seed", "", "seed of vtsim tests run with simtest (default: $VTSIM_SEED, else 1)")

// Seed returns the seed that Run gives a test, and whether -vtsim.seed or
// VTSIM_SEED set it. It fails the test if the value is not a number.
func Seed(t testing.TB) (seed uint64, set bool) {
	t.Helper()
	s := *seedFlag
	from := "-vtsim.seed"
	if s == "" {
		s, from = os.Getenv("VTSIM_SEED"), "VTSIM_SEED"
	}
	if s == "" {
		return DefaultSeed, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("simtest: %s=%q is not a seed (allowed: an unsigned integer)", from, s)
	}
	return n, true
}

// Run runs fn as the test's body with a fresh Env, seeded with Seed and
// configured by opts (which may not set the seed: the Env's seed is the
// test's). When fn returns, Run dispatches the Env's remaining events (at
// most MaxSteps), and fails the test if tasks still wait then (a deadlock),
// if a task failed and nobody read its failure, or if a goroutine started
// during the test is still running after Close. If the test failed, Run
// prints the seed and the command that reproduces the failure.
func Run(t *testing.T, fn func(t *testing.T, env *sim.Env), opts ...sim.Option) {
	t.Helper()
	seed, _ := Seed(t)
	run(t, seed, seed, t, fn, opts...)
}

// run runs fn on a fresh Env seeded with envSeed; a failure prints seed and
// the command that reruns the test named by cmd with it.
func run(t *testing.T, envSeed, seed uint64, cmd testing.TB, fn func(*testing.T, *sim.Env), opts ...sim.Option) {
	t.Helper()
	leaks := goleak.IgnoreCurrent()
	env := sim.New(append(opts, sim.WithSeed(envSeed))...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("simtest: failed with seed %d at virtual time %v; reproduce with:\n\t%s", seed, env.Now(), Command(cmd, seed))
		}
	})
	defer func() {
		if err := env.Close(); err != nil {
			t.Errorf("simtest: Close: %v", err)
		}
		if err := goleak.Find(leaks); err != nil {
			t.Errorf("simtest: %v", err)
		}
	}()
	fn(t, env)
	if !t.Failed() {
		settle(t, env)
	}
}

// settle dispatches the Env's remaining events and reports tasks that still
// wait.
func settle(t *testing.T, env *sim.Env) {
	t.Helper()
	for range MaxSteps {
		if !env.Step() {
			if err := env.Run(); err != nil { // returns at once: reports deadlocks and unread failures
				t.Errorf("simtest: at the end of the test: %v", err)
			}
			return
		}
	}
	t.Errorf("simtest: the Env still had %d events after %d steps at virtual time %v: an unstopped Ticker, or a task that never ends?", env.Pending(), MaxSteps, env.Now())
}

// Command returns the go test command that runs the test t again with the
// seed: go test -run '^TestName$' ./pkg -vtsim.seed=N, with ./pkg the
// package's directory relative to its module's root.
func Command(t testing.TB, seed uint64) string {
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return fmt.Sprintf("go test -run '%s' %s -vtsim.seed=%d", strings.Join(parts, "/"), packageDir(), seed)
}

// packageDir returns the directory of the test's package (the working
// directory of a go test binary) relative to the module's root, as ./dir.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}

// ExploreOption configures Explore.
type ExploreOption func(*explore)

type explore struct {
	streams     bool
	determinism bool
	opts        []sim.Option
}

// AlsoStreams makes Explore vary the model's random streams (the Env's
// seed) with the tie-break seed, rather than keep them at the test's seed.
func AlsoStreams() ExploreOption { return func(x *explore) { x.streams = true } }

// CheckDeterminism makes Explore run its first seed twice first, with a
// tracer, and fail if the two traces differ: the model depends on something
// other than the seed (map order, goroutines, the real clock).
func CheckDeterminism() ExploreOption { return func(x *explore) { x.determinism = true } }

// WithOptions passes Env options to every run of Explore (they may not set
// the tie-break, which Explore sets, nor the seed).
func WithOptions(opts ...sim.Option) ExploreOption {
	return func(x *explore) { x.opts = append(x.opts, opts...) }
}

// Explore runs fn as Run does, as the subtest "seed=N" for n seeds N from
// the test's seed on, with the Random tie-break seeded by N: each run orders
// the events that fall at the same instant differently. It stops at the
// first failing seed, whose subtest prints the command that reproduces it;
// when -vtsim.seed or VTSIM_SEED sets the seed, Explore runs that seed
// alone (without the determinism check). It panics if n < 1.
func Explore(t *testing.T, n int, fn func(t *testing.T, env *sim.Env), opts ...ExploreOption) {
	t.Helper()
	if n < 1 {
		panic(fmt.Sprintf("simtest: Explore with %d seeds (allowed: 1 or more)", n))
	}
	var x explore
	for _, o := range opts {
		o(&x)
	}
	base, set := Seed(t)
	if set {
		n, x.determinism = 1, false // reproduce the seed given, as alone as it failed
	}
	envOpts := func(seed uint64) []sim.Option {
		return append(x.opts[:len(x.opts):len(x.opts)], sim.WithTieBreak(scheduler.Random), sim.WithTieBreakSeed(seed))
	}
	envSeed := func(seed uint64) uint64 {
		if x.streams {
			return seed
		}
		return base
	}
	if x.determinism {
		var hashes [2]string
		for i := range hashes {
			ok := t.Run(fmt.Sprintf("determinism/%d", i), func(t *testing.T) {
				tr := &hashTracer{h: sha256.New()}
				run(t, envSeed(base), base, parentOf(t), fn, append(envOpts(base), sim.WithTracer(tr))...)
				hashes[i] = fmt.Sprintf("%x", tr.h.Sum(nil))
			})
			if !ok {
				return
			}
		}
		if hashes[0] != hashes[1] {
			t.Fatalf("simtest: seed %d gave two different traces: the test depends on something besides the seed (map order, goroutines, the real clock?)", base)
		}
	}
	for i := range n {
		seed := base + uint64(i)
		if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			run(t, envSeed(seed), seed, parentOf(t), fn, envOpts(seed)...)
		}) {
			return
		}
	}
}

// parentOf returns a TB named as the test that called Explore, for the
// reproduction command (which reruns Explore with the seed).
func parentOf(t *testing.T) testing.TB {
	name := t.Name()
	if i := strings.Index(name, "/seed="); i >= 0 {
		name = name[:i]
	} else if i := strings.Index(name, "/determinism/"); i >= 0 {
		name = name[:i]
	}
	return named{t, name}
}

type named struct {
	testing.TB
	name string
}

func (n named) Name() string { return n.name }

// hashTracer hashes every trace event.
type hashTracer struct{ h hash.Hash }

func (t *hashTracer) Trace(ev sim.TraceEvent) {
	fmt.Fprintf(t.h, "%d|%v|%d|%s|%s\n", ev.At, ev.Kind, ev.Task, ev.Name, ev.What)
}

// Synctest runs fn in a testing/synctest bubble with benbjohnson's real
// clock.Clock, for code that blocks on the clock's channels or on contexts
// in goroutines of its own and cannot run in tasks. The bubble's fake clock
// starts at sim.DefaultStart and advances only when every goroutine of the
// bubble is durably blocked (on channels, timers, sync.Cond, select, but not
// on I/O, mutexes or syscalls), so timing is exact and a test takes no real
// time.
//
// What keeps it deterministic: virtual time and the instants at which
// timers fire. What cannot be: the order in which goroutines run within an
// instant, which is the Go scheduler's (there is no seed to explore or
// replay, unlike Explore); every goroutine the test starts must end before
// fn returns (synctest fails the test otherwise), and fn must not block on
// anything outside the bubble.
func Synctest(t *testing.T, fn func(t *testing.T, clk clock.Clock)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) { fn(t, clock.New()) })
}

// Logger returns a logger whose records go to t.Log (shown when the test
// fails, or with -v), stamped with env's virtual time and the running task
// (see sim.Env.LogHandler): the test's and the model's logs read in the
// time the code lived in.
func Logger(t testing.TB, env *sim.Env) *slog.Logger {
	return slog.New(env.LogHandler(slog.NewTextHandler(testWriter{t}, nil)))
}

// testWriter writes each log line to t.Log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}
