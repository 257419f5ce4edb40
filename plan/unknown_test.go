package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure an unknown key anywhere in the plan suggests the known key it is
// probably a typo of, at the key's position, and never gets advice on
// quoting, which is about YAML syntax.
//
// Failed before the fix: top-level nul_if: and a column's {tpye: decimal}
// got "put it in quotes: YAML reads a value that starts with { [ ...", and
// a step's grup: got no suggestion at all; only keys of from had one.
func TestParse_UnknownKeySuggests(t *testing.T) {
	t.Parallel()
	step := "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
	child := step + "    children:\n      - from: record.items\n        parent_key: a_id\n        to: {table: b}\n        map: {x: item.x}\n"
	for _, tt := range []struct {
		name, src string
		line, col int
		want      string
	}{
		{"TopLevel", "nul_if: [x]\n" + header + step, 1, 1, `unknown field "nul_if" (did you mean null_if?)`},
		{"TopLevelFlow", "batch_sise: {a: 1}\n" + header + step, 1, 1, `unknown field "batch_sise" (did you mean batch_size?)`},
		{"Step", header + step + "    grup: g\n", 12, 5, `unknown field "grup" (did you mean group?)`},
		{"StepFlowValue", header + step + "    tto: {table: a}\n", 12, 5, `unknown field "tto" (did you mean to?)`},
		{"To", header + "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {tabel: a}\n    map: {id: record.id}\n", 10, 10, `unknown field "tabel" (did you mean table?)`},
		{"ColumnFlow", header + step + "    columns:\n      id: {tpye: decimal}\n", 13, 12, `unknown field "tpye" (did you mean type?)`},
		{"ColumnBlock", header + step + "    columns:\n      id:\n        tpye: decimal\n", 14, 9, `unknown field "tpye" (did you mean type?)`},
		{"Child", header + child + "        parent_kye: b\n", 17, 9, `unknown field "parent_kye" (did you mean parent_key?)`},
		{"ChildTo", header + step + "    children:\n      - from: record.items\n        parent_key: a_id\n        to: {tabel: b}\n        map: {x: item.x}\n", 15, 14, `unknown field "tabel" (did you mean table?)`},
		{"ChildColumn", header + child + "        columns: {x: {layuot: unix}}\n", 17, 23, `unknown field "layuot" (did you mean layout?)`},
		{"NothingClose", header + step + "    columns:\n      id: {precision: 2}\n", 13, 12, `unknown field "precision" (a column takes type, layout, layouts, zone, null_if, decimal_comma)`},
		{"FirstInPlanOrder", header + step + "    zzz1: 1\n    zzz2: 2\n    zzz3: 3\n", 12, 5, `unknown field "zzz1" (a step takes name, group, from,`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, tt.src, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", e.Line, e.Col, tt.line, tt.col, e)
			}
			if !strings.Contains(e.Msg, tt.want) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.want)
			}
			if strings.Contains(e.Msg, "quotes") {
				t.Errorf("message = %q gives advice on quoting for an unknown key", e.Msg)
			}
		})
	}
}

// Ensure a decoding error that is not YAML syntax (a key set twice) gets
// no advice on quoting, though its value starts with '{'.
func TestParse_NoQuoteHintForDuplicateKey(t *testing.T) {
	t.Parallel()
	src := header + "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n    columns:\n      id: {type: text}\n      id: {type: int}\n"
	e := parseErr(t, src, plan.Options{})
	if strings.Contains(e.Msg, "quotes") {
		t.Errorf("message = %q gives advice on quoting for a duplicate key", e.Msg)
	}
}
