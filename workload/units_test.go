package workload

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestDrawNeverZero(t *testing.T) {
	// Exponential of mean 1 ns: about 39% of draws are below 0.5 ns and
	// would round to 0 by math.Round alone.
	d := Must(Exponential(1))
	r := rand.New(rand.NewPCG(1, 2))
	var now time.Duration
	for i := range 10_000 {
		step := Draw(d, r, time.Nanosecond)
		if step < 1 {
			t.Fatalf("draw %d = %v; want >= 1ns", i, step)
		}
		now += step
	}
	if now < 10_000 {
		t.Fatalf("10000 steps advanced %v; want >= 10µs", now)
	}
}

func TestInUnits(t *testing.T) {
	if got := InUnits(90*time.Second, time.Minute); got != 1.5 {
		t.Errorf("InUnits(90s, 1m) = %v; want 1.5", got)
	}
	if got := InUnits(MustDuration(2.25, time.Millisecond), time.Millisecond); got != 2.25 {
		t.Errorf("round trip of 2.25ms = %v", got)
	}
}

func TestUnitsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"gamma", func() error { _, err := Gamma(0, 1); return err }(), "workload: invalid parameter: Gamma shape = 0; want a finite number > 0"},
		{"tri order", func() error { _, err := Triangular(2, 1, 3); return err }(), "workload: invalid parameter: Triangular(lo=2, mode=1, hi=3); want lo <= mode <= hi and lo < hi"},
		{"tri point", func() error { _, err := Triangular(1, 1, 1); return err }(), "workload: invalid parameter: Triangular(lo=1, mode=1, hi=1); want lo <= mode <= hi and lo < hi"},
		{"tri negative", func() error { _, err := Triangular(-1, 1, 3); return err }(), "workload: invalid parameter: Triangular lo = -1; want a finite number >= 0"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want || !errors.Is(tc.err, ErrInvalid) {
			t.Errorf("%s: error %v; want %q", tc.name, tc.err, tc.want)
		}
	}
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	mustPanic("InUnits(1s, 0)", func() { InUnits(time.Second, 0) })
	mustPanic("MustDuration(1e10, 1s)", func() { MustDuration(1e10, time.Second) })
	mustPanic("Draw(unit 0)", func() { Draw(Must(Exponential(1)), rand.New(rand.NewPCG(1, 1)), 0) })
}
