package transform

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// The ledger's source hash is the SHA-256 of a record's canonical JSON:
// AppendJSON of the document DecodeJSON makes of it (object names sorted,
// numbers in DecodeJSON's types and AppendJSON's spelling). Decoding a
// record into maps only to write it out again was a third of the client's
// CPU in a migration whose columns are read from the JSON text (see
// mapfast.go). AppendCanonical writes the same bytes from the text: it
// reads the document with DecodeJSON's own parser (fastParser's
// scanning, the same unescaping, the same number types) and writes each
// value with AppendJSON's own functions (appendQuote, appendInt,
// appendFloat, appendNumberText), so that what it writes is what
// AppendJSON(DecodeJSON(raw)) writes by construction. Objects are sorted
// as AppendJSON sorts them: each member is written where it comes, its
// span (and its name's) kept in a slice, and an object whose names are
// not in order already is copied aside and written again in order.
// Mapper.MapCanonical also maps the record from the same reading: the
// spans of the document's own members are kept, so the members the map
// reads are decoded from them alone.
//
// It gives up (ok false) on whatever it is not certain to write alike:
// whatever DecodeJSON's fast parser gives up on (a syntax error, invalid
// UTF-8 or escape, trailing data), and nesting deeper than
// maxCanonicalDepth (where reordering objects would copy a deep document
// once per level). The caller then decodes the record, and hashes its
// value, or refuses it, as before. A name twice in one object is written
// once, with its last value, as DecodeJSON keeps it: {"a":1,"a":2} hashes
// as {"a":2} does. Tests hold it
// to AppendJSON(DecodeJSON(raw)) on edge documents, random ones and a
// fuzzer.

// maxCanonicalDepth is how deeply AppendCanonical reads nested objects
// and arrays; a deeper document is left to DecodeJSON.
const maxCanonicalDepth = 128

// Canonicalizer holds what AppendCanonical reuses from one document to the
// next; its zero value is ready. One per goroutine.
type Canonicalizer struct {
	spans []nameSpan // the members of the objects being read, innermost last
	names []byte     // the names whose text is not what was written, innermost last
	text  []byte     // a string being unescaped
	aside []byte     // an object's members while they are written again in order
	// top lists the members of the document's object, in the document's
	// order, when the document is an object and its members are wanted
	// (Mapper.MapCanonical); their aside names stay in names.
	top     []nameSpan
	wantTop bool
	// What MapCanonical reuses: the members the map's chains start with
	// and the values of the chains; and the blocks of the values it makes.
	got, chains []any
	vals        valueBlocks
	hints       []firstHint // what the members of the last document were
}

// nameSpan is an object member that AppendCanonical has written: the
// bytes out[start:end] ("name":value), of which the value is
// out[val:end], and its name's text, which is out[name:nameEnd], or
// names[name:nameEnd] when aside. key is the name's first 8 bytes, big
// endian (0 after its end), which orders most names without comparing
// them. The value's text in the document is raw[rawVal:rawEnd].
type nameSpan struct {
	start, val, end int
	name, nameEnd   int
	aside           bool
	// simple says the value is a string written as it is in the document
	// (see canonParser.value): its text is out[val+1:end-1].
	simple bool
	// dropped marks a member that a later one of the same name replaced:
	// it is not written, and its span in out means nothing.
	dropped        bool
	key            uint64
	rawVal, rawEnd int
}

// Bounds on what a Canonicalizer keeps after a large document.
const (
	maxKeptSpans = 1 << 10
	maxKeptBytes = 1 << 16
)

// AppendCanonical appends to b the canonical JSON of the document raw,
// exactly what AppendJSON(b, DecodeJSON(raw)) appends, without decoding
// it into maps; ok false (and b as it was) when it cannot be sure of that,
// most often because DecodeJSON refuses raw, and the caller must decode.
// It allocates nothing once its buffers and b have grown to the
// documents' size.
func (c *Canonicalizer) AppendCanonical(b, raw []byte) (out []byte, ok bool) {
	return c.appendCanonical(b, raw, false)
}

// appendCanonical is AppendCanonical; with top set, it lists the members
// of the document's object, if it is one, in c.top.
func (c *Canonicalizer) appendCanonical(b, raw []byte, top bool) (out []byte, ok bool) {
	if cap(c.spans) > maxKeptSpans {
		c.spans, c.top = nil, nil
	}
	if cap(c.names) > maxKeptBytes {
		c.names = nil
	}
	if cap(c.text) > maxKeptBytes {
		c.text = nil
	}
	if cap(c.aside) > maxKeptBytes {
		c.aside = nil
	}
	c.spans, c.names, c.top, c.wantTop = c.spans[:0], c.names[:0], c.top[:0], top
	p := canonParser{fastParser: fastParser{b: raw}, c: c, out: b}
	if ok = p.value(0); ok {
		p.space()
		ok = p.i == len(raw)
	}
	if !ok {
		return p.out[:len(b)], false
	}
	return p.out, true
}

