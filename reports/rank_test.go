package reports

import (
	"errors"
	"testing"
)

func TestCompareToBaseline(t *testing.T) {
	base := Sample{Name: "fcfs", Values: []float64{10, 12, 11, 13, 10}}
	others := []Sample{
		{Name: "sjf", Values: []float64{7, 8, 8, 9, 6}},        // mean 7.6
		{Name: "srpt", Values: []float64{6, 7, 6, 8, 5}},       // mean 6.4
		{Name: "ps", Values: []float64{10, 12, 12, 13, 11}},    // mean 11.6
		{Name: "lifo", Values: []float64{8, 7, 8, 9, 6}},       // mean 7.6, ties with sjf
		{Name: "random", Values: []float64{9, 13, 10, 14, 10}}, // mean 11.2
	}
	rows, err := CompareToBaseline(base, others, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Ascending means; the tie between lifo and sjf is broken by name.
	wantNames := []string{"srpt", "lifo", "sjf", "random", "ps"}
	if len(rows) != len(wantNames) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantNames))
	}
	for i, r := range rows {
		if r.Name != wantNames[i] || r.Rank != i+1 {
			t.Errorf("row %d = %s rank %d, want %s rank %d", i, r.Name, r.Rank, wantNames[i], i+1)
		}
		if r.Versus.Method != MethodPaired || r.Versus.Level != DefaultLevel || r.Mean != r.Versus.MeanX {
			t.Errorf("row %s: method %q level %v mean %v", r.Name, r.Versus.Method, r.Versus.Level, r.Mean)
		}
		// Each row is the paired test of the sample against the baseline.
		for _, o := range others {
			if o.Name == r.Name {
				want, _ := PairedT(o.Values, base.Values, 0.95)
				if r.Versus != want {
					t.Errorf("row %s: %+v, want %+v", r.Name, r.Versus, want)
				}
			}
		}
	}
	// srpt: differences -4 -5 -5 -5 -5, clearly better; random: differences
	// -1 1 -1 1 0, not significant.
	if !rows[0].Versus.Significant() || rows[3].Versus.Significant() {
		t.Errorf("significance: srpt %v, random %v", rows[0].Versus.Significant(), rows[3].Versus.Significant())
	}

	up, err := CompareToBaseline(base, others, CompareOptions{Method: MethodWelch, Level: 0.9, HigherIsBetter: true})
	if err != nil {
		t.Fatal(err)
	}
	wantUp := []string{"ps", "random", "lifo", "sjf", "srpt"}
	for i, r := range up {
		if r.Name != wantUp[i] || r.Versus.Method != MethodWelch || r.Versus.Level != 0.9 {
			t.Errorf("higher is better, row %d = %s (%q, %v), want %s", i, r.Name, r.Versus.Method, r.Versus.Level, wantUp[i])
		}
	}
}

func TestCompareToBaselineDuplicates(t *testing.T) {
	// Equal means and names keep their input order (stable), marked by
	// different values with the same mean.
	base := Sample{Name: "b", Values: []float64{1, 2, 3}}
	a1 := Sample{Name: "a", Values: []float64{2, 2, 2}}
	a2 := Sample{Name: "a", Values: []float64{1, 2, 3}}
	rows, err := CompareToBaseline(base, []Sample{a1, a2}, CompareOptions{Method: MethodWelch})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Versus.StdErr >= rows[1].Versus.StdErr {
		t.Errorf("duplicates reordered: %+v", rows)
	}
	rows, _ = CompareToBaseline(base, []Sample{a2, a1}, CompareOptions{Method: MethodWelch})
	if rows[0].Versus.StdErr <= rows[1].Versus.StdErr {
		t.Errorf("duplicates reordered: %+v", rows)
	}
}

func TestCompareToBaselineErrors(t *testing.T) {
	base := Sample{Name: "b", Values: []float64{1, 2, 3}}
	if _, err := CompareToBaseline(base, nil, CompareOptions{Method: "anova"}); !errors.Is(err, ErrMethod) {
		t.Errorf("unknown method: %v, want ErrMethod", err)
	}
	if _, err := CompareToBaseline(base, nil, CompareOptions{Level: 2}); !errors.Is(err, ErrLevel) {
		t.Errorf("level 2: %v, want ErrLevel", err)
	}
	_, err := CompareToBaseline(base, []Sample{{Name: "short", Values: []float64{1, 2}}}, CompareOptions{})
	if !errors.Is(err, ErrLengthMismatch) || err.Error() != `comparing "short" with baseline "b": reports: paired samples differ in length: 2 and 3` {
		t.Errorf("paired with different lengths: %v", err)
	}
	if rows, err := CompareToBaseline(base, nil, CompareOptions{}); err != nil || len(rows) != 0 {
		t.Errorf("no others: %v, %v", rows, err)
	}
}
