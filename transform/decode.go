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
	"sync"

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
//
// The result shares no memory with b, which the caller may reuse.
func DecodeJSON(b []byte) (any, error) {
	s := decodeStates.Get().(*decodeState)
	defer s.release()
	// Names are checked for duplicates with the map being built, which
	// costs less than the decoder's own check; a document that has one is
	// read again by that check, for its words and position.
	s.in = *bytes.NewBuffer(b) // read in place: the decoder copies nothing
	d := &s.dec
	d.Reset(&s.in, allowDuplicateNames)
	v, err := s.value(0)
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

// allowDuplicateNames leaves the check for duplicate names to the map
// being built (see DecodeJSON); made once, as Reset takes it every time.
var allowDuplicateNames = jsontext.AllowDuplicateNames(true)

// decodeStates keeps a decodeState per goroutine that decodes, so that
// decoding a record allocates only the values it returns: the decoder's
// state, the element stack and the interned names are reused.
var decodeStates = sync.Pool{New: func() any {
	return &decodeState{names: make(map[string]string, 64)}
}}

// decodeState is what DecodeJSON reuses from one document to the next.
type decodeState struct {
	dec jsontext.Decoder
	in  bytes.Buffer // the document, which the decoder reads in place
	// items holds the elements of the arrays being read, innermost last,
	// so that each array is allocated once, at its final length.
	items []any
	// names interns object names: records of a source repeat the same
	// names, which then cost no allocation after the first record.
	names map[string]string
	text  []byte // a string being unescaped
}

// Bounds on what a decodeState keeps, so that one odd document does not
// make a pooled state hold much memory, nor unique names fill the cache.
const (
	maxInternedNames  = 4096
	maxInternedLength = 64
	maxKeptItems      = 1 << 12
	maxKeptText       = 1 << 12
)

// release returns s to the pool without the document or any value, which
// would otherwise stay reachable from the pool.
func (s *decodeState) release() {
	s.in = bytes.Buffer{}
	s.dec.Reset(&s.in) // forget the document the decoder read
	clear(s.items)     // the elements an error left on the stack
	s.items = s.items[:0]
	if cap(s.items) > maxKeptItems {
		s.items = nil
	}
	if cap(s.text) > maxKeptText {
		s.text = nil
	}
	decodeStates.Put(s)
}

// value reads one value, at the given depth, from the decoder's token
// stream. It is several times cheaper than encoding/json's reflection
// into an any.
func (s *decodeState) value(depth int) (any, error) {
	d := &s.dec
	switch k := d.PeekKind(); k {
	case '0':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		return number(raw), nil
	case '"':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		return s.unquote(raw), nil
	case '{', '[':
		if depth == MaxDepth {
			msg := fmt.Sprintf("nested deeper than %d levels", MaxDepth)
			return nil, &decodeError{problem: "is " + msg,
				detail: fmt.Sprintf("%s, at byte %d", msg, d.InputOffset())}
		}
		if k == '{' {
			return s.object(depth + 1)
		}
		return s.array(depth + 1)
	}
	tok, err := d.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("unexpected %v at byte %d", tok.Kind(), d.InputOffset())
}

func (s *decodeState) object(depth int) (any, error) {
	d := &s.dec
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for {
		name, err := s.memberName()
		if err == errEndObject {
			break
		}
		if err != nil {
			return nil, err
		}
		if _, dup := m[name]; dup {
			return nil, errDuplicateName
		}
		v, err := s.value(depth)
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

// errEndObject is memberName's signal that the object has no more
// members.
var errEndObject = errors.New("end of object")

// memberName reads the name of an object's next member. Anything but a
// string there is read as a token, which a value is not: the decoder
// then refuses it as where a name must be, not for what follows.
func (s *decodeState) memberName() (string, error) {
	d := &s.dec
	switch d.PeekKind() {
	case '}':
		return "", errEndObject
	case '"':
		raw, err := d.ReadValue()
		if err != nil {
			return "", err
		}
		return s.name(raw), nil
	}
	tok, err := d.ReadToken()
	if err != nil {
		return "", err
	}
	return tok.String(), nil
}

func (s *decodeState) array(depth int) (any, error) {
	d := &s.dec
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	start := len(s.items) // an error leaves the stack to release
	for d.PeekKind() != ']' {
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		s.items = append(s.items, v)
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	a := append(make([]any, 0, len(s.items)-start), s.items[start:]...)
	clear(s.items[start:]) // so that the pool does not keep the values alive
	s.items = s.items[:start]
	return a, nil
}

// unquote returns the text of the JSON string raw, which the decoder has
// checked: a copy, since raw is the caller's bytes.
func (s *decodeState) unquote(raw []byte) string {
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') < 0 {
		return string(text)
	}
	s.text, _ = jsontext.AppendUnquote(s.text[:0], raw) // checked: no error
	return string(s.text)
}

// name is unquote for an object name: one seen before is the same string
// again, and is not allocated.
func (s *decodeState) name(raw []byte) string {
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 {
		s.text, _ = jsontext.AppendUnquote(s.text[:0], raw)
		text = s.text
	}
	if name, ok := s.names[string(text)]; ok {
		return name
	}
	name := string(text)
	if len(s.names) < maxInternedNames && len(name) <= maxInternedLength {
		s.names[name] = name
	}
	return name
}

// number returns a JSON number (checked by the decoder) as an int64, a
// float64 or a json.Number; see DecodeJSON for which. The conversions of
// raw to a string for strconv do not escape, so only a json.Number
// allocates its text.
func number(raw []byte) any {
	if i, ok := smallInt(raw); ok {
		return i
	}
	if bytes.IndexAny(raw, ".eE") < 0 {
		if i, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return i
		}
		return json.Number(raw)
	}
	if significantDigits(raw) > 15 {
		return json.Number(raw)
	}
	if f, err := strconv.ParseFloat(string(raw), 64); err == nil {
		return f
	}
	return json.Number(raw)
}

// smallInt parses an integer of at most 18 digits, which cannot overflow
// an int64; ok is false for anything else (a fraction, an exponent, more
// digits), which number gives to strconv.
func smallInt(raw []byte) (i int64, ok bool) {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int64(c-'0')
	}
	if len(digits) < len(raw) {
		i = -i
	}
	return i, true
}

// significantDigits counts the digits of a number's mantissa from its
// first one that is not 0.
func significantDigits(raw []byte) int {
	n, leading := 0, true
	for _, c := range raw {
		switch {
		case c == 'e' || c == 'E':
			return n
		case c < '0' || c > '9':
			// the sign or the decimal point
		case leading && c == '0':
		default:
			leading = false
			n++
		}
	}
	return n
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
