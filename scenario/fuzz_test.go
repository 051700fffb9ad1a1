package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vtsim/vtsim/scenario"
	"github.com/vtsim/vtsim/scenario/catalog"
)

// FuzzParseConfig: whatever the bytes of a config file, ParseConfig never
// panics, and it either returns a config of a known scenario or an error
// that is a *scenario.ConfigError naming the file, with a line within the
// input when it has one.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"scenario: mm1\nreps: 5\nseed: 2\nparams:\n  arrival: 0.8\n",
		"scenario: sched\nparams: {load: 0.5, sizes: exp}\nsweep:\n  load: [0.5, 0.9]\n",
		"scenario: mm9\n",
		"scenario: mm1\nparams:\n  arrival: -1\n",
		"scenario: mm1\nunknown: 1\n",
		"- a\n- b\n",
		"scenario: [\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	cat := catalog.All()
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := scenario.ParseConfig("fuzz.yaml", data, cat)
		if err == nil {
			if cfg == nil {
				t.Fatal("nil config and nil error")
			}
			return
		}
		var ce *scenario.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("error %T %v is not a *ConfigError", err, err)
		}
		if ce.File != "fuzz.yaml" {
			t.Errorf("error names file %q", ce.File)
		}
		// YAML breaks lines at \n, \r\n and a lone \r.
		text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
		if lines := strings.Count(text, "\n") + 1; ce.Line > lines+1 {
			t.Errorf("error at line %d of a %d-line input: %v", ce.Line, lines, err)
		}
	})
}

// FuzzParseShard: a shard spec either parses to 0 <= i < n or is an error
// matching ErrShard.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/4", "3/4", "4/4", "-1/2", "auto", "a/b", "1/0", ""} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, spec string, shards int) {
		env := map[string]string{"JOB_COMPLETION_INDEX": "1"}
		sh, err := scenario.ParseShard(spec, shards, func(k string) string { return env[k] })
		if err != nil {
			if !errors.Is(err, scenario.ErrShard) {
				t.Fatalf("ParseShard(%q, %d) = %v; want an error matching ErrShard", spec, shards, err)
			}
			return
		}
		if sh.Index < 0 || sh.Index >= sh.Count {
			t.Fatalf("ParseShard(%q, %d) = %+v: index out of range", spec, shards, sh)
		}
	})
}
