package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestQuantileSorted(t *testing.T) {
	values := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := []struct {
		p, want float64
	}{
		{0, 1}, {0.05, 1}, {0.1, 1}, {0.11, 2}, {0.5, 5}, {0.51, 6}, {0.95, 10}, {0.99, 10}, {1, 10},
	}
	for _, c := range cases {
		got, err := QuantileSorted(c.p, values)
		if err != nil || got != c.want {
			t.Errorf("QuantileSorted(%v) = %v, %v, want %v", c.p, got, err, c.want)
		}
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := QuantileSorted(p, values); !errors.Is(err, ErrProbability) {
			t.Errorf("QuantileSorted(%v) error = %v, want ErrProbability", p, err)
		}
	}
	if _, err := QuantileSorted(0.5, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("QuantileSorted of nothing: error = %v, want ErrEmpty", err)
	}
}

// TestQuantileSortedMatchesTally checks QuantileSorted against
// Tally.Quantile (gonum's Empirical) on random samples of many sizes.
func TestQuantileSortedMatchesTally(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := []float64{0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}
	for n := 1; n <= 300; n += 7 {
		tl := NewTally(true)
		for range n {
			tl.Add(float64(rng.IntN(50)))
		}
		want, err := tl.Quantiles(ps...)
		if err != nil {
			t.Fatal(err)
		}
		sorted := tl.Values()
		slices.Sort(sorted)
		for i, p := range ps {
			if got, _ := QuantileSorted(p, sorted); got != want[i] {
				t.Errorf("n=%d p=%v: QuantileSorted = %v, Tally.Quantile = %v", n, p, got, want[i])
			}
		}
	}
}

func TestWriteTable(t *testing.T) {
	tb := Table{Caption: "two rows", Header: []string{"name", "x"}, NameCols: 1,
		Rows: [][]string{{"a|b", "1"}, {"c", "22.5"}}}
	cases := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"text", func(b *bytes.Buffer) error { return WriteTableText(b, tb) },
			"two rows\nname  x\na|b   1\nc     22.5\n"},
		{"markdown", func(b *bytes.Buffer) error { return WriteTableMarkdown(b, tb) },
			"two rows\n\n| name | x |\n| --- | ---: |\n| a\\|b | 1 |\n| c | 22.5 |\n"},
		{"csv", func(b *bytes.Buffer) error { return WriteTableCSV(b, tb) },
			"name,x\na|b,1\nc,22.5\n"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := c.write(&b); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, b.String(), c.want)
		}
	}
}

func TestJSONFloat(t *testing.T) {
	b, err := json.Marshal([]JSONFloat{0.1, 2, JSONFloat(math.NaN()), JSONFloat(math.Inf(-1)), 1e21})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[0.1,2,null,null,1e+21]"; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
