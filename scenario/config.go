package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Config is an experiment read from a YAML config file: a scenario, the
// replications and seed, and one or more parameter points.
//
//	scenario: mm1        # required
//	reps: 10             # default: the scenario's
//	seed: 1              # default: 1
//	params:              # values for every point; default: the scenario's
//	  customers: 5000
//	sweep:               # a grid: every combination, the last key fastest
//	  arrival: [0.5, 0.7, 0.9]
//	points:              # or a list of points (not both)
//	  - {arrival: 0.5}
//
// Without sweep or points there is one point, params.
type Config struct {
	// File is the name of the file read, for messages.
	File string
	// Scenario is the scenario run.
	Scenario *Scenario
	// Reps and Seed are the replications and root seed of every point.
	Reps int
	Seed uint64
	// Points are the parameter points, in order.
	Points []Params
}

// DefaultSeed is the root seed when none is given.
const DefaultSeed = 1

// configFields are the fields a config file may have.
const configFields = "scenario, reps, seed, params, sweep, points"

// rawConfig is a config file as decoded, its values kept as nodes so that
// errors can name their line.
type rawConfig struct {
	Scenario ast.Node `yaml:"scenario"`
	Reps     ast.Node `yaml:"reps"`
	Seed     ast.Node `yaml:"seed"`
	Params   ast.Node `yaml:"params"`
	Sweep    ast.Node `yaml:"sweep"`
	Points   ast.Node `yaml:"points"`
}

// ConfigError is an error in a config file, at a line and column (0 when
// unknown).
type ConfigError struct {
	File         string
	Line, Column int
	// Field is the dotted path of the field at fault, such as
	// "params.arrival"; it may be empty.
	Field string
	// Msg says what was wrong and what is allowed.
	Msg string
	// Err is the underlying error, if any (ErrBadValue, ErrUnknownParam,
	// ErrUnknownScenario or a YAML error).
	Err error
	// Source is the lines of the file up to the error with its place
	// marked, as goccy/go-yaml annotates them, for tools that show more
	// than the one-line Error; it is empty when the place is unknown.
	Source string
}

// annotate sets e's position and Source from tok.
func (e *ConfigError) annotate(tok *token.Token) {
	if tok == nil || tok.Position == nil {
		return
	}
	e.Line, e.Column = tok.Position.Line, tok.Position.Column
	msg := yaml.FormatErrorWithToken("", tok, false, true)
	if _, src, ok := strings.Cut(msg, "\n"); ok {
		e.Source = src
	}
}

// Error implements the error interface: "file:line:col: field: message".
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns ErrConfig and the underlying error.
func (e *ConfigError) Unwrap() []error { return []error{ErrConfig, e.Err} }

// configReader reads one file.
type configReader struct {
	file    string
	catalog []*Scenario
}

// fail returns a *ConfigError at node n (nil: no position).
func (c *configReader) fail(n ast.Node, field string, err error, format string, args ...any) error {
	e := &ConfigError{File: c.file, Field: field, Msg: fmt.Sprintf(format, args...), Err: err}
	if n != nil {
		e.annotate(n.GetToken())
	}
	return &UsageError{Err: e}
}

// LoadConfig reads the config file at path for one of the scenarios in
// catalog. Every error is a *UsageError holding a [*ConfigError] that names
// the file, the line, the field and what is allowed; unknown fields are
// errors.
func LoadConfig(path string, catalog []*Scenario) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%w: %w", ErrConfig, err)
	}
	return ParseConfig(path, data, catalog)
}

