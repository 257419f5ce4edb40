package infer

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

// Type is the inferred type of a column.
type Type string

// The column types infer gives, from the narrowest to text, which holds
// anything.
const (
	Integer   Type = "integer"   // whole numbers within 64 bits
	Decimal   Type = "decimal"   // exact numbers with a fraction
	Date      Type = "date"      // 2006-01-02, unpadded 2006-1-2, or RFC 1123 at midnight
	Timestamp Type = "timestamp" // RFC 3339, 2006-01-02 15:04:05, or RFC 1123
	Boolean   Type = "boolean"   // true and false
	JSONType  Type = "json"      // objects, and arrays of scalars
	Text      Type = "text"      // anything else, and every disagreement
)

// Kind is the decant column kind (decant.KindInt, ...) a column of type t
// is read as, so that an existing table's columns can be compared with the
// inferred ones.
func (t Type) Kind() string {
	switch t {
	case Integer:
		return decant.KindInt
	case Decimal:
		return decant.KindDecimal
	case Date:
		return decant.KindDate
	case Timestamp:
		return decant.KindTimestamp
	case Boolean:
		return decant.KindBool
	case JSONType:
		return decant.KindJSON
	}
	return decant.KindText
}

// join is the narrowest type that holds values of both a and b: an integer
// widens to a decimal, a date to a timestamp, and any other disagreement to
// text. "" is the type of no value yet (null or absent).
func join(a, b Type) Type {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	case a == Integer && b == Decimal, a == Decimal && b == Integer:
		return Decimal
	case a == Date && b == Timestamp, a == Timestamp && b == Date:
		return Timestamp
	}
	return Text
}

// holds reports whether a column of decant kind existing accepts every
// value of type t without losing any: used for --from-db, where a field
// inferred wider than its column is reported rather than altered.
func holds(existing string, t Type) bool {
	switch existing {
	case decant.KindText, decant.KindJSON:
		return true
	case decant.KindDecimal, decant.KindFloat:
		return t == Integer || t == Decimal
	case decant.KindTimestamp:
		return t == Date || t == Timestamp
	}
	return existing == t.Kind()
}

var (
	// Leading zeros make a string text: "007" is a code, not the number 7.
	intText     = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	decimalText = regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]+$`)
	dateText    = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$`)
)

// timestampLayouts are the forms a string must have to be typed a
// timestamp: each is also among the layouts decant reads a timestamp
// column with by default, so the plan needs no layout for them.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999"}

// RFC1123 is the name of the layout (decant's layouts: [rfc1123]) of
// dates such as Wed, 31 Dec 2014 00:00:00 GMT, which a JavaScript client's
// Date.toUTCString writes; decant's defaults do not read them.
const RFC1123 = "rfc1123"

// ISO8601 names decant's default date and time layouts (RFC 3339 and the
// ISO 8601 forms), for a column whose layouts must list them beside
// RFC1123.
const ISO8601 = "iso8601"

// typed is one value's type, and the named layout the plan must read it
// with when decant's defaults do not ("" when they do).
type typed struct {
	t      Type
	layout string
}

// typeOf types one scalar sample value. Strings are typed by their text
// (CSV has no other kind, and many JSON exports quote every number): "12"
// is an integer, "2014-03-03" a date. null and "" are no value: the plan
// reads "" as NULL (null_if), so they only make a column nullable.
func typeOf(v any) typed {
	switch v := v.(type) {
	case nil:
		return typed{}
	case bool:
		return typed{t: Boolean}
	case json.Number:
		return typed{t: numberType(string(v))}
	case int64, int:
		// A number as decant decodes it (a step's values, --step): an
		// integral one is an int64, a fraction a float64 or, past what a
		// float64 keeps, a json.Number.
		return typed{t: Integer}
	case float64:
		return typed{t: Decimal}
	case decant.Decimal:
		return typed{t: Decimal}
	case time.Time:
		return typed{t: Timestamp}
	case map[string]any, []any:
		return typed{t: JSONType}
	case string:
		return stringType(v)
	}
	return typed{t: Text}
}

// numberType types a JSON number as written: a fraction or an exponent, or
// an integer beyond 64 bits, is a decimal, so that nothing is rounded.
func numberType(s string) Type {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return Integer
	}
	if _, ok := new(big.Rat).SetString(s); ok {
		return Decimal
	}
	return Text
}

// stringType types a string by its text. A date or time in the year 0 is
// text: PostgreSQL has no year 0 and refuses it as out of range.
func stringType(s string) typed {
	switch {
	case s == "":
		return typed{}
	case s == "true" || s == "false":
		return typed{t: Boolean}
	case intText.MatchString(s):
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return typed{t: Integer}
		}
		return typed{t: Decimal}
	case decimalText.MatchString(s):
		return typed{t: Decimal}
	case dateText.MatchString(s):
		// 1989-4-16 too: decant's defaults read a date without zero
		// padding.
		if tm, err := time.Parse("2006-1-2", s); err != nil || tm.Year() == 0 {
			return typed{t: Text}
		}
		return typed{t: Date}
	}
	if tm, err := time.Parse(time.RFC1123, s); err == nil && tm.Year() != 0 {
		if tm.Hour() == 0 && tm.Minute() == 0 && tm.Second() == 0 {
			return typed{t: Date, layout: RFC1123}
		}
		return typed{t: Timestamp, layout: RFC1123}
	}
	for _, l := range timestampLayouts {
		if tm, err := time.Parse(l, s); err == nil && tm.Year() != 0 {
			return typed{t: Timestamp}
		}
	}
	return typed{t: Text}
}

// Types are the types infer gives, as --as names them.
var Types = []Type{Integer, Decimal, Date, Timestamp, Boolean, JSONType, Text}

// ParseType reads a type's name (integer, decimal, date, timestamp,
// boolean, json, text).
func ParseType(s string) (Type, error) {
	for _, t := range Types {
		if string(t) == s {
			return t, nil
		}
	}
	names := make([]string, len(Types))
	for i, t := range Types {
		names[i] = string(t)
	}
	return "", fmt.Errorf("type %q: want one of %s", s, strings.Join(names, ", "))
}
