package sim

// SetDirectTimers turns e's timer waits that end without a switch
// (Proc.wakeNext) and its hosting (host.go) on or off, for the tests that
// compare runs with and without them.
func SetDirectTimers(e *Env, on bool) { e.noDirect = !on }

// Pushed returns the number of events pushed into e's event set so far.
func Pushed(e *Env) uint64 { return e.events.Pushed() }

// Host returns the name of the task whose coroutine takes the run loop's
// turns now (host.go), or "" if none does.
func Host(e *Env) string {
	if e.host == nil {
		return ""
	}
	return e.host.name
}
