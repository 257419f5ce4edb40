package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/decanthq/decant/internal/jsonquote"
	"golang.org/x/text/unicode/norm"
)

// jsonValue renders v for a json or jsonb column: the document compact,
// object keys sorted, numbers in canonical decimal form (1.0, 1 and 1e0
// are 1), strings with the fewest escapes. Arrays keep their order. Text
// is the document's text; a map or slice is a document pgx decoded. Text
// that is not JSON differs from every document.
func jsonValue(v any, o Options) (value, error) {
	switch t := v.(type) {
	case time.Time:
		return foreign(v), nil
	case string:
		return jsonText(t, o)
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, v, o); err != nil {
		return value{}, err
	}
	return value{text: buf.String()}, nil
}

// decodeJSON renders a document's text by decoding it with encoding/json
// first. jsonText reads text itself, a token at a time, and leaves only
// the documents it cannot render to this slower path: those with a number
// whose exponent normalDecimal rejects, whose error must name the number
// this path meets first.
func decodeJSON(s string, o Options) (value, error) {
	var doc any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return foreign(s), nil
	}
	if _, err := d.Token(); err != io.EOF {
		return foreign(s), nil // trailing data after the document
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, doc, o); err != nil {
		return value{}, err
	}
	return value{text: buf.String()}, nil
}

func writeJSON(w *bytes.Buffer, v any, o Options) error {
	switch t := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(t))
	case string:
		writeJSONString(w, t, o)
	case json.Number:
		s, _, ok := normalDecimal(string(t))
		if !ok {
			return fmt.Errorf("json number %q: %w", t, ErrUnsupported)
		}
		w.WriteString(s)
	case float64, float32, int64, uint64, int, int32:
		num, err := decimalValue(widen(t))
		if err != nil {
			return err
		}
		w.WriteString(num.text)
	case map[string]any:
		return writeObject(w, t, o)
	case []any:
		w.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSON(w, e, o); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	default:
		return fmt.Errorf("json value of type %T: %w", v, ErrUnsupported)
	}
	return nil
}

// widen turns the integer types a decoded document may hold into int64.
func widen(v any) any {
	switch t := v.(type) {
	case int:
		return int64(t)
	case int32:
		return int64(t)
	}
	return v
}

