package policy_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind (Run's pull
// coroutine among them).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
