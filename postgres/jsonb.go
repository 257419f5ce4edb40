package postgres

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// SpellJSON returns the text that a column of dbType gives back for the
// JSON document doc: for jsonb, the spelling of PostgreSQL's output
// function (keys ordered by length, then by bytes, the last of duplicate
// keys kept; ", " and ": " between items; numbers as numeric prints them;
// strings with only the escapes PostgreSQL writes). ok is false for other
// types (json keeps the text as written) and for a document jsonb would
// refuse or that this spelling does not follow (a huge exponent, deep
// nesting): the caller then compares canonically. A verify spells its
// expected documents so, where it maps them, and finds an equal document by
// comparing bytes (decant.JSONSpeller).
func (s *Store) SpellJSON(dbType string, doc []byte) ([]byte, bool) {
	if dbType != "jsonb" {
		return nil, false
	}
	return jsonbText(doc)
}

// AppendSpellJSON is SpellJSON appending the text to dst, which it
// returns (dst as it was when ok is false). A verify spells every document
// of its source, and a slab of its own for the texts saves an allocation
// each (engine's jsonSpelling).
func (s *Store) AppendSpellJSON(dst []byte, dbType string, doc []byte) ([]byte, bool) {
	if dbType != "jsonb" {
		return dst, false
	}
	return appendJSONB(dst, doc)
}

// jsonbText spells doc as jsonb's output function does.
func jsonbText(doc []byte) ([]byte, bool) {
	p := spellers.Get().(*jsonbSpeller)
	defer p.release()
	out, ok := p.spell(p.out[:0], doc)
	p.out = out[:0]
	if !ok {
		return nil, false
	}
	return bytes.Clone(out), true
}

// appendJSONB appends doc as jsonb's output function spells it to dst.
func appendJSONB(dst, doc []byte) ([]byte, bool) {
	p := spellers.Get().(*jsonbSpeller)
	defer p.release()
	keep := p.out
	out, ok := p.spell(dst, doc)
	p.out = keep
	if !ok {
		return dst, false
	}
	return out, true
}

// spell appends doc's spelling to out; an object is written there twice
// (read, then ordered), the second copy moved down over the first.
func (p *jsonbSpeller) spell(out, doc []byte) ([]byte, bool) {
	*p = jsonbSpeller{s: doc, out: out, keys: p.keys[:0], str: p.str[:0], members: p.members[:0]}
	if !p.value(0) {
		return p.out, false
	}
	if p.space(); p.i != len(p.s) {
		return p.out, false
	}
	return p.out, true
}

// spellers keeps spellers' buffers from one document to the next: an
// object is written twice in out (read, then ordered), which would grow it
// for every document.
var spellers = sync.Pool{New: func() any { return new(jsonbSpeller) }}

// release returns p to the pool, unless a huge document grew its buffers.
func (p *jsonbSpeller) release() {
	p.s = nil
	if cap(p.out) > 1<<16 || cap(p.keys) > 1<<16 || cap(p.members) > 1<<10 {
		return
	}
	spellers.Put(p)
}

// jsonbSpeller reads a JSON text and writes it in jsonb's spelling.
type jsonbSpeller struct {
	s       []byte
	i       int
	out     []byte
	keys    []byte // the decoded keys of the objects being read
	str     []byte // a decoded string
	members []jsonbMember
}

// jsonbDepth bounds the nesting this spelling follows.
const jsonbDepth = 200

// jsonbDigits bounds the digits a number may print with, far below
// numeric's limits: a longer one is left to the canonical comparison.
const jsonbDigits = 1000

func (p *jsonbSpeller) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonbSpeller) value(depth int) bool {
	p.space()
	if p.i >= len(p.s) || depth > jsonbDepth {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		if raw, ok := p.plain(); ok {
			p.out = append(p.out, '"')
			p.out = append(p.out, raw...)
			p.out = append(p.out, '"')
			return true
		}
		if !p.decode() {
			return false
		}
		p.out = appendJSONBString(p.out, p.str)
		return true
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return p.literal("true") || p.literal("false") || p.literal("null")
}

func (p *jsonbSpeller) literal(lit string) bool {
	if len(p.s)-p.i < len(lit) || string(p.s[p.i:p.i+len(lit)]) != lit {
		return false
	}
	p.i += len(lit)
	p.out = append(p.out, lit...)
	return true
}

func (p *jsonbSpeller) array(depth int) bool {
	p.i++
	p.out = append(p.out, '[')
	if p.space(); p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.out = append(p.out, ']')
		return true
	}
	for {
		if !p.value(depth) {
			return false
		}
		p.space()
		if p.i >= len(p.s) {
			return false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.out = append(p.out, ", "...)
			continue
		case ']':
			p.i++
			p.out = append(p.out, ']')
			return true
		}
		return false
	}
}

