package html_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/reports/html"
)

func ExampleWrite() {
	waits := []float64{1.8, 2.1, 1.9, 2.4, 2.0}
	s, err := reports.Summarize(waits, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := html.Report{
		Title:      "M/M/1",
		Histograms: []html.Histogram{{Title: "Wait per replication", XLabel: "wait", Values: waits}},
		Intervals:  []html.Intervals{{Title: "Mean wait", Configs: []html.Interval{{Name: "fifo", Summary: s}}}},
		Levels: []html.Level{{Title: "Queue length", Steps: []html.Step{
			{At: 0, Level: 0}, {At: time.Second, Level: 1}, {At: 2 * time.Second, Level: 0}}}},
		Lines: []html.Lines{{Title: "Response time distribution", XLabel: "response", YLabel: "fraction",
			Series: []html.Series{{Name: "fifo", Points: []html.Point{{X: 0.5, Y: 0.5}, {X: 2, Y: 1}}}}}},
	}
	var b bytes.Buffer // or a file, with reports.WriteFileAtomic
	if err := html.Write(&b, r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(b.String(), "<svg"), "charts")
	// Output: 4 charts
}
