package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// Operations of FuzzPrimitives' scripts, one a pair of bytes: the first
// picks the task (low 3 bits) and the operation (the rest), the second is
// the argument.
const (
	fzPut       = iota // Queue.Put of a new item
	fzGet              // Queue.Get
	fzLock             // hold the Lock for arg%8 s
	fzSem              // hold a unit of the Semaphore for arg%8 s
	fzWait             // Event.Wait
	fzSet              // Event.Set
	fzClear            // Event.Clear
	fzSleep            // Sleep arg%8 s
	fzTimeout          // run the task's next operation in Timeout(arg%8 s)
	fzCancel           // cancel task arg (itself included)
	fzInterrupt        // interrupt task arg
	fzOps
)

// fzMaxOps bounds a script, so that every input runs in well under a
// millisecond.
const fzMaxOps = 256

// fzOp is one decoded operation.
type fzOp struct {
	kind, arg byte
}

func (o fzOp) d() time.Duration { return time.Duration(o.arg%8) * time.Second }

// fzModel is one run of FuzzPrimitives: a few tasks sharing a Queue, a
// Lock, a BoundedSemaphore and an Event.
type fzModel struct {
	env    *sim.Env
	tasks  []*sim.Task[int]
	q      *sim.Queue[int]
	lock   *sim.Lock
	sem    *sim.Semaphore
	semN   int
	ev     *sim.Event
	next   int          // the next item's value
	put    map[int]bool // items whose Put returned nil, not got yet
	got    int
	puts   int
	locked int // tasks holding the lock
	units  int // semaphore units held
	bad    []string
	log    []string
}

func (m *fzModel) violation(format string, args ...any) {
	m.bad = append(m.bad, fmt.Sprintf("%v: %s", m.env.Now(), fmt.Sprintf(format, args...)))
}

func (m *fzModel) logf(who, format string, args ...any) {
	m.log = append(m.log, fmt.Sprintf("%v %s %s", m.env.Now(), who, fmt.Sprintf(format, args...)))
}

// do runs one operation in p's task and returns what its wait returned.
func (m *fzModel) do(p *sim.Proc, op fzOp) error {
	switch op.kind {
	case fzPut:
		v := m.next
		m.next++
		err := m.q.Put(p, v)
		if err == nil {
			m.put[v] = true
			m.puts++
		}
		return err
	case fzGet:
		v, err := m.q.Get(p)
		if err == nil {
			if !m.put[v] {
				m.violation("%s got item %d, which is not in the queue", p.Name(), v)
			}
			delete(m.put, v)
			m.got++
		}
		return err
	case fzLock:
		if err := m.lock.Acquire(p); err != nil {
			return err
		}
		if m.locked++; m.locked > 1 {
			m.violation("%d tasks hold the lock", m.locked)
		}
		err := p.Sleep(op.d())
		m.locked--
		m.lock.Release()
		return err
	case fzSem:
		if err := m.sem.Acquire(p); err != nil {
			return err
		}
		if m.units++; m.units > m.semN {
			m.violation("%d units of %d held", m.units, m.semN)
		}
		err := p.Sleep(op.d())
		m.units--
		if rerr := m.sem.Release(); rerr != nil {
			m.violation("Release of a held unit: %v", rerr)
		}
		return err
	case fzWait:
		return m.ev.Wait(p)
	case fzSet:
		m.ev.Set()
	case fzClear:
		m.ev.Clear()
	case fzSleep:
		return p.Sleep(op.d())
	case fzCancel:
		m.tasks[int(op.arg)%len(m.tasks)].Cancel(p.Name())
	case fzInterrupt:
		m.tasks[int(op.arg)%len(m.tasks)].Interrupt(p.Name()) // may refuse: itself, or ended
	}
	return nil
}

// body returns the body of a task that runs script. A cancellation ends
// the task; a timeout or an interrupt is expected and the script goes on;
// any other error fails the task, and so the run.
func (m *fzModel) body(script []fzOp) func(p *sim.Proc) (int, error) {
	return func(p *sim.Proc) (int, error) {
		for i := 0; i < len(script); i++ {
			op := script[i]
			var err error
			if op.kind == fzTimeout && i+1 < len(script) {
				inner := script[i+1]
				i++
				err = sim.Timeout(p, op.d(), func(*sim.Scope) error { return m.do(p, inner) })
			} else {
				err = m.do(p, op)
			}
			m.logf(p.Name(), "op %d (%d, %d): %v", i, op.kind, op.arg, err)
			switch {
			case err == nil, errors.Is(err, sim.ErrTimeout), errors.Is(err, sim.ErrInterrupted):
			case errors.Is(err, sim.ErrCancelled):
				return 0, err
			default:
				return 0, fmt.Errorf("%s: unexpected error from op %d: %w", p.Name(), i, err)
			}
		}
		return 0, nil
	}
}

