// Command peers runs vtsim's four reference workloads (hold, mm1,
// pingpong, sleepers) on vtsim and on its peers, paired, and prints the
// runs as Go benchmark lines (for benchstat) and a Markdown table of the
// median events/s of every side and of vtsim's ratio to every peer.
//
// Usage, from bench/peers:
//
//	go run . -count 5   # the full comparison, 5 pairs a cell
//	go run . -short     # every comparison once, at small sizes
//
// A pair is one run of a vtsim side followed at once by one run of a peer
// on the same workload (the vtsim sides of a workload, callbacks and tasks
// for hold, Store and Queue for pingpong, run one after the other before
// the peer's run, and each makes a pair with it); each run is a child process of its own (this
// binary re-executed with -child, or python3 on simpy_bench.py) that times
// the simulation itself, start-up excluded. A ratio is vtsim's events/s
// over the peer's within one pair, and a cell is the median over the
// pairs, so that the machine's drifting speed hits both sides of a ratio
// alike. SimPy is found through SIMPY_SRC or an installed simpy; without
// it, the SimPy sides are skipped.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 5, "pairs of runs per comparison")
	short := fs.Bool("short", false, "quick mode: every comparison once, at small sizes")
	match := fs.String("run", "", "run only the comparisons whose `workload/vtsim-side/peer` matches this regexp")
	python := fs.String("python", "python3", "the Python interpreter that runs simpy_bench.py")
	child := fs.String("child", "", "internal: run Go side `workload/side` once and print its result")
	n := fs.Int("n", 0, "with -child: the events (customers for mm1) to run")
	pending := fs.Int("pending", 0, "with -child: hold's pending timers")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *child != "" {
		if err := runChild(stdout, *child, params{n: *n, pending: *pending}); err != nil {
			fmt.Fprintln(stderr, "peers:", err)
			return 1
		}
		return 0
	}
	re, err := regexp.Compile(*match)
	if err != nil {
		fmt.Fprintln(stderr, "peers: -run:", err)
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "peers:", err)
		return 1
	}
	d := driver{
		rn:     runner{exe: exe, python: *python},
		count:  *count,
		params: fullParams,
		match:  re,
		stdout: stdout,
		stderr: stderr,
	}
	if *short {
		d.count, d.params = 1, quickParams
	}
	if err := d.run(); err != nil {
		fmt.Fprintln(stderr, "peers:", err)
		return 1
	}
	return 0
}

// comparison is one ratio: a vtsim side against a peer on a workload.
type comparison struct {
	workload, vtsim, peer string
}

func (c comparison) String() string { return c.workload + "/" + c.vtsim + "/" + c.peer }

// vtsimSides returns the vtsim sides of workload w.
func vtsimSides(w string) []string {
	switch w {
	case hold:
		return []string{"vtsim-callbacks", "vtsim-tasks"}
	case pingpong:
		return []string{"vtsim-tasks", "vtsim-queue"}
	default:
		return []string{"vtsim-tasks"}
	}
}

// peerSides returns the peers of workload w, with or without SimPy.
func peerSides(w string, simpy bool) []string {
	peers := []string{"typed-heap", "coroutines", "goroutines", "simgo", "synctest"}
	if simpy {
		if w == hold {
			peers = append(peers, "simpy-callbacks")
		}
		peers = append(peers, "simpy")
	}
	return peers
}

// group is a unit of pairing: the vtsim sides of a workload, each run
// once, then the peer, run once; each vtsim side makes a pair with the
// peer's run.
type group struct {
	workload string
	vtsim    []string
	peer     string
}

// groups returns, workload by workload and peer by peer, the groups of the
// comparisons that match selects.
func groups(simpy bool, match *regexp.Regexp) []group {
	var gs []group
	for _, w := range workloads() {
		for _, p := range peerSides(w, simpy) {
			g := group{workload: w, peer: p}
			for _, v := range vtsimSides(w) {
				if match.MatchString(comparison{w, v, p}.String()) {
					g.vtsim = append(g.vtsim, v)
				}
			}
			if len(g.vtsim) > 0 {
				gs = append(gs, g)
			}
		}
	}
	return gs
}

// driver runs the comparisons and prints what they measured.
type driver struct {
	rn     runner
	count  int
	params func(workload string) params
	match  *regexp.Regexp
	stdout io.Writer
	stderr io.Writer
}

// run runs count rounds of every group of the comparisons that match
// selects, printing a benchmark line per run as it goes and the Markdown
// report at the end.
func (d driver) run() error {
	simpy := d.rn.probeSimPy()
	if simpy.skip != "" {
		fmt.Fprintln(d.stderr, simpy.skip)
	}
	gs := groups(simpy.skip == "", d.match)
	if len(gs) == 0 {
		return errors.New("no comparison matches -run")
	}
	rp := newReport(machineInfo(simpy))
	rp.benchHeader(d.stdout)
	for round := range d.count {
		for _, g := range gs {
			fmt.Fprintf(d.stderr, "round %d/%d: %s: %s against %s\n",
				round+1, d.count, g.workload, strings.Join(g.vtsim, ", "), g.peer)
			p := d.params(g.workload)
			as := make([]result, len(g.vtsim))
			for i, v := range g.vtsim {
				a, err := d.rn.run(g.workload, v, p)
				if err != nil {
					return err
				}
				as[i] = a
			}
			b, err := d.rn.run(g.workload, g.peer, p)
			if err != nil {
				return err
			}
			for i, v := range g.vtsim {
				rp.addRun(d.stdout, g.workload, v, as[i])
				rp.addPair(comparison{g.workload, v, g.peer}, as[i], b)
			}
			rp.addRun(d.stdout, g.workload, g.peer, b)
		}
	}
	rp.info.loadEnd = loadAverage()
	fmt.Fprintln(d.stdout)
	rp.markdown(d.stdout)
	return nil
}
