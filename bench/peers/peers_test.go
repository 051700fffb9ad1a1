package main

import (
	"bytes"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the driver's child (-child), as
// the command's binary does, so that TestDriver runs sides in child
// processes.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "-child" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestGoSides runs every Go side of every workload once at the quick
// sizes, in this process, and checks its count of events.
func TestGoSides(t *testing.T) {
	for _, wl := range workloads() {
		for name, s := range goSides()[wl] {
			t.Run(wl+"/"+name, func(t *testing.T) {
				p := quickParams(wl)
				r, err := s.run(t, p)
				if err != nil {
					t.Fatal(err)
				}
				if err := r.check(wl, p); err != nil {
					t.Fatal(err)
				}
				if r.elapsed <= 0 {
					t.Errorf("elapsed %v", r.elapsed)
				}
				if wl == mm1 && !(r.wq > 0) {
					t.Errorf("mean wait %v", r.wq)
				}
			})
		}
	}
}

// TestMM1SidesAgree checks that the FIFO servers of every Go side see the
// same customers: the same arrival and service streams give the same mean
// wait (simgo's float64 clock aside, to rounding).
func TestMM1SidesAgree(t *testing.T) {
	p := params{n: 5_000}
	var want float64
	for i, name := range []string{"vtsim-tasks", "typed-heap", "coroutines", "goroutines", "simgo", "synctest"} {
		r, err := goSides()[mm1][name].run(t, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if i == 0 {
			want = r.wq
			continue
		}
		if math.Abs(r.wq-want) > 1e-6*want {
			t.Errorf("%s: Wq = %.9f, vtsim-tasks has %.9f", name, r.wq, want)
		}
	}
}

// simpyRunner returns a runner for the SimPy sides, or skips the test if
// SimPy cannot be found.
func simpyRunner(t *testing.T) runner {
	t.Helper()
	rn := runner{python: "python3"}
	if info := rn.probeSimPy(); info.skip != "" {
		t.Skip(info.skip)
	}
	return rn
}

// TestSimPySides runs every SimPy side once at the quick sizes.
func TestSimPySides(t *testing.T) {
	rn := simpyRunner(t)
	for _, wl := range workloads() {
		for name := range simpySides(wl) {
			r, err := rn.run(wl, name, quickParams(wl))
			if err != nil {
				t.Fatal(err)
			}
			if r.maxRSS <= 0 {
				t.Errorf("%s/%s: peak RSS %d", wl, name, r.maxRSS)
			}
		}
	}
}

// TestDriver runs the command's driver on two comparisons at the quick
// sizes, with this test binary as the children, and checks its output.
func TestDriver(t *testing.T) {
	var out, errs bytes.Buffer
	d := driver{
		rn:     runner{exe: os.Args[0], python: "python3"},
		count:  2,
		params: quickParams,
		match:  regexp.MustCompile(`^(hold/vtsim-callbacks/typed-heap|sleepers/vtsim-tasks/goroutines)$`),
		stdout: &out,
		stderr: &errs,
	}
	if err := d.run(); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	s := out.String()
	for _, want := range []string{
		"cpu: ",
		"BenchmarkHold/vtsim-callbacks 10000 ",
		"BenchmarkHold/typed-heap 10000 ",
		"BenchmarkSleepers/goroutines 1000 ",
		" peak-RSS-B\n",
		"| vtsim, callbacks (`CallLater`) | ",
		"| goroutine per process, channel hand-off | ",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "BenchmarkHold/vtsim-callbacks "); n != 2 {
		t.Errorf("%d runs of hold/vtsim-callbacks, want 2", n)
	}
}

func TestParseResult(t *testing.T) {
	r := result{events: 400, span: span{elapsed: 1500 * time.Microsecond, cpu: time.Millisecond, allocs: 7}, wq: 8.75}
	got, err := parseResult([]byte("PASS\n" + formatResult(r) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got != r {
		t.Errorf("parsed %+v, want %+v", got, r)
	}
	got, err = parseResult([]byte("RESULT events=3 seconds=0.5\n"))
	if err != nil || got.events != 3 || got.elapsed != time.Second/2 || got.cpu != 0 || got.allocs != -1 || !math.IsNaN(got.wq) {
		t.Errorf("parsed %+v, %v", got, err)
	}
	for _, bad := range []string{"", "RESULT events=3\n", "RESULT events=x seconds=1\n"} {
		if _, err := parseResult([]byte(bad)); err == nil {
			t.Errorf("parseResult(%q) succeeded", bad)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
}

func TestCheck(t *testing.T) {
	p := fullParams(mm1)
	if err := (result{events: 2 * p.n, wq: 9.4}).check(mm1, p); err != nil {
		t.Error(err)
	}
	if err := (result{events: 2*p.n - 1, wq: 9}).check(mm1, p); err == nil {
		t.Error("a missing event passed")
	}
	if err := (result{events: 2 * p.n, wq: 12}).check(mm1, p); err == nil {
		t.Error("Wq = 12 passed")
	}
}
