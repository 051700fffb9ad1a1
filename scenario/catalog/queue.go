package catalog

import (
	"fmt"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// seconds converts model time in seconds to virtual time.
func seconds(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }

// queue is a first-come first-served queue with servers identical servers,
// fed by arrivals and served with service times (in seconds) drawn from
// the functions given. It stops after customers arrivals and deletes the
// first warmup of them from the statistics.
type queue struct {
	servers, customers, warmup int
	interarrival, service      func() float64
}

// customer is a customer waiting: its arrival time and index.
type customer struct {
	at    time.Duration
	index int
}

// queueMetrics are the metrics every queue scenario reports.
func queueMetrics(theory func(p scenario.Params) (wq, w, l, rho, pw float64, ok bool)) []scenario.Metric {
	pick := func(k int) func(p scenario.Params) (float64, bool) {
		return func(p scenario.Params) (float64, bool) {
			wq, w, l, rho, pw, ok := theory(p)
			return [...]float64{wq, w, l, rho, pw}[k], ok
		}
	}
	return []scenario.Metric{
		{Name: "wait", Unit: "s", Help: "mean wait in queue, Wq", Theory: pick(0)},
		{Name: "sojourn", Unit: "s", Help: "mean time in the system, W = Wq + 1/mu", Theory: pick(1)},
		{Name: "in_system", Unit: "customers", Help: "time-average number in the system, L", Theory: pick(2)},
		{Name: "utilisation", Help: "fraction of server time busy, rho", Theory: pick(3)},
		{Name: "p_wait", Help: "fraction of customers who wait", Theory: pick(4)},
	}
}

// run simulates the queue on env with callbacks only: an arrival schedules
// the next one and starts a service if a server is free; the end of a
// service starts the next customer waiting. The time-weighted levels
// (customers in the system, busy servers) are read at the last arrival, so
// the drain after arrivals stop does not count. The run ends when the last
// customer leaves, after a bounded amount of work even when the load is 1
// or more.
func (q queue) run(env *sim.Env) (scenario.Observations, error) {
	var (
		waiting         []customer // FIFO
		head            int
		busy, arrived   int
		inSystem, inUse reports.TimeWeighted
		waits, sojourns reports.Tally
		waited          int
		lMean, uMean    float64
	)
	var begin func(c customer)
	begin = func(c customer) {
		now := env.Now()
		busy++
		inUse.Add(now, 1)
		if c.index >= q.warmup {
			waits.Add((now - c.at).Seconds())
			if now > c.at {
				waited++
			}
		}
		env.CallLater(seconds(q.service()), func() {
			now := env.Now()
			busy--
			inSystem.Add(now, -1)
			inUse.Add(now, -1)
			if c.index >= q.warmup {
				sojourns.Add((now - c.at).Seconds())
			}
			if head < len(waiting) {
				next := waiting[head]
				head++
				begin(next)
			}
		})
	}
	var arrive func()
	arrive = func() {
		now := env.Now()
		c := customer{at: now, index: arrived}
		arrived++
		if c.index == q.warmup {
			inSystem.Reset(now)
			inUse.Reset(now)
		}
		inSystem.Add(now, 1)
		if busy < q.servers {
			begin(c)
		} else {
			waiting = append(waiting, c)
		}
		if arrived < q.customers {
			env.CallLater(seconds(q.interarrival()), arrive)
			return
		}
		lMean, uMean = inSystem.MeanAt(now), inUse.MeanAt(now)
	}
	env.CallLater(seconds(q.interarrival()), arrive)
	if err := env.Run(); err != nil {
		return nil, err
	}
	if waits.Count() == 0 {
		return nil, fmt.Errorf("no customer after the warm-up of %d; raise customers", q.warmup)
	}
	return scenario.Observations{
		"wait":        waits.Mean(),
		"sojourn":     sojourns.Mean(),
		"in_system":   lMean,
		"utilisation": uMean / float64(q.servers),
		"p_wait":      float64(waited) / float64(waits.Count()),
	}, nil
}

// queueParams are the parameters every queue scenario has after its own.
func queueParams() []scenario.Param {
	return []scenario.Param{
		scenario.IntParam("customers", 20000, "arrivals per replication; the run stops after them").WithRange(1, 1e8),
		scenario.IntParam("warmup", 2000, "first customers deleted from the statistics").AtLeast(0),
	}
}

// checkQueue rejects a warm-up that leaves no customer and warns of an
// unstable queue.
func checkQueue(p scenario.Params, rho float64, what string) (string, error) {
	if p.Int("warmup") >= p.Int("customers") {
		return "", fmt.Errorf("warmup = %d deletes every one of customers = %d; allowed: warmup < customers", p.Int("warmup"), p.Int("customers"))
	}
	if rho >= 1 {
		return fmt.Sprintf("load %s = %.4g >= 1: the queue is unstable and its waits grow with the run; it stops after customers = %d arrivals, and no theory value applies", what, rho, p.Int("customers")), nil
	}
	return "", nil
}
