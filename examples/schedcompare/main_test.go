package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtsim/vtsim/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestOutput pins the comparison the example prints, for generated jobs
// and for a trace, and checks the HTML page has its charts.
func TestOutput(t *testing.T) {
	html := filepath.Join(t.TempDir(), "r.html")
	cases := []struct {
		name string
		args []string
	}{
		{"generated", []string{"-reps", "3", "-jobs", "2000"}},
		{"swf", []string{"-reps", "3", "-swf", "../../workload/testdata/small.swf", "-html", html}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := run(c.args, &b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", c.name+".golden"), b.Bytes(), *update)
		})
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "<svg"); n < 3 {
		t.Errorf("the HTML page has %d charts; want at least 3", n)
	}
}

func TestBadInput(t *testing.T) {
	err := run([]string{"-swf", "does-not-exist.swf"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.swf") {
		t.Errorf("run with a missing trace = %v; want an error naming the file", err)
	}
}
