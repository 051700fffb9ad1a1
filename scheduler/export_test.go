package scheduler

// SetMaxRank makes the rank counter of s run out after r ranks, so that
// tests reach the renumbering without a billion pushes.
func SetMaxRank[T any](s *Set[T], r uint64) { s.maxRank = r }

// SetMaxSlots limits s to n slots, so that tests reach MaxPending.
func SetMaxSlots[T any](s *Set[T], n int32) { s.maxSlot = n }
