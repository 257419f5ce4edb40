package storetest

import (
	"testing"

	"github.com/decanthq/decant"
)

// testTableTwice checks a batch that holds a table more than once, with
// different column sets (fields mapping): each entry writes only its own
// columns, on insert and on upsert, and a child table's later entries only
// insert.
func testTableTwice(t *testing.T, e *env) {
	e.exec("CREATE TABLE forms (id {bigint} PRIMARY KEY, a {text}, b {text})")
	e.exec("CREATE TABLE kids (form_id {bigint} NOT NULL, x {text}, y {text})")
	forms := func(cols []string, rows ...[]any) decant.TableRows {
		return decant.TableRows{Table: "forms", Columns: cols, Key: []string{"id"}, Rows: rows}
	}
	kids := func(cols []string, parents []any, rows ...[]any) decant.TableRows {
		return decant.TableRows{Table: "kids", Columns: cols, ReplaceBy: "form_id", Parents: parents, Rows: rows}
	}
	e.write(&decant.Batch{Scope: "s", Step: "forms", Tables: []decant.TableRows{
		forms([]string{"id", "a", "b"}, []any{int64(1), "a1", "b1"}, []any{int64(2), "a2", "b2"}),
		kids([]string{"form_id", "x", "y"}, []any{int64(1), int64(2)}, []any{int64(1), "x1", "y1"}),
		kids([]string{"form_id", "x"}, nil, []any{int64(2), "x2"}),
	}})
	// Form 1 again without b, form 3 new with b only; both groups upsert.
	e.write(&decant.Batch{Scope: "s", Step: "forms", Tables: []decant.TableRows{
		forms([]string{"id", "a"}, []any{int64(1), "A1"}),
		forms([]string{"id", "b"}, []any{int64(3), "b3"}, []any{int64(2), "B2"}),
		kids([]string{"form_id", "x"}, []any{int64(1), int64(3)}, []any{int64(1), "X1"}),
		kids([]string{"form_id", "y"}, nil, []any{int64(3), "Y3"}, []any{int64(1), "Y1"}),
	}})
	if got, want := e.rows("SELECT id, a, b FROM forms ORDER BY id"), "1|A1|b1\n2|a2|B2\n3|NULL|b3\n"; got != want {
		t.Errorf("forms:\n%s\nwant:\n%s", got, want)
	}
	want := "1|X1|NULL\n1|NULL|Y1\n2|x2|NULL\n3|NULL|Y3\n" // X1 < Y1
	if got := e.rows("SELECT form_id, x, y FROM kids ORDER BY form_id, coalesce(x, y)"); got != want {
		t.Errorf("kids:\n%s\nwant:\n%s", got, want)
	}
}