// jsonbMember is where an object's member lies while the object is read:
// its decoded key in keys (or, when plain, in the text), its spelled value
// in out.
type jsonbMember struct {
	key, val [2]int
	inText   bool
	n        int // its place in the object, for the last of equal keys
}

func (p *jsonbSpeller) object(depth int) bool {
	p.i++
	start, keyBase, base := len(p.out), len(p.keys), len(p.members)
	if p.space(); p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.out = append(p.out, '{', '}')
		return true
	}
	for n := 0; ; n++ {
		if p.space(); p.i >= len(p.s) || p.s[p.i] != '"' {
			return false
		}
		m, at := jsonbMember{n: n}, p.i+1
		if raw, ok := p.plain(); ok {
			m.key, m.inText = [2]int{at, at + len(raw)}, true
		} else if p.decode() {
			m.key = [2]int{len(p.keys), len(p.keys) + len(p.str)}
			p.keys = append(p.keys, p.str...)
		} else {
			return false
		}
		if p.space(); p.i >= len(p.s) || p.s[p.i] != ':' {
			return false
		}
		p.i++
		valAt := len(p.out)
		if !p.value(depth) {
			return false
		}
		m.val = [2]int{valAt, len(p.out)}
		p.members = append(p.members, m)
		if p.space(); p.i >= len(p.s) {
			return false
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] != '}' {
			return false
		}
		p.i++
		break
	}
	members := p.members[base:]
	key := func(m jsonbMember) []byte {
		if m.inText {
			return p.s[m.key[0]:m.key[1]]
		}
		return p.keys[m.key[0]:m.key[1]]
	}
	// jsonb orders keys by length, then by their bytes; of equal keys the
	// last one read stays.
	cmp := func(a, b jsonbMember) int {
		ka, kb := key(a), key(b)
		if len(ka) != len(kb) {
			return len(ka) - len(kb)
		}
		if c := bytes.Compare(ka, kb); c != 0 {
			return c
		}
		return a.n - b.n
	}
	if len(members) <= 12 {
		// Most objects are small: an insertion sort, without the generic
		// sort's setup, is a fifth of the spelling less.
		for i := 1; i < len(members); i++ {
			for j := i; j > 0 && cmp(members[j-1], members[j]) > 0; j-- {
				members[j-1], members[j] = members[j], members[j-1]
			}
		}
	} else {
		slices.SortFunc(members, cmp)
	}
	mid := len(p.out)
	p.out = append(p.out, '{')
	first := true
	for i, m := range members {
		if i+1 < len(members) && bytes.Equal(key(members[i+1]), key(m)) {
			continue
		}
		if !first {
			p.out = append(p.out, ", "...)
		}
		first = false
		if m.inText { // printable ASCII without escapes: as it is
			p.out = append(p.out, '"')
			p.out = append(p.out, key(m)...)
			p.out = append(p.out, '"')
		} else {
			p.out = appendJSONBString(p.out, key(m))
		}
		p.out = append(p.out, ": "...)
		p.out = append(p.out, p.out[m.val[0]:m.val[1]]...)
	}
	p.out = append(p.out, '}')
	p.out = p.out[:start+copy(p.out[start:], p.out[mid:])]
	p.keys = p.keys[:keyBase]
	p.members = p.members[:base]
	return true
}

