package transform_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// Ensure MapDeleted finds a deleted record's key columns from its key
// alone, at the from.key path, in every table of a route, coerced as Map
// coerces them, with the parent key its children hang from; and that a
// key column it cannot compute is a failure naming the step and the fix.
func TestMapDeleted(t *testing.T) {
	t.Parallel()
	route := transform.Route{By: compile(t, "record.kind", false, nil),
		Tables: map[string]string{"ints": "ints", "texts": "texts"}, Label: "kind"}
	for _, tt := range []struct {
		name string
		spec transform.Spec
		key  string
		want []transform.Row
		fail string
	}{
		{"Plain", transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "ints"}, SourceKey: "id",
			Map: exprs(t, false, nil, "name", "record.name", "id", "record.id")},
			"42", []transform.Row{{Table: "ints", Cols: []string{"id"}, Vals: []any{int64(42)}}}, ""},
		{"NestedPathAndRoute", transform.Spec{Step: "s", Key: []string{"id"}, To: route, SourceKey: "meta.id",
			Map: exprs(t, false, nil, "id", "record.meta.id", "n", "record.n")},
			"7", []transform.Row{{Table: "ints", Cols: []string{"id"}, Vals: []any{int64(7)}}, {Table: "texts", Cols: []string{"id"}, Vals: []any{"7"}}}, ""},
		{"KeyVariableAndLet", transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "texts"}, SourceKey: "id",
			Let: exprs(t, false, nil, "k", `"t-" + key`, "other", "record.items[0].x"),
			Map: []transform.Named{{Name: "id", Prog: compile(t, "k", false, nil, "k")}, {Name: "n", Prog: compile(t, "record.n", false, nil)}}},
			"a", []transform.Row{{Table: "texts", Cols: []string{"id"}, Vals: []any{"t-a"}}}, ""},
		{"NotFromKey", transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "texts"}, SourceKey: "id",
			Map: exprs(t, false, nil, "id", "record.name")},
			"a", nil, "step s: key column id = record.name reads the record beyond its key (from.key: id)"},
		{"NoKeyPath", transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "texts"},
			Map: exprs(t, false, nil, "id", "key")},
			"a", nil, "step s: from.key is not set"},
		{"BadKeyValue", transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "ints"}, SourceKey: "id",
			Map: exprs(t, false, nil, "id", "record.id")},
			"abc", nil, "invalid value for id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := transform.NewMapper(tt.spec, keyTables)
			if err != nil {
				t.Fatal(err)
			}
			out, f := m.MapDeleted(decant.Record{Key: tt.key, Raw: []byte(`{"_deleted":true}`), Deleted: true, Where: "x:1"}, "sc")
			if tt.fail != "" {
				if f == nil || !strings.Contains(f.Error(), tt.fail) {
					t.Fatalf("MapDeleted = %+v, %v; want a failure containing %q", out, f, tt.fail)
				}
				return
			}
			if f != nil {
				t.Fatalf("MapDeleted: %v", f)
			}
			if !reflect.DeepEqual(out.Rows, tt.want) || out.ParentKey != tt.want[0].Vals[0] {
				t.Errorf("MapDeleted = %+v, want rows %+v with parent key %v", out, tt.want, tt.want[0].Vals[0])
			}
		})
	}
}

// Ensure the mark column of on_delete: mark is checked against every
// table of the step: present, and of a kind a mark can set.
func TestCheckOnDeleteMark(t *testing.T) {
	t.Parallel()
	tables := map[string][]decant.Column{
		"a": {col("id", decant.KindInt), col("gone", decant.KindBool)},
		"b": {col("id", decant.KindInt), col("gone", decant.KindText)},
		"c": {col("id", decant.KindInt)},
	}
	spec := func(table string) transform.Spec {
		return transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: table}, SourceKey: "id",
			Map: exprs(t, false, nil, "id", "record.id"), OnDelete: transform.OnDelete{Action: "mark", Mark: "gone", Where: "p.yaml:3:4"}}
	}
	if probs := transform.Check(spec("a"), tables); len(probs) != 0 {
		t.Errorf("Check of a bool mark column = %v, want none", probs)
	}
	for table, want := range map[string]string{
		"b": "p.yaml:3:4: table b: column gone is text (on_delete: mark sets a bool column to true, or a timestamp or date column",
		"c": "p.yaml:3:4: table c has no column gone (on_delete: mark): add it, or mark another column",
	} {
		probs := transform.Check(spec(table), tables)
		if len(probs) != 1 || !strings.HasPrefix(probs[0], want) {
			t.Errorf("Check of table %s = %q, want %q", table, probs, want)
		}
	}
}

// Ensure a step that marks deletions maps every parent row with its mark
// column unmarked (false for bool, null for a timestamp), so a record
// written again after its mark ends unmarked, and that a plan mapping the
// mark column itself keeps its value; a step that does not mark adds
// nothing.
func TestMapUnmarks(t *testing.T) {
	t.Parallel()
	tables := map[string][]decant.Column{
		"b": {col("id", decant.KindInt), col("gone", decant.KindBool)},
		"t": {col("id", decant.KindInt), col("gone", decant.KindTimestamp)},
	}
	for _, tt := range []struct {
		name   string
		table  string
		action string
		extra  []string
		want   []transform.Row
	}{
		{"Bool", "b", "mark", nil, []transform.Row{{Table: "b", Cols: []string{"id", "gone"}, Vals: []any{int64(1), false}}}},
		{"Timestamp", "t", "mark", nil, []transform.Row{{Table: "t", Cols: []string{"id", "gone"}, Vals: []any{int64(1), nil}}}},
		{"Mapped", "b", "mark", []string{"gone", "true"}, []transform.Row{{Table: "b", Cols: []string{"id", "gone"}, Vals: []any{int64(1), true}}}},
		{"NoMark", "b", "delete", nil, []transform.Row{{Table: "b", Cols: []string{"id"}, Vals: []any{int64(1)}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			od := transform.OnDelete{Action: tt.action}
			if tt.action == "mark" {
				od.Mark = "gone"
			}
			spec := transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: tt.table}, SourceKey: "id",
				Map: exprs(t, false, nil, append([]string{"id", "record.id"}, tt.extra...)...), OnDelete: od}
			m, err := transform.NewMapper(spec, tables)
			if err != nil {
				t.Fatal(err)
			}
			out, f := m.Map(decant.Record{Key: "1", Raw: []byte(`{"id":1}`), Where: "x:1"}, "sc")
			if f != nil {
				t.Fatal(f)
			}
			if !reflect.DeepEqual(out.Rows, tt.want) {
				t.Errorf("Map = %+v, want %+v", out.Rows, tt.want)
			}
		})
	}
}
