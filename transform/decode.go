package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// DecodeJSON decodes a JSON document into maps, slices and scalars. Numbers
// become int64 when integral, float64 when a float64 holds them exactly
// enough (15 significant digits), and json.Number otherwise, so decimals
// with many digits are not rounded on their way to a numeric column.
//
// Legacy data is taken as it is: a repeated object name keeps its last
// value and invalid UTF-8 is kept, as encoding/json does.
func DecodeJSON(b []byte) (any, error) {
	d := jsontext.NewDecoder(bytes.NewReader(b),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	v, err := decodeValue(d)
	if err != nil {
		if errors.Is(err, io.EOF) && d.InputOffset() == 0 {
			return nil, errors.New("EOF: empty input")
		}
		// The package prefix says nothing to a user reading a stored error.
		return nil, errors.New(strings.TrimPrefix(err.Error(), "jsontext: "))
	}
	off := d.InputOffset()
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		off += int64(len(b[off:]) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		return nil, fmt.Errorf("unexpected data after the JSON value at byte %d", off)
	}
	return v, nil
}

// decodeValue reads one value from d's token stream. It is several times
// cheaper than encoding/json's reflection into an any.
func decodeValue(d *jsontext.Decoder) (any, error) {
	switch d.PeekKind() {
	case '0':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		return normalizeNumber(json.Number(raw)), nil
	case '{':
		return decodeObject(d)
	case '[':
		return decodeArray(d)
	}
	tok, err := d.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("unexpected %v at byte %d", tok.Kind(), d.InputOffset())
}

func decodeObject(d *jsontext.Decoder) (any, error) {
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for d.PeekKind() != '}' {
		tok, err := d.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String() // before the next read invalidates tok
		v, err := decodeValue(d)
		if err != nil {
			return nil, err
		}
		m[name] = v
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	return m, nil
}

func decodeArray(d *jsontext.Decoder) (any, error) {
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	a := []any{}
	for d.PeekKind() != ']' {
		v, err := decodeValue(d)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	return a, nil
}

func normalizeNumber(n json.Number) any {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
		return n
	}
	if significantDigits(s) > 15 {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return n
}

func significantDigits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""), "0")
	return len(s)
}

// AppendJSON appends v as JSON with object names sorted, so equal values
// give equal bytes. Values made by DecodeJSON take a fast path; anything
// else goes through encoding/json.
func AppendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, t), nil
	case string:
		return jsontext.AppendQuote(b, t)
	case int64:
		return strconv.AppendInt(b, t, 10), nil
	case float64:
		return appendFloat(b, t)
	case json.Number:
		return append(b, t...), nil
	case []any:
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = AppendJSON(b, x); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		return appendObject(b, t)
	}
	out, err := json.Marshal(v)
	return append(b, out...), err
}

func appendObject(b []byte, m map[string]any) ([]byte, error) {
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = jsontext.AppendQuote(b, k); err != nil {
			return b, err
		}
		if b, err = AppendJSON(append(b, ':'), m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendFloat spells a float as encoding/json does (ES6 style).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("unsupported value: %v", f)
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-07 -> e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
