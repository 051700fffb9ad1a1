package sim

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/scheduler"
)

// DefaultStart is the wall-clock instant of virtual time 0 unless WithStart
// says otherwise: 2000-01-01T00:00:00Z.
var DefaultStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultWatchdog is how long the run loop may make no progress, in real
// time, before the watchdog reports a stall.
const DefaultWatchdog = 5 * time.Second

// MaxTime is the largest virtual time: math.MaxInt64 nanoseconds, about 292
// years.
const MaxTime = time.Duration(math.MaxInt64)

// Env is a simulation environment: a virtual clock, an event set and the
// tasks running on them. Create one with New; the zero Env is not usable.
// An Env is driven by its caller (Run, RunUntil, RunFor, Step) and does
// nothing on its own. It is not safe for concurrent use: call it from the
// goroutine that drives it, or from its tasks and callbacks.
type Env struct {
	now     time.Duration
	events  *scheduler.Set[func()] // each event's function: a callback, or a task's resume
	current *Proc                  // the task running now, or nil

	running  bool // inside a Run method or Step
	stopping bool // Stop was called
	closing  bool // Close is unwinding tasks
	closed   bool

	cfg     config
	streams map[string]*rand.Rand
	tasks   procList // unfinished tasks, oldest first
	nextID  uint64
	forever WaitQueue        // the tasks in Proc.WaitForever, which nothing wakes
	nextObj uint64           // numbers the WaitQueues, in the order of their first wait
	failed  []*Proc          // tasks that failed; checked for readers when Run ends
	watched []watchedFailure // futures' failures to report unless read (future.FailureWatcher)
	ended   []error          // what end watchers reported of ended tasks (taskend.go)
	idle    []*coro          // coroutines of ended tasks, kept for new ones
	spare   []*spawned       // ended spawned tasks, kept for new ones (spawn.go)
	wd      *watchdog
	steps   uint64     // events dispatched
	clk     *clockHook // the clock's timers and the channel waits, once there are any

	// direct: the run loop under way (Run and the like, not Step, not
	// paced) lets a timer wait whose wake-up is the next event end without
	// a switch, up to limit, its limit (Proc.wakeNext).
	direct   bool
	limit    time.Duration
	noDirect bool // the tests' switch: never end a timer wait without a switch, never host (host.go)

	// host, held, heldAt, exited: the loop's turns taken on a waiting
	// task's coroutine (host.go).
	host   *Proc         // the waiting task whose coroutine runs the loop now, or nil
	held   func()        // the event a host popped and left to the loop, or nil
	heldAt time.Duration // held's time
	exited *coro         // a hosted coroutine stopped in its runtime.Goexit, for the loop to finish
}

// New returns an Env at virtual time 0 configured by opts. It panics on a nil
// option, an unknown queue kind or tie-break policy, or a negative watchdog
// timeout.
func New(opts ...Option) *Env {
	cfg := config{start: DefaultStart, wdTimeout: DefaultWatchdog}
	for _, o := range opts {
		if o == nil {
			panic("sim: New: nil Option")
		}
		o(&cfg)
	}
	if cfg.queue > scheduler.CalendarQueue {
		panic(fmt.Sprintf("sim: WithQueue: unknown queue kind %d (allowed: scheduler.HeapQueue, scheduler.CalendarQueue)", cfg.queue))
	}
	if cfg.tieBreak > scheduler.Random {
		panic(fmt.Sprintf("sim: WithTieBreak: unknown policy %d (allowed: scheduler.FIFO, scheduler.LIFO, scheduler.Random)", cfg.tieBreak))
	}
	if cfg.wdTimeout < 0 {
		panic(fmt.Sprintf("sim: WithWatchdog: negative timeout %v (allowed: 0 to turn it off, or a positive duration)", cfg.wdTimeout))
	}
	if !cfg.tbSeedSet {
		cfg.tbSeed = streamSeed(cfg.seed, "vtsim/tie-break")
	}
	e := &Env{cfg: cfg, streams: map[string]*rand.Rand{}}
	var q scheduler.Queue[func()]
	if cfg.newQueue != nil {
		if q = cfg.newQueue(); q == nil || q.Len() != 0 {
			panic("sim: WithQueueOf: the function returned a nil or non-empty queue")
		}
	} else {
		q = scheduler.New[func()](cfg.queue)
	}
	e.events = scheduler.NewSet(q, cfg.tieBreak, cfg.tbSeed)
	return e
}

// Now returns the current virtual time: the time since the Env's start.
func (e *Env) Now() time.Duration { return e.now }

// Time returns the current virtual time as a wall-clock instant: the start
// instant plus Now.
func (e *Env) Time() time.Time { return e.cfg.start.Add(e.now) }

// Start returns the wall-clock instant of virtual time 0.
func (e *Env) Start() time.Time { return e.cfg.start }

// Seed returns the root seed.
func (e *Env) Seed() uint64 { return e.cfg.seed }

// Steps returns the number of events dispatched so far.
func (e *Env) Steps() uint64 { return e.steps }

