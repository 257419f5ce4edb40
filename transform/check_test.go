package transform_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

func TestCheck(t *testing.T) {
	base := func() transform.Spec {
		return transform.Spec{
			Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
			Map: exprs(t, false, nil, "id", "record.id", "name", "record.name"),
		}
	}
	for _, tt := range []struct {
		name   string
		spec   func() transform.Spec
		tables map[string][]decant.Column
		want   []string
	}{
		{"OK", base, formTables, nil},
		{"MissingTable", base, map[string][]decant.Column{}, []string{"table forms does not exist in the target"}},
		{"MissingMappedColumn", func() transform.Spec {
			s := base()
			s.Map = exprs(t, false, nil, "id", "record.id", "nmae", "record.name")
			return s
		}, formTables, []string{"table forms has no column nmae (mapped)"}},
		{"MissingKeyColumn", func() transform.Spec {
			s := base()
			s.Key = []string{"id", "version"}
			return s
		}, formTables, []string{"table forms has no column version (key)"}},
		{"MissingCoercedColumn", func() transform.Spec {
			s := base()
			s.Columns = map[string]transform.Coercion{"opened_at": {Kind: decant.KindTimestamp}}
			return s
		}, formTables, []string{"table forms has no column opened_at (in columns)"}},
		{"IncompatibleType", func() transform.Spec {
			s := base()
			s.Columns = map[string]transform.Coercion{
				"visits": {Kind: decant.KindDecimal}, // int column: a decimal would lose its fraction
				"amount": {Kind: decant.KindInt},     // decimal column: fine
				"opened": {Kind: decant.KindBool},
			}
			return s
		}, formTables, []string{
			"table forms column opened is timestamp, which cannot hold the plan's type bool",
			"table forms column visits is int, which cannot hold the plan's type decimal",
		}},
		{"EveryRoutedTable", func() transform.Spec {
			s := base()
			s.To = transform.Route{By: compile(t, "record.t", false, nil), Tables: map[string]string{"tt": "tt", "anc": "anc", "pnc": "pnc"}}
			s.Map = exprs(t, false, nil, "id", "record.id", "dose", "record.dose")
			return s
		}, map[string][]decant.Column{
			"tt":  {col("id", decant.KindText), col("dose", decant.KindText)},
			"anc": {col("id", decant.KindText)},
		}, []string{"table anc has no column dose (mapped)", "table pnc does not exist in the target"}},
		{"Children", func() transform.Spec {
			s := base()
			s.Children = []transform.ChildSpec{
				{Name: "a", From: compile(t, "record.a", true, nil), To: transform.Route{Table: "children"}, ParentKey: "parent_id",
					Map: exprs(t, true, nil, "name", "item.name", "colour", "item.colour")},
				{Name: "b", From: compile(t, "record.b", true, nil), To: transform.Route{Table: "missing_kids"}, ParentKey: "form_id"},
			}
			return s
		}, formTables, []string{
			"table children has no column colour (mapped)",
			"table children has no column parent_id (key)",
			"table missing_kids does not exist in the target",
		}},
		{"FieldsNeedNoColumns", func() transform.Spec {
			s := base()
			s.Map = exprs(t, false, nil, "id", "record.id")
			s.Fields = compile(t, "record", false, nil)
			return s
		}, formTables, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, transform.Check(tt.spec(), tt.tables)); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure Compatible says which target column kinds can hold which plan
// types: the same kind, anything in text or json, numbers in wider numbers,
// dates in timestamps.
func TestCompatible(t *testing.T) {
	kinds := []string{decant.KindText, decant.KindInt, decant.KindFloat, decant.KindDecimal, decant.KindBool,
		decant.KindDate, decant.KindTimestamp, decant.KindJSON}
	// yes[db] lists the plan kinds a db column of that kind accepts.
	yes := map[string][]string{
		decant.KindText:      kinds,
		decant.KindJSON:      kinds,
		decant.KindInt:       {decant.KindInt},
		decant.KindFloat:     {decant.KindInt, decant.KindFloat, decant.KindDecimal},
		decant.KindDecimal:   {decant.KindInt, decant.KindFloat, decant.KindDecimal},
		decant.KindBool:      {decant.KindBool},
		decant.KindDate:      {decant.KindDate},
		decant.KindTimestamp: {decant.KindDate, decant.KindTimestamp},
	}
	for _, db := range kinds {
		for _, pk := range kinds {
			want := false
			for _, k := range yes[db] {
				want = want || k == pk
			}
			if got := transform.Compatible(pk, db); got != want {
				t.Errorf("Compatible(plan %s, db %s) = %v, want %v", pk, db, got, want)
			}
		}
	}
}
