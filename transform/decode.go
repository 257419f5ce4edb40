package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonscan"
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
// A name that appears twice in one object keeps its last value, as the
// systems decant migrates from did when they flattened a record into a
// map (encoding/json, Ruby's and JavaScript's parsers do the same); the
// sources read a record's key by the same rule (internal/jsonkey), so
// the ledger and the row agree. It refuses what a text column cannot
// keep or would exhaust a stack, rather than pick a meaning silently:
// text that is not valid UTF-8 (it would become U+FFFD, and two
// different keys one), and nesting deeper than MaxDepth. The error then
// says what and where: the JSON pointer and the byte offset.
//
// The result shares no memory with b, which the caller may reuse.
func DecodeJSON(b []byte) (any, error) {
	s := decodeStates.Get().(*decodeState)
	v, ok := s.fast(b)
	s.release()
	if ok {
		return v, nil
	}
	return decodeChecked(b)
}

// decodeChecked is DecodeJSON with jsontext, whose errors say what is
// wrong and where. It is used for the documents fastParser gives up on,
// which are nearly always ones DecodeJSON refuses.
func decodeChecked(b []byte) (any, error) {
	// Duplicate names are allowed: decodeObject keeps the last value.
	d := jsontext.NewDecoder(bytes.NewReader(b), jsontext.AllowDuplicateNames(true))
	v, err := decodeValue(d, 0)
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

// decodeError is a document DecodeJSON refused for a reason other than its
// syntax. problem completes "record ..." in a stored error's message.
type decodeError struct {
	problem string
	detail  string
}

func (e *decodeError) Error() string { return e.detail }

// decodeErr words a decoder error: the package prefix says nothing to a
// user reading a stored error, and text that is not UTF-8 gets a message
// of its own.
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

// decodeStates keeps a decodeState per goroutine that decodes, so that
// decoding a record allocates little more than the values it returns:
// the stacks of elements and members and the interned names are reused.
var decodeStates = sync.Pool{New: func() any {
	return &decodeState{names: make(map[string]string, 64)}
}}

// decodeState is what DecodeJSON reuses from one document to the next.
type decodeState struct {
	// items holds the elements of the arrays being read, innermost last,
	// so that each array is allocated once, at its final length.
	items []any
	// names interns object names: records of a source repeat the same
	// names, which then cost no allocation after the first record.
	names map[string]string
	// seen lists the names of the last document in the order they came;
	// the next record of a source most likely has the same ones in the
	// same order, which compares cheaper than a look-up in names.
	seen    []string
	members []member // the members of the objects being read, as items
	text    []byte   // a string being unescaped
	// blocks holds the short strings and the integers of the document
	// being read; see docBlocks.
	blocks docBlocks
}

// member is an object member that fastParser has read.
type member struct {
	name  string
	value any
}

// Bounds on what a decodeState keeps, so that one odd document does not
// make a pooled state hold much memory, nor unique names fill the cache.
const (
	maxInternedNames  = 4096
	maxInternedLength = 64
	maxKeptItems      = 1 << 12
	maxKeptText       = 1 << 12
	maxSeenNames      = 256
)

// release returns s to the pool, without the stacks one large document
// grew. They hold no values: fast empties them.
func (s *decodeState) release() {
	if cap(s.items) > maxKeptItems {
		s.items = nil
	}
	if cap(s.members) > maxKeptItems {
		s.members = nil
	}
	if cap(s.text) > maxKeptText {
		s.text = nil
	}
	decodeStates.Put(s)
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
		return number(raw), nil
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
		v, err := decodeValue(d, depth)
		if err != nil {
			return nil, err
		}
		m[name] = v // a name given twice keeps its last value
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

// intern returns text as a string, the same one for the same short text
// while it is in the cache of names.
func (s *decodeState) intern(text []byte) string {
	if name, ok := s.names[string(text)]; ok {
		return name
	}
	name := string(text)
	if len(name) <= maxInternedLength {
		if len(s.names) == maxInternedNames {
			clear(s.names) // names that differ in every record, or a new source
		}
		s.names[name] = name
	}
	return name
}

// fastParser reads a document without jsontext, for speed, and gives up
// (ok false) on anything but a valid document that DecodeJSON accepts:
// a syntax error, invalid UTF-8, nesting deeper than MaxDepth. DecodeJSON
// then reads the document again with jsontext, whose errors say what and
// where; so this parser need never word one. What it accepts it decodes
// to the same values as the jsontext path.
type fastParser struct {
	s         *decodeState
	b         []byte
	i         int
	nameCount int // names read so far, an index into s.seen
}

// fast decodes b with a fastParser; ok is false if it gave up.
func (s *decodeState) fast(b []byte) (v any, ok bool) {
	s.blocks.start()
	defer s.blocks.finish()
	p := fastParser{s: s, b: b}
	if v, ok = p.value(0); ok {
		p.space()
		ok = p.i == len(b)
	}
	if p.nameCount < len(s.seen) {
		s.seen = s.seen[:p.nameCount]
	}
	if !ok {
		clear(s.items) // the elements of the arrays it gave up in
		s.items = s.items[:0]
		clear(s.members)
		s.members = s.members[:0]
		return nil, false
	}
	return v, true
}

// space skips JSON's whitespace.
func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// next skips whitespace and returns the byte there, 0 at the end.
func (p *fastParser) next() byte {
	p.space()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *fastParser) value(depth int) (any, bool) {
	switch c := p.next(); c {
	case '"':
		raw, simple, ok := p.quoted()
		if !ok {
			return nil, false
		}
		return p.s.str(raw, simple)
	case '{', '[':
		if depth == MaxDepth {
			return nil, false
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	}
	return p.number()
}

func (p *fastParser) literal(lit string) bool {
	if !bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
		return false
	}
	p.i += len(lit)
	return true
}

func (p *fastParser) object(depth int) (any, bool) {
	p.i++ // {
	if p.next() == '}' {
		p.i++
		return map[string]any{}, true
	}
	// The members are kept aside, so that the map is made once at its
	// size; a name given twice is there twice, and the map, filled in the
	// document's order, keeps its last value.
	s := p.s
	start := len(s.members)
	for {
		if p.next() != '"' {
			return nil, false
		}
		name, ok := p.name()
		if !ok || p.next() != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		s.members = append(s.members, member{name, v})
		switch p.next() {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
		default:
			return nil, false
		}
		break
	}
	m := make(map[string]any, len(s.members)-start)
	for _, mb := range s.members[start:] {
		m[mb.name] = mb.value
	}
	clear(s.members[start:])
	s.members = s.members[:start]
	return m, true
}

// name reads an object name: the one the last document had at the same
// place if it is the same, else an interned one.
func (p *fastParser) name() (string, bool) {
	raw, simple, ok := p.quoted()
	if !ok {
		return "", false
	}
	s := p.s
	text, ok := s.unescaped(raw, simple)
	if !ok {
		return "", false
	}
	k := p.nameCount
	p.nameCount++
	if k < len(s.seen) && s.seen[k] == string(text) {
		return s.seen[k], true
	}
	name := s.intern(text)
	switch {
	case k < len(s.seen):
		s.seen[k] = name
	case k == len(s.seen) && k < maxSeenNames:
		s.seen = append(s.seen, name)
	}
	return name, true
}

func (p *fastParser) array(depth int) (any, bool) {
	p.i++ // [
	s := p.s
	start := len(s.items)
	if p.next() != ']' {
		for {
			v, ok := p.value(depth)
			if !ok {
				return nil, false
			}
			s.items = append(s.items, v)
			if c := p.next(); c == ']' {
				break
			} else if c != ',' {
				return nil, false
			}
			p.i++
		}
	}
	p.i++ // ]
	a := append(make([]any, 0, len(s.items)-start), s.items[start:]...)
	clear(s.items[start:])
	s.items = s.items[:start]
	return a, true
}

// quoted returns the JSON string at p.i, quotes included, and whether its
// text is the bytes between them, all ASCII. Other strings are checked
// when their text is made.
func (p *fastParser) quoted() (raw []byte, simple, ok bool) {
	b, start := p.b, p.i
	simple = true
	for i := start + 1; ; {
		for i < len(b) && !stringSpecial[b[i]] {
			i++
		}
		switch {
		case i >= len(b) || b[i] < ' ':
			return nil, false, false
		case b[i] == '"':
			p.i = i + 1
			return b[start:p.i], simple, true
		case b[i] == '\\':
			i += 2 // the escaped byte cannot end the string
		default: // not ASCII
			i++
		}
		simple = false
	}
}

// stringSpecial marks the bytes that end a run of plain ASCII text in a
// JSON string.
var stringSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < ' ' || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}
	return t
}()

