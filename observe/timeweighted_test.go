package observe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

const s = time.Second

func TestTimeWeightedStepFunction(t *testing.T) {
	// Level 2 on [0s,4s), 5 on [4s,6s), 0 on [6s,10s]. By hand:
	// mean = (2·4 + 5·2 + 0·4) / 10 = 18/10 = 1.8;
	// E[x²] = (4·4 + 25·2 + 0·4) / 10 = 6.6, variance = 6.6 - 1.8² = 3.36;
	// as of 8s: mean = (8 + 10 + 0) / 8 = 2.25.
	var w TimeWeighted
	mustSet(t, &w, 0, 2)
	mustSet(t, &w, 4*s, 5)
	mustSet(t, &w, 6*s, 0)
	st := w.Stats(10 * s)
	checkNear(t, "Mean", st.Mean, 1.8, 1e-15)
	checkNear(t, "Variance", st.Variance, 3.36, 1e-14)
	checkNear(t, "StdDev", st.StdDev, math.Sqrt(3.36), 1e-14)
	if st.Duration != 10*s || st.Min != 0 || st.Max != 5 || st.Level != 0 {
		t.Errorf("Stats = %+v, want duration 10s, min 0, max 5, level 0", st)
	}
	if m := w.MeanAt(8 * s); !near(m, 2.25, 1e-15) {
		t.Errorf("MeanAt(8s) = %v, want 2.25", m)
	}
	levels := w.Levels(10 * s)
	want := []LevelTime{{0, 4 * s}, {2, 4 * s}, {5, 2 * s}}
	if !slices.Equal(levels, want) {
		t.Errorf("Levels = %v, want %v", levels, want)
	}
	// Reading does not change the record: the level goes on.
	mustSet(t, &w, 12*s, 1)
	if m := w.MeanAt(14 * s); !near(m, (18+0+2)/14.0, 1e-15) {
		t.Errorf("MeanAt(14s) = %v, want 20/14", m)
	}
}

func mustSet(t *testing.T, w *TimeWeighted, at time.Duration, level float64) {
	t.Helper()
	w.Set(at, level)
}

func TestTimeWeightedQueue(t *testing.T) {
	// A queue starting empty at 0 (the zero value): arrivals at 1s, 2s, 2s,
	// departures at 3s, 5s, 6s. Levels 0 [0,1), 1 [1,2), 3 [2,3), 2 [3,5),
	// 1 [5,6), 0 [6,8]: area 0+1+3+4+1+0 = 9 over 8s, mean 9/8, range
	// [0, 3]. (The level 2 between the two arrivals at 2s is held for no
	// time; 2 appears in the levels only for [3,5).)
	var w TimeWeighted
	for _, ev := range []struct {
		at    time.Duration
		delta float64
	}{{1 * s, 1}, {2 * s, 1}, {2 * s, 1}, {3 * s, -1}, {5 * s, -1}, {6 * s, -1}} {
		w.Add(ev.at, ev.delta)
	}
	st := w.Stats(8 * s)
	checkNear(t, "Mean", st.Mean, 9.0/8, 1e-15)
	// E[x²] = (1 + 9 + 8 + 1)/8 = 19/8, variance = 19/8 - 81/64 = 71/64.
	checkNear(t, "Variance", st.Variance, 71.0/64, 1e-14)
	if st.Min != 0 || st.Max != 3 {
		t.Errorf("Min, Max = %v, %v, want 0, 3", st.Min, st.Max)
	}
	levels := w.Levels(8 * s)
	want := []LevelTime{{0, 3 * s}, {1, 2 * s}, {2, 2 * s}, {3, 1 * s}}
	if !slices.Equal(levels, want) {
		t.Errorf("Levels = %v, want %v", levels, want)
	}
}

func TestTimeWeightedSameInstant(t *testing.T) {
	// Changes at one instant replace each other: only the last is held, and
	// the replaced ones count neither in the range nor in the levels.
	var w TimeWeighted
	mustSet(t, &w, 0, 20) // the zero value's level 0 is replaced at once
	mustSet(t, &w, 5*s, 100)
	mustSet(t, &w, 5*s, -7)
	mustSet(t, &w, 5*s, 30)
	st := w.Stats(10 * s)
	if st.Min != 20 || st.Max != 30 || st.Mean != 25 {
		t.Errorf("Stats = %+v, want min 20, max 30, mean 25", st)
	}
	levels := w.Levels(10 * s)
	if want := []LevelTime{{20, 5 * s}, {30, 5 * s}}; !slices.Equal(levels, want) {
		t.Errorf("Levels = %v, want %v", levels, want)
	}
}

