package sim

import (
	"context"
	"log/slog"
)

// LogHandler returns a [slog.Handler] that stamps each record with the Env's
// virtual time (its Time is [Env.Time]) and, when a task is running, adds
// the attribute task=name, then passes it to h: logs read in the time the
// code lived in. Records must be logged on the Env's goroutine (from the
// driver, a callback or a task). It panics if h is nil.
func (e *Env) LogHandler(h slog.Handler) slog.Handler {
	if h == nil {
		panic("sim: LogHandler called with a nil handler")
	}
	return &logHandler{env: e, h: h}
}

// logHandler is the handler of LogHandler.
type logHandler struct {
	env *Env
	h   slog.Handler
}

// Enabled reports whether h handles records of the level.
func (l *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

// Handle stamps r and passes it on.
func (l *logHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Time = l.env.Time()
	if p := l.env.current; p != nil {
		r = r.Clone()
		r.AddAttrs(slog.String("task", p.name))
	}
	return l.h.Handle(ctx, r)
}

// WithAttrs returns the handler with attributes added.
func (l *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logHandler{env: l.env, h: l.h.WithAttrs(attrs)}
}

// WithGroup returns the handler with a group opened; the task attribute
// goes into it too.
func (l *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{env: l.env, h: l.h.WithGroup(name)}
}