// str returns the text of the JSON string raw as a new string, or ok
// false if raw is not valid (an escape, UTF-8).
func (s *decodeState) str(raw []byte, simple bool) (any, bool) {
	text, ok := s.unescaped(raw, simple)
	if !ok {
		return nil, false
	}
	return s.blocks.str(text), true
}

// unescaped returns the text of raw, which may be s.text: valid until
// the next call.
func (s *decodeState) unescaped(raw []byte, simple bool) ([]byte, bool) {
	return unescape(&s.text, raw, simple)
}

// unescape returns the text of the JSON string raw (quotes included, as
// quoted found it), which may be *buf: valid until the next call with
// buf. ok is false when raw has an invalid escape or is not UTF-8.
func unescape(buf *[]byte, raw []byte, simple bool) (text []byte, ok bool) {
	text = raw[1 : len(raw)-1]
	switch {
	case simple:
		return text, true
	case bytes.IndexByte(text, '\\') < 0:
		return text, utf8.Valid(text)
	}
	var err error
	*buf, err = jsontext.AppendUnquote((*buf)[:0], raw)
	return *buf, err == nil
}

// number reads a JSON number at p.i.
func (p *fastParser) number() (any, bool) {
	b, start := p.b, p.i
	i, ok := p.numberEnd()
	if !ok {
		return nil, false
	}
	p.i = i
	if n, ok := smallInt(b[start:i]); ok {
		if v, ok := p.s.blocks.boxInt(n); ok {
			return v, true
		}
		return n, true
	}
	return number(b[start:i]), true
}

