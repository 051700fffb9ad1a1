package catalog_test

import (
	"context"
	"testing"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
)

// TestSchedAgainstTheory: at load 0.7 with exponential sizes (M/M/1), the
// mean response time of FCFS and of PS is 1/(mu - lambda) = 0.7/(1-0.7)
// (mean size 0.7 s at rate 1/s; Kleinrock 1975, section 3.2; PS by
// insensitivity, Kleinrock 1976, section 4.4): the 95% intervals over the
// replications cover it; SRPT is below both in every replication (Schrage
// 1968) and LAS below FCFS on exponential sizes is not guaranteed, so it is
// not asserted.
func TestSchedAgainstTheory(t *testing.T) {
	s := catalog.Sched()
	p, err := s.Resolve(map[string]string{"load": "0.7", "sizes": "exp", "jobs": "20000"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Replicate(context.Background(), p, scenario.Options{Reps: 20, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := 0.7 / (1 - 0.7)
	for _, name := range []string{"fcfs.response", "ps.response"} {
		m, _ := res.Metric(name)
		if m.Summary.Low > want || m.Summary.High < want {
			t.Errorf("%s: 95%% interval [%v, %v] misses %v", name, m.Summary.Low, m.Summary.High, want)
		}
	}
	srpt, _ := res.Metric("srpt.response")
	fcfs, _ := res.Metric("fcfs.response")
	ps, _ := res.Metric("ps.response")
	for i := range srpt.Values {
		if srpt.Values[i] > fcfs.Values[i] || srpt.Values[i] > ps.Values[i] {
			t.Errorf("replication %d: SRPT %v above FCFS %v or PS %v on the same jobs", i, srpt.Values[i], fcfs.Values[i], ps.Values[i])
		}
	}
}
