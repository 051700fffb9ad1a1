package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/vtsim/vtsim/internal/golden"
)

// update rewrites the golden files under testdata/ with the current output:
// go test ./reports -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenResult is a Result built by hand: a usual metric, a metric with a
// "|" in its name and zero variance, and a metric of one replication whose
// standard deviation is NaN and whose interval is infinite.
func goldenResult() Result {
	return Result{
		Seed:         18446744073709551557, // above 2^53: must survive JSON
		Replications: 4,
		Level:        0.95,
		Metrics: []Metric{
			{Name: "constant|x", Values: []float64{2, 2, 2, 2},
				Summary: Summary{N: 4, Mean: 2, StdDev: 0, Level: 0.95, HalfWidth: 0, Low: 2, High: 2, RelHalfWidth: 0}},
			{Name: "single", Values: []float64{7.25},
				Summary: Summary{N: 1, Mean: 7.25, StdDev: math.NaN(), Level: 0.95,
					HalfWidth: math.Inf(1), Low: math.Inf(-1), High: math.Inf(1), RelHalfWidth: math.Inf(1)}},
			{Name: "wait", Values: []float64{1.5, 2.25, 1.75, 2.5},
				Summary: Summary{N: 4, Mean: 2, StdDev: 0.45643546458763845, Level: 0.95,
					HalfWidth: 0.7262943735053553, Low: 1.2737056264946447, High: 2.7262943735053553,
					RelHalfWidth: 0.36314718675267765}},
		},
	}
}

// goldenRows is a ranking built by hand.
func goldenRows() []Row {
	return []Row{
		{Rank: 1, Name: "sjf", Mean: 1.2, Versus: Comparison{Method: MethodPaired, NX: 10, NY: 10,
			MeanX: 1.2, MeanY: 2, Diff: -0.8, StdErr: 0.1, DF: 9, T: -8, P: 2.2e-05, Level: 0.95,
			HalfWidth: 0.22621571627982, Low: -1.02621571627982, High: -0.57378428372018}},
		{Rank: 2, Name: "lifo", Mean: 2.1, Versus: Comparison{Method: MethodPaired, NX: 10, NY: 10,
			MeanX: 2.1, MeanY: 2, Diff: 0.1, StdErr: 0.2, DF: 9, T: 0.5, P: 0.629, Level: 0.95,
			HalfWidth: 0.45243143255964, Low: -0.35243143255964, High: 0.55243143255964}},
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got, *update)
}

func TestWritersGolden(t *testing.T) {
	r, rows := goldenResult(), goldenRows()
	info := ComparisonInfo{Version: "v0.0.0-test", Seed: 7, Baseline: "fifo", Metric: "wait"}
	cases := []struct {
		file  string
		write func(io.Writer) error
	}{
		{"result.txt", func(w io.Writer) error { return WriteResultText(w, r) }},
		{"result.md", func(w io.Writer) error { return WriteResultMarkdown(w, r) }},
		{"result.csv", func(w io.Writer) error { return WriteResultCSV(w, r) }},
		{"result.json", func(w io.Writer) error { return WriteResultJSON(w, r, "v0.0.0-test") }},
		{"comparison.txt", func(w io.Writer) error { return WriteComparisonText(w, rows) }},
		{"comparison.md", func(w io.Writer) error { return WriteComparisonMarkdown(w, rows) }},
		{"comparison.csv", func(w io.Writer) error { return WriteComparisonCSV(w, rows) }},
		{"comparison.json", func(w io.Writer) error { return WriteComparisonJSON(w, rows, info) }},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.write(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.file, b.Bytes())
		})
	}
}

