package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// info describes the machine and the software of a run.
type info struct {
	cpu       string // model name from /proc/cpuinfo
	nproc     int
	loadStart string // load average when the run began
	loadEnd   string // and when it ended
	goVersion string
	commit    string // vtsim's commit, if git knows it
	simpy     simpyInfo
	date      time.Time
}

// machineInfo gathers the info of a run that starts now.
func machineInfo(simpy simpyInfo) info {
	return info{
		cpu:       cpuModel(),
		nproc:     runtime.NumCPU(),
		loadStart: loadAverage(),
		goVersion: runtime.Version(),
		commit:    gitCommit(),
		simpy:     simpy,
		date:      time.Now().UTC(),
	}
}

// cpuModel returns the first model name of /proc/cpuinfo, or "unknown".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAverage returns the 1, 5 and 15 minute load averages of
// /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// gitCommit returns the short commit of the working tree, or "".
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// report collects the runs of the comparisons.
type report struct {
	info    info
	runs    map[string][]result      // by workload/side
	ratios  map[comparison][]float64 // vtsim's events/s over the peer's, per pair
	cpu     map[comparison][]float64 // the same, per CPU second
	rssRate map[comparison][]float64 // the peer's peak RSS over vtsim's, per pair
}

func newReport(in info) *report {
	return &report{
		info:    in,
		runs:    map[string][]result{},
		ratios:  map[comparison][]float64{},
		cpu:     map[comparison][]float64{},
		rssRate: map[comparison][]float64{},
	}
}

// addRun records run r of side s on workload wl and prints it as a
// benchmark line on w.
func (rp *report) addRun(w io.Writer, wl, s string, r result) {
	rp.runs[wl+"/"+s] = append(rp.runs[wl+"/"+s], r)
	rp.benchLine(w, wl, s, r)
}

// addPair records the pair a (vtsim) and b (the peer) of comparison c.
func (rp *report) addPair(c comparison, a, b result) {
	rp.ratios[c] = append(rp.ratios[c], a.rate()/b.rate())
	if a.cpu > 0 && b.cpu > 0 {
		rp.cpu[c] = append(rp.cpu[c], a.cpuRate()/b.cpuRate())
	}
	if a.maxRSS > 0 && b.maxRSS > 0 {
		rp.rssRate[c] = append(rp.rssRate[c], float64(b.maxRSS)/float64(a.maxRSS))
	}
}

// benchHeader prints the configuration lines that benchstat reads.
func (rp *report) benchHeader(w io.Writer) {
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/vtsim/vtsim/bench/peers\ncpu: %s\n",
		runtime.GOOS, runtime.GOARCH, rp.info.cpu)
}

// benchName returns the benchmark name of workload w.
func benchName(w string) string {
	switch w {
	case hold:
		return "BenchmarkHold"
	case mm1:
		return "BenchmarkMM1"
	case pingpong:
		return "BenchmarkPingpong"
	default:
		return "BenchmarkSleepers"
	}
}

// benchLine prints run r of side s on workload w as a Go benchmark line:
// one op is one event; cpu-ns/op is the CPU time of the process per event,
// allocs/op the heap objects it allocated per event (Go sides).
func (rp *report) benchLine(w io.Writer, wl, s string, r result) {
	line := fmt.Sprintf("%s/%s %d %.2f ns/op %.4g events/s", benchName(wl), s,
		r.events, float64(r.elapsed.Nanoseconds())/float64(r.events), r.rate())
	if r.cpu > 0 {
		line += fmt.Sprintf(" %.2f cpu-ns/op", float64(r.cpu.Nanoseconds())/float64(r.events))
	}
	if r.allocs >= 0 {
		line += fmt.Sprintf(" %.2f allocs/op", float64(r.allocs)/float64(r.events))
	}
	if !math.IsNaN(r.wq) {
		line += fmt.Sprintf(" %.4f wait-s", r.wq)
	}
	if wl == sleepers && r.maxRSS > 0 {
		line += fmt.Sprintf(" %d peak-RSS-B", r.maxRSS)
	}
	fmt.Fprintln(w, line)
}

// median returns the median of xs, or NaN if xs is empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// medianOf returns the median of f over rs.
func medianOf(rs []result, f func(result) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return median(xs)
}

// fmtRate formats events per second with an SI prefix.
func fmtRate(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case x >= 1e9:
		return fmt.Sprintf("%.2f G", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.2f M", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.1f k", x/1e3)
	default:
		return fmt.Sprintf("%.0f", x)
	}
}

// fmtRatio formats a ratio with three significant digits or so.
func fmtRatio(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}

// sideLabel returns the row label of side s.
func (rp *report) sideLabel(s string) string {
	simpy := "SimPy " + rp.info.simpy.version
	switch s {
	case "vtsim-callbacks":
		return "vtsim, callbacks (`CallLater`)"
	case "vtsim-tasks":
		return "vtsim, tasks (pingpong: `Store`)"
	case "vtsim-queue":
		return "vtsim, tasks, pingpong through `Queue`"
	case "typed-heap":
		return "typed binary heap of value entries, callbacks"
	case "coroutines":
		return "bare `iter.Pull` coroutine per process on the typed heap (the floor of a coroutine engine)"
	case "goroutines":
		return "goroutine per process, channel hand-off"
	case "simgo":
		return "simgo v0.7.0, processes"
	case "synctest":
		return "`testing/synctest`, goroutines + `time.Sleep` (pingpong: channels)"
	case "simpy-callbacks":
		return simpy + ", callbacks"
	case "simpy":
		return simpy + ", processes"
	}
	return s
}

