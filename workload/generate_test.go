package workload

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
)

// take returns n jobs of spec drawn from a fresh Env seeded with seed.
func take(t *testing.T, spec Spec, seed uint64, n int) []Job {
	t.Helper()
	env := sim.New(sim.WithSeed(seed))
	defer env.Close()
	g, err := NewGenerator(spec, env)
	if err != nil {
		t.Fatal(err)
	}
	jobs := g.Take(n)
	if len(jobs) != n || g.Err() != nil {
		t.Fatalf("Take(%d) gave %d jobs, Err %v", n, len(jobs), g.Err())
	}
	return jobs
}

func mixedSpec() Spec {
	return Spec{
		Arrivals: Must(Poisson(0.8)),
		Sizes:    Must(Exponential(1)),
		Estimate: Must(Lognormal(1, 0.5)),
		Slack:    Must(Uniform(2, 4)),
		Classes: []Class{
			{Prob: 3, Weight: 1},
			{Prob: 1, Weight: 4, Sizes: Must(BoundedPareto(1.5, 0.1, 100))},
		},
		Unit: time.Millisecond,
	}
}

// TestGeneratorFirstJobs pins the first jobs of a seeded workload: a
// change in how jobs are drawn shows here first.
func TestGeneratorFirstJobs(t *testing.T) {
	spec := Spec{Arrivals: Must(Periodic(2)), Sizes: Must(Deterministic(1.5)), Slack: Must(Deterministic(3))}
	got := take(t, spec, 1, 3)
	want := []Job{
		{ID: 1, Arrival: 2 * time.Second, Size: 1500 * time.Millisecond, Estimate: 1500 * time.Millisecond, Deadline: 6500 * time.Millisecond},
		{ID: 2, Arrival: 4 * time.Second, Size: 1500 * time.Millisecond, Estimate: 1500 * time.Millisecond, Deadline: 8500 * time.Millisecond},
		{ID: 3, Arrival: 6 * time.Second, Size: 1500 * time.Millisecond, Estimate: 1500 * time.Millisecond, Deadline: 10500 * time.Millisecond},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("jobs\n%+v\nwant\n%+v", got, want)
	}
}

func TestGeneratorSameSeedSameJobs(t *testing.T) {
	a := take(t, mixedSpec(), 42, 1000)
	b := take(t, mixedSpec(), 42, 1000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generators with seed 42 differ")
	}
	c := take(t, mixedSpec(), 43, 1000)
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 42 and 43 give the same jobs")
	}
	// Other streams drawn from the same Env do not shift the jobs.
	env := sim.New(sim.WithSeed(42))
	defer env.Close()
	env.Rand("workload/other").Float64()
	env.Rand("policy/tiebreak").Uint64()
	g := Must(NewGenerator(mixedSpec(), env))
	if d := g.Take(1000); !reflect.DeepEqual(a, d) {
		t.Fatal("drawing from other streams shifted the jobs")
	}
	for i, j := range a {
		if j.ID != int64(i+1) || (i > 0 && j.Arrival < a[i-1].Arrival) {
			t.Fatalf("job %d: %+v not in ID and arrival order", i, j)
		}
		if j.Deadline < j.Arrival+2*j.Size-1 || j.Deadline > j.Arrival+4*j.Size+1 {
			t.Fatalf("job %+v: deadline outside arrival + [2, 4] × size", j)
		}
		if w := []float64{1, 4}[j.Class]; j.Weight != w {
			t.Fatalf("job %+v: weight %v; want %v", j, j.Weight, w)
		}
	}
}

// TestGeneratorStreamsIndependent: removing the estimate noise and the
// deadlines, or changing class 1's sizes, leaves every other field of
// every job unchanged.
func TestGeneratorStreamsIndependent(t *testing.T) {
	base := take(t, mixedSpec(), 7, 2000)

	plain := mixedSpec()
	plain.Estimate, plain.Slack = nil, nil
	for i, j := range take(t, plain, 7, 2000) {
		b := base[i]
		if j.Estimate != j.Size || j.Deadline != 0 {
			t.Fatalf("job %+v: want exact estimate and no deadline", j)
		}
		b.Estimate, b.Deadline = j.Estimate, 0
		if j != b {
			t.Fatalf("job %d changed: %+v, was %+v", i, j, base[i])
		}
	}

	other := mixedSpec()
	other.Classes[1].Sizes = Must(Deterministic(5))
	classOne := 0
	for i, j := range take(t, other, 7, 2000) {
		b := base[i]
		if j.Class != b.Class || j.Arrival != b.Arrival {
			t.Fatalf("job %d: class or arrival changed: %+v, was %+v", i, j, b)
		}
		if j.Class == 0 && j != b {
			t.Fatalf("class-0 job %d changed: %+v, was %+v", i, j, b)
		}
		if j.Class == 1 {
			classOne++
			if j.Size != 5*time.Millisecond {
				t.Fatalf("class-1 job %+v; want size 5ms", j)
			}
		}
	}
	// Class 1 has frequency 1/4: 500 expected of 2000, sd √(2000·¼·¾) ≈ 19.4.
	if classOne < 500-4*20 || classOne > 500+4*20 {
		t.Errorf("%d class-1 jobs of 2000; want 500 ± 80", classOne)
	}
}

