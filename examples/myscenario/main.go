// Command myscenario shows how a program of one's own gets vtsim's whole
// command line (run, list, describe, schema, sweep with shards, merge) for
// its own models with one call: main is scenario.Main(printShop()).
//
// The model is a print shop: jobs arrive as a Poisson stream and wait in an
// asyncio-style queue (sim.Queue) for one of several printer tasks; a job
// takes pages/speed seconds. It reports the mean wait and the throughput.
//
//	go run ./examples/myscenario list
//	go run ./examples/myscenario run print-shop --set printers=3 --reps 10
//	go run ./examples/myscenario describe print-shop
package main

import (
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/sim"
)

func main() {
	scenario.Main(printShop())
}

// job is a print job: its arrival time and its number of pages.
type job struct {
	at    time.Duration
	pages int
}

// printShop returns the print-shop scenario.
func printShop() *scenario.Scenario {
	return &scenario.Scenario{
		Name:    "print-shop",
		Summary: "print jobs queue for a few printers",
		Params: []scenario.Param{
			scenario.FloatParam("rate", 2, "job arrival rate").WithUnit("1/min").Positive(),
			scenario.IntParam("printers", 2, "number of printers").WithRange(1, 100),
			scenario.IntParam("pages", 20, "largest job, in pages (uniform from 1)").WithRange(1, 10000),
			scenario.FloatParam("speed", 30, "pages per minute of a printer").WithUnit("pages/min").Positive(),
			scenario.DurationParam("day", 8*time.Hour, "opening hours; jobs arrive until closing").Positive(),
		},
		Metrics: []scenario.Metric{
			{Name: "wait", Unit: "min", Help: "mean wait before printing"},
			{Name: "jobs", Help: "jobs printed in the day"},
			{Name: "utilisation", Help: "fraction of printer time busy",
				// Theory: offered load / printers, when below 1: rate * E[pages]/speed / printers.
				Theory: func(p scenario.Params) (float64, bool) {
					rho := p.Float("rate") * float64(p.Int("pages")+1) / 2 / p.Float("speed") / float64(p.Int("printers"))
					return rho, rho < 1
				}},
		},
		Run: runPrintShop,
	}
}

// runPrintShop simulates one day: a task for arrivals and one per printer.
func runPrintShop(env *sim.Env, p scenario.Params) (scenario.Observations, error) {
	minute := float64(time.Minute)
	arrivals, sizes := env.Rand("arrivals"), env.Rand("pages")
	queue := sim.NewQueue[job](0)
	day := p.Duration("day")
	sim.Go(env, "arrivals", func(q *sim.Proc) (struct{}, error) {
		for {
			gap := time.Duration(arrivals.ExpFloat64() / p.Float("rate") * minute)
			if q.Now()+gap >= day {
				queue.Shutdown(false) // closing: printers finish the jobs queued
				return struct{}{}, nil
			}
			if err := q.Sleep(gap); err != nil {
				return struct{}{}, err
			}
			if err := queue.Put(q, job{at: q.Now(), pages: 1 + sizes.IntN(p.Int("pages"))}); err != nil {
				return struct{}{}, err
			}
		}
	})
	var waits reports.Tally
	var busy time.Duration
	for i := range p.Int("printers") {
		sim.Go(env, "printer", func(q *sim.Proc) (int, error) {
			for {
				j, err := queue.Get(q)
				if err != nil {
					return i, nil // shut down and empty
				}
				waits.Add(float64(q.Now()-j.at) / minute)
				d := time.Duration(float64(j.pages) / p.Float("speed") * minute)
				busy += d
				if err := q.Sleep(d); err != nil {
					return i, err
				}
			}
		})
	}
	if err := env.Run(); err != nil {
		return nil, err
	}
	return scenario.Observations{
		"wait":        waits.Mean(),
		"jobs":        float64(waits.Count()),
		"utilisation": float64(busy) / float64(env.Now()) / float64(p.Int("printers")),
	}, nil
}
