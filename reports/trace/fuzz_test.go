package trace_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports/trace"
)

// Tables the fuzz inputs index, chosen for the edges of the format:
// escapes, invalid UTF-8, the largest times and tracks, non-finite values.
var (
	fzStrings = []string{"", "a", "b", "end", `"q\`, "é\n\t", "\x00", "\xff\xfe"}
	fzValues  = []float64{0, 1, -1.5, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.Copysign(0, -1), 5e-324}
	fzTracks  = []uint64{0, 1, 2, math.MaxUint64}
)

// fzEvents decodes data, 5 bytes an event, into events that may be
// invalid.
func fzEvents(data []byte) []trace.Event {
	var evs []trace.Event
	for ; len(data) >= 5 && len(evs) < 64; data = data[5:] {
		ev := trace.Event{
			Phase:     trace.Phase(data[0] % 6), // 0 and 5 are unknown phases
			Track:     fzTracks[data[0]/6%4],
			At:        time.Duration(int16(uint16(data[1])<<8|uint16(data[2]))) * 7,
			Name:      fzStrings[data[3]%8],
			TrackName: fzStrings[data[3]>>5],
			Value:     fzValues[int(data[4]%16)%len(fzValues)],
		}
		switch data[1] {
		case 0xff:
			ev.At = math.MaxInt64
		case 0xfe:
			ev.At = math.MinInt64
		}
		for i := range int(data[4]>>4) % 3 {
			ev.Args = append(ev.Args, trace.Arg{Key: fzStrings[int(data[4]>>(5+i))%4], Value: fzStrings[i+3]})
		}
		evs = append(evs, ev)
	}
	return evs
}

// fzValid is the writer's contract for one event, restated.
func fzValid(ev trace.Event) bool {
	switch {
	case ev.Phase < trace.Begin || ev.Phase > trace.Counter:
		return false
	case ev.Name == "" && ev.Phase != trace.End:
		return false
	case ev.Phase == trace.Counter && (math.IsNaN(ev.Value) || math.IsInf(ev.Value, 0)):
		return false
	}
	for i, a := range ev.Args {
		for _, b := range ev.Args[:i] {
			if a.Key == b.Key {
				return false
			}
		}
	}
	return true
}

// fzBalanced reports whether, in the written order (by time, ties in the
// order given), every End closes an open Begin of its track and none is
// left open.
func fzBalanced(evs []trace.Event) bool {
	sorted := slices.Clone(evs)
	slices.SortStableFunc(sorted, func(a, b trace.Event) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
	depth := map[uint64]int{}
	for _, ev := range sorted {
		switch ev.Phase {
		case trace.Begin:
			depth[ev.Track]++
		case trace.End:
			if depth[ev.Track] == 0 {
				return false
			}
			depth[ev.Track]--
		}
	}
	for _, d := range depth {
		if d != 0 {
			return false
		}
	}
	return true
}

// FuzzWriteChrome decodes data into events (valid or not, balanced or
// not) and checks WriteChrome against its contract and Validate against
// WriteChrome: an error, wrapping ErrInvalidEvent, exactly when an event
// is invalid; otherwise the same bytes on every call, one JSON object with
// a metadata event per track plus one event per event, which Validate
// accepts exactly when the slices of every track balance.
func FuzzWriteChrome(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 1, 1, 0, 2, 0, 9, 0, 0})
	f.Add([]byte{7, 0, 1, 1, 0, 8, 0, 2, 2, 16, 3, 0, 3, 3, 5, 4, 0, 4, 4, 0})
	f.Add([]byte{1, 255, 0, 4, 0, 2, 254, 0, 0, 0, 19, 0, 5, 5, 240, 20, 0, 6, 7, 48})
	f.Add([]byte{4, 1, 0, 1, 3, 4, 1, 0, 1, 4, 3, 0, 0, 6, 112})
	f.Fuzz(func(t *testing.T, data []byte) {
		evs := fzEvents(data)
		valid := true
		for _, ev := range evs {
			valid = valid && fzValid(ev)
		}
		var out bytes.Buffer
		err := trace.WriteChrome(&out, evs)
		if !valid {
			if !errors.Is(err, trace.ErrInvalidEvent) {
				t.Fatalf("WriteChrome of invalid events = %v; want ErrInvalidEvent\n%+v", err, evs)
			}
			return
		}
		if err != nil {
			t.Fatalf("WriteChrome of valid events: %v\n%+v", err, evs)
		}
		var again bytes.Buffer
		if err := trace.WriteChrome(&again, evs); err != nil || !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Fatalf("WriteChrome is not deterministic (%v):\n%s\n%s", err, out.Bytes(), again.Bytes())
		}
		var doc struct {
			TraceEvents []json.RawMessage `json:"traceEvents"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("WriteChrome wrote invalid JSON: %v\n%s", err, out.Bytes())
		}
		tracks := map[uint64]bool{}
		for _, ev := range evs {
			tracks[ev.Track] = true
		}
		if len(doc.TraceEvents) != len(tracks)+len(evs) {
			t.Fatalf("%d trace events for %d tracks and %d events", len(doc.TraceEvents), len(tracks), len(evs))
		}
		verr := trace.Validate(out.Bytes())
		switch balanced := fzBalanced(evs); {
		case balanced && verr != nil:
			t.Fatalf("Validate rejects what WriteChrome wrote: %v\n%+v\n%s", verr, evs, out.Bytes())
		case !balanced && !errors.Is(verr, trace.ErrMalformed):
			t.Fatalf("Validate of unbalanced slices = %v; want ErrMalformed\n%s", verr, out.Bytes())
		}
	})
}

// FuzzValidate feeds Validate arbitrary bytes, starting from traces
// WriteChrome wrote: it never panics, and returns nil or an error wrapping
// ErrMalformed.
func FuzzValidate(f *testing.F) {
	for _, evs := range [][]trace.Event{
		nil,
		{{At: 1, Track: 1, TrackName: "t", Phase: trace.Begin, Name: "a"}, {At: 1500, Track: 1, Phase: trace.End}},
		{{At: 2, Track: 2, Phase: trace.Counter, Name: "q", Value: 3}, {At: 3, Track: 0, Phase: trace.Instant, Name: "i", Args: []trace.Arg{{Key: "k", Value: "v"}}}},
	} {
		var b bytes.Buffer
		if err := trace.WriteChrome(&b, evs); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"traceEvents":[{"name":"x","ph":"E","ts":0,"pid":1,"tid":0}]}`))
	f.Add([]byte(`{"traceEvents":[{"name":"x","ph":"B","ts":1e400,"pid":1,"tid":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := trace.Validate(data); err != nil && !errors.Is(err, trace.ErrMalformed) {
			t.Fatalf("Validate = %v; want nil or ErrMalformed", err)
		}
	})
}

// TestValidateNegativeTimes: events before 0 (found by FuzzWriteChrome):
// WriteChrome writes them, after its metadata events at ts 0, and Validate
// accepts them, since a metadata event's ts orders nothing.
func TestValidateNegativeTimes(t *testing.T) {
	var b bytes.Buffer
	evs := []trace.Event{{At: -175280, Track: 1, TrackName: "a", Phase: trace.Instant, Name: "a"}}
	if err := trace.WriteChrome(&b, evs); err != nil {
		t.Fatal(err)
	}
	if err := trace.Validate(b.Bytes()); err != nil {
		t.Errorf("Validate: %v\n%s", err, b.Bytes())
	}
}
