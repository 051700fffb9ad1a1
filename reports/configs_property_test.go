package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestReplicateConfigsProperty: for random tables of values, some missing
// (NaN or omitted), a random baseline and any number of workers,
// ReplicateConfigs gives the same result and bytes as with one worker, and
// every summary and comparison is Summarize's and PairedT's on the
// replications that have the values.
func TestReplicateConfigsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nConfigs := rapid.IntRange(1, 4).Draw(t, "configs")
		reps := rapid.IntRange(1, 12).Draw(t, "reps")
		// value[k][i] of metric "m" for config k, replication i; NaN and
		// omitted both mean missing.
		values := make([][]float64, nConfigs)
		omit := make([][]bool, nConfigs)
		for k := range values {
			values[k] = rapid.SliceOfN(rapid.Float64Range(-100, 100), reps, reps).Draw(t, fmt.Sprintf("values%d", k))
			omit[k] = rapid.SliceOfN(rapid.Bool(), reps, reps).Draw(t, fmt.Sprintf("omit%d", k))
			for i := range values[k] {
				if rapid.IntRange(0, 4).Draw(t, "nan") == 0 {
					values[k][i] = math.NaN()
				}
			}
		}
		configs := make([]Config, nConfigs)
		for k := range configs {
			configs[k] = Config{Name: fmt.Sprintf("c%d", k), Model: func(rep Replication) (Metrics, error) {
				m := Metrics{"n": 1} // always present, so some metric exists
				if !omit[k][rep.Index] {
					m["m"] = values[k][rep.Index]
				}
				return m, nil
			}}
		}
		base := rapid.IntRange(0, nConfigs-1).Draw(t, "baseline")
		opts := ConfigsOptions{Baseline: configs[base].Name}
		run := func(workers int) (ConfigsResult, []byte) {
			res, err := ReplicateConfigs(context.Background(), Experiment{Replications: reps, Seed: 3, Workers: workers}, opts, configs...)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := WriteConfigsText(&b, res); err != nil {
				t.Fatal(err)
			}
			return res, b.Bytes()
		}
		first, text := run(1)
		workers := rapid.IntRange(2, 8).Draw(t, "workers")
		if res, b := run(workers); dump(res) != dump(first) || !bytes.Equal(b, text) {
			t.Fatalf("workers %d differ from 1:\n%s\nwant\n%s", workers, b, text)
		}
		present := func(k, i int) bool { return !omit[k][i] && !math.IsNaN(values[k][i]) }
		for k, c := range first.Configs {
			m, ok := c.Metric("m")
			anyPresent := false
			for i := range reps {
				anyPresent = anyPresent || present(k, i) || present(base, i)
			}
			if !ok {
				if anyPresent {
					t.Fatalf("%s: no metric m", c.Name)
				}
				continue
			}
			var x, y, bx []float64
			var miss []int
			for i := range reps {
				if !present(k, i) {
					miss = append(miss, i)
					continue
				}
				x = append(x, values[k][i])
				if present(base, i) {
					y, bx = append(y, values[k][i]), append(bx, values[base][i])
				}
			}
			if !reflect.DeepEqual(m.Missing, miss) {
				t.Fatalf("%s: Missing %v; want %v", c.Name, m.Missing, miss)
			}
			want := Summary{}
			if len(x) > 0 {
				want, _ = Summarize(x, DefaultLevel)
			}
			if fmt.Sprintf("%+v", m.Summary) != fmt.Sprintf("%+v", want) {
				t.Fatalf("%s: Summary %+v; want %+v", c.Name, m.Summary, want)
			}
			switch {
			case k == base || len(y) < 2:
				if m.Versus != nil {
					t.Fatalf("%s: Versus %+v; want none", c.Name, m.Versus)
				}
			default:
				p, err := PairedT(y, bx, DefaultLevel)
				if err != nil || m.Versus == nil || !reflect.DeepEqual(*m.Versus, p) {
					t.Fatalf("%s: Versus %+v; PairedT %+v, %v", c.Name, m.Versus, p, err)
				}
			}
		}
	})
}

// dump prints r in full, comparisons by value, for comparing results whose
// one-value summaries hold a NaN, which reflect.DeepEqual never finds equal.
func dump(r ConfigsResult) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d %d %v %q\n", r.Seed, r.Replications, r.Level, r.Baseline)
	for _, c := range r.Configs {
		for _, m := range c.Metrics {
			fmt.Fprintf(&b, "%s %s %v %v %v %+v", c.Name, m.Name, m.Ratio, m.Values, m.Missing, m.Summary)
			if m.Versus != nil {
				fmt.Fprintf(&b, " %+v", *m.Versus)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
