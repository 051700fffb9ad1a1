// Package testlog is the test log of vtsim's own tests, after SimPy's: each
// line is (virtual time, who, what), and a test asserts the whole log, so
// that every test is also an ordering test. It is nobody's API.
package testlog

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Clock is what a Log reads the time from (a *sim.Env).
type Clock interface{ Now() time.Duration }

// Log records lines stamped with the virtual time of a Clock.
type Log struct {
	clock Clock
	Lines []string
}

// New returns an empty Log on clock.
func New(clock Clock) *Log { return &Log{clock: clock} }

// Add records "<now> <who> <what>", what formatted as by fmt.Sprintf.
func (l *Log) Add(who, format string, args ...any) {
	l.Lines = append(l.Lines, fmt.Sprintf("%v %s %s", l.clock.Now(), who, fmt.Sprintf(format, args...)))
}

// Check fails t unless the log is exactly want, line by line.
func (l *Log) Check(t testing.TB, want ...string) {
	t.Helper()
	got := strings.Join(l.Lines, "\n")
	if w := strings.Join(want, "\n"); got != w {
		t.Errorf("log:\n%s\nwant:\n%s", got, w)
	}
}

// MustPanic runs f and fails t unless f panics with a message containing
// want.
func MustPanic(t testing.TB, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic; want one containing %q", want)
			return
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Errorf("panic %q; want one containing %q", msg, want)
		}
	}()
	f()
}