// canonParser reads with fastParser's scanning (next, space, quoted,
// literal, numberEnd; fastParser.s is not used) and writes to out.
type canonParser struct {
	fastParser
	c   *Canonicalizer
	out []byte
	// simple says the value value last read was a simple string.
	simple bool
}

// value is fastParser.value, writing the value as AppendJSON writes
// what fastParser.value returns.
func (p *canonParser) value(depth int) bool {
	p.simple = false
	switch c := p.next(); c {
	case '"':
		raw, simple, ok := p.quoted()
		if !ok {
			return false
		}
		if simple { // printable ASCII but '"' and '\\': appendQuote writes it as it is
			p.out = append(p.out, raw...)
			p.simple = true
			return true
		}
		text, ok := unescape(&p.c.text, raw, simple)
		if !ok {
			return false
		}
		var err error
		p.out, err = appendQuote(p.out, text)
		return err == nil
	case '{', '[':
		if depth == maxCanonicalDepth || depth == MaxDepth {
			return false
		}
		ok := false
		if c == '{' {
			ok = p.object(depth + 1)
		} else {
			ok = p.array(depth + 1)
		}
		p.simple = false // not the last of its values
		return ok
	case 't':
		return p.lit("true")
	case 'f':
		return p.lit("false")
	case 'n':
		return p.lit("null")
	}
	return p.number()
}

// lit reads the literal lit, which AppendJSON spells as it is (true,
// false and nil as true, false and null).
func (p *canonParser) lit(lit string) bool {
	if !p.literal(lit) {
		return false
	}
	p.out = append(p.out, lit...)
	return true
}

// number writes the number at p.i as AppendJSON writes number's value
// for it.
func (p *canonParser) number() bool {
	start := p.i
	end, ok := p.numberEnd()
	if !ok {
		return false
	}
	p.i = end
	raw := p.b[start:end]
	if plainInt(raw) { // appendInt would write it as it is
		p.out = append(p.out, raw...)
		return true
	}
	switch kind, i, f := parseNumber(raw); kind {
	case intNumber:
		p.out = appendInt(p.out, i)
	case floatNumber:
		var err error
		if p.out, err = appendFloat(p.out, f); err != nil {
			return false // not reached: parseNumber makes no Inf or NaN
		}
	default:
		p.out = appendNumberText(p.out, raw)
	}
	return true
}

