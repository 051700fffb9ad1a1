package scenario_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

// coin is a small scenario: a task flips a coin every second for a while
// and reports the fraction of heads.
func coin() *scenario.Scenario {
	return &scenario.Scenario{
		Name:    "coin",
		Summary: "flip a coin once a second",
		Reps:    5,
		Params: []scenario.Param{
			scenario.FloatParam("p", 0.5, "probability of heads").WithRange(0, 1),
			scenario.DurationParam("for", time.Minute, "how long to flip").Positive(),
		},
		Metrics: []scenario.Metric{{
			Name: "heads", Help: "fraction of heads",
			Theory: func(p scenario.Params) (float64, bool) { return p.Float("p"), true },
		}},
		Run: func(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
			rng := env.Rand("coin")
			heads, flips := 0, 0
			sim.Go(env, "flipper", func(q *sim.Proc) (struct{}, error) {
				for q.Now() < p.Duration("for") {
					if err := q.Sleep(time.Second); err != nil {
						return struct{}{}, err
					}
					flips++
					if rng.Float64() < p.Float("p") {
						heads++
					}
				}
				return struct{}{}, nil
			})
			if err := env.Run(); err != nil {
				return nil, err
			}
			return scenario.Observations{"heads": float64(heads) / float64(flips)}, nil
		},
	}
}

// An App gives a set of scenarios the whole command line; Main does the
// same on os.Args and exits.
func ExampleApp() {
	cmd := scenario.App{Name: "coins", Scenarios: []*scenario.Scenario{coin()}, Stdout: os.Stdout, Stderr: os.Stdout}.Command()
	err := scenario.Execute(cmd, []string{"run", "coin", "--set", "p=0.25", "--format", "md"})
	fmt.Println("exit", scenario.ExitCode(err))
	err = scenario.Execute(cmd, []string{"run", "coin", "--set", "p=2"})
	fmt.Println("exit", scenario.ExitCode(err))
	// Output:
	// **coin: flip a coin once a second**
	//
	// params: `p=0.25 for=1m0s`; seed 1, 5 replications, 95% confidence
	//
	// | metric | unit | n | mean | ci low | ci high | half-width | theory |
	// | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
	// | heads | - | 5 | 0.26 | 0.20038 | 0.31962 | 0.05962 | 0.25 |
	// exit 0
	// coins: bad parameter value: p = 2 is out of range; allowed: a number in [0, 1]
	// exit 2
}

func ExampleScenario_Replicate() {
	s := coin()
	p, err := s.Resolve(map[string]string{"for": "10m"})
	if err != nil {
		panic(err)
	}
	res, err := s.Replicate(context.Background(), p, scenario.Options{Reps: 10, Seed: 42})
	if err != nil {
		panic(err)
	}
	m, _ := res.Metric("heads")
	fmt.Printf("heads %.3f, 95%% CI [%.3f, %.3f], n %d\n", m.Summary.Mean, m.Summary.Low, m.Summary.High, m.Summary.N)
	// Output:
	// heads 0.497, 95% CI [0.482, 0.512], n 10
}

func ExampleParam_Parse() {
	rate := scenario.FloatParam("rate", 1, "arrival rate").WithUnit("1/s").Positive()
	v, err := rate.Parse("0.8")
	fmt.Println(v, err)
	_, err = rate.Parse("-1")
	fmt.Println(err)
	timeout := scenario.DurationParam("timeout", time.Second, "timeout").WithRange(0, float64(time.Minute))
	v, err = timeout.Parse("1.5s")
	fmt.Println(v, err)
	_, err = timeout.Parse("2h")
	fmt.Println(err)
	// Output:
	// 0.8 <nil>
	// bad parameter value: rate = -1 is out of range; allowed: a number > 0
	// 1.5s <nil>
	// bad parameter value: timeout = 2h0m0s is out of range; allowed: a duration in [0s, 1m0s]
}