// numberEnd returns the index after the JSON number at p.i; ok is false
// when there is none.
func (p *fastParser) numberEnd() (end int, ok bool) {
	return jsonscan.NumberEnd(p.b, p.i)
}

// number returns a JSON number (checked) as an int64, a
// float64 or a json.Number; see DecodeJSON for which. The conversions of
// raw to a string for strconv do not escape, so only a json.Number
// allocates its text.
func number(raw []byte) any {
	switch kind, i, f := parseNumber(raw); kind {
	case intNumber:
		return i
	case floatNumber:
		return f
	}
	return json.Number(raw)
}

// numberKind is what number makes of a JSON number.
type numberKind uint8

const (
	intNumber   numberKind = iota // an int64
	floatNumber                   // a float64
	textNumber                    // a json.Number: the number's text
)

// parseNumber decides number's type for raw, and its value when it is
// an int64 or a float64. It is number without the interface, which
// AppendCanonical uses to spell the number as AppendJSON would spell
// number's value.
func parseNumber(raw []byte) (kind numberKind, i int64, f float64) {
	if i, ok := smallInt(raw); ok {
		return intNumber, i, 0
	}
	if bytes.IndexAny(raw, ".eE") < 0 {
		if i, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return intNumber, i, 0
		}
		return textNumber, 0, 0
	}
	if significantDigits(raw) > 15 {
		return textNumber, 0, 0
	}
	if f, err := strconv.ParseFloat(string(raw), 64); err == nil {
		return floatNumber, 0, f
	}
	return textNumber, 0, 0
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

// invalidFailure is the failure of a record its source could not read.
// The message says where, since a record without a key is listed under a
// hash of its payload.
func invalidFailure(rec decant.Record) *Failure {
	return &Failure{rec.Invalid + " (" + rec.Where + ")", rec.Where + ": " + rec.Invalid}
}
