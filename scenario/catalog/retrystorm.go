package catalog

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vtsim/vtsim/future"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// RetryStorm returns the retry-storm scenario: clients send requests as a
// Poisson stream to a server of fixed capacity (servers workers, exponential
// service, one FIFO queue); each attempt times out after timeout, and a
// timed-out request is retried up to retries times after an exponential
// backoff with jitter, optionally within a retry budget. The server does the
// work of an attempt even when its client has given up on it, as most servers
// do, which is what makes retries dangerous.
//
// A load spike (rate times spike, from spike_at for spike_for) fills the
// queue past the timeout. Once every attempt times out, each request costs
// 1 + retries attempts: if rate (1 + retries) exceeds the capacity
// servers/service, the queue never drains and goodput stays near zero after
// the spike is over (a metastable failure). With retries capped low enough,
// or a retry budget (at most budget retries per first attempt), offered load
// stays below capacity and the system recovers. Metrics are measured over the
// second half of the time after the spike. No theory value applies.
func RetryStorm() *scenario.Scenario {
	return &scenario.Scenario{
		Name:    "retry-storm",
		Summary: "clients with timeouts and retries against a fixed-capacity server: metastable collapse after a spike",
		Description: `Requests arrive at rate per second; a server with servers workers of mean service time
service serves attempts first in, first out, including those whose client has given up. An attempt
times out after timeout; the client retries up to retries times, sleeping an exponential backoff
(backoff, 2 backoff, ... capped at backoff_max) with jitter none, equal or full, and, when budget > 0,
only while retries stay under budget per first attempt (a token bucket). A spike multiplies the
rate by spike from spike_at for spike_for. After it the system either recovers or stays collapsed: it
collapses when rate*(1+retries) exceeds the capacity servers/service and nothing limits retries.
Metrics cover the second half of the run after the spike. Try --set retries=0, --set budget=0.1 or a
sweep over rate.`,
		Reps: 10,
		Params: []scenario.Param{
			scenario.FloatParam("rate", 80, "request rate of the clients").WithUnit("1/s").Positive().AtMost(10000),
			scenario.IntParam("servers", 10, "server workers").WithRange(1, 10000),
			scenario.DurationParam("service", 100*time.Millisecond, "mean service time of an attempt (exponential)").Positive(),
			scenario.DurationParam("timeout", time.Second, "client timeout of each attempt").Positive(),
			scenario.IntParam("retries", 3, "most retries per request").WithRange(0, 100),
			scenario.DurationParam("backoff", 100*time.Millisecond, "first backoff; doubles at each retry").AtLeast(0),
			scenario.DurationParam("backoff_max", 10*time.Second, "largest backoff").AtLeast(0),
			scenario.EnumParam("jitter", "full", []string{"none", "equal", "full"}, "backoff jitter: none, equal (half fixed, half random) or full (uniform up to the backoff)"),
			scenario.FloatParam("budget", 0, "retry budget: most retries per first attempt; 0 means no budget").WithRange(0, 100),
			scenario.FloatParam("spike", 2, "rate multiplier during the spike; 1 means no spike").WithRange(1, 100),
			scenario.DurationParam("spike_at", 60*time.Second, "start of the spike").AtLeast(0),
			scenario.DurationParam("spike_for", 10*time.Second, "length of the spike").AtLeast(0),
			scenario.DurationParam("duration", 300*time.Second, "virtual length of a replication").Positive().AtMost(float64(24 * time.Hour)),
		},
		Metrics: []scenario.Metric{
			{Name: "goodput", Unit: "1/s", Help: "successful requests per second"},
			{Name: "success", Help: "fraction of the requests ended that succeeded"},
			{Name: "load", Help: "attempts offered per second over the capacity servers/service"},
			{Name: "latency", Unit: "s", Help: "mean latency of successful requests (0 if none)"},
			{Name: "queue", Unit: "attempts", Help: "attempts in the server's queue at the end"},
		},
		Check: func(p scenario.Params) (string, error) {
			end := p.Duration("spike_at") + p.Duration("spike_for")
			if end >= p.Duration("duration") {
				return "", fmt.Errorf("the spike ends at %v, not before duration = %v; allowed: spike_at + spike_for < duration", end, p.Duration("duration"))
			}
			capacity := float64(p.Int("servers")) / p.Duration("service").Seconds()
			if rho := p.Float("rate") / capacity; rho >= 1 {
				return fmt.Sprintf("load rate/capacity = %.4g >= 1 even without retries: the queue is unstable; the run stops at duration = %v", rho, p.Duration("duration")), nil
			}
			return "", nil
		},
		Conclude: concludeRetryStorm,
		Run:      runRetryStorm,
	}
}

// concludeRetryStorm says whether the system recovered from the spike.
func concludeRetryStorm(p scenario.Params, res reports.Result) string {
	g, _ := res.Metric("goodput")
	l, _ := res.Metric("load")
	rate := p.Float("rate")
	state := fmt.Sprintf("it recovered: goodput is %.4g/s of the %.4g/s requested", g.Summary.Mean, rate)
	if g.Summary.Mean < rate/2 {
		state = fmt.Sprintf("it collapsed: goodput is %.4g/s of the %.4g/s requested, while retries offer %.3g times the capacity", g.Summary.Mean, rate, l.Summary.Mean)
	}
	return fmt.Sprintf("Long after the spike is over (in the second half of the time after it), %s.\n"+
		"Retries keep a collapse going when rate*(1+retries) exceeds the capacity; try --set retries=0 or --set budget=0.1.", state)
}

