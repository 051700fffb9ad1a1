package workload

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with testdata/name, or rewrites the file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func TestReadSWFGolden(t *testing.T) {
	f, err := os.Open("testdata/small.swf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, header, err := ReadSWF(f, "small.swf")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "header (%d comments):\n", len(header))
	for _, c := range header {
		fmt.Fprintf(&b, "  %q: %q\n", c.Key, c.Value)
	}
	fmt.Fprintf(&b, "lines (%d):\n", len(lines))
	for _, l := range lines {
		fmt.Fprintf(&b, "  %+v\n", l)
	}
	jobs, skipped := SWFJobs(lines)
	fmt.Fprintf(&b, "jobs (%d), skipped %+v:\n", len(jobs), skipped)
	for _, j := range jobs {
		fmt.Fprintf(&b, "  %+v\n", j)
	}
	checkGolden(t, "small.swf.golden", b.Bytes())

	if v, ok := header.Get("MaxProcs"); !ok || v != "64" {
		t.Errorf(`Get("MaxProcs") = %q, %v; want "64", true`, v, ok)
	}
	if v, ok := header.Get("Queue"); !ok || v != "1 batch" {
		t.Errorf(`Get("Queue") = %q, %v; want the first, "1 batch"`, v, ok)
	}
	if _, ok := header.Get("MaxRuntime"); ok {
		t.Error(`Get("MaxRuntime") found a comment that is not there`)
	}
	if skipped != (SWFSkipped{NoSubmitTime: 1, NoRunTime: 1}) || skipped.Total() != 2 {
		t.Errorf("skipped %+v; want one of each", skipped)
	}
}

func TestReadCSVGolden(t *testing.T) {
	f, err := os.Open("testdata/trace.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	jobs, err := ReadCSV(f, "trace.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, j := range jobs {
		fmt.Fprintf(&b, "%+v\n", j)
	}
	checkGolden(t, "trace.csv.golden", b.Bytes())
}

// TestWriteBatsimJobsGolden serves the CSV trace first come, first
// served on one server, adds a parallel job with an estimate, and writes
// the records in Batsim's layout.
func TestWriteBatsimJobsGolden(t *testing.T) {
	f, err := os.Open("testdata/trace.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	jobs, err := ReadCSV(f, "trace.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	var recs []Record
	var free time.Duration
	for _, j := range jobs {
		start := max(free, j.Arrival)
		free = start + j.Size
		recs = append(recs, Record{Job: j, Start: start, Finish: free})
	}
	recs = append(recs, Record{
		Job:   Job{ID: 9, Arrival: 10 * time.Second, Size: 4 * time.Second, Estimate: 5 * time.Second, Procs: 4},
		Start: 12 * time.Second, Finish: 16 * time.Second, Server: 8, Preemptions: 1,
	}, Record{ // zero execution time: stretch inf
		Job: Job{ID: 10, Arrival: 20 * time.Second}, Start: 21 * time.Second, Finish: 21 * time.Second, Server: 1,
	}, Record{ // zero execution and turnaround time: stretch nan
		Job: Job{ID: 11, Arrival: 22 * time.Second}, Start: 22 * time.Second, Finish: 22 * time.Second,
	})
	var b bytes.Buffer
	if err := WriteBatsimJobs(&b, "w0", recs); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "batsim_jobs.csv", b.Bytes())

	b.Reset()
	if err := WriteBatsimJobs(&b, "a,b", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), strings.Join(batsimColumns, ",")+"\n"; got != want {
		t.Errorf("no records: %q; want the header %q", got, want)
	}
}

func TestWriteBatsimJobsError(t *testing.T) {
	recs := make([]Record, 1000)
	if err := WriteBatsimJobs(failWriter{}, "w0", recs); err == nil || err.Error() != "disk full" {
		t.Errorf("error %v; want disk full", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		unit     time.Duration
		want     string
		kind     error
	}{
		{"empty", "", 0, `workload: t.csv:1: field header: "": want a header naming the columns id, arrival and size`, ErrSyntax},
		{"unknown column", "id,arrival,size,colour\n", 0, `workload: t.csv:1: field header: "colour": want column names among id, arrival, size, estimate, class, deadline, weight, procs, each at most once`, ErrSyntax},
		{"duplicate column", "id,size,arrival,size\n", 0, `workload: t.csv:1: field header: "size": want column names among id, arrival, size, estimate, class, deadline, weight, procs, each at most once`, ErrSyntax},
		{"missing column", "# c\nid,arrival\n", 0, `workload: t.csv:2: field header: "id,arrival": want a header naming the columns id, arrival and size`, ErrSyntax},
		{"bad id", "id,arrival,size\n1,0,1\nx,0,1\n", 0, `workload: t.csv:3: field id: "x": want an integer`, ErrSyntax},
		{"negative size", "id,arrival,size\n1,0,-1\n", 0, `workload: t.csv:2: field size: "-1": want a decimal >= 0 (in units of 1s) that fits a time.Duration`, ErrRange},
		{"empty size", "id,arrival,size\n1,0,\n", 0, `workload: t.csv:2: field size: "": want a decimal >= 0 (in units of 1s) that fits a time.Duration`, ErrSyntax},
		{"hex arrival", "id,arrival,size\n1,0x10,1\n", time.Millisecond, `workload: t.csv:2: field arrival: "0x10": want a decimal >= 0 (in units of 1ms) that fits a time.Duration`, ErrSyntax},
		{"huge deadline", "id,arrival,size,deadline\n1,0,1,1e20\n", 0, `workload: t.csv:2: field deadline: "1e20": want a decimal >= 0 (in units of 1s) that fits a time.Duration`, ErrRange},
		{"negative class", "id,arrival,size,class\n1,0,1,-2\n", 0, `workload: t.csv:2: field class: "-2": want an integer >= 0`, ErrRange},
		{"NaN weight", "id,arrival,size,weight\n1,0,1,NaN\n", 0, `workload: t.csv:2: field weight: "NaN": want a finite decimal >= 0`, ErrRange},
		{"field count", "id,arrival,size\n1,0,1\n2,0\n", 0, `workload: t.csv:3: "wrong number of fields": want as many fields as the header`, ErrSyntax},
		{"bare quote", "id,arrival,size\n1,0,1\"\n", 0, `workload: t.csv:2: "bare \" in non-quoted-field": want CSV (RFC 4180) with quotes around a field only`, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), "t.csv", tt.unit)
			var pe *ParseError
			if !errors.As(err, &pe) || err.Error() != tt.want || !errors.Is(err, tt.kind) {
				t.Errorf("error %v\nwant  %s (%v)", err, tt.want, tt.kind)
			}
		})
	}
	// Without a file name the message says "line".
	_, err := ReadCSV(strings.NewReader("id,arrival,size\n1,0,x\n"), "", 0)
	if want := `workload: line 2: field size: "x": want a decimal >= 0 (in units of 1s) that fits a time.Duration`; err == nil || err.Error() != want {
		t.Errorf("error %v; want %s", err, want)
	}
}

