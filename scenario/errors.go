package scenario

import (
	"errors"
	"fmt"
)

// Sentinel errors of the package, checked with [errors.Is]. Functions wrap
// them with what was wrong and what is allowed.
var (
	// ErrUnknownScenario reports a scenario name that is not registered.
	ErrUnknownScenario = errors.New("unknown scenario")
	// ErrUnknownParam reports a parameter the scenario does not have.
	ErrUnknownParam = errors.New("unknown parameter")
	// ErrBadValue reports a parameter value that does not parse as the
	// parameter's type, or lies outside its range or set.
	ErrBadValue = errors.New("bad parameter value")
	// ErrConfig reports a config file that cannot be used.
	ErrConfig = errors.New("bad config")
	// ErrShard reports a shard specification that cannot be used.
	ErrShard = errors.New("bad shard")
	// ErrMerge reports unit files that cannot be merged into one report.
	ErrMerge = errors.New("cannot merge")
	// ErrRun reports a replication that failed.
	ErrRun = errors.New("run failed")
)

// UsageError is an error in what the user asked for (a flag, an argument, a
// config file): the command line exits with status 2 for it, and 1 for
// other errors.
type UsageError struct {
	Err error
}

// Error implements the error interface.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// usagef returns a *UsageError with a formatted message.
func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}
