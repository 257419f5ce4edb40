package postgres

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/decanthq/decant"
)

// copyText holds rows in COPY's text format: tab-separated fields, \N for
// NULL, backslash escapes. Text format lets the server parse every value with
// the column type's own input function, exactly as a literal in SQL would be.
// Values are appended straight into one buffer: a batch is 10,000 rows, and
// allocating per value would cost more than the server's parsing.
type copyText struct {
	buf  []byte
	rows int
}

// value appends v, rendered for a column of kind; first says whether it
// starts a row.
func (c *copyText) value(kind string, v any, first bool) error {
	if !first {
		c.buf = append(c.buf, '\t')
	}
	switch v := v.(type) {
	case string:
		c.buf = appendEscaped(c.buf, v)
		return nil
	case decant.Decimal:
		c.buf = appendEscaped(c.buf, v)
		return nil
	case decant.JSON:
		c.bytes(v)
		return nil
	case json.RawMessage:
		c.bytes(v)
		return nil
	case []byte:
		c.bytes(v)
		return nil
	}
	out, null, err := appendPlain(c.buf, kind, v)
	switch {
	case err != nil:
		return err
	case null:
		c.buf = append(c.buf, `\N`...)
	default:
		c.buf = out // numbers, booleans and times need no escaping
	}
	return nil
}

// text appends s; first says whether it starts a row.
func (c *copyText) text(s string, first bool) {
	if !first {
		c.buf = append(c.buf, '\t')
	}
	c.buf = appendEscaped(c.buf, s)
}

// bytes appends text held in bytes, nil being NULL.
func (c *copyText) bytes(b []byte) {
	if b == nil {
		c.buf = append(c.buf, `\N`...)
		return
	}
	c.buf = appendEscaped(c.buf, b)
}

func (c *copyText) endRow() {
	c.buf = append(c.buf, '\n')
	c.rows++
}

// appendEscaped appends s with COPY's text-format escapes.
func appendEscaped[T ~string | ~[]byte](dst []byte, s T) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		// One look-up a byte: most bytes need no escape, and the switch
		// below was most of what writing a text value cost.
		if !copyEscaped[s[i]] {
			continue
		}
		var esc string
		switch s[i] {
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// copyEscaped marks the bytes appendEscaped escapes.
var copyEscaped = [256]bool{'\\': true, '\n': true, '\r': true, '\t': true}

// appendPlain appends v as the text the server parses for a column of kind.
// Times are written in UTC, so that a timestamp without time zone holds the
// UTC wall time of the instant; a date column gets the value's own date.
func appendPlain(dst []byte, kind string, v any) (out []byte, null bool, err error) {
	switch v := v.(type) {
	case nil:
		return dst, true, nil
	case string:
		return append(dst, v...), false, nil
	case int64:
		return strconv.AppendInt(dst, v, 10), false, nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), false, nil
	case int32:
		return strconv.AppendInt(dst, int64(v), 10), false, nil
	case float64:
		return appendFloat(dst, v), false, nil
	case bool:
		return strconv.AppendBool(dst, v), false, nil
	case time.Time:
		if kind == decant.KindDate {
			return v.AppendFormat(dst, time.DateOnly), false, nil
		}
		return v.UTC().AppendFormat(dst, time.RFC3339Nano), false, nil
	case decant.Decimal:
		return append(dst, v...), false, nil
	case decant.JSON:
		return append(dst, v...), v == nil, nil
	case json.RawMessage:
		return append(dst, v...), v == nil, nil
	case []byte:
		return append(dst, v...), v == nil, nil
	}
	return dst, false, fmt.Errorf("unsupported value type %T", v)
}

func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64) // NaN prints as NaN, which the server reads
}

// format renders v as appendPlain does, as a string.
func format(kind string, v any) (s string, null bool, err error) {
	b, null, err := appendPlain(nil, kind, v)
	return string(b), null, err
}

