package scenario

import (
	"encoding/json"
	"io"
	"time"
)

// SchemaID is the $schema of the JSON Schema that [WriteSchema] writes.
const SchemaID = "https://json-schema.org/draft/2020-12/schema"

// schema is a JSON Schema node; fields are written in this order.
type schema struct {
	Schema           string        `json:"$schema,omitempty"`
	Title            string        `json:"title,omitempty"`
	Description      string        `json:"description,omitempty"`
	Type             string        `json:"type,omitempty"`
	Const            any           `json:"const,omitempty"`
	Enum             []string      `json:"enum,omitempty"`
	Default          any           `json:"default,omitempty"`
	Minimum          *float64      `json:"minimum,omitempty"`
	ExclusiveMinimum *float64      `json:"exclusiveMinimum,omitempty"`
	Maximum          *float64      `json:"maximum,omitempty"`
	ExclusiveMaximum *float64      `json:"exclusiveMaximum,omitempty"`
	Pattern          string        `json:"pattern,omitempty"`
	MinItems         *int          `json:"minItems,omitempty"`
	Items            *schema       `json:"items,omitempty"`
	Required         []string      `json:"required,omitempty"`
	Properties       *properties   `json:"properties,omitempty"`
	Additional       *bool         `json:"additionalProperties,omitempty"`
	AllOf            []conditional `json:"allOf,omitempty"`
}

// conditional is an if/then pair.
type conditional struct {
	If   *schema `json:"if"`
	Then *schema `json:"then"`
}

// properties is an ordered set of named schemas.
type properties struct {
	names []string
	nodes []*schema
}

func (p *properties) add(name string, s *schema) *properties {
	p.names = append(p.names, name)
	p.nodes = append(p.nodes, s)
	return p
}

// MarshalJSON writes the properties in the order added.
func (p *properties) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, name := range p.names {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(name)
		v, err := json.Marshal(p.nodes[i])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// durationPattern matches what time.ParseDuration reads.
const durationPattern = `^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$|^0$`

// paramSchema returns the schema of one parameter value.
func paramSchema(p Param) *schema {
	s := &schema{Description: p.Help}
	if p.Unit != "" {
		s.Description += " (" + p.Unit + ")"
	}
	bound := func(x float64) *float64 { return &x }
	switch p.Type {
	case Int, Float:
		s.Type = "integer"
		if p.Type == Float {
			s.Type = "number"
		}
		s.Default = p.Default
		if p.HasMin {
			if p.MinExclusive {
				s.ExclusiveMinimum = bound(p.Min)
			} else {
				s.Minimum = bound(p.Min)
			}
		}
		if p.HasMax {
			if p.MaxExclusive {
				s.ExclusiveMaximum = bound(p.Max)
			} else {
				s.Maximum = bound(p.Max)
			}
		}
	case Duration:
		s.Type, s.Pattern, s.Default = "string", durationPattern, p.Default.(time.Duration).String()
		if a := p.Allowed(); a != "a duration" {
			s.Description += "; " + a
		}
	case String:
		s.Type, s.Default = "string", p.Default
	case Enum:
		s.Enum, s.Default = p.Values, p.Default
	}
	return s
}

// WriteSchema writes the JSON Schema (draft 2020-12) of config files for
// the scenarios in catalog: the top-level fields, and for each scenario the
// parameters its params, sweep and points may set, with their types,
// defaults and ranges.
func WriteSchema(w io.Writer, catalog []*Scenario) error {
	no := false
	one := 1
	scenarioNames := make([]string, len(catalog))
	for i, s := range catalog {
		scenarioNames[i] = s.Name
	}
	top := &schema{
		Schema: SchemaID, Title: "vtsim config",
		Description: "An experiment: a scenario, its replications and seed, and one point (params) or several (sweep grid or points list).",
		Type:        "object", Required: []string{"scenario"}, Additional: &no,
		Properties: (&properties{}).
			add("scenario", &schema{Description: "the scenario to run", Enum: scenarioNames}).
			add("reps", &schema{Description: "replications of every point", Type: "integer", Minimum: ptr(1.0)}).
			add("seed", &schema{Description: "root seed; replication i runs with reports.ReplicationSeed(seed, i)", Type: "integer", Minimum: ptr(0.0), Default: DefaultSeed}).
			add("params", &schema{Description: "parameter values of every point", Type: "object"}).
			add("sweep", &schema{Description: "a grid: a list of values per parameter; every combination is a point, the last parameter varying fastest", Type: "object"}).
			add("points", &schema{Description: "a list of points, each a mapping of parameter values (not with sweep)", Type: "array", MinItems: &one, Items: &schema{Type: "object"}}),
	}
	for _, s := range catalog {
		params, grid := &properties{}, &properties{}
		for _, p := range s.Params {
			params.add(p.Name, paramSchema(p))
			grid.add(p.Name, &schema{Type: "array", MinItems: &one, Items: paramSchema(p)})
		}
		obj := func(props *properties) *schema {
			return &schema{Type: "object", Additional: &no, Properties: props}
		}
		top.AllOf = append(top.AllOf, conditional{
			If: &schema{Properties: (&properties{}).add("scenario", &schema{Const: s.Name}), Required: []string{"scenario"}},
			Then: &schema{Properties: (&properties{}).
				add("params", obj(params)).
				add("sweep", obj(grid)).
				add("points", &schema{Type: "array", Items: obj(params)})},
		})
	}
	b, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ptr returns a pointer to x.
func ptr(x float64) *float64 { return &x }
