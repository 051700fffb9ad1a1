// Package scenario turns simulation models into a command line: typed
// parameters, replications in parallel, reports with theory columns, config
// files, sweeps sharded over machines and their merge. vtsim's own command
// (cmd/vtsim) is built with it from the scenarios of package
// [github.com/vtsim/vtsim/scenario/catalog], and a program of one's own
// gets the same command line for its models with one call:
//
//	func main() { scenario.Main(myModel()) }
//
// # Scenarios
//
// A [Scenario] has a name, a one-line summary, typed parameters ([Param]:
// int, float, duration, string or enum, with a default, a range or set, a
// unit and a help text), the metrics it reports ([Metric]: a name, a unit
// and, where theory gives one, the predicted value as a function of the
// parameters), and a Run function. Run gets an Env made with sim.New and
// the replication's seed, and the parameters ([Params], read with typed
// getters), and returns its observations: one float64 per metric.
//
// [Scenario.Replicate] runs the replications in parallel with
// reports.Replicate: replication i has seed reports.ReplicationSeed(seed, i),
// and the result never depends on the number of workers.
//
// # The command line
//
// [App.Command] builds a cobra command with the subcommands run, list,
// describe, schema, sweep and merge, and shell completion; [Execute] runs it
// and prints an error on one line, and [ExitCode] maps it to the exit
// status: 0 for success, 1 for a run that failed, 2 for a usage error (a bad
// flag, value, scenario name or config file). Progress bars are drawn on
// stderr only when it is a terminal.
//
// # Config files
//
// A YAML config ([Config], read by [LoadConfig]) names a scenario, its
// replications and seed, parameter values, and a sweep grid or a list of
// points. Unknown fields are errors, and every error names the file, the
// line and column, the field, and what is allowed. [WriteSchema] writes the
// JSON Schema of config files, generated from the scenarios.
//
// # Sweeps, shards and merge
//
// A sweep's unit of work is one replication of one parameter point: unit u
// is replication u mod reps of point u / reps. [Sweep] runs the units of a
// [Shard] (those with u mod n = i) and writes each one's observations
// atomically into a directory, with the config's hash and the program's
// version; units already there are skipped on a rerun. [Merge] reads the
// units back, refusing those of another config, seed or version and naming
// the units missing, and [BuildReport] summarises them into the same
// [Report], byte for byte, that one process would have written.
//
// # Errors
//
// Bad input returns an error that says what was wrong and what is allowed,
// wrapping one of the sentinels ([ErrUnknownScenario], [ErrUnknownParam],
// [ErrBadValue], [ErrConfig], [ErrShard], [ErrMerge], [ErrRun]); a mistake
// in a scenario's definition (a default outside its range, a metric declared
// twice, a getter for a parameter that does not exist) panics, naming the
// scenario and the call.
package scenario
