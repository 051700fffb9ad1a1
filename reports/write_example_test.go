package reports_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vtsim/vtsim/reports"
)

// exampleResult summarises two metrics over five replications.
func exampleResult() reports.Result {
	waits := []float64{1.8, 2.1, 1.9, 2.4, 2.0}
	busy := []float64{0.79, 0.81, 0.80, 0.83, 0.77}
	r := reports.Result{Seed: 42, Replications: 5, Level: 0.95}
	for _, m := range []struct {
		name   string
		values []float64
	}{{"utilisation", busy}, {"wait", waits}} {
		s, err := reports.Summarize(m.values, 0.95)
		if err != nil {
			panic(err)
		}
		r.Metrics = append(r.Metrics, reports.Metric{Name: m.name, Values: m.values, Summary: s})
	}
	return r
}

func ExampleWriteResultText() {
	if err := reports.WriteResultText(os.Stdout, exampleResult()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// seed 42, 5 replications, 95% confidence
	// metric       n  mean  std dev    ci low    ci high   half-width  rel half-width
	// utilisation  5  0.8   0.0223607  0.772236  0.827764  0.0277645   0.0347056
	// wait         5  2.04  0.230217   1.75415   2.32585   0.285853    0.140124
}

func ExampleWriteResultMarkdown() {
	if err := reports.WriteResultMarkdown(os.Stdout, exampleResult()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// seed 42, 5 replications, 95% confidence
	//
	// | metric | n | mean | std dev | ci low | ci high | half-width | rel half-width |
	// | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
	// | utilisation | 5 | 0.8 | 0.0223607 | 0.772236 | 0.827764 | 0.0277645 | 0.0347056 |
	// | wait | 5 | 2.04 | 0.230217 | 1.75415 | 2.32585 | 0.285853 | 0.140124 |
}

func ExampleWriteComparisonText() {
	fifo := reports.Sample{Name: "fifo", Values: []float64{2.0, 2.2, 1.9, 2.4, 2.1}}
	others := []reports.Sample{
		{Name: "lifo", Values: []float64{2.1, 2.4, 1.9, 2.6, 2.2}},
		{Name: "sjf", Values: []float64{1.5, 1.6, 1.4, 1.9, 1.5}},
	}
	rows, err := reports.CompareToBaseline(fifo, others, reports.CompareOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reports.WriteComparisonText(os.Stdout, rows); err != nil {
		fmt.Println(err)
	}
	// Output:
	// paired-t, 95% confidence, diff = mean - baseline mean
	// rank  name  mean  diff   ci low     ci high    p-value      significant
	// 1     sjf   1.58  -0.54  -0.608009  -0.471991  2.50579e-05  yes
	// 2     lifo  2.24  0.12   0.0161149  0.223885   0.0326779    yes
}

func ExampleWriteComparisonMarkdown() {
	fifo := reports.Sample{Name: "fifo", Values: []float64{2.0, 2.2, 1.9, 2.4, 2.1}}
	others := []reports.Sample{{Name: "sjf", Values: []float64{1.5, 1.6, 1.4, 1.9, 1.5}}}
	rows, err := reports.CompareToBaseline(fifo, others, reports.CompareOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reports.WriteComparisonMarkdown(os.Stdout, rows); err != nil {
		fmt.Println(err)
	}
	// Output:
	// paired-t, 95% confidence, diff = mean - baseline mean
	//
	// | rank | name | mean | diff | ci low | ci high | p-value | significant |
	// | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
	// | 1 | sjf | 1.58 | -0.54 | -0.608009 | -0.471991 | 2.50579e-05 | yes |
}

func ExampleWriteResultCSV() {
	if err := reports.WriteResultCSV(os.Stdout, exampleResult()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// metric,n,mean,std_dev,ci_low,ci_high,half_width,rel_half_width,level
	// utilisation,5,0.8,0.02236067977499788,0.7722355489480222,0.8277644510519779,0.02776445105197791,0.03470556381497238,0.95
	// wait,5,2.04,0.23021728866442673,1.7541474809012978,2.325852519098702,0.2858525190987022,0.14012378387191282,0.95
}

func ExampleWriteFileAtomic() {
	path := filepath.Join(os.TempDir(), "vtsim-example-result.json")
	defer os.Remove(path)
	err := reports.WriteFileAtomic(path, func(w io.Writer) error {
		return reports.WriteResultJSON(w, exampleResult(), "v0.1.0")
	})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleWriteTableText() {
	t := reports.Table{Caption: "mean response (s)", Header: []string{"policy", "mean"},
		NameCols: 1, Rows: [][]string{{"fcfs", "2.5"}, {"srpt", "1.25"}}}
	if err := reports.WriteTableText(os.Stdout, t); err != nil {
		fmt.Println(err)
	}
	// Output:
	// mean response (s)
	// policy  mean
	// fcfs    2.5
	// srpt    1.25
}

func ExampleWriteTableMarkdown() {
	t := reports.Table{Header: []string{"policy", "mean"}, NameCols: 1, Rows: [][]string{{"fcfs", "2.5"}}}
	if err := reports.WriteTableMarkdown(os.Stdout, t); err != nil {
		fmt.Println(err)
	}
	// Output:
	// | policy | mean |
	// | --- | ---: |
	// | fcfs | 2.5 |
}

func ExampleWriteTableCSV() {
	t := reports.Table{Header: []string{"policy", "mean"}, Rows: [][]string{{"fcfs", "2.5"}}}
	if err := reports.WriteTableCSV(os.Stdout, t); err != nil {
		fmt.Println(err)
	}
	// Output:
	// policy,mean
	// fcfs,2.5
}