// Pending returns the number of events scheduled and not yet dispatched.
func (e *Env) Pending() int { return e.events.Len() }

// Rand returns the random stream called name: a *rand.Rand seeded from the
// Env's seed and the name alone, so that adding a stream never shifts the
// numbers of another, and the same seed gives the same numbers. Calls with
// the same name return the same stream.
func (e *Env) Rand(name string) *rand.Rand {
	e.check("Rand")
	r, ok := e.streams[name]
	if !ok {
		s := streamSeed(e.cfg.seed, name)
		r = rand.New(rand.NewPCG(s, splitmix(s)))
		e.streams[name] = r
	}
	return r
}

// streamSeed derives a stream's seed from the root seed and its name.
func streamSeed(seed uint64, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return splitmix(seed ^ splitmix(h.Sum64()))
}

// splitmix is the SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// check panics if the Env is closed.
func (e *Env) check(op string) {
	if e.closed {
		panic("sim: " + op + " called on a closed Env")
	}
}

// Handle identifies a scheduled callback; Cancel unschedules it. The zero
// Handle identifies nothing.
type Handle struct {
	env *Env
	t   scheduler.Ticket
}

// Cancel unschedules the callback. It reports whether the callback was still
// pending; a callback that ran or was cancelled already is not affected.
func (h Handle) Cancel() bool { return h.env != nil && !h.env.closed && h.env.events.Cancel(h.t) }

// Pending reports whether the callback is still scheduled.
func (h Handle) Pending() bool { return h.env != nil && !h.env.closed && h.env.events.Pending(h.t) }

// CallSoon schedules fn to run now, after every event already due now
// (asyncio's loop.call_soon). It panics if fn is nil or the Env is closed.
func (e *Env) CallSoon(fn func()) Handle {
	return e.callAt("CallSoon", e.now, 0, fn)
}

// CallLater schedules fn to run d from now (asyncio's loop.call_later). A
// negative d counts as 0. It panics if fn is nil, the Env is closed, or
// Now+d overflows the virtual clock.
func (e *Env) CallLater(d time.Duration, fn func()) Handle {
	at, err := e.deadline(d)
	if err != nil {
		panic(fmt.Sprintf("sim: CallLater(%v): %v", d, err))
	}
	return e.callAt("CallLater", at, 0, fn)
}

// CallAt schedules fn to run at virtual time t (asyncio's loop.call_at). A
// time before Now counts as Now. It panics if fn is nil or the Env is closed.
func (e *Env) CallAt(t time.Duration, fn func()) Handle {
	return e.callAt("CallAt", max(t, e.now), 0, fn)
}

// CallAtPriority is CallAt with a priority: among events due at the same
// time, lower priorities run first. Tasks and the other Call methods use
// priority 0.
func (e *Env) CallAtPriority(t time.Duration, prio int8, fn func()) Handle {
	return e.callAt("CallAtPriority", max(t, e.now), prio, fn)
}

func (e *Env) callAt(op string, at time.Duration, prio int8, fn func()) Handle {
	e.check(op)
	if fn == nil {
		panic("sim: " + op + " called with a nil function")
	}
	if tr := e.cfg.tracer; tr != nil {
		call := fn
		fn = func() {
			tr.Trace(TraceEvent{At: e.now, Kind: TraceCallback})
			call()
		}
	}
	return Handle{e, e.events.Push(at, prio, fn)}
}

// deadline returns Now+d, with negative d as 0, or an error if it overflows.
func (e *Env) deadline(d time.Duration) (time.Duration, error) {
	if d > MaxTime-e.now { // never true for d <= 0: now is at most MaxTime
		return 0, e.overflow(d)
	}
	return e.now + max(d, 0), nil
}

// overflow is deadline's error, apart so that deadline inlines.
func (e *Env) overflow(d time.Duration) error {
	return fmt.Errorf("%w: now %v + %v is past %v", ErrTimeOverflow, e.now, d, MaxTime)
}

// envLoop is the Env seen as a future.Loop.
type envLoop Env

// CallSoon schedules fn now, after the events due now.
func (l *envLoop) CallSoon(fn func()) { (*Env)(l).CallSoon(fn) }

// CallLater schedules fn d from now.
func (l *envLoop) CallLater(d time.Duration, fn func()) future.Handle {
	return (*Env)(l).CallLater(d, fn)
}

// Now returns the virtual time.
func (l *envLoop) Now() time.Duration { return l.now }

// watchedFailure is a future's failure that Run reports unless somebody
// reads it first.
type watchedFailure struct {
	f  future.Unreader
	at time.Duration
}

// WatchFailure makes the Env's Run methods and Close report f's failure
// as a *TaskError (with no task name) unless somebody reads it first
// (future.FailureWatcher).
func (l *envLoop) WatchFailure(f future.Unreader) {
	l.watched = append(l.watched, watchedFailure{f, l.now})
}

// Loop returns the Env as a future.Loop, for creating futures on it with
// future.New.
func (e *Env) Loop() future.Loop { return (*envLoop)(e) }
