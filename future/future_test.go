package future_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vtsim/vtsim/future"
)

// fakeLoop queues callbacks; run calls them in FIFO order.
type fakeLoop struct{ queue []func() }

func (l *fakeLoop) CallSoon(fn func()) { l.queue = append(l.queue, fn) }
func (l *fakeLoop) Now() time.Duration { return 0 }
func (l *fakeLoop) CallLater(time.Duration, func()) future.Handle {
	panic("fakeLoop has no timers; use a sim.Env")
}
func (l *fakeLoop) run() {
	for len(l.queue) > 0 {
		fn := l.queue[0]
		l.queue = l.queue[1:]
		fn()
	}
}

func TestCallbacksAreScheduledNeverInline(t *testing.T) {
	loop := &fakeLoop{}
	f, res := future.New[int](loop)
	var log []string
	f.AddDoneCallback(func() { log = append(log, "first") })
	id := f.AddDoneCallback(func() { log = append(log, "removed") })
	f.AddDoneCallback(func() { log = append(log, "third") })
	if !f.RemoveDoneCallback(id) || f.RemoveDoneCallback(id) {
		t.Fatal("RemoveDoneCallback: want true once, then false")
	}
	if err := res.SetResult(3); err != nil {
		t.Fatal(err)
	}
	if len(log) != 0 {
		t.Fatal("a callback ran inline")
	}
	f.AddDoneCallback(func() { log = append(log, "after done") })
	loop.run()
	if got := fmt.Sprint(log); got != "[first third after done]" {
		t.Errorf("callbacks ran as %s", got)
	}
}

func TestStates(t *testing.T) {
	loop := &fakeLoop{}
	f, res := future.New[string](loop)
	if _, err := f.Result(); !errors.Is(err, future.ErrInvalidState) {
		t.Errorf("Result while pending = %v; want ErrInvalidState", err)
	}
	if err := res.SetResult("x"); err != nil {
		t.Fatal(err)
	}
	if err := res.SetResult("y"); !errors.Is(err, future.ErrInvalidState) {
		t.Errorf("second SetResult = %v; want ErrInvalidState", err)
	}
	if f.Cancel("late") || f.Cancelled() {
		t.Error("Cancel of a done future succeeded")
	}
	if v, err := f.Result(); v != "x" || err != nil {
		t.Errorf("Result = %q, %v", v, err)
	}

	g, gres := future.New[int](loop)
	boom := errors.New("boom")
	if err := gres.SetError(boom); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Result(); err != boom || g.Err() != boom {
		t.Errorf("Result error = %v", err)
	}

	c, cres := future.New[int](loop)
	if !c.Cancel("why") || c.Cancel("again") {
		t.Fatal("Cancel: want true once")
	}
	_, err := c.Result()
	var ce *future.CancelledError
	if !errors.As(err, &ce) || ce.Msg != "why" || err.Error() != "cancelled: why" {
		t.Errorf("cancelled Result = %v", err)
	}
	if !errors.Is(err, future.ErrCancelled) || !errors.Is(err, context.Canceled) || !errors.Is(future.ErrCancelled, context.Canceled) {
		t.Error("cancellation does not match ErrCancelled and context.Canceled")
	}
	if !errors.Is(future.ErrTimeout, context.DeadlineExceeded) {
		t.Error("ErrTimeout does not match context.DeadlineExceeded")
	}
	if err := cres.SetResult(1); !errors.Is(err, future.ErrInvalidState) {
		t.Errorf("SetResult after Cancel = %v", err)
	}
}

func TestMisusePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"future: Init with a nil Loop":                 func() { future.New[int](nil) },
		"future: Init called twice on the same Future": func() { f, _ := future.New[int](&fakeLoop{}); f.Init(&fakeLoop{}) },
		"future: AddDoneCallback with a nil function":  func() { f, _ := future.New[int](&fakeLoop{}); f.AddDoneCallback(nil) },
		"future: SetError with a nil error":            func() { _, r := future.New[int](&fakeLoop{}); r.SetError(nil) },
		"future: AddDoneCallback on a Future that was not initialised (use future.New)": func() {
			var f future.Future[int]
			f.AddDoneCallback(func() {})
		},
	} {
		func() {
			defer func() {
				if r := recover(); fmt.Sprint(r) != name {
					t.Errorf("panic %v; want %q", r, name)
				}
			}()
			f()
		}()
	}
}

func ExampleNew() {
	loop := &fakeLoop{}
	f, resolve := future.New[string](loop) // hand f to readers, keep resolve
	f.AddDoneCallback(func() {
		v, err := f.Result()
		fmt.Println("done:", v, err)
	})
	resolve.SetResult("hello")
	fmt.Println("set; the callback is scheduled, not run")
	loop.run()
	// Output:
	// set; the callback is scheduled, not run
	// done: hello <nil>
}