// render encodes tr's rows for COPY. When tr has a key, only the last row
// of each key is kept, as if the rows had been upserted one by one: neither
// a COPY nor one INSERT ... ON CONFLICT may write a key twice.
func render(c *copyText, tbl *table, tr *decant.TableRows) error {
	kinds := make([]string, len(tr.Columns))
	isKey := make([]bool, len(tr.Columns))
	for i, col := range tr.Columns {
		kinds[i] = tbl.kind[col]
		isKey[i] = slices.Contains(tr.Key, col)
	}
	last := newLastRows(len(tr.Key) > 0, len(tr.Rows))
	var key []byte
	// A key of one column is its field as written: what is written in
	// c.buf is never written again (a larger buffer is a copy), so the
	// row's key can be the string of those bytes, without a copy of its
	// own a row. A key of several columns is their fields joined.
	oneKey := len(tr.Key) == 1
	for i, row := range tr.Rows {
		if len(row) != len(tr.Columns) {
			return fmt.Errorf("table %s: row %d has %d values for %d columns", tr.Table, i+1, len(row), len(tr.Columns))
		}
		start := len(c.buf)
		key = key[:0]
		for j, v := range row {
			from := len(c.buf) + min(j, 1) // after the tab
			if err := c.value(kinds[j], v, j == 0); err != nil {
				return fmt.Errorf("table %s: row %d: column %s: %w", tr.Table, i+1, tr.Columns[j], err)
			}
			if isKey[j] {
				// Escaped fields joined by tabs name a key exactly: a tab in
				// a value is escaped, and NULL (\N) differs from the text \N (\\N).
				if oneKey {
					key = c.buf[from:len(c.buf):len(c.buf)]
				} else {
					key = append(append(key, c.buf[from:]...), '\t')
				}
			}
		}
		c.endRow()
		if oneKey {
			k := ""
			if len(key) > 0 {
				k = unsafe.String(&key[0], len(key))
			}
			last.add(start, k)
			key = nil
		} else {
			last.add(start, string(key))
		}
		if i == 0 {
			c.buf = slices.Grow(c.buf, len(c.buf)*len(tr.Rows)*9/8)
		}
	}
	last.apply(c)
	return nil
}

// lastRows finds the rows of a copyText that repeat an earlier row's key.
// A nil *lastRows keeps every row.
type lastRows struct {
	starts []int    // where each row starts in the buffer
	keys   []string // each row's key
	last   map[string]int
}

func newLastRows(keyed bool, n int) *lastRows {
	if !keyed {
		return nil
	}
	return &lastRows{starts: make([]int, 0, n), keys: make([]string, 0, n), last: make(map[string]int, n)}
}

func (lr *lastRows) add(start int, key string) {
	if lr == nil {
		return
	}
	lr.last[key] = len(lr.keys)
	lr.starts = append(lr.starts, start)
	lr.keys = append(lr.keys, key)
}

// apply drops every row but the last of each key from c.
func (lr *lastRows) apply(c *copyText) {
	if lr == nil || len(lr.last) == len(lr.keys) {
		return
	}
	kept := make([]byte, 0, len(c.buf))
	for i, k := range lr.keys {
		if lr.last[k] != i {
			continue
		}
		end := len(c.buf)
		if i+1 < len(lr.starts) {
			end = lr.starts[i+1]
		}
		kept = append(kept, c.buf[lr.starts[i]:end]...)
	}
	c.buf, c.rows = kept, len(lr.last)
}

// stateText makes b safe for a text column of the state tables: PostgreSQL
// text holds neither NUL nor invalid UTF-8, and a record's payload or key
// can have either. Failing the whole batch over them would stop the run for
// one bad record, so they are replaced with U+FFFD instead.
func stateText(b string) string {
	if utf8.ValidString(b) && !strings.Contains(b, "\x00") {
		return b
	}
	return strings.ReplaceAll(strings.ToValidUTF8(b, "\uFFFD"), "\x00", "\uFFFD")
}
