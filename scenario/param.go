package scenario

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Type is the type of a parameter's value.
type Type int

// The parameter types. A value is written on the command line (--set
// key=value) and in config files in the same way: an Int as a decimal
// integer, a Float as a decimal number, a Duration as Go's
// [time.ParseDuration] reads it ("1.5s", "100ms"), a String or Enum as is.
const (
	Int Type = iota + 1
	Float
	Duration
	String
	Enum
)

// String returns the type's name as the schema and describe show it.
func (t Type) String() string {
	switch t {
	case Int:
		return "int"
	case Float:
		return "float"
	case Duration:
		return "duration"
	case String:
		return "string"
	case Enum:
		return "enum"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Param describes one parameter of a scenario. Build one with [IntParam],
// [FloatParam], [DurationParam], [StringParam] or [EnumParam] and refine it
// with its With methods, which return a modified copy:
//
//	scenario.FloatParam("arrival", 0.9, "arrival rate").WithUnit("1/s").Positive()
type Param struct {
	// Name is the parameter's name, as written in --set name=value and in a
	// config file's params.
	Name string
	// Type is the type of its value.
	Type Type
	// Default is the value used when none is given: an int, float64,
	// time.Duration or string according to Type.
	Default any
	// Min and Max bound an Int, Float or Duration value when HasMin and
	// HasMax are set (a Duration's bounds in nanoseconds); MinExclusive and
	// MaxExclusive make a bound strict.
	Min, Max                   float64
	HasMin, HasMax             bool
	MinExclusive, MaxExclusive bool
	// Values is the set of allowed values of an Enum.
	Values []string
	// Unit is the unit of the value, such as "1/s" or "s"; it may be empty.
	Unit string
	// Help says what the parameter means, in a short phrase.
	Help string
}

// IntParam returns an integer parameter.
func IntParam(name string, def int, help string) Param {
	return Param{Name: name, Type: Int, Default: def, Help: help}
}

// FloatParam returns a floating-point parameter.
func FloatParam(name string, def float64, help string) Param {
	return Param{Name: name, Type: Float, Default: def, Help: help}
}

// DurationParam returns a virtual-time duration parameter.
func DurationParam(name string, def time.Duration, help string) Param {
	return Param{Name: name, Type: Duration, Default: def, Help: help}
}

// StringParam returns a free-form string parameter.
func StringParam(name, def, help string) Param {
	return Param{Name: name, Type: String, Default: def, Help: help}
}

// EnumParam returns a parameter whose value is one of values.
func EnumParam(name, def string, values []string, help string) Param {
	return Param{Name: name, Type: Enum, Default: def, Values: slices.Clone(values), Help: help}
}

// WithUnit returns p with the unit u.
func (p Param) WithUnit(u string) Param { p.Unit = u; return p }

// WithRange returns p bounded to [lo, hi] (for a Duration, in nanoseconds:
// use float64(time.Second) and so on).
func (p Param) WithRange(lo, hi float64) Param {
	p.Min, p.HasMin, p.MinExclusive = lo, true, false
	p.Max, p.HasMax, p.MaxExclusive = hi, true, false
	return p
}

// AtLeast returns p bounded below by lo, inclusive.
func (p Param) AtLeast(lo float64) Param {
	p.Min, p.HasMin, p.MinExclusive = lo, true, false
	return p
}

// AtMost returns p bounded above by hi, inclusive.
func (p Param) AtMost(hi float64) Param {
	p.Max, p.HasMax, p.MaxExclusive = hi, true, false
	return p
}

// Below returns p bounded above by hi, exclusive.
func (p Param) Below(hi float64) Param {
	p.Max, p.HasMax, p.MaxExclusive = hi, true, true
	return p
}

// Positive returns p bounded below by 0, exclusive.
func (p Param) Positive() Param {
	p.Min, p.HasMin, p.MinExclusive = 0, true, true
	return p
}

// check panics, naming the call, if p is not a well-formed definition.
func (p Param) check(scenario string) {
	where := fmt.Sprintf("scenario: %s: parameter %q", scenario, p.Name)
	if p.Name == "" || strings.ContainsAny(p.Name, "= \t\n") {
		panic(fmt.Sprintf("%s: a name must be non-empty and hold no '=' or space", where))
	}
	ok := false
	switch p.Type {
	case Int:
		_, ok = p.Default.(int)
	case Float:
		_, ok = p.Default.(float64)
	case Duration:
		_, ok = p.Default.(time.Duration)
	case String:
		_, ok = p.Default.(string)
	case Enum:
		var s string
		s, ok = p.Default.(string)
		if ok && !slices.Contains(p.Values, s) {
			panic(fmt.Sprintf("%s: default %q is not one of %q", where, s, p.Values))
		}
	default:
		panic(fmt.Sprintf("%s: unknown Type %v", where, p.Type))
	}
	if !ok {
		panic(fmt.Sprintf("%s: Default %v (%T) does not match type %v", where, p.Default, p.Default, p.Type))
	}
	if err := p.inRange(p.Default); err != "" {
		panic(fmt.Sprintf("%s: default %s is out of range: %s", where, p.Format(p.Default), err))
	}
}

// Parse reads s as a value of p: an int, float64, time.Duration or string
// according to p.Type. It returns an error wrapping [ErrBadValue] that says
// what is allowed if s does not parse or the value is out of p's range or
// set.
func (p Param) Parse(s string) (any, error) {
	var v any
	switch p.Type {
	case Int:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%w: %s = %q is not an integer; allowed: %s", ErrBadValue, p.Name, s, p.Allowed())
		}
		v = n
	case Float:
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: %s = %q is not a finite number; allowed: %s", ErrBadValue, p.Name, s, p.Allowed())
		}
		v = x
	case Duration:
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%w: %s = %q is not a duration such as 1.5s or 200ms; allowed: %s", ErrBadValue, p.Name, s, p.Allowed())
		}
		v = d
	case String:
		v = s
	case Enum:
		if !slices.Contains(p.Values, s) {
			return nil, fmt.Errorf("%w: %s = %q; allowed: %s", ErrBadValue, p.Name, s, p.Allowed())
		}
		v = s
	}
	if msg := p.inRange(v); msg != "" {
		return nil, fmt.Errorf("%w: %s = %s is out of range; allowed: %s", ErrBadValue, p.Name, p.Format(v), msg)
	}
	return v, nil
}

