package sim

// This file is the only one that reaches into github.com/benbjohnson/clock's
// unexported fields. A *clock.Timer or *clock.Ticker can be stopped and
// reset only by the *clock.Mock (or the real time.Timer) that made it, so
// the Env's clock owns a Mock as the registry of its timers and reads and
// writes the fields that v1.3.5 (the final release: the module is archived,
// its layout frozen) keeps there, through unsafe views of the same shape.
// checkClockLayout compares the views with the library's types, field by
// field, when an Env creates its clock, and panics with a clear message if
// they differ, rather than let a different version corrupt memory.

import (
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/benbjohnson/clock"
)

// clockVersion is the release of github.com/benbjohnson/clock whose layout
// the views below copy.
const clockVersion = "v1.3.5"

// timerView has the layout of clock.Timer.
type timerView struct {
	C       <-chan time.Time
	c       chan time.Time
	timer   *time.Timer
	next    time.Time
	mock    *clock.Mock
	fn      func()
	stopped bool
}

// tickerView has the layout of clock.Ticker.
type tickerView struct {
	C       <-chan time.Time
	c       chan time.Time
	ticker  *time.Ticker
	next    time.Time
	mock    *clock.Mock
	d       time.Duration
	stopped bool
}

// ifaceWord is the layout of an interface value: its type word and its
// data pointer.
type ifaceWord struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// mockView has the layout of clock.Mock; timers is a slice of the
// unexported interface clockTimer, whose data pointers are the
// *clock.Timer and *clock.Ticker values registered.
type mockView struct {
	mu     sync.Mutex
	now    time.Time
	timers []ifaceWord
}

func viewTimer(t *clock.Timer) *timerView    { return (*timerView)(unsafe.Pointer(t)) }
func viewTicker(t *clock.Ticker) *tickerView { return (*tickerView)(unsafe.Pointer(t)) }
func viewMock(m *clock.Mock) *mockView       { return (*mockView)(unsafe.Pointer(m)) }

// clockLayout returns a description of the first difference between the
// library's type lib and the view ours, or "" if they have the same
// fields (names, offsets, sizes and kinds; the types themselves where they
// are not the library's unexported ones) and the same size.
func clockLayout(lib, ours reflect.Type) string {
	if lib.NumField() != ours.NumField() {
		return fmt.Sprintf("%d fields, want %d", lib.NumField(), ours.NumField())
	}
	for i := range lib.NumField() {
		l, o := lib.Field(i), ours.Field(i)
		switch {
		case l.Name != o.Name:
			return fmt.Sprintf("field %d is %q, want %q", i, l.Name, o.Name)
		case l.Offset != o.Offset || l.Type.Size() != o.Type.Size():
			return fmt.Sprintf("field %s at offset %d size %d, want offset %d size %d", l.Name, l.Offset, l.Type.Size(), o.Offset, o.Type.Size())
		case l.Type.Kind() != o.Type.Kind():
			return fmt.Sprintf("field %s is a %v, want a %v", l.Name, l.Type.Kind(), o.Type.Kind())
		case l.Type.PkgPath() != "github.com/benbjohnson/clock" && l.Type != o.Type:
			return fmt.Sprintf("field %s is a %v, want a %v", l.Name, l.Type, o.Type)
		case l.Type.Kind() == reflect.Slice && l.Type.Elem().Kind() != reflect.Interface:
			return fmt.Sprintf("field %s is a slice of %v, want a slice of interfaces", l.Name, l.Type.Elem())
		}
	}
	if lib.Size() != ours.Size() {
		return fmt.Sprintf("size %d, want %d", lib.Size(), ours.Size())
	}
	return ""
}

// checkClockLayout panics unless clock.Timer, clock.Ticker and clock.Mock
// have the layout of v1.3.5 and a Mock registers its timers where the views
// expect them; it returns the type words of the registrations.
func checkClockLayout() clockTabs {
	pairs := []struct{ lib, ours reflect.Type }{
		{reflect.TypeFor[clock.Timer](), reflect.TypeFor[timerView]()},
		{reflect.TypeFor[clock.Ticker](), reflect.TypeFor[tickerView]()},
		{reflect.TypeFor[clock.Mock](), reflect.TypeFor[mockView]()},
	}
	for _, p := range pairs {
		if diff := clockLayout(p.lib, p.ours); diff != "" {
			layoutPanic(p.lib.String() + ": " + diff)
		}
	}
	// The views read what the library wrote.
	m := clock.NewMock()
	tm := m.AfterFunc(time.Second, func() {})
	tk := m.Ticker(time.Minute)
	mv := viewMock(m)
	start := time.Unix(0, 0)
	switch {
	case !mv.now.Equal(start):
		layoutPanic("Mock.now is not where expected")
	case len(mv.timers) != 2 || mv.timers[0].data != unsafe.Pointer(tm) || mv.timers[1].data != unsafe.Pointer(tk):
		layoutPanic("Mock.timers does not hold the timers made")
	case !viewTimer(tm).next.Equal(start.Add(time.Second)) || viewTimer(tm).mock != m || viewTimer(tm).stopped:
		layoutPanic("Timer fields are not where expected")
	case !viewTicker(tk).next.Equal(start.Add(time.Minute)) || viewTicker(tk).d != time.Minute || viewTicker(tk).C != tk.C:
		layoutPanic("Ticker fields are not where expected")
	}
	tabs := clockTabs{mv.timers[0].tab, mv.timers[1].tab}
	tm.Stop()
	tk.Stop()
	if len(mv.timers) != 0 || !viewTimer(tm).stopped || !viewTicker(tk).stopped {
		layoutPanic("Stop does not unregister as expected")
	}
	if tabs.timer == tabs.ticker {
		layoutPanic("a Timer and a Ticker register with the same type")
	}
	return tabs
}

func layoutPanic(diff string) {
	panic(fmt.Sprintf("sim: Env.Clock: github.com/benbjohnson/clock does not have the layout of %s that vtsim reads (%s); require github.com/benbjohnson/clock %s in go.mod", clockVersion, diff, clockVersion))
}

// clockTabs are the type words of the interface values with which a Mock
// registers a *clock.Timer and a *clock.Ticker, learnt from a scratch Mock.
type clockTabs struct{ timer, ticker unsafe.Pointer }

// registered returns the record of an entry of the Env's Mock's timers: a
// timer or ticker that the Env's clock made and that Reset registered again
// after it fired or was stopped.
func (tabs clockTabs) registered(w ifaceWord) *clockRec {
	switch w.tab {
	case tabs.timer:
		return &(*clockTimer)(w.data).clockRec
	case tabs.ticker:
		return &(*clockTicker)(w.data).clockRec
	}
	panic("sim: internal error: a timer of the Env's clock.Mock of unknown type")
}