// TestWriteResultJSONFields decodes the JSON of the golden Result and checks
// the documented field names, the seed as a string and NaN/Inf as null.
func TestWriteResultJSONFields(t *testing.T) {
	var b bytes.Buffer
	if err := WriteResultJSON(&b, goldenResult(), "v1.2.3"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format       string `json:"format"`
		VtsimVersion string `json:"vtsim_version"`
		Seed         string `json:"seed"`
		Options      map[string]any
		Metrics      []map[string]any `json:"metrics"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != JSONFormatResult || doc.VtsimVersion != "v1.2.3" || doc.Seed != "18446744073709551557" {
		t.Errorf("header = %q %q %q", doc.Format, doc.VtsimVersion, doc.Seed)
	}
	if len(doc.Options) != 2 || doc.Options["level"] != 0.95 || doc.Options["replications"] != 4.0 {
		t.Errorf("options = %v, want level and replications only", doc.Options)
	}
	single := doc.Metrics[1]
	for _, k := range []string{"std_dev", "ci_low", "ci_high", "half_width", "rel_half_width"} {
		v, ok := single[k]
		if !ok || v != nil {
			t.Errorf("single[%q] = %v (present %v), want null", k, v, ok)
		}
	}
	if single["mean"] != 7.25 || single["n"] != 1.0 {
		t.Errorf("single = %v", single)
	}
}

// TestWriteResultJSONWorkers checks that an experiment run with 1, 2 and 8
// workers writes byte-identical JSON.
func TestWriteResultJSONWorkers(t *testing.T) {
	model := func(rep Replication) (Metrics, error) {
		rng := rand.New(rand.NewPCG(rep.Seed, 0))
		var sum float64
		for range 100 {
			sum += rng.ExpFloat64()
		}
		return Metrics{"mean": sum / 100, "max": rng.Float64()}, nil
	}
	var first []byte
	for _, workers := range []int{1, 2, 8} {
		res, err := Replicate(context.Background(), Experiment{Replications: 37, Seed: 99, Workers: workers}, model)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteResultJSON(&b, res, "test"); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b.Bytes()
			continue
		}
		if !bytes.Equal(first, b.Bytes()) {
			t.Errorf("JSON with %d workers differs from 1 worker:\n%s\nvs\n%s", workers, b.Bytes(), first)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		return WriteResultJSON(w, goldenResult(), "x")
	}); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	_ = WriteResultJSON(&want, goldenResult(), "x")
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("file = %q, %v", got, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v", fi.Mode(), err)
	}
	assertOnly(t, dir, "report.json")
}

// TestWriteFileAtomicFailure checks that a writer that fails half-way leaves
// no file, no temporary file, and an existing file unchanged.
func TestWriteFileAtomicFailure(t *testing.T) {
	boom := errors.New("boom")
	half := func(w io.Writer) error {
		if _, err := io.WriteString(w, "half a rep"); err != nil {
			return err
		}
		return boom
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "new.txt")
	err := WriteFileAtomic(path, half)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want boom with the path", err)
	}
	assertOnly(t, dir)

	old := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(old, half); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Errorf("old file = %q, want it unchanged", b)
	}
	assertOnly(t, dir, "old.txt")

	// A directory that does not exist: no temporary file can be made.
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x"), half); err == nil {
		t.Error("no error for a missing directory")
	}
}

// assertOnly fails the test unless dir holds exactly the names given.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

// failWriter fails every write after n bytes.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWritersReportErrors checks that every writer returns the error of its
// io.Writer.
func TestWritersReportErrors(t *testing.T) {
	r, rows := goldenResult(), goldenRows()
	writers := map[string]func(io.Writer) error{
		"result text":  func(w io.Writer) error { return WriteResultText(w, r) },
		"result md":    func(w io.Writer) error { return WriteResultMarkdown(w, r) },
		"result csv":   func(w io.Writer) error { return WriteResultCSV(w, r) },
		"result json":  func(w io.Writer) error { return WriteResultJSON(w, r, "") },
		"compare text": func(w io.Writer) error { return WriteComparisonText(w, rows) },
		"compare md":   func(w io.Writer) error { return WriteComparisonMarkdown(w, rows) },
		"compare csv":  func(w io.Writer) error { return WriteComparisonCSV(w, rows) },
		"compare json": func(w io.Writer) error { return WriteComparisonJSON(w, rows, ComparisonInfo{}) },
	}
	for name, write := range writers {
		if err := write(&failWriter{n: 10}); err == nil {
			t.Errorf("%s: no error from a failing writer", name)
		}
	}
}