func ExampleParseConfig() {
	catalog := []*scenario.Scenario{coin()}
	cfg, err := scenario.ParseConfig("coins.yaml", []byte("scenario: coin\nreps: 3\nsweep:\n  p: [0.1, 0.9]\n  for: [10s, 1m]\n"), catalog)
	if err != nil {
		panic(err)
	}
	for _, p := range cfg.Points {
		fmt.Println(p.Float("p"), p.Duration("for"))
	}
	_, err = scenario.ParseConfig("coins.yaml", []byte("scenario: coin\nparams:\n  p: 0.5\n  q: 1\n"), catalog)
	fmt.Println(err)
	// Output:
	// 0.1 10s
	// 0.1 1m0s
	// 0.9 10s
	// 0.9 1m0s
	// coins.yaml:4:3: params.q: scenario coin has no parameter "q"; its parameters: p, for
}

func ExampleParseShard() {
	s, err := scenario.ParseShard("1/4", 0, os.Getenv)
	fmt.Println(s, err)
	env := map[string]string{"JOB_COMPLETION_INDEX": "3", "VTSIM_SHARDS": "8"}
	s, err = scenario.ParseShard("auto", 0, func(k string) string { return env[k] })
	fmt.Println(s, err)
	_, err = scenario.ParseShard("4/4", 0, os.Getenv)
	fmt.Println(err)
	// Output:
	// 1/4 <nil>
	// 3/8 <nil>
	// bad shard: --shard "4/4": allowed: i/n with 0 <= i < n, such as 0/4, or auto
}

// A sweep split in two shards, each writing its units into a directory,
// merges into the same report as the sweep run whole.
func ExampleSweep() {
	catalog := []*scenario.Scenario{coin()}
	cfg, err := scenario.ParseConfig("coins.yaml", []byte("scenario: coin\nreps: 4\nsweep:\n  p: [0.2, 0.8]\n"), catalog)
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "units")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for i := range 2 {
		sw := &scenario.Sweep{Config: cfg, Version: "v1", Dir: dir, Shard: scenario.Shard{Index: i, Count: 2}}
		if _, err := sw.Run(context.Background()); err != nil {
			panic(err)
		}
	}
	merged, obs, err := scenario.Merge([]string{dir}, catalog, "v1")
	if err != nil {
		panic(err)
	}
	report, err := scenario.BuildReport(merged, obs, "v1")
	if err != nil {
		panic(err)
	}
	var a, b strings.Builder
	if err := report.Write(&a, "text"); err != nil {
		panic(err)
	}
	whole, err := (&scenario.Sweep{Config: cfg, Version: "v1"}).Run(context.Background())
	if err != nil {
		panic(err)
	}
	report, _ = scenario.BuildReport(cfg, whole, "v1")
	_ = report.Write(&b, "text")
	fmt.Print(a.String())
	fmt.Println("same as one process:", a.String() == b.String())
	// Output:
	// coin: flip a coin once a second (2 points)
	// params: for=1m0s
	// seed 1, 4 replications per point, 95% confidence
	// point  p    metric  unit  n  mean      ci low    ci high   half-width  theory
	// 1      0.2  heads   -     4  0.216667  0.106253  0.32708   0.110413    0.2
	// 2      0.8  heads   -     4  0.804167  0.690872  0.917462  0.113295    0.8
	// same as one process: true
}

func ExampleWriteSchema() {
	var b strings.Builder
	if err := scenario.WriteSchema(&b, []*scenario.Scenario{coin()}); err != nil {
		panic(err)
	}
	var schema struct {
		Properties map[string]any
		AllOf      []struct {
			Then struct {
				Properties struct {
					Params struct {
						Properties map[string]map[string]any
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(b.String()), &schema); err != nil {
		panic(err)
	}
	fmt.Println(slices.Sorted(maps.Keys(schema.Properties)))
	p := schema.AllOf[0].Then.Properties.Params.Properties["p"]
	fmt.Println(p["type"], p["minimum"], p["maximum"], p["default"])
	// Output:
	// [params points reps scenario seed sweep]
	// number 0 1 0.5
}
