package engine

import (
	"reflect"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// Ensure rows go to the group of their table and exact column set, in
// the order their groups were first seen, whether or not they follow a
// row of the same group (the last group is taken without its key).
func TestTableSetGroups(t *testing.T) {
	t.Parallel()
	ab, a := []string{"id", "b"}, []string{"id"}
	ts := newTableSet()
	for _, r := range []transform.Row{
		{Table: "t", Cols: ab, Vals: []any{1}},
		{Table: "t", Cols: []string{"id", "b"}, Vals: []any{2}}, // equal columns, another slice
		{Table: "t", Cols: a, Vals: []any{3}},
		{Table: "u", Cols: a, Vals: []any{4}},
		{Table: "t", Cols: ab, Vals: []any{5}},
		{Table: "t", Cols: ab[:1], Vals: []any{6}}, // a prefix of the last columns
		{Table: "t", Cols: a, Vals: []any{7}},
	} {
		ts.add(r)
	}
	got := ts.build([]string{"id"}, nil, nil)
	want := []decant.TableRows{
		{Table: "t", Columns: ab, Key: []string{"id"}, Rows: [][]any{{1}, {2}, {5}}},
		{Table: "t", Columns: a, Key: []string{"id"}, Rows: [][]any{{3}, {6}, {7}}},
		{Table: "u", Columns: a, Key: []string{"id"}, Rows: [][]any{{4}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups\n%+v\nwant\n%+v", got, want)
	}
}
