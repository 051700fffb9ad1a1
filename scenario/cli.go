package scenario

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vtsim/vtsim/reports"
	"github.com/vtsim/vtsim/reports/progress"
	"github.com/vtsim/vtsim/sim"
)

// App is a command line for a set of scenarios: run, list, describe,
// schema, sweep (with shards) and merge, with help and shell completion.
// vtsim's own command is an App of its built-in scenarios; [Main] makes one
// of a program's own.
type App struct {
	// Name is the command's name, as the user types it.
	Name string
	// Short is a one-line description for the help.
	Short string
	// Version is the program's version, stored in reports and unit files;
	// empty means the main module's version from the build information.
	Version string
	// Scenarios are the scenarios the command knows, in the order listed.
	Scenarios []*Scenario
	// Default names the scenario the command runs with no arguments,
	// DefaultReps times (0: the scenario's default); empty means print the
	// help instead.
	Default     string
	DefaultReps int
	// Stdout and Stderr are where the command writes; nil means os.Stdout
	// and os.Stderr. Progress bars are drawn only when Stderr is a terminal.
	Stdout, Stderr io.Writer
	// Getenv reads the environment for --shard auto; nil means os.Getenv.
	Getenv func(string) string
}

// Main runs the command line of an [App] with the given scenarios, named
// after the program, on os.Args, and exits with [ExitCode]. It is the whole
// main function of a program of one's own:
//
//	func main() { scenario.Main(myModel, myOtherModel) }
func Main(scenarios ...*Scenario) {
	cmd := App{Name: filepath.Base(os.Args[0]), Scenarios: scenarios}.Command()
	os.Exit(ExitCode(Execute(cmd, os.Args[1:])))
}

// Execute runs cmd with args and, if it fails, writes the error on one line
// to cmd's error output, prefixed with the command's name. An interrupt
// (Ctrl-C) cancels the run: replications under way finish, and units
// already written stay for a rerun. It returns the error, for [ExitCode].
func Execute(cmd *cobra.Command, args []string) error {
	if args == nil {
		args = []string{} // cobra reads os.Args for nil
	}
	cmd.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_, err := cmd.ExecuteContextC(ctx)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		msg = strings.TrimSpace(msg)
		if !errors.As(err, new(*runFailure)) && !errors.As(err, new(*UsageError)) {
			msg += fmt.Sprintf("; see '%s --help'", cmd.Name())
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s\n", cmd.Name(), msg)
	}
	return err
}

// ExitCode returns the exit status for an error of [Execute]: 0 for nil, 1
// for a run that failed, 2 for a usage error (a bad flag, argument, value
// or config file).
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.As(err, new(*UsageError)):
		return 2
	case errors.As(err, new(*runFailure)):
		return 1
	}
	return 2 // cobra's own errors: unknown command or flag
}

// runFailure marks an error of a command's work, as opposed to its usage.
type runFailure struct{ err error }

func (e *runFailure) Error() string { return e.err.Error() }
func (e *runFailure) Unwrap() error { return e.err }

// cli is an App being run.
type cli struct {
	App
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Command returns the cobra command of a, with its subcommands. Each call
// builds new commands, so that several may run at once (in tests, say). It
// panics if a scenario is malformed (see [Scenario.Validate]), two share a
// name, or Default names none of them.
func (a App) Command() *cobra.Command {
	c := &cli{App: a, stdout: a.Stdout, stderr: a.Stderr, getenv: a.Getenv}
	if c.stdout == nil {
		c.stdout = os.Stdout
	}
	if c.stderr == nil {
		c.stderr = os.Stderr
	}
	if c.getenv == nil {
		c.getenv = os.Getenv
	}
	if c.Name == "" {
		c.Name = "vtsim"
	}
	if c.Version == "" {
		c.Version = buildVersion()
	}
	seen := map[string]bool{}
	for _, s := range c.Scenarios {
		s.Validate()
		if seen[s.Name] {
			panic(fmt.Sprintf("scenario: App.Command: two scenarios named %q", s.Name))
		}
		seen[s.Name] = true
	}
	if c.Default != "" && !seen[c.Default] {
		panic(fmt.Sprintf("scenario: App.Command: Default %q is not one of the scenarios", c.Default))
	}
	short := c.Short
	if short == "" {
		short = "run simulation scenarios on virtual time"
	}
	root := &cobra.Command{
		Use:           c.Name,
		Short:         short,
		Long:          c.long(short),
		Version:       c.Version,
		Args:          noArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE:          c.wrap(c.runDefault),
	}
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("%v; see '%s --help'", err, cmd.CommandPath())
	})
	root.AddCommand(c.runCommand(), c.listCommand(), c.describeCommand(), c.schemaCommand(),
		c.sweepCommand(), c.mergeCommand())
	return root
}

