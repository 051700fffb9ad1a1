package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
)

// The views of clock_unsafe.go match the linked benbjohnson/clock, and a
// layout that differs in any way the check looks at gives a clear panic.
func TestClockLayoutCheck(t *testing.T) {
	tabs := checkClockLayout()
	if tabs.timer == nil || tabs.ticker == nil {
		t.Fatal("no type words learnt")
	}
	// Layouts that a later version might have.
	//lint:ignore U1000 read only through reflection
	type reordered struct {
		C       <-chan time.Time
		timer   *time.Timer
		c       chan time.Time
		next    time.Time
		mock    *clock.Mock
		fn      func()
		stopped bool
	}
	//lint:ignore U1000 read only through reflection
	type retyped struct {
		C       <-chan time.Time
		c       chan time.Time
		timer   *time.Timer
		next    int64
		mock    *clock.Mock
		fn      func()
		stopped bool
	}
	//lint:ignore U1000 read only through reflection
	type grown struct {
		C       <-chan time.Time
		c       chan time.Time
		timer   *time.Timer
		next    time.Time
		mock    *clock.Mock
		fn      func()
		stopped bool
		id      int
	}
	ours := reflect.TypeFor[timerView]()
	for _, c := range []struct {
		lib  reflect.Type
		want string
	}{
		{reflect.TypeFor[clock.Timer](), ""},
		{reflect.TypeFor[reordered](), `field 1 is "timer", want "c"`},
		{reflect.TypeFor[retyped](), "field next at offset 24 size 8, want offset 24 size 24"},
		{reflect.TypeFor[grown](), "8 fields, want 7"},
	} {
		if got := clockLayout(c.lib, ours); got != c.want {
			t.Errorf("clockLayout(%v) = %q, want %q", c.lib, got, c.want)
		}
	}
	defer func() {
		msg, _ := recover().(string)
		for _, want := range []string{"sim: Env.Clock:", "layout of v1.3.5", "(clock.Timer: field 1 is", "require github.com/benbjohnson/clock v1.3.5"} {
			if !strings.Contains(msg, want) {
				t.Errorf("panic %q lacks %q", msg, want)
			}
		}
	}()
	layoutPanic("clock.Timer: " + clockLayout(reflect.TypeFor[reordered](), ours))
}
