package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

func people(rows ...[]any) decant.TableRows {
	return decant.TableRows{Table: "people", Columns: []string{"id", "name", "amount"}, Key: []string{"id"}, Rows: rows}
}

func (e *env) createPeople() {
	e.exec("CREATE TABLE people (id {bigint} PRIMARY KEY, name {text}, amount {exactdecimal})")
}

func testUpsert(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{people(
		[]any{int64(1), "ann", decant.Decimal("1.00")},
		[]any{int64(2), "bob", decant.Decimal("2.00")},
		[]any{int64(3), "cy", decant.Decimal("3.00")},
	)}})
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{people(
		[]any{int64(2), "bob2", decant.Decimal("20.00")},
		[]any{int64(3), "cy2", nil},
		[]any{int64(4), "dee", decant.Decimal("4.00")},
	)}})
	want := "1|ann|1.00\n2|bob2|20.00\n3|cy2|NULL\n4|dee|4.00\n"
	if got := e.rows("SELECT id, name, amount FROM people ORDER BY id"); got != want {
		t.Errorf("after rewriting keys 2 and 3:\n%s\nwant:\n%s", got, want)
	}
}

func testDuplicateKeyInBatch(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{people(
		[]any{int64(1), "first", nil},
		[]any{int64(2), "bob", nil},
		[]any{int64(1), "second", nil},
		[]any{int64(1), "last", decant.Decimal("9.99")},
	)}, Ledger: ledger("1:ok", "2:ok", "1:ok", "1:ok")})
	want := "1|last|9.99\n2|bob|NULL\n"
	if got := e.rows("SELECT id, name, amount FROM people ORDER BY id"); got != want {
		t.Errorf("the last row of a repeated key should win:\n%s\nwant:\n%s", got, want)
	}
	if n := e.count("decant_ledger"); n != 2 {
		t.Errorf("ledger has %d rows, want 2", n)
	}
}

func testReplaceByParent(t *testing.T, e *env) {
	e.exec("CREATE TABLE orders (id {bigint} PRIMARY KEY, customer {text})")
	e.exec("CREATE TABLE lines (order_id {bigint} NOT NULL, n {bigint} NOT NULL, sku {text})")
	batch := func(orders [][]any, parents []any, lines [][]any) *decant.Batch {
		return &decant.Batch{Scope: "s", Step: "orders", Tables: []decant.TableRows{
			{Table: "orders", Columns: []string{"id", "customer"}, Key: []string{"id"}, Rows: orders},
			{Table: "lines", Columns: []string{"order_id", "n", "sku"}, ReplaceBy: "order_id", Parents: parents, Rows: lines},
		}}
	}
	e.write(batch([][]any{{int64(1), "a"}, {int64(2), "b"}, {int64(3), "c"}}, []any{int64(1), int64(2), int64(3)},
		[][]any{{int64(1), int64(1), "x"}, {int64(1), int64(2), "y"}, {int64(1), int64(3), "z"},
			{int64(2), int64(1), "p"}, {int64(2), int64(2), "q"}, {int64(3), int64(1), "r"}}))
	// Order 1 shrinks to one line, order 3 to none; order 2 is not in the batch.
	e.write(batch([][]any{{int64(1), "a2"}, {int64(3), "c2"}}, []any{int64(1), int64(3)},
		[][]any{{int64(1), int64(1), "x2"}}))
	want := "1|1|x2\n2|1|p\n2|2|q\n"
	if got := e.rows("SELECT order_id, n, sku FROM lines ORDER BY order_id, n"); got != want {
		t.Errorf("children after the rewrite:\n%s\nwant:\n%s", got, want)
	}
	// A replay of the same batch changes nothing.
	e.write(batch([][]any{{int64(1), "a2"}, {int64(3), "c2"}}, []any{int64(1), int64(3)},
		[][]any{{int64(1), int64(1), "x2"}}))
	if got := e.rows("SELECT order_id, n, sku FROM lines ORDER BY order_id, n"); got != want {
		t.Errorf("children after a replay:\n%s\nwant:\n%s", got, want)
	}
}

// testTableChanged checks that a column added after a store first wrote to
// the table is written too: stores may cache table descriptions.
func testTableChanged(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{people([]any{int64(1), "ann", nil})}})
	e.exec("ALTER TABLE people ADD COLUMN note {text}")
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{{Table: "people",
		Columns: []string{"id", "note"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "new column"}}}}})
	if got := e.rows("SELECT id, name, note FROM people"); got != "1|ann|new column\n" {
		t.Errorf("rows = %q", got)
	}
}

