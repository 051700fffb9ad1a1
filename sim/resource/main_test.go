package resource_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/internal/testlog"
	"github.com/vtsim/vtsim/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// tlog is the test log: (virtual time, who, what) lines asserted whole.
type tlog = testlog.Log

// newEnv returns an Env that the test closes at its end, and its log.
func newEnv(t *testing.T, opts ...sim.Option) (*sim.Env, *tlog) {
	t.Helper()
	env := sim.New(opts...)
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return env, testlog.New(env)
}

// mustPanic runs f and checks that it panics with a message containing want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	testlog.MustPanic(t, want, f)
}