// plain reads the string at p.i when it is printable ASCII without
// escapes, which jsonb writes as it is, and returns its text; false leaves
// p.i where it was, for decode.
func (p *jsonbSpeller) plain() ([]byte, bool) {
	for j := p.i + 1; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			raw := p.s[p.i+1 : j]
			p.i = j + 1
			return raw, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// decode reads the JSON string at p.i into p.str, refusing what jsonb
// refuses: invalid UTF-8, \u0000, a lone surrogate.
func (p *jsonbSpeller) decode() bool {
	p.i++ // "
	p.str = p.str[:0]
	ascii := true
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return ascii || utf8.Valid(p.str)
		case c < 0x20:
			return false
		case c != '\\':
			ascii = ascii && c < 0x80
			p.str = append(p.str, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			return false
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			p.str = append(p.str, e)
		case 'b':
			p.str = append(p.str, '\b')
		case 'f':
			p.str = append(p.str, '\f')
		case 'n':
			p.str = append(p.str, '\n')
		case 'r':
			p.str = append(p.str, '\r')
		case 't':
			p.str = append(p.str, '\t')
		case 'u':
			r, ok := p.hex()
			if !ok || r == 0 {
				return false
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xdc00 || !bytes.HasPrefix(p.s[p.i:], []byte(`\u`)) {
					return false
				}
				p.i += 2
				lo, ok := p.hex()
				if r = utf16.DecodeRune(r, lo); !ok || r == utf8.RuneError {
					return false
				}
			}
			p.str = utf8.AppendRune(p.str, r) // valid: not a surrogate
		default:
			return false
		}
	}
	return false
}

// hex reads the four hex digits of a \u escape.
func (p *jsonbSpeller) hex() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range p.s[p.i : p.i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

// appendJSONBString writes s as jsonb's escape_json does: the short
// escapes, \u00xx for other control characters, everything else as it is.
func appendJSONBString(dst, s []byte) []byte {
	dst = append(dst, '"')
	for _, c := range s {
		switch c {
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		case '"':
			dst = append(dst, `\"`...)
		case '\\':
			dst = append(dst, `\\`...)
		default:
			if c < 0x20 {
				const hexDigits = "0123456789abcdef"
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
				continue
			}
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// number writes the JSON number at p.i as numeric's output function
// prints the value numeric's input function reads from it: no exponent,
// as many decimals as the text had less its exponent (1.50 is 1.50, 15e-1
// is 1.5, 1.5e3 is 1500), no sign on a zero.
func (p *jsonbSpeller) number() bool {
	s, i := p.s, p.i
	neg := s[i] == '-'
	if neg {
		i++
	}
	intStart := i
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digitsEnd(s, i)
	default:
		return false
	}
	intEnd, fracStart, fracEnd := i, i, i
	if i < len(s) && s[i] == '.' {
		fracStart = i + 1
		if i = digitsEnd(s, fracStart); i == fracStart {
			return false
		}
		fracEnd = i
	}
	if i >= len(s) || s[i] != 'e' && s[i] != 'E' {
		// As it is, but for the sign of a zero.
		text := s[p.i:i]
		if neg && allZeros(s[intStart:intEnd]) && allZeros(s[fracStart:fracEnd]) {
			text = text[1:]
		}
		p.i = i
		p.out = append(p.out, text...)
		return true
	}
	i++
	sign := 1
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		if s[i] == '-' {
			sign = -1
		}
		i++
	}
	at, exp := i, 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if exp = exp*10 + int(s[i]-'0'); exp > jsonbDigits {
			return false
		}
	}
	if i == at {
		return false
	}
	p.i = i
	// The value is digits × 10^-(len(frac)-exp), printed with
	// max(0, len(frac)-exp) decimals.
	frac := string(s[fracStart:fracEnd])
	digits := string(s[intStart:intEnd]) + frac
	scale := len(frac) - sign*exp
	if scale < 0 {
		digits += strings.Repeat("0", -scale)
		scale = 0
	}
	if len(digits) > jsonbDigits {
		return false
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	whole := strings.TrimLeft(digits[:len(digits)-scale], "0")
	if whole == "" {
		whole = "0"
	}
	if neg && strings.Trim(digits, "0") != "" {
		p.out = append(p.out, '-')
	}
	p.out = append(p.out, whole...)
	if scale > 0 {
		p.out = append(p.out, '.')
		p.out = append(p.out, digits[len(digits)-scale:]...)
	}
	return true
}

// digitsEnd returns where the digits from i end.
func digitsEnd(s []byte, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

func allZeros(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}
