// Package setref is a trivially correct event set, the reference that
// scheduler's tests and the scheduler/queuetest kit check Sets against. It
// is nobody's API.
package setref

import (
	"slices"
	"time"

	"github.com/vtsim/vtsim/scheduler"
)

// Item is one pending entry: its push number ID is also the value the Sets
// under test carry.
type Item struct {
	At   time.Duration
	Prio int8
	ID   int
}

// Model is a slice kept sorted by (At, Prio, push number), the push number
// reversed for LIFO. For Random the order of equal (At, Prio) items is not
// known: the model knows only that the next item is one of the least
// (At, Prio) group. The zero Model is an empty FIFO set.
type Model struct {
	TB    scheduler.TieBreak
	Items []Item
}

// Less reports whether a leaves before b under FIFO and LIFO.
func (m *Model) Less(a, b Item) bool {
	if a.At != b.At {
		return a.At < b.At
	}
	if a.Prio != b.Prio {
		return a.Prio < b.Prio
	}
	if m.TB == scheduler.LIFO {
		return a.ID > b.ID
	}
	return a.ID < b.ID
}

// Push adds it at its place.
func (m *Model) Push(it Item) {
	i := len(m.Items)
	for i > 0 && m.Less(it, m.Items[i-1]) {
		i--
	}
	m.Items = slices.Insert(m.Items, i, it)
}

// Remove removes the item with push number id and reports whether it was
// pending.
func (m *Model) Remove(id int) bool {
	for i := range m.Items {
		if m.Items[i].ID == id {
			m.Items = slices.Delete(m.Items, i, i+1)
			return true
		}
	}
	return false
}

// Next returns the items that may leave next: the first one for FIFO and
// LIFO, the least (At, Prio) group for Random.
func (m *Model) Next() []Item {
	if len(m.Items) == 0 || m.TB != scheduler.Random {
		return m.Items[:min(1, len(m.Items))]
	}
	n := 1
	for n < len(m.Items) && m.Items[n].At == m.Items[0].At && m.Items[n].Prio == m.Items[0].Prio {
		n++
	}
	return m.Items[:n]
}
