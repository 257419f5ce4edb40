package verify_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/verify"
)

var (
	text      = verify.Column{Kind: decant.KindText}
	char5     = verify.Column{Kind: decant.KindText, Padded: true}
	integer   = verify.Column{Kind: decant.KindInt}
	decimal   = verify.Column{Kind: decant.KindDecimal}
	float     = verify.Column{Kind: decant.KindFloat}
	real4     = verify.Column{Kind: decant.KindFloat, Single: true}
	boolean   = verify.Column{Kind: decant.KindBool}
	date      = verify.Column{Kind: decant.KindDate}
	timestamp = verify.Column{Kind: decant.KindTimestamp}
	jsonb     = verify.Column{Kind: decant.KindJSON}
)

// comparison is one case: expected against actual under opts, and whether
// they must compare equal.
type comparison struct {
	name             string
	col              verify.Column
	expected, actual any
	opts             verify.Options
	equal            bool
}

func run(t *testing.T, cases []comparison) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := verify.Compare(c.col, c.expected, c.actual, c.opts)
			if err != nil {
				t.Fatalf("Compare(%#v, %#v): %v", c.expected, c.actual, err)
			}
			if got != c.equal {
				e, _, _ := verify.Canonical(c.col, c.expected, c.opts)
				a, _, _ := verify.Canonical(c.col, c.actual, c.opts)
				t.Fatalf("Compare(%#v, %#v) = %v, want %v (canonical %q and %q)", c.expected, c.actual, got, c.equal, e, a)
			}
			// Comparison is symmetric: the rules do not depend on the side.
			if back, err := verify.Compare(c.col, c.actual, c.expected, c.opts); err != nil || back != got {
				t.Fatalf("Compare reversed = %v, %v; want %v", back, err, got)
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	composed, decomposed := "caf\u00e9", "cafe\u0301"
	run(t, []comparison{
		{"same", text, "abc", "abc", verify.Options{}, true},
		{"different", text, "abc", "abd", verify.Options{}, false},
		{"varchar trailing space counts", text, "ab", "ab ", verify.Options{}, false},
		{"char(n) padding does not count", char5, "ab", "ab   ", verify.Options{}, true},
		{"char(n) padding both sides", char5, "ab ", "ab   ", verify.Options{}, true},
		{"char(n) leading space counts", char5, "ab", " ab  ", verify.Options{}, false},
		{"char(n) trailing tab counts", char5, "ab", "ab\t", verify.Options{}, false},
		{"trim rule", text, " ab\n", "ab", verify.Options{Trim: true}, true},
		{"trim rule keeps inner space", text, "a b", "ab", verify.Options{Trim: true}, false},
		{"bytes are text", text, "abc", []byte("abc"), verify.Options{}, true},
		{"null vs empty", text, nil, "", verify.Options{}, false},
		{"null vs null", text, nil, nil, verify.Options{}, true},
		{"null equals empty rule", text, nil, "", verify.Options{NullEqualsEmpty: true}, true},
		{"null equals blank with trim", text, nil, "  ", verify.Options{NullEqualsEmpty: true, Trim: true}, true},
		{"null equals padding alone in char(n)", char5, nil, "     ", verify.Options{NullEqualsEmpty: true}, true},
		{"null equals empty rule, not blank", text, nil, " ", verify.Options{NullEqualsEmpty: true}, false},
		{"null equals empty rule, not text", text, nil, "x", verify.Options{NullEqualsEmpty: true}, false},
		{"unicode forms differ", text, composed, decomposed, verify.Options{}, false},
		{"unicode NFC rule", text, composed, decomposed, verify.Options{NormalizeUnicode: true}, true},
		{"unicode NFC rule, different text", text, composed, "cafe", verify.Options{NormalizeUnicode: true}, false},
		{"SQLite number in a STRING column", text, "12", int64(12), verify.Options{}, true},
		{"SQLite real in a STRING column", text, "1.50", 1.5, verify.Options{}, false},
		{"ignore rule", text, "a", "b", verify.Options{Ignore: true}, true},
	})
}

