package sim

import (
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/vtsim/vtsim/reports/trace"
)

// LoopTrack is the ID of the TraceRecorder's track for callbacks and
// counters; task tracks have the task's ID, which is never 0.
const LoopTrack = 0

// TraceRecorder is a Tracer that keeps the Env's events as a timeline of
// trace.Events, for Perfetto or chrome://tracing. Install it with
// WithTracer(r); its zero value is ready to use.
//
// Each task gets a track, with the task's ID and name: an instant "spawn"
// when it is created, a slice from each wait to the resumption that ends it,
// named for what the task waited on (as in a DeadlockError), and an instant
// "done" when it ends. Callbacks are instants "callback" on the track
// LoopTrack, named "loop", where Counter also puts its samples.
//
// Recording takes O(1) amortised time and memory per event. A TraceRecorder
// is not safe for concurrent use; the Env calls it on its own goroutine.
type TraceRecorder struct {
	events []trace.Event
	open   map[uint64]openWait // task ID -> its wait, while it waits
	last   time.Duration
}

type openWait struct {
	name string
	what string
}

// Trace records ev; it implements Tracer.
func (r *TraceRecorder) Trace(ev TraceEvent) {
	r.last = max(r.last, ev.At)
	name := ev.Name
	if ev.Task != 0 && name == "" {
		name = "task " + strconv.FormatUint(ev.Task, 10)
	}
	add := func(ph trace.Phase, label string) {
		r.events = append(r.events, trace.Event{At: ev.At, Track: ev.Task, TrackName: name, Phase: ph, Name: label})
	}
	switch ev.Kind {
	case TraceSpawn:
		add(trace.Instant, "spawn")
	case TraceWait:
		if r.open == nil {
			r.open = map[uint64]openWait{}
		}
		r.open[ev.Task] = openWait{name, ev.What}
		add(trace.Begin, ev.What)
	case TraceResume:
		if w, ok := r.open[ev.Task]; ok {
			delete(r.open, ev.Task)
			add(trace.End, w.what)
		}
	case TraceDone:
		if w, ok := r.open[ev.Task]; ok { // ended at its wait, on Close
			delete(r.open, ev.Task)
			add(trace.End, w.what)
		}
		add(trace.Instant, "done")
	case TraceCallback:
		r.events = append(r.events, trace.Event{At: ev.At, Track: LoopTrack, TrackName: "loop", Phase: trace.Instant, Name: "callback"})
	}
}

// Counter records that the counter name (a queue length, say) holds value
// from virtual time at on. It appears on the loop track.
func (r *TraceRecorder) Counter(at time.Duration, name string, value float64) {
	r.last = max(r.last, at)
	r.events = append(r.events, trace.Event{At: at, Track: LoopTrack, TrackName: "loop", Phase: trace.Counter, Name: name, Value: value})
}

// Events returns a copy of the events recorded so far, in the order they
// happened. Waits still open are closed at the time of the latest event, by
// increasing task ID, so that every slice has an end; recording goes on
// unaffected.
func (r *TraceRecorder) Events() []trace.Event {
	out := make([]trace.Event, len(r.events), len(r.events)+len(r.open))
	copy(out, r.events)
	ids := make([]uint64, 0, len(r.open))
	for id := range r.open {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		w := r.open[id]
		out = append(out, trace.Event{At: r.last, Track: id, TrackName: w.name, Phase: trace.End, Name: w.what})
	}
	return out
}

// WriteChrome writes the events recorded so far as Chrome trace-event JSON
// (see trace.WriteChrome).
func (r *TraceRecorder) WriteChrome(w io.Writer) error {
	return trace.WriteChrome(w, r.Events())
}
