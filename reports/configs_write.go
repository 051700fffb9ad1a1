package reports

import (
	"fmt"
	"io"
	"strconv"
)

// configsHeader is the column header of a ConfigsResult table; the diff
// columns are named after the baseline.
func configsHeader(baseline string) []string {
	return []string{"config", "metric", "n", "mean", "ci low", "ci high", "std err",
		"diff vs " + baseline, "diff low", "diff high", "p-value"}
}

// configsCaption is the line above a ConfigsResult table.
func configsCaption(r ConfigsResult) string {
	return fmt.Sprintf("seed %d, %d replications of %d configurations on the same seeds, %s%% confidence; diff = mean - mean of %s, paired by replication",
		r.Seed, r.Replications, len(r.Configs), formatText(100*r.Level), r.Baseline)
}

// configsCells returns the rows of r's table.
func configsCells(r ConfigsResult) [][]string {
	var rows [][]string
	for _, c := range r.Configs {
		for _, m := range c.Metrics {
			s := m.Summary
			name := m.Name
			if m.Ratio {
				name += " (ratio)"
			}
			row := []string{c.Name, name, strconv.Itoa(s.N)}
			if s.N == 0 {
				row = append(row, "-", "-", "-", "-")
			} else {
				row = append(row, formatText(s.Mean), formatText(s.Low), formatText(s.High), formatText(s.StdErr()))
			}
			switch {
			case c.Name == r.Baseline:
				row = append(row, "baseline", "-", "-", "-")
			case m.Versus == nil:
				row = append(row, "-", "-", "-", "-")
			default:
				v := m.Versus
				row = append(row, formatText(v.Diff), formatText(v.Low), formatText(v.High), formatText(v.P))
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// WriteConfigsText writes r as an aligned text table: a caption line with
// the seed, the numbers of replications and configurations and the level,
// then one line per configuration and metric with the number of
// replications that have it, its mean, confidence interval and standard
// error, and the paired difference from the baseline with its interval and
// p-value ("baseline" on the baseline's lines, "-" where there is nothing to
// compare, or no value at all). Numbers have [TextDigits] significant
// digits. It returns the first error of w.
func WriteConfigsText(w io.Writer, r ConfigsResult) error {
	return writeTable(w, configsCaption(r), configsHeader(r.Baseline), configsCells(r))
}

// WriteConfigsMarkdown writes r as a Markdown paragraph (the caption of
// [WriteConfigsText]) followed by a table with the same columns.
func WriteConfigsMarkdown(w io.Writer, r ConfigsResult) error {
	return writeMarkdown(w, configsCaption(r), configsHeader(r.Baseline), 2, configsCells(r))
}

// ConfigsTable returns r as a [Table] with the caption, columns and cells of
// [WriteConfigsText], for writers of tables such as an HTML report's.
func ConfigsTable(r ConfigsResult) Table {
	return Table{Caption: configsCaption(r), Header: configsHeader(r.Baseline), NameCols: 2, Rows: configsCells(r)}
}
