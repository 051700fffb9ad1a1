// Package jobhtml writes a comparison of scheduling policies
// ([jobstats.Comparison]) as a self-contained HTML page through reports/html:
// the comparison table, the mean and the p99 response time of each policy
// with their confidence intervals, the response-time distribution of each
// policy in replication 0, and the mean slowdown by job size (the fairness
// plot, on a logarithmic size axis, an empty bin left out of its curve). It is
// a sub-package so that importing jobstats pulls in no plotting.
//
// [Report] builds the html.Report, which the caller may extend; [Write]
// renders it. Both take O(p·(m + k)) time for p policies, m metrics and k
// points per curve. A chart whose data is not in the comparison (a metric
// left out by CompareOptions.Metrics, no distributions) is left out. Write
// returns the errors of html.Write; nothing panics.
package jobhtml

import (
	"io"
	"math"
	"time"

	"github.com/vtsim/vtsim/jobstats"
	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/reports/html"
)

// Chart titles, which tests and readers can find in the page.
const (
	TitleMeanResponse = "Mean response time by policy"
	TitleP99Response  = "p99 response time by policy"
	TitleCDF          = "Response time distribution (replication 0)"
	TitleSizeBins     = "Mean slowdown by job size"
)

// unitName is the short name of a unit of time for an axis label.
func unitName(u time.Duration) string {
	switch u {
	case time.Hour:
		return "h"
	case time.Minute:
		return "min"
	case time.Second:
		return "s"
	case time.Millisecond:
		return "ms"
	case time.Microsecond:
		return "µs"
	case time.Nanosecond:
		return "ns"
	}
	return "× " + u.String()
}

// Report returns the page of c, titled "Policy comparison" and with no
// version; set Title and Version on the result to change them.
func Report(c jobstats.Comparison) html.Report {
	unit := unitName(c.Config.Unit)
	r := html.Report{Title: "Policy comparison", Tables: []reports.Table{c.Table()}}
	for _, m := range []struct{ name, title string }{
		{jobstats.MetricResponseMean, TitleMeanResponse}, {jobstats.MetricResponseP99, TitleP99Response},
	} {
		for _, mc := range c.Metrics {
			if mc.Name != m.name {
				continue
			}
			iv := html.Intervals{Title: m.title, YLabel: m.name + " (" + unit + ")"}
			for _, p := range mc.Policies {
				iv.Configs = append(iv.Configs, html.Interval{Name: p.Policy, Summary: p.Summary})
			}
			r.Intervals = append(r.Intervals, iv)
		}
	}
	cdf := html.Lines{Title: TitleCDF, XLabel: "response time (" + unit + ")", YLabel: "fraction of jobs"}
	bins := html.Lines{Title: TitleSizeBins, XLabel: "job size (" + unit + ")", YLabel: "mean slowdown",
		LogX: true, Markers: true}
	for _, cv := range c.Curves {
		if len(cv.CDF) > 0 {
			s := html.Series{Name: cv.Policy, Points: make([]html.Point, len(cv.CDF))}
			for i, p := range cv.CDF {
				s.Points[i] = html.Point{X: p.Value, Y: p.Fraction}
			}
			cdf.Series = append(cdf.Series, s)
		}
		s := html.Series{Name: cv.Policy}
		for _, b := range cv.SizeBins {
			if m, ok := b.MeanSlowdown(); ok {
				// The geometric middle of the bin, the middle on a log axis.
				s.Points = append(s.Points, html.Point{X: math.Sqrt(b.Low * b.High), Y: m})
			}
		}
		if len(s.Points) > 0 {
			bins.Series = append(bins.Series, s)
		}
	}
	if len(cdf.Series) > 0 {
		r.Lines = append(r.Lines, cdf)
	}
	if len(bins.Series) > 0 {
		r.Lines = append(r.Lines, bins)
	}
	return r
}

// Write writes the page of c (see [Report]) with the vtsim version in its
// footer. To write a file atomically, call it inside
// reports.WriteFileAtomic.
func Write(w io.Writer, c jobstats.Comparison, version string) error {
	r := Report(c)
	r.Version = version
	return html.Write(w, r)
}
