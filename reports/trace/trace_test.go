package trace_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports/trace"
)

func TestWriteChromeExact(t *testing.T) {
	events := []trace.Event{
		{At: 1500 * time.Nanosecond, Track: 2, TrackName: "b", Phase: trace.Begin, Name: "sleep",
			Args: []trace.Arg{{"what", `say "hi"`}, {"a", "<&>"}}},
		{At: 0, Track: 0, TrackName: "loop", Phase: trace.Counter, Name: "queue", Value: 3},
		{At: 2 * time.Second, Track: 2, Phase: trace.End},
		{At: 1500 * time.Nanosecond, Track: 1, TrackName: "a", Phase: trace.Instant, Name: "spawn"},
		{At: 1001, Track: 1, TrackName: "a", Phase: trace.Counter, Name: "queue", Value: -0.25},
	}
	var buf bytes.Buffer
	if err := trace.WriteChrome(&buf, events); err != nil {
		t.Fatal(err)
	}
	want := `{"displayTimeUnit":"ns","traceEvents":[
{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"loop"}},
{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{"name":"a"}},
{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":2,"args":{"name":"b"}},
{"name":"queue","ph":"C","ts":0,"pid":1,"tid":0,"args":{"value":3}},
{"name":"queue","ph":"C","ts":1.001,"pid":1,"tid":1,"args":{"value":-0.25}},
{"name":"sleep","ph":"B","ts":1.5,"pid":1,"tid":2,"args":{"what":"say \"hi\"","a":"\u003c\u0026\u003e"}},
{"name":"spawn","ph":"i","ts":1.5,"pid":1,"tid":1,"s":"t"},
{"name":"end","ph":"E","ts":2000000,"pid":1,"tid":2}
]}
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if err := trace.Validate(buf.Bytes()); err != nil {
		t.Error(err)
	}
}

func TestWriteChromeMicros(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0"}, {1, "0.001"}, {10, "0.01"}, {999, "0.999"}, {1000, "1"}, {1234567, "1234.567"},
		{-1500, "-1.5"}, {math.MaxInt64, "9223372036854775.807"}, {math.MinInt64, "-9223372036854775.808"},
	} {
		var buf bytes.Buffer
		err := trace.WriteChrome(&buf, []trace.Event{{At: c.d, Track: 1, Phase: trace.Instant, Name: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `"ts":`+c.want+`,`) {
			t.Errorf("%d ns: got %s, want ts %s", int64(c.d), buf.String(), c.want)
		}
	}
}

func TestWriteChromeEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := trace.WriteChrome(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n]}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := trace.Validate(buf.Bytes()); err != nil {
		t.Error(err)
	}
}

func TestWriteChromeInvalid(t *testing.T) {
	for name, ev := range map[string]trace.Event{
		"phase":    {Phase: 0, Name: "x"},
		"phase 9":  {Phase: 9, Name: "x"},
		"no name":  {Phase: trace.Instant},
		"NaN":      {Phase: trace.Counter, Name: "q", Value: math.NaN()},
		"Inf":      {Phase: trace.Counter, Name: "q", Value: math.Inf(1)},
		"dup args": {Phase: trace.Instant, Name: "x", Args: []trace.Arg{{"k", "1"}, {"k", "2"}}},
	} {
		var buf bytes.Buffer
		err := trace.WriteChrome(&buf, []trace.Event{{Phase: trace.Instant, Name: "ok"}, ev})
		if !errors.Is(err, trace.ErrInvalidEvent) {
			t.Errorf("%s: err = %v, want ErrInvalidEvent", name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %q before failing", name, buf.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteChromeWriteError(t *testing.T) {
	err := trace.WriteChrome(failWriter{}, []trace.Event{{Phase: trace.Instant, Name: "x"}})
	if err == nil || err.Error() != "disk full" {
		t.Errorf("err = %v, want disk full", err)
	}
}

func TestValidateRejects(t *testing.T) {
	head := `{"traceEvents":[`
	for name, doc := range map[string]string{
		"not json":      `{`,
		"no array":      `{"events":[]}`,
		"no ts":         head + `{"name":"x","ph":"i","pid":1,"tid":1}]}`,
		"string ts":     head + `{"name":"x","ph":"i","ts":"1","pid":1,"tid":1}]}`,
		"negative tid":  head + `{"name":"x","ph":"i","ts":1,"pid":1,"tid":-1}]}`,
		"unknown ph":    head + `{"name":"x","ph":"X","ts":1,"pid":1,"tid":1}]}`,
		"E without B":   head + `{"name":"x","ph":"E","ts":1,"pid":1,"tid":1}]}`,
		"B left open":   head + `{"name":"x","ph":"B","ts":1,"pid":1,"tid":1}]}`,
		"ts backwards":  head + `{"name":"x","ph":"i","ts":2,"pid":1,"tid":1},{"name":"x","ph":"i","ts":1,"pid":1,"tid":1}]}`,
		"E on other id": head + `{"name":"x","ph":"B","ts":1,"pid":1,"tid":1},{"name":"x","ph":"E","ts":2,"pid":1,"tid":2}]}`,
	} {
		if err := trace.Validate([]byte(doc)); !errors.Is(err, trace.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
	ok := head + `{"name":"x","ph":"B","ts":1,"pid":1,"tid":1},{"name":"y","ph":"i","ts":1,"pid":1,"tid":2},{"name":"x","ph":"E","ts":2,"pid":1,"tid":1}]}`
	if err := trace.Validate([]byte(ok)); err != nil {
		t.Error(err)
	}
}
