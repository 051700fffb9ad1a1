// Package trace holds timeline events, neutral about where they come from,
// and writes them in the Chrome trace-event format, which Perfetto
// (ui.perfetto.dev) and chrome://tracing open.
//
// An Event sits on a track (a row of the timeline, which Chrome calls a
// thread) and is a slice begin or end, an instant or a counter sample.
// Timestamps are virtual time as a time.Duration; no clock is read.
//
// # Output
//
// WriteChrome writes one JSON object with "displayTimeUnit":"ns" and a
// "traceEvents" array: first a thread_name metadata event ("ph":"M") for each
// track, by increasing track ID, then the events in order of time, events at
// the same time in the order given. Timestamps ("ts") are microseconds,
// written exactly as decimals from the nanoseconds. Every event has pid 1 and
// tid equal to its track ID. The same events always give the same bytes.
//
// The format is described in "Trace Event Format" (Google, 2016,
// docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
//
// # Costs
//
// WriteChrome takes O(n log n) time for n events and O(n) memory besides the
// events. Nothing in this package keeps state between calls.
package trace

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
)

// Phase says what an Event is.
type Phase uint8

const (
	// Begin opens a slice on the event's track; the next End on the same
	// track closes it. Slices on a track nest.
	Begin Phase = iota + 1
	// End closes the innermost open slice on the event's track.
	End
	// Instant marks a point in time on the event's track.
	Instant
	// Counter samples the counter Name: it holds Value from At on.
	Counter
)

// String returns the phase's name.
func (p Phase) String() string {
	switch p {
	case Begin:
		return "begin"
	case End:
		return "end"
	case Instant:
		return "instant"
	case Counter:
		return "counter"
	}
	return "unknown"
}

// Arg is a named string attached to an event.
type Arg struct {
	Key, Value string
}

// Event is one event of a timeline.
type Event struct {
	// At is the virtual time.
	At time.Duration
	// Track is the ID of the track the event sits on.
	Track uint64
	// TrackName names the track; the first non-empty name seen for a track
	// is the one written.
	TrackName string
	// Phase says what the event is.
	Phase Phase
	// Name labels the slice, instant or counter.
	Name string
	// Value is a Counter's value; other phases ignore it.
	Value float64
	// Args are written in the order given, as "args".
	Args []Arg
}

// ErrInvalidEvent is returned, wrapped, by WriteChrome for an event it
// cannot write: an unknown phase, an empty name, a counter value that is NaN
// or infinite, or arguments with duplicate keys.
var ErrInvalidEvent = errors.New("trace: invalid event")

// WriteChrome writes events to w as Chrome trace-event JSON (see the package
// documentation). It checks every event before writing anything, and returns
// an error wrapping ErrInvalidEvent for an invalid one, or the first error
// from w.
func WriteChrome(w io.Writer, events []Event) error {
	names := map[uint64]string{}
	for i, ev := range events {
		if err := check(ev); err != nil {
			return fmt.Errorf("%w: event %d: %v", ErrInvalidEvent, i, err)
		}
		if n, ok := names[ev.Track]; !ok || n == "" {
			names[ev.Track] = ev.TrackName
		}
	}
	tracks := make([]uint64, 0, len(names))
	for id := range names {
		tracks = append(tracks, id)
	}
	slices.Sort(tracks)
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return compareDuration(events[a].At, events[b].At)
	})

	bw := bufio.NewWriter(w)
	var buf []byte
	bw.WriteString(`{"displayTimeUnit":"ns","traceEvents":[`)
	first := true
	sep := func() {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n")
	}
	for _, id := range tracks {
		sep()
		name := names[id]
		if name == "" {
			name = "track " + strconv.FormatUint(id, 10)
		}
		buf = append(buf[:0], `{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":`...)
		buf = strconv.AppendUint(buf, id, 10)
		buf = append(buf, `,"args":{"name":`...)
		buf = appendString(buf, name)
		buf = append(buf, "}}"...)
		bw.Write(buf)
	}
	for _, i := range order {
		sep()
		bw.Write(appendEvent(buf[:0], &events[i]))
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func compareDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// check reports what is wrong with ev, if anything.
func check(ev Event) error {
	if ev.Phase < Begin || ev.Phase > Counter {
		return fmt.Errorf("unknown phase %d", ev.Phase)
	}
	if ev.Name == "" && ev.Phase != End {
		return fmt.Errorf("%v at %v on track %d has no name", ev.Phase, ev.At, ev.Track)
	}
	if ev.Phase == Counter && (math.IsNaN(ev.Value) || math.IsInf(ev.Value, 0)) {
		return fmt.Errorf("counter %q at %v has value %v", ev.Name, ev.At, ev.Value)
	}
	for i, a := range ev.Args {
		for _, b := range ev.Args[:i] {
			if a.Key == b.Key {
				return fmt.Errorf("%v %q has two args %q", ev.Phase, ev.Name, a.Key)
			}
		}
	}
	return nil
}

// appendEvent appends ev as one JSON object.
func appendEvent(buf []byte, ev *Event) []byte {
	name := ev.Name
	if ev.Phase == End && name == "" {
		name = "end"
	}
	buf = append(buf, `{"name":`...)
	buf = appendString(buf, name)
	buf = append(buf, `,"ph":"`...)
	buf = append(buf, "?BEiC"[ev.Phase])
	buf = append(buf, `","ts":`...)
	buf = appendMicros(buf, ev.At)
	buf = append(buf, `,"pid":1,"tid":`...)
	buf = strconv.AppendUint(buf, ev.Track, 10)
	if ev.Phase == Instant {
		buf = append(buf, `,"s":"t"`...)
	}
	switch {
	case ev.Phase == Counter:
		buf = append(buf, `,"args":{"value":`...)
		buf = strconv.AppendFloat(buf, ev.Value+0, 'g', -1, 64)
		buf = append(buf, '}')
	case len(ev.Args) > 0:
		buf = append(buf, `,"args":{`...)
		for i, a := range ev.Args {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, a.Key)
			buf = append(buf, ':')
			buf = appendString(buf, a.Value)
		}
		buf = append(buf, '}')
	}
	return append(buf, '}')
}

// appendMicros appends d in microseconds, exactly: the integer part, then
// the nanoseconds as up to three decimals without trailing zeros.
func appendMicros(buf []byte, d time.Duration) []byte {
	ns := int64(d)
	if ns < 0 {
		buf = append(buf, '-')
	}
	u := uint64(ns)
	if ns < 0 {
		u = -u // also right for math.MinInt64
	}
	buf = strconv.AppendUint(buf, u/1000, 10)
	frac := u % 1000
	if frac == 0 {
		return buf
	}
	digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return append(buf, digits...)
}

// appendString appends s as a JSON string.
func appendString(buf []byte, s string) []byte {
	b, err := json.Marshal(s)
	if err != nil { // cannot happen: any Go string marshals
		panic(err)
	}
	return append(buf, b...)
}
