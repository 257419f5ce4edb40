package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

// Coercion converts a mapped value to a column's kind.
type Coercion struct {
	// Kind is one of the decant.Kind* constants; empty converts to text.
	Kind string
	// Layouts parse dates and timestamps, tried in order: Go layouts or
	// the names of LayoutNames. Empty is the ISO forms (iso8601).
	Layouts []string
	// Zone interprets timestamps that carry no offset. Never nil after plan load.
	Zone *time.Location
	// NullIf lists string values that mean NULL ("", "NaN", "Invalid Date").
	NullIf []string
	// DecimalComma reads the text of a number (int, float and decimal
	// columns) with a decimal comma and dots between its thousands:
	// "3,5" is 3.5, "1.234,5" is 1234.5 (see decimalComma).
	DecimalComma bool
}

// CoerceError reports a value that does not fit its column.
type CoerceError struct {
	Column string
	Kind   string
	Value  any
	Err    error
}

func (e *CoerceError) Error() string {
	var nf *noLayoutFits
	if errors.As(e.Err, &nf) {
		return fmt.Sprintf("column %s: %s %v", e.Column, describe(e.Value), nf)
	}
	return fmt.Sprintf("column %s: cannot convert %s to %s: %v", e.Column, describe(e.Value), e.Kind, e.Err)
}

// noLayoutFits is a time that fits none of a column's layouts.
type noLayoutFits struct{ layouts []string }

func (e *noLayoutFits) Error() string {
	return "fits none of the layouts tried: " + strings.Join(e.layouts, ", ")
}

func (e *CoerceError) Unwrap() error { return e.Err }

func describe(v any) string {
	switch t := v.(type) {
	case string:
		if len(t) > 80 {
			t = t[:80] + "..."
		}
		return strconv.Quote(t)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v (%T)", v, v)
	}
}

// Apply coerces v. The column name is only for the error.
func (c Coercion) Apply(column string, v any) (any, error) {
	if s, ok := v.(string); ok {
		for _, n := range c.NullIf {
			if s == n {
				return nil, nil
			}
		}
	}
	if v == nil {
		return nil, nil
	}
	if c.keeps(v) {
		return v, nil // as convert gives it, without boxing it again
	}
	out, err := c.convert(v)
	if err != nil {
		return nil, &CoerceError{Column: column, Kind: c.Kind, Value: v, Err: err}
	}
	return out, nil
}

// keeps reports whether v is already its column's Go type, which convert
// returns as it is.
func (c Coercion) keeps(v any) bool {
	switch v.(type) {
	case string:
		return c.Kind == "" || c.Kind == decant.KindText
	case int64:
		return c.Kind == decant.KindInt
	case float64:
		return c.Kind == decant.KindFloat
	case bool:
		return c.Kind == decant.KindBool
	case decant.JSON: // which convert returns as it is, boxed again
		return c.Kind == decant.KindJSON
	}
	return false
}

func (c Coercion) convert(v any) (any, error) {
	switch c.Kind {
	case "", decant.KindText:
		return toText(v)
	case decant.KindInt, decant.KindFloat, decant.KindDecimal:
		return c.toNumber(v)
	case decant.KindBool:
		return toBool(v)
	case decant.KindDate:
		t, err := c.toTime(v)
		if err != nil {
			return nil, err
		}
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case decant.KindTimestamp:
		return c.toTime(v)
	case decant.KindJSON:
		if j, ok := v.(decant.JSON); ok {
			return j, nil
		}
		b, err := AppendJSON(nil, v)
		return decant.JSON(b), err
	}
	return nil, fmt.Errorf("unknown type %q", c.Kind)
}

// toNumber converts v to an int, float or decimal column's value,
// reading text with a decimal comma when the column says so.
func (c Coercion) toNumber(v any) (any, error) {
	if s, ok := v.(string); ok && c.DecimalComma {
		var err error
		if v, err = decimalComma(s); err != nil {
			return nil, err
		}
	}
	switch c.Kind {
	case decant.KindInt:
		return toInt(v)
	case decant.KindFloat:
		return toFloat(v)
	}
	return toDecimal(v)
}

func toText(v any) (any, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case int64:
		return strconv.FormatInt(t, 10), nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), nil
	case json.Number:
		return string(t), nil
	case bool:
		return strconv.FormatBool(t), nil
	case time.Time:
		return t.Format(time.RFC3339Nano), nil
	case decant.Decimal:
		return string(t), nil
	case map[string]any, []any:
		b, err := AppendJSON(nil, t)
		return string(b), err
	}
	return fmt.Sprint(v), nil
}

func toInt(v any) (any, error) {
	switch t := v.(type) {
	case int64:
		return t, nil
	case int:
		return int64(t), nil
	case float64:
		if t != math.Trunc(t) || math.Abs(t) > 1<<53 {
			return nil, fmt.Errorf("not a whole number")
		}
		return int64(t), nil
	case json.Number, string, decant.Decimal:
		s := strings.TrimSpace(fmt.Sprint(t))
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok || !r.IsInt() || !r.Num().IsInt64() {
			return nil, fmt.Errorf("not a whole number")
		}
		return r.Num().Int64(), nil
	case bool:
		return nil, fmt.Errorf("a boolean is not a number")
	}
	return nil, fmt.Errorf("unsupported value")
}

func toFloat(v any) (any, error) {
	switch t := v.(type) {
	case float64:
		return t, nil
	case int64:
		return float64(t), nil
	case int:
		return float64(t), nil
	case json.Number, string, decant.Decimal:
		f, err := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(t)), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("not a number")
		}
		return f, nil
	}
	return nil, fmt.Errorf("unsupported value")
}

