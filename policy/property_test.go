package policy_test

import (
	"cmp"
	"math"
	"math/big"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/vtsim/vtsim/policy"
	"github.com/vtsim/vtsim/scheduler"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/workload"
)

const unit = time.Millisecond

// genTrace draws a small trace with integer-millisecond arrivals and
// sizes (sizes may be 0 and arrivals may coincide), classes, weights and
// deadlines.
func genTrace(t *rapid.T) []workload.Job {
	n := rapid.IntRange(1, 12).Draw(t, "n")
	jobs := make([]workload.Job, n)
	at := time.Duration(0)
	for i := range jobs {
		at += time.Duration(rapid.IntRange(0, 4).Draw(t, "gap")) * unit
		jobs[i] = workload.Job{
			ID:       int64(i),
			Arrival:  at,
			Size:     time.Duration(rapid.IntRange(0, 6).Draw(t, "size")) * unit,
			Estimate: time.Duration(rapid.IntRange(0, 6).Draw(t, "estimate")) * unit,
			Class:    rapid.IntRange(0, 2).Draw(t, "class"),
			Weight:   float64(rapid.IntRange(0, 3).Draw(t, "weight")),
			Deadline: at + time.Duration(rapid.IntRange(0, 20).Draw(t, "deadline"))*unit,
		}
	}
	return jobs
}

// workConserving lists single-server work-conserving policies.
func workConserving() []policy.Policy {
	gittins, err := policy.Gittins([]time.Duration{unit, 3 * unit, 6 * unit}, []float64{0.5, 0.3, 0.2})
	if err != nil {
		panic(err)
	}
	return []policy.Policy{
		gittins, policy.FCFS, policy.LCFS, policy.LCFSPR, policy.SJF, policy.PSJF, policy.SRPT, policy.SRPTEstimate,
		policy.LAS, policy.EDF, policy.Priority(false), policy.Priority(true),
		policy.PS, policy.DPS, policy.FairShare(map[int]float64{1: 2, 2: 0.5}), policy.RR(unit), policy.RR(3 * unit / 2),
		// A Gittins-like ranked policy whose served rank worsens in steps
		// of 2 ms of attained service.
		&policy.Ranked{Label: "steps", Preemptive: true,
			Key:    func(j *workload.Job, a time.Duration) float64 { return float64(a / (2 * unit)) },
			Change: func(j *workload.Job, a time.Duration) time.Duration { return (a/(2*unit) + 1) * 2 * unit }},
	}
}

// busyPeriods returns the busy periods [start, end] a work-conserving
// server has on jobs: a period goes on while arrivals come before or at
// its end.
func busyPeriods(jobs []workload.Job) [][2]time.Duration {
	var out [][2]time.Duration
	for _, j := range jobs {
		if k := len(out); k > 0 && j.Arrival <= out[k-1][1] {
			out[k-1][1] += j.Size
			continue
		}
		out = append(out, [2]time.Duration{j.Arrival, j.Arrival + j.Size})
	}
	return out
}

// observedBusy returns the busy periods seen in records: the union of
// the jobs' [arrival, finish] intervals.
func observedBusy(recs []workload.Record) [][2]time.Duration {
	rs := slices.Clone(recs)
	slices.SortStableFunc(rs, func(a, b workload.Record) int { return cmp.Compare(a.ID, b.ID) })
	var out [][2]time.Duration
	for _, r := range rs {
		if k := len(out); k > 0 && r.Arrival <= out[k-1][1] {
			out[k-1][1] = max(out[k-1][1], r.Finish)
			continue
		}
		out = append(out, [2]time.Duration{r.Arrival, r.Finish})
	}
	return out
}

