package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// refDecodeJSON is DecodeJSON as it was before it was made faster (commit 7cbe1c7),
// kept as the reference the fuzz test compares it with, changed only where
// the rule changed since: a name twice in one object keeps its last value
// (it was refused).
//
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
func refDecodeJSON(b []byte) (any, error) {
	// Names are checked for duplicates with the map being built, which
	// costs less than the decoder's own check; a document that has one is
	// read again by that check, for its words and position.
	d := jsontext.NewDecoder(bytes.NewReader(b), jsontext.AllowDuplicateNames(true))
	v, err := refDecodeValue(d, 0)
	if errors.Is(err, refErrDuplicateName) {
		err = refValidate(b)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && d.InputOffset() == 0 {
			return nil, errors.New("EOF: empty input")
		}
		return nil, refDecodeErr(err)
	}
	off := d.InputOffset()
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		off += int64(len(b[off:]) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		return nil, fmt.Errorf("unexpected data after the JSON value at byte %d", off)
	}
	return v, nil
}

// refErrDuplicateName is decodeObject's signal to read the document again
// with the decoder's check for duplicate names.
var refErrDuplicateName = errors.New("duplicate name")

// validate reads b with every check of the decoder and returns the first
// problem.
func refValidate(b []byte) error {
	d := jsontext.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.ReadToken(); err != nil {
			if errors.Is(err, io.EOF) {
				return refErrDuplicateName // not reached: both passes saw the duplicate
			}
			return err
		}
	}
}

// refDecodeError is a document DecodeJSON refused for a reason other than its
// syntax. problem completes "record ..." in a stored error's message.
type refDecodeError struct {
	problem string
	detail  string
}

func (e *refDecodeError) Error() string { return e.detail }

// decodeErr words a decoder error: the package prefix says nothing to a
// user reading a stored error, and the problems JSON parsers disagree on
// get a message of their own.
func refDecodeErr(err error) error {
	var de *refDecodeError
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
		return &refDecodeError{
			problem: fmt.Sprintf("has the name %q twice in one object, at %s", name, at),
			detail:  fmt.Sprintf("the name %q appears twice in one object, at %s", name, at),
		}
	// The decoder exports no sentinel for these; a test pins the words.
	case strings.Contains(msg, "UTF-8"), strings.Contains(msg, "surrogate"):
		return &refDecodeError{
			problem: "is not valid UTF-8 at " + at,
			detail:  fmt.Sprintf("invalid UTF-8 at %s: %s", at, msg),
		}
	}
	return errors.New(text)
}

// decodeValue reads one value, at the given depth, from d's token stream.
// It is several times cheaper than encoding/json's reflection into an any.
func refDecodeValue(d *jsontext.Decoder, depth int) (any, error) {
	switch k := d.PeekKind(); k {
	case '0':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		return refNormalizeNumber(json.Number(raw)), nil
	case '{', '[':
		if depth == MaxDepth {
			msg := fmt.Sprintf("nested deeper than %d levels", MaxDepth)
			return nil, &refDecodeError{problem: "is " + msg,
				detail: fmt.Sprintf("%s, at byte %d", msg, d.InputOffset())}
		}
		if k == '{' {
			return refDecodeObject(d, depth+1)
		}
		return refDecodeArray(d, depth+1)
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

func refDecodeObject(d *jsontext.Decoder, depth int) (any, error) {
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
		v, err := refDecodeValue(d, depth)
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

func refDecodeArray(d *jsontext.Decoder, depth int) (any, error) {
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	a := []any{}
	for d.PeekKind() != ']' {
		v, err := refDecodeValue(d, depth)
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

func refNormalizeNumber(n json.Number) any {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
		return n
	}
	if refSignificantDigits(s) > 15 {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return n
}

func refSignificantDigits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""), "0")
	return len(s)
}
