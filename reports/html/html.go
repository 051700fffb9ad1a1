// Package html writes a self-contained HTML report of vtsim experiments,
// with SVG charts drawn by gonum.org/v1/plot and written inline, so that the
// file needs nothing else to open in a browser (text uses the Liberation
// font names of gonum/plot; a browser without them falls back to its own
// fonts).
//
// It is a sub-package of reports so that importing reports, which the
// simulation packages do, never pulls in plotting.
//
// A [Report] holds a table of a [reports.Result], tables of text cells
// ([reports.Table]) and four kinds of charts: a [Histogram] of a metric's
// replication values, [Intervals] (the confidence interval of a metric in
// several configurations), a [Level] over virtual time (a step series, such
// as a queue length) and [Lines] (several named curves on shared axes, such
// as response-time distributions or a mean by job size). [Write] renders
// it. The same Report gives the same bytes every time: nothing depends on the
// clock, on map order or on the machine.
//
// # Errors
//
// Write returns an error for a chart it cannot draw (a histogram of no
// values or of NaN or infinite values, no configurations, a level series
// whose times go backwards, a curve with no points or, on a logarithmic
// axis, a point at or below 0) and the first error of the io.Writer. To write
// a file atomically, call Write inside [reports.WriteFileAtomic].
package html

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/vtsim/vtsim/reports"
)

// ChartWidth and ChartHeight are the size of every chart.
const (
	ChartWidth  = 6 * vg.Inch
	ChartHeight = 3.5 * vg.Inch
)

// DefaultBins is the number of bins of a Histogram whose Bins is zero.
const DefaultBins = 20

// Sentinel errors of the package, checked with errors.Is.
var (
	// ErrNoData reports a chart with nothing to draw.
	ErrNoData = errors.New("html: chart has no data")
	// ErrNotFinite reports a NaN or infinite value where a finite one is
	// needed.
	ErrNotFinite = errors.New("html: value is NaN or infinite")
	// ErrTimeBackwards reports a step series whose times decrease.
	ErrTimeBackwards = errors.New("html: step times must not decrease")
	// ErrLogScale reports a value at or below 0 on a logarithmic axis.
	ErrLogScale = errors.New("html: values on a logarithmic axis must be positive")
)

// Report is the content of an HTML report. Every field is optional; the
// Result table comes first, then the Tables, then the charts in the order
// Histograms, Intervals, Levels, Lines.
type Report struct {
	// Title is the title of the page.
	Title string
	// Version is the vtsim version, shown in the footer.
	Version string
	// Result, if not nil, is shown as a table with its seed, number of
	// replications and level.
	Result *reports.Result
	// Tables are more tables, each with its caption.
	Tables []reports.Table
	// Histograms, Intervals, Levels and Lines are the charts.
	Histograms []Histogram
	Intervals  []Intervals
	Levels     []Level
	Lines      []Lines
}

// Histogram is a histogram of values, typically a metric's value in each
// replication ([reports.Metric].Values).
type Histogram struct {
	// Title is the chart's title and XLabel the label of its value axis.
	Title, XLabel string
	// Values are the values counted; they must be finite and not empty.
	Values []float64
	// Bins is the number of bins of equal width from the smallest to the
	// largest value; 0 means DefaultBins.
	Bins int
}

// Interval is the confidence interval of one configuration.
type Interval struct {
	// Name is the configuration's name, shown on the horizontal axis.
	Name string
	// Summary gives the mean (a point) and the interval [Low, High] (an
	// error bar). An interval that is not finite (one replication) is drawn
	// as the point alone.
	Summary reports.Summary
}

// Intervals is a chart of the confidence intervals of a metric in several
// configurations, side by side in the order given.
type Intervals struct {
	// Title is the chart's title and YLabel the label of the metric axis.
	Title, YLabel string
	// Configs are the configurations; there must be at least one, each with
	// a finite mean.
	Configs []Interval
}

// Step is a change of a level at a virtual time: the level holds from At
// until the next step.
type Step struct {
	At    time.Duration
	Level float64
}

// Level is a chart of a level over virtual time, drawn as a step function,
// with time in seconds on the horizontal axis.
type Level struct {
	// Title is the chart's title and YLabel the label of the level axis.
	Title, YLabel string
	// Steps are the changes, in order of non-decreasing At, with finite
	// levels; there must be at least one.
	Steps []Step
	// End is the time up to which the last level is drawn; if it is not
	// after the last step, the chart ends at the last step.
	End time.Duration
}

// Point is a point of a [Series].
type Point struct{ X, Y float64 }

// Series is one named curve of a [Lines] chart, its points joined in the
// order given. A gap in the data (an empty bin) is best left out: the curve
// then has no marker there.
type Series struct {
	Name   string
	Points []Point
}