// long is the root command's long help.
func (c *cli) long(short string) string {
	s := short + ".\n\n"
	if c.Default != "" {
		s += fmt.Sprintf("With no arguments, %s runs the default experiment (scenario %s) and prints its report.\n", c.Name, c.Default)
	}
	s += fmt.Sprintf("Scenarios: %s. See '%s list' and '%s describe SCENARIO'.", names(c.Scenarios), c.Name, c.Name)
	return s
}

// buildVersion returns the main module's version, or "(devel)".
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// wrap marks the errors of fn that are not usage errors as run failures.
func (c *cli) wrap(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		if err == nil || errors.As(err, new(*UsageError)) {
			return err
		}
		return &runFailure{err: err}
	}
}

// noArgs rejects positional arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && sub.Name() != "help" && sub.Name() != "completion" {
					names = append(names, sub.Name())
				}
			}
			return usagef("unknown command %q; commands: %s; see '%s --help'", args[0], strings.Join(names, ", "), cmd.CommandPath())
		}
		return usagef("%s takes no arguments; see '%s --help'", cmd.CommandPath(), cmd.CommandPath())
	}
	return nil
}

// exactArgs wants n positional arguments, described by what.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s wants %s, got %d arguments; see '%s --help'", cmd.CommandPath(), what, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// names lists the scenarios' names.
func names(catalog []*Scenario) string {
	out := make([]string, len(catalog))
	for i, s := range catalog {
		out[i] = s.Name
	}
	return strings.Join(out, ", ")
}

// lookup finds a scenario by name.
func lookup(catalog []*Scenario, name string) (*Scenario, error) {
	for _, s := range catalog {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w %q; available: %s", ErrUnknownScenario, name, names(catalog))
}

// completeScenarios completes a scenario name.
func (c *cli) completeScenarios(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, s := range c.Scenarios {
		out = append(out, cobra.CompletionWithDesc(s.Name, s.Summary))
	}
	return out, cobra.ShellCompDirectiveDefault
}

// output holds the flags that say where and how a report is written.
type output struct {
	format, out string
}

func (o *output) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "text", "report format: "+strings.Join(Formats(), ", "))
	cmd.Flags().StringVar(&o.out, "out", "", "write the report to this file (atomically) instead of stdout")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(Formats(), cobra.ShellCompDirectiveNoFileComp))
}

// check validates the format before any work is done.
func (o *output) check() error {
	for _, f := range Formats() {
		if f == o.format {
			return nil
		}
	}
	return usagef("--format %q: allowed: %s", o.format, strings.Join(Formats(), ", "))
}

// write writes r, to the file --out or to stdout, and in text to stdout
// adds the conclusion and the command that reproduces it.
func (c *cli) write(o output, r *Report, reproduce string) error {
	if o.out != "" {
		if err := reports.WriteFileAtomic(o.out, func(w io.Writer) error { return r.Write(w, o.format) }); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "%s: wrote %s\n", c.Name, o.out)
		return nil
	}
	var b bytes.Buffer
	if err := r.Write(&b, o.format); err != nil {
		return err
	}
	if o.format == "text" && reproduce != "" {
		if len(r.Points) == 1 {
			fmt.Fprintf(&b, "\n%s\n", conclude(r.Scenario, r.Points[0]))
		}
		fmt.Fprintf(&b, "\nreproduce: %s\n", reproduce)
	}
	_, err := c.stdout.Write(b.Bytes())
	return err
}