// inRange returns "" if v (of p's type) is within p's bounds, and what is
// allowed otherwise.
func (p Param) inRange(v any) string {
	var x float64
	switch v := v.(type) {
	case int:
		x = float64(v)
	case float64:
		x = v
	case time.Duration:
		x = float64(v)
	default:
		return ""
	}
	lowOK := !p.HasMin || x > p.Min || (!p.MinExclusive && x == p.Min)
	highOK := !p.HasMax || x < p.Max || (!p.MaxExclusive && x == p.Max)
	if lowOK && highOK {
		return ""
	}
	return p.Allowed()
}

// Allowed describes the values p allows, such as "a number > 0",
// "an integer in [1, 64]" or "one of exp, det".
func (p Param) Allowed() string {
	if p.Type == Enum {
		return "one of " + strings.Join(p.Values, ", ")
	}
	what := map[Type]string{Int: "an integer", Float: "a number", Duration: "a duration", String: "a string"}[p.Type]
	bound := func(x float64) string {
		switch p.Type {
		case Int:
			return strconv.Itoa(int(x))
		case Duration:
			return time.Duration(x).String()
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	switch {
	case p.HasMin && p.HasMax:
		lb, rb := "[", "]"
		if p.MinExclusive {
			lb = "("
		}
		if p.MaxExclusive {
			rb = ")"
		}
		return fmt.Sprintf("%s in %s%s, %s%s", what, lb, bound(p.Min), bound(p.Max), rb)
	case p.HasMin:
		op := ">="
		if p.MinExclusive {
			op = ">"
		}
		return fmt.Sprintf("%s %s %s", what, op, bound(p.Min))
	case p.HasMax:
		op := "<="
		if p.MaxExclusive {
			op = "<"
		}
		return fmt.Sprintf("%s %s %s", what, op, bound(p.Max))
	}
	return what
}

// Format writes v, a value of p's type, as [Param.Parse] reads it.
func (p Param) Format(v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Duration:
		return v.String()
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// Params are the parameter values of one replication, with every parameter
// of the scenario set (to its default when none was given), and the
// replication's log. A scenario's Run reads them with the typed getters,
// which panic if the scenario has no such parameter or it has another type:
// that is a mistake in the scenario, not in the user's input.
type Params struct {
	defs []Param
	vals []any
	rep  int
	log  io.Writer
}

// value returns the value of the parameter name of type t, panicking with
// the getter's name otherwise.
func (p Params) value(getter, name string, t Type) any {
	for i, d := range p.defs {
		if d.Name == name {
			if d.Type != t && !(t == String && d.Type == Enum) {
				panic(fmt.Sprintf("scenario: Params.%s(%q): the parameter is of type %v", getter, name, d.Type))
			}
			return p.vals[i]
		}
	}
	panic(fmt.Sprintf("scenario: Params.%s(%q): no such parameter", getter, name))
}

// Int returns the value of the Int parameter name.
func (p Params) Int(name string) int { return p.value("Int", name, Int).(int) }

// Float returns the value of the Float parameter name.
func (p Params) Float(name string) float64 { return p.value("Float", name, Float).(float64) }

// Duration returns the value of the Duration parameter name.
func (p Params) Duration(name string) time.Duration {
	return p.value("Duration", name, Duration).(time.Duration)
}

// Text returns the value of the String or Enum parameter name.
func (p Params) Text(name string) string { return p.value("Text", name, String).(string) }

// Replication returns the index of the replication (0, 1, ...).
func (p Params) Replication() int { return p.rep }

// Log returns where the replication may write a log for people to read:
// the command's output for replication 0 of `run` when it prints text, and
// io.Discard otherwise. The log never changes a result.
func (p Params) Log() io.Writer {
	if p.log == nil {
		return io.Discard
	}
	return p.log
}

// Each calls fn for each parameter, in the scenario's order, with its value
// formatted as [Param.Parse] reads it.
func (p Params) Each(fn func(def Param, value string)) {
	for i, d := range p.defs {
		fn(d, d.Format(p.vals[i]))
	}
}

// String returns the parameters as "name=value" pairs in the scenario's
// order, separated by spaces, such as "arrival=0.9 service=1".
func (p Params) String() string { return p.pairs() }

// pairs returns the parameters as "name=value" pairs in the scenario's
// order, separated by spaces.
func (p Params) pairs() string {
	var b strings.Builder
	p.Each(func(d Param, v string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d.Name + "=" + v)
	})
	return b.String()
}
