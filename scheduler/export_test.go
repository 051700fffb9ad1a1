package scheduler

// SetMaxRank makes the rank counter of s run out after r ranks, so that
// tests reach the renumbering without a billion pushes.
func SetMaxRank[T any](s *Set[T], r uint64) { s.maxRank = r }

// SetMaxSlots limits s to n slots, so that tests reach MaxPending.
func SetMaxSlots[T any](s *Set[T], n int32) { s.maxSlot = n }

// NewSmallCalendar returns an empty calendar whose far tier has nearMax
// buckets instead of calNearMax, so that the conformance kit reaches the far
// tier with few entries (more than calFarFrom*nearMax).
func NewSmallCalendar[T any](nearMax int) *Calendar[T] {
	c := NewCalendar[T]()
	c.nearMax = nearMax
	return c
}
