package sim

import (
	"errors"

	"github.com/vtsim/vtsim/internal/seqheap"
)

// Errors of Queue.
var (
	// ErrQueueFull is returned by Queue.PutNowait when the queue is full.
	ErrQueueFull = errors.New("sim: queue is full")
	// ErrQueueEmpty is returned by Queue.GetNowait when the queue is empty.
	ErrQueueEmpty = errors.New("sim: queue is empty")
	// ErrQueueShutdown is returned by puts after Queue.Shutdown, and by gets
	// after it once the queue is empty.
	ErrQueueShutdown = errors.New("sim: queue is shut down")
	// ErrTaskDoneTooMany is returned by Queue.TaskDone when every item put
	// has been marked done already.
	ErrTaskDoneTooMany = errors.New("sim: Queue.TaskDone called too many times")
)

// queueKind is the order in which a Queue hands its items out.
type queueKind uint8

const (
	fifo queueKind = iota
	lifo
	priority
)

// Queue is asyncio's Queue on virtual time: a queue of items of type T,
// bounded or not, whose Put waits while it is full and whose Get waits
// while it is empty. Waiters are served first come, first served. Create
// one with NewQueue (first in, first out), NewLifoQueue (last in, first
// out) or NewPriorityQueue (least item first); the zero Queue is not
// usable. Its methods must be called on the Env's goroutine.
//
// # Cancellation
//
// A task cancelled while it waits in Put, Get or Join leaves the queue as
// if it had never asked: its item is not put, no item is taken, and a
// wake-up it was handed (an item arrived, or room was freed, just before
// the cancellation) passes on to the next waiter, so that items are never
// lost or duplicated and no waiter stays asleep with work to do.
//
// # Task tracking
//
// Every item put counts as unfinished until a consumer calls TaskDone for
// it; Join waits until no item is unfinished.
//
// # Shutdown
//
// After Shutdown, puts fail with ErrQueueShutdown, and gets fail with it
// once the queue is empty (Python 3.13's Queue.shutdown).
//
// # Complexity
//
// Put and Get take O(1) time for the FIFO and LIFO queues and O(log n) for
// the priority queue. A FIFO queue is a ring buffer that grows by doubling
// (up to its bound); once grown, Put and Get allocate nothing.
type Queue[T any] struct {
	kind    queueKind
	maxsize int

	// fifo: ring buffer buf[head], ..., buf[(head+n-1)%len(buf)].
	// lifo: stack buf[:n]. priority: binary heap heap[:n].
	buf  []T
	head int
	n    int
	heap []seqheap.Item[T]
	less func(a, b T) bool
	seq  uint64

	unfinished int
	shut       bool

	getters, putters, joiners WaitQueue
	stats                     *Stats // nil unless EnableStats was called
}

// EnableStats starts recording q's statistics (see Stats) on env's virtual
// time and returns them: InUse is the number of items held, QueueLength
// counts the tasks waiting in Put and Get (not Join). Calling it again
// returns the same Stats. It panics if env is nil.
func (q *Queue[T]) EnableStats(env *Env) *Stats {
	if q.stats == nil {
		q.stats = NewStats(env, float64(q.n))
	}
	return q.stats
}

// Stats returns q's statistics, or nil if EnableStats was not called.
func (q *Queue[T]) Stats() *Stats { return q.stats }

// NewQueue returns an empty first in, first out queue that holds at most
// maxsize items; if maxsize is 0 or less, the queue is unbounded.
func NewQueue[T any](maxsize int) *Queue[T] {
	return newQueue[T](fifo, maxsize, "a Queue")
}

// NewLifoQueue returns an empty last in, first out queue (a stack) that
// holds at most maxsize items; if maxsize is 0 or less, it is unbounded.
func NewLifoQueue[T any](maxsize int) *Queue[T] {
	return newQueue[T](lifo, maxsize, "a LifoQueue")
}

// NewPriorityQueue returns an empty priority queue that holds at most
// maxsize items (unbounded if maxsize is 0 or less) and hands out its least
// item first, as ordered by less; items of equal priority (neither less
// than the other) leave in the order they were put. It panics if less is
// nil.
func NewPriorityQueue[T any](maxsize int, less func(a, b T) bool) *Queue[T] {
	if less == nil {
		panic("sim: NewPriorityQueue called with a nil less function")
	}
	q := newQueue[T](priority, maxsize, "a PriorityQueue")
	q.less = less
	return q
}

