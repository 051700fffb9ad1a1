package main

import (
	"os"

	"github.com/vtsim/vtsim/scenario"
)

// Example runs the program's command line in-process, as main does on
// os.Args.
func Example() {
	cmd := scenario.App{Name: "myscenario", Scenarios: []*scenario.Scenario{printShop()}, Stdout: os.Stdout, Stderr: os.Stdout}.Command()
	_ = scenario.Execute(cmd, []string{"run", "print-shop", "--set", "printers=1", "--reps", "4"})
	_ = scenario.Execute(cmd, []string{"run", "print-shop", "--set", "printers=0"})
	// Output:
	// print-shop: print jobs queue for a few printers
	// params: rate=2 printers=1 pages=20 speed=30 day=8h0m0s
	// seed 1, 4 replications, 95% confidence
	// metric       unit  n  mean      ci low    ci high   half-width  theory
	// wait         min   4  0.528564  0.379394  0.677733  0.14917     -
	// jobs         -     4  977.75    930.701   1024.8    47.0488     -
	// utilisation  -     4  0.701554  0.651407  0.751702  0.0501474   0.7
	//
	// The table shows each metric's mean over 4 replications of print-shop with its 95% confidence interval, next to the value theory predicts.
	// 1 of 1 intervals cover their theory value, as the simulation should.
	//
	// reproduce: myscenario run print-shop --reps 4 --seed 1 --set printers=1
	// myscenario: bad parameter value: printers = 0 is out of range; allowed: an integer in [1, 100]
}
