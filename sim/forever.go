package sim

// WaitForever suspends p's task until it is cancelled or interrupted, and
// returns that wait's error (a *CancelledError or an *InterruptError): a
// server that idles until a peer interrupts it with work, say. Unlike
// SleepUntil(MaxTime), it schedules no event, so Run does not move the clock
// to the end of time for it; like any wait that nothing will end, it counts
// in a deadlock when no event is left (a *DeadlockError names it as waiting
// on "nothing (WaitForever)"). It panics if called from outside p's task.
func (p *Proc) WaitForever() error {
	p.checkRunning("Proc.WaitForever")
	q := &p.env.forever
	if q.what == "" {
		q.what = "nothing (WaitForever)"
	}
	_, err := q.park(p, nil, "Proc.WaitForever", false)
	return err
}
