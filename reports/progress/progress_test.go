package progress

import (
	"context"
	"github.com/vtsim/vtsim/reports"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestProgressNotTerminal checks that a Progress on a pipe or a regular file
// writes nothing, even while an experiment counts its replications.
func TestProgressNotTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()

	model := func(rep reports.Replication) (reports.Metrics, error) {
		return reports.Metrics{"x": float64(rep.Index)}, nil
	}
	for _, f := range []*os.File{w, file} {
		p := New(f, 20, "replications")
		if p.Active() {
			t.Fatalf("%s: progress is active on a non-terminal", f.Name())
		}
		res, err := reports.Replicate(context.Background(), reports.Experiment{Replications: 20, Workers: 4}, p.Model(model))
		if err != nil || res.Replications != 20 {
			t.Fatalf("reports.Replicate = %v, %v", res.Replications, err)
		}
		p.Add(5)
		p.Finish()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(r); err != nil || len(b) != 0 {
		t.Errorf("pipe got %q, %v; want nothing", b, err)
	}
	if fi, err := file.Stat(); err != nil || fi.Size() != 0 {
		t.Errorf("file holds %d bytes, %v; want nothing", fi.Size(), err)
	}
}

// TestProgressNil checks that nil and zero Progress values do nothing.
func TestProgressNil(t *testing.T) {
	var nilP *Progress
	for _, p := range []*Progress{nilP, {}, New(nil, 10, ""), New(os.Stderr, 0, "")} {
		if p.Active() {
			t.Error("active")
		}
		p.Add(1)
		p.Finish()
		m := p.Model(func(reports.Replication) (reports.Metrics, error) { return reports.Metrics{"x": 1}, nil })
		if got, err := m(reports.Replication{}); err != nil || got["x"] != 1 {
			t.Errorf("Model = %v, %v", got, err)
		}
	}
}