// ParseConfig is [LoadConfig] for data read from the file named name.
func ParseConfig(name string, data []byte, catalog []*Scenario) (*Config, error) {
	c := &configReader{file: name, catalog: catalog}
	var raw rawConfig
	if err := yaml.UnmarshalWithOptions(data, &raw, yaml.DisallowUnknownField()); err != nil {
		return nil, c.yamlError(err)
	}
	if raw.Scenario == nil {
		return nil, c.fail(nil, "scenario", nil, "missing; name one of: %s", names(catalog))
	}
	sname, err := c.scalar(raw.Scenario, "scenario")
	if err != nil {
		return nil, err
	}
	s, err := lookup(catalog, sname)
	if err != nil {
		return nil, c.fail(raw.Scenario, "scenario", ErrUnknownScenario, "%q is not a scenario; allowed: %s", sname, names(catalog))
	}
	cfg := &Config{File: name, Scenario: s, Reps: s.reps(), Seed: DefaultSeed}
	if raw.Reps != nil {
		v, err := c.scalar(raw.Reps, "reps")
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, c.fail(raw.Reps, "reps", ErrBadValue, "%q: allowed: an integer >= 1", v)
		}
		cfg.Reps = n
	}
	if raw.Seed != nil {
		v, err := c.scalar(raw.Seed, "seed")
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, c.fail(raw.Seed, "seed", ErrBadValue, "%q: allowed: an integer in [0, 2^64)", v)
		}
		cfg.Seed = n
	}
	base := s.Defaults()
	if raw.Params != nil {
		if err := c.setAll(s, &base, raw.Params, "params"); err != nil {
			return nil, err
		}
	}
	switch {
	case raw.Sweep != nil && raw.Points != nil:
		return nil, c.fail(raw.Points, "points", nil, "a config has sweep or points, not both")
	case raw.Sweep != nil:
		cfg.Points, err = c.grid(s, base, raw.Sweep)
	case raw.Points != nil:
		cfg.Points, err = c.list(s, base, raw.Points)
	default:
		cfg.Points = []Params{base}
	}
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// yamlError turns a goccy/go-yaml error into a *ConfigError at its line.
func (c *configReader) yamlError(err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return c.fail(nil, "", err, "%v", err)
	}
	e := &ConfigError{File: c.file, Msg: ye.GetMessage(), Err: err}
	e.annotate(ye.GetToken())
	var unknown *yaml.UnknownFieldError
	var syntax *yaml.SyntaxError
	switch {
	case errors.As(err, &unknown):
		e.Msg += "; allowed fields: " + configFields
	case errors.As(err, &syntax):
		e.Msg = "YAML syntax: " + e.Msg
	default:
		e.Msg += "; a config is a mapping of the fields " + configFields
	}
	return &UsageError{Err: e}
}

// scalar returns the text of a scalar node.
func (c *configReader) scalar(n ast.Node, field string) (string, error) {
	if _, ok := n.(ast.ScalarNode); !ok || n.Type() == ast.NullType {
		return "", c.fail(n, field, ErrBadValue, "want a single value, not %s", describeNode(n))
	}
	return n.GetToken().Value, nil
}

// describeNode names the kind of a node for a message.
func describeNode(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.NullType:
		return "an empty value"
	}
	return n.Type().String()
}

// mapping returns the key/value pairs of a mapping node, in order.
func (c *configReader) mapping(n ast.Node, field string) ([]*ast.MappingValueNode, error) {
	m, ok := n.(ast.MapNode)
	if !ok {
		return nil, c.fail(n, field, ErrConfig, "want a mapping of parameter names to values, not %s", describeNode(n))
	}
	var out []*ast.MappingValueNode
	for it := m.MapRange(); it.Next(); {
		out = append(out, it.KeyValue())
	}
	return out, nil
}

// set parses one parameter value into p.
func (c *configReader) set(s *Scenario, p *Params, key ast.Node, value ast.Node, field string) (string, error) {
	name := key.GetToken().Value
	def, ok := s.param(name)
	if !ok {
		return "", c.fail(key, field+"."+name, ErrUnknownParam, "scenario %s has no parameter %q; its parameters: %s", s.Name, name, s.paramNames())
	}
	text, err := c.scalar(value, field+"."+name)
	if err != nil {
		return "", err
	}
	v, err := def.Parse(text)
	if err != nil {
		return "", c.fail(value, field+"."+name, ErrBadValue, "%s", strings.TrimPrefix(err.Error(), ErrBadValue.Error()+": "))
	}
	for i, d := range s.Params {
		if d.Name == name {
			p.vals = append([]any(nil), p.vals...)
			p.vals[i] = v
		}
	}
	return name, nil
}

