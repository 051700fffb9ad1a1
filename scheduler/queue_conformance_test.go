package scheduler_test

import (
	"fmt"
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

// TestCalendarFarConformance runs the queuetest kit on calendars whose far
// tier starts past 16 and 64 entries, so that its checks reach the far tier.
func TestCalendarFarConformance(t *testing.T) {
	for _, nearMax := range []int{4, 16} {
		t.Run(fmt.Sprintf("nearMax=%d", nearMax), func(t *testing.T) {
			queuetest.TestQueue(t, func() scheduler.Queue[int] { return scheduler.NewSmallCalendar[int](nearMax) })
		})
	}
}
