package bench

import (
	"fmt"
	"iter"
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
)

// holdSizes are the numbers of pending events of the hold benchmarks; with
// -short (CI's run-once check), only the small one.
func holdSizes() []int {
	if testing.Short() {
		return []int{1_000}
	}
	return []int{1_000, 1_000_000}
}

// callbackHold is the hold workload in callback style on an Env: n pending
// callbacks, each of which schedules the next one Exp(1s) later. Every
// event runs the same closure, made once, so that an event allocates
// nothing.
type callbackHold struct {
	env  *sim.Env
	left int  // events still to run in this slice
	step bool // drive the Env with Step instead of Run
}

func newCallbackHold(n int, step bool, opts ...sim.Option) (*callbackHold, error) {
	env := sim.New(append([]sim.Option{sim.WithSeed(seed)}, opts...)...)
	m := &callbackHold{env: env, step: step}
	r := env.Rand("hold")
	var fn func()
	fn = func() {
		env.CallLater(expDelay(r), fn)
		if m.left--; m.left == 0 {
			env.Stop()
		}
	}
	for range n {
		env.CallLater(expDelay(r), fn)
	}
	return m, m.run(warmup(n))
}

// run dispatches exactly n events. With step unset it makes one call of
// Run, which the n-th callback stops; with step set it calls Step n times.
func (m *callbackHold) run(n int) error {
	if m.step {
		m.left = -1 // never stop: Step returns after each event anyway
		for range n {
			if !m.env.Step() {
				return fmt.Errorf("hold: no event left")
			}
		}
		return nil
	}
	m.left = n
	return m.env.Run()
}

func (m *callbackHold) now() int64 { return int64(m.env.Now()) }
func (m *callbackHold) close()     { m.env.Close() }

// taskHold is the hold workload in task style: n tasks, each looping
// Sleep(Exp(1s)) until the Env is closed. An event is one resumption of a
// task.
type taskHold struct {
	env  *sim.Env
	left int // resumptions still to run in this slice
}

func newTaskHold(n int, opts ...sim.Option) (*taskHold, error) {
	env := sim.New(append([]sim.Option{sim.WithSeed(seed)}, opts...)...)
	m := &taskHold{env: env}
	r := env.Rand("hold")
	body := func(p *sim.Proc) (struct{}, error) {
		for {
			if err := p.Sleep(expDelay(r)); err != nil {
				return struct{}{}, err
			}
			if m.left--; m.left == 0 {
				env.Stop()
			}
		}
	}
	for range n {
		sim.Go(env, "holder", body)
	}
	// The first Run also dispatches the n first steps, which the counter
	// does not count.
	return m, m.run(warmup(n))
}

// run dispatches exactly n resumptions of tasks from a sleep, in one call of
// Run that the n-th resumed task stops.
func (m *taskHold) run(n int) error {
	m.left = n
	return m.env.Run()
}

func (m *taskHold) now() int64 { return int64(m.env.Now()) }
func (m *taskHold) close()     { m.env.Close() }

// pullHold is the floor of the task-style hold: the callback-style hold in
// which every event also makes one bare iter.Pull round trip into a
// coroutine of its own, n coroutines for n pending events, as n tasks have
// n. It costs what a callback event plus a coroutine round trip cost when
// the round trips go to n goroutines in the events' random order, each of
// whose stacks and runtime state is then out of the cache, which a round
// trip into one coroutine (BenchmarkSwitch's iter.Pull) never measures.
type pullHold struct {
	env   *sim.Env
	left  int
	stops []func()
}

func newPullHold(n int) (model, error) {
	env := sim.New(sim.WithSeed(seed))
	m := &pullHold{env: env}
	r := env.Rand("hold")
	for range n {
		next, stop := iter.Pull(func(yield func(struct{}) bool) {
			for yield(struct{}{}) {
			}
		})
		m.stops = append(m.stops, stop)
		var fn func()
		fn = func() {
			env.CallLater(expDelay(r), fn)
			next()
			if m.left--; m.left == 0 {
				env.Stop()
			}
		}
		env.CallLater(expDelay(r), fn)
	}
	return m, m.run(warmup(n))
}

func (m *pullHold) run(n int) error {
	m.left = n
	return m.env.Run()
}

func (m *pullHold) now() int64 { return int64(m.env.Now()) }

func (m *pullHold) close() {
	for _, stop := range m.stops {
		stop()
	}
	m.env.Close()
}