func records(t *rapid.T, sys policy.System, jobs []workload.Job, opts ...sim.Option) []workload.Record {
	env := sim.New(opts...)
	defer env.Close()
	recs, err := policy.Records(env, sys, slices.Values(jobs))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// checkRecords checks that every job finished exactly once, unchanged,
// no earlier than it arrived and started, and Little's law: the
// time-average number in system, integrated from the records' arrival and
// finish events, equals throughput × mean response.
func checkRecords(t *rapid.T, name string, jobs []workload.Job, recs []workload.Record) {
	if len(recs) != len(jobs) {
		t.Fatalf("%s: %d records for %d jobs", name, len(recs), len(jobs))
	}
	seen := make([]bool, len(jobs))
	var sumResp time.Duration
	type ev struct {
		at time.Duration
		d  int
	}
	var evs []ev
	for _, r := range recs {
		if seen[r.ID] {
			t.Fatalf("%s: job %d finished twice", name, r.ID)
		}
		seen[r.ID] = true
		j := jobs[r.ID]
		j.Estimate = r.Estimate
		if r.Job != j {
			t.Fatalf("%s: job %d changed: %+v, was %+v", name, r.ID, r.Job, j)
		}
		if r.Start < r.Arrival || r.Finish < r.Start || r.Finish-r.Arrival < r.Size {
			t.Fatalf("%s: job %d: arrival %v start %v finish %v size %v", name, r.ID, r.Arrival, r.Start, r.Finish, r.Size)
		}
		sumResp += r.Response()
		evs = append(evs, ev{r.Arrival, 1}, ev{r.Finish, -1})
	}
	slices.SortStableFunc(evs, func(a, b ev) int { return cmp.Compare(a.at, b.at) })
	var area time.Duration
	n := 0
	for i, e := range evs {
		if i > 0 {
			area += time.Duration(n) * (e.at - evs[i-1].at)
		}
		n += e.d
	}
	// L·T = (n/T)·(ΣR/n)·T: the area under N(t) is the sum of responses.
	if area != sumResp || n != 0 {
		t.Fatalf("%s: Little's law: area %v, sum of responses %v, %d left", name, area, sumResp, n)
	}
}

// TestWorkConserving checks on random traces that every work-conserving
// policy has the busy periods the trace implies, to the nanosecond, that
// every job finishes exactly once and Little's law holds, and that SRPT's
// mean response is never above another's (Schrage 1968).
func TestWorkConserving(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		jobs := genTrace(t)
		want := busyPeriods(jobs)
		// Equal-time events in any order: the properties hold whatever
		// the tie-break.
		tb := rapid.SampledFrom([]scheduler.TieBreak{scheduler.FIFO, scheduler.LIFO, scheduler.Random}).Draw(t, "tiebreak")
		var srpt time.Duration
		for _, p := range workConserving() {
			srv, err := policy.NewServer(p, 1)
			if err != nil {
				t.Fatal(err)
			}
			recs := records(t, srv, jobs, sim.WithTieBreak(tb), sim.WithTieBreakSeed(uint64(len(jobs))))
			checkRecords(t, p.Name(), jobs, recs)
			if got := observedBusy(recs); !slices.Equal(got, want) {
				t.Fatalf("%s: busy periods %v, want %v", p.Name(), got, want)
			}
			var sum time.Duration
			for _, r := range recs {
				sum += r.Response()
			}
			if p == policy.SRPT {
				srpt = sum
			} else if sum < srpt-time.Duration(len(jobs)) {
				// Float-shared policies round each finish to the ns.
				t.Fatalf("%s: total response %v below SRPT's %v", p.Name(), sum, srpt)
			}
		}
	})
}

