package sim

import (
	"reflect"
	"slices"
	"testing"
)

// TestSpawnResetClearsEveryField: spawned.reset clears a reused Proc field
// by field (it must not write the name: see Env.spareFor), so a field added
// to Proc must be added to reset too, and then to the list here.
func TestSpawnResetClearsEveryField(t *testing.T) {
	cleared := []string{"env", "id", "owner", "co", "until", "since", "ticket", "fut", "wq", "wdata", "err",
		"futCB", "x", "endw", "link", "state", "wait", "woken", "mustCancel", "timerKind", "observed", "kept"}
	var fields []string
	rt := reflect.TypeFor[Proc]()
	for i := range rt.NumField() {
		if f := rt.Field(i).Name; f != "name" {
			fields = append(fields, f)
		}
	}
	slices.Sort(fields)
	slices.Sort(cleared)
	if !slices.Equal(fields, cleared) {
		t.Fatalf("Proc's fields other than name are %v; spawned.reset clears %v", fields, cleared)
	}

	// A reused Proc is a fresh one but for its ID.
	env := New()
	defer env.Close()
	var first *Proc
	Spawn(env, "c", func(p *Proc) error { first = p; return p.Yield() })
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
	Spawn(env, "c", func(p *Proc) error { return nil })
	s := first.owner.(*spawned)
	want := Proc{env: env, name: "c", id: 2, owner: s, co: first.co, since: first.since, ticket: first.ticket}
	want.link = first.link
	if *first != want {
		t.Fatalf("the reused Proc is %+v, want %+v", *first, want)
	}
	if err := env.Run(); err != nil {
		t.Fatal(err)
	}
}
