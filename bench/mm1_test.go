package bench

import (
	"testing"
	"time"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// mm1 is the mm1 workload of bench/README.md: an M/M/1 queue with arrival rate 0.9/s
// and service rate 1/s, one task per customer through a resource.Resource of
// capacity 1. Theory (M/M/1, e.g. Kleinrock, Queueing Systems I, §3.2):
// mean wait in queue Wq = rho/(mu-lambda) = 0.9/(1-0.9) = 9 s.
type mm1 struct {
	env    *sim.Env
	server *resource.Resource
	served int
	wait   time.Duration // total time customers waited in the queue
}

const (
	mm1Lambda = 0.9 // arrivals per second
	mm1Mu     = 1.0 // services per second
)

// runMM1 simulates n customers to the end, from a fresh Env seeded with
// seed, each customer a task started with sim.Go, or with sim.Spawn if
// spawn is set.
func runMM1(n int, spawn bool) (*mm1, error) {
	env := sim.New(sim.WithSeed(seed))
	m := &mm1{env: env, server: resource.NewResource(1)}
	arrivals, services := env.Rand("arrivals"), env.Rand("services")
	customer := func(p *sim.Proc) (struct{}, error) {
		arrived := p.Now()
		if err := m.server.Request(p); err != nil {
			return struct{}{}, err
		}
		m.wait += p.Now() - arrived
		err := p.Sleep(time.Duration(services.ExpFloat64() / mm1Mu * float64(time.Second)))
		m.server.Release()
		m.served++
		return struct{}{}, err
	}
	spawned := func(p *sim.Proc) error { _, err := customer(p); return err }
	sim.Go(env, "arrivals", func(p *sim.Proc) (struct{}, error) {
		for range n {
			if err := p.Sleep(time.Duration(arrivals.ExpFloat64() / mm1Lambda * float64(time.Second))); err != nil {
				return struct{}{}, err
			}
			if spawn {
				sim.Spawn(env, "customer", spawned)
			} else {
				sim.Go(env, "customer", customer)
			}
		}
		return struct{}{}, nil
	})
	return m, env.Run()
}

// BenchmarkMM1: one op is one customer (its arrival, request, service and
// release), all b.N customers in one Env. It reports events/s (the Env's
// dispatched events), customers/s and the mean wait in queue in seconds
// (9 in theory; a run of 200,000 customers has a standard error near 0.4).
// SimPy 4.1.2 reached 265.5 k events/s on this workload, counting 2 events
// a customer, on 2026-12-04 (bench/README.md): compare 2 x customers/s.
func BenchmarkMM1(b *testing.B) { benchMM1(b, false) }

// BenchmarkMM1Spawn is BenchmarkMM1 with the customers started by
// sim.Spawn, which reuses the Proc of a customer that has left: no
// allocation a customer.
func BenchmarkMM1Spawn(b *testing.B) { benchMM1(b, true) }

func benchMM1(b *testing.B, spawn bool) {
	b.ReportAllocs()
	m, err := runMM1(b.N, spawn)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	defer m.env.Close()
	if m.served != b.N {
		b.Fatalf("%d customers served of %d", m.served, b.N)
	}
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(m.env.Steps())/s, "events/s")
		b.ReportMetric(float64(b.N)/s, "customers/s")
	}
	b.ReportMetric(m.wait.Seconds()/float64(b.N), "wait-s")
}

// TestMM1MeanWait checks the benchmark's model against theory: over 200,000
// customers the mean wait in queue is 9 s with a standard error near 0.4 s
// (bench/README.md); the tolerance is 4 standard errors.
func TestMM1MeanWait(t *testing.T) {
	n := 200_000
	if testing.Short() {
		t.Skip("200,000 customers")
	}
	m, err := runMM1(n, false)
	if err != nil {
		t.Fatal(err)
	}
	defer m.env.Close()
	if m.served != n {
		t.Fatalf("%d customers served of %d", m.served, n)
	}
	if w := m.wait.Seconds() / float64(n); w < 9-1.6 || w > 9+1.6 {
		t.Errorf("mean wait in queue %.3f s, want 9 ± 1.6", w)
	}
}

// TestMM1SpawnSameAsGo: started with Spawn or with Go, the customers see
// the same simulation, event for event.
func TestMM1SpawnSameAsGo(t *testing.T) {
	const n = 20_000
	g, err := runMM1(n, false)
	if err != nil {
		t.Fatal(err)
	}
	defer g.env.Close()
	s, err := runMM1(n, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.env.Close()
	if g.wait != s.wait || g.served != s.served || g.env.Steps() != s.env.Steps() || g.env.Now() != s.env.Now() {
		t.Fatalf("Go: wait %v, %d served, %d events, end %v; Spawn: %v, %d, %d, %v",
			g.wait, g.served, g.env.Steps(), g.env.Now(), s.wait, s.served, s.env.Steps(), s.env.Now())
	}
}