func TestCSVReaderStopsAtError(t *testing.T) {
	r := NewCSVReader(strings.NewReader("id,arrival,size\n1,0,1\nx,0,1\n3,0,1\n"), "", 0)
	if j, err := r.Read(); err != nil || j.ID != 1 {
		t.Fatalf("Read() = %+v, %v", j, err)
	}
	_, err1 := r.Read()
	_, err2 := r.Read()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v, %v; want the same error twice", err1, err2)
	}
}

func TestParseTimeExact(t *testing.T) {
	tests := []struct {
		in   string
		unit time.Duration
		want time.Duration
	}{
		{"0.1", time.Second, 100 * time.Millisecond},
		{"123456789.123456789", time.Second, 123456789*time.Second + 123456789},
		{"1.0000000005", time.Second, time.Second + 1},   // half away from zero
		{"1.00000000049", time.Second, time.Second},      // below half
		{"-1.0000000005", time.Second, -time.Second - 1}, // half away from zero
		{"2.5e-3", time.Hour, 9 * time.Second},
		{".5", time.Minute, 30 * time.Second},
		{"5.", time.Millisecond, 5 * time.Millisecond},
		{"9223372036", time.Second, 9223372036 * time.Second},
		{"0.0000000001", time.Second, 1}, // a non-zero value is at least 1ns
		{"-1e-20", time.Second, -1},      // of its sign, on the exact path too
		{"0.000e5", time.Second, 0},      // zero stays zero
		{"-0.0000000000", time.Second, 0},
	}
	for _, tt := range tests {
		if got, err := parseTime(tt.in, tt.unit); err != nil || got != tt.want {
			t.Errorf("parseTime(%q, %v) = %v, %v; want %v", tt.in, tt.unit, got, err, tt.want)
		}
	}
	for _, in := range []string{"", ".", "-", "1e", "1e31", "1..2", "1/2", "0x1p3", "Inf", "1_000", " 1"} {
		if _, err := parseTime(in, time.Second); err != ErrSyntax {
			t.Errorf("parseTime(%q) error %v; want ErrSyntax", in, err)
		}
	}
	for _, in := range []string{"9223372037", "1e19", "-9223372037"} {
		if _, err := parseTime(in, time.Second); err != ErrRange {
			t.Errorf("parseTime(%q) error %v; want ErrRange", in, err)
		}
	}
}