// progressFile returns stderr as a file, or nil.
func (c *cli) progressFile() *os.File {
	f, _ := c.stderr.(*os.File)
	return f
}

// warn prints a warning line.
func (c *cli) warn(format string, args ...any) {
	fmt.Fprintf(c.stderr, "%s: warning: %s\n", c.Name, fmt.Sprintf(format, args...))
}

// runFlags are the flags of run.
type runFlags struct {
	output
	reps, workers int
	seed          uint64
	set           []string
	trace         string
}

func (c *cli) runCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run SCENARIO|CONFIG.yaml",
		Short: "Run a scenario's replications and print a report",
		Long: `Run a built-in scenario, or the scenario of a config file, and print a report: per metric the
mean over the replications, its 95% confidence interval, and the theory value where one exists.
Replication i runs with seed reports.ReplicationSeed(--seed, i); the result never depends on --workers.`,
		Example: fmt.Sprintf("  %[1]s run mm1\n  %[1]s run mm1 --set arrival=0.8 --reps 10 --format md\n  %[1]s run experiment.yaml --out report.html --format html", c.Name),
		Args:    exactArgs(1, "one scenario name or config file"),
		RunE: c.wrap(func(cmd *cobra.Command, args []string) error {
			return c.run(cmd, args[0], f)
		}),
		ValidArgsFunction: c.completeScenarios,
	}
	f.flags(cmd)
	fl := cmd.Flags()
	fl.IntVar(&f.reps, "reps", 0, "number of replications (default: the scenario's)")
	fl.Uint64Var(&f.seed, "seed", DefaultSeed, "root seed")
	fl.StringArrayVar(&f.set, "set", nil, "set a parameter, key=value (repeatable)")
	fl.StringVar(&f.trace, "trace", "", "write a Perfetto trace of replication 0 to this file")
	fl.IntVar(&f.workers, "workers", 0, "replications run at once (default: GOMAXPROCS); never changes the result")
	return cmd
}

// isConfig reports whether arg names a config file rather than a scenario.
func isConfig(arg string) bool {
	ext := filepath.Ext(arg)
	return ext == ".yaml" || ext == ".yml" || strings.ContainsRune(arg, os.PathSeparator)
}

// parseSet reads --set flags into a map.
func parseSet(set []string) (map[string]string, error) {
	values := map[string]string{}
	for _, kv := range set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--set %q: want key=value, such as --set arrival=0.8", kv)
		}
		values[k] = v
	}
	return values, nil
}

func (c *cli) runDefault(cmd *cobra.Command, _ []string) error {
	if c.Default == "" {
		return cmd.Help()
	}
	return c.run(cmd, c.Default, runFlags{output: output{format: "text"}, reps: c.DefaultReps, seed: DefaultSeed})
}

