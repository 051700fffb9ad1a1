package resource_test

import (
	"fmt"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// tlog records (virtual time, who, what) lines, SimPy-style, for tests that
// assert the whole log.
type tlog struct {
	env   *sim.Env
	lines []string
}

func (l *tlog) add(who, format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf("%v %s %s", l.env.Now(), who, fmt.Sprintf(format, args...)))
}

func (l *tlog) check(t *testing.T, want ...string) {
	t.Helper()
	got := strings.Join(l.lines, "\n")
	if w := strings.Join(want, "\n"); got != w {
		t.Errorf("log:\n%s\nwant:\n%s", got, w)
	}
}

// newEnv returns an Env that the test closes at its end.
func newEnv(t *testing.T, opts ...sim.Option) (*sim.Env, *tlog) {
	t.Helper()
	env := sim.New(opts...)
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return env, &tlog{env: env}
}

// mustPanic runs f and checks that it panics with a message containing want.
func mustPanic(t *testing.T, want string, f func()) {
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