func newQueue[T any](kind queueKind, maxsize int, name string) *Queue[T] {
	return &Queue[T]{
		kind:    kind,
		maxsize: max(maxsize, 0),
		getters: WaitQueue{what: name + " (Get)"},
		putters: WaitQueue{what: name + " (Put)"},
		joiners: WaitQueue{what: name + " (Join)"},
	}
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int { return q.n }

// Cap returns the maximum number of items the queue holds, or 0 if it is
// unbounded.
func (q *Queue[T]) Cap() int { return q.maxsize }

// Empty reports whether the queue holds no item.
func (q *Queue[T]) Empty() bool { return q.n == 0 }

// Full reports whether the queue holds Cap items; an unbounded queue is
// never full.
func (q *Queue[T]) Full() bool { return q.maxsize > 0 && q.n >= q.maxsize }

// Put puts v into the queue, first waiting, in FIFO order with other
// putters, while the queue is full. It returns nil, ErrQueueShutdown if the
// queue is shut down (before or while it waits), or a *CancelledError if
// the task is cancelled while it waits (v is then not put). It panics if
// called from outside p's task.
func (q *Queue[T]) Put(p *Proc, v T) error {
	p.checkRunning("Queue.Put") // CheckRunning, written out
	if !p.onOwnGoroutine() {
		p.foreignGoroutine("Queue.Put")
	}
	q.putters.Claim(p, "Queue.Put")
	st, since := q.stats, p.env.now
	for q.Full() {
		if q.shut {
			return ErrQueueShutdown
		}
		if st != nil {
			st.Enter()
		}
		woken, err := q.putters.park(p, nil, "Queue.Put", true) // checked at the top
		if st != nil {
			st.Leave(since, false) // served below, once v is put
		}
		if err != nil {
			if woken && !q.Full() {
				q.putters.WakeOne() // the room this putter was woken for goes to the next
			}
			return err
		}
	}
	err := q.PutNowait(v)
	if st != nil && err == nil {
		st.Serve(since)
	}
	return err
}

// PutNowait puts v into the queue without waiting and wakes the first
// waiting getter. It returns ErrQueueShutdown after Shutdown, or
// ErrQueueFull if the queue is full; v is then not put.
func (q *Queue[T]) PutNowait(v T) error {
	if q.shut {
		return ErrQueueShutdown
	}
	if q.Full() {
		return ErrQueueFull
	}
	q.push(v)
	q.unfinished++
	q.getters.WakeOne()
	return nil
}

// Get removes and returns the next item, first waiting, in FIFO order with
// other getters, while the queue is empty. It returns ErrQueueShutdown if
// the queue is shut down and empty (before or while it waits), or a
// *CancelledError if the task is cancelled while it waits (no item is then
// taken). It panics if called from outside p's task.
func (q *Queue[T]) Get(p *Proc) (T, error) {
	p.checkRunning("Queue.Get") // CheckRunning, written out
	if !p.onOwnGoroutine() {
		p.foreignGoroutine("Queue.Get")
	}
	q.getters.Claim(p, "Queue.Get")
	st, since := q.stats, p.env.now
	for q.n == 0 {
		if q.shut {
			var zero T
			return zero, ErrQueueShutdown
		}
		if st != nil {
			st.Enter()
		}
		// q.getters.park(p, nil, "Queue.Get", true), written out (checked at
		// the top), so that after the switch the task returns to its
		// caller through this frame alone (docs/design.md, "One frame
		// after the switch"). The part after the switch is park's tail
		// copied: as a helper of its own it costs 166 and does not inline.
		q.getters.enqueue(p, nil)
		// switchOut's call split in two, as in the timer wait.
		var ok bool
		if e := p.env; e.direct && e.host == nil {
			ok = p.switchOut()
		} else {
			ok = p.co.yield(struct{}{})
		}
		if !ok {
			panic(unwinding{})
		}
		var woken bool
		var err error
		if p.env.closing {
			woken, err = q.getters.closed(p)
		} else {
			err = p.woke()
			p.wdata = nil
			woken = p.woken
		}
		if st != nil {
			st.Leave(since, false) // served below, once an item is taken
		}
		if err != nil {
			if woken && q.n > 0 {
				q.getters.WakeOne() // the item this getter was woken for goes to the next
			}
			var zero T
			return zero, err
		}
	}
	v, err := q.GetNowait()
	if st != nil && err == nil {
		st.Serve(since)
	}
	return v, err
}

// GetNowait removes and returns the next item without waiting and wakes the
// first waiting putter. If the queue is empty it returns ErrQueueShutdown
// after Shutdown, and ErrQueueEmpty otherwise.
func (q *Queue[T]) GetNowait() (T, error) {
	if q.n == 0 {
		var zero T
		if q.shut {
			return zero, ErrQueueShutdown
		}
		return zero, ErrQueueEmpty
	}
	v := q.pop()
	q.putters.WakeOne()
	return v, nil
}

// TaskDone marks an item got from the queue as processed; when every item
// put has been marked so, it wakes the tasks waiting in Join. It returns
// ErrTaskDoneTooMany, and changes nothing, if no item is unfinished.
func (q *Queue[T]) TaskDone() error {
	if q.unfinished <= 0 {
		return ErrTaskDoneTooMany
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.joiners.WakeAll()
	}
	return nil
}

// Join waits until every item put into the queue has been marked done with
// TaskDone (or drained by an immediate Shutdown). It returns at once if
// none is unfinished. A task woken returns nil even if new items are put
// before it resumes (asyncio waits on an Event). It returns a
// *CancelledError if the task is cancelled while it waits. It panics if
// called from outside p's task.
func (q *Queue[T]) Join(p *Proc) error {
	p.CheckRunning("Queue.Join")
	q.joiners.Claim(p, "Queue.Join")
	if q.unfinished == 0 {
		return nil
	}
	_, err := q.joiners.park(p, nil, "Queue.Join", false)
	return err
}

// Shutdown shuts the queue down: later puts fail with ErrQueueShutdown, and
// so do gets once the queue is empty. Every waiting putter and getter is
// woken: putters then fail, and getters take the items left or fail if
// there are none. If immediate is true, the items left are discarded first
// and counted as done; tasks waiting in Join are woken if no unfinished
// item remains (items got but not yet marked done still count). Shutting
// down twice is allowed; a second, immediate, Shutdown drains the queue.
func (q *Queue[T]) Shutdown(immediate bool) {
	q.shut = true
	if immediate {
		for q.n > 0 {
			q.pop()
			if q.unfinished > 0 {
				q.unfinished--
			}
		}
		if q.unfinished == 0 {
			q.joiners.WakeAll()
		}
	}
	q.getters.WakeAll()
	q.putters.WakeAll()
}

// push adds v to the store; the caller checked that there is room.
func (q *Queue[T]) push(v T) {
	switch q.kind {
	case fifo:
		if q.n == len(q.buf) {
			q.grow()
		}
		i := q.head + q.n
		if i >= len(q.buf) {
			i -= len(q.buf)
		}
		q.buf[i] = v
	case lifo:
		q.buf = append(q.buf, v)
	case priority:
		q.heap = append(q.heap, seqheap.Item[T]{V: v, Seq: q.seq})
		q.seq++
		seqheap.Up(q.heap, q.n, q.less)
	}
	q.n++
	if q.stats != nil {
		q.stats.SetLevel(float64(q.n))
	}
}

// grow doubles the ring buffer (at least 8 slots, at most the bound) and
// unwraps its items to the start.
func (q *Queue[T]) grow() {
	size := max(2*len(q.buf), 8)
	if q.maxsize > 0 {
		size = min(size, q.maxsize)
	}
	buf := make([]T, size)
	k := copy(buf, q.buf[q.head:])
	copy(buf[k:], q.buf[:q.head])
	q.buf, q.head = buf, 0
}

// pop removes and returns the next item; the caller checked that there is
// one. Vacated slots are zeroed so the queue keeps nothing alive.
func (q *Queue[T]) pop() T {
	var zero T
	q.n--
	if q.stats != nil {
		q.stats.SetLevel(float64(q.n))
	}
	switch q.kind {
	case fifo:
		v := q.buf[q.head]
		q.buf[q.head] = zero
		q.head++
		if q.head == len(q.buf) {
			q.head = 0
		}
		return v
	case lifo:
		v := q.buf[q.n]
		q.buf[q.n] = zero
		q.buf = q.buf[:q.n]
		return v
	default:
		v := q.heap[0].V
		q.heap[0] = q.heap[q.n]
		q.heap[q.n] = seqheap.Item[T]{}
		q.heap = q.heap[:q.n]
		seqheap.Down(q.heap, 0, q.less)
		return v
	}
}
