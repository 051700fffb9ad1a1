package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrMalformed is returned, wrapped, by Validate for JSON that is not a
// well-formed trace.
var ErrMalformed = errors.New("trace: malformed Chrome trace")

// Validate checks that data is a Chrome trace-event JSON object as
// WriteChrome writes it: it decodes, has a "traceEvents" array, every event
// has a string "name", a known one-letter string "ph" (B, E, i, C or M),
// numbers "ts", "pid" and "tid" (tid a non-negative integer); on each tid,
// timestamps never decrease (metadata events, "M", are not ordered) and every "E" closes an open "B", with none left
// open at the end. It returns nil or an error wrapping ErrMalformed that
// names the first problem.
func Validate(data []byte) error {
	var doc struct {
		TraceEvents *[]map[string]json.RawMessage `json:"traceEvents"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if doc.TraceEvents == nil {
		return fmt.Errorf("%w: no traceEvents array", ErrMalformed)
	}
	type trackState struct {
		last  float64
		depth int
	}
	tracks := map[uint64]*trackState{}
	var order []uint64 // tids by first appearance, for a deterministic report
	for i, raw := range *doc.TraceEvents {
		var name, ph string
		var ts, pid float64
		var tid uint64
		for _, f := range []struct {
			key string
			dst any
		}{{"name", &name}, {"ph", &ph}, {"ts", &ts}, {"pid", &pid}, {"tid", &tid}} {
			v, ok := raw[f.key]
			if !ok {
				return fmt.Errorf("%w: event %d has no %q", ErrMalformed, i, f.key)
			}
			if err := json.Unmarshal(v, f.dst); err != nil {
				return fmt.Errorf("%w: event %d: %q is %s: %v", ErrMalformed, i, f.key, v, err)
			}
		}
		if ph == "M" {
			continue // metadata: its ts orders nothing (WriteChrome writes 0)
		}
		st := tracks[tid]
		if st == nil {
			st = &trackState{last: ts}
			tracks[tid] = st
			order = append(order, tid)
		}
		switch ph {
		case "B":
			st.depth++
		case "E":
			if st.depth == 0 {
				return fmt.Errorf("%w: event %d (%q at %v): E with no open B on tid %d", ErrMalformed, i, name, ts, tid)
			}
			st.depth--
		case "i", "C":
		default:
			return fmt.Errorf("%w: event %d (%q): unknown ph %q", ErrMalformed, i, name, ph)
		}
		if ts < st.last {
			return fmt.Errorf("%w: event %d (%q): ts %v before %v on tid %d", ErrMalformed, i, name, ts, st.last, tid)
		}
		st.last = ts
	}
	for _, tid := range order {
		if d := tracks[tid].depth; d != 0 {
			return fmt.Errorf("%w: %d B events left open on tid %d", ErrMalformed, d, tid)
		}
	}
	return nil
}
