package sqlread

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant/transform"
)

// Kind is how a column's values become a document's values (docs/plan.md,
// "Type mapping").
type Kind int

const (
	// KindText is read as a string (text, char, enum, set, uuid, ...).
	KindText Kind = iota
	// KindInt is an integer: int64, or a json.Number past int64 (an
	// unsigned 64-bit value), never a float.
	KindInt
	// KindDecimal is an exact number, a json.Number as the database wrote it.
	KindDecimal
	// KindFloat is a float64; NaN and infinities, which JSON lacks, are
	// strings.
	KindFloat
	// KindFloat32 is a single-precision float, read at its own precision
	// (0.1 stays 0.1, not 0.10000000149011612).
	KindFloat32
	// KindBool is true or false.
	KindBool
	// KindBit is a bit string read as an unsigned integer (BIT(n)).
	KindBit
	// KindBinary is bytes, as base64 text (RFC 4648, with padding).
	KindBinary
	// KindJSON is a JSON document, read as the JSON value it holds.
	KindJSON
	// KindDate is a date, "2006-01-02".
	KindDate
	// KindDateTime is a date and time without a zone, "2006-01-02T15:04:05"
	// and the fraction the database keeps.
	KindDateTime
	// KindTimestamp is an instant, in UTC: "2006-01-02T15:04:05Z".
	KindTimestamp
	// KindTime is a time of day (or a MySQL duration), "15:04:05".
	KindTime
	// KindAny is read by the type of each value, not of its column (SQLite):
	// an integer, a float, text, or bytes as base64.
	KindAny
)

// ZeroDateError is a MariaDB/MySQL zero date (0000-00-00, or a zero month
// or day) that the plan did not ask to read as NULL.
type ZeroDateError struct {
	Column string
	Value  string
}

func (e *ZeroDateError) Error() string {
	return fmt.Sprintf("column %s holds the zero date %s, which is no date; set from.zero_dates: null to read it as NULL", e.Column, e.Value)
}

// value turns a value the driver scanned into a document value of kind k.
func value(k Kind, v any, zeroNull bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindInt:
		return intValue(v)
	case KindDecimal:
		return decimalValue(v)
	case KindFloat:
		return floatValue(v)
	case KindFloat32:
		if f, ok := v.(float64); ok {
			v = float32(f)
		}
		return floatValue(v)
	case KindBool:
		return boolValue(v)
	case KindBit:
		return bitValue(v)
	case KindBinary:
		return base64.StdEncoding.EncodeToString(bytesOf(v)), nil
	case KindJSON:
		return transform.DecodeJSON(bytesOf(v))
	case KindDate, KindDateTime, KindTimestamp, KindTime:
		return timeValue(k, v, zeroNull)
	case KindAny:
		return anyValue(v)
	}
	return textOf(v), nil
}

// anyValue reads a value by its own type.
func anyValue(v any) (any, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case float64:
		return floatValue(v)
	case bool:
		return v, nil
	case []byte:
		return base64.StdEncoding.EncodeToString(v), nil
	}
	return textOf(v), nil
}

// bytesOf is the bytes of a text or binary value.
func bytesOf(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return []byte(textOf(v))
}

// textOf is the text of a value.
func textOf(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func intValue(v any) (any, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), nil
		}
		return number(strconv.FormatUint(v, 10))
	}
	s := textOf(v)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if _, err := strconv.ParseUint(s, 10, 64); err == nil {
		return number(s)
	}
	return nil, fmt.Errorf("%q is not an integer", s)
}

// number is the document value of a number's text: the value
// transform.DecodeJSON makes of it (int64, float64 when that holds it
// exactly, else json.Number), so that a record's Doc and its Raw decoded
// are one document.
func number(text string) (any, error) {
	return transform.DecodeJSON([]byte(text))
}

// decimalValue keeps an exact number exact: its text becomes a JSON
// number as the database wrote it (see [number]).
func decimalValue(v any) (any, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case float64:
		return floatValue(v)
	}
	s := textOf(v)
	if json.Valid([]byte(s)) && s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9') {
		return number(s)
	}
	return s, nil // NaN, Infinity: no JSON number holds them
}

func floatValue(v any) (any, error) {
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case float32:
		// The shortest text of the float32, so 0.1 stays 0.1.
		f, _ = strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
	case int64:
		f = float64(v)
	default:
		var err error
		if f, err = strconv.ParseFloat(textOf(v), 64); err != nil {
			return nil, fmt.Errorf("%q is not a number", textOf(v))
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
	b, err := transform.AppendJSON(nil, f)
	if err != nil {
		return nil, err
	}
	return number(string(b))
}

func boolValue(v any) (any, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case int64:
		return v != 0, nil
	}
	switch s := strings.ToLower(textOf(v)); s {
	case "1", "t", "true":
		return true, nil
	case "0", "f", "false":
		return false, nil
	}
	return nil, fmt.Errorf("%q is not a boolean", textOf(v))
}

// bitValue reads a big-endian bit string as an unsigned integer.
func bitValue(v any) (any, error) {
	b, ok := v.([]byte)
	if !ok {
		return intValue(v)
	}
	return number(new(big.Int).SetBytes(b).String())
}

// timeValue formats a date or time of kind k the same way whatever the
// driver gave: a time.Time or the database's text.
func timeValue(k Kind, v any, zeroNull bool) (any, error) {
	if t, ok := v.(time.Time); ok {
		return formatTime(k, t), nil
	}
	s := textOf(v)
	if isInfinity(s) {
		return s, nil // PostgreSQL's, as it writes them
	}
	if k != KindTime && isZeroDate(s) {
		if zeroNull {
			return nil, nil
		}
		return nil, &ZeroDateError{Value: s}
	}
	if k == KindDateTime || k == KindTimestamp {
		s = strings.Replace(s, " ", "T", 1)
	}
	if k == KindTimestamp && !hasZone(s) {
		s += "Z" // the session's time zone is UTC
	}
	return s, nil
}

func formatTime(k Kind, t time.Time) string {
	switch k {
	case KindDate:
		return t.Format(time.DateOnly)
	case KindDateTime:
		return t.Format("2006-01-02T15:04:05.999999999")
	case KindTime:
		return t.Format("15:04:05.999999999")
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// isInfinity reports whether s is a date or time past every other,
// PostgreSQL's infinity or -infinity.
func isInfinity(s string) bool { return s == "infinity" || s == "-infinity" }

// isZeroDate reports whether s is a date with a zero month or day, as
// MariaDB/MySQL allow (0000-00-00, 2020-00-00).
func isZeroDate(s string) bool {
	return len(s) >= 10 && s[4] == '-' && s[7] == '-' && (s[5:7] == "00" || s[8:10] == "00")
}

// hasZone reports whether a date-time text ends with a zone.
func hasZone(s string) bool {
	if strings.HasSuffix(s, "Z") {
		return true
	}
	i := strings.LastIndexAny(s, "+-")
	return i > len("2006-01-02")
}
