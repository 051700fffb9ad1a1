// Command callcentre: callers (4 a minute) wait for agents (a resource.Resource; talks of mean 1
// minute) and hang up after a patience of mean 2 minutes (Erlang A, M/M/c+M). 4 and 5 agents over
// 30 replications of an 8-hour shift on the same seeds: a table with 95% intervals, -html FILE.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"os"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/reports/html"
	"github.com/vtsim/vtsim/sim"
	"github.com/vtsim/vtsim/sim/resource"
	"github.com/vtsim/vtsim/workload"
)

var gap, talk, patience = workload.Must(workload.Exponential(0.25)), workload.Must(workload.Exponential(1)), workload.Must(workload.Exponential(2)) // minutes

// shiftOf simulates a shift with agents agents. A caller's talk and patience are drawn when it
// calls, from streams of their own: caller k is the same whatever the number of agents.
func shiftOf(agents int) reports.Model {
	return func(rep reports.Replication) (reports.Metrics, error) {
		env := sim.New(sim.WithSeed(rep.Seed))
		defer env.Close()
		desk, calls, lost := resource.NewResource(agents), 0.0, 0.0
		stats := desk.EnableStats(env)
		caller := func(p *sim.Proc, wait, need time.Duration) error {
			if err := sim.Timeout(p, wait, func(*sim.Scope) error { return desk.Request(p) }); errors.Is(err, context.DeadlineExceeded) {
				lost++ // hung up before an agent answered
				return nil
			} else if err != nil {
				return err
			}
			defer desk.Release()
			return p.Sleep(need)
		}
		sim.Go(env, "calls", func(p *sim.Proc) (struct{}, error) {
			for r := env.Rand("arrivals"); ; calls++ {
				if err := p.Sleep(workload.Draw(gap, r, time.Minute)); err != nil || p.Now() >= 8*time.Hour {
					return struct{}{}, err
				}
				need, wait := workload.Draw(talk, env.Rand("talk"), time.Minute), workload.Draw(patience, env.Rand("patience"), time.Minute)
				sim.Spawn(env, "caller", func(p *sim.Proc) error { return caller(p, wait, need) })
			}
		})
		if err := env.Run(); err != nil {
			return nil, err
		}
		q, minutes := stats.QueueLength.MeanAt(env.Now()), workload.InUnits(env.Now(), time.Minute)
		return reports.Metrics{"abandoned": lost / calls, "answered_wait_min": workload.InUnits(stats.MeanWait(), time.Minute), "queue_len": q,
			"busy_agents": stats.InUse.MeanAt(env.Now()), "wait_all_min": q * minutes / calls}, nil // Little: ∫Q dt / calls
	}
}

func run(w io.Writer, htmlFile string) error {
	res, err := reports.ReplicateConfigs(context.Background(), reports.Experiment{Replications: 30, Seed: 2026}, reports.ConfigsOptions{},
		reports.Config{Name: "4 agents", Model: shiftOf(4)}, reports.Config{Name: "5 agents", Model: shiftOf(5)})
	if err != nil {
		return err
	} else if err := reports.WriteConfigsText(w, res); err != nil || htmlFile == "" {
		return err
	}
	return reports.WriteFileAtomic(htmlFile, func(f io.Writer) error {
		return html.Write(f, html.Report{Title: "Call centre (Erlang A)", Tables: []reports.Table{reports.ConfigsTable(res)}})
	})
}

func main() {
	out := flag.String("html", "", "write an HTML report to `file`")
	flag.Parse()
	if err := run(os.Stdout, *out); err != nil {
		log.Fatal("callcentre: ", err)
	}
}