// attempt is one attempt queued at the server.
type attempt struct {
	done future.Resolver[struct{}]
}

// server is a FIFO queue in front of workers that serve attempts with
// exponential service times.
type server struct {
	env     *sim.Env
	rng     *rand.Rand
	mean    float64 // seconds
	free    int
	waiting []*attempt
	head    int
}

// submit queues a and starts it if a worker is free.
func (s *server) submit(a *attempt) {
	s.waiting = append(s.waiting, a)
	s.dispatch()
}

// dispatch starts queued attempts on free workers.
func (s *server) dispatch() {
	for s.free > 0 && s.head < len(s.waiting) {
		a := s.waiting[s.head]
		s.waiting[s.head] = nil
		s.head++
		s.free--
		s.env.CallLater(seconds(s.rng.ExpFloat64()*s.mean), func() {
			_ = a.done.SetResult(struct{}{}) // the client may have given up: nobody reads it then
			s.free++
			s.dispatch()
		})
	}
	if s.head > 1024 && s.head*2 > len(s.waiting) {
		s.waiting = append(s.waiting[:0], s.waiting[s.head:]...)
		s.head = 0
	}
}

// runRetryStorm runs one replication: arrivals are callbacks, each request a
// task that attempts, times out (sim.Timeout) and backs off (Proc.Sleep).
func runRetryStorm(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
	var (
		arrivals, jitterRng = env.Rand("arrivals"), env.Rand("jitter")
		srv                 = &server{env: env, rng: env.Rand("service"), mean: p.Duration("service").Seconds(), free: p.Int("servers")}
		rate                = p.Float("rate")
		spikeAt             = p.Duration("spike_at")
		spikeEnd            = spikeAt + p.Duration("spike_for")
		duration            = p.Duration("duration")
		from                = spikeEnd + (duration-spikeEnd)/2 // measurement window [from, duration)
		timeout             = p.Duration("timeout")
		retries             = p.Int("retries")
		backoff, backoffMax = p.Duration("backoff"), p.Duration("backoff_max")
		jitter              = p.Text("jitter")
		budget              = p.Float("budget")
		tokens              = 0.0
		successes, ended    int
		attempts            int
		latency             float64
		failed              error
	)
	inWindow := func() bool { return env.Now() >= from }
	delay := func(k int) time.Duration {
		d := backoff << k
		if d > backoffMax || d < 0 || k > 40 {
			d = backoffMax
		}
		switch jitter {
		case "full":
			return time.Duration(jitterRng.Float64() * float64(d))
		case "equal":
			return d/2 + time.Duration(jitterRng.Float64()*float64(d/2))
		}
		return d
	}
	request := func(q *sim.Proc) (struct{}, error) {
		start := q.Now()
		if budget > 0 {
			tokens = min(tokens+budget, 10+budget) // a bucket of at most about ten retries
		}
		for k := 0; ; k++ {
			f, r := future.New[struct{}](env.Loop())
			if inWindow() {
				attempts++
			}
			srv.submit(&attempt{done: r})
			err := sim.Timeout(q, timeout, func(*sim.Scope) error {
				_, err := sim.Await(q, f)
				return err
			})
			if err == nil {
				if inWindow() {
					successes++
					ended++
					latency += (q.Now() - start).Seconds()
				}
				return struct{}{}, nil
			}
			if !errors.Is(err, sim.ErrTimeout) {
				return struct{}{}, err
			}
			allowed := k < retries
			if allowed && budget > 0 {
				allowed = tokens >= 1
				if allowed {
					tokens--
				}
			}
			if !allowed {
				if inWindow() {
					ended++
				}
				return struct{}{}, nil
			}
			if err := q.Sleep(delay(k)); err != nil {
				return struct{}{}, err
			}
		}
	}
	var arrive func()
	arrive = func() {
		task := sim.Go(env, "request", request)
		task.AddDoneCallback(func() {
			if err := task.Err(); err != nil && failed == nil && !errors.Is(err, sim.ErrCancelled) {
				failed = err
			}
		})
		r := rate
		if now := env.Now(); now >= spikeAt && now < spikeEnd {
			r *= p.Float("spike")
		}
		env.CallLater(seconds(arrivals.ExpFloat64()/r), arrive)
	}
	env.CallLater(seconds(arrivals.ExpFloat64()/rate), arrive)
	if err := env.RunUntil(duration); err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, failed
	}
	window := (duration - from).Seconds()
	capacity := float64(p.Int("servers")) / p.Duration("service").Seconds()
	obs := scenario.Observations{
		"goodput": float64(successes) / window,
		"success": 0,
		"load":    float64(attempts) / window / capacity,
		"latency": 0,
		"queue":   float64(len(srv.waiting) - srv.head),
	}
	if ended > 0 {
		obs["success"] = float64(successes) / float64(ended)
	}
	if successes > 0 {
		obs["latency"] = latency / float64(successes)
	}
	return obs, nil
}