// writeObject writes an object with its keys in byte order. With
// NormalizeUnicode, keys are normalized before they are sorted.
func writeObject(w *bytes.Buffer, m map[string]any, o Options) error {
	byKey := m
	if o.NormalizeUnicode {
		// Two keys may be one after normalization: visit them in order so
		// the same one wins every time.
		byKey = make(map[string]any, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			byKey[norm.NFC.String(k)] = m[k]
		}
	}
	w.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(byKey)) {
		if i > 0 {
			w.WriteByte(',')
		}
		writeJSONString(w, k, o)
		w.WriteByte(':')
		if err := writeJSON(w, byKey[k], o); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

// writeJSONString writes s as a JSON string without HTML escaping, so
// that "<" and "\u003c" are one spelling.
func writeJSONString(w *bytes.Buffer, s string, o Options) {
	if o.NormalizeUnicode {
		s = norm.NFC.String(s)
	}
	w.Write(jsonquote.Append(w.AvailableBuffer(), s))
}

// maxJSONDepth is how deeply encoding/json lets arrays and objects nest;
// a deeper document is not JSON to it, so it is not JSON here either.
const maxJSONDepth = 10000

// canon renders a document's text canonically in one pass over its
// tokens, without building the document: the bytes of each object member
// are written as they are read, then the members are put in key order.
type canon struct {
	s       string
	pos     int
	o       Options
	depth   int
	buf     []byte
	members []member // of the objects being read, innermost last
	keys    []byte   // the members' keys, which members point into
	tmp     []byte   // a string with escapes, being decoded
	slow    bool     // a number only decodeJSON can report
	// ascii says the string str read last is printable ASCII without
	// escapes: its canonical form is itself in quotes, under every rule.
	ascii bool
	// sci says a number took normalDecimal's way, whose form (an
	// exponent) may not read back the same (see fixed).
	sci bool
}

// member is one object member read: where its key as decoded and its key
// under the rules lie in keys, and where its canonical value lies in buf.
// Offsets rather than strings: a member holds no pointer, so filling and
// sorting them costs the garbage collector nothing.
type member struct {
	key, nkey  span
	ascii      bool // the key is printable ASCII (canon.ascii)
	start, end int
}

// span is where a key lies in canon.keys.
type span struct{ start, end int }

// key returns the key at sp, a view of c.keys valid until keys grows.
func (c *canon) key(sp span) string {
	return unsafe.String(unsafe.SliceData(c.keys[sp.start:sp.end]), sp.end-sp.start)
}

// addKey copies a key into c.keys and returns where it lies.
func (c *canon) addKey(k string) span {
	start := len(c.keys)
	c.keys = append(c.keys, k...)
	return span{start, len(c.keys)}
}

var canons = sync.Pool{New: func() any { return new(canon) }}

// jsonText renders a document's text exactly as decodeJSON does, byte for
// byte, at a fraction of the cost.
func jsonText(s string, o Options) (value, error) {
	c := canons.Get().(*canon)
	defer c.release()
	c.reset(s, o)
	ok := c.value() && c.end()
	if c.slow {
		return decodeJSON(s, o)
	}
	if !ok {
		return foreign(s), nil
	}
	if string(c.buf) == s { // already canonical: no copy
		return value{text: s}, nil
	}
	return value{text: string(c.buf)}, nil
}

// reset readies c to render s, keeping its buffers.
func (c *canon) reset(s string, o Options) {
	*c = canon{s: s, o: o, buf: c.buf[:0], members: c.members[:0], keys: c.keys[:0], tmp: c.tmp[:0]}
}

// release returns c to the pool, unless a huge document grew its buffers.
func (c *canon) release() {
	if cap(c.buf) > 1<<16 || cap(c.members) > 1<<10 || cap(c.keys) > 1<<16 {
		return
	}
	c.s = ""
	canons.Put(c)
}

func (c *canon) skipSpace() {
	for c.pos < len(c.s) {
		switch c.s[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// next skips white space and returns the byte there, or 0 at the end.
func (c *canon) next() byte {
	c.skipSpace()
	if c.pos >= len(c.s) {
		return 0
	}
	return c.s[c.pos]
}

// end reports whether only white space follows the document.
func (c *canon) end() bool {
	c.skipSpace()
	return c.pos == len(c.s)
}

// value reads one value and writes it canonically. False means the text
// is not JSON, or, with c.slow, that decodeJSON must render it.
func (c *canon) value() bool {
	switch ch := c.next(); {
	case ch == '{':
		return c.object()
	case ch == '[':
		return c.array()
	case ch == '"':
		s, ok := c.str()
		if ok {
			c.buf = c.appendString(c.buf, s, c.ascii)
		}
		return ok
	case ch == '-' || '0' <= ch && ch <= '9':
		return c.number()
	case ch == 't':
		return c.literal("true")
	case ch == 'f':
		return c.literal("false")
	case ch == 'n':
		return c.literal("null")
	}
	return false
}

func (c *canon) literal(word string) bool {
	if !strings.HasPrefix(c.s[c.pos:], word) {
		return false
	}
	c.pos += len(word)
	c.buf = append(c.buf, word...)
	return true
}

// appendString appends a string or key canonically; ascii says it is
// printable ASCII without escapes, which needs neither escaping nor
// normalizing.
func (c *canon) appendString(dst []byte, s string, ascii bool) []byte {
	if ascii {
		return append(append(append(dst, '"'), s...), '"')
	}
	return jsonquote.Append(dst, c.norm(s))
}

// norm applies the rules to a string or key.
func (c *canon) norm(s string) string {
	if c.o.NormalizeUnicode {
		return norm.NFC.String(s)
	}
	return s
}

func (c *canon) array() bool {
	if c.depth++; c.depth > maxJSONDepth {
		return false
	}
	c.pos++
	c.buf = append(c.buf, '[')
	if c.next() == ']' {
		c.pos++
		c.buf = append(c.buf, ']')
		c.depth--
		return true
	}
	for {
		if !c.value() {
			return false
		}
		switch c.next() {
		case ',':
			c.pos++
			c.buf = append(c.buf, ',')
			continue
		case ']':
			c.pos++
			c.buf = append(c.buf, ']')
			c.depth--
			return true
		}
		return false
	}
}

func (c *canon) object() bool {
	if c.depth++; c.depth > maxJSONDepth {
		return false
	}
	c.pos++
	start, base := len(c.buf), len(c.members)
	if c.next() == '}' {
		c.pos++
		c.buf = append(c.buf, '{', '}')
		c.depth--
		return true
	}
	for {
		if c.next() != '"' {
			return false
		}
		key, ok := c.str()
		ascii := c.ascii
		if !ok || c.next() != ':' {
			return false
		}
		c.pos++
		at := len(c.buf)
		if !c.value() {
			return false
		}
		m := member{key: c.addKey(key), ascii: ascii, start: at, end: len(c.buf)}
		m.nkey = m.key
		if nkey := c.norm(key); nkey != key {
			m.nkey = c.addKey(nkey)
		}
		c.members = append(c.members, m)
		switch c.next() {
		case ',':
			c.pos++
			continue
		case '}':
			c.pos++
			c.writeObject(start, base)
			c.members = c.members[:base]
			c.depth--
			return true
		}
		return false
	}
}

// writeObject replaces the member values written since start with the
// object: members in key order, each key once. Decoding into a map keeps
// the last of duplicate keys; with NormalizeUnicode, of the keys that
// normalize to one, the greatest before normalization wins, as
// writeObject's visit in key order makes it.
func (c *canon) writeObject(start, base int) {
	ms := c.members[base:]
	slices.SortStableFunc(ms, func(a, b member) int {
		if n := strings.Compare(c.key(a.nkey), c.key(b.nkey)); n != 0 {
			return n
		}
		return strings.Compare(c.key(a.key), c.key(b.key))
	})
	mid := len(c.buf)
	c.buf = append(c.buf, '{')
	for i, m := range ms {
		if i+1 < len(ms) && c.key(ms[i+1].nkey) == c.key(m.nkey) {
			continue // a later member wins
		}
		if c.buf[len(c.buf)-1] != '{' {
			c.buf = append(c.buf, ',')
		}
		c.buf = c.appendString(c.buf, c.key(m.nkey), m.ascii)
		c.buf = append(c.buf, ':')
		c.buf = append(c.buf, c.buf[m.start:m.end]...)
	}
	c.buf = append(c.buf, '}')
	c.buf = c.buf[:start+copy(c.buf[start:], c.buf[mid:])]
}

// number reads a number and writes it as normalDecimal does.
func (c *canon) number() bool {
	s, i := c.s, c.pos
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		return false
	}
	dot, exp := -1, false
	if i < len(s) && s[i] == '.' {
		dot, i = i, i+1
		if i = digits(s, i); i == dot+1 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		exp, i = true, i+1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		at := i
		if i = digits(s, i); i == at {
			return false
		}
	}
	text, at := s[c.pos:i], c.pos
	c.pos = i
	if !exp && len(text) <= maxPlain/2 {
		if dot >= 0 {
			dot -= at
		}
		c.buf = appendPlainNumber(c.buf, text, dot)
		return true
	}
	out, _, ok := normalDecimal(text)
	if !ok {
		c.slow = true
		return false
	}
	c.sci = true
	c.buf = append(c.buf, out...)
	return true
}

// appendPlainNumber appends a JSON number without exponent, whose '.' is
// at dot (-1 without), as normalDecimal renders it: trailing fraction
// zeros dropped, and zero without sign. Being short, it needs no
// scientific form.
func appendPlainNumber(dst []byte, text string, dot int) []byte {
	whole, frac := text, ""
	if dot >= 0 {
		whole, frac = text[:dot], strings.TrimRight(text[dot+1:], "0")
	}
	if frac == "" && (whole == "0" || whole == "-0") {
		return append(dst, '0')
	}
	dst = append(dst, whole...)
	if frac != "" {
		dst = append(append(dst, '.'), frac...)
	}
	return dst
}

// digits returns the index of the first byte from i on that is no digit.
func digits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// str reads a string, its quote at c.pos, and returns it decoded as
// encoding/json decodes it. Most strings have no escape and are valid
// UTF-8: they are their own text, and cost nothing.
func (c *canon) str() (string, bool) {
	s := c.s
	c.ascii = true
	for i := c.pos + 1; i < len(s); {
		b := s[i]
		switch {
		case b == '"':
			out := s[c.pos+1 : i]
			c.pos = i + 1
			return out, true
		case b == '\\' || b < ' ':
			c.ascii = false
			return c.escaped(i)
		case b < utf8.RuneSelf:
			i++
		default:
			c.ascii = false
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return c.escaped(i)
			}
			i += size
		}
	}
	return "", false
}

// escaped decodes the rest of a string from i on as encoding/json does:
// an invalid UTF-8 byte, and a \u escape of a lone surrogate, become
// U+FFFD.
func (c *canon) escaped(i int) (string, bool) {
	s := c.s
	b := append(c.tmp[:0], s[c.pos+1:i]...)
	defer func() { c.tmp = b }()
	for i < len(s) {
		switch ch := s[i]; {
		case ch == '"':
			c.pos = i + 1
			return string(b), true
		case ch < ' ':
			return "", false
		case ch == '\\':
			r, n := unescape(s, i)
			if n == 0 {
				return "", false
			}
			b, i = utf8.AppendRune(b, r), i+n
		case ch < utf8.RuneSelf:
			b, i = append(b, ch), i+1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			b, i = utf8.AppendRune(b, r), i+size
		}
	}
	return "", false
}

// unescape decodes the escape at s[i] and returns the rune and the bytes
// it spans, 0 when it is not valid JSON.
func unescape(s string, i int) (rune, int) {
	if i+1 >= len(s) {
		return 0, 0
	}
	switch e := s[i+1]; e {
	case '"', '\\', '/':
		return rune(e), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hex4(s, i)
		if r < 0 {
			return 0, 0
		}
		if !utf16.IsSurrogate(r) {
			return r, 6
		}
		if d := utf16.DecodeRune(r, hex4(s, i+6)); d != unicode.ReplacementChar {
			return d, 12 // a valid pair
		}
		return unicode.ReplacementChar, 6
	}
	return 0, 0
}

// hex4 reads the escape \uXXXX at s[i], or returns -1.
func hex4(s string, i int) rune {
	if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
		return -1
	}
	var r rune
	for _, h := range []byte(s[i+2 : i+6]) {
		switch {
		case '0' <= h && h <= '9':
			h -= '0'
		case 'a' <= h && h <= 'f':
			h -= 'a' - 10
		case 'A' <= h && h <= 'F':
			h -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(h)
	}
	return r
}
