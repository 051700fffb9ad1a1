package reports_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/vtsim/vtsim/reports"
)

// ExampleReplicateConfigs compares two service speeds on the same
// replication seeds: each customer's needs are drawn at its arrival from
// streams of their own, so customer k needs the same work under both
// configurations (common random numbers) and the paired interval of the
// difference is narrow. The priority class is absent from some
// replications: its mean is missing there, and the ratio estimator pools
// its total and count instead.
func ExampleReplicateConfigs() {
	model := func(speed float64) reports.Model {
		return func(rep reports.Replication) (reports.Metrics, error) {
			work := rand.New(rand.NewPCG(rep.Seed, 1))  // the stream of service needs
			class := rand.New(rand.NewPCG(rep.Seed, 2)) // the stream of classes
			var total, prioTotal, prioCount float64
			for range 50 {
				need := work.ExpFloat64() / speed
				total += need
				if class.Float64() < 0.01 {
					prioTotal += need
					prioCount++
				}
			}
			return reports.Metrics{"service": total / 50, "prio.mean": prioTotal / prioCount, // NaN: missing
				"prio.total": prioTotal, "prio.count": prioCount}, nil
		}
	}
	res, err := reports.ReplicateConfigs(context.Background(), reports.Experiment{Replications: 20, Seed: 1},
		reports.ConfigsOptions{Baseline: "speed 1", Ratios: []reports.Ratio{{Name: "prio", Num: "prio.total", Den: "prio.count"}}},
		reports.Config{Name: "speed 1", Model: model(1)}, reports.Config{Name: "speed 2", Model: model(2)})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reports.WriteConfigsText(os.Stdout, res); err != nil {
		fmt.Println(err)
	}
	// Output:
	// seed 1, 20 replications of 2 configurations on the same seeds, 95% confidence; diff = mean - mean of speed 1, paired by replication
	// config   metric        n   mean      ci low      ci high   std err    diff vs speed 1  diff low   diff high    p-value
	// speed 1  prio.count    20  0.35      0.0360464   0.663954  0.15       baseline         -          -            -
	// speed 1  prio.mean     5   0.768732  0.491965    1.0455    0.0996838  baseline         -          -            -
	// speed 1  prio.total    20  0.272479  0.00788797  0.53707   0.126416   baseline         -          -            -
	// speed 1  service       20  1.00553   0.921625    1.08943   0.0400868  baseline         -          -            -
	// speed 1  prio (ratio)  20  0.778512  0.514887    1.04214   0.125954   baseline         -          -            -
	// speed 2  prio.count    20  0.35      0.0360464   0.663954  0.15       0                0          0            1
	// speed 2  prio.mean     5   0.384366  0.245982    0.522749  0.0498419  -0.384366        -0.522749  -0.245982    0.00152184
	// speed 2  prio.total    20  0.13624   0.00394398  0.268535  0.0632079  -0.13624         -0.268535  -0.00394398  0.0441633
	// speed 2  service       20  0.502764  0.460812    0.544715  0.0200434  -0.502764        -0.544715  -0.460812    5.0077e-16
	// speed 2  prio (ratio)  20  0.389256  0.257444    0.521068  0.062977   -0.389256        -0.521068  -0.257444    6.12835e-06
}
