package policy_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

const s = time.Second

// job is a job of the small traces, in seconds.
func job(id int64, arrival, size float64) workload.Job {
	return workload.Job{ID: id, Arrival: time.Duration(arrival * float64(s)), Size: time.Duration(size * float64(s))}
}

// abc is the trace A(0, 4), B(1, 2), C(2, 1) (arrival, size in seconds).
func abc() []workload.Job { return []workload.Job{job(1, 0, 4), job(2, 1, 2), job(3, 2, 1)} }

// withClass sets the classes of a trace.
func withClass(jobs []workload.Job, classes ...int) []workload.Job {
	for i := range jobs {
		jobs[i].Class = classes[i]
	}
	return jobs
}

func withDeadline(jobs []workload.Job, d ...float64) []workload.Job {
	for i := range jobs {
		jobs[i].Deadline = time.Duration(d[i] * float64(s))
	}
	return jobs
}

func withWeight(jobs []workload.Job, w ...float64) []workload.Job {
	for i := range jobs {
		jobs[i].Weight = w[i]
	}
	return jobs
}

// show formats records as "id:start-finish@server/preemptions" in seconds,
// in finish order.
func show(recs []workload.Record) string {
	var b strings.Builder
	for i, r := range recs {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%d:%g-%g@%d/%d", r.ID, r.Start.Seconds(), r.Finish.Seconds(), r.Server, r.Preemptions)
	}
	return b.String()
}