func testColumns(t *testing.T, e *env) {
	e.exec(`CREATE TABLE kinds (a {bigint} NOT NULL, b {text}, c {float}, d {decimal}, e {bool},
		f {date}, g {timestamp}, h {timestamptz}, i {json})`)
	cols, err := e.catalog().Columns(e.ctx, "kinds")
	if err != nil {
		t.Fatal(err)
	}
	type col struct {
		Name, Kind string
		Nullable   bool
	}
	var got []col
	for _, c := range cols {
		if c.DBType == "" {
			t.Errorf("column %s has no DBType", c.Name)
		}
		got = append(got, col{c.Name, c.Kind, c.Nullable})
	}
	want := []col{
		{"a", decant.KindInt, false}, {"b", decant.KindText, true}, {"c", decant.KindFloat, true},
		{"d", decant.KindDecimal, true}, {"e", decant.KindBool, true}, {"f", decant.KindDate, true},
		{"g", decant.KindTimestamp, true}, {"h", decant.KindTimestamp, true}, {"i", decant.KindJSON, true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Columns(kinds) (-want +got):\n%s", d)
	}
	if _, err := e.catalog().Columns(e.ctx, "no_such_table"); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("Columns(no_such_table) = %v, want ErrNotFound", err)
	}
}

func testMissingTable(t *testing.T, e *env) {
	err := e.tryWrite(&decant.Batch{Scope: "s", Step: "x", Tables: []decant.TableRows{
		{Table: "no_such_table", Columns: []string{"id"}, Key: []string{"id"}, Rows: [][]any{{int64(1)}}},
	}})
	if !errors.Is(err, decant.ErrNotFound) || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("writing to a missing table: %v, want ErrNotFound naming the table", err)
	}
	e.createPeople()
	err = e.tryWrite(&decant.Batch{Scope: "s", Step: "x", Tables: []decant.TableRows{
		{Table: "people", Columns: []string{"id", "nope"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "x"}}},
	}})
	if !errors.Is(err, decant.ErrNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("writing to a missing column: %v, want ErrNotFound naming the column", err)
	}
}

// testKeyWithoutUnique checks that upserting on a key the table does not
// enforce fails instead of doubling rows on a replay.
func testKeyWithoutUnique(t *testing.T, e *env) {
	e.exec("CREATE TABLE loose (id {bigint}, name {text})")
	b := &decant.Batch{Scope: "s", Step: "loose", Tables: []decant.TableRows{{Table: "loose",
		Columns: []string{"id", "name"}, Key: []string{"id"}, Rows: [][]any{{int64(1), "a"}}}}}
	if err := e.tryWrite(b); err == nil || !strings.Contains(err.Error(), "loose") {
		t.Errorf("upsert on a key without a unique index: %v, want an error naming the table", err)
	}
	if n := e.count("loose"); n != 0 {
		t.Errorf("loose has %d rows, want none", n)
	}
}

// The values of every kind, as WriteBatch receives them.
var (
	valueZone = time.FixedZone("IST", 5*3600+30*60)
	valueTime = time.Date(2024, 3, 1, 2, 30, 15, 123456000, valueZone) // 2024-02-29T21:00:15.123456Z
	valueText = "Zoë \"quoted\", O'Brien\nsecond line\ttab \\ backslash 太郎 \\N"
	valueJSON = `{"a": [1, "x", null], "b": {"c": "héllo"}}`
)

func testValues(t *testing.T, e *env) {
	e.exec(`CREATE TABLE vals (id {bigint} PRIMARY KEY, i {bigint}, f {float}, b {bool}, ts {timestamp},
		tstz {timestamptz}, d {date}, dec {exactdecimal}, j {json}, s {text})`)
	cols := []string{"id", "i", "f", "b", "ts", "tstz", "d", "dec", "j", "s"}
	e.write(&decant.Batch{Scope: "s", Step: "vals", Tables: []decant.TableRows{{
		Table: "vals", Columns: cols, Key: []string{"id"}, Rows: [][]any{
			{int64(1), nil, nil, nil, nil, nil, nil, nil, nil, nil},
			{int64(2), int64(math.MinInt64), 0.1, true, valueTime, valueTime,
				time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), decant.Decimal("12.30"), decant.JSON(valueJSON), valueText},
			{int64(3), int64(math.MaxInt64), -1.5e300, false, valueTime, valueTime,
				time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), decant.Decimal("-0.05"), decant.JSON(`[]`), ""},
		}}}})
	got := e.query("SELECT id, i, f, b, ts, tstz, d, dec, j, s FROM vals ORDER BY id")
	if len(got) != 3 {
		t.Fatalf("got %d rows, want 3", len(got))
	}
	for i, v := range got[0][1:] {
		if v != nil {
			t.Errorf("row 1 column %s = %q, want NULL", cols[i+1], v)
		}
	}
	checkValues(t, got[1], int64(math.MinInt64), 0.1, true, "2024-03-01", "12.30", valueJSON, valueText)
	checkValues(t, got[2], int64(math.MaxInt64), -1.5e300, false, "1999-12-31", "-0.05", `[]`, "")
}

