// Command vtsim runs vtsim's built-in simulation scenarios: with no
// arguments the default experiment, and with subcommands run, list,
// describe, schema, sweep (sharded over machines) and merge. See
// 'vtsim --help'.
package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
)

// DefaultScenario is the scenario `vtsim` runs with no arguments, and
// DefaultReps its replications.
const (
	DefaultScenario = "sched"
	DefaultReps     = 30
)

func main() {
	cmd := command(os.Stdout, os.Stderr, os.Getenv)
	err := scenario.Execute(cmd, os.Args[1:])
	os.Exit(scenario.ExitCode(err))
}

// command builds vtsim's command line, writing to stdout and stderr and
// reading the environment with getenv.
func command(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	return scenario.App{
		Name:        "vtsim",
		Short:       "vtsim runs discrete-event simulation scenarios on virtual time",
		Scenarios:   catalog.All(),
		Default:     DefaultScenario,
		DefaultReps: DefaultReps,
		Stdout:      stdout,
		Stderr:      stderr,
		Getenv:      getenv,
	}.Command()
}