func mustServer(t interface{ Fatal(...any) }, p policy.Policy, c int) *policy.Server {
	srv, err := policy.NewServer(p, c)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func runTrace(t testing.TB, sys policy.System, jobs []workload.Job) []workload.Record {
	t.Helper()
	env := sim.New(sim.WithSeed(1))
	defer env.Close()
	recs, err := policy.Records(env, sys, slices.Values(jobs))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestTraces checks every policy's schedule of small traces, worked out by
// hand.
func TestTraces(t *testing.T) {
	tests := []struct {
		p    policy.Policy
		c    int
		jobs []workload.Job
		want string
	}{
		{policy.FCFS, 1, abc(), "1:0-4@0/0 2:4-6@0/0 3:6-7@0/0"},
		{policy.LCFS, 1, abc(), "1:0-4@0/0 3:4-5@0/0 2:5-7@0/0"},
		{policy.LCFSPR, 1, abc(), "3:2-3@0/0 2:1-4@0/1 1:0-7@0/1"},
		{policy.SJF, 1, abc(), "1:0-4@0/0 3:4-5@0/0 2:5-7@0/0"},
		{policy.PSJF, 1, abc(), "3:2-3@0/0 2:1-4@0/1 1:0-7@0/1"},
		// SRPT: at 2, C's remaining 1 ties with B's and B keeps the server.
		{policy.SRPT, 1, abc(), "2:1-3@0/0 3:3-4@0/0 1:0-7@0/1"},
		{policy.PS, 1, abc(), "3:2-5@0/0 2:1-6@0/0 1:0-7@0/0"},
		// LAS: B reaches A's attained 1 at 2, when C arrives and is served
		// alone; then A and B share until B is done at 5.
		{policy.LAS, 1, abc(), "3:2-3@0/0 2:1-5@0/0 1:0-7@0/0"},
		// RR(1s): the quantum ending at 2 comes before C's arrival at 2.
		{policy.RR(s), 1, abc(), "3:4-5@0/0 2:2-6@0/1 1:0-7@0/2"},
		{policy.RR(time.Hour), 1, abc(), "1:0-4@0/0 2:4-6@0/0 3:6-7@0/0"},
		// RR(1s): B's quantum ends at 2 as C arrives; the quantum's end
		// comes first, so C queues behind B.
		{policy.RR(s), 1, []workload.Job{job(1, 0, 3), job(2, 0, 3), job(3, 2, 1)}, "3:4-5@0/0 1:0-6@0/2 2:1-7@0/2"},
		{policy.FCFS, 2, abc(), "2:1-3@1/0 1:0-4@0/0 3:3-4@1/0"},
		// SRPT on 2 servers: C (1 left) takes A's server (2 left) at 2.
		{policy.SRPT, 2, abc(), "2:1-3@1/0 3:2-3@0/0 1:0-5@1/1"},
		// PS on 2 servers: from 2 each of 3 jobs gets 2/3; B and C finish
		// together at 3.5, then A alone.
		{policy.PS, 2, abc(), "2:1-3.5@0/0 3:2-3.5@0/0 1:0-4.5@0/0"},
		{policy.Priority(false), 1, withClass(abc(), 1, 0, 1), "1:0-4@0/0 2:4-6@0/0 3:6-7@0/0"},
		{policy.Priority(true), 1, withClass(abc(), 1, 0, 1), "2:1-3@0/0 1:0-6@0/1 3:6-7@0/0"},
		{policy.EDF, 1, withDeadline(abc(), 10, 5, 3), "3:2-3@0/0 2:1-4@0/1 1:0-7@0/1"},
		// DPS: from 1, A gets 1/4 and B 3/4; B is done at 5, A at 7.
		{policy.DPS, 1, withWeight([]workload.Job{job(1, 0, 4), job(2, 1, 3)}, 1, 3), "2:1-5@0/0 1:0-7@0/0"},
		// FairShare: classes 0 (A) and 1 (B, C) split the server; A is
		// done at 7, B and C at 8.
		{policy.FairShare(nil), 1, withClass([]workload.Job{job(1, 0, 4), job(2, 1, 2), job(3, 1, 2)}, 0, 1, 1), "1:0-7@0/0 2:1-8@0/0 3:1-8@0/0"},
		// FairShare with class 1 weighing 3: B and C each get 3/8 and are
		// done at 1+16/3 s, A at 8.
		{policy.FairShare(map[int]float64{1: 3}), 1, withClass([]workload.Job{job(1, 0, 4), job(2, 1, 2), job(3, 1, 2)}, 0, 1, 1), "2:1-6.333333333@0/0 3:1-6.333333333@0/0 1:0-8@0/0"},
		// Job 2 has just been given the server when job 3 (size 0) takes it.
		{policy.SRPT, 1, []workload.Job{job(1, 0, 0), job(2, 0, 1), job(3, 0, 0)}, "1:0-0@0/0 3:0-0@0/0 2:0-1@0/1"},
		{policy.PS, 1, []workload.Job{job(1, 0, 2), job(2, 0, 2), job(3, 5, 1)}, "1:0-4@0/0 2:0-4@0/0 3:5-6@0/0"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.p.Name(), tt.c), func(t *testing.T) {
			got := show(runTrace(t, mustServer(t, tt.p, tt.c), tt.jobs))
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestNewServerErrors(t *testing.T) {
	tests := []struct {
		p    policy.Policy
		c    int
		err  error
		want string
	}{
		{policy.FCFS, 0, policy.ErrServers, "policy: bad number of servers: 0 servers for FCFS (at least 1 is needed)"},
		{policy.FairShare(nil), 2, policy.ErrUnsupported, "policy: unsupported policy: FairShare runs on 1 server, not 2"},
		{policy.DPS, 3, policy.ErrUnsupported, "policy: unsupported policy: DPS runs on 1 server, not 3"},
		{policy.RR(0), 1, policy.ErrInvalid, "policy: invalid parameter: RR quantum 0s (it must be positive)"},
		{policy.FairShare(map[int]float64{2: -1}), 1, policy.ErrInvalid, "policy: invalid parameter: FairShare weight -1 for class 2 (weights must be positive and finite)"},
		{policy.Ranking(99), 1, policy.ErrUnsupported, "policy: unsupported policy: Ranking(99)"},
		{named("mine"), 1, policy.ErrUnsupported, "policy: unsupported policy: mine (policy_test.named) is neither a Ranker nor a built-in policy"},
	}
	for _, tt := range tests {
		_, err := policy.NewServer(tt.p, tt.c)
		if !errors.Is(err, tt.err) || err.Error() != tt.want {
			t.Errorf("NewServer(%s, %d) = %v, want %q", tt.p.Name(), tt.c, err, tt.want)
		}
	}
	if _, err := policy.NewFarm(policy.JSQ()); !errors.Is(err, policy.ErrServers) || err.Error() != "policy: bad number of servers: a farm needs at least 1 member, got 0" {
		t.Errorf("NewFarm() = %v", err)
	}
}

type named string

func (n named) Name() string { return string(n) }

func TestRunErrors(t *testing.T) {
	tests := []struct {
		jobs []workload.Job
		want string
		done int
	}{
		{[]workload.Job{job(1, 0, 1), job(2, 3, 1), job(3, 2, 1)}, "policy: bad job: job 3 arrives at 2s, before 3s (jobs must come in arrival order, not before the Env's present)", 1},
		{[]workload.Job{job(1, 0, 1), job(2, 1, -1)}, "policy: bad job: job 2 has size -1s (sizes must be at least 0)", 0},
		{withWeight([]workload.Job{job(1, 0, 1)}, -2), "policy: bad job: job 1 has weight -2 (weights must be finite and at least 0, 0 meaning 1)", 0},
	}
	for _, tt := range tests {
		env := sim.New()
		n := 0
		err := policy.Run(env, mustServer(t, policy.FCFS, 1), slices.Values(tt.jobs), func(workload.Record) { n++ })
		if !errors.Is(err, policy.ErrBadJob) || err.Error() != tt.want {
			t.Errorf("Run = %v, want %q", err, tt.want)
		}
		if n != tt.done {
			t.Errorf("%d records before the error, want %d", n, tt.done)
		}
		if p := env.Pending(); p != 0 {
			t.Errorf("%d events left pending", p)
		}
		env.Close()
	}
}

func TestNames(t *testing.T) {
	srv := mustServer(t, policy.PS, 4)
	f, err := policy.NewFarm(policy.PowerOfD(2, "d"), srv, srv)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := policy.NewFarm(policy.LeastWork(), mustServer(t, policy.FCFS, 1), srv)
	got := []string{srv.Name(), f.Name(), g.Name(), policy.RR(10 * time.Millisecond).Name(), policy.Priority(true).Name(), policy.SRPTEstimate.String()}
	want := []string{"PS/4", "Po2[PS/4×2]", "LWL[FCFS,PS/4]", "RR(10ms)", "Priority-PR", "SRPT-est"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFarm(t *testing.T) {
	fcfs := mustServer(t, policy.FCFS, 1)
	tests := []struct {
		d    policy.Dispatcher
		want string
	}{
		{policy.RoundRobinDispatch(), "2:1-3@1/0 1:0-4@0/0 3:4-5@0/0"},
		// At 2, each member has one job; the tie goes to member 0.
		{policy.JSQ(), "2:1-3@1/0 1:0-4@0/0 3:4-5@0/0"},
		// At 2, member 0 has 2 s of work left and member 1 has 1 s.
		{policy.LeastWork(), "2:1-3@1/0 1:0-4@0/0 3:3-4@1/0"},
	}
	for _, tt := range tests {
		f, err := policy.NewFarm(tt.d, fcfs, fcfs)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(runTrace(t, f, abc())); got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.d.Name(), got, tt.want)
		}
	}
}

// TestFarmRandom checks that Random and PowerOfD spread jobs over the
// members and that the same seed gives the same choices.
func TestFarmRandom(t *testing.T) {
	for _, d := range []policy.Dispatcher{policy.Random("d"), policy.PowerOfD(2, "d")} {
		var jobs []workload.Job
		for i := range 1000 {
			jobs = append(jobs, job(int64(i), float64(i), 0.5))
		}
		srv := mustServer(t, policy.PS, 1)
		f, _ := policy.NewFarm(d, srv, srv, srv, srv)
		a, b := runTrace(t, f, jobs), runTrace(t, f, jobs)
		if !slices.Equal(a, b) {
			t.Errorf("%s: two runs with the same seed differ", d.Name())
		}
		var per [4]int
		for _, r := range a {
			per[r.Server]++
		}
		for k, n := range per {
			// Binomial(1000, 1/4): mean 250, sd 13.7; 5 sd either side.
			if n < 180 || n > 320 {
				t.Errorf("%s: member %d got %d of 1000 jobs", d.Name(), k, n)
			}
		}
	}
}

// TestRunStopped checks that a run whose Env is stopped by someone else
// says so, and that jobs arriving before the Env's present are refused.
func TestRunStopped(t *testing.T) {
	env := sim.New()
	defer env.Close()
	env.CallAt(2*s, env.Stop)
	n := 0
	err := policy.Run(env, mustServer(t, policy.PS, 1), slices.Values(abc()), func(workload.Record) { n++ })
	if !errors.Is(err, policy.ErrIncomplete) || err.Error() != "policy: run stopped before every job finished: 2 jobs in the system at 2s" || n != 0 {
		t.Errorf("Run = %v after %d records", err, n)
	}
	if p := env.Pending(); p != 0 {
		t.Errorf("%d events left pending", p)
	}
	err = policy.Run(env, mustServer(t, policy.PS, 1), slices.Values(abc()), func(workload.Record) { n++ })
	if !errors.Is(err, policy.ErrBadJob) || err.Error() != "policy: bad job: job 1 arrives at 0s, before 2s (jobs must come in arrival order, not before the Env's present)" {
		t.Errorf("second Run = %v", err)
	}
}

// TestRunNext checks that RunNext and Run give the same records, and
// that an empty source is a run with no records.
func TestRunNext(t *testing.T) {
	jobs := abc()
	env := sim.New()
	defer env.Close()
	var got []workload.Record
	i := 0
	next := func() (workload.Job, bool) {
		if i == len(jobs) {
			return workload.Job{}, false
		}
		i++
		return jobs[i-1], true
	}
	if err := policy.RunNext(env, mustServer(t, policy.SRPT, 1), next, func(r workload.Record) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	if want := runTrace(t, mustServer(t, policy.SRPT, 1), jobs); !slices.Equal(got, want) {
		t.Errorf("RunNext: %s, Run: %s", show(got), show(want))
	}
	recs, err := policy.Records(env, mustServer(t, policy.FCFS, 1), slices.Values([]workload.Job(nil)))
	if err != nil || len(recs) != 0 {
		t.Errorf("empty run: %v, %v", recs, err)
	}
}

// TestGittins checks the Gittins ranks of the two-point distribution
// {1 s w.p. 0.9, 10 s w.p. 0.1} and its schedule of a trace. At attained
// 0 the rank is min((0.9·1 + 0.1·1)/0.9, 0.9·1 + 0.1·10) = 1.111 s; in
// (0, 1) it is (1-a)/0.9, which improves; past 1 it is 9 s - (a-1).
func TestGittins(t *testing.T) {
	g, err := policy.Gittins([]time.Duration{10 * s, s, s}, []float64{1, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a          time.Duration
		rank       float64
		nextChange time.Duration
	}{
		{0, 1.0 / 0.9, s},
		{s / 2, 0.5 / 0.9, s},
		{s, 9, 10 * s},
		{4 * s, 6, 10 * s},
		{10 * s, 0, policy.Never},
	} {
		r := g.Rank(nil, tt.a) / float64(s)
		if math.Abs(r-tt.rank) > 1e-9 || g.NextChange(nil, tt.a) != tt.nextChange {
			t.Errorf("at %v: rank %v s, next change %v; want %v s, %v", tt.a, r, g.NextChange(nil, tt.a), tt.rank, tt.nextChange)
		}
	}
	// A (10 s) at 0 passes 1 s at 1 and waits behind B and C, which are
	// each served to completion in turn.
	got := show(runTrace(t, mustServer(t, g, 1), []workload.Job{job(1, 0, 10), job(2, 0.5, 1), job(3, 1.5, 1)}))
	if want := "2:1-2@0/0 3:2-3@0/0 1:0-12@0/1"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []struct {
		sizes []time.Duration
		probs []float64
		want  string
	}{
		{nil, nil, "policy: invalid parameter: Gittins needs as many sizes as probabilities, at least one (got 0 and 0)"},
		{[]time.Duration{s}, []float64{-1}, "policy: invalid parameter: Gittins size 1s with probability -1 (sizes must be at least 0, probabilities finite and at least 0)"},
		{[]time.Duration{s}, []float64{0}, "policy: invalid parameter: Gittins probabilities are all 0"},
	} {
		if _, err := policy.Gittins(bad.sizes, bad.probs); !errors.Is(err, policy.ErrInvalid) || err.Error() != bad.want {
			t.Errorf("Gittins(%v, %v) = %v, want %q", bad.sizes, bad.probs, err, bad.want)
		}
	}
}

type badDispatch struct{}

func (badDispatch) Name() string { return "bad" }
func (badDispatch) Start(*sim.Env, int) func(*workload.Job, *policy.Loads) int {
	return func(*workload.Job, *policy.Loads) int { return 5 }
}

// TestPanics checks that programmer mistakes panic with a message naming
// the call.
func TestPanics(t *testing.T) {
	nan := &policy.Ranked{Label: "nan", Preemptive: true, Key: func(*workload.Job, time.Duration) float64 { return math.NaN() }}
	stuck := &policy.Ranked{Label: "stuck", Preemptive: true,
		Key:    func(*workload.Job, time.Duration) float64 { return 0 },
		Change: func(_ *workload.Job, a time.Duration) time.Duration { return a }}
	run := func(sys policy.System) func() {
		return func() {
			env := sim.New()
			defer env.Close()
			policy.Records(env, sys, slices.Values(abc()))
		}
	}
	bad, _ := policy.NewFarm(badDispatch{}, mustServer(t, policy.FCFS, 1))
	tests := []struct {
		f    func()
		want string
	}{
		{func() { policy.NewServer(nil, 1) }, "policy: NewServer called with a nil Policy"},
		{func() { policy.NewFarm(nil) }, "policy: NewFarm called with a nil Dispatcher"},
		{func() { policy.NewFarm(policy.JSQ(), nil) }, "policy: NewFarm called with a nil Server"},
		{func() { policy.PowerOfD(0, "d") }, "policy: PowerOfD called with d < 1"},
		{func() { policy.Run(sim.New(), nil, slices.Values(abc()), func(workload.Record) {}) }, "policy: Run called with a nil argument"},
		{func() { policy.RunNext(sim.New(), mustServer(t, policy.PS, 1), nil, func(workload.Record) {}) }, "policy: RunNext called with a nil argument"},
		{run(mustServer(t, nan, 1)), "policy: Rank of nan returned NaN"},
		{run(mustServer(t, stuck, 1)), "policy: NextChange of stuck returned an attained service not after the current one"},
		{run(bad), "policy: dispatcher chose member 5 of 1"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if got := fmt.Sprint(recover()); got != tt.want {
					t.Errorf("panic %q, want %q", got, tt.want)
				}
			}()
			tt.f()
		}()
	}
}