// TestWithLoad sets the load of a two-class workload on 2 servers and
// checks the sampled load Σ S/(c·T) over 200,000 jobs. With Poisson
// arrivals the relative standard errors of Σ S and T are each about
// cv/√n, so the ratio's is below 2·cv_S/√n; the tolerance is four times
// that, with cv_S taken from the spec.
func TestWithLoad(t *testing.T) {
	spec := Spec{
		Arrivals: Must(Poisson(3)),
		Sizes:    Must(Erlang(2, 1)),
		Classes:  []Class{{Prob: 1}, {Prob: 1, Sizes: Must(Exponential(4))}},
	}
	if got, want := spec.Load(2), 3*2.5/2; !close(got, want, 1e-12) {
		t.Fatalf("Load(2) = %v; want %v", got, want)
	}
	loaded, err := spec.WithLoad(0.9, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := loaded.Load(2); !close(got, 0.9, 1e-12) {
		t.Fatalf("WithLoad(0.9, 2).Load(2) = %v", got)
	}
	if spec.Load(2) != 3.75 || spec.Classes[1].Sizes.Mean() != 4 {
		t.Fatal("WithLoad changed its receiver")
	}
	const n = 200_000
	jobs := take(t, loaded, 5, n)
	var work time.Duration
	for _, j := range jobs {
		work += j.Size
	}
	rho := float64(work) / (2 * float64(jobs[n-1].Arrival))
	// Mixture of Erlang(2, 1) and Exp(4) with equal weight: E[S²] =
	// ½(1.5) + ½(32) = 16.75, E[S] = 2.5, so cv² = 16.75/6.25 − 1.
	cv := math.Sqrt(16.75/6.25 - 1)
	if tol := 4 * 2 * cv / math.Sqrt(n) * 0.9; math.Abs(rho-0.9) > tol {
		t.Errorf("sampled load %v; want 0.9 ± %v", rho, tol)
	}
	// Scaling sizes keeps arrivals and classes.
	unscaled := take(t, spec, 5, 100)
	for i, j := range jobs[:100] {
		if j.Arrival != unscaled[i].Arrival || j.Class != unscaled[i].Class {
			t.Fatalf("job %d: arrival or class changed by WithLoad", i)
		}
	}
}

func TestSpecErrors(t *testing.T) {
	exp := Must(Exponential(1))
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"no arrivals", Spec{Sizes: exp}, "workload: invalid parameter: Spec.Arrivals is nil; want an arrival process such as Poisson(rate)"},
		{"no sizes", Spec{Arrivals: Must(Poisson(1))}, "workload: invalid parameter: class 0 has no size distribution and Spec.Sizes is nil; want one of them set"},
		{"class without sizes", Spec{Arrivals: Must(Poisson(1)), Classes: []Class{{Prob: 1, Sizes: exp}, {Prob: 1}}}, "workload: invalid parameter: class 1 has no size distribution and Spec.Sizes is nil; want one of them set"},
		{"negative prob", Spec{Arrivals: Must(Poisson(1)), Sizes: exp, Classes: []Class{{Prob: -1}}}, "workload: invalid parameter: Spec Classes[0].Prob = -1; want a finite number >= 0"},
		{"zero probs", Spec{Arrivals: Must(Poisson(1)), Sizes: exp, Classes: []Class{{}, {}}}, "workload: invalid parameter: Spec class frequencies add up to 0; want a finite sum > 0"},
		{"negative unit", Spec{Arrivals: Must(Poisson(1)), Sizes: exp, Unit: -1}, "workload: invalid parameter: Spec.Unit = -1ns; want a unit > 0, or 0 for time.Second"},
	}
	env := sim.New()
	defer env.Close()
	for _, tt := range tests {
		_, err := NewGenerator(tt.spec, env)
		if err == nil || err.Error() != tt.want || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v; want %q", tt.name, err, tt.want)
		}
	}
	_, err := Spec{Arrivals: Must(Poisson(1)), Sizes: exp}.WithLoad(math.NaN(), 1)
	if want := "workload: invalid parameter: WithLoad rho = NaN; want a finite number > 0"; err == nil || err.Error() != want {
		t.Errorf("WithLoad(NaN) error %v; want %q", err, want)
	}
}

