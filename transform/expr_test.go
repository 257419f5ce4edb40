package transform_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/transform"
)

func TestCompile(t *testing.T) {
	funcs := transform.NewFuncs()
	for _, tt := range []struct {
		name    string
		src     string
		vars    []string
		wantErr string
	}{
		{"Variable", "record.id", transform.StepVars, ""},
		{"AllStepVariables", `[record, key, scope, step, table]`, transform.StepVars, ""},
		{"ChildVariables", `[item, index, parent]`, append(append([]string{}, transform.StepVars...), transform.ChildVars...), ""},
		{"Builtin", `fields(record.f)`, transform.StepVars, ""},
		{"ExprBuiltin", `upper(trim(record.name))`, transform.StepVars, ""},
		{"Literals", `true && !false && nil == nil`, transform.StepVars, ""},
		{"InnerLet", `let x = record.a; x + 1`, transform.StepVars, ""},
		{"Predicate", `map(filter(record.items, # > 1), # * 2)`, transform.StepVars, ""},
		{"Typo", "recrd.id", transform.StepVars, `unknown name "recrd" (variables here: record, key, scope, step, table)`},
		{"ChildVariableInStep", "item.x", transform.StepVars, `unknown name "item"`},
		{"UnknownFunction", "frobnicate(record)", transform.StepVars, `unknown name "frobnicate"`},
		{"Syntax", "record.id +", transform.StepVars, "unexpected token EOF"},
		{"Empty", "  ", transform.StepVars, "empty expression"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := transform.Compile(tt.src, tt.vars, funcs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Compile(%q) = %v, want error %q", tt.src, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.src, err)
			}
			if p.Source != tt.src {
				t.Errorf("Source = %q, want %q", p.Source, tt.src)
			}
		})
	}
}

func TestFuncs_Register(t *testing.T) {
	f := transform.NewFuncs()
	wantBuiltins := []string{"as_list", "coalesce", "fields", "json_decode", "json_path", "parse_time", "snake", "to_json", "unnest", "with", "without", "xml_nodes", "xml_text", "xml_value", "xml_values"}
	if diff := cmp.Diff(wantBuiltins, f.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "2x", "a-b", "a b", "a.b"} {
		if err := f.Register(bad, func(...any) (any, error) { return nil, nil }); err == nil {
			t.Errorf("Register(%q) succeeded, want an error", bad)
		}
	}
	if err := f.Register("double", func(args ...any) (any, error) { return args[0].(int) * 2, nil }); err != nil {
		t.Fatal(err)
	}
	// Replacing a built-in is allowed.
	if err := f.Register("snake", func(args ...any) (any, error) { return "replaced", nil }); err != nil {
		t.Fatal(err)
	}
	p, err := transform.Compile(`[double(21), snake("aB")]`, nil, f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := transform.NewEnv().Eval(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{42, "replaced"}, got); diff != "" {
		t.Errorf("Eval (-want +got):\n%s", diff)
	}
	// Other Funcs are not affected.
	if _, err := transform.Compile(`double(1)`, nil, transform.NewFuncs()); err == nil {
		t.Errorf("double is visible in a new Funcs")
	}
}

func TestEnv_Eval(t *testing.T) {
	f := transform.NewFuncs()
	if err := f.Register("explode", func(...any) (any, error) { panic("kaboom") }); err != nil {
		t.Fatal(err)
	}
	e := transform.NewEnv()
	e.Set("record", map[string]any{"a": int64(1)})
	if got := e.Get("record"); got == nil {
		t.Errorf("Get(record) = nil")
	}
	p, err := transform.Compile("explode()", nil, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(p); err == nil || !strings.Contains(err.Error(), "kaboom") {
		t.Errorf("Eval(explode()) = %v, want an error with kaboom", err)
	}
	// The environment still works after a panic.
	p, err = transform.Compile("record.a + 1", transform.StepVars, f)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.Eval(p); err != nil || got != 2 {
		t.Errorf("Eval after panic = %#v, %v; want 2", got, err)
	}
}
