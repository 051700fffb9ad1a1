package sim

// EndWatcher is told when a task it watches ends (see Proc.WatchEnd). A
// primitive whose tasks hold something that only they give back (a unit of
// a resource) watches its holders this way, so that a task that ends
// holding it is reported rather than keeping it for ever.
type EndWatcher interface {
	// TaskEnded is called once, on the Env's goroutine, when p's task has
	// ended (returned, failed or been cancelled), after its result is set.
	// A non-nil error is reported by the next Run method or Close as a
	// failure nobody read, joined to the others as Run joins them. It must
	// not wait; it may wake other tasks (to hand on what p held).
	TaskEnded(p *Proc) error
}

// WatchEnd registers w to be told when p's task ends, once, however often
// it is registered; watchers are told in the order they were first
// registered. Tasks unwound by Env.Close are not reported: their watchers
// are not told, since whatever they held ends with the Env. The first
// watcher of a task is kept in the task itself, so registering one
// allocates nothing. WatchEnd may be called from anywhere on the Env's
// goroutine; it panics if p's task has ended.
func (p *Proc) WatchEnd(w EndWatcher) {
	if p.state == finished {
		panic("sim: Proc.WatchEnd on task " + p.name + ", which has ended")
	}
	if w == nil {
		panic("sim: Proc.WatchEnd called with a nil EndWatcher")
	}
	switch {
	case p.endw == nil:
		p.endw = w
		return
	case p.endw == w:
		return
	}
	x := p.extra()
	for _, v := range x.endws {
		if v == w {
			return
		}
	}
	x.endws = append(x.endws, w)
}

// toldEnd tells p's watchers that its task has ended and keeps their
// reports for the next Run method; finish calls it when p has watchers.
func (p *Proc) toldEnd() {
	e := p.env
	w := p.endw
	p.endw = nil
	if e.closing {
		if p.x != nil {
			p.x.endws = nil
		}
		return
	}
	if err := w.TaskEnded(p); err != nil {
		e.ended = append(e.ended, err)
	}
	if p.x == nil {
		return
	}
	ws := p.x.endws
	p.x.endws = nil
	for _, w := range ws {
		if err := w.TaskEnded(p); err != nil {
			e.ended = append(e.ended, err)
		}
	}
}
