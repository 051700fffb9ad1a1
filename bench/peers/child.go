package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every run of every side is a child process of the driver: the driver
// re-executes its own binary with -child (Go sides) or runs python3 on
// simpy_bench.py (SimPy sides), and reads one line from its output:
//
//	RESULT events=E seconds=S [cpu=C] [allocs=A] [wq=W]
//
// (S the wall time of the simulation, C the CPU time of the process
// meanwhile, A the heap objects it allocated, W mm1's mean wait in queue)
// and the child's peak resident set from its resource usage. Sides thus
// share no heap, and the figure of sleepers is the peak of that side
// alone.

//go:embed simpy_bench.py
var simpyScript string

// resultPrefix starts the line a child prints.
const resultPrefix = "RESULT "

// formatResult returns the line a child prints for r.
func formatResult(r result) string {
	s := fmt.Sprintf("%sevents=%d seconds=%.9f", resultPrefix, r.events, r.elapsed.Seconds())
	if r.cpu > 0 {
		s += fmt.Sprintf(" cpu=%.6f", r.cpu.Seconds())
	}
	if r.allocs >= 0 {
		s += fmt.Sprintf(" allocs=%d", r.allocs)
	}
	if !math.IsNaN(r.wq) {
		s += fmt.Sprintf(" wq=%.6f", r.wq)
	}
	return s
}

// parseResult reads the RESULT line of a child's output.
func parseResult(out []byte) (result, error) {
	r := result{span: span{allocs: -1}, wq: math.NaN()}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), resultPrefix)
		if !ok {
			continue
		}
		seen := 0
		for _, field := range strings.Fields(line) {
			k, v, _ := strings.Cut(field, "=")
			var err error
			switch k {
			case "events":
				r.events, err = strconv.Atoi(v)
				seen++
			case "seconds":
				var s float64
				s, err = strconv.ParseFloat(v, 64)
				r.elapsed = time.Duration(s * float64(time.Second))
				seen++
			case "cpu":
				var s float64
				s, err = strconv.ParseFloat(v, 64)
				r.cpu = time.Duration(s * float64(time.Second))
			case "allocs":
				r.allocs, err = strconv.ParseInt(v, 10, 64)
			case "wq":
				r.wq, err = strconv.ParseFloat(v, 64)
			}
			if err != nil {
				return r, fmt.Errorf("bad field %q: %v", field, err)
			}
		}
		if seen != 2 {
			return r, fmt.Errorf("incomplete result line %q", sc.Text())
		}
		return r, nil
	}
	return r, errors.New("no RESULT line in output")
}

// runChild is the child mode: it runs side name ("workload/side") of the
// Go sides once with p and prints its result line on w. A side that needs
// a *testing.T runs under testing.Main, which exits the process.
func runChild(w io.Writer, name string, p params) error {
	wl, sideName, _ := strings.Cut(name, "/")
	s, ok := goSides()[wl][sideName]
	if !ok {
		return fmt.Errorf("no Go side %q", name)
	}
	report := func(t *testing.T) error {
		r, err := s.run(t, p)
		if err == nil {
			err = r.check(wl, p)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		_, err = fmt.Fprintln(w, formatResult(r))
		return err
	}
	if !s.bubble {
		return report(nil)
	}
	os.Args = os.Args[:1] // testing.Main parses the command line
	testing.Main(
		func(string, string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "Peer", F: func(t *testing.T) {
			if err := report(t); err != nil {
				t.Fatal(err)
			}
		}}}, nil, nil)
	return nil // not reached: testing.Main exits
}

// runner runs sides as child processes.
type runner struct {
	exe    string // this binary, for the Go sides
	python string // python3, for the SimPy sides
}

// runTimeout bounds a child's run: the slowest side at the full sizes
// takes seconds.
const runTimeout = 5 * time.Minute

// goCommand returns the command that runs Go side name once with p.
func (rn runner) goCommand(ctx context.Context, name string, p params) *exec.Cmd {
	return exec.CommandContext(ctx, rn.exe, "-child", name,
		"-n", strconv.Itoa(p.n), "-pending", strconv.Itoa(p.pending))
}

// simpyCommand returns the command that runs simpy_bench.py with args.
func (rn runner) simpyCommand(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, rn.python, append([]string{"-"}, args...)...)
	cmd.Stdin = strings.NewReader(simpyScript)
	return cmd
}

// run runs side sideName of workload wl once with p in a child process and
// checks its count of events.
func (rn runner) run(wl, sideName string, p params) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if style, ok := simpySides(wl)[sideName]; ok {
		cmd = rn.simpyCommand(ctx, wl, style, strconv.Itoa(p.n), strconv.Itoa(p.pending))
	} else {
		cmd = rn.goCommand(ctx, wl+"/"+sideName, p)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%s/%s: %v\n%s%s", wl, sideName, err, out, stderr.Bytes())
	}
	r, err := parseResult(out)
	if err != nil {
		return r, fmt.Errorf("%s/%s: %v\n%s", wl, sideName, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	if err := r.check(wl, p); err != nil {
		return r, fmt.Errorf("%s/%s: %v", wl, sideName, err)
	}
	return r, nil
}

// simpyInfo is what the probe of simpy_bench.py found.
type simpyInfo struct {
	version, python string
	skip            string // why the SimPy sides do not run, if they do not
}

// probeSimPy asks simpy_bench.py for SimPy's and Python's versions.
func (rn runner) probeSimPy() simpyInfo {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := rn.simpyCommand(ctx, "probe").Output()
	if err != nil {
		return simpyInfo{skip: fmt.Sprintf("SKIP simpy: %s: %v", rn.python, err)}
	}
	line := strings.TrimSpace(string(out))
	rest, ok := strings.CutPrefix(line, "SIMPY ")
	if !ok {
		if line == "" {
			line = "SKIP simpy: the probe printed nothing"
		}
		return simpyInfo{skip: line}
	}
	var info simpyInfo
	for _, field := range strings.Fields(rest) {
		switch k, v, _ := strings.Cut(field, "="); k {
		case "version":
			info.version = v
		case "python":
			info.python = v
		}
	}
	return info
}
