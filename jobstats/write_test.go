package jobstats

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"path/filepath"
	"testing"

	"github.com/vtsim/vtsim/internal/golden"
)

// update rewrites the golden files under testdata/ with the current output:
// go test ./jobstats -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func handComparison(t *testing.T) Comparison {
	t.Helper()
	c, err := Compare(handTable(), CompareOptions{Metrics: []string{MetricResponseMean, MetricThroughput}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWritersGolden(t *testing.T) {
	c := handComparison(t)
	cases := []struct {
		file  string
		write func(io.Writer) error
	}{
		{"comparison.txt", func(w io.Writer) error { return WriteText(w, c) }},
		{"comparison.md", func(w io.Writer) error { return WriteMarkdown(w, c) }},
		{"comparison.csv", func(w io.Writer) error { return WriteCSV(w, c) }},
		{"comparison.json", func(w io.Writer) error { return WriteJSON(w, c, "v0.0.0-test") }},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.file, b.Bytes())
		})
	}
}

// TestWriteJSONFields decodes the JSON and checks the documented fields:
// the baseline's versus and an empty bin's mean are null.
func TestWriteJSONFields(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, handComparison(t), "v1"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format  string `json:"format"`
		Seed    string `json:"seed"`
		RankBy  string `json:"rank_by"`
		Metrics []struct {
			Name     string           `json:"name"`
			Policies []map[string]any `json:"policies"`
		} `json:"metrics"`
		SizeBins []struct {
			Policy string           `json:"policy"`
			Bins   []map[string]any `json:"bins"`
		} `json:"size_bins"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != JSONFormat || doc.Seed != "42" || doc.RankBy != "response.mean" {
		t.Errorf("header %q %q %q", doc.Format, doc.Seed, doc.RankBy)
	}
	base := doc.Metrics[0].Policies[1]
	if v, ok := base["versus"]; !ok || v != nil || base["policy"] != "fcfs" || base["baseline"] != true {
		t.Errorf("baseline row %v, want versus null", base)
	}
	srpt := doc.Metrics[0].Policies[0]["versus"].(map[string]any)
	if srpt["diff"] != -3.0 || srpt["significant"] != true {
		t.Errorf("srpt versus %v", srpt)
	}
	bins := doc.SizeBins[0].Bins
	if v, ok := bins[1]["mean_slowdown"]; !ok || v != nil || bins[0]["mean_slowdown"] != 1.5 {
		t.Errorf("bins %v, want the empty bin's mean null", bins)
	}
}
