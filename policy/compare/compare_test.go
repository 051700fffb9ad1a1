package compare_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/policy/compare"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func mm1(t testing.TB, load float64) workload.Spec {
	t.Helper()
	arr, err := workload.Poisson(load)
	if err != nil {
		t.Fatal(err)
	}
	return workload.Spec{Arrivals: arr, Sizes: workload.Must(workload.Exponential(1))}
}

func systems(t testing.TB) []compare.System {
	t.Helper()
	var out []compare.System
	for _, p := range []policy.Policy{policy.FCFS, policy.PS, policy.SRPT} {
		s, err := compare.Server(p, 1)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestSameJobsForEveryPolicy: under common random numbers every policy of a
// replication sees the same jobs; SRPT's mean response is then at most
// FCFS's in every replication (Schrage 1968: SRPT minimises the mean
// response on every sample path), which would not hold replication by
// replication if the jobs differed.
func TestSameJobsForEveryPolicy(t *testing.T) {
	tab, err := compare.Run(context.Background(), reports.Experiment{Replications: 8, Seed: 3}, jobstats.Config{},
		compare.Generated(mm1(t, 0.8), 3000), systems(t)...)
	if err != nil {
		t.Fatal(err)
	}
	fcfs, ps, srpt := tab.Runs[0], tab.Runs[1], tab.Runs[2]
	for i := range fcfs.Summaries {
		f, p, s := fcfs.Summaries[i], ps.Summaries[i], srpt.Summaries[i]
		if f.Jobs != 3000 || p.Jobs != 3000 || s.Jobs != 3000 {
			t.Fatalf("replication %d: %d, %d, %d jobs; want 3000 each", i, f.Jobs, p.Jobs, s.Jobs)
		}
		if f.FirstArrival != s.FirstArrival || f.FirstArrival != p.FirstArrival {
			t.Errorf("replication %d: first arrivals differ: %v %v %v", i, f.FirstArrival, p.FirstArrival, s.FirstArrival)
		}
		if s.Response.Mean > f.Response.Mean || s.Response.Mean > p.Response.Mean {
			t.Errorf("replication %d: SRPT's mean response %v above FCFS's %v or PS's %v", i, s.Response.Mean, f.Response.Mean, p.Response.Mean)
		}
	}
}

// TestWorkersDoNotChangeTheResult: the comparison's bytes are the same with
// 1 and 4 workers.
func TestWorkersDoNotChangeTheResult(t *testing.T) {
	write := func(workers int) []byte {
		tab, err := compare.Run(context.Background(), reports.Experiment{Replications: 6, Seed: 11, Workers: workers},
			jobstats.Config{}, compare.Generated(mm1(t, 0.7), 1500), systems(t)...)
		if err != nil {
			t.Fatal(err)
		}
		c, err := jobstats.Compare(tab, jobstats.CompareOptions{Metrics: []string{jobstats.MetricResponseMean, jobstats.MetricResponseP99}})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := jobstats.WriteJSON(&b, c, "test"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if a, b := write(1), write(4); !bytes.Equal(a, b) {
		t.Errorf("1 worker:\n%s\n4 workers:\n%s", a, b)
	}
}

// TestTraceAndOwnPolicy: a trace is replayed in every run; a policy with
// randomness of its own is built per run from the run's Env.
func TestTraceAndOwnPolicy(t *testing.T) {
	jobs := []workload.Job{
		{ID: 1, Arrival: 0, Size: 4 * time.Second},
		{ID: 2, Arrival: time.Second, Size: 2 * time.Second},
		{ID: 3, Arrival: 2 * time.Second, Size: time.Second},
	}
	noisy := compare.System{Name: "SRPT-noisy", New: func(env *sim.Env) (policy.System, error) {
		noise := env.Rand("noise")
		return policy.NewServer(&policy.Ranked{Label: "SRPT-noisy", Preemptive: true,
			OnArrival: func(j *workload.Job) { j.Estimate = time.Duration(float64(j.Size) * (0.5 + noise.Float64())) },
			Key:       func(j *workload.Job, attained time.Duration) float64 { return float64(j.Estimate - attained) },
		}, 1)
	}}
	fcfs, _ := compare.Server(policy.FCFS, 1)
	tab, err := compare.Run(context.Background(), reports.Experiment{Replications: 2, Seed: 1}, jobstats.Config{},
		compare.Trace(jobs), fcfs, noisy)
	if err != nil {
		t.Fatal(err)
	}
	// FCFS: finishes at 4, 6, 7 s; responses 4, 5, 5: mean 14/3.
	if got := tab.Runs[0].Summaries[1].Response.Mean; got != 14.0/3 {
		t.Errorf("FCFS mean response on the trace = %v; want 14/3", got)
	}
	if n := tab.Runs[1].Summaries[0].Jobs; n != 3 {
		t.Errorf("the noisy policy finished %d jobs; want 3", n)
	}
}

func TestRunErrors(t *testing.T) {
	ctx, exp := context.Background(), reports.Experiment{Replications: 2}
	jobs := compare.Generated(mm1(t, 0.5), 10)
	fcfs, _ := compare.Server(policy.FCFS, 1)
	cases := []struct {
		name    string
		systems []compare.System
		want    string
	}{
		{"none", nil, "compare: bad systems: none given"},
		{"nil New", []compare.System{{Name: "x"}}, `compare: bad systems: system "x" has a nil New`},
		{"duplicate", []compare.System{fcfs, fcfs}, `compare: bad systems: two systems are named "FCFS"; names must differ`},
	}
	for _, c := range cases {
		_, err := compare.Run(ctx, exp, jobstats.Config{}, jobs, c.systems...)
		if !errors.Is(err, compare.ErrSystems) || err.Error() != c.want {
			t.Errorf("%s: Run = %v; want %q", c.name, err, c.want)
		}
	}
	// A bad workload is the run's error, naming the policy.
	_, err := compare.Run(ctx, exp, jobstats.Config{}, compare.Generated(workload.Spec{}, 10), fcfs)
	var re *reports.ReplicationError
	if !errors.As(err, &re) || !errors.Is(err, workload.ErrInvalid) {
		t.Errorf("Run with an invalid Spec = %v; want a ReplicationError wrapping workload.ErrInvalid", err)
	}
}

// FCFS, PS and SRPT on the same M/M/1 jobs at load 0.8: SRPT is best, and
// its paired difference from FCFS is significant.
func ExampleRun() {
	arr, _ := workload.Poisson(0.8)
	spec := workload.Spec{Arrivals: arr, Sizes: workload.Must(workload.Exponential(1))}
	var systems []compare.System
	for _, p := range []policy.Policy{policy.FCFS, policy.PS, policy.SRPT} {
		s, _ := compare.Server(p, 1)
		systems = append(systems, s)
	}
	tab, err := compare.Run(context.Background(), reports.Experiment{Replications: 10, Seed: 42},
		jobstats.Config{}, compare.Generated(spec, 5000), systems...)
	if err != nil {
		panic(err)
	}
	c, err := jobstats.Compare(tab, jobstats.CompareOptions{Metrics: []string{jobstats.MetricResponseMean}})
	if err != nil {
		panic(err)
	}
	if err := jobstats.WriteText(os.Stdout, c); err != nil {
		panic(err)
	}
	// Output:
	// seed 42, 10 replications, 95% confidence, ranked by response.mean; diff = policy - baseline FCFS (paired-t, common random numbers)
	// metric         policy  n   mean     ci low   ci high  diff         diff ci low  diff ci high  p-value      significant
	// response.mean  SRPT    10  2.37581  2.29925  2.45237  -2.68387     -2.91079     -2.45696      6.88536e-10  yes
	// response.mean  FCFS    10  5.05968  4.77594  5.34342  -            -            -             -            -
	// response.mean  PS      10  5.05998  4.78505  5.33491  0.000294951  -0.0764304   0.0770203     0.993251     no
}
