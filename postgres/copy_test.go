package postgres

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// copyTable is a table of a column of each kind, keyed by (id, k).
func copyTable() *table {
	return &table{kind: map[string]string{"id": decant.KindInt, "k": decant.KindText, "s": decant.KindText,
		"f": decant.KindFloat, "d": decant.KindDecimal, "b": decant.KindBool, "ts": decant.KindTimestamp,
		"day": decant.KindDate, "j": decant.KindJSON, "raw": decant.KindText}}
}

// Ensure render writes every kind of value, escapes and NULL as it did,
// and keeps only the last row of a key (of one column or two).
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("x", 5*3600+30*60)
	cols := []string{"id", "k", "s", "f", "d", "b", "ts", "day", "j", "raw"}
	rows := [][]any{
		{int64(1), "a", "plain", 1.5, decant.Decimal("12.30"), true, time.Date(2024, 2, 29, 23, 59, 59, 123456789, zone),
			time.Date(2024, 3, 1, 1, 0, 0, 0, zone), decant.JSON(`{"a":"x\ty"}`), []byte("r")},
		{int64(2), "a", "tab\tnl\ncr\rback\\slash \\N", math.Inf(-1), decant.Decimal("-0.01"), false,
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), decant.JSON(nil), nil},
		{int64(1), "a", "again: the last of key (1, a)", math.NaN(), nil, nil, nil, nil, decant.JSON(`[]`), "é\x00"},
		{int64(1), "b", "", 1e21, decant.Decimal("0"), true, time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
			time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), decant.JSON(`{}`), int32(-7)},
	}
	for _, c := range []struct {
		key  []string
		want string
	}{
		{[]string{"id", "k"}, "2\ta\ttab\\tnl\\ncr\\rback\\\\slash \\\\N\t-Infinity\t-0.01\tfalse\t2024-01-01T00:00:00Z\t2024-01-01\t\\N\t\\N\n" +
			"1\ta\tagain: the last of key (1, a)\tNaN\t\\N\t\\N\t\\N\t\\N\t[]\té\x00\n" +
			"1\tb\t\t1e+21\t0\ttrue\t0001-01-01T00:00:00.000000001Z\t9999-12-31\t{}\t-7\n"},
		{[]string{"id"}, "2\ta\ttab\\tnl\\ncr\\rback\\\\slash \\\\N\t-Infinity\t-0.01\tfalse\t2024-01-01T00:00:00Z\t2024-01-01\t\\N\t\\N\n" +
			"1\tb\t\t1e+21\t0\ttrue\t0001-01-01T00:00:00.000000001Z\t9999-12-31\t{}\t-7\n"},
		{nil, "1\ta\tplain\t1.5\t12.30\ttrue\t2024-02-29T18:29:59.123456789Z\t2024-03-01\t{\"a\":\"x\\\\ty\"}\tr\n" +
			"2\ta\ttab\\tnl\\ncr\\rback\\\\slash \\\\N\t-Infinity\t-0.01\tfalse\t2024-01-01T00:00:00Z\t2024-01-01\t\\N\t\\N\n" +
			"1\ta\tagain: the last of key (1, a)\tNaN\t\\N\t\\N\t\\N\t\\N\t[]\té\x00\n" +
			"1\tb\t\t1e+21\t0\ttrue\t0001-01-01T00:00:00.000000001Z\t9999-12-31\t{}\t-7\n"},
	} {
		var ct copyText
		if err := render(&ct, copyTable(), &decant.TableRows{Table: "t", Columns: cols, Key: c.key, Rows: rows}); err != nil {
			t.Fatal(err)
		}
		if string(ct.buf) != c.want || ct.rows != strings.Count(c.want, "\n") {
			t.Errorf("key %v: render wrote %d rows\n%q\nwant\n%q", c.key, ct.rows, ct.buf, c.want)
		}
	}
}

// BenchmarkRender is COPY's text of the JSONL benchmark's rows (bench/gen),
// per row, as a batch of 5,000 is rendered.
func BenchmarkRender(b *testing.B) {
	const n = 5000
	tbl := &table{kind: map[string]string{"id": decant.KindInt, "name": decant.KindText, "email": decant.KindText,
		"created_at": decant.KindTimestamp, "amount": decant.KindDecimal, "attrs": decant.KindJSON}}
	tr := &decant.TableRows{Table: "flat", Columns: []string{"id", "name", "email", "created_at", "amount", "attrs"}, Key: []string{"id"}}
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		tr.Rows = append(tr.Rows, []any{int64(i + 1), fmt.Sprintf("juliet bravo %d", i+1), fmt.Sprintf("user%d@bravo.example.org", i+1),
			at.Add(time.Duration(i) * 1912 * time.Millisecond), decant.Decimal(fmt.Sprintf("%d.%02d", i*7%100000, i%100)),
			decant.JSON(fmt.Sprintf(`{"active":true,"score":%d,"tags":["juliet","bravo"],"tier":"silver"}`, i%1000))})
	}
	b.ReportAllocs()
	for b.Loop() {
		var ct copyText
		if err := render(&ct, tbl, tr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
	b.ReportMetric(0, "ns/op")
}