// TestMultiServer checks on random traces that c servers and farms
// finish every job exactly once, and that RR with a quantum above every
// size is FCFS.
func TestMultiServer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		jobs := genTrace(t)
		c := rapid.IntRange(1, 4).Draw(t, "c")
		steps := workConserving()[len(workConserving())-1]
		for _, p := range []policy.Policy{policy.FCFS, policy.SRPT, policy.LCFSPR, policy.PS, policy.LAS, policy.RR(unit), policy.Priority(true), steps} {
			srv, err := policy.NewServer(p, c)
			if err != nil {
				t.Fatal(err)
			}
			recs := records(t, srv, jobs)
			checkRecords(t, srv.Name(), jobs, recs)
			for _, r := range recs {
				if r.Server < 0 || r.Server >= c {
					t.Fatalf("%s: job %d on server %d", srv.Name(), r.ID, r.Server)
				}
			}
			f, _ := policy.NewFarm(policy.PowerOfD(2, "d"), srv, mustServer(t, policy.LAS, 1), mustServer(t, policy.FCFS, 2))
			checkRecords(t, f.Name(), jobs, records(t, f, jobs))
		}
		fcfs := records(t, mustServer(t, policy.FCFS, c), jobs)
		rr := records(t, mustServer(t, policy.RR(time.Hour), c), jobs)
		if !slices.Equal(fcfs, rr) {
			t.Fatalf("RR(1h) differs from FCFS:\n%v\n%v", rr, fcfs)
		}
	})
}

// recorder is a Dispatcher that sends every job to member 0 and records
// the member's remaining work as each job arrives.
type recorder struct{ work *[]time.Duration }

func (recorder) Name() string { return "recorder" }

func (d recorder) Start(*sim.Env, int) func(*workload.Job, *policy.Loads) int {
	return func(_ *workload.Job, l *policy.Loads) int {
		*d.work = append(*d.work, l.Work(0))
		return 0
	}
}

// TestLoadsWork checks on random traces that every single-server
// work-conserving policy reports, through Loads.Work, the remaining work
// of Lindley's recursion W_k = max(0, W_{k-1} + S_{k-1} - (A_k - A_{k-1})).
func TestLoadsWork(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		jobs := genTrace(t)
		want := make([]time.Duration, len(jobs))
		for k := 1; k < len(jobs); k++ {
			want[k] = max(0, want[k-1]+jobs[k-1].Size-(jobs[k].Arrival-jobs[k-1].Arrival))
		}
		for _, p := range workConserving() {
			var got []time.Duration
			f, err := policy.NewFarm(recorder{&got}, mustServer(t, p, 1))
			if err != nil {
				t.Fatal(err)
			}
			records(t, f, jobs)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: work at arrivals %v, want %v", p.Name(), got, want)
			}
		}
	})
}