func TestNumbers(t *testing.T) {
	t.Parallel()
	big1 := "123456789012345678901234567890.12"
	run(t, []comparison{
		{"decimal scale", decimal, decant.Decimal("1.5"), "1.50", verify.Options{}, true},
		{"decimal different", decimal, decant.Decimal("1.5"), "1.51", verify.Options{}, false},
		{"decimal integral scale", decimal, decant.Decimal("12"), "12.00", verify.Options{}, true},
		{"decimal exponent", decimal, decant.Decimal("15e-1"), "1.5", verify.Options{}, true},
		{"decimal negative zero", decimal, decant.Decimal("-0.00"), "0", verify.Options{}, true},
		{"decimal sign", decimal, decant.Decimal("-1.5"), "1.5", verify.Options{}, false},
		{"decimal plus sign", decimal, decant.Decimal("+1.5"), "1.5", verify.Options{}, true},
		{"decimal leading zeros", decimal, decant.Decimal("007.10"), "7.1", verify.Options{}, true},
		{"big decimal exact", decimal, decant.Decimal(big1), big1 + "000", verify.Options{}, true},
		{"big decimal last digit", decimal, decant.Decimal(big1), "123456789012345678901234567890.13", verify.Options{}, false},
		{"SQLite DECIMAL affinity lost digits", decimal, decant.Decimal(big1), 1.2345678901234568e+29, verify.Options{}, false},
		{"big decimal beyond float64", decimal, decant.Decimal("9007199254740993"), "9007199254740992", verify.Options{}, false},
		{"pgtype.Numeric", decimal, decant.Decimal("1.50"), pgtype.Numeric{Int: big.NewInt(15), Exp: -1, Valid: true}, verify.Options{}, true},
		{"pgtype.Numeric different", decimal, decant.Decimal("1.50"), pgtype.Numeric{Int: big.NewInt(151), Exp: -2, Valid: true}, verify.Options{}, false},
		{"pgtype.Numeric null", decimal, nil, pgtype.Numeric{}, verify.Options{}, true},
		{"SQLite NUMERIC affinity real", decimal, decant.Decimal("1.50"), 1.5, verify.Options{}, true},
		{"SQLite NUMERIC affinity integer", decimal, decant.Decimal("3.0e+5"), int64(300000), verify.Options{}, true},
		{"decimal NaN", decimal, decant.Decimal("NaN"), "NaN", verify.Options{}, true},
		{"decimal infinity", decimal, decant.Decimal("Infinity"), "-Infinity", verify.Options{}, false},
		{"decimal not a number", decimal, decant.Decimal("1.5"), "1.5x", verify.Options{}, false},
		{"decimal tolerance", decimal, decant.Decimal("1.5"), "1.51", verify.Options{Tolerance: verify.Tolerance{Abs: 0.01}}, true},
		{"decimal tolerance exceeded", decimal, decant.Decimal("1.5"), "1.52", verify.Options{Tolerance: verify.Tolerance{Abs: 0.01}}, false},
		{"decimal relative tolerance", decimal, decant.Decimal("1000"), "1001", verify.Options{Tolerance: verify.Tolerance{Rel: 0.001}}, true},
		{"decimal relative tolerance exceeded", decimal, decant.Decimal("1000"), "1002", verify.Options{Tolerance: verify.Tolerance{Rel: 0.001}}, false},
		{"int", integer, int64(12), int64(12), verify.Options{}, true},
		{"int different", integer, int64(12), int64(13), verify.Options{}, false},
		{"int vs int32", integer, int64(12), int32(12), verify.Options{}, true},
		{"int vs integral float", integer, int64(12), 12.0, verify.Options{}, true},
		{"int vs fractional float", integer, int64(12), 12.5, verify.Options{}, false},
		{"int vs text in SQLite", integer, int64(12), "12", verify.Options{}, true},
		{"int vs text not a number", integer, int64(12), "12abc", verify.Options{}, false},
		{"int max", integer, int64(9223372036854775807), "9223372036854775807", verify.Options{}, true},
		{"int near max", integer, int64(9223372036854775807), int64(9223372036854775806), verify.Options{}, false},
		{"int vs bool", integer, true, int64(1), verify.Options{}, true},
		{"int tolerance", integer, int64(100), int64(101), verify.Options{Tolerance: verify.Tolerance{Abs: 1}}, true},
		{"float exact", float, 0.1, 0.1, verify.Options{}, true},
		{"float last bit", float, 0.1, math.Nextafter(0.1, 1), verify.Options{}, false},
		{"float vs text", float, 0.1, "0.1", verify.Options{}, true},
		{"float vs int", float, 3.0, int64(3), verify.Options{}, true},
		{"float vs float32", float, 0.1, float32(0.1), verify.Options{}, true},
		{"float vs float32 different", float, 0.1000001, float32(0.1), verify.Options{}, false},
		{"real column rounds", real4, 0.1, float64(float32(0.1)), verify.Options{}, true},
		{"float tolerance", float, math.Nextafter(0.3, 1), 0.3, verify.Options{Tolerance: verify.Tolerance{Abs: 1e-9}}, true},
		{"float no tolerance", float, math.Nextafter(0.3, 1), 0.3, verify.Options{}, false},
		{"float relative tolerance", float, 1e20, 1.0000001e20, verify.Options{Tolerance: verify.Tolerance{Rel: 1e-6}}, true},
		{"float NaN", float, "NaN", "NaN", verify.Options{Tolerance: verify.Tolerance{Abs: 1}}, true},
		{"float NaN vs number", float, "NaN", 1.0, verify.Options{Tolerance: verify.Tolerance{Abs: 1e300}}, false},
		{"float negative zero", float, 0.0, "-0", verify.Options{}, true},
	})
}