func (c *cli) run(cmd *cobra.Command, target string, f runFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	if f.reps < 0 {
		return usagef("--reps %d: allowed: an integer >= 1 (0 for the scenario's default)", f.reps)
	}
	if f.workers < 0 {
		return usagef("--workers %d: allowed: an integer >= 1 (0 for GOMAXPROCS)", f.workers)
	}
	set, err := parseSet(f.set)
	if err != nil {
		return err
	}
	var (
		s         *Scenario
		p         Params
		reps      = f.reps
		seed      = f.seed
		reproduce string
	)
	if isConfig(target) {
		cfg, err := LoadConfig(target, c.Scenarios)
		if err != nil {
			return err
		}
		if len(cfg.Points) > 1 {
			return usagef("%s has %d parameter points; run it with '%s sweep %s'", target, len(cfg.Points), c.Name, target)
		}
		s, p = cfg.Scenario, cfg.Points[0]
		if !cmd.Flags().Changed("reps") {
			reps = cfg.Reps
		}
		if !cmd.Flags().Changed("seed") {
			seed = cfg.Seed
		}
		if p, err = s.override(p, set); err != nil {
			return &UsageError{Err: err}
		}
		reproduce = fmt.Sprintf("%s run %s --reps %d --seed %d%s", c.Name, target, reps, seed, setFlags(s, p, cfg.Points[0]))
	} else {
		s, err = lookup(c.Scenarios, target)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("%w (see '%s list')", err, c.Name)}
		}
		if p, err = s.Resolve(set); err != nil {
			return &UsageError{Err: err}
		}
		if reps == 0 {
			reps = s.reps()
		}
		reproduce = fmt.Sprintf("%s run %s --reps %d --seed %d%s", c.Name, s.Name, reps, seed, setFlags(s, p, s.Defaults()))
	}
	warning, err := s.check(p)
	if err != nil {
		return &UsageError{Err: err}
	}
	if warning != "" {
		c.warn("%s: %s", s.Name, warning)
	}
	var log bytes.Buffer
	opts := Options{Reps: reps, Seed: seed, Workers: f.workers}
	if f.format == "text" && f.out == "" {
		opts.Log = &log
	}
	bar := progress.New(c.progressFile(), reps, s.Name)
	opts.Wrap = bar.Model
	res, err := s.Replicate(cmd.Context(), p, opts)
	bar.Finish()
	if err != nil {
		return err
	}
	if _, err := c.stdout.Write(log.Bytes()); err != nil {
		return err
	}
	if f.trace != "" {
		if err := c.writeTrace(f.trace, s, p, seed); err != nil {
			return err
		}
	}
	r := &Report{Scenario: s, Seed: seed, Reps: reps, Version: c.Version, Points: []Point{{Params: p, Result: res}}}
	return c.write(f.output, r, reproduce)
}

// setFlags returns the --set flags that give p from base.
func setFlags(s *Scenario, p, base Params) string {
	var b strings.Builder
	for i, d := range s.Params {
		if v := d.Format(p.vals[i]); v != d.Format(base.vals[i]) {
			b.WriteString(" --set " + d.Name + "=" + v)
		}
	}
	return b.String()
}

// writeTrace runs replication 0 again with a TraceRecorder and writes its
// trace.
func (c *cli) writeTrace(path string, s *Scenario, p Params, seed uint64) error {
	var rec sim.TraceRecorder
	if _, err := s.RunOne(p, 0, reports.ReplicationSeed(seed, 0), nil, sim.WithTracer(&rec)); err != nil {
		return fmt.Errorf("%w: trace of replication 0: %w", ErrRun, err)
	}
	if err := reports.WriteFileAtomic(path, rec.WriteChrome); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "%s: wrote %s (open it in ui.perfetto.dev)\n", c.Name, path)
	return nil
}

// conclude returns two sentences on what a point's result shows.
func conclude(s *Scenario, pt Point) string {
	if s.Conclude != nil {
		return s.Conclude(pt.Params, pt.Result)
	}
	n := pt.Result.Replications
	covered, with := 0, 0
	var misses []string
	for _, def := range s.Metrics {
		m, ok := pt.Result.Metric(def.Name)
		if !ok || def.Theory == nil {
			continue
		}
		th, ok := def.Theory(pt.Params)
		if !ok {
			continue
		}
		with++
		if m.Summary.Low <= th && th <= m.Summary.High {
			covered++
		} else {
			misses = append(misses, def.Name)
		}
	}
	first := fmt.Sprintf("The table shows each metric's mean over %d replications of %s with its 95%% confidence interval", n, s.Name)
	if with == 0 {
		return first + "; no theory value exists for these parameters.\nRerun with more replications (--reps) to narrow the intervals."
	}
	first += ", next to the value theory predicts."
	second := fmt.Sprintf("%d of %d intervals cover their theory value", covered, with)
	if len(misses) > 0 {
		second += fmt.Sprintf(" (%s does not, which with 95%% intervals happens about one time in twenty, more often for short runs with warm-up bias)", strings.Join(misses, ", "))
	} else {
		second += ", as the simulation should"
	}
	return first + "\n" + second + "."
}

