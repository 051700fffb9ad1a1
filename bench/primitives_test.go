package bench

import (
	"testing"

	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
)

// BenchmarkLockHandoff: two tasks take turns holding a sim.Lock; each
// Release wakes the other task. One op is one hand-over (a release, a wake-up
// and an acquire), which must allocate nothing.
func BenchmarkLockHandoff(b *testing.B) {
	env := sim.New()
	defer env.Close()
	l := sim.NewLock()
	left := 0
	for _, name := range []string{"a", "b"} {
		sim.Go(env, name, func(p *sim.Proc) (struct{}, error) {
			for {
				if err := l.Acquire(p); err != nil {
					return struct{}{}, err
				}
				if left--; left == 0 {
					env.Stop()
				}
				l.Release()
				if err := p.Yield(); err != nil {
					return struct{}{}, err
				}
			}
		})
	}
	timeCounted(b, env, &left)
}

// BenchmarkPingPong: two tasks exchange messages through two sim.Queues
// (the pingpong workload of bench/README.md): "ping" puts a message in one queue and
// waits for the answer on the other; "pong" gets it and answers. One op is
// one message (a put, the wake-up of the waiting getter, and its get);
// events/s counts the Env's dispatched events. SimPy 4.1.2 reached 368.0 k
// messages/s on this workload on 2026-12-04 (bench/README.md).
func BenchmarkPingPong(b *testing.B) {
	env := sim.New()
	defer env.Close()
	ping, pong := sim.NewQueue[int](1), sim.NewQueue[int](1)
	left := 0
	sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
		for i := 0; ; i++ {
			if err := ping.Put(p, i); err != nil {
				return struct{}{}, err
			}
			if _, err := pong.Get(p); err != nil {
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
		for {
			v, err := ping.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			if left--; left == 0 {
				env.Stop()
			}
			if err := pong.Put(p, v); err != nil {
				return struct{}{}, err
			}
		}
	})
	timeCounted(b, env, &left)
}

// BenchmarkStorePingPong is BenchmarkPingPong through two unbounded
// resource.Stores (the pingpong workload of bench/README.md as bench/peers
// runs it), counted as BenchmarkPingPong counts: one op per answer of
// pong, that is a round trip of two hand-offs (ping's put to pong's get,
// pong's put to ping's get). In steady state it allocates nothing. Its
// body repeats BenchmarkPingPong's on purpose: a generic helper over both
// types would call Put and Get through a dictionary, which costs a few ns
// of the very hand-off measured.
func BenchmarkStorePingPong(b *testing.B) {
	env := sim.New()
	defer env.Close()
	ping, pong := resource.NewStore[int](0), resource.NewStore[int](0)
	left := 0
	sim.Go(env, "ping", func(p *sim.Proc) (struct{}, error) {
		for i := 0; ; i++ {
			if err := ping.Put(p, i); err != nil {
				return struct{}{}, err
			}
			if _, err := pong.Get(p); err != nil {
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "pong", func(p *sim.Proc) (struct{}, error) {
		for {
			v, err := ping.Get(p)
			if err != nil {
				return struct{}{}, err
			}
			if left--; left == 0 {
				env.Stop()
			}
			if err := pong.Put(p, v); err != nil {
				return struct{}{}, err
			}
		}
	})
	timeCounted(b, env, &left)
}

// BenchmarkContainerHandoff: a producer puts 1 unit into a resource.Container
// of capacity 1 that a consumer waits to get, and the other way round; both
// sides wait in turn. One op is one unit through the container: a put that
// wakes the waiting get and a get that wakes the waiting put. In steady
// state it allocates nothing.
func BenchmarkContainerHandoff(b *testing.B) {
	env := sim.New()
	defer env.Close()
	c := resource.NewContainer(1, 0)
	left := 0
	sim.Go(env, "producer", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := c.Put(p, 1); err != nil {
				return struct{}{}, err
			}
		}
	})
	sim.Go(env, "consumer", func(p *sim.Proc) (struct{}, error) {
		for {
			if err := c.Get(p, 1); err != nil {
				return struct{}{}, err
			}
			if left--; left == 0 {
				env.Stop()
			}
		}
	})
	timeCounted(b, env, &left)
}
