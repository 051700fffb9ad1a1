package sim

// EndWatch is what a primitive registers with Proc.WatchEnd to be told when
// a task ends: a primitive whose tasks hold something that only they give
// back (a unit of a resource) watches its holders this way, so that a task
// that ends holding it is reported rather than keeping it for ever. A
// primitive keeps one EndWatch for all its tasks and registers its address.
type EndWatch struct {
	// TaskEnded is called once, on the Env's goroutine, when p's task has
	// ended (returned, failed or been cancelled), after its result is set.
	// A non-nil error is reported by the next Run method or Close as a
	// failure nobody read, joined to the others as Run joins them. It must
	// not wait; it may wake other tasks (to hand on what p held). It must
	// not keep p once it returns (the Proc of a task started by [Spawn]
	// may be reused for another task), unless it calls [Proc.Keep].
	TaskEnded func(p *Proc) error
}

// WatchEnd registers w to be told when p's task ends, once, however often
// it is registered; watches are told in the order they were first
// registered. Tasks unwound by Env.Close are not reported: their watches
// are not told, since whatever they held ends with the Env. The first
// watch of a task is kept in the task itself, so registering one allocates
// nothing, and registering it again costs a comparison. WatchEnd may be
// called from anywhere on the Env's goroutine; it panics if w or its
// TaskEnded is nil, or if p's task has ended.
func (p *Proc) WatchEnd(w *EndWatch) {
	if p.endw == w && w != nil {
		return
	}
	p.watchEnd(w)
}

// watchEnd is WatchEnd past its common case, kept out of line so that
// WatchEnd inlines into the primitives that call it on every grant.
//
//go:noinline
func (p *Proc) watchEnd(w *EndWatch) {
	switch {
	case w == nil || w.TaskEnded == nil:
		panic("sim: Proc.WatchEnd called with a nil EndWatch or TaskEnded")
	case p.state == finished:
		panic("sim: Proc.WatchEnd on task " + p.name + ", which has ended")
	case p.endw == nil:
		p.endw = w
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

// toldEnd tells p's watches that its task has ended and keeps their
// reports for the next Run method; finish calls it when p has watches.
func (p *Proc) toldEnd() {
	e := p.env
	w := p.endw
	p.endw = nil
	var ws []*EndWatch
	if p.x != nil {
		ws, p.x.endws = p.x.endws, nil
	}
	if e.closing {
		return
	}
	if err := w.TaskEnded(p); err != nil {
		e.ended = append(e.ended, err)
	}
	for _, w := range ws {
		if err := w.TaskEnded(p); err != nil {
			e.ended = append(e.ended, err)
		}
	}
}

// Ended reports whether p's task has ended (returned, failed or was
// cancelled).
func (p *Proc) Ended() bool { return p.state == finished }
