package migrations

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure statements are cut at semicolons only outside quotes, dollar
// quotes and comments, with their positions.
func TestSplit(t *testing.T) {
	text := "-- header; not a cut\nCREATE TABLE a (x text DEFAULT 'a;b''c');\n\n" +
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n" +
		"/* block ; */ INSERT INTO a VALUES (\"x;y\");  CREATE FUNCTION g() RETURNS int AS $body$ SELECT ';'; $body$ LANGUAGE sql\n" +
		"-- only a comment;\n"
	got := split(text, 1)
	want := []statement{
		{"CREATE TABLE a (x text DEFAULT 'a;b''c')", 2, 1},
		{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", 4, 1},
		{"INSERT INTO a VALUES (\"x;y\")", 5, 15},
		{"CREATE FUNCTION g() RETURNS int AS $body$ SELECT ';'; $body$ LANGUAGE sql", 5, 46},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(statement{})); diff != "" {
		t.Errorf("split (-want +got):\n%s", diff)
	}
	if got := split("  -- nothing\n/* at all */ ;\n", 1); len(got) != 0 {
		t.Errorf("comments only: %+v", got)
	}
	if got := split("SELECT $1; SELECT 2", 7); len(got) != 2 || got[1].line != 7 || got[1].col != 12 {
		t.Errorf("positional parameter is not a dollar quote: %+v", got)
	}
}
