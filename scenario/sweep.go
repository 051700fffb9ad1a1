package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vtsim/vtsim/reports"
)

// UnitFormat is the value of the "format" field of a unit file.
const UnitFormat = "vtsim.unit/v1"

// A sweep's unit of work is one replication of one point: unit u is
// replication u mod reps of point u / reps, with seed
// reports.ReplicationSeed(seed, rep), the same at every point (common random
// numbers).

// Shard is a deterministic slice of a sweep's units: those whose index
// modulo Count is Index. The zero Shard is the whole sweep.
type Shard struct {
	Index, Count int
}

// owns reports whether the shard runs unit u.
func (s Shard) owns(u int) bool { return s.Count <= 1 || u%s.Count == s.Index }

// String returns "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseShard reads a shard as "i/n" (0 <= i < n), or "auto": the index from
// JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) with the count from
// shards or the environment variable VTSIM_SHARDS, or the index and count
// from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm array whose
// ids start at 0; for other ids SLURM_ARRAY_TASK_MIN is subtracted). getenv
// reads the environment (os.Getenv). Errors wrap [ErrShard].
func ParseShard(spec string, shards int, getenv func(string) string) (Shard, error) {
	if spec == "auto" {
		return autoShard(shards, getenv)
	}
	is, ns, ok := strings.Cut(spec, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("%w: --shard %q: allowed: i/n with 0 <= i < n, such as 0/4, or auto", ErrShard, spec)
	}
	return Shard{Index: i, Count: n}, nil
}

// autoShard finds the shard in the environment.
func autoShard(shards int, getenv func(string) string) (Shard, error) {
	atoi := func(name string) (int, bool, error) {
		v := getenv(name)
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, true, fmt.Errorf("%w: %s=%q is not a non-negative integer", ErrShard, name, v)
		}
		return n, true, nil
	}
	if i, ok, err := atoi("JOB_COMPLETION_INDEX"); ok || err != nil {
		if err != nil {
			return Shard{}, err
		}
		n := shards
		if n == 0 {
			c, ok, err := atoi("VTSIM_SHARDS")
			if err != nil {
				return Shard{}, err
			}
			if !ok {
				return Shard{}, fmt.Errorf("%w: JOB_COMPLETION_INDEX=%d is set but not the shard count; pass --shards N or set VTSIM_SHARDS to the Job's completions", ErrShard, i)
			}
			n = c
		}
		if n < 1 || i >= n {
			return Shard{}, fmt.Errorf("%w: JOB_COMPLETION_INDEX=%d with %d shards; want an index below the count", ErrShard, i, n)
		}
		return Shard{Index: i, Count: n}, nil
	}
	if id, ok, err := atoi("SLURM_ARRAY_TASK_ID"); ok || err != nil {
		if err != nil {
			return Shard{}, err
		}
		n, ok, err := atoi("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return Shard{}, err
		}
		if shards > 0 {
			n, ok = shards, true
		}
		if !ok {
			return Shard{}, fmt.Errorf("%w: SLURM_ARRAY_TASK_ID=%d is set but not SLURM_ARRAY_TASK_COUNT; pass --shards N", ErrShard, id)
		}
		lo, _, err := atoi("SLURM_ARRAY_TASK_MIN")
		if err != nil {
			return Shard{}, err
		}
		i := id - lo
		if n < 1 || i < 0 || i >= n {
			return Shard{}, fmt.Errorf("%w: SLURM_ARRAY_TASK_ID=%d (min %d) with %d tasks; want ids min..min+count-1", ErrShard, id, lo, n)
		}
		return Shard{Index: i, Count: n}, nil
	}
	return Shard{}, fmt.Errorf("%w: --shard auto found neither JOB_COMPLETION_INDEX (Kubernetes) nor SLURM_ARRAY_TASK_ID (Slurm); pass --shard i/n", ErrShard)
}

// unitFile is the content of one unit's file.
type unitFile struct {
	Format     string             `json:"format"`
	Version    string             `json:"vtsim_version"`
	ConfigHash string             `json:"config_hash"`
	Config     canonical          `json:"config"`
	Unit       int                `json:"unit"`
	Point      int                `json:"point"`
	Rep        int                `json:"rep"`
	Seed       string             `json:"seed"`
	Metrics    map[string]float64 `json:"metrics"`
}

