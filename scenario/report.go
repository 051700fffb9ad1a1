package scenario

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/reports/html"
)

// JSONFormat is the value of the "format" field of the JSON report. Its
// version changes only when a field is renamed or removed or changes
// meaning.
const JSONFormat = "vtsim.scenario/v1"

// Formats returns the report formats, as --format names them, for
// [Report.Write].
func Formats() []string { return []string{"text", "md", "csv", "json", "html"} }

// Point is one parameter point of a report and its result.
type Point struct {
	Params Params
	Result reports.Result
}

// Report is the outcome of running a scenario at one or more parameter
// points, each with the same replications and seeds (common random
// numbers). It is written by [Report.Write] in the same bytes for the same
// results.
type Report struct {
	// Scenario is the scenario run.
	Scenario *Scenario
	// Seed and Reps are the root seed and the replications of every point.
	Seed uint64
	Reps int
	// Points are the parameter points, in order.
	Points []Point
	// Version is the version of the program, written in JSON and HTML.
	Version string
}

// Write writes r in format, one of "text", "md", "csv", "json" and "html".
// An unknown format gives a *UsageError.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return r.writeText(w)
	case "md":
		return r.writeMarkdown(w)
	case "csv":
		return r.writeCSV(w)
	case "json":
		return r.writeJSON(w)
	case "html":
		return r.writeHTML(w)
	}
	return usagef("--format %q: allowed: %s", format, strings.Join(Formats(), ", "))
}

// row is one metric of one point, ready to be written.
type row struct {
	def    Metric
	sum    reports.Summary
	values []float64
	theory float64
	hasTh  bool
}

// rows returns the metrics of pt in the scenario's order.
func (r *Report) rows(pt Point) []row {
	out := make([]row, 0, len(r.Scenario.Metrics))
	for _, def := range r.Scenario.Metrics {
		m, ok := pt.Result.Metric(def.Name)
		if !ok {
			continue
		}
		rw := row{def: def, sum: m.Summary, values: m.Values}
		if def.Theory != nil {
			rw.theory, rw.hasTh = def.Theory(pt.Params)
		}
		out = append(out, rw)
	}
	return out
}

// heading is the line naming the scenario and the point.
func (r *Report) heading(i int) string {
	h := fmt.Sprintf("%s: %s", r.Scenario.Name, r.Scenario.Summary)
	if len(r.Points) > 1 {
		h = fmt.Sprintf("%s (point %d of %d)", h, i+1, len(r.Points))
	}
	return h
}

// caption is the line with the seed, the replications and the level.
func caption(res reports.Result) string {
	return fmt.Sprintf("seed %d, %d replications, %s%% confidence", res.Seed, res.Replications, short(100*res.Level))
}