// sideOrder is the order of the rows.
func sideOrder() []string {
	return []string{"vtsim-callbacks", "vtsim-tasks", "vtsim-queue", "typed-heap",
		"coroutines", "goroutines", "simgo", "synctest", "simpy-callbacks", "simpy"}
}

// markdown prints the report: the machine, the median events/s of every
// side and the median ratios of every comparison.
func (rp *report) markdown(w io.Writer) {
	in := rp.info
	fmt.Fprintf(w, "- machine: %s, %d CPUs (GOMAXPROCS %d)\n", in.cpu, in.nproc, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "- load average (1, 5, 15 min): %s at the start, %s at the end\n", in.loadStart, in.loadEnd)
	fmt.Fprintf(w, "- go: %s", in.goVersion)
	if in.commit != "" {
		fmt.Fprintf(w, ", vtsim at commit %s", in.commit)
	}
	fmt.Fprintln(w)
	if in.simpy.skip != "" {
		fmt.Fprintf(w, "- SimPy: skipped (%s)\n", strings.TrimPrefix(in.simpy.skip, "SKIP "))
	} else {
		fmt.Fprintf(w, "- python: %s, SimPy %s\n", in.simpy.python, in.simpy.version)
	}
	fmt.Fprintf(w, "- date: %s\n\n", in.date.Format("2006-01-02 15:04 UTC"))

	fmt.Fprintln(w, "Events/s, median of the runs (peak RSS: of the run's whole process):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| side | hold | mm1 (Wq) | pingpong | sleepers · peak RSS |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, s := range sideOrder() {
		cells := make([]string, 0, 4)
		seen := false
		for _, wl := range workloads() {
			rs := rp.runs[wl+"/"+s]
			if len(rs) == 0 {
				cells = append(cells, "–")
				continue
			}
			seen = true
			cell := fmtRate(medianOf(rs, result.rate))
			switch wl {
			case mm1:
				cell += fmt.Sprintf(" (%.2f)", medianOf(rs, func(r result) float64 { return r.wq }))
			case sleepers:
				rss := medianOf(rs, func(r result) float64 { return float64(r.maxRSS) })
				cell += fmt.Sprintf(" · %.0f MiB", rss/(1<<20))
			}
			cells = append(cells, cell)
		}
		if seen {
			fmt.Fprintf(w, "| %s | %s |\n", rp.sideLabel(s), strings.Join(cells, " | "))
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "vtsim ÷ peer, paired: the median of the per-pair ratios of events/s (min–max);")
	fmt.Fprintln(w, "above 1 means vtsim is faster (for peak RSS: vtsim uses less memory):")
	fmt.Fprintln(w)
	rp.ratioTable(w, rp.ratios, true)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The same ratios per CPU second (user and system time of each side's process during")
	fmt.Fprintln(w, "the simulation), which a busy machine disturbs less than wall time; a side that runs")
	fmt.Fprintln(w, "goroutines in parallel, or collects garbage on another core, pays for every core it uses:")
	fmt.Fprintln(w)
	rp.ratioTable(w, rp.cpu, false)
}

// ratioTable prints the table of the per-pair ratios in ratios, a row per
// peer and a column per vtsim side of a workload, and with rss a last
// column of the ratios of peak RSS.
func (rp *report) ratioTable(w io.Writer, ratios map[comparison][]float64, rss bool) {
	type column struct {
		title           string
		workload, vtsim string
		rss             bool
	}
	cols := []column{
		{"hold, callbacks", hold, "vtsim-callbacks", false},
		{"hold, tasks", hold, "vtsim-tasks", false},
		{"mm1", mm1, "vtsim-tasks", false},
		{"pingpong, `Store`", pingpong, "vtsim-tasks", false},
		{"pingpong, `Queue`", pingpong, "vtsim-queue", false},
		{"sleepers", sleepers, "vtsim-tasks", false},
	}
	if rss {
		cols = append(cols, column{"sleepers peak RSS, peer ÷ vtsim", sleepers, "vtsim-tasks", true})
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	fmt.Fprintf(w, "| vtsim ÷ | %s |\n", strings.Join(titles, " | "))
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---:|", len(cols)))
	for _, peer := range sideOrder() {
		cells := make([]string, len(cols))
		seen := false
		for i, col := range cols {
			c := comparison{col.workload, col.vtsim, peer}
			xs := ratios[c]
			if col.rss {
				xs = rp.rssRate[c]
			}
			if len(xs) == 0 {
				cells[i] = "–"
				continue
			}
			seen = true
			cells[i] = fmtRatio(median(xs))
			if len(xs) > 1 {
				cells[i] += fmt.Sprintf(" (%s–%s)", fmtRatio(slices.Min(xs)), fmtRatio(slices.Max(xs)))
			}
		}
		if seen {
			fmt.Fprintf(w, "| %s | %s |\n", rp.sideLabel(peer), strings.Join(cells, " | "))
		}
	}
}
