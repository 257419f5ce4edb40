package decant_test

import (
	"context"
	"slices"
	"testing"

	"github.com/decanthq/decant"
)

// core is a store with the core methods only; its methods are not called.
type core struct{ decant.Store }

// catalog is a core store that is also a Cataloger.
type catalog struct {
	core
	name string
}

func (c catalog) Columns(context.Context, string) ([]decant.Column, error) {
	return []decant.Column{{Name: c.name}}, nil
}

// wrap wraps a store and adds nothing.
type wrap struct{ decant.Store }

func (w wrap) Unwrap() decant.Store { return w.Store }

// override wraps a Cataloger and answers Columns itself.
type override struct {
	catalog
	inner decant.Store
}

func (o override) Unwrap() decant.Store { return o.inner }

// loop is a wrapper that wraps itself.
type loop struct{ core }

func (l *loop) Unwrap() decant.Store { return l }

// Ensure As finds a role through wrappers, prefers the outermost store
// that has it, and stops on a chain that loops or ends.
func TestAs(t *testing.T) {
	t.Parallel()
	inner := catalog{name: "inner"}
	for _, tt := range []struct {
		name string
		st   decant.Store
		want string // the column name the found Cataloger gives, "" for none
	}{
		{"store", inner, "inner"},
		{"wrapped", wrap{inner}, "inner"},
		{"wrapped twice", wrap{wrap{inner}}, "inner"},
		{"wrapper that overrides", override{catalog: catalog{name: "outer"}, inner: inner}, "outer"},
		{"store without the role", core{}, ""},
		{"wrapper of nothing", wrap{}, ""},
		{"nil", nil, ""},
		{"loop", &loop{}, ""},
	} {
		c, ok := decant.As[decant.Cataloger](tt.st)
		got := ""
		if ok {
			cols, _ := c.Columns(context.Background(), "t")
			got = cols[0].Name
		}
		if got != tt.want {
			t.Errorf("%s: As[Cataloger] answered %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Ensure Roles and Require see what As sees.
func TestRoles(t *testing.T) {
	t.Parallel()
	if got := decant.Roles(wrap{catalog{}}); !slices.Equal(got, []string{"Cataloger"}) {
		t.Errorf("Roles = %v, want [Cataloger]", got)
	}
	if got := decant.Roles(core{}); got != nil {
		t.Errorf("Roles of a core store = %v, want none", got)
	}
	if _, err := decant.Require[decant.Cataloger](wrap{catalog{}}, "describe tables"); err != nil {
		t.Errorf("Require through a wrapper: %v", err)
	}
	_, err := decant.Require[decant.StateReader](catalog{}, "report status")
	want := "decant: the target store (decant_test.catalog) cannot report status: it does not implement decant.StateReader"
	if err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("Require = %v, want it to begin %q", err, want)
	}
}