// TestGeneratorTimeRunsOut: once arrivals pass the int64 range, Next
// returns false with an ErrRange error, and keeps doing so.
func TestGeneratorTimeRunsOut(t *testing.T) {
	env := sim.New()
	defer env.Close()
	g := Must(NewGenerator(Spec{Arrivals: Must(Periodic(100)), Sizes: Must(Deterministic(1)), Unit: time.Hour * 24 * 365}, env))
	jobs := g.Take(5)
	if len(jobs) != 2 || !errors.Is(g.Err(), ErrRange) {
		t.Fatalf("Take(5) gave %d jobs, Err %v; want 2 and ErrRange", len(jobs), g.Err())
	}
	if want := "workload: value out of range: arrival after 1752000h0m0s does not fit a time.Duration"; g.Err().Error() != want {
		t.Errorf("Err() = %q; want %q", g.Err(), want)
	}
	if _, ok := g.Next(); ok {
		t.Error("Next after the end returned true")
	}
}

func TestGeneratorAll(t *testing.T) {
	env := sim.New(sim.WithSeed(3))
	defer env.Close()
	g := Must(NewGenerator(mixedSpec(), env))
	var got []Job
	for j := range g.All() {
		got = append(got, j)
		if len(got) == 50 {
			break
		}
	}
	if want := take(t, mixedSpec(), 3, 50); !reflect.DeepEqual(got, want) {
		t.Error("All gives other jobs than Take")
	}
}

func TestGeneratorSeqAndUntil(t *testing.T) {
	all := take(t, mixedSpec(), 9, 60)
	env := sim.New(sim.WithSeed(9))
	defer env.Close()
	g := Must(NewGenerator(mixedSpec(), env))
	var got []Job
	for j := range g.Seq(10) {
		got = append(got, j)
	}
	if len(got) != 10 {
		t.Fatalf("Seq(10) gave %d jobs", len(got))
	}
	cut := all[30].Arrival
	for j := range g.Until(cut) {
		got = append(got, j)
	}
	if len(got) != 30 {
		t.Fatalf("Seq(10) and Until(arrival of job 31) gave %d jobs; want 30", len(got))
	}
	for j := range g.Seq(20) { // begins with the job Until held back
		got = append(got, j)
	}
	for j := range g.Until(0) { // holds the next job back at once
		t.Fatalf("Until(0) yielded %+v", j)
	}
	got = append(got, g.Take(10)...)
	if !reflect.DeepEqual(got, all) {
		t.Error("Seq, Until and Take together give other jobs than Take alone")
	}
}

func TestDistRandAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, d := range []Dist{
		Must(Exponential(1)), Must(Erlang(3, 1)), Must(H2(1, 4)), Must(Lognormal(1, 1)),
		Must(Weibull(0.5, 1)), Must(BoundedPareto(1.1, 1, 100)), Must(Uniform(0, 1)),
		Must(Empirical([]float64{1, 2}, nil)), Must(Scale(Must(Exponential(1)), 2)),
	} {
		if a := testing.AllocsPerRun(1000, func() { d.Rand(r) }); a != 0 {
			t.Errorf("%v: Rand allocates %v times a draw; want 0", d, a)
		}
	}
}

func TestGeneratorNextAllocatesNothing(t *testing.T) {
	env := sim.New()
	defer env.Close()
	g := Must(NewGenerator(mixedSpec(), env))
	if a := testing.AllocsPerRun(1000, func() { g.Next() }); a != 0 {
		t.Errorf("Next allocates %v times a job; want 0", a)
	}
}

// streamsFunc adapts a function to Streams, for the test of a Generator
// without an Env.
type streamsFunc func(string) *rand.Rand

func (f streamsFunc) Rand(name string) *rand.Rand { return f(name) }

func TestGeneratorStreamNames(t *testing.T) {
	var names []string
	f := streamsFunc(func(name string) *rand.Rand {
		names = append(names, name)
		return rand.New(rand.NewPCG(1, 2))
	})
	spec := mixedSpec()
	spec.Stream = "src2"
	Must(NewGenerator(spec, f))
	want := []string{"src2/arrivals", "src2/sizes/0", "src2/sizes/1", "src2/classes", "src2/estimates", "src2/deadlines"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("streams %q; want %q", names, want)
	}
}

func BenchmarkGenerator(b *testing.B) {
	env := sim.New()
	defer env.Close()
	g := Must(NewGenerator(mixedSpec(), env))
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}