// refRank is a reference for fixed-rank policies on c servers, stepped a
// millisecond at a time on a trace of whole milliseconds with sizes of at
// least 1 ms: at each instant, completions free their servers for the
// best-ranked waiting jobs, then each arrival takes a free server, or the
// server of the worst-ranked job in service if it ranks better and the
// policy preempts, or waits. It returns each job's start, finish and
// preemptions, in milliseconds, by ID.
func refRank(p policy.Ranker, c int, jobs []workload.Job) (start, finish []int, pre []int) {
	type rj struct {
		rank     float64
		seq, rem int
		served   bool
		started  bool
		done     bool
		arrival  int
	}
	n := len(jobs)
	js := make([]rj, n)
	for i, j := range jobs {
		js[i] = rj{rank: p.Rank(&jobs[i], 0), seq: i, rem: int(j.Size / unit), arrival: int(j.Arrival / unit)}
	}
	start, finish, pre = make([]int, n), make([]int, n), make([]int, n)
	less := func(a, b int) bool {
		return js[a].rank < js[b].rank || js[a].rank == js[b].rank && a < b
	}
	var present []int
	busy, left := 0, n
	serve := func(i, t int) {
		js[i].served = true
		if !js[i].started {
			js[i].started, start[i] = true, t
		}
		busy++
	}
	next := 0
	for t := 0; left > 0; t++ {
		for _, i := range present {
			if js[i].served && js[i].rem == 0 {
				js[i].served, js[i].done = false, true
				finish[i] = t
				busy--
				left--
			}
		}
		present = slices.DeleteFunc(present, func(i int) bool { return js[i].done })
		for busy < c {
			best := -1
			for _, i := range present {
				if !js[i].served && (best < 0 || less(i, best)) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			serve(best, t)
		}
		for ; next < n && js[next].arrival == t; next++ {
			i := next
			present = append(present, i)
			if busy < c {
				serve(i, t)
				continue
			}
			if !p.Preempts() {
				continue
			}
			worst := -1
			for _, k := range present {
				if js[k].served && (worst < 0 || less(worst, k)) {
					worst = k
				}
			}
			if less(i, worst) {
				js[worst].served = false
				pre[worst]++
				busy--
				serve(i, t)
			}
		}
		for _, i := range present {
			if js[i].served {
				js[i].rem--
			}
		}
	}
	return start, finish, pre
}

// TestRankServers checks the rank-based servers on c servers against
// refRank on random traces, to the nanosecond.
func TestRankServers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		jobs := genTrace(t)
		for i := range jobs {
			jobs[i].Size = max(jobs[i].Size, unit)
		}
		c := rapid.IntRange(1, 3).Draw(t, "c")
		for _, p := range []policy.Ranking{policy.FCFS, policy.LCFS, policy.SJF, policy.PriorityNP, policy.PSJF, policy.LCFSPR, policy.PriorityPR, policy.EDF} {
			start, finish, pre := refRank(p, c, jobs)
			recs := records(t, mustServer(t, p, c), jobs)
			checkRecords(t, p.Name(), jobs, recs)
			for _, r := range recs {
				if r.Start != time.Duration(start[r.ID])*unit || r.Finish != time.Duration(finish[r.ID])*unit || r.Preemptions != pre[r.ID] {
					t.Fatalf("%s on %d: job %d: start %v, finish %v, %d preemptions; reference %d ms, %d ms, %d", p.Name(), c, r.ID, r.Start, r.Finish, r.Preemptions, start[r.ID], finish[r.ID], pre[r.ID])
				}
			}
		}
	})
}

// refShare returns each job's exact finish time (in ns, as a rational)
// under a rate-sharing policy given by rates, which sets the service
// rate of each present job from their attained services; a job's rate
// changes only at arrivals, completions, or when some attained service
// catches up with another's (for LAS).
func refShare(jobs []workload.Job, rates func(present []int, attained []*big.Rat) []*big.Rat) []*big.Rat {
	n := len(jobs)
	rem, att, fin := make([]*big.Rat, n), make([]*big.Rat, n), make([]*big.Rat, n)
	for i, j := range jobs {
		rem[i], att[i] = new(big.Rat).SetInt64(int64(j.Size)), new(big.Rat)
	}
	t := new(big.Rat)
	var present []int
	next, left := 0, n
	for left > 0 {
		for next < n && new(big.Rat).SetInt64(int64(jobs[next].Arrival)).Cmp(t) == 0 {
			present = append(present, next)
			next++
		}
		for _, i := range present {
			if rem[i].Sign() == 0 {
				fin[i] = new(big.Rat).Set(t)
				left--
			}
		}
		present = slices.DeleteFunc(present, func(i int) bool { return fin[i] != nil })
		if left == 0 {
			break
		}
		var dt *big.Rat
		if next < n {
			dt = new(big.Rat).Sub(new(big.Rat).SetInt64(int64(jobs[next].Arrival)), t)
		}
		if len(present) == 0 {
			t.Add(t, dt)
			continue
		}
		r := rates(present, att)
		for k, i := range present {
			if r[k].Sign() == 0 {
				continue
			}
			if d := new(big.Rat).Quo(rem[i], r[k]); dt == nil || d.Cmp(dt) < 0 {
				dt = d
			}
			// A served job catching up with an unserved one's attained
			// service (LAS levels merging).
			for k2, i2 := range present {
				if rs := new(big.Rat).Sub(r[k], r[k2]); rs.Sign() > 0 && att[i2].Cmp(att[i]) > 0 {
					if d := new(big.Rat).Quo(new(big.Rat).Sub(att[i2], att[i]), rs); d.Cmp(dt) < 0 {
						dt = d
					}
				}
			}
		}
		for k, i := range present {
			w := new(big.Rat).Mul(r[k], dt)
			rem[i].Sub(rem[i], w)
			att[i].Add(att[i], w)
		}
		t.Add(t, dt)
	}
	return fin
}