func (c *cli) listCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the scenarios with their parameters and metrics",
		Args:  noArgs,
		RunE: c.wrap(func(*cobra.Command, []string) error {
			var b bytes.Buffer
			for i, s := range c.Scenarios {
				if i > 0 {
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, "%s - %s\n", s.Name, s.Summary)
				for _, p := range s.Params {
					fmt.Fprintf(&b, "  %s\n", paramLine(p))
				}
				var ms []string
				for _, m := range s.Metrics {
					ms = append(ms, metricLabel(m))
				}
				fmt.Fprintf(&b, "  metrics: %s\n", strings.Join(ms, ", "))
			}
			_, err := c.stdout.Write(b.Bytes())
			return err
		}),
	}
}

// paramLine is a parameter on one line.
func paramLine(p Param) string {
	unit := ""
	if p.Unit != "" {
		unit = " " + p.Unit
	}
	return fmt.Sprintf("--set %s=%s%s  (%s; %s) %s", p.Name, p.Format(p.Default), unit, p.Type, p.Allowed(), p.Help)
}

// metricLabel is a metric's name with its unit and a mark for theory.
func metricLabel(m Metric) string {
	var tags []string
	if m.Unit != "" {
		tags = append(tags, m.Unit)
	}
	if m.Theory != nil {
		tags = append(tags, "theory")
	}
	if len(tags) == 0 {
		return m.Name
	}
	return m.Name + " (" + strings.Join(tags, ", ") + ")"
}

func (c *cli) describeCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "describe SCENARIO",
		Short:             "Describe a scenario: parameters, defaults, ranges, units and metrics",
		Args:              exactArgs(1, "one scenario name"),
		ValidArgsFunction: c.completeScenarios,
		RunE: c.wrap(func(_ *cobra.Command, args []string) error {
			s, err := lookup(c.Scenarios, args[0])
			if err != nil {
				return &UsageError{Err: fmt.Errorf("%w (see '%s list')", err, c.Name)}
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "%s - %s\n", s.Name, s.Summary)
			if s.Description != "" {
				fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(s.Description))
			}
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "\nparameter\ttype\tdefault\tallowed\tunit\thelp")
			for _, p := range s.Params {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Type, p.Format(p.Default), p.Allowed(), dash(p.Unit), p.Help)
			}
			fmt.Fprintln(tw, "\nmetric\tunit\ttheory\thelp")
			def := s.Defaults()
			for _, m := range s.Metrics {
				th := "-"
				if m.Theory != nil {
					th = "none at defaults"
					if v, ok := m.Theory(def); ok {
						th = short(v) + " at defaults"
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, dash(m.Unit), th, m.Help)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(&b, "\nreplications: %d by default\nexample: %s run %s --reps %d\n", s.reps(), c.Name, s.Name, s.reps())
			_, err = c.stdout.Write(b.Bytes())
			return err
		}),
	}
}

// dash returns s, or "-" if it is empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (c *cli) schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of config files, generated from the scenarios",
		Args:  noArgs,
		RunE: c.wrap(func(*cobra.Command, []string) error {
			return WriteSchema(c.stdout, c.Scenarios)
		}),
	}
}

// sweepFlags are the flags of sweep.
type sweepFlags struct {
	output
	shard, dir string
	shards     int
	workers    int
}

