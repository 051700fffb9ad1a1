package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// TextDigits is the number of significant digits of the numbers in the text
// and Markdown tables. CSV and JSON write every number at full precision (the
// shortest decimal that reads back as the same float64).
const TextDigits = 6

// JSONFormatResult and JSONFormatComparison are the values of the "format"
// field of the JSON documents written by [WriteResultJSON] and
// [WriteComparisonJSON]. The version suffix changes only when a field is
// renamed or removed or its meaning changes; new fields may be added within a
// version.
const (
	JSONFormatResult     = "vtsim.result/v1"
	JSONFormatComparison = "vtsim.comparison/v1"
)

// ComparisonInfo describes a ranking written by [WriteComparisonJSON]: what
// a reader needs to reproduce it, which the rows themselves do not hold.
type ComparisonInfo struct {
	// Version is the vtsim version that produced the ranking.
	Version string
	// Seed is the root seed of the experiments compared.
	Seed uint64
	// Baseline is the name of the baseline configuration.
	Baseline string
	// Metric is the name of the metric compared.
	Metric string
}

// formatText formats x for a text or Markdown table: TextDigits significant
// digits, and NaN, +Inf and -Inf spelt so.
func formatText(x float64) string {
	return strconv.FormatFloat(x, 'g', TextDigits, 64)
}