// unitName is the file name of unit u.
func unitName(u int) string { return fmt.Sprintf("unit-%06d.json", u) }

// Sweep runs the units of a config.
type Sweep struct {
	Config *Config
	// Version is the program's version, stored in each unit file; merge
	// refuses units of another version.
	Version string
	// Workers is the number of units run at once; 0 means GOMAXPROCS.
	Workers int
	// Dir, if not empty, is where each unit's result is written, atomically,
	// as it ends; units already there are not run again.
	Dir string
	// Shard is the slice of units to run.
	Shard Shard
	// Done, if not nil, is called after each unit run (for a progress
	// bar); it may be called from several goroutines at once.
	Done func()
	// Skipped is set by Run to the number of the shard's units found in Dir
	// and not run again.
	Skipped int
}

// Units returns the number of units of the sweep and how many the shard
// owns.
func (sw *Sweep) Units() (total, owned int) {
	total = len(sw.Config.Points) * sw.Config.Reps
	for u := range total {
		if sw.Shard.owns(u) {
			owned++
		}
	}
	return total, owned
}

// Run runs the shard's units that are not in Dir yet, in parallel, and
// returns the observations of every unit it ran or found, by unit index
// (nil for units of other shards). It returns the error of the failed unit
// with the lowest index, wrapping [ErrRun], or an error for a unit file in
// Dir that belongs to another config or version.
func (sw *Sweep) Run(ctx context.Context) ([]Observations, error) {
	cfg := sw.Config
	total, _ := sw.Units()
	hash := cfg.Hash()
	sw.Skipped = 0
	obs := make([]Observations, total)
	var todo []int
	for u := range total {
		if !sw.Shard.owns(u) {
			continue
		}
		if sw.Dir != "" {
			f, err := readUnit(filepath.Join(sw.Dir, unitName(u)))
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				return nil, err
			case f.ConfigHash != hash || f.Version != sw.Version:
				return nil, fmt.Errorf("%w: %s is from another config or version (config %.12s, version %s; this run: config %.12s, version %s); use an empty --dir", ErrMerge, filepath.Join(sw.Dir, unitName(u)), f.ConfigHash, f.Version, hash, sw.Version)
			default:
				obs[u] = f.Metrics
				sw.Skipped++
				continue
			}
		}
		todo = append(todo, u)
	}
	if sw.Dir != "" {
		if err := os.MkdirAll(sw.Dir, 0o755); err != nil {
			return nil, err
		}
	}
	errs := make([]error, total)
	var next atomic.Int64
	var failed atomic.Bool
	work := func() {
		for !failed.Load() && ctx.Err() == nil {
			k := int(next.Add(1) - 1)
			if k >= len(todo) {
				return
			}
			u := todo[k]
			pt, rep := u/cfg.Reps, u%cfg.Reps
			seed := reports.ReplicationSeed(cfg.Seed, rep)
			o, err := runSafe(cfg.Scenario, cfg.Points[pt], rep, seed)
			if err == nil && sw.Dir != "" {
				f := unitFile{Format: UnitFormat, Version: sw.Version, ConfigHash: hash, Config: cfg.canonical(),
					Unit: u, Point: pt, Rep: rep, Seed: strconv.FormatUint(seed, 10), Metrics: o}
				err = reports.WriteFileAtomic(filepath.Join(sw.Dir, unitName(u)), func(w io.Writer) error {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(f)
				})
			}
			if err != nil {
				errs[u] = &reports.ReplicationError{Index: rep, Seed: seed, Err: fmt.Errorf("point %d (%s): %w", pt, cfg.Points[pt].pairs(), err)}
				failed.Store(true)
				continue
			}
			obs[u] = o
			if sw.Done != nil {
				sw.Done()
			}
		}
	}
	workers := sw.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range min(workers, max(1, len(todo))) {
		wg.Go(work)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRun, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return obs, nil
}

// runSafe runs one unit, turning a panic into an error.
func runSafe(s *Scenario, p Params, rep int, seed uint64) (o Observations, err error) {
	defer func() {
		if r := recover(); r != nil {
			o, err = nil, fmt.Errorf("%w: %v", reports.ErrPanic, r)
		}
	}()
	o, err = s.RunOne(p, rep, seed, nil)
	if err == nil {
		for name, v := range o {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: metric %q is %v", reports.ErrNotFinite, name, v)
			}
		}
	}
	return o, err
}

