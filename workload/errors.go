package workload

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions wrap them with what was wrong and what is
// allowed, so test for them with [errors.Is].
var (
	// ErrInvalid reports a parameter outside what a constructor or a
	// [Spec] allows: a NaN, a non-positive mean, probabilities that do not
	// add up, a missing distribution.
	ErrInvalid = errors.New("workload: invalid parameter")
	// ErrRange reports a value that does not fit a time.Duration, or a
	// number in a trace outside the range its field allows.
	ErrRange = errors.New("workload: value out of range")
	// ErrSyntax reports a malformed trace line: a missing or extra field,
	// text where a number belongs, a header that names unknown columns.
	ErrSyntax = errors.New("workload: syntax error")
)

// ParseError reports a malformed trace: which file (if the reader was given
// a name), which line, which field, and what the field allows. Its Err is
// [ErrSyntax] or [ErrRange], so [errors.Is] sees through it.
type ParseError struct {
	// File is the trace's name as given to the reader; empty if none.
	File string
	// Line is the 1-based line number in the input.
	Line int
	// Field names the column or SWF field; empty when the whole line is
	// at fault (a wrong number of fields).
	Field string
	// Value is the offending text, as read.
	Value string
	// Allowed says what the field accepts.
	Allowed string
	// Err is ErrSyntax or ErrRange.
	Err error
}

// Error returns "workload: FILE:LINE: field FIELD: "VALUE": want
// ALLOWED", with "line LINE" when there is no file name and without the
// field part when Field is empty.
func (e *ParseError) Error() string {
	s := fmt.Sprintf("workload: line %d: ", e.Line)
	if e.File != "" {
		s = fmt.Sprintf("workload: %s:%d: ", e.File, e.Line)
	}
	if e.Field != "" {
		s += "field " + e.Field + ": "
	}
	return s + fmt.Sprintf("%q: want %s", e.Value, e.Allowed)
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }
