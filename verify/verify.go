// Package verify holds the rules by which decant verify decides that a value
// the plan expects in a target column and the value the column holds are the
// same. It is pure: no I/O, no database. The store-side reader scans target
// rows into Go values and hands them here with the column they came from.
//
// Every value is first rendered canonically ([Canonical]); two values are
// equal when their canonical forms are, except that a tolerance rule
// compares numbers by their distance. The canonical forms are what findings
// show as expected and actual, and what a hash of a row is taken over.
//
// Values accepted, on either side (expected from transform.Mapper, actual
// from a database/sql or pgx scan into any):
//
//   - nil (SQL NULL);
//   - string, []byte (text as held; []byte is read as text, never as hex);
//   - bool; int, int8..int64, uint..uint64; float32, float64; json.Number;
//   - time.Time;
//   - decant.Decimal, decant.JSON, json.RawMessage;
//   - map[string]any and []any (a JSON document pgx decoded);
//   - any driver.Valuer (pgtype.Numeric, pgtype.Text, ...): its Value is used.
//
// Any other Go type is an error: the reader scanned a column into a type
// this package does not know, which is a bug to fix, not a difference.
// A known type that does not fit the column's kind (the text "abc" in an
// integer column, which SQLite's dynamic typing allows) is not an error: it
// renders as text:"abc" or int64:12 and so differs from every value of the
// kind. docs/verify.md, section "Comparing values", gives the rules with
// examples.
package verify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
)

// Column is what the comparison needs to know of a target column.
type Column struct {
	// Kind is the column's decant kind (decant.KindText, ...).
	Kind string
	// Padded says trailing spaces do not count: a PostgreSQL character(n)
	// column pads its values with spaces and ignores them when comparing.
	Padded bool
	// Single says the column keeps floats in single precision (PostgreSQL
	// real): expected values are rounded to float32 before they are
	// compared, as the column rounded them when they were written.
	Single bool
	// Form says the column keeps a value the database reads from text and
	// prints its own way (PostgreSQL uuid, time, inet, cidr, macaddr): text
	// that spells the same value compares equal.
	Form Form
}

// Form is how a column that keeps a value read from text prints it.
type Form string

// The forms of [Column.Form]; the zero form keeps text as it is.
const (
	// FormUUID prints a UUID in lowercase, hyphens after the 8th, 12th,
	// 16th and 20th digits, whatever case, braces and hyphens it was
	// written with.
	FormUUID Form = "uuid"
	// FormTimeOfDay prints a time of day as HH:MM:SS and the fraction of
	// a second without trailing zeros: 9:05 is 09:05:00.
	FormTimeOfDay Form = "time"
	// FormInet prints an address with its prefix length and IPv6 in
	// lowercase: 10.0.0.1 is 10.0.0.1/32, as the target read gives it.
	FormInet Form = "inet"
	// FormMAC prints a MAC address in lowercase with colons:
	// 08-00-2B-01-02-03 is 08:00:2b:01:02:03.
	FormMAC Form = "macaddr"
)

// PostgresColumn describes a column of a PostgreSQL target as
// postgres.Store.Columns returns it.
func PostgresColumn(c decant.Column) Column {
	t := strings.ToLower(c.DBType)
	return Column{
		Kind:   c.Kind,
		Padded: t == "bpchar" || t == "character" || t == "char" || strings.HasPrefix(t, "character(") || strings.HasPrefix(t, "char("),
		Single: t == "real" || t == "float4",
		Form:   postgresForm(t),
	}
}

// postgresForm is the form of a PostgreSQL type as format_type names it.
func postgresForm(t string) Form {
	switch {
	case t == "uuid":
		return FormUUID
	case t == "time" || strings.HasPrefix(t, "time without") || strings.HasPrefix(t, "time(") && strings.HasSuffix(t, "without time zone"):
		return FormTimeOfDay
	case t == "inet" || t == "cidr":
		return FormInet
	case t == "macaddr" || t == "macaddr8":
		return FormMAC
	}
	return ""
}

// SQLiteColumn describes a column of a SQLite target as sqlite.Store.Columns
// returns it. SQLite neither pads CHAR(n) nor has single-precision floats,
// so only the kind matters.
func SQLiteColumn(c decant.Column) Column { return Column{Kind: c.Kind} }

// ErrUnsupported is wrapped by the error for a Go value of a type this
// package does not know, or a column kind it does not know.
var ErrUnsupported = errors.New("unsupported")

// Compare reports whether expected and actual are the same value of column
// col under the rules o. It returns an error only when a value's Go type or
// col.Kind is unknown; a value that does not fit the kind is a difference.
func Compare(col Column, expected, actual any, o Options) (bool, error) {
	if o.Ignore {
		return true, nil
	}
	if eq, decided := quickEqual(col, expected, actual, o); decided {
		return eq, nil
	}
	return compareCanonical(col, expected, actual, o)
}

// compareCanonical is Compare by the canonical forms alone, the rules'
// definition, which quickEqual's answers must match.
func compareCanonical(col Column, expected, actual any, o Options) (bool, error) {
	e, err := canonical(col, expected, o)
	if err != nil {
		return false, fmt.Errorf("expected value: %w", err)
	}
	a, err := canonical(col, actual, o)
	if err != nil {
		return false, fmt.Errorf("actual value: %w", err)
	}
	if e.null || a.null {
		return e.null == a.null, nil
	}
	if e.text == a.text {
		return true, nil
	}
	if o.Tolerance.set() && e.num != nil && a.num != nil {
		return o.Tolerance.within(e.num, a.num), nil
	}
	return false, nil
}

// Canonical renders v, a value of column col, in the canonical form the
// comparison uses; null reports SQL NULL (s is then "NULL", for display).
// Two values with the same canonical form compare equal under the same
// rules. With o.Ignore set every value renders as "" (not null), so a hash
// over a row does not see the column.
func Canonical(col Column, v any, o Options) (s string, null bool, err error) {
	if o.Ignore {
		return "", false, nil
	}
	c, err := canonical(col, v, o)
	if err != nil {
		return "", false, err
	}
	if c.null {
		return "NULL", true, nil
	}
	return c.text, false, nil
}

// value is a canonical value: its text, and for numbers that a tolerance
// may compare, its exact magnitude.
type value struct {
	text string
	null bool
	num  *number
}

func canonical(col Column, v any, o Options) (value, error) {
	v, err := unwrap(v)
	if err != nil {
		return value{}, err
	}
	if v == nil || o.NullEqualsEmpty && isEmpty(col, v, o) {
		return value{null: true}, nil
	}
	switch col.Kind {
	case decant.KindText, "":
		return textValue(col, v, o)
	case decant.KindInt, decant.KindDecimal:
		return decimalValue(v)
	case decant.KindFloat:
		return floatValue(col, v)
	case decant.KindBool:
		return boolValue(v), nil
	case decant.KindDate:
		return dateValue(v, o), nil
	case decant.KindTimestamp:
		return timestampValue(v, o), nil
	case decant.KindJSON:
		return jsonValue(v, o)
	}
	return value{}, fmt.Errorf("column kind %q: %w (known kinds: text, int, float, decimal, bool, date, timestamp, json)", col.Kind, ErrUnsupported)
}

// isEmpty reports whether v is an empty string, as the column and the
// rules see it: a character(n) column's padding and, with Trim, white
// space do not count.
func isEmpty(col Column, v any, o Options) bool {
	s, ok := v.(string) // unwrap made every text a string
	return ok && normalText(col, s, o) == ""
}