// FuzzPrimitives decodes data into the scripts of up to eight tasks that
// share a Queue, a Lock, a BoundedSemaphore and an Event, with sleeps,
// timeout scopes, and cancels and interrupts of one another; at a horizon
// past every script's end the driver cancels every unfinished task. It
// checks conservation (every item got was put and not got before; items
// put = items got + items left in the queue), mutual exclusion (at most
// one lock holder, at most n units), that everything is released at the
// end (lock free, semaphore value n, nobody waiting), and that Run returns
// nil: no deadlock and no wait returned an error other than a
// cancellation, a timeout or an interrupt.
func FuzzPrimitives(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 1, 1, 0, 0, 1, 0})
	f.Add([]byte{3, 0, 2, 0, 0, 9, 0, 2 << 3, 2, 3 << 3, 3, 18, 1, 8 << 3, 1, 1 << 3, 0})
	f.Add([]byte{4, 1, 1, 4 << 3, 0, 5 << 3, 0, 4<<3 | 1, 0, 9<<3 | 1, 0, 3<<3 | 2, 5, 3<<3 | 3, 5, 10<<3 | 2, 3, 5<<3 | 2, 0})
	f.Add([]byte{5, 2, 2, 0, 0, 0, 0, 0, 0, 1<<3 | 1, 0, 8<<3 | 1, 2, 1<<3 | 1, 0, 2<<3 | 2, 7, 2<<3 | 3, 7, 9<<3 | 4, 2, 10<<3 | 4, 3, 2<<3 | 4, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		nTasks, qCap, semN := 1, 0, 1
		if len(data) >= 3 {
			nTasks, qCap, semN = 1+int(data[0]%8), int(data[1]%4), 1+int(data[2]%3)
			data = data[3:]
		}
		scripts := make([][]fzOp, nTasks)
		for i := 0; i+1 < len(data) && i/2 < fzMaxOps; i += 2 {
			k := int(data[i] & 7)
			if k >= nTasks {
				k %= nTasks
			}
			scripts[k] = append(scripts[k], fzOp{kind: (data[i] >> 3) % fzOps, arg: data[i+1]})
		}
		env := sim.New()
		defer env.Close()
		m := &fzModel{
			env: env, q: sim.NewQueue[int](qCap), lock: sim.NewLock(),
			sem: sim.NewBoundedSemaphore(semN), semN: semN, ev: sim.NewEvent(), put: map[int]bool{},
		}
		for i, s := range scripts {
			m.tasks = append(m.tasks, sim.Go(env, fmt.Sprint("t", i), m.body(s)))
		}
		// Every wait lasts at most 7s, and a script has at most fzMaxOps
		// operations: past the horizon, only tasks that wait for something
		// nobody will give are left.
		horizon := time.Duration(8*fzMaxOps) * time.Second
		env.CallAt(horizon, func() {
			for _, task := range m.tasks {
				task.Cancel("horizon")
			}
		})
		err := env.Run()
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("%s\nscripts %v, queue cap %d, semaphore %d\nlog:\n%s", fmt.Sprintf(format, args...), scripts, qCap, semN, strings.Join(m.log, "\n"))
		}
		if err != nil {
			fail("Run: %v", err)
		}
		if len(m.bad) > 0 {
			fail("violations:\n%s", strings.Join(m.bad, "\n"))
		}
		for _, task := range m.tasks {
			if !task.Done() {
				fail("%s is not done after Run", task.Name())
			}
		}
		if m.q.Len() != len(m.put) || m.puts != m.got+m.q.Len() {
			fail("queue: %d put, %d got, %d left, %d expected left", m.puts, m.got, m.q.Len(), len(m.put))
		}
		var left []int
		for !m.q.Empty() {
			v, _ := m.q.GetNowait()
			left = append(left, v)
		}
		slices.Sort(left)
		want := slices.Sorted(func(yield func(int) bool) {
			for v := range m.put {
				if !yield(v) {
					return
				}
			}
		})
		if !slices.Equal(left, want) {
			fail("queue holds %v; want %v", left, want)
		}
		if m.lock.Locked() || m.sem.Value() != semN || m.sem.Locked() {
			fail("at the end: lock held %v, semaphore value %d of %d, locked %v", m.lock.Locked(), m.sem.Value(), semN, m.sem.Locked())
		}
	})
}