func checkValues(t *testing.T, row []any, i int64, f float64, b bool, date, dec, j, s string) {
	t.Helper()
	id := text(row[0])
	if got := text(row[1]); got != strconv.FormatInt(i, 10) {
		t.Errorf("row %s: int = %s, want %d", id, got, i)
	}
	if got, err := strconv.ParseFloat(text(row[2]), 64); err != nil || got != f {
		t.Errorf("row %s: float = %s, want %v", id, text(row[2]), f)
	}
	if got := parseBool(text(row[3])); got != b {
		t.Errorf("row %s: bool = %s, want %v", id, text(row[3]), b)
	}
	for _, c := range []int{4, 5} {
		if got, err := parseTime(text(row[c])); err != nil || !got.Equal(valueTime) {
			t.Errorf("row %s: timestamp column %d = %s (%v), want the instant %s", id, c, text(row[c]), err, valueTime.UTC())
		}
	}
	if got := text(row[6]); !sameDate(got, date) {
		t.Errorf("row %s: date = %s, want %s", id, got, date)
	}
	if got := text(row[7]); got != dec {
		t.Errorf("row %s: decimal = %s, want %s exactly", id, got, dec)
	}
	if got := text(row[8]); !sameJSON(got, j) {
		t.Errorf("row %s: json = %s, want %s", id, got, j)
	}
	if got := text(row[9]); got != s {
		t.Errorf("row %s: text = %q, want %q", id, got, s)
	}
}

func parseBool(s string) bool {
	return s == "t" || s == "true" || s == "1"
}

// parseTime reads a timestamp as the databases print it; one without a zone
// is UTC, which is how the stores write instants into such columns.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05Z07"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown time format %q", s)
}

// sameDate accepts a date as text or as midnight UTC of that date, which is
// how drivers that read dates as times print them.
func sameDate(got, want string) bool {
	if got == want {
		return true
	}
	t, err := parseTime(got)
	return err == nil && t.Equal(t.Truncate(24*time.Hour)) && t.UTC().Format(time.DateOnly) == want
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func testLargeBatch(t *testing.T, e *env) {
	e.exec(`CREATE TABLE big (id {bigint} PRIMARY KEY, name {text}, email {text}, created {timestamptz},
		amount {exactdecimal}, payload {json})`)
	const n = 10000
	rows := make([][]any, n)
	entries := make([]decant.LedgerEntry, n)
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = []any{int64(i), fmt.Sprintf("name %d", i), fmt.Sprintf("u%d@example.com", i),
			created.Add(time.Duration(i) * time.Second), decant.Decimal(fmt.Sprintf("%d.%02d", i, i%100)),
			decant.JSON(fmt.Sprintf(`{"k":%d}`, i))}
		entries[i] = decant.LedgerEntry{Key: strconv.Itoa(i), Status: decant.StatusOK}
	}
	e.write(&decant.Batch{Scope: "s", Step: "big", Ledger: entries, Audit: audit(n, n, "c"),
		Checkpoint: decant.Position(`{"n":10000}`), Tables: []decant.TableRows{{
			Table: "big", Columns: []string{"id", "name", "email", "created", "amount", "payload"},
			Key: []string{"id"}, Rows: rows}}})
	if got := e.count("big"); got != n {
		t.Errorf("big has %d rows, want %d", got, n)
	}
	if got := e.rows("SELECT name, amount FROM big WHERE id = 9999"); got != "name 9999|9999.99\n" {
		t.Errorf("row 9999 = %q", got)
	}
	st := e.status("s")
	if len(st) != 1 || st[0].Read != n || st[0].Keys != n || st[0].Written != n {
		t.Errorf("Status = %+v, want %d read, keys and written", st, n)
	}
}
