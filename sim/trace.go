package sim

import "time"

// TraceKind says what happened in a TraceEvent.
type TraceKind uint8

const (
	// TraceSpawn: a task was created.
	TraceSpawn TraceKind = iota + 1
	// TraceResume: a task was resumed.
	TraceResume
	// TraceWait: a task was suspended in a wait; What says on what.
	TraceWait
	// TraceDone: a task ended.
	TraceDone
	// TraceCallback: a callback ran.
	TraceCallback
)

// String returns the kind's name.
func (k TraceKind) String() string {
	switch k {
	case TraceSpawn:
		return "spawn"
	case TraceResume:
		return "resume"
	case TraceWait:
		return "wait"
	case TraceDone:
		return "done"
	case TraceCallback:
		return "callback"
	}
	return "unknown"
}

// TraceEvent is one event seen by a Tracer.
type TraceEvent struct {
	// At is the virtual time.
	At time.Duration
	// Kind says what happened.
	Kind TraceKind
	// Task is the task's ID (0 for a callback).
	Task uint64
	// Name is the task's name.
	Name string
	// What describes the wait, for TraceWait.
	What string
}

// Tracer receives the Env's events as they happen, on the Env's goroutine.
// Install one with WithTracer; with none, tracing costs nothing.
type Tracer interface {
	Trace(ev TraceEvent)
}