// TestShareServers checks PS and LAS on c servers, DPS and FairShare against
// refShare's exact rational schedule on random traces: every finish is
// within n ns of the exact one for n jobs (each event is rounded to the
// ns, and the shares shift by as much).
func TestShareServers(t *testing.T) {
	rat := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	weight := func(j workload.Job) float64 { return max(j.Weight, 1) }
	rapid.Check(t, func(t *rapid.T) {
		jobs := genTrace(t)
		for i := range jobs {
			jobs[i].Weight = float64(rapid.IntRange(1, 3).Draw(t, "w"))
		}
		c := rapid.IntRange(1, 3).Draw(t, "c")
		fair := map[int]float64{1: 2, 2: 0.5}
		cases := []struct {
			p     policy.Policy
			c     int
			rates func(present []int, att []*big.Rat) []*big.Rat
		}{
			{policy.PS, c, func(present []int, _ []*big.Rat) []*big.Rat {
				r := new(big.Rat).SetFrac64(int64(c), int64(len(present)))
				if r.Cmp(rat(1)) > 0 {
					r = rat(1)
				}
				return slices.Repeat([]*big.Rat{r}, len(present))
			}},
			{policy.DPS, 1, func(present []int, _ []*big.Rat) []*big.Rat {
				sum := new(big.Rat)
				for _, i := range present {
					sum.Add(sum, rat(weight(jobs[i])))
				}
				var out []*big.Rat
				for _, i := range present {
					out = append(out, new(big.Rat).Quo(rat(weight(jobs[i])), sum))
				}
				return out
			}},
			{policy.FairShare(fair), 1, func(present []int, _ []*big.Rat) []*big.Rat {
				count := map[int]int64{}
				for _, i := range present {
					count[jobs[i].Class]++
				}
				sum := new(big.Rat)
				for cl := range count {
					w, ok := fair[cl]
					if !ok {
						w = 1
					}
					sum.Add(sum, rat(w))
				}
				var out []*big.Rat
				for _, i := range present {
					w, ok := fair[jobs[i].Class]
					if !ok {
						w = 1
					}
					r := new(big.Rat).Quo(rat(w), sum)
					out = append(out, r.Quo(r, new(big.Rat).SetInt64(count[jobs[i].Class])))
				}
				return out
			}},
			{policy.LAS, c, func(present []int, att []*big.Rat) []*big.Rat {
				// Servers go to the least attained first; a tie shares.
				out := make([]*big.Rat, len(present))
				free := int64(c)
				for free > 0 {
					var least *big.Rat
					for k, i := range present {
						if out[k] == nil && (least == nil || att[i].Cmp(least) < 0) {
							least = att[i]
						}
					}
					if least == nil {
						break
					}
					var tied []int
					for k, i := range present {
						if out[k] == nil && att[i].Cmp(least) == 0 {
							tied = append(tied, k)
						}
					}
					r := rat(1)
					if int64(len(tied)) > free {
						r = new(big.Rat).SetFrac64(free, int64(len(tied)))
						free = 0
					} else {
						free -= int64(len(tied))
					}
					for _, k := range tied {
						out[k] = r
					}
				}
				for k := range out {
					if out[k] == nil {
						out[k] = new(big.Rat)
					}
				}
				return out
			}},
		}
		for _, tt := range cases {
			want := refShare(jobs, tt.rates)
			srv := mustServer(t, tt.p, tt.c)
			for _, r := range records(t, srv, jobs) {
				exact, _ := want[r.ID].Float64()
				if math.Abs(float64(r.Finish)-exact) > float64(len(jobs)) {
					t.Fatalf("%s: job %d finished at %v, exactly %.3f ns", srv.Name(), r.ID, r.Finish, exact)
				}
			}
		}
	})
}