func (c *cli) sweepCommand() *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep CONFIG.yaml",
		Short: "Run every point of a config's sweep, or one shard of it",
		Long: `Run every parameter point of a config file (its sweep grid or points list), each with its
replications. The unit of work is one replication of one point. With --shard i/n only the units u with
u mod n = i run, each written atomically into --dir as it ends; a rerun skips the units already there.
'merge' joins the shards' units into exactly the report one process would print.

--shard auto takes the index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; the count from
--shards or VTSIM_SHARDS) or from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm array).`,
		Example: fmt.Sprintf("  %[1]s sweep sweep.yaml\n  %[1]s sweep sweep.yaml --shard 0/4 --dir units/\n  %[1]s merge units/", c.Name),
		Args:    exactArgs(1, "one config file"),
		RunE: c.wrap(func(cmd *cobra.Command, args []string) error {
			return c.sweep(cmd, args[0], f)
		}),
	}
	f.flags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.shard, "shard", "", "run only shard i/n of the units (or auto, from Kubernetes or Slurm)")
	fl.IntVar(&f.shards, "shards", 0, "number of shards for --shard auto (default: VTSIM_SHARDS or SLURM_ARRAY_TASK_COUNT)")
	fl.StringVar(&f.dir, "dir", "", "directory to write each unit's result into (needed with --shard)")
	fl.IntVar(&f.workers, "workers", 0, "units run at once (default: GOMAXPROCS); never changes the result")
	return cmd
}

func (c *cli) sweep(cmd *cobra.Command, path string, f sweepFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	if f.workers < 0 {
		return usagef("--workers %d: allowed: an integer >= 1 (0 for GOMAXPROCS)", f.workers)
	}
	cfg, err := LoadConfig(path, c.Scenarios)
	if err != nil {
		return err
	}
	sw := &Sweep{Config: cfg, Version: c.Version, Workers: f.workers, Dir: f.dir}
	if f.shard != "" {
		if f.dir == "" {
			return usagef("--shard %s needs --dir DIR to write the units into", f.shard)
		}
		if sw.Shard, err = ParseShard(f.shard, f.shards, c.getenv); err != nil {
			return &UsageError{Err: err}
		}
	}
	for i, p := range cfg.Points {
		warning, err := cfg.Scenario.check(p)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("%s: point %d (%s): %w", path, i, p.pairs(), err)}
		}
		if warning != "" {
			c.warn("%s: point %d (%s): %s", cfg.Scenario.Name, i, p.pairs(), warning)
		}
	}
	total, owned := sw.Units()
	bar := progress.New(c.progressFile(), owned, cfg.Scenario.Name)
	sw.Done = func() { bar.Add(1) }
	obs, err := sw.Run(cmd.Context())
	bar.Finish()
	if err != nil {
		return err
	}
	if f.shard != "" {
		fmt.Fprintf(c.stderr, "%s: shard %s: %d of %d units in %s (%d run, %d there already); merge all shards with '%s merge %s'\n",
			c.Name, sw.Shard, owned, total, f.dir, owned-sw.Skipped, sw.Skipped, c.Name, f.dir)
		return nil
	}
	r, err := BuildReport(cfg, obs, c.Version)
	if err != nil {
		return err
	}
	return c.write(f.output, r, "")
}

func (c *cli) mergeCommand() *cobra.Command {
	var o output
	cmd := &cobra.Command{
		Use:   "merge DIR|FILES...",
		Short: "Join the units of a sharded sweep into its report",
		Long: `Read the unit files written by 'sweep --shard' (unit-*.json in each directory named, and the
files named) and print the report one process would have printed, byte for byte. Units from
another config, seed or version are refused; missing units are named.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s wants a directory or unit files; see '%s --help'", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: c.wrap(func(_ *cobra.Command, args []string) error {
			if err := o.check(); err != nil {
				return err
			}
			cfg, obs, err := Merge(args, c.Scenarios, c.Version)
			if err != nil {
				return err
			}
			r, err := BuildReport(cfg, obs, c.Version)
			if err != nil {
				return err
			}
			return c.write(o, r, "")
		}),
	}
	o.flags(cmd)
	return cmd
}
