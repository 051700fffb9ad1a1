package trace_test

import (
	"fmt"
	"os"
	"time"

	"github.com/vtsim/vtsim/reports/trace"
)

func ExampleWriteChrome() {
	events := []trace.Event{
		{At: 0, Track: 1, TrackName: "worker", Phase: trace.Begin, Name: "sleep"},
		{At: 2500 * time.Nanosecond, Track: 1, TrackName: "worker", Phase: trace.End, Name: "sleep"},
		{At: 3 * time.Microsecond, Track: 0, TrackName: "loop", Phase: trace.Counter, Name: "queue", Value: 2},
	}
	_ = trace.WriteChrome(os.Stdout, events)
	// Output:
	// {"displayTimeUnit":"ns","traceEvents":[
	// {"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"loop"}},
	// {"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{"name":"worker"}},
	// {"name":"sleep","ph":"B","ts":0,"pid":1,"tid":1},
	// {"name":"sleep","ph":"E","ts":2.5,"pid":1,"tid":1},
	// {"name":"queue","ph":"C","ts":3,"pid":1,"tid":0,"args":{"value":2}}
	// ]}
}

func ExampleValidate() {
	err := trace.Validate([]byte(`{"traceEvents":[{"name":"x","ph":"E","ts":1,"pid":1,"tid":1}]}`))
	fmt.Println(err)
	// Output: trace: malformed Chrome trace: event 0 ("x" at 1): E with no open B on tid 1
}