func TestBool(t *testing.T) {
	t.Parallel()
	run(t, []comparison{
		{"bool", boolean, true, true, verify.Options{}, true},
		{"bool different", boolean, true, false, verify.Options{}, false},
		{"SQLite 1", boolean, true, int64(1), verify.Options{}, true},
		{"SQLite 0", boolean, false, int64(0), verify.Options{}, true},
		{"SQLite 0 vs true", boolean, true, int64(0), verify.Options{}, false},
		{"SQLite 2", boolean, true, int64(2), verify.Options{}, false},
		{"text t", boolean, true, "t", verify.Options{}, true},
		{"text no", boolean, true, "no", verify.Options{}, false},
		{"null vs false", boolean, nil, false, verify.Options{}, false},
	})
}

func TestTime(t *testing.T) {
	t.Parallel()
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	instant := time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)
	inPlan := verify.Options{Zone: kolkata}
	run(t, []comparison{
		{"same instant, other zone", timestamp, instant, instant.In(kolkata), verify.Options{}, true},
		{"other instant, same wall time", timestamp, instant, time.Date(2024, 3, 1, 10, 30, 0, 0, kolkata), verify.Options{}, false},
		{"nanoseconds count", timestamp, instant, instant.Add(time.Nanosecond), verify.Options{}, false},
		{"pgx timestamp without time zone", timestamp, instant.In(kolkata), time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), inPlan, true},
		{"decant SQLite text", timestamp, instant, "2024-03-01T10:30:00.000000000Z", verify.Options{}, true},
		{"decant SQLite text other instant", timestamp, instant, "2024-03-01T10:30:00.000000001Z", verify.Options{}, false},
		{"SQLite datetime()", timestamp, instant, "2024-03-01 10:30:00", verify.Options{}, true},
		{"naive text read in the plan zone", timestamp, instant, "2024-03-01 16:00:00", inPlan, true},
		{"naive text in the plan zone differs from UTC", timestamp, instant, "2024-03-01 10:30:00", inPlan, false},
		{"text with offset", timestamp, instant, "2024-03-01 16:00:00+05:30", inPlan, true},
		{"PostgreSQL text offset", timestamp, instant, "2024-03-01 10:30:00+00", verify.Options{}, true},
		{"Go String form", timestamp, instant, instant.In(kolkata).String(), verify.Options{}, true},
		{"fraction", timestamp, instant.Add(123456 * time.Microsecond), "2024-03-01 10:30:00.123456", verify.Options{}, true},
		{"not a time", timestamp, instant, "soon", verify.Options{}, false},
		{"epoch number is not a time", timestamp, instant, instant.Unix(), verify.Options{}, false},
		{"date as midnight timestamp", timestamp, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-03-01", verify.Options{}, true},
		{"date vs pgx date", date, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), verify.Options{}, true},
		{"date text", date, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-03-01", verify.Options{}, true},
		{"date different", date, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-03-02", verify.Options{}, false},
		{"timestamp written to a date column keeps its own date", date, time.Date(2024, 3, 1, 23, 0, 0, 0, kolkata), "2024-03-01", verify.Options{}, true},
		{"midnight text in a date column", date, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-03-01T00:00:00Z", verify.Options{}, true},
		{"time keeps its own date", date, time.Date(2024, 3, 1, 2, 0, 0, 0, kolkata), "2024-03-01", verify.Options{}, true},
		{"time keeps its own date, not UTC's", date, time.Date(2024, 3, 1, 2, 0, 0, 0, kolkata), "2024-02-29", verify.Options{}, false},
		{"date text in a timestamp column, plan zone", timestamp, time.Date(2024, 3, 1, 0, 0, 0, 0, kolkata), "2024-03-01", inPlan, true},
		{"date text in a timestamp column, not UTC", timestamp, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-03-01", inPlan, false},
		{"SQLite epoch", timestamp, instant, int64(1709289000), verify.Options{}, false},
		{"date not a date", date, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "March 1st", verify.Options{}, false},
	})
}

func TestJSON(t *testing.T) {
	t.Parallel()
	doc := decant.JSON(`{"a":1,"b":[1,2],"c":{"d":"x"}}`)
	run(t, []comparison{
		{"same", jsonb, doc, string(doc), verify.Options{}, true},
		{"key order and whitespace", jsonb, doc, `{ "c": {"d": "x"}, "b": [1, 2], "a": 1 }`, verify.Options{}, true},
		{"number spelling", jsonb, decant.JSON(`[1, 1.0, 1e0, 10, 0.5]`), `[1.00, 1, 1E+0, 1e1, 5e-1]`, verify.Options{}, true},
		{"array order counts", jsonb, doc, `{"a":1,"b":[2,1],"c":{"d":"x"}}`, verify.Options{}, false},
		{"value differs", jsonb, doc, `{"a":2,"b":[1,2],"c":{"d":"x"}}`, verify.Options{}, false},
		{"extra key", jsonb, doc, `{"a":1,"b":[1,2],"c":{"d":"x"},"e":null}`, verify.Options{}, false},
		{"docs: number spelling", jsonb, decant.JSON(`[1, 1.0, 1e0, 0.5]`), `[1.00, 1, 1E+0, 5e-1]`, verify.Options{}, true},
		{"docs: escapes", jsonb, decant.JSON(`"<é>"`), `"\u003c\u00e9\u003e"`, verify.Options{}, true},
		{"docs: escapes, other text", jsonb, decant.JSON(`"<é>"`), `"\u003c\u00e8\u003e"`, verify.Options{}, false},
		{"duplicate key, last wins", jsonb, decant.JSON(`{"a":2}`), `{"a":1,"a":2}`, verify.Options{}, true},
		{"duplicate key, first loses", jsonb, decant.JSON(`{"a":1}`), `{"a":1,"a":2}`, verify.Options{}, false},
		{"string escapes", jsonb, decant.JSON(`"<\u00e9>"`), []byte(`"<é>"`), verify.Options{}, true},
		{"string vs number", jsonb, decant.JSON(`"1"`), `1`, verify.Options{}, false},
		{"json null vs SQL NULL", jsonb, decant.JSON(`null`), nil, verify.Options{}, false},
		{"nil document is NULL", jsonb, decant.JSON(nil), nil, verify.Options{}, true},
		{"decoded map", jsonb, doc, map[string]any{"c": map[string]any{"d": "x"}, "b": []any{1.0, 2.0}, "a": 1.0}, verify.Options{}, true},
		{"json.RawMessage", jsonb, doc, json.RawMessage(doc), verify.Options{}, true},
		{"big numbers exact", jsonb, decant.JSON(`[12345678901234567890.5]`), `[12345678901234567890.50]`, verify.Options{}, true},
		{"big numbers differ", jsonb, decant.JSON(`[12345678901234567890.5]`), `[12345678901234567890.6]`, verify.Options{}, false},
		{"invalid text", jsonb, doc, `{"a":1,`, verify.Options{}, false},
		{"trailing data", jsonb, decant.JSON(`1`), `1 2`, verify.Options{}, false},
		{"unicode forms differ", jsonb, decant.JSON("{\"caf\u00e9\":1}"), "{\"cafe\u0301\":1}", verify.Options{}, false},
		{"unicode NFC rule", jsonb, decant.JSON("{\"caf\u00e9\":\"caf\u00e9\"}"), "{\"cafe\u0301\":\"cafe\u0301\"}", verify.Options{NormalizeUnicode: true}, true},
	})
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	cases := []struct {
		col  verify.Column
		v    any
		want string
	}{
		{decimal, decant.Decimal("1.50"), "1.5"},
		{decimal, "-0012.3400e2", "-1234"},
		{decimal, "1e-3", "0.001"},
		{decimal, "1e5000", "1e5000"},
		{integer, 12.0, "12"},
		{float, float32(0.1), "0.1"},
		{float, 1e21, "1000000000000000000000"},
		{text, "x", "x"},
		{char5, "ab   ", "ab"},
		{boolean, int64(1), "true"},
		{timestamp, time.Date(2024, 3, 1, 10, 30, 0, 5000, time.FixedZone("x", 3600)), "2024-03-01T09:30:00.000005Z"},
		{date, "2024-03-01", "2024-03-01"},
		{jsonb, `{"b":"<",  "a":[1.0, true, null]}`, `{"a":[1,true,null],"b":"<"}`},
		{integer, "12abc", `text:"12abc"`},
		{jsonb, `{"a":1,`, `text:"{\"a\":1,"`},
		{decimal, 1.2345678901234569e+27, "1234567890123456900000000000"},
		{timestamp, int64(5), "int64:5"},
		{text, nil, "NULL"},
	}
	for _, c := range cases {
		got, null, err := verify.Canonical(c.col, c.v, verify.Options{})
		if err != nil {
			t.Fatalf("Canonical(%s, %#v): %v", c.col.Kind, c.v, err)
		}
		if got != c.want || null != (c.v == nil) {
			t.Errorf("Canonical(%s, %#v) = %q, %v; want %q", c.col.Kind, c.v, got, null, c.want)
		}
	}
}

func TestNullTextIsNotNull(t *testing.T) {
	t.Parallel()
	s, null, err := verify.Canonical(text, "NULL", verify.Options{})
	if err != nil || null || s != "NULL" {
		t.Fatalf("Canonical(\"NULL\") = %q, %v, %v; want text NULL, not null", s, null, err)
	}
	if eq, err := verify.Compare(text, "NULL", nil, verify.Options{}); err != nil || eq {
		t.Fatalf("Compare(\"NULL\", nil) = %v, %v; want different", eq, err)
	}
}

func TestUnsupported(t *testing.T) {
	t.Parallel()
	type custom struct{ X int }
	_, err := verify.Compare(text, custom{1}, "x", verify.Options{})
	if !errors.Is(err, verify.ErrUnsupported) || !strings.Contains(err.Error(), "custom") || !strings.Contains(err.Error(), "expected value") {
		t.Fatalf("Compare(custom) error = %v; want ErrUnsupported naming the type and side", err)
	}
	_, err = verify.Compare(verify.Column{Kind: "uuid"}, "a", "a", verify.Options{})
	if !errors.Is(err, verify.ErrUnsupported) || !strings.Contains(err.Error(), `"uuid"`) {
		t.Fatalf("Compare(kind uuid) error = %v; want ErrUnsupported naming the kind", err)
	}
}

func TestColumns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dbType         string
		padded, single bool
	}{
		{"character(5)", true, false},
		{"bpchar", true, false},
		{"character varying(5)", false, false},
		{"text", false, false},
		{"real", false, true},
		{"double precision", false, false},
	} {
		got := verify.PostgresColumn(decant.Column{Kind: decant.KindText, DBType: c.dbType})
		if got.Padded != c.padded || got.Single != c.single {
			t.Errorf("PostgresColumn(%s) = %+v; want padded %v, single %v", c.dbType, got, c.padded, c.single)
		}
	}
	if got := verify.SQLiteColumn(decant.Column{Kind: decant.KindText, DBType: "CHAR(5)"}); got.Padded {
		t.Errorf("SQLiteColumn(CHAR(5)) is padded; SQLite keeps trailing spaces")
	}
}
