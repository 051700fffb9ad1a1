package jobstats

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/vtsim/vtsim/reports"
)

// JSONFormat is the value of the "format" field of the JSON document of
// [WriteJSON]. The version suffix changes only when a field is renamed or
// removed or its meaning changes; new fields may be added within a version.
const JSONFormat = "vtsim.policy-comparison/v1"

func formatText(x float64) string { return strconv.FormatFloat(x, 'g', reports.TextDigits, 64) }
func formatFull(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// caption is the line above a comparison table.
func (c Comparison) caption() string {
	return fmt.Sprintf("seed %d, %d replications, %s%% confidence, ranked by %s; diff = policy - baseline %s (%s, common random numbers)",
		c.Seed, c.Replications, formatText(100*c.Level), c.RankBy, c.Baseline, reports.MethodPaired)
}

var textHeader = []string{"metric", "policy", "n", "mean", "ci low", "ci high", "diff", "diff ci low", "diff ci high", "p-value", "significant"}

var csvHeader = []string{"metric", "rank", "policy", "baseline", "n", "mean", "std_dev", "ci_low", "ci_high", "half_width",
	"diff", "diff_std_err", "diff_df", "diff_ci_low", "diff_ci_high", "diff_half_width", "t", "p_value", "significant", "level"}

// Table returns the comparison as a [reports.Table] for the text and
// Markdown writers of reports: one row per metric and policy, metrics in the
// order of c and policies ranked, with the mean and its interval, and the
// difference from the baseline with its interval, p-value and significance
// ("-" for the baseline itself). Numbers have [reports.TextDigits]
// significant digits.
func (c Comparison) Table() reports.Table {
	t := reports.Table{Caption: c.caption(), Header: textHeader, NameCols: 2}
	for _, m := range c.Metrics {
		for _, p := range m.Policies {
			s := p.Summary
			row := []string{m.Name, p.Policy, strconv.Itoa(s.N), formatText(s.Mean), formatText(s.Low), formatText(s.High)}
			if p.Baseline {
				row = append(row, "-", "-", "-", "-", "-")
			} else {
				v := p.Versus
				row = append(row, formatText(v.Diff), formatText(v.Low), formatText(v.High), formatText(v.P), yesNo(v.Significant()))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// WriteText writes c as an aligned text table (see [Comparison.Table]).
func WriteText(w io.Writer, c Comparison) error { return reports.WriteTableText(w, c.Table()) }

// WriteMarkdown writes c as a Markdown paragraph and table (see
// [Comparison.Table]).
func WriteMarkdown(w io.Writer, c Comparison) error { return reports.WriteTableMarkdown(w, c.Table()) }

// WriteCSV writes c as CSV with the header row
//
//	metric,rank,policy,baseline,n,mean,std_dev,ci_low,ci_high,half_width,diff,diff_std_err,diff_df,diff_ci_low,diff_ci_high,diff_half_width,t,p_value,significant,level
//
// one row per metric and policy as in [Comparison.Table], numbers at full
// precision (NaN and infinities as NaN, +Inf, -Inf); rank is the policy's
// position in Comparison.Policies, baseline and significant are true or
// false, and the diff columns are empty for the baseline.
func WriteCSV(w io.Writer, c Comparison) error {
	t := reports.Table{Header: csvHeader}
	for _, m := range c.Metrics {
		for k, p := range m.Policies {
			s := p.Summary
			row := []string{m.Name, strconv.Itoa(k + 1), p.Policy, strconv.FormatBool(p.Baseline), strconv.Itoa(s.N),
				formatFull(s.Mean), formatFull(s.StdDev), formatFull(s.Low), formatFull(s.High), formatFull(s.HalfWidth)}
			if p.Baseline {
				row = append(row, "", "", "", "", "", "", "", "", "")
			} else {
				v := p.Versus
				row = append(row, formatFull(v.Diff), formatFull(v.StdErr), formatFull(v.DF), formatFull(v.Low),
					formatFull(v.High), formatFull(v.HalfWidth), formatFull(v.T), formatFull(v.P), strconv.FormatBool(v.Significant()))
			}
			t.Rows = append(t.Rows, append(row, formatFull(s.Level)))
		}
	}
	return reports.WriteTableCSV(w, t)
}

// The structs below are the JSON schema: do not rename their fields within
// a version of JSONFormat.

type comparisonJSON struct {
	Format       string            `json:"format"`
	VtsimVersion string            `json:"vtsim_version"`
	Seed         string            `json:"seed"`
	Replications int               `json:"replications"`
	Level        reports.JSONFloat `json:"level"`
	Method       string            `json:"method"`
	Baseline     string            `json:"baseline"`
	RankBy       string            `json:"rank_by"`
	Policies     []string          `json:"policies"`
	Metrics      []metricJSON      `json:"metrics"`
	SizeBins     []policyBinsJSON  `json:"size_bins"`
}

type metricJSON struct {
	Name     string       `json:"name"`
	Policies []policyJSON `json:"policies"`
}

type policyJSON struct {
	Policy    string              `json:"policy"`
	Rank      int                 `json:"rank"`
	Baseline  bool                `json:"baseline"`
	N         int                 `json:"n"`
	Mean      reports.JSONFloat   `json:"mean"`
	StdDev    reports.JSONFloat   `json:"std_dev"`
	CILow     reports.JSONFloat   `json:"ci_low"`
	CIHigh    reports.JSONFloat   `json:"ci_high"`
	HalfWidth reports.JSONFloat   `json:"half_width"`
	Values    []reports.JSONFloat `json:"values"`
	Versus    *versusJSON         `json:"versus"`
}

type versusJSON struct {
	Diff        reports.JSONFloat `json:"diff"`
	StdErr      reports.JSONFloat `json:"std_err"`
	DF          reports.JSONFloat `json:"df"`
	T           reports.JSONFloat `json:"t"`
	P           reports.JSONFloat `json:"p_value"`
	CILow       reports.JSONFloat `json:"ci_low"`
	CIHigh      reports.JSONFloat `json:"ci_high"`
	HalfWidth   reports.JSONFloat `json:"half_width"`
	Significant bool              `json:"significant"`
}

type policyBinsJSON struct {
	Policy string    `json:"policy"`
	Bins   []binJSON `json:"bins"`
}

type binJSON struct {
	Index int               `json:"index"`
	Low   reports.JSONFloat `json:"low"`
	High  reports.JSONFloat `json:"high"`
	Jobs  int               `json:"jobs"`
	// MeanSlowdown is null for an empty bin.
	MeanSlowdown *reports.JSONFloat `json:"mean_slowdown"`
}

// WriteJSON writes c as an indented JSON document, version being the vtsim
// version that produced it: "format" ([JSONFormat]), "vtsim_version", "seed"
// (a decimal string), "replications", "level", "method" ("paired-t"),
// "baseline", "rank_by", "policies" (ranked), "metrics" (each with "name"
// and "policies", each of those with "policy", "rank", "baseline", "n",
// "mean", "std_dev", "ci_low", "ci_high", "half_width", "values" per
// replication, and "versus": null for the baseline, otherwise "diff",
// "std_err", "df", "t", "p_value", "ci_low", "ci_high", "half_width" and
// "significant"), and "size_bins" (per policy its "bins", each with "index",
// "low", "high", "jobs" and "mean_slowdown", null for an empty bin). Numbers
// are at full precision, NaN and infinities null; the output is the same
// bytes for the same c and version. The response-time distributions are
// left out.
func WriteJSON(w io.Writer, c Comparison, version string) error {
	out := comparisonJSON{Format: JSONFormat, VtsimVersion: version, Seed: strconv.FormatUint(c.Seed, 10),
		Replications: c.Replications, Level: reports.JSONFloat(c.Level), Method: string(reports.MethodPaired),
		Baseline: c.Baseline, RankBy: c.RankBy, Policies: c.Policies,
		Metrics: make([]metricJSON, len(c.Metrics)), SizeBins: make([]policyBinsJSON, len(c.Curves))}
	for i, m := range c.Metrics {
		mj := metricJSON{Name: m.Name, Policies: make([]policyJSON, len(m.Policies))}
		for k, p := range m.Policies {
			s := p.Summary
			pj := policyJSON{Policy: p.Policy, Rank: k + 1, Baseline: p.Baseline, N: s.N,
				Mean: reports.JSONFloat(s.Mean), StdDev: reports.JSONFloat(s.StdDev), CILow: reports.JSONFloat(s.Low),
				CIHigh: reports.JSONFloat(s.High), HalfWidth: reports.JSONFloat(s.HalfWidth),
				Values: make([]reports.JSONFloat, len(p.Values))}
			for j, x := range p.Values {
				pj.Values[j] = reports.JSONFloat(x)
			}
			if !p.Baseline {
				v := p.Versus
				pj.Versus = &versusJSON{Diff: reports.JSONFloat(v.Diff), StdErr: reports.JSONFloat(v.StdErr),
					DF: reports.JSONFloat(v.DF), T: reports.JSONFloat(v.T), P: reports.JSONFloat(v.P),
					CILow: reports.JSONFloat(v.Low), CIHigh: reports.JSONFloat(v.High),
					HalfWidth: reports.JSONFloat(v.HalfWidth), Significant: v.Significant()}
			}
			mj.Policies[k] = pj
		}
		out.Metrics[i] = mj
	}
	for i, cv := range c.Curves {
		pb := policyBinsJSON{Policy: cv.Policy, Bins: make([]binJSON, len(cv.SizeBins))}
		for j, b := range cv.SizeBins {
			bj := binJSON{Index: b.Index, Low: reports.JSONFloat(b.Low), High: reports.JSONFloat(b.High), Jobs: b.Jobs}
			if m, ok := b.MeanSlowdown(); ok {
				f := reports.JSONFloat(m)
				bj.MeanSlowdown = &f
			}
			pb.Bins[j] = bj
		}
		out.SizeBins[i] = pb
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
