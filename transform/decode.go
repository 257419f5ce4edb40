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

	"github.com/decanthq/decant"
)

// MaxDepth is how deeply DecodeJSON lets objects and arrays nest: a
// document nested deeper is refused, so that no record can exhaust the
// stack of whatever walks it later.
const MaxDepth = 10000

// DecodeJSON decodes a JSON document into maps, slices and scalars. Numbers
// become int64 when integral, float64 when a float64 holds them exactly
// enough (15 significant digits), and json.Number otherwise, so decimals
// with many digits are not rounded on their way to a numeric column.
//
// It refuses what JSON parsers disagree on or a text column cannot keep,
// rather than pick a meaning silently: an object that has the same name
// twice (gjson, which finds record keys, takes the first; encoding/json
// the last), text that is not valid UTF-8 (it would become U+FFFD, and
// two different keys one), and nesting deeper than MaxDepth. The error
// then says what and where: the JSON pointer and the byte offset.
func DecodeJSON(b []byte) (any, error) {
	// Names are checked for duplicates with the map being built, which
	// costs less than the decoder's own check; a document that has one is
	// read again by that check, for its words and position.
	d := jsontext.NewDecoder(bytes.NewReader(b), jsontext.AllowDuplicateNames(true))
	v, err := decodeValue(d, 0)
	if errors.Is(err, errDuplicateName) {
		err = validate(b)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && d.InputOffset() == 0 {
			return nil, errors.New("EOF: empty input")
		}
		return nil, decodeErr(err)
	}
	off := d.InputOffset()
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		off += int64(len(b[off:]) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		return nil, fmt.Errorf("unexpected data after the JSON value at byte %d", off)
	}
	return v, nil
}

// RecordValue returns the document a record's expressions see as
// `record`: the value of its Doc when the source decoded it, else its Raw
// decoded with DecodeJSON.
func RecordValue(rec decant.Record) (any, error) {
	if rec.Doc != nil {
		return rec.Doc.Value(), nil
	}
	return DecodeJSON(rec.Raw)
}

// errDuplicateName is decodeObject's signal to read the document again
// with the decoder's check for duplicate names.
var errDuplicateName = errors.New("duplicate name")

// validate reads b with every check of the decoder and returns the first
// problem.
func validate(b []byte) error {
	d := jsontext.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.ReadToken(); err != nil {
			if errors.Is(err, io.EOF) {
				return errDuplicateName // not reached: both passes saw the duplicate
			}
			return err
		}
	}
}

// decodeError is a document DecodeJSON refused for a reason other than its
// syntax. problem completes "record ..." in a stored error's message.
type decodeError struct {
	problem string
	detail  string
}

func (e *decodeError) Error() string { return e.detail }

// decodeErr words a decoder error: the package prefix says nothing to a
// user reading a stored error, and the problems JSON parsers disagree on
// get a message of their own.
func decodeErr(err error) error {
	var de *decodeError
	if errors.As(err, &de) {
		return de
	}
	text := strings.TrimPrefix(err.Error(), "jsontext: ")
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return errors.New(text)
	}
	at := fmt.Sprintf("byte %d", se.ByteOffset)
	if se.JSONPointer != "" {
		at = fmt.Sprintf("%s (byte %d)", se.JSONPointer, se.ByteOffset)
	}
	switch msg := se.Err.Error(); {
	case errors.Is(se.Err, jsontext.ErrDuplicateName):
		name := se.JSONPointer.LastToken()
		return &decodeError{
			problem: fmt.Sprintf("has the name %q twice in one object, at %s", name, at),
			detail:  fmt.Sprintf("the name %q appears twice in one object, at %s", name, at),
		}
	// The decoder exports no sentinel for these; a test pins the words.
	case strings.Contains(msg, "UTF-8"), strings.Contains(msg, "surrogate"):
		return &decodeError{
			problem: "is not valid UTF-8 at " + at,
			detail:  fmt.Sprintf("invalid UTF-8 at %s: %s", at, msg),
		}
	}
	return errors.New(text)
}

// decodeFailure is the failure of a record whose Raw DecodeJSON refused.
// A record with a Doc never gets one: its source decoded it.
func decodeFailure(where string, err error) *Failure {
	msg := "record is not valid JSON"
	var de *decodeError
	if errors.As(err, &de) {
		msg = "record " + de.problem
	}
	return &Failure{msg, fmt.Sprintf("%s: %v", where, err)}
}

// decodeValue reads one value, at the given depth, from d's token stream.
// It is several times cheaper than encoding/json's reflection into an any.
func decodeValue(d *jsontext.Decoder, depth int) (any, error) {
	switch k := d.PeekKind(); k {
	case '0':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		return normalizeNumber(json.Number(raw)), nil
	case '{', '[':
		if depth == MaxDepth {
			msg := fmt.Sprintf("nested deeper than %d levels", MaxDepth)
			return nil, &decodeError{problem: "is " + msg,
				detail: fmt.Sprintf("%s, at byte %d", msg, d.InputOffset())}
		}
		if k == '{' {
			return decodeObject(d, depth+1)
		}
		return decodeArray(d, depth+1)
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

func decodeObject(d *jsontext.Decoder, depth int) (any, error) {
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
		if _, dup := m[name]; dup {
			return nil, errDuplicateName
		}
		v, err := decodeValue(d, depth)
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

func decodeArray(d *jsontext.Decoder, depth int) (any, error) {
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	a := []any{}
	for d.PeekKind() != ']' {
		v, err := decodeValue(d, depth)
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

// invalidFailure is the failure of a record its source could not read.
// The message says where, since a record without a key is listed under a
// hash of its payload.
func invalidFailure(rec decant.Record) *Failure {
	return &Failure{rec.Invalid + " (" + rec.Where + ")", rec.Where + ": " + rec.Invalid}
}