// FuzzParseTime checks the fast path of parseTime against exact
// rational arithmetic.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"0.1", "123456789.123456789", "-1.0000000005", "9223372036.854775807", "18446744073.709551615", "5."} {
		f.Add(s, int64(time.Second))
	}
	f.Add("1.5", int64(time.Hour))
	f.Fuzz(func(t *testing.T, s string, unit int64) {
		if unit <= 0 || !decimalSyntax(s) {
			return
		}
		fast, ok := parseShortDecimal(s, time.Duration(unit))
		slow, err := parseLongDecimal(s, time.Duration(unit))
		if ok && (err != nil || fast != slow) {
			t.Fatalf("parseShortDecimal(%q, %d) = %d; exact: %d, %v", s, unit, fast, slow, err)
		}
	})
}

func TestFormatSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"}, {time.Second, "1"}, {1500 * time.Millisecond, "1.5"}, {1, "0.000000001"},
		{-1, "-0.000000001"}, {-90 * time.Second, "-90"},
		{time.Duration(-1 << 63), "-9223372036.854775808"},
	}
	for _, tt := range tests {
		if got := formatSeconds(tt.d); got != tt.want {
			t.Errorf("formatSeconds(%d) = %q; want %q", int64(tt.d), got, tt.want)
		}
		if back, err := parseTime(tt.want, time.Second); err != nil || back != tt.d {
			t.Errorf("parseTime(%q) = %v, %v; want %v back", tt.want, back, err, tt.d)
		}
	}
}

