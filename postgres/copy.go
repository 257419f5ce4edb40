package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/decanthq/decant"
)

// copyText holds rows in COPY's text format: tab-separated fields, \N for
// NULL, backslash escapes. Text format lets the server parse every value with
// the column type's own input function, exactly as a literal in SQL would be.
type copyText struct {
	buf  bytes.Buffer
	rows int
}

// field appends one value; first says whether it starts a row.
func (c *copyText) field(s string, null, first bool) {
	if !first {
		c.buf.WriteByte('\t')
	}
	if null {
		c.buf.WriteString(`\N`)
		return
	}
	start := 0
	for i := 0; i < len(s); i++ {
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
		default:
			continue
		}
		c.buf.WriteString(s[start:i])
		c.buf.WriteString(esc)
		start = i + 1
	}
	c.buf.WriteString(s[start:])
}

func (c *copyText) endRow() {
	c.buf.WriteByte('\n')
	c.rows++
}

// format renders v as the text the server parses for a column of kind.
// Times are written in UTC, so that a timestamp without time zone holds the
// UTC wall time of the instant; a date column gets the value's own date.
func format(kind string, v any) (s string, null bool, err error) {
	switch v := v.(type) {
	case nil:
		return "", true, nil
	case string:
		return v, false, nil
	case int64:
		return strconv.FormatInt(v, 10), false, nil
	case int:
		return strconv.Itoa(v), false, nil
	case int32:
		return strconv.FormatInt(int64(v), 10), false, nil
	case float64:
		return formatFloat(v), false, nil
	case bool:
		return strconv.FormatBool(v), false, nil
	case time.Time:
		if kind == decant.KindDate {
			return v.Format(time.DateOnly), false, nil
		}
		return v.UTC().Format(time.RFC3339Nano), false, nil
	case decant.Decimal:
		return string(v), false, nil
	case decant.JSON:
		return string(v), v == nil, nil
	case json.RawMessage:
		return string(v), v == nil, nil
	case []byte:
		return string(v), v == nil, nil
	}
	return "", false, fmt.Errorf("unsupported value type %T", v)
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64) // NaN prints as NaN, which the server reads
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
	var last lastRows
	var key strings.Builder
	for i, row := range tr.Rows {
		if len(row) != len(tr.Columns) {
			return fmt.Errorf("table %s: row %d has %d values for %d columns", tr.Table, i+1, len(row), len(tr.Columns))
		}
		start := c.buf.Len()
		key.Reset()
		for j, v := range row {
			s, null, err := format(kinds[j], v)
			if err != nil {
				return fmt.Errorf("table %s: row %d: column %s: %w", tr.Table, i+1, tr.Columns[j], err)
			}
			c.field(s, null, j == 0)
			if isKey[j] {
				joinKey(&key, s, null)
			}
		}
		c.endRow()
		if len(tr.Key) > 0 {
			last.add(start, key.String())
		}
	}
	last.apply(c)
	return nil
}

// lastRows finds the rows of a copyText that repeat an earlier row's key.
type lastRows struct {
	starts []int    // where each row starts in the buffer
	keys   []string // each row's key
	last   map[string]int
}

func (lr *lastRows) add(start int, key string) {
	if lr.last == nil {
		lr.last = map[string]int{}
	}
	lr.last[key] = len(lr.keys)
	lr.starts = append(lr.starts, start)
	lr.keys = append(lr.keys, key)
}

// apply drops every row but the last of each key from c.
func (lr *lastRows) apply(c *copyText) {
	if len(lr.last) == len(lr.keys) {
		return
	}
	all := c.buf.Bytes()
	var kept bytes.Buffer
	kept.Grow(len(all))
	for i, k := range lr.keys {
		if lr.last[k] != i {
			continue
		}
		end := len(all)
		if i+1 < len(lr.starts) {
			end = lr.starts[i+1]
		}
		kept.Write(all[lr.starts[i]:end])
	}
	c.buf, c.rows = kept, len(lr.last)
}

// joinKey renders key parts unambiguously (length-prefixed, NULL apart).
func joinKey(sb *strings.Builder, s string, null bool) {
	if null {
		sb.WriteString("N;")
		return
	}
	sb.WriteString(strconv.Itoa(len(s)))
	sb.WriteByte(':')
	sb.WriteString(s)
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