// Lines is a chart of several curves on shared axes, each in its own colour
// and named in a legend, in the order given.
type Lines struct {
	// Title is the chart's title; XLabel and YLabel label the axes.
	Title, XLabel, YLabel string
	// LogX and LogY make an axis logarithmic; every value on it must then
	// be positive.
	LogX, LogY bool
	// Markers draws a marker at every point, for curves through a few
	// points (one per bin) rather than many (a distribution function).
	Markers bool
	// Series are the curves; there must be at least one, and each must
	// have at least one point, with finite coordinates.
	Series []Series
}

// chart is a drawn chart: its title and its SVG element.
type chart struct {
	Title string
	SVG   template.HTML
}

// metricRow is a line of the Result table, numbers formatted.
type metricRow struct {
	Name                                             string
	N                                                int
	Mean, StdDev, Low, High, HalfWidth, RelHalfWidth string
}

// table is a reports.Table for the template: each cell knows whether it
// holds a name or a number.
type table struct {
	Caption string
	Header  []string
	Rows    [][]cell
}

type cell struct {
	Text string
	Num  bool
}

// page is the data of the template.
type page struct {
	Title, Version string
	Caption        string
	Metrics        []metricRow
	Tables         []table
	Charts         []chart
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; }
footer { margin-top: 2em; color: #777; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{- if .Metrics}}
<p>{{.Caption}}</p>
<table>
<thead><tr><th>metric</th><th>n</th><th>mean</th><th>std dev</th><th>ci low</th><th>ci high</th><th>half-width</th><th>rel half-width</th></tr></thead>
<tbody>
{{- range .Metrics}}
<tr><td>{{.Name}}</td><td class="num">{{.N}}</td><td class="num">{{.Mean}}</td><td class="num">{{.StdDev}}</td><td class="num">{{.Low}}</td><td class="num">{{.High}}</td><td class="num">{{.HalfWidth}}</td><td class="num">{{.RelHalfWidth}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Tables}}
{{- if .Caption}}
<p>{{.Caption}}</p>
{{- end}}
<table>
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}{{if .Num}}<td class="num">{{.Text}}</td>{{else}}<td>{{.Text}}</td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Charts}}
<figure>
<figcaption>{{.Title}}</figcaption>
{{.SVG}}
</figure>
{{- end}}
<footer>vtsim {{.Version}}</footer>
</body>
</html>
`))

// Write renders r as a self-contained HTML page into w. Charts are drawn
// in the order of r's fields and slices; see the package documentation for
// the errors.
func Write(w io.Writer, r Report) error {
	p := page{Title: r.Title, Version: r.Version}
	if p.Title == "" {
		p.Title = "vtsim report"
	}
	if res := r.Result; res != nil {
		p.Caption = fmt.Sprintf("seed %d, %d replications, %s%% confidence",
			res.Seed, res.Replications, num(100*res.Level))
		for _, m := range res.Metrics {
			s := m.Summary
			p.Metrics = append(p.Metrics, metricRow{Name: m.Name, N: s.N, Mean: num(s.Mean),
				StdDev: num(s.StdDev), Low: num(s.Low), High: num(s.High),
				HalfWidth: num(s.HalfWidth), RelHalfWidth: num(s.RelHalfWidth)})
		}
	}
	for _, t := range r.Tables {
		p.Tables = append(p.Tables, htmlTable(t))
	}
	add := func(title string, plt *plot.Plot, err error) error {
		if err != nil {
			return fmt.Errorf("html: chart %q: %w", title, err)
		}
		svg, err := renderSVG(plt)
		if err != nil {
			return fmt.Errorf("html: chart %q: %w", title, err)
		}
		p.Charts = append(p.Charts, chart{Title: title, SVG: svg})
		return nil
	}
	for _, h := range r.Histograms {
		plt, err := histogramPlot(h)
		if err := add(h.Title, plt, err); err != nil {
			return err
		}
	}
	for _, iv := range r.Intervals {
		plt, err := intervalsPlot(iv)
		if err := add(iv.Title, plt, err); err != nil {
			return err
		}
	}
	for _, l := range r.Levels {
		plt, err := levelPlot(l)
		if err := add(l.Title, plt, err); err != nil {
			return err
		}
	}
	for _, l := range r.Lines {
		plt, err := linesPlot(l)
		if err := add(l.Title, plt, err); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// num formats a number for the table as the text writers of reports do.
func num(x float64) string { return strconv.FormatFloat(x, 'g', reports.TextDigits, 64) }

// renderSVG draws plt on an SVG canvas and returns the <svg> element alone,
// without the XML declaration, ready to be written inline in HTML. The SVG
// is generated here, with its text escaped by svgo, so it is trusted.
func renderSVG(plt *plot.Plot) (template.HTML, error) {
	c := vgsvg.New(ChartWidth, ChartHeight)
	plt.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", errors.New("html: no <svg> element in the output of vgsvg")
	}
	return template.HTML(strings.TrimSpace(s[i:])), nil
}

func checkFinite(xs ...float64) error {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %v", ErrNotFinite, x)
		}
	}
	return nil
}

func histogramPlot(h Histogram) (*plot.Plot, error) {
	if len(h.Values) == 0 {
		return nil, ErrNoData
	}
	if err := checkFinite(h.Values...); err != nil {
		return nil, err
	}
	bins := h.Bins
	if bins <= 0 {
		bins = DefaultBins
	}
	hist, err := plotter.NewHist(plotter.Values(h.Values), bins)
	if err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = h.Title
	p.X.Label.Text = h.XLabel
	p.Y.Label.Text = "count"
	p.Add(hist)
	return p, nil
}

// errorPoints are the means and the half-widths of the intervals.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}

func intervalsPlot(iv Intervals) (*plot.Plot, error) {
	if len(iv.Configs) == 0 {
		return nil, ErrNoData
	}
	pts := errorPoints{XYs: make(plotter.XYs, len(iv.Configs)), YErrors: make(plotter.YErrors, len(iv.Configs))}
	names := make([]string, len(iv.Configs))
	for i, c := range iv.Configs {
		s := c.Summary
		if err := checkFinite(s.Mean); err != nil {
			return nil, fmt.Errorf("configuration %q: %w", c.Name, err)
		}
		names[i] = c.Name
		pts.XYs[i] = plotter.XY{X: float64(i), Y: s.Mean}
		if checkFinite(s.Low, s.High) == nil {
			pts.YErrors[i] = struct{ Low, High float64 }{s.Mean - s.Low, s.High - s.Mean}
		}
	}
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return nil, err
	}
	bars.CapWidth = vg.Points(8)
	points, err := plotter.NewScatter(pts.XYs)
	if err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = iv.Title
	p.Y.Label.Text = iv.YLabel
	p.Add(bars, points)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	return p, nil
}

func levelPlot(l Level) (*plot.Plot, error) {
	if len(l.Steps) == 0 {
		return nil, ErrNoData
	}
	xys := make(plotter.XYs, 0, len(l.Steps)+1)
	for i, s := range l.Steps {
		if err := checkFinite(s.Level); err != nil {
			return nil, err
		}
		if i > 0 && s.At < l.Steps[i-1].At {
			return nil, fmt.Errorf("%w: %v after %v", ErrTimeBackwards, s.At, l.Steps[i-1].At)
		}
		xys = append(xys, plotter.XY{X: s.At.Seconds(), Y: s.Level})
	}
	last := l.Steps[len(l.Steps)-1]
	if l.End > last.At {
		xys = append(xys, plotter.XY{X: l.End.Seconds(), Y: last.Level})
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	// PostStep holds each level until the next point, then jumps.
	line.StepStyle = plotter.PostStep
	p := plot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = l.YLabel
	p.Add(line)
	return p, nil
}

// htmlTable marks the cells of t after its name columns as numbers.
func htmlTable(t reports.Table) table {
	out := table{Caption: t.Caption, Header: t.Header, Rows: make([][]cell, len(t.Rows))}
	for i, row := range t.Rows {
		out.Rows[i] = make([]cell, len(row))
		for j, c := range row {
			out.Rows[i][j] = cell{Text: c, Num: j >= t.NameCols}
		}
	}
	return out
}

func linesPlot(l Lines) (*plot.Plot, error) {
	if len(l.Series) == 0 {
		return nil, ErrNoData
	}
	p := plot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = l.XLabel
	p.Y.Label.Text = l.YLabel
	for i, s := range l.Series {
		if len(s.Points) == 0 {
			return nil, fmt.Errorf("series %q: %w", s.Name, ErrNoData)
		}
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			if err := checkFinite(pt.X, pt.Y); err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			if (l.LogX && pt.X <= 0) || (l.LogY && pt.Y <= 0) {
				return nil, fmt.Errorf("series %q: %w: point (%v, %v)", s.Name, ErrLogScale, pt.X, pt.Y)
			}
			xys[j] = plotter.XY{X: pt.X, Y: pt.Y}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		line.Color = plotutil.Color(i)
		line.Dashes = plotutil.Dashes(i)
		p.Add(line)
		if l.Markers {
			marks, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, err
			}
			marks.Color = plotutil.Color(i)
			marks.Shape = plotutil.Shape(i)
			p.Add(marks)
			p.Legend.Add(s.Name, line, marks)
		} else {
			p.Legend.Add(s.Name, line)
		}
	}
	if l.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if l.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	p.Legend.Top = true
	return p, nil
}