// setAll sets every pair of a mapping node into p.
func (c *configReader) setAll(s *Scenario, p *Params, n ast.Node, field string) error {
	pairs, err := c.mapping(n, field)
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		if _, err := c.set(s, p, kv.Key, kv.Value, field); err != nil {
			return err
		}
	}
	return nil
}

// grid returns the points of a sweep grid.
func (c *configReader) grid(s *Scenario, base Params, n ast.Node) ([]Params, error) {
	pairs, err := c.mapping(n, "sweep")
	if err != nil {
		return nil, err
	}
	points := []Params{base}
	for _, kv := range pairs {
		name := kv.Key.GetToken().Value
		seq, ok := kv.Value.(ast.ArrayNode)
		if !ok {
			return nil, c.fail(kv.Value, "sweep."+name, ErrConfig, "want a list of values such as [0.5, 0.9], not %s", describeNode(kv.Value))
		}
		var values []ast.Node
		for it := seq.ArrayRange(); it.Next(); {
			values = append(values, it.Value())
		}
		if len(values) == 0 {
			return nil, c.fail(kv.Value, "sweep."+name, ErrConfig, "the list of values is empty; give at least one")
		}
		next := make([]Params, 0, len(points)*len(values))
		for _, p := range points {
			for _, v := range values {
				q := p
				if _, err := c.set(s, &q, kv.Key, v, "sweep"); err != nil {
					return nil, err
				}
				next = append(next, q)
			}
		}
		points = next
	}
	return points, nil
}

// list returns the points of a points list.
func (c *configReader) list(s *Scenario, base Params, n ast.Node) ([]Params, error) {
	seq, ok := n.(ast.ArrayNode)
	if !ok {
		return nil, c.fail(n, "points", ErrConfig, "want a list of mappings such as [{arrival: 0.5}], not %s", describeNode(n))
	}
	var points []Params
	i := 0
	for it := seq.ArrayRange(); it.Next(); i++ {
		q := base
		if err := c.setAll(s, &q, it.Value(), fmt.Sprintf("points[%d]", i)); err != nil {
			return nil, err
		}
		points = append(points, q)
	}
	if len(points) == 0 {
		return nil, c.fail(n, "points", ErrConfig, "the list is empty; give at least one point")
	}
	return points, nil
}

// canonical is the part of a config that decides its results, as stored in
// unit files.
type canonical struct {
	Scenario string     `json:"scenario"`
	Seed     string     `json:"seed"`
	Reps     int        `json:"reps"`
	Points   [][]string `json:"points"`
}

// canonical returns cfg's canonical form.
func (cfg *Config) canonical() canonical {
	out := canonical{Scenario: cfg.Scenario.Name, Seed: strconv.FormatUint(cfg.Seed, 10), Reps: cfg.Reps}
	for _, p := range cfg.Points {
		var pt []string
		p.Each(func(d Param, v string) { pt = append(pt, d.Name+"="+v) })
		out.Points = append(out.Points, pt)
	}
	return out
}

// Hash returns a hex SHA-256 of what decides cfg's results: the scenario,
// the seed, the replications and every parameter of every point (defaults
// included). Two configs with the same hash give the same results.
func (cfg *Config) Hash() string {
	b, err := json.Marshal(cfg.canonical())
	if err != nil {
		panic(err) // cannot happen: strings and ints
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fromCanonical rebuilds a Config from its canonical form.
func fromCanonical(cn canonical, catalog []*Scenario) (*Config, error) {
	s, err := lookup(catalog, cn.Scenario)
	if err != nil {
		return nil, err
	}
	seed, err := strconv.ParseUint(cn.Seed, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("seed %q: %w", cn.Seed, err)
	}
	cfg := &Config{Scenario: s, Seed: seed, Reps: cn.Reps}
	for _, pt := range cn.Points {
		values := map[string]string{}
		for _, kv := range pt {
			k, v, _ := strings.Cut(kv, "=")
			values[k] = v
		}
		p, err := s.Resolve(values)
		if err != nil {
			return nil, err
		}
		cfg.Points = append(cfg.Points, p)
	}
	return cfg, nil
}