// BuildReport summarises the observations of every unit of cfg, by unit
// index, into a report. A sweep run in one process and the merge of its
// shards call it with the same observations, so they write the same bytes.
func BuildReport(cfg *Config, obs []Observations, version string) (*Report, error) {
	r := &Report{Scenario: cfg.Scenario, Seed: cfg.Seed, Reps: cfg.Reps, Version: version}
	for pt, p := range cfg.Points {
		res := reports.Result{Seed: cfg.Seed, Replications: cfg.Reps, Level: reports.DefaultLevel}
		names := make([]string, 0, len(cfg.Scenario.Metrics))
		for _, m := range cfg.Scenario.Metrics {
			names = append(names, m.Name)
		}
		slices.Sort(names)
		for _, name := range names {
			values := make([]float64, cfg.Reps)
			for rep := range cfg.Reps {
				o := obs[pt*cfg.Reps+rep]
				v, ok := o[name]
				if !ok {
					return nil, fmt.Errorf("%w: unit %d has no metric %q", ErrMerge, pt*cfg.Reps+rep, name)
				}
				values[rep] = v
			}
			sum, err := reports.Summarize(values, reports.DefaultLevel)
			if err != nil {
				return nil, err
			}
			res.Metrics = append(res.Metrics, reports.Metric{Name: name, Values: values, Summary: sum})
		}
		r.Points = append(r.Points, Point{Params: p, Result: res})
	}
	return r, nil
}

// readUnit reads a unit file.
func readUnit(path string) (*unitFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f unitFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || f.Format != UnitFormat {
		return nil, fmt.Errorf("%w: %s is not a vtsim unit file (%s)", ErrMerge, path, UnitFormat)
	}
	return &f, nil
}

// Merge reads unit files (the files named, and every unit-*.json in the
// directories named) and returns the config they come from and every unit's
// observations, by unit index. It refuses files from another config, seed
// or version than the first (version must be the running program's) and
// names the units missing, wrapping [ErrMerge].
func Merge(paths []string, catalog []*Scenario, version string) (*Config, []Observations, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrMerge, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "unit-*.json"))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%w: no unit files (unit-*.json) in %s; run vtsim sweep --dir first", ErrMerge, strings.Join(paths, ", "))
	}
	var (
		cfg   *Config
		hash  string
		first string
		obs   []Observations
	)
	for _, path := range files {
		f, err := readUnit(path)
		if err != nil {
			return nil, nil, err
		}
		if f.Version != version {
			return nil, nil, fmt.Errorf("%w: %s was written by version %s, this is %s; rerun its shard with this version", ErrMerge, path, f.Version, version)
		}
		if cfg == nil {
			cfg, err = fromCanonical(f.Config, catalog)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: %s: %w", ErrMerge, path, err)
			}
			hash, first = cfg.Hash(), path
			if f.ConfigHash != hash {
				return nil, nil, fmt.Errorf("%w: %s: config_hash does not match its config", ErrMerge, path)
			}
			obs = make([]Observations, len(cfg.Points)*cfg.Reps)
		}
		if f.ConfigHash != hash {
			return nil, nil, fmt.Errorf("%w: %s is from another config or seed than %s (config %.12s, not %.12s)", ErrMerge, path, first, f.ConfigHash, hash)
		}
		if f.Unit < 0 || f.Unit >= len(obs) || f.Point != f.Unit/cfg.Reps || f.Rep != f.Unit%cfg.Reps {
			return nil, nil, fmt.Errorf("%w: %s: unit %d (point %d, rep %d) does not fit the config", ErrMerge, path, f.Unit, f.Point, f.Rep)
		}
		obs[f.Unit] = f.Metrics
	}
	var missing []string
	n := 0
	for u, o := range obs {
		if o == nil {
			n++
			if len(missing) < 10 {
				missing = append(missing, strconv.Itoa(u))
			}
		}
	}
	if n > 0 {
		more := ""
		if n > len(missing) {
			more = ", ..."
		}
		return nil, nil, fmt.Errorf("%w: %d of %d units missing (%s%s); rerun the shards that own them (unit u belongs to shard u mod n)", ErrMerge, n, len(obs), strings.Join(missing, ", "), more)
	}
	return cfg, obs, nil
}