// formatFull formats x with the fewest digits that read back as x.
func formatFull(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// resultHeader is the column header of a Result table.
var resultHeader = []string{"metric", "n", "mean", "std dev", "ci low", "ci high", "half-width", "rel half-width"}

// resultCSVHeader is the header of a Result in CSV: the JSON field names.
var resultCSVHeader = []string{"metric", "n", "mean", "std_dev", "ci_low", "ci_high", "half_width", "rel_half_width", "level"}

// rowsHeader is the column header of a ranking table.
var rowsHeader = []string{"rank", "name", "mean", "diff", "ci low", "ci high", "p-value", "significant"}

// rowsCSVHeader is the header of a ranking in CSV: the JSON field names.
var rowsCSVHeader = []string{"rank", "name", "mean", "diff", "std_err", "df", "ci_low", "ci_high", "half_width", "t", "p_value", "significant", "method", "level", "n"}

func resultCells(m Metric, format func(float64) string) []string {
	s := m.Summary
	return []string{m.Name, strconv.Itoa(s.N), format(s.Mean), format(s.StdDev),
		format(s.Low), format(s.High), format(s.HalfWidth), format(s.RelHalfWidth)}
}

func rowCells(r Row, format func(float64) string) []string {
	c := r.Versus
	return []string{strconv.Itoa(r.Rank), r.Name, format(r.Mean), format(c.Diff),
		format(c.Low), format(c.High), format(c.P), yesNo(c.Significant())}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// caption is the line above a Result table.
func caption(r Result) string {
	return fmt.Sprintf("seed %d, %d replications, %s%% confidence", r.Seed, r.Replications, formatText(100*r.Level))
}

// rowsCaption is the line above a ranking table, empty without rows.
func rowsCaption(rows []Row) string {
	if len(rows) == 0 {
		return ""
	}
	c := rows[0].Versus
	return fmt.Sprintf("%s, %s%% confidence, diff = mean - baseline mean", c.Method, formatText(100*c.Level))
}

// writeTable writes a caption line, then header and cells aligned in columns
// with text/tabwriter.
func writeTable(w io.Writer, caption string, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if caption != "" {
		// A caption has no tab, so it does not widen the first column.
		if _, err := fmt.Fprintln(tw, caption); err != nil {
			return err
		}
	}
	for _, cells := range append([][]string{header}, rows...) {
		if _, err := fmt.Fprintln(tw, strings.Join(cells, "\t")); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// mdEscaper makes a cell safe inside a Markdown table.
var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")

// writeMarkdown writes a caption paragraph, then a GitHub-flavoured
// Markdown table whose columns after the first nameCols are right-aligned.
func writeMarkdown(w io.Writer, caption string, header []string, nameCols int, rows [][]string) error {
	var b strings.Builder
	if caption != "" {
		b.WriteString(mdEscaper.Replace(caption))
		b.WriteString("\n\n")
	}
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" ")
			b.WriteString(mdEscaper.Replace(c))
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	line(header)
	b.WriteString("|")
	for i := range header {
		if i < nameCols {
			b.WriteString(" --- |")
		} else {
			b.WriteString(" ---: |")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil { // WriteAll flushes
		return err
	}
	return cw.Error()
}

// WriteResultText writes r as an aligned text table for a terminal: a line
// with the seed, the number of replications and the confidence level, then
// one line per metric with its n, mean, standard deviation, confidence
// interval, half-width and relative half-width, numbers to [TextDigits]
// significant digits. It returns the first error of w.
func WriteResultText(w io.Writer, r Result) error {
	cells := make([][]string, len(r.Metrics))
	for i, m := range r.Metrics {
		cells[i] = resultCells(m, formatText)
	}
	return writeTable(w, caption(r), resultHeader, cells)
}

// WriteResultMarkdown writes r as a Markdown paragraph (the seed, the number
// of replications and the level) followed by a table with the columns of
// [WriteResultText]. A "|" in a metric name is escaped.
func WriteResultMarkdown(w io.Writer, r Result) error {
	cells := make([][]string, len(r.Metrics))
	for i, m := range r.Metrics {
		cells[i] = resultCells(m, formatText)
	}
	return writeMarkdown(w, caption(r), resultHeader, 1, cells)
}

// WriteResultCSV writes r as CSV (RFC 4180, by encoding/csv): a header row
//
//	metric,n,mean,std_dev,ci_low,ci_high,half_width,rel_half_width,level
//
// then one row per metric, numbers at full precision, NaN and infinities as
// NaN, +Inf and -Inf. The seed is not in the CSV; use [WriteResultJSON] to
// keep everything needed to reproduce the result.
func WriteResultCSV(w io.Writer, r Result) error {
	rows := make([][]string, len(r.Metrics))
	for i, m := range r.Metrics {
		rows[i] = append(resultCells(m, formatFull), formatFull(m.Summary.Level))
	}
	return writeCSV(w, resultCSVHeader, rows)
}

// WriteComparisonText writes a ranking (from [CompareToBaseline]) as an
// aligned text table: a line with the method and the level, then one line
// per row with its rank, name, mean, difference from the baseline, the
// interval of the difference, the p-value and whether the difference is
// significant.
func WriteComparisonText(w io.Writer, rows []Row) error {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = rowCells(r, formatText)
	}
	return writeTable(w, rowsCaption(rows), rowsHeader, cells)
}

// WriteComparisonMarkdown writes a ranking as a Markdown paragraph and table
// with the columns of [WriteComparisonText].
func WriteComparisonMarkdown(w io.Writer, rows []Row) error {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = rowCells(r, formatText)
	}
	return writeMarkdown(w, rowsCaption(rows), rowsHeader, 2, cells)
}

// WriteComparisonCSV writes a ranking as CSV with the header row
//
//	rank,name,mean,diff,std_err,df,ci_low,ci_high,half_width,t,p_value,significant,method,level,n
//
// numbers at full precision; significant is true or false and n is the
// number of replications of the configuration.
func WriteComparisonCSV(w io.Writer, rows []Row) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		c := r.Versus
		out[i] = []string{strconv.Itoa(r.Rank), r.Name, formatFull(r.Mean), formatFull(c.Diff),
			formatFull(c.StdErr), formatFull(c.DF), formatFull(c.Low), formatFull(c.High),
			formatFull(c.HalfWidth), formatFull(c.T), formatFull(c.P),
			strconv.FormatBool(c.Significant()), string(c.Method), formatFull(c.Level), strconv.Itoa(c.NX)}
	}
	return writeCSV(w, rowsCSVHeader, out)
}

func jsonFloats(xs []float64) []jsonFloat {
	out := make([]jsonFloat, len(xs))
	for i, x := range xs {
		out[i] = jsonFloat(x)
	}
	return out
}

// The output structs below are the JSON schema. Their field names are part
// of the format: do not rename them within a version.

type resultJSON struct {
	Format           string       `json:"format"`
	VtsimVersion     string       `json:"vtsim_version"`
	Seed             string       `json:"seed"`
	Options          optionsJSON  `json:"options"`
	PrecisionReached bool         `json:"precision_reached"`
	Metrics          []metricJSON `json:"metrics"`
}

type optionsJSON struct {
	Level        jsonFloat `json:"level"`
	Replications int       `json:"replications"`
}

type metricJSON struct {
	Name         string      `json:"name"`
	N            int         `json:"n"`
	Mean         jsonFloat   `json:"mean"`
	StdDev       jsonFloat   `json:"std_dev"`
	CILow        jsonFloat   `json:"ci_low"`
	CIHigh       jsonFloat   `json:"ci_high"`
	HalfWidth    jsonFloat   `json:"half_width"`
	RelHalfWidth jsonFloat   `json:"rel_half_width"`
	Level        jsonFloat   `json:"level"`
	Values       []jsonFloat `json:"values"`
}

type comparisonJSON struct {
	Format       string    `json:"format"`
	VtsimVersion string    `json:"vtsim_version"`
	Seed         string    `json:"seed"`
	Metric       string    `json:"metric"`
	Baseline     string    `json:"baseline"`
	Rows         []rowJSON `json:"rows"`
}

type rowJSON struct {
	Rank        int       `json:"rank"`
	Name        string    `json:"name"`
	Mean        jsonFloat `json:"mean"`
	BaseMean    jsonFloat `json:"baseline_mean"`
	N           int       `json:"n"`
	BaseN       int       `json:"baseline_n"`
	Method      string    `json:"method"`
	Level       jsonFloat `json:"level"`
	Diff        jsonFloat `json:"diff"`
	StdErr      jsonFloat `json:"std_err"`
	DF          jsonFloat `json:"df"`
	T           jsonFloat `json:"t"`
	P           jsonFloat `json:"p_value"`
	CILow       jsonFloat `json:"ci_low"`
	CIHigh      jsonFloat `json:"ci_high"`
	HalfWidth   jsonFloat `json:"half_width"`
	Significant bool      `json:"significant"`
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteResultJSON writes r as an indented JSON document, version being the
// vtsim version that produced it, for instance
//
//	{
//	  "format": "vtsim.result/v1",
//	  "vtsim_version": "v0.1.0",
//	  "seed": "42",
//	  "options": {"level": 0.95, "replications": 30},
//	  "precision_reached": false,
//	  "metrics": [
//	    {"name": "wait", "n": 30, "mean": 1.9, "std_dev": 0.4,
//	     "ci_low": 1.75, "ci_high": 2.05, "half_width": 0.15,
//	     "rel_half_width": 0.079, "level": 0.95, "values": [...]}
//	  ]
//	}
//
// The field names are stable (see [JSONFormatResult]). The seed is a decimal
// string because a uint64 does not fit the float64 numbers of many JSON
// readers; with the options it reproduces the result (the number of workers
// is left out: it never changes the result). Metrics are in the order of r
// (sorted by name for a Result of [Replicate]) and values in replication
// order. Numbers are written at full precision; NaN and infinities (the
// standard deviation and interval of one replication) are written as null.
// The output is the same bytes for the same r and version.
func WriteResultJSON(w io.Writer, r Result, version string) error {
	out := resultJSON{
		Format:           JSONFormatResult,
		VtsimVersion:     version,
		Seed:             strconv.FormatUint(r.Seed, 10),
		Options:          optionsJSON{Level: jsonFloat(r.Level), Replications: r.Replications},
		PrecisionReached: r.PrecisionReached,
		Metrics:          make([]metricJSON, len(r.Metrics)),
	}
	for i, m := range r.Metrics {
		s := m.Summary
		out.Metrics[i] = metricJSON{
			Name: m.Name, N: s.N, Mean: jsonFloat(s.Mean), StdDev: jsonFloat(s.StdDev),
			CILow: jsonFloat(s.Low), CIHigh: jsonFloat(s.High), HalfWidth: jsonFloat(s.HalfWidth),
			RelHalfWidth: jsonFloat(s.RelHalfWidth), Level: jsonFloat(s.Level), Values: jsonFloats(m.Values),
		}
	}
	return writeJSON(w, out)
}

// WriteComparisonJSON writes a ranking (from [CompareToBaseline]) as an
// indented JSON document with the fields "format" ([JSONFormatComparison]),
// "vtsim_version", "seed" (a decimal string), "metric", "baseline" from info,
// and "rows", each with "rank", "name", "mean", "baseline_mean", "n",
// "baseline_n", "method", "level", "diff" (mean minus the baseline's), "std_err",
// "df", "t", "p_value", "ci_low", "ci_high", "half_width" (the interval of the
// difference) and "significant". Numbers are at full precision, NaN and
// infinities null; the output is the same bytes for the same input.
func WriteComparisonJSON(w io.Writer, rows []Row, info ComparisonInfo) error {
	out := comparisonJSON{
		Format:       JSONFormatComparison,
		VtsimVersion: info.Version,
		Seed:         strconv.FormatUint(info.Seed, 10),
		Metric:       info.Metric,
		Baseline:     info.Baseline,
		Rows:         make([]rowJSON, len(rows)),
	}
	for i, r := range rows {
		c := r.Versus
		out.Rows[i] = rowJSON{
			Rank: r.Rank, Name: r.Name, Mean: jsonFloat(r.Mean), BaseMean: jsonFloat(c.MeanY),
			N: c.NX, BaseN: c.NY, Method: string(c.Method), Level: jsonFloat(c.Level),
			Diff: jsonFloat(c.Diff), StdErr: jsonFloat(c.StdErr), DF: jsonFloat(c.DF), T: jsonFloat(c.T),
			P: jsonFloat(c.P), CILow: jsonFloat(c.Low), CIHigh: jsonFloat(c.High),
			HalfWidth: jsonFloat(c.HalfWidth), Significant: c.Significant(),
		}
	}
	return writeJSON(w, out)
}
