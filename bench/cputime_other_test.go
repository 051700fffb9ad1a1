//go:build !unix

package bench

import "time"

// processCPU reports false: the process's CPU time is read on Unix only
// (cputime_unix_test.go).
func processCPU() (time.Duration, bool) { return 0, false }