func toDecimal(v any) (any, error) {
	switch t := v.(type) {
	case int64:
		return decant.Decimal(strconv.FormatInt(t, 10)), nil
	case int:
		return decant.Decimal(strconv.Itoa(t)), nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("not a finite number")
		}
		return decant.Decimal(strconv.FormatFloat(t, 'f', -1, 64)), nil
	case string:
		return decimalText(t)
	case json.Number:
		return decimalText(string(t))
	case decant.Decimal:
		return decimalText(string(t))
	}
	return nil, fmt.Errorf("unsupported value")
}

func decimalText(s string) (any, error) {
	s = strings.TrimSpace(s)
	if !isDecimal(s) {
		return nil, fmt.Errorf("not a decimal number")
	}
	return decant.Decimal(s), nil
}

// isDecimal reports whether s is a decimal literal: an optional sign,
// digits with at most one point (at least one digit in all), and an
// optional exponent (e or E, optional sign, digits).
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return digits > 0 && isExponent(s[i:])
		}
	}
	return digits > 0
}

func isExponent(s string) bool {
	if len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
		return false
	}
	s = s[1:]
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func toBool(v any) (any, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case int:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case int64:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case float64:
		if t == 0 || t == 1 {
			return t == 1, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "t", "yes", "y", "1", "on":
			return true, nil
		case "false", "f", "no", "n", "0", "off":
			return false, nil
		}
	}
	return nil, fmt.Errorf("not a boolean")
}

func (c Coercion) toTime(v any) (time.Time, error) {
	zone := c.Zone
	if zone == nil {
		zone = time.UTC
	}
	if len(c.Layouts) == 0 {
		return ParseTime(v, "", zone)
	}
	for _, l := range c.Layouts {
		if t, err := ParseTime(v, l, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &noLayoutFits{c.Layouts}
}

// LayoutNames are the names a column's layouts may give instead of a Go
// layout, in order: each stands for the layouts ParseTime tries for it.
var LayoutNames = []string{"iso8601", "rfc1123", "rfc3339", "unix", "unix_ms"}

// rfc1123Layouts are tried for the name rfc1123: HTTP's dates, with a
// zone's name (Wed, 31 Dec 2014 00:00:00 GMT) or a numeric offset.
var rfc1123Layouts = []string{time.RFC1123, time.RFC1123Z}

// isoLayouts are tried, in order, for timestamps without an explicit layout.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
	// A date without zero padding (Drishti's 1989-4-16): written by hand
	// or by a client that formats its own dates, and not ambiguous.
	"2006-1-2",
}

// ParseTime parses v (a string, a number of seconds or milliseconds, or a
// time) with layout. A value without an offset is read in zone. Layouts:
// "unix" (seconds), "unix_ms" (milliseconds), "rfc3339", "iso8601" or ""
// (RFC 3339 and common ISO 8601 forms), "rfc1123" (RFC 1123, with a zone
// name or a numeric offset), or a Go layout.
func ParseTime(v any, layout string, zone *time.Location) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return t, nil
	}
	switch layout {
	case "unix", "unix_ms":
		n, err := toInt(v)
		if err != nil {
			return time.Time{}, fmt.Errorf("want %s epoch number: %w", layout, err)
		}
		if layout == "unix" {
			return time.Unix(n.(int64), 0).UTC(), nil
		}
		return time.UnixMilli(n.(int64)).UTC(), nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("want a string for layout %q, got %T", layout, v)
	}
	s = strings.TrimSpace(s)
	switch layout {
	case "", "rfc3339", "iso8601":
		return parseFirst(isoLayouts, s, zone, "not an ISO 8601 time")
	case "rfc1123":
		return parseFirst(rfc1123Layouts, s, zone, "not an RFC 1123 time")
	}
	t, err := time.ParseInLocation(layout, s, zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("does not match layout %q", layout)
	}
	return t, nil
}

// parseFirst parses s with the first of layouts it fits; else the error
// says it is not what they are.
func parseFirst(layouts []string, s string, zone *time.Location, notWhat string) (time.Time, error) {
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New(notWhat)
}

// decimalComma turns the text of a number written with a decimal comma
// into decant's (a point, no separators), refusing what is ambiguous. The
// rule: an optional sign, then digits in which dots may separate the
// thousands (groups of three after the first group of one to three:
// 1.234.567), then at most one comma and at least one digit after it;
// spaces around are trimmed. So "3,5" is 3.5, "1.234,5" is 1234.5 and
// "1.234" is 1234; "1,234,5" (two commas), "12.5" and "1.23,4" (a dot
// that does not separate thousands, perhaps a decimal point), "1,"
// and "1.234,5e3" are refused.
func decimalComma(s string) (string, error) {
	t := strings.TrimSpace(s)
	b := make([]byte, 0, len(t))
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		b = append(b, t[i])
		i++
	}
	group, groups := 0, 0 // digits in the current group; groups closed by a dot
	for ; i < len(t) && t[i] != ','; i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
			group++
		case c == '.' && group > 0 && (groups == 0 && group <= 3 || group == 3):
			groups++
			group = 0
		default:
			return "", errors.New(commaRule)
		}
	}
	if groups > 0 && group != 3 || group == 0 && (groups > 0 || i == len(t)) {
		return "", errors.New(commaRule)
	}
	if i < len(t) { // the comma
		frac := t[i+1:]
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return "", errors.New(commaRule)
		}
		b = append(append(b, '.'), frac...)
	}
	return string(b), nil
}

// commaRule is why decimalComma refuses a text.
const commaRule = "not a number with a decimal comma (decimal_comma: digits, dots only between thousands, " +
	"at most one comma and digits after it: 1.234,5)"
