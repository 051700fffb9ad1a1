package sim_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/golden"
	"github.com/vtsim/vtsim/reports/trace"
	"github.com/vtsim/vtsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// traceModel runs a small model with tracer installed (if not nil): tasks a
// and b sleep, c awaits a and sleeps, d sleeps and is cancelled by a
// callback, and the driver samples a counter.
func traceModel(t *testing.T, tracer *sim.TraceRecorder) {
	t.Helper()
	var opts []sim.Option
	if tracer != nil {
		opts = append(opts, sim.WithTracer(tracer))
	}
	env, _ := newEnv(t, opts...)
	a := sim.Go(env, "a", func(p *sim.Proc) (int, error) {
		return 1, p.Sleep(time.Second)
	})
	sim.Go(env, "b", func(p *sim.Proc) (int, error) {
		return 2, p.Sleep(2 * time.Second)
	})
	c := sim.Go(env, "c", func(p *sim.Proc) (int, error) {
		v, err := sim.Await(p, a)
		if err != nil {
			return 0, err
		}
		return v + 1, p.Sleep(500 * time.Millisecond)
	})
	d := sim.Go(env, "d", func(p *sim.Proc) (int, error) {
		return 0, p.Sleep(10 * time.Second)
	})
	env.CallLater(3*time.Second, func() { d.Cancel("enough") })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Result(); v != 2 || err != nil {
		t.Fatalf("c = %v, %v; want 2, nil", v, err)
	}
	if !d.Cancelled() {
		t.Fatal("d not cancelled")
	}
	if tracer != nil {
		tracer.Counter(env.Now(), "tasks", 0)
	}
}

func TestTraceRecorderGolden(t *testing.T) {
	var r sim.TraceRecorder
	traceModel(t, &r)
	var buf bytes.Buffer
	if err := r.WriteChrome(&buf); err != nil {
		t.Fatal(err)
	}
	if err := trace.Validate(buf.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	golden.Check(t, filepath.Join("testdata", "trace.golden.json"), buf.Bytes(), *update)
	// A second run of the same model writes the same bytes.
	var r2 sim.TraceRecorder
	traceModel(t, &r2)
	var buf2 bytes.Buffer
	if err := r2.WriteChrome(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Error("two runs of the same model wrote different traces")
	}
}

// TestTraceRecorderSlices checks the shape of the events: one track per task,
// each wait a slice closed by the task's resumption, callbacks on the loop.
func TestTraceRecorderSlices(t *testing.T) {
	var r sim.TraceRecorder
	traceModel(t, &r)
	type key struct {
		track uint64
		ph    trace.Phase
	}
	count := map[key]int{}
	names := map[uint64]string{}
	for _, ev := range r.Events() {
		count[key{ev.Track, ev.Phase}]++
		names[ev.Track] = ev.TrackName
	}
	want := map[uint64]string{sim.LoopTrack: "loop", 1: "a", 2: "b", 3: "c", 4: "d"}
	for id, n := range want {
		if names[id] != n {
			t.Errorf("track %d named %q, want %q", id, names[id], n)
		}
	}
	if len(names) != len(want) {
		t.Errorf("tracks %v, want %v", names, want)
	}
	for id := uint64(1); id <= 4; id++ {
		if b, e := count[key{id, trace.Begin}], count[key{id, trace.End}]; b == 0 || b != e {
			t.Errorf("track %d: %d begins, %d ends", id, b, e)
		}
		if n := count[key{id, trace.Instant}]; n != 2 {
			t.Errorf("track %d: %d instants, want spawn and done", id, n)
		}
	}
	if count[key{sim.LoopTrack, trace.Instant}] == 0 {
		t.Error("no callback instants on the loop track")
	}
	if count[key{sim.LoopTrack, trace.Counter}] != 1 {
		t.Error("counter sample missing")
	}
}

// TestTraceRecorderOpenWaits checks that waits still open when Events is
// called are closed, and that recording goes on.
func TestTraceRecorderOpenWaits(t *testing.T) {
	var r sim.TraceRecorder
	env, _ := newEnv(t, sim.WithTracer(&r))
	sim.Go(env, "long", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Hour) })
	sim.Go(env, "short", func(p *sim.Proc) (int, error) { return 0, p.Sleep(time.Second) })
	if err := env.RunUntil(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	evs := r.Events()
	last := evs[len(evs)-1]
	if last.Phase != trace.End || last.Track != 1 || last.Name != "sleep until 1h0m0s" || last.At != time.Second {
		t.Errorf("last event %+v, want the end of task 1's sleep at 1s", last)
	}
	var buf bytes.Buffer
	if err := r.WriteChrome(&buf); err != nil {
		t.Fatal(err)
	}
	if err := trace.Validate(buf.Bytes()); err != nil {
		t.Error(err)
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	if n := len(r.Events()); n <= len(evs) {
		t.Errorf("%d events after the run, %d before", n, len(evs))
	}
}

// TestTraceRecorderOff checks that a recorder not installed records nothing:
// the Env calls its tracer only when one is set.
func TestTraceRecorderOff(t *testing.T) {
	var r sim.TraceRecorder
	traceModel(t, nil)
	if evs := r.Events(); len(evs) != 0 {
		t.Errorf("recorded %d events without being installed", len(evs))
	}
}
