package engine

import (
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// Ensure the source hash ignores key order, whitespace and number spelling,
// and sees every change of content.
func TestHasherValue(t *testing.T) {
	hash := func(doc string) string {
		t.Helper()
		v, err := transform.DecodeJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		var h hasher
		return h.value(v)
	}
	base := hash(`{"a":1,"b":[true,null,"x"],"c":{"d":2.5,"e":"y"}}`)
	for _, same := range []string{
		`{"c":{"e":"y","d":2.5},"b":[true,null,"x"],"a":1}`,
		" {\n \"a\" : 1.0, \"b\": [true, null, \"x\"], \"c\": {\"d\": 25e-1, \"e\": \"y\"}}",
	} {
		if got := hash(same); got != base {
			t.Errorf("hash(%s) = %s, want %s as for the same content", same, got, base)
		}
	}
	for _, diff := range []string{
		`{"a":2,"b":[true,null,"x"],"c":{"d":2.5,"e":"y"}}`,
		`{"a":1,"b":[null,true,"x"],"c":{"d":2.5,"e":"y"}}`,
		`{"a":1,"b":[true,null,"x"],"c":{"d":2.5,"e":"y","f":null}}`,
		`{"a":"1","b":[true,null,"x"],"c":{"d":2.5,"e":"y"}}`,
	} {
		if got := hash(diff); got == base {
			t.Errorf("hash(%s) = hash of a different document", diff)
		}
	}
	if len(base) != 32 {
		t.Errorf("hash length %d, want 32 hex digits", len(base))
	}
}

// Ensure the target hash changes with any column value and not otherwise.
func TestHasherRows(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	rows := func(v any) []transform.Row {
		return []transform.Row{{Table: "t", Cols: []string{"id", "v", "at", "j"},
			Vals: []any{int64(1), v, when, decant.JSON(`{"k":1}`)}}}
	}
	var h hasher
	a, b := h.rows(rows("x")), h.rows(rows("x"))
	if a != b {
		t.Fatalf("same rows hash differently: %s, %s", a, b)
	}
	seen := map[string]any{a: "x"}
	for _, v := range []any{"y", nil, int64(7), 7.5, true, decant.Decimal("1.50")} {
		got := h.rows(rows(v))
		if prev, dup := seen[got]; dup {
			t.Errorf("rows with v=%#v hash like v=%#v", v, prev)
		}
		seen[got] = v
	}
	utc := []transform.Row{{Table: "t", Cols: []string{"id", "v", "at", "j"},
		Vals: []any{int64(1), "x", when.UTC(), decant.JSON(`{"k":1}`)}}}
	if got := h.rows(utc); got != a {
		t.Errorf("the same instant in another zone changed the hash")
	}
}
