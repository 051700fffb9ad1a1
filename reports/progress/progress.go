// Package progress shows the progress of long experiments as a bar on a
// terminal, and nothing otherwise. It is apart from package reports so that
// importing reports pulls in no terminal library.
package progress

import (
	"os"

	"github.com/vtsim/vtsim/reports"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress shows how many of the replications of a long experiment have
// run, as a progress bar on a terminal, and shows nothing when its file is
// not a terminal (a pipe, a file, a CI log), so that redirected output stays
// clean. It never changes a result.
//
// The zero value and a nil *Progress show nothing; their methods do
// nothing. A Progress is safe for concurrent use, so that the replications
// of [reports.Replicate], which run on several goroutines, may count themselves
// (see [Progress.Model]).
type Progress struct {
	bar *progressbar.ProgressBar
}

// New returns a Progress that draws a bar of total steps on f,
// labelled with description, if f is a terminal (golang.org/x/term's
// IsTerminal). If f is nil or not a terminal, or total is below 1, it
// returns a Progress that shows nothing. Call [Progress.Finish] when the
// work ends.
func New(f *os.File, total int, description string) *Progress {
	if f == nil || total < 1 || !term.IsTerminal(int(f.Fd())) {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)}
}

// Active reports whether p draws a bar.
func (p *Progress) Active() bool { return p != nil && p.bar != nil }

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	if p.Active() {
		_ = p.bar.Add(n) // a failed write to the terminal is not worth stopping an experiment
	}
}

// Finish fills the bar and clears it from the terminal.
func (p *Progress) Finish() {
	if p.Active() {
		_ = p.bar.Finish()
	}
}

// Model returns a reports.Model that runs m and then advances p by one step, for
// [reports.Replicate]:
//
//	bar := progress.New(os.Stderr, exp.Replications, "replications")
//	res, err := reports.Replicate(ctx, exp, bar.Model(model))
//	bar.Finish()
//
// If p shows nothing it returns m itself.
func (p *Progress) Model(m reports.Model) reports.Model {
	if !p.Active() {
		return m
	}
	return func(rep reports.Replication) (reports.Metrics, error) {
		defer p.Add(1)
		return m(rep)
	}
}
