package jobhtml_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/jobstats/jobhtml"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/workload"
)

// queue is a tiny model: 200 jobs at one server, first come first served,
// inter-arrival times and sizes in whole milliseconds from the replication's
// stream; the policy names the server's speed.
func queue(policy string, rep reports.Replication, acc *jobstats.Accumulator) error {
	rate := map[string]float64{"slow": 1, "fast": 2}[policy]
	rng := rand.New(rand.NewPCG(rep.Seed, 3))
	var now, free time.Duration
	for id := range int64(200) {
		now += time.Duration(1+rng.IntN(2000)) * time.Millisecond
		size := time.Duration(1+rng.IntN(1500)) * time.Millisecond
		start := max(now, free)
		free = start + time.Duration(float64(size)/rate)
		acc.Add(workload.Record{Job: workload.Job{ID: id, Arrival: now, Size: size}, Start: start, Finish: free})
	}
	return nil
}

// compare runs both policies over four replications and compares them.
func compare(opts jobstats.CompareOptions) (jobstats.Comparison, error) {
	exp := reports.Experiment{Replications: 4, Seed: 9, Workers: 1}
	tab, err := jobstats.Run(context.Background(), exp, jobstats.Config{}, []string{"slow", "fast"}, queue)
	if err != nil {
		return jobstats.Comparison{}, err
	}
	return jobstats.Compare(tab, opts)
}

func comparison(t *testing.T, opts jobstats.CompareOptions) jobstats.Comparison {
	t.Helper()
	c, err := compare(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// svgs returns the <svg>...</svg> elements of page.
func svgs(page string) []string {
	var out []string
	for {
		i := strings.Index(page, "<svg")
		j := strings.Index(page, "</svg>")
		if i < 0 || j < i {
			return out
		}
		out = append(out, page[i:j+len("</svg>")])
		page = page[j+len("</svg>"):]
	}
}

// TestWriteCharts checks that each chart is in the page, captioned and
// with an SVG that has drawn something, and that the table is there.
func TestWriteCharts(t *testing.T) {
	var b bytes.Buffer
	if err := jobhtml.Write(&b, comparison(t, jobstats.CompareOptions{}), "v0.0.0-test"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	titles := []string{jobhtml.TitleMeanResponse, jobhtml.TitleP99Response, jobhtml.TitleCDF, jobhtml.TitleSizeBins}
	charts := svgs(page)
	if len(charts) != len(titles) {
		t.Fatalf("%d charts, want %d", len(charts), len(titles))
	}
	for i, title := range titles {
		if !strings.Contains(page, "<figcaption>"+title+"</figcaption>") {
			t.Errorf("no caption %q", title)
		}
		if svg := charts[i]; !strings.Contains(svg, title) || !strings.Contains(svg, "<path") || len(svg) < 2000 {
			t.Errorf("chart %q: %d bytes, title present %v, paths present %v", title, len(svg),
				strings.Contains(svg, title), strings.Contains(svg, "<path"))
		}
	}
	for _, want := range []string{"<td>response.mean</td><td>fast</td>", "ranked by response.mean", "vtsim v0.0.0-test",
		"response time (s)", "job size (s)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page has no %q", want)
		}
	}
}

// TestReportLeavesOut checks that charts whose data the comparison lacks
// are left out.
func TestReportLeavesOut(t *testing.T) {
	c := comparison(t, jobstats.CompareOptions{Metrics: []string{jobstats.MetricResponseP99}})
	for i := range c.Curves {
		c.Curves[i].CDF = nil
	}
	r := jobhtml.Report(c)
	if len(r.Intervals) != 1 || r.Intervals[0].Title != jobhtml.TitleP99Response || len(r.Lines) != 1 ||
		r.Lines[0].Title != jobhtml.TitleSizeBins || len(r.Tables) != 1 {
		t.Errorf("report has %d interval charts, %d line charts, %d tables", len(r.Intervals), len(r.Lines), len(r.Tables))
	}
}

func ExampleWrite() {
	c, err := compare(jobstats.CompareOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer // or a file, with reports.WriteFileAtomic
	if err := jobhtml.Write(&b, c, "v0.1.0"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(b.String(), "<svg"), "charts")
	// Output: 4 charts
}

func ExampleReport() {
	c, err := compare(jobstats.CompareOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := jobhtml.Report(c)
	r.Title = "FCFS at two speeds"
	fmt.Println(len(r.Tables), "table,", len(r.Intervals), "interval charts,", len(r.Lines), "line charts")
	// Output: 1 table, 2 interval charts, 2 line charts
}
