package verify_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/decanthq/decant/verify"
)

var fuzzColumns = []verify.Column{text, char5, integer, decimal, float, real4, boolean, date, timestamp, jsonb}

// fuzzValue turns fuzzed text into one of the Go types a scan gives, so
// that values of different types meet.
func fuzzValue(s string, as uint8) any {
	switch as % 6 {
	case 1:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	case 2:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case 3:
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
	case 4:
		return []byte(s)
	case 5:
		if s == "" {
			return nil
		}
	}
	return s
}

// FuzzCanonical holds Canonical and Compare to each other: under exact
// rules two values are equal exactly when their canonical forms are, a
// value equals itself, and neither function fails on a supported type.
func FuzzCanonical(f *testing.F) {
	for _, seed := range []struct {
		a, b string
	}{
		{"1.5", "1.50"}, {"ab", "ab   "}, {`{"a":1,"b":2}`, `{"b":2.0,"a":1}`},
		{"2024-03-01T10:30:00Z", "2024-03-01 16:00:00+05:30"}, {"t", "1"}, {"1e5", "100000"},
		{"cafe\u0301", "caf\u00e9"}, {"", " "}, {"NaN", "nan"}, {"0.1", "0.10000000149011612"},
	} {
		f.Add(uint8(0), seed.a, seed.b, uint8(0), uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, kind uint8, a, b string, asA, asB, rules uint8) {
		col := fuzzColumns[int(kind)%len(fuzzColumns)]
		o := verify.Options{
			Trim:             rules&1 != 0,
			NullEqualsEmpty:  rules&2 != 0,
			NormalizeUnicode: rules&4 != 0,
		}
		va, vb := fuzzValue(a, asA), fuzzValue(b, asB)
		ca, na, err := verify.Canonical(col, va, o)
		if err != nil {
			t.Fatalf("Canonical(%s, %#v): %v", col.Kind, va, err)
		}
		cb, nb, err := verify.Canonical(col, vb, o)
		if err != nil {
			t.Fatalf("Canonical(%s, %#v): %v", col.Kind, vb, err)
		}
		if again, _, _ := verify.Canonical(col, va, o); again != ca {
			t.Fatalf("Canonical(%s, %#v) is %q, then %q", col.Kind, va, ca, again)
		}
		eq, err := verify.Compare(col, va, vb, o)
		if err != nil {
			t.Fatalf("Compare(%s, %#v, %#v): %v", col.Kind, va, vb, err)
		}
		if same := ca == cb && na == nb; eq != same {
			t.Fatalf("Compare(%s, %#v, %#v) = %v, but canonical forms %q (null %v) and %q (null %v)", col.Kind, va, vb, eq, ca, na, cb, nb)
		}
		if self, err := verify.Compare(col, va, va, o); err != nil || !self {
			t.Fatalf("Compare(%s, %#v, itself) = %v, %v", col.Kind, va, self, err)
		}
	})
}