// callbackVariant returns the vtsim callback-style variant on queue q.
func callbackVariant(name string, q scheduler.Kind, step bool, opts ...sim.Option) variant {
	return variant{name, func(n int) (model, error) {
		return newCallbackHold(n, step, append([]sim.Option{sim.WithQueue(q)}, opts...)...)
	}}
}

// taskVariant returns the vtsim task-style variant on queue q.
func taskVariant(name string, q scheduler.Kind, opts ...sim.Option) variant {
	return variant{name, func(n int) (model, error) {
		return newTaskHold(n, append([]sim.Option{sim.WithQueue(q)}, opts...)...)
	}}
}

// BenchmarkHold is the hold workload in callback style: vtsim on its heap
// and calendar queues, the typed-heap floor and the container/heap
// baseline, side by side, with 1e3 and 1e6 pending events. One op is one
// event.
func BenchmarkHold(b *testing.B) {
	variants := []variant{
		callbackVariant("vtsim-heap", scheduler.HeapQueue, false),
		callbackVariant("vtsim-calendar", scheduler.CalendarQueue, false),
		{"typed-heap", newTypedHold},
		{"container-heap", newBoxedHold},
	}
	for _, n := range holdSizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) { runModels(b, n, variants) })
	}
}

// BenchmarkHoldStep is BenchmarkHold's vtsim-heap variant at N=1000 driven
// by Step, one call per event, as a test that steps an Env drives it; the
// difference from BenchmarkHold/N=1000/vtsim-heap is the cost of a Step
// call over the run loop. The watchdog never runs during Step.
func BenchmarkHoldStep(b *testing.B) {
	runModels(b, 1_000, []variant{callbackVariant("vtsim-heap", scheduler.HeapQueue, true)})
}

// BenchmarkHoldTask is the hold workload in task style on both queues, with
// 1e3 and 1e6 tasks. One op is one resumption of a task. The watchdog is on
// (the default); the -nowatchdog variants turn it off to show its cost. At
// 1e3, callback+iter.Pull is the floor of a task's event (pullHold).
func BenchmarkHoldTask(b *testing.B) {
	variants := []variant{
		taskVariant("vtsim-heap", scheduler.HeapQueue),
		taskVariant("vtsim-calendar", scheduler.CalendarQueue),
	}
	for _, n := range holdSizes() {
		vs := variants
		if n == 1_000 {
			vs = append(vs[:len(vs):len(vs)],
				taskVariant("vtsim-heap-nowatchdog", scheduler.HeapQueue, sim.WithWatchdog(0, nil)),
				variant{"callback+iter.Pull", newPullHold})
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) { runModels(b, n, vs) })
	}
}

// TestHoldVariantsAgree checks that every variant of the hold workload
// schedules the same events: the same delays from the same stream, so the
// same virtual time after the same number of events.
func TestHoldVariantsAgree(t *testing.T) {
	const n, events = 1_000, 50_000
	vs := []variant{
		callbackVariant("vtsim-heap", scheduler.HeapQueue, false),
		callbackVariant("vtsim-calendar", scheduler.CalendarQueue, false),
		callbackVariant("vtsim-heap-step", scheduler.HeapQueue, true),
		{"typed-heap", newTypedHold},
		{"container-heap", newBoxedHold},
		{"callback+iter.Pull", newPullHold},
	}
	var want int64
	for i, v := range vs {
		m, err := v.setup(n)
		if err != nil {
			t.Fatalf("%s: setup: %v", v.name, err)
		}
		if err := m.run(events); err != nil {
			t.Fatalf("%s: run: %v", v.name, err)
		}
		got := m.now()
		m.close()
		if i == 0 {
			want = got
			continue
		}
		if got != want {
			t.Errorf("%s: now = %d after %d events, %s has %d", v.name, got, warmup(n)+events, vs[0].name, want)
		}
	}
}

// TestTaskHoldCountsEvents checks that a slice of the task-style hold runs
// exactly the resumptions it is asked for, and that Close releases the
// tasks.
func TestTaskHoldCountsEvents(t *testing.T) {
	const n = 100
	m, err := newTaskHold(n)
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	before := m.env.Steps()
	if err := m.run(1234); err != nil {
		t.Fatal(err)
	}
	if got := m.env.Steps() - before; got != 1234 {
		t.Errorf("run(1234) dispatched %d events", got)
	}
	if got := m.env.Pending(); got != n {
		t.Errorf("%d events pending, want %d", got, n)
	}
}
