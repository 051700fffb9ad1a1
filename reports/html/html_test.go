package html

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/reports"
)

// sampleReport has a table and one chart of each kind, with titles that
// need escaping.
func sampleReport() Report {
	waits := []float64{1.8, 2.1, 1.9, 2.4, 2.0, 2.2, 1.7, 2.6, 2.05, 1.95}
	s, err := reports.Summarize(waits, 0.95)
	if err != nil {
		panic(err)
	}
	res := reports.Result{Seed: 42, Replications: len(waits), Level: 0.95,
		Metrics: []reports.Metric{{Name: "wait <ms>", Values: waits, Summary: s}}}
	one := reports.Summary{N: 1, Mean: 3, StdDev: math.NaN(), Level: 0.95,
		HalfWidth: math.Inf(1), Low: math.Inf(-1), High: math.Inf(1), RelHalfWidth: math.Inf(1)}
	return Report{
		Title:   "M/M/1 & friends",
		Version: "v0.0.0-test",
		Result:  &res,
		Histograms: []Histogram{{Title: "Histogram of wait <per replication>", XLabel: "wait",
			Values: waits, Bins: 5}},
		Intervals: []Intervals{{Title: "Mean wait by policy", YLabel: "wait",
			Configs: []Interval{{Name: "fifo", Summary: s}, {Name: "lifo & co", Summary: one}}}},
		Levels: []Level{{Title: "Queue length over time", YLabel: "customers",
			Steps: []Step{{0, 0}, {time.Second, 1}, {1500 * time.Millisecond, 2},
				{1500 * time.Millisecond, 1}, {3 * time.Second, 0}},
			End: 4 * time.Second}},
		Tables: []reports.Table{{Caption: "ranks <by mean>", Header: []string{"policy", "mean"}, NameCols: 1,
			Rows: [][]string{{"srpt & co", "1.5"}}}},
		Lines: []Lines{{Title: "Response time CDF", XLabel: "response", YLabel: "fraction", LogX: true,
			Series: []Series{{Name: "fcfs", Points: []Point{{0.5, 0.1}, {1, 0.5}, {4, 1}}},
				{Name: "srpt", Points: []Point{{0.25, 0.2}, {2, 1}}}}},
			{Title: "Slowdown by size", Markers: true, LogY: true,
				Series: []Series{{Name: "ps", Points: []Point{{1, 1}, {3, 2}}}}}},
	}
}

func render(t *testing.T, r Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// svgElements returns each <svg>...</svg> element of page.
func svgElements(page string) []string {
	var out []string
	for {
		i := strings.Index(page, "<svg")
		if i < 0 {
			return out
		}
		j := strings.Index(page[i:], "</svg>")
		if j < 0 {
			return append(out, page[i:]) // unterminated: the decoder will fail
		}
		out = append(out, page[i:i+j+len("</svg>")])
		page = page[i+j+len("</svg>"):]
	}
}

// TestWriteSVGIsXML decodes every embedded SVG element to its end as XML and
// checks that each chart's title is in the page and in its SVG.
func TestWriteSVGIsXML(t *testing.T) {
	page := string(render(t, sampleReport()))
	svgs := svgElements(page)
	if len(svgs) != 5 {
		t.Fatalf("%d <svg> elements, want 5", len(svgs))
	}
	titles := []string{"Histogram of wait &lt;per replication&gt;", "Mean wait by policy", "Queue length over time",
		"Response time CDF", "Slowdown by size"}
	for i, svg := range svgs {
		d := xml.NewDecoder(strings.NewReader(svg))
		depth, root := 0, ""
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("svg %d: %v\n%s", i, err, svg)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					root = tok.Name.Local
				}
				depth++
			case xml.EndElement:
				depth--
			}
		}
		if root != "svg" || depth != 0 {
			t.Errorf("svg %d: root %q, depth %d at the end", i, root, depth)
		}
		if !strings.Contains(svg, titles[i]) {
			t.Errorf("svg %d does not contain its title %q", i, titles[i])
		}
		if !strings.Contains(page, "<figcaption>"+titles[i]+"</figcaption>") {
			t.Errorf("page has no caption %q", titles[i])
		}
	}
	for _, want := range []string{"<title>M/M/1 &amp; friends</title>", "<td>wait &lt;ms&gt;</td>",
		"seed 42, 10 replications, 95% confidence", "vtsim v0.0.0-test", "lifo &amp; co",
		"<p>ranks &lt;by mean&gt;</p>", "<tr><td>srpt &amp; co</td><td class=\"num\">1.5</td></tr>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not contain %q", want)
		}
	}
}

// TestWriteDeterministic checks that the same report gives the same bytes.
func TestWriteDeterministic(t *testing.T) {
	a, b := render(t, sampleReport()), render(t, sampleReport())
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same report differ")
	}
}

func TestWriteEmpty(t *testing.T) {
	page := string(render(t, Report{}))
	if !strings.Contains(page, "<title>vtsim report</title>") || strings.Contains(page, "<svg") ||
		strings.Contains(page, "<table>") {
		t.Errorf("empty report:\n%s", page)
	}
}

func TestWriteErrors(t *testing.T) {
	cases := []struct {
		name string
		r    Report
		want error
	}{
		{"empty histogram", Report{Histograms: []Histogram{{Title: "h"}}}, ErrNoData},
		{"NaN histogram", Report{Histograms: []Histogram{{Values: []float64{1, math.NaN()}}}}, ErrNotFinite},
		{"no configurations", Report{Intervals: []Intervals{{}}}, ErrNoData},
		{"infinite mean", Report{Intervals: []Intervals{{Configs: []Interval{{Summary: reports.Summary{Mean: math.Inf(1)}}}}}}, ErrNotFinite},
		{"no steps", Report{Levels: []Level{{}}}, ErrNoData},
		{"time backwards", Report{Levels: []Level{{Steps: []Step{{2, 0}, {1, 1}}}}}, ErrTimeBackwards},
		{"NaN level", Report{Levels: []Level{{Steps: []Step{{0, math.NaN()}}}}}, ErrNotFinite},
		{"no series", Report{Lines: []Lines{{}}}, ErrNoData},
		{"empty series", Report{Lines: []Lines{{Series: []Series{{Name: "a"}}}}}, ErrNoData},
		{"NaN point", Report{Lines: []Lines{{Series: []Series{{Points: []Point{{1, math.NaN()}}}}}}}, ErrNotFinite},
		{"log of 0", Report{Lines: []Lines{{LogX: true, Series: []Series{{Points: []Point{{0, 1}}}}}}}, ErrLogScale},
		{"log of negative", Report{Lines: []Lines{{LogY: true, Series: []Series{{Points: []Point{{1, -1}}}}}}}, ErrLogScale},
	}
	for _, c := range cases {
		if err := Write(io.Discard, c.r); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// TestWriteAtomicFile writes a report through reports.WriteFileAtomic.
func TestWriteAtomicFile(t *testing.T) {
	path := t.TempDir() + "/report.html"
	r := sampleReport()
	if err := reports.WriteFileAtomic(path, func(w io.Writer) error { return Write(w, r) }); err != nil {
		t.Fatal(err)
	}
}
