package jobstats

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the test binary if a goroutine of Run outlives the tests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