func TestTimeWeightedEmptyInterval(t *testing.T) {
	w := NewTimeWeighted(3*s, 4)
	st := w.Stats(3 * s)
	if st.Duration != 0 || !math.IsNaN(st.Mean) || !math.IsNaN(st.Variance) || st.Min != 4 || st.Max != 4 || st.Level != 4 {
		t.Errorf("Stats over no time = %+v, want NaN mean and variance, range [4, 4]", st)
	}
	if levels := w.Levels(3 * s); len(levels) != 0 {
		t.Errorf("Levels over no time = %v, want none", levels)
	}
	if w.Start() != 3*s || w.Last() != 3*s || w.Level() != 4 {
		t.Errorf("Start, Last, Level = %v, %v, %v", w.Start(), w.Last(), w.Level())
	}
}

func TestTimeWeightedPanics(t *testing.T) {
	// Time going backwards and non-finite levels are programmer mistakes:
	// each panics with a message naming the method and the times involved.
	fresh := func() *TimeWeighted {
		var w TimeWeighted
		w.Set(5*s, 1)
		return &w
	}
	var other TimeWeighted
	other.Set(9*s, 1)
	cases := []struct {
		name string
		call func(w *TimeWeighted)
		want string
	}{
		{"Set in the past", func(w *TimeWeighted) { w.Set(4*s, 2) }, "observe: TimeWeighted.Set(4s): time goes backwards (the last change was at 5s)"},
		{"Add in the past", func(w *TimeWeighted) { w.Add(4*s, 2) }, "observe: TimeWeighted.Add(4s): time goes backwards (the last change was at 5s)"},
		{"Stats in the past", func(w *TimeWeighted) { w.Stats(4 * s) }, "observe: TimeWeighted.Stats(4s): time goes backwards (the last change was at 5s)"},
		{"MeanAt in the past", func(w *TimeWeighted) { w.MeanAt(4 * s) }, "observe: TimeWeighted.Stats(4s): time goes backwards (the last change was at 5s)"},
		{"Levels in the past", func(w *TimeWeighted) { w.Levels(4 * s) }, "observe: TimeWeighted.Levels(4s): time goes backwards (the last change was at 5s)"},
		{"Reset in the past", func(w *TimeWeighted) { w.Reset(4 * s) }, "observe: TimeWeighted.Reset(4s): time goes backwards (the last change was at 5s)"},
		{"Merge before other's last change", func(w *TimeWeighted) { w.Merge(&other, 8*s) }, "observe: TimeWeighted.Merge(8s): time goes backwards (the last change was at 9s)"},
		{"Set NaN", func(w *TimeWeighted) { w.Set(6*s, math.NaN()) }, "observe: TimeWeighted.Set(6s, NaN): the level must be finite"},
		{"Set +Inf", func(w *TimeWeighted) { w.Set(6*s, math.Inf(1)) }, "observe: TimeWeighted.Set(6s, +Inf): the level must be finite"},
		{"Add -Inf", func(w *TimeWeighted) { w.Add(6*s, math.Inf(-1)) }, "observe: TimeWeighted.Add(6s, -Inf) to level 1: the delta and the new level must be finite"},
		{"Add overflowing", func(w *TimeWeighted) { w.Add(6*s, math.MaxFloat64); w.Add(6*s, math.MaxFloat64) }, "observe: TimeWeighted.Add(6s, 1.7976931348623157e+308) to level 1.7976931348623157e+308: the delta and the new level must be finite"},
		{"NewTimeWeighted NaN", func(*TimeWeighted) { NewTimeWeighted(0, math.NaN()) }, "observe: NewTimeWeighted: level NaN is not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := fresh()
			defer func() {
				if r := recover(); r != c.want {
					t.Errorf("panic = %v, want %q", r, c.want)
				}
			}()
			c.call(w)
		})
	}
}

func TestTimeWeightedReset(t *testing.T) {
	// Warm-up deletion: the level 10 before 5s is forgotten; the current
	// level 2 (set at 4s) is held on [5s, 7s), then 4 on [7s, 9s]: mean 3.
	var w TimeWeighted
	mustSet(t, &w, 0, 10)
	mustSet(t, &w, 4*s, 2)
	w.Reset(5 * s)
	mustSet(t, &w, 7*s, 4)
	st := w.Stats(9 * s)
	if st.Mean != 3 || st.Min != 2 || st.Max != 4 || st.Duration != 4*s || w.Start() != 5*s {
		t.Errorf("after Reset: %+v, start %v", st, w.Start())
	}
}

