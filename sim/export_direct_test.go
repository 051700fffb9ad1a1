package sim

// SetDirectTimers turns the timer waits that end without a switch
// (Proc.wakeNext) on or off, for the tests that compare runs with and
// without them, and returns the previous setting.
func SetDirectTimers(on bool) bool {
	old := directTimers
	directTimers = on
	return old
}

// Pushed returns the number of events pushed into e's event set so far.
func Pushed(e *Env) uint64 { return e.events.Pushed() }
