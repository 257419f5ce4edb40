package decant

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"strings"
)

// CompareKeys compares two keys, each a value per key column, as a
// [TargetReader] orders them, and returns -1, 0 or +1. Verify sorts the
// rows it expects with it, so that they merge with the rows it reads.
//
// Keys compare column by column, and a key that is a prefix of the other
// sorts first. Values of one column compare as SQLite orders them, which
// both stores reproduce:
//
//   - nil first (no store returns a NULL key; see ErrNullKey);
//   - then numbers (int, int64 and the other integer types, float64,
//     float32), by value, an integer and a float exactly;
//   - then strings, bytewise (PostgreSQL is asked for COLLATE "C", SQLite
//     for BINARY), so "B" < "a" < "ä";
//   - then []byte, bytewise;
//   - then any other type, by its Go type name and then its printed value,
//     so that the order stays total; no store returns such a key.
func CompareKeys(a, b []any) int {
	for i := range min(len(a), len(b)) {
		if c := compareKey(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// key classes, in the order they sort.
const (
	classNull = iota
	classNumber
	classText
	classBlob
	classOther
)

// keyValue is a key value reduced to its class and one comparable form.
type keyValue struct {
	class int
	isInt bool
	i     int64
	f     float64
	s     string
	b     []byte
	other any
}

func compareKey(a, b any) int {
	x, y := keyOf(a), keyOf(b)
	if c := cmp.Compare(x.class, y.class); c != 0 {
		return c
	}
	switch x.class {
	case classNumber:
		return compareNumbers(x, y)
	case classText:
		return strings.Compare(x.s, y.s)
	case classBlob:
		return bytes.Compare(x.b, y.b)
	case classOther:
		if c := strings.Compare(fmt.Sprintf("%T", x.other), fmt.Sprintf("%T", y.other)); c != 0 {
			return c
		}
		return strings.Compare(fmt.Sprint(x.other), fmt.Sprint(y.other))
	}
	return 0
}

func keyOf(v any) keyValue {
	switch v := v.(type) {
	case nil:
		return keyValue{class: classNull}
	case int64:
		return keyValue{class: classNumber, isInt: true, i: v}
	case int:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case int32:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case int16:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case int8:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case uint32:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case uint16:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case uint8:
		return keyValue{class: classNumber, isInt: true, i: int64(v)}
	case float64:
		return keyValue{class: classNumber, f: v}
	case float32:
		return keyValue{class: classNumber, f: float64(v)}
	case string:
		return keyValue{class: classText, s: v}
	case []byte:
		return keyValue{class: classBlob, b: v}
	}
	return keyValue{class: classOther, other: v}
}

// compareNumbers compares two numbers exactly: an int64 is not rounded to a
// float64 (2^53+1 > 2^53 as a float), as SQLite compares them.
func compareNumbers(x, y keyValue) int {
	switch {
	case x.isInt && y.isInt:
		return cmp.Compare(x.i, y.i)
	case !x.isInt && !y.isInt:
		return cmp.Compare(x.f, y.f)
	case x.isInt:
		return compareIntFloat(x.i, y.f)
	}
	return -compareIntFloat(y.i, x.f)
}

// compareIntFloat compares i with f exactly. NaN sorts before every number,
// as cmp.Compare puts it (SQLite keeps no NaN: it stores NULL).
func compareIntFloat(i int64, f float64) int {
	switch {
	case math.IsNaN(f):
		return 1
	case f < -9223372036854775808.0: // below MinInt64, exactly -2^63
		return 1
	case f >= 9223372036854775808.0: // 2^63, above MaxInt64
		return -1
	}
	t := math.Trunc(f)
	if c := cmp.Compare(i, int64(t)); c != 0 {
		return c
	}
	return cmp.Compare(0, f-t) // same integer part: the fraction decides
}
