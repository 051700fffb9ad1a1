package scheduler

import (
	"fmt"
	"time"
)

// Entry is one pending event: when it is due, its order among entries due at
// the same time, and the caller's value. A Queue only stores entries and
// orders them with [Entry.Less]; a [Set] composes Key from the entry's
// priority, its tie-break rank and its cancellation slot.
//
// An entry is three words when T is one word (a pointer, a func, an int):
// every level a heap moves an entry through copies those three words, so the
// priority and the slot live in Key instead of fields of their own.
type Entry[T any] struct {
	// At is the virtual time the entry is due.
	At time.Duration
	// Key orders entries with equal At: lower first.
	Key uint64
	// Value is the caller's payload.
	Value T
}

// Less reports whether e leaves the queue before f: by At, then Key.
func (e *Entry[T]) Less(f *Entry[T]) bool {
	if e.At != f.At {
		return e.At < f.At
	}
	return e.Key < f.Key
}

// Queue is a priority queue of entries ordered by [Entry.Less]. Entries with
// equal (At, Key) may leave in any order; a Set never produces two such
// entries.
type Queue[T any] interface {
	// Push adds e.
	Push(e Entry[T])
	// Pop removes and returns the least entry. It panics if the queue is empty.
	Pop() Entry[T]
	// Peek returns the least entry without removing it, or nil if the queue
	// is empty. The pointer is valid until the next Push, Pop or Filter.
	Peek() *Entry[T]
	// PopUntil removes and returns the least entry if it is due at or
	// before limit; ok is false otherwise (or if the queue is empty).
	PopUntil(limit time.Duration) (e Entry[T], ok bool)
	// Len returns the number of entries.
	Len() int
	// Filter keeps only the entries for which keep returns true. keep may
	// change an entry's Key if the change keeps the order of all entries.
	Filter(keep func(*Entry[T]) bool)
}

// Kind names a Queue implementation.
type Kind uint8

const (
	// HeapQueue is the default: a 4-ary min-heap, O(log n) per operation.
	HeapQueue Kind = iota
	// CalendarQueue is a calendar queue: O(1) expected per operation, flat as
	// the queue grows.
	CalendarQueue
)

// String returns the kind's name as accepted by [ParseKind].
func (k Kind) String() string {
	switch k {
	case HeapQueue:
		return "heap"
	case CalendarQueue:
		return "calendar"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind returns the Kind named s ("heap" or "calendar").
func ParseKind(s string) (Kind, error) {
	switch s {
	case "heap":
		return HeapQueue, nil
	case "calendar":
		return CalendarQueue, nil
	}
	return 0, fmt.Errorf("%w: %q (allowed: heap, calendar)", ErrUnknownKind, s)
}

// New returns an empty queue of the given kind. It panics on an unknown kind.
func New[T any](k Kind) Queue[T] {
	switch k {
	case HeapQueue:
		return &Heap[T]{}
	case CalendarQueue:
		return NewCalendar[T]()
	}
	panic(fmt.Sprintf("scheduler: New: unknown queue kind %d (allowed: HeapQueue, CalendarQueue)", uint8(k)))
}