// short formats x to six significant digits.
func short(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// full formats x exactly.
func full(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// textHeader returns the columns of a text or Markdown table.
func textHeader() []string {
	return []string{"metric", "unit", "n", "mean", "ci low", "ci high", "half-width", "theory"}
}

// cells returns the text cells of rw.
func (rw row) cells() []string {
	th := "-"
	if rw.hasTh {
		th = short(rw.theory)
	}
	unit := rw.def.Unit
	if unit == "" {
		unit = "-"
	}
	s := rw.sum
	return []string{rw.def.Name, unit, strconv.Itoa(s.N), short(s.Mean), short(s.Low), short(s.High), short(s.HalfWidth), th}
}

// varying returns the indices of the parameters whose value differs
// between points, and the others as "name=value" pairs.
func (r *Report) varying() (vary []int, fixed string) {
	var b strings.Builder
	for i, d := range r.Scenario.Params {
		first := d.Format(r.Points[0].Params.vals[i])
		same := true
		for _, pt := range r.Points[1:] {
			same = same && d.Format(pt.Params.vals[i]) == first
		}
		if same {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(d.Name + "=" + first)
		} else {
			vary = append(vary, i)
		}
	}
	return vary, b.String()
}

// table returns the header and the cells of r's table: for one point the
// metrics, for several one row per point and metric, led by the point's
// number and the parameters that vary.
func (r *Report) table() (header []string, cells [][]string, vary []int) {
	if len(r.Points) == 1 {
		for _, rw := range r.rows(r.Points[0]) {
			cells = append(cells, rw.cells())
		}
		return textHeader(), cells, nil
	}
	vary, _ = r.varying()
	header = []string{"point"}
	for _, i := range vary {
		header = append(header, r.Scenario.Params[i].Name)
	}
	header = append(header, textHeader()...)
	for n, pt := range r.Points {
		lead := []string{strconv.Itoa(n + 1)}
		for _, i := range vary {
			lead = append(lead, r.Scenario.Params[i].Format(pt.Params.vals[i]))
		}
		for _, rw := range r.rows(pt) {
			cells = append(cells, append(append([]string(nil), lead...), rw.cells()...))
		}
	}
	return header, cells, vary
}

// preamble returns the lines above the table: the scenario, the
// parameters (those that do not vary) and the caption.
func (r *Report) preamble() []string {
	res := r.Points[0].Result
	if len(r.Points) == 1 {
		return []string{r.heading(0), "params: " + r.Points[0].Params.pairs(), caption(res)}
	}
	_, fixed := r.varying()
	return []string{
		fmt.Sprintf("%s: %s (%d points)", r.Scenario.Name, r.Scenario.Summary, len(r.Points)),
		"params: " + fixed,
		fmt.Sprintf("seed %d, %d replications per point, %s%% confidence", res.Seed, res.Replications, short(100*res.Level)),
	}
}

func (r *Report) writeText(w io.Writer) error {
	header, cells, _ := r.table()
	return reports.WriteTableText(w, reports.Table{Caption: strings.Join(r.preamble(), "\n"), Header: header, Rows: cells})
}

var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ")

func (r *Report) writeMarkdown(w io.Writer) error {
	pre := r.preamble()
	if _, err := fmt.Fprintf(w, "**%s**\n\nparams: `%s`; %s\n\n", mdEscaper.Replace(pre[0]), strings.TrimPrefix(pre[1], "params: "), pre[2]); err != nil {
		return err
	}
	header, cells, vary := r.table()
	names := 2 + len(vary) // metric, unit and the point columns
	if len(r.Points) > 1 {
		names++
	}
	return reports.WriteTableMarkdown(w, reports.Table{Header: header, NameCols: names, Rows: cells})
}

func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"point"}
	for _, p := range r.Scenario.Params {
		header = append(header, p.Name)
	}
	header = append(header, "metric", "unit", "n", "mean", "std_dev", "ci_low", "ci_high", "half_width", "level", "theory")
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, pt := range r.Points {
		lead := []string{strconv.Itoa(i)}
		pt.Params.Each(func(_ Param, v string) { lead = append(lead, v) })
		for _, rw := range r.rows(pt) {
			s := rw.sum
			th := ""
			if rw.hasTh {
				th = full(rw.theory)
			}
			rec := append(append([]string(nil), lead...), rw.def.Name, rw.def.Unit, strconv.Itoa(s.N),
				full(s.Mean), full(s.StdDev), full(s.Low), full(s.High), full(s.HalfWidth), full(s.Level), th)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFloat is reports.JSONFloat: full precision, NaN and infinities as null.
type jsonFloat = reports.JSONFloat

// The structs below are the JSON format; do not rename fields within a
// version.
type reportJSON struct {
	Format       string      `json:"format"`
	VtsimVersion string      `json:"vtsim_version"`
	Scenario     string      `json:"scenario"`
	Seed         string      `json:"seed"`
	Replications int         `json:"replications"`
	Points       []pointJSON `json:"points"`
}

type pointJSON struct {
	Params  map[string]string `json:"params"`
	Metrics []metricJSON      `json:"metrics"`
}

type metricJSON struct {
	Name      string      `json:"name"`
	Unit      string      `json:"unit"`
	N         int         `json:"n"`
	Mean      jsonFloat   `json:"mean"`
	StdDev    jsonFloat   `json:"std_dev"`
	CILow     jsonFloat   `json:"ci_low"`
	CIHigh    jsonFloat   `json:"ci_high"`
	HalfWidth jsonFloat   `json:"half_width"`
	Level     jsonFloat   `json:"level"`
	Theory    *jsonFloat  `json:"theory"`
	Values    []jsonFloat `json:"values"`
}

func (r *Report) writeJSON(w io.Writer) error {
	out := reportJSON{Format: JSONFormat, VtsimVersion: r.Version, Scenario: r.Scenario.Name,
		Seed: strconv.FormatUint(r.Seed, 10), Replications: r.Reps, Points: []pointJSON{}}
	for _, pt := range r.Points {
		pj := pointJSON{Params: map[string]string{}, Metrics: []metricJSON{}}
		pt.Params.Each(func(d Param, v string) { pj.Params[d.Name] = v })
		for _, rw := range r.rows(pt) {
			s := rw.sum
			m := metricJSON{Name: rw.def.Name, Unit: rw.def.Unit, N: s.N, Mean: jsonFloat(s.Mean),
				StdDev: jsonFloat(s.StdDev), CILow: jsonFloat(s.Low), CIHigh: jsonFloat(s.High),
				HalfWidth: jsonFloat(s.HalfWidth), Level: jsonFloat(s.Level), Values: make([]jsonFloat, len(rw.values))}
			if rw.hasTh {
				th := jsonFloat(rw.theory)
				m.Theory = &th
			}
			for i, v := range rw.values {
				m.Values[i] = jsonFloat(v)
			}
			pj.Metrics = append(pj.Metrics, m)
		}
		out.Points = append(out.Points, pj)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func (r *Report) writeHTML(w io.Writer) error {
	h := html.Report{Title: r.Scenario.Name + ": " + r.Scenario.Summary, Version: r.Version}
	if len(r.Points) == 1 {
		res := r.Points[0].Result
		h.Result = &res
		for _, rw := range r.rows(r.Points[0]) {
			if rw.sum.StdDev > 0 {
				h.Histograms = append(h.Histograms, html.Histogram{Title: rw.def.Name + " over replications",
					XLabel: label(rw.def), Values: rw.values})
			}
		}
		return html.Write(w, h)
	}
	for _, def := range r.Scenario.Metrics {
		iv := html.Intervals{Title: def.Name + " by point", YLabel: label(def)}
		for i, pt := range r.Points {
			if m, ok := pt.Result.Metric(def.Name); ok {
				iv.Configs = append(iv.Configs, html.Interval{Name: strconv.Itoa(i + 1), Summary: m.Summary})
			}
		}
		h.Intervals = append(h.Intervals, iv)
	}
	return html.Write(w, h)
}

// label is a metric's axis label.
func label(m Metric) string {
	if m.Unit == "" {
		return m.Name
	}
	return m.Name + " (" + m.Unit + ")"
}