// randomSteps builds a random step function starting at start and returns
// it with its (level, duration) segments up to the returned end time.
func randomSteps(r *rand.Rand, start time.Duration, n int) (*TimeWeighted, time.Duration, []LevelTime) {
	w := NewTimeWeighted(start, float64(r.IntN(5)))
	var segs []LevelTime
	at := start
	for range n {
		d := time.Duration(r.IntN(3)) * time.Millisecond * 250 // zero durations happen
		segs = append(segs, LevelTime{w.Level(), d})
		at += d
		w.Set(at, float64(r.IntN(7))-2)
	}
	d := time.Duration(r.IntN(4)) * time.Second
	segs = append(segs, LevelTime{w.Level(), d})
	return w, at + d, segs
}

func TestTimeWeightedAgainstSegments(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 100 {
		w, end, segs := randomSteps(r, time.Duration(r.IntN(100))*s, r.IntN(30))
		var total time.Duration
		var area, area2 float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, sg := range segs {
			total += sg.Time
			area += sg.Level * sg.Time.Seconds()
			area2 += sg.Level * sg.Level * sg.Time.Seconds()
			if sg.Time > 0 || i == len(segs)-1 {
				lo, hi = math.Min(lo, sg.Level), math.Max(hi, sg.Level)
			}
		}
		st := w.Stats(end)
		if st.Duration != total || st.Min != lo || st.Max != hi {
			t.Fatalf("Stats = %+v, want duration %v, range [%v, %v]", st, total, lo, hi)
		}
		if total == 0 {
			continue
		}
		mean := area / total.Seconds()
		checkNear(t, "Mean", st.Mean, mean, 1e-12)
		checkNear(t, "Variance", st.Variance, area2/total.Seconds()-mean*mean, 1e-10)
	}
}

func TestTimeWeightedMerge(t *testing.T) {
	// Merging records equals one record of all their segments laid end to
	// end.
	r := rand.New(rand.NewPCG(11, 12))
	for range 100 {
		var merged TimeWeighted
		var all []LevelTime
		for range 1 + r.IntN(4) {
			part, end, segs := randomSteps(r, time.Duration(r.IntN(10))*s, r.IntN(20))
			merged.Merge(part, end)
			all = append(all, segs...)
		}
		whole := NewTimeWeighted(0, 0)
		at := time.Duration(0)
		for _, sg := range all {
			mustSet(t, whole, at, sg.Level)
			at += sg.Time
		}
		want := whole.Stats(at)
		got := merged.Stats(0)
		if got.Duration != want.Duration {
			t.Fatalf("merged Duration %v, want %v", got.Duration, want.Duration)
		}
		if got.Duration > 0 {
			checkNear(t, "Mean", got.Mean, want.Mean, 1e-12)
			checkNear(t, "Variance", got.Variance, want.Variance, 1e-10)
		}
		wl := whole.Levels(at)
		gl := merged.Levels(0)
		if !slices.Equal(gl, wl) {
			t.Errorf("merged Levels = %v, want %v", gl, wl)
		}
	}
}

func TestTimeWeightedMergeRange(t *testing.T) {
	// other held 5 on [0, 2s) and then 9 from 2s: merged as of 3s, its range
	// is [5, 9] and w's own level 1 widens it to [1, 9]. other is unchanged.
	w := NewTimeWeighted(0, 1)
	other := NewTimeWeighted(0, 5)
	mustSet(t, other, 2*s, 9)
	w.Merge(other, 3*s)
	st := w.Stats(0)
	// 5 for 2s, 9 for 1s: mean 19/3.
	if st.Min != 1 || st.Max != 9 || st.Duration != 3*s || !near(st.Mean, 19.0/3, 1e-15) {
		t.Errorf("merged Stats = %+v", st)
	}
	if other.Last() != 2*s || other.Level() != 9 {
		t.Errorf("Merge changed other: last %v level %v", other.Last(), other.Level())
	}
	// Merging a record into itself as of 3s doubles every duration up to
	// 3s: 5 for 2s+2s, 9 for 1s+1s.
	other.Merge(other, 3*s)
	levels := other.Levels(3 * s)
	if want := []LevelTime{{5, 4 * s}, {9, 2 * s}}; !slices.Equal(levels, want) {
		t.Errorf("self-merged Levels = %v, want %v", levels, want)
	}
}

func TestTimeWeightedNegativeZero(t *testing.T) {
	var w TimeWeighted
	mustSet(t, &w, 0, math.Copysign(0, -1))
	mustSet(t, &w, s, 1)
	levels := w.Levels(2 * s)
	if math.Signbit(levels[0].Level) {
		t.Errorf("level -0 kept its sign: %v", levels)
	}
}