// plainInt reports whether raw, a JSON number (numberEnd's: no leading
// zero), is an integer of at most 18 digits other than -0: parseNumber
// makes it an int64 (smallInt), which appendInt spells as raw is spelled.
func plainInt(raw []byte) bool {
	d := raw
	if d[0] == '-' {
		if d = d[1:]; len(d) == 1 && d[0] == '0' {
			return false
		}
	}
	if len(d) > 18 {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (p *canonParser) array(depth int) bool {
	p.i++ // [
	p.out = append(p.out, '[')
	if p.next() != ']' {
		for {
			if !p.value(depth) {
				return false
			}
			if c := p.next(); c == ']' {
				break
			} else if c != ',' {
				return false
			}
			p.i++
			p.out = append(p.out, ',')
		}
	}
	p.i++ // ]
	p.out = append(p.out, ']')
	return true
}

// object reads an object as fastParser.object does and writes its
// members in the order of their names.
func (p *canonParser) object(depth int) bool {
	p.i++ // {
	p.out = append(p.out, '{')
	c := p.c
	first, names, body := len(c.spans), len(c.names), len(p.out)
	for p.next() != '}' {
		if len(c.spans) > first {
			if p.next() != ',' {
				return false
			}
			p.i++
			p.out = append(p.out, ',')
			if p.next() != '"' { // a trailing comma
				return false
			}
		} else if p.next() != '"' {
			return false
		}
		raw, simple, ok := p.quoted()
		if !ok {
			return false
		}
		m := nameSpan{start: len(p.out)}
		var text []byte
		if simple { // written as it is, as value writes a simple string
			p.out = append(p.out, raw...)
			text = p.out[m.start+1 : len(p.out)-1]
		} else {
			if text, ok = unescape(&c.text, raw, simple); !ok {
				return false
			}
			var err error
			if p.out, err = appendQuote(p.out, text); err != nil {
				return false
			}
		}
		// The name's text is the bytes written between the quotes when
		// quoting changed nothing; else it is kept aside.
		if q := p.out[m.start+1 : len(p.out)-1]; simple || bytes.Equal(q, text) {
			m.name, m.nameEnd = m.start+1, len(p.out)-1
		} else {
			m.name, m.aside = len(c.names), true
			c.names = append(c.names, text...)
			m.nameEnd = len(c.names)
		}
		m.key = nameKey(text)
		if p.next() != ':' {
			return false
		}
		p.i++
		p.out = append(p.out, ':')
		m.val = len(p.out)
		p.space() // rawVal at the value itself: "attrs": {...} is read as "attrs":{...} is
		m.rawVal = p.i
		if !p.value(depth) {
			return false
		}
		m.end, m.rawEnd, m.simple = len(p.out), p.i, p.simple
		c.spans = append(c.spans, m)
	}
	p.i++ // }
	ok := p.order(first, body)
	if depth == 1 && c.wantTop { // the document's object: keep its members and names
		c.top = append(c.top, c.spans[first:]...)
		c.spans = c.spans[:first]
	} else {
		c.spans, c.names = c.spans[:first], c.names[:names]
	}
	p.out = append(p.out, '}')
	return ok
}

// nameKey is a name's first 8 bytes, big endian, 0 after its end: two
// names whose keys differ are in the order of their keys.
func nameKey(name []byte) uint64 {
	var k [8]byte
	copy(k[:], name) // one load, not a loop of eight shifts
	return binary.BigEndian.Uint64(k[:])
}

// name is the text of member m's name.
func (p *canonParser) name(m *nameSpan) []byte { return p.c.memberName(p.out, m) }

// memberName is the text of the name of member m, written in out.
func (c *Canonicalizer) memberName(out []byte, m *nameSpan) []byte {
	if m.aside {
		return c.names[m.name:m.nameEnd]
	}
	return out[m.name:m.nameEnd]
}

// order writes the members of the object being read, c.spans[first:],
// which are at p.out[body:], again in the order of their names, as
// appendObject sorts them (by byte, as Go compares strings). A name
// there twice is written once, with its last value, as DecodeJSON keeps
// it; the members left out are marked dropped.
func (p *canonParser) order(first, body int) bool {
	ms := p.c.spans[first:]
	// By pointer: a nameSpan is 80 bytes, and copying two a comparison was
	// most of what sorting cost.
	cmp := func(a, b *nameSpan) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return bytes.Compare(p.name(a), p.name(b))
	}
	sorted := true
	for i := 1; i < len(ms); i++ {
		switch cmp(&ms[i-1], &ms[i]) {
		case 0: // a name twice: written again without the first
			sorted = false
		case 1:
			sorted = false
		}
	}
	if sorted {
		return true
	}
	// The members' indexes are sorted, not the members, which are 80
	// bytes each: swapping them was most of what sorting cost.
	var small [16]int
	idx := small[:0]
	if len(ms) > len(small) {
		idx = make([]int, 0, len(ms))
	}
	for i := range ms {
		idx = append(idx, i)
	}
	// Members of one name stay in the document's order (the index breaks
	// the tie), so that the last of them is the one written.
	if len(idx) > 16 {
		slices.SortFunc(idx, func(a, b int) int {
			if c := cmp(&ms[a], &ms[b]); c != 0 {
				return c
			}
			return a - b
		})
	} else {
		for i := 1; i < len(idx); i++ {
			for j := i; j > 0 && cmp(&ms[idx[j]], &ms[idx[j-1]]) < 0; j-- {
				idx[j], idx[j-1] = idx[j-1], idx[j]
			}
		}
	}
	// Before the names' bytes in out are written over: a later member of
	// a name wins, as in DecodeJSON.
	for i := 1; i < len(idx); i++ {
		ms[idx[i-1]].dropped = cmp(&ms[idx[i-1]], &ms[idx[i]]) == 0
	}
	c := p.c
	c.aside = append(c.aside[:0], p.out[body:]...)
	p.out = p.out[:body]
	for _, k := range idx {
		m := &ms[k]
		if m.dropped {
			continue
		}
		if len(p.out) > body {
			p.out = append(p.out, ',')
		}
		at := len(p.out)
		p.out = append(p.out, c.aside[m.start-body:m.end-body]...)
		// Where the member is now, for the document's own members; the
		// spans stay in the document's order (copying them into the
		// written order was a tenth of the pass).
		shift := at - m.start
		m.start, m.val, m.end = at, m.val+shift, m.end+shift
		if !m.aside {
			m.name, m.nameEnd = m.name+shift, m.nameEnd+shift
		}
	}
	return true
}
