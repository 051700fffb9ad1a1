package scheduler_test

import (
	"testing"

	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/scheduler/queuetest"
)

// TestHeapConformance runs the queuetest kit on Heap.
func TestHeapConformance(t *testing.T) {
	queuetest.TestQueue(t, func() scheduler.Queue[int] { return &scheduler.Heap[int]{} })
}

// TestCalendarConformance runs the queuetest kit on Calendar.
func TestCalendarConformance(t *testing.T) {
	queuetest.TestQueue(t, func() scheduler.Queue[int] { return scheduler.NewCalendar[int]() })
}