func TestReadSWFErrors(t *testing.T) {
	const ok = "1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1"
	tests := []struct {
		name, in string
		want     string
		kind     error
	}{
		{"17 fields", "; c\n1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1\n", `workload: s.swf:2: "1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1": want 18 fields separated by blanks`, ErrSyntax},
		{"19 fields", ok + " 7\n", `workload: s.swf:1: "` + ok + ` 7": want 18 fields separated by blanks`, ErrSyntax},
		{"text", ok + "\n1 0 0 ten 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n", `workload: s.swf:2: field run time: "ten": want -1 or an integer number of seconds >= 0 that fits a time.Duration`, ErrSyntax},
		{"decimal int", "1.5 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n", `workload: s.swf:1: field job number: "1.5": want -1 or an integer >= 0`, ErrSyntax},
		{"-2", "1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 -2 -1 -1 -1\n", `workload: s.swf:1: field queue: "-2": want -1 or an integer >= 0`, ErrRange},
		{"huge time", "1 9300000000 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n", `workload: s.swf:1: field submit time: "9300000000": want -1 or an integer number of seconds >= 0 that fits a time.Duration`, ErrRange},
		{"float memory", "1 0 0 10 1 -1 -0.5 1 20 -1 1 1 1 1 1 -1 -1 -1\n", `workload: s.swf:1: field used memory: "-0.5": want -1 or a decimal >= 0`, ErrRange},
		{"inf cpu", "1 0 0 10 1 Inf -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n", `workload: s.swf:1: field average CPU time: "Inf": want -1 or a decimal >= 0`, ErrSyntax},
		{"long line", ok + "\n" + strings.Repeat("1", 1<<20+1) + "\n", `workload: s.swf:2: "(a line of over 1 MiB)": want lines of at most 1 MiB`, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadSWF(strings.NewReader(tt.in), "s.swf")
			var pe *ParseError
			if !errors.As(err, &pe) || err.Error() != tt.want || !errors.Is(err, tt.kind) {
				t.Errorf("error %v\nwant  %s (%v)", err, tt.want, tt.kind)
			}
		})
	}
}

func TestSortJobs(t *testing.T) {
	jobs := []Job{{ID: 3, Arrival: 2}, {ID: 2, Arrival: 1}, {ID: 1, Arrival: 2}, {ID: 2, Arrival: 1, Size: 7}}
	SortJobs(jobs)
	want := []Job{{ID: 2, Arrival: 1}, {ID: 2, Arrival: 1, Size: 7}, {ID: 1, Arrival: 2}, {ID: 3, Arrival: 2}}
	if fmt.Sprint(jobs) != fmt.Sprint(want) {
		t.Errorf("SortJobs: %v; want %v", jobs, want)
	}
}

// checkParseError fails unless err is nil or a *ParseError wrapping
// ErrSyntax or ErrRange at a line within in.
func checkParseError(t *testing.T, in string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) {
		t.Fatalf("error %v wraps neither ErrSyntax nor ErrRange", err)
	}
	if lines := strings.Count(in, "\n") + 1; pe.Line < 1 || pe.Line > lines {
		t.Fatalf("error %v at line %d; the input has %d lines", err, pe.Line, lines)
	}
}

func FuzzReadSWF(f *testing.F) {
	seed, err := os.ReadFile("testdata/small.swf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("; MaxProcs: 4\n1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\n")
	f.Add("1 0 0 10 1 1.5e3 -1 1 20 -1 1 1 1 1 1 -1 -1 -1\r\n\n;x")
	f.Fuzz(func(t *testing.T, in string) {
		lines, _, err := ReadSWF(strings.NewReader(in), "f.swf")
		checkParseError(t, in, err)
		jobs, skipped := SWFJobs(lines)
		if len(jobs)+skipped.Total() != len(lines) {
			t.Fatalf("%d jobs + %d skipped != %d lines", len(jobs), skipped.Total(), len(lines))
		}
		for _, j := range jobs {
			if j.Arrival < 0 || j.Size < 0 || j.Estimate < 0 || j.Procs < 0 || j.Class < 0 {
				t.Fatalf("job %+v has a negative field", j)
			}
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/trace.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("id,arrival,size\n1,0,1\n")
	f.Add("size,id,arrival,procs,estimate\n\"1\",2,3.5e-2,,4\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		jobs, err := ReadCSV(strings.NewReader(in), "f.csv", time.Millisecond)
		checkParseError(t, in, err)
		for _, j := range jobs {
			if j.Arrival < 0 || j.Size < 0 || j.Estimate < 0 || j.Deadline < 0 || j.Class < 0 || j.Procs < 0 || !(j.Weight >= 0) {
				t.Fatalf("job %+v has a negative field", j)
			}
		}
	})
}
