package transform

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
)

// Most steps map member chains of the record and nothing else
// (name: record.name), and mapping them is mostly decoding the whole
// record into maps. Map reads such a step's values from the record's JSON
// text instead, as MapKey reads key columns: the text is read with every
// check DecodeJSON makes, but only the members the chains start with are
// decoded. Anything unusual (invalid JSON, a chain
// through a value that is not an object) sends the record down the
// decoding path, whose values and failures are then the same by
// construction.

// newMapPlan returns how Map reads a step's columns from the JSON text:
// a plan whose fast is set when every map entry is record.NAME(.NAME...)
// and nothing else can see the record or fail (no let, no fields, no
// children, a fixed table). Its cols are the map's entries, in order.
func newMapPlan(spec Spec) *keyPlan {
	mp := &keyPlan{cols: make([]*Named, len(spec.Map)), first: make([]int, len(spec.Map))}
	mp.fast = spec.To.By == nil && len(spec.Let) == 0 && spec.Fields == nil && len(spec.Children) == 0
	for i := range spec.Map {
		mp.cols[i] = &spec.Map[i]
		path := spec.Map[i].Prog.path
		if !mp.fast || len(path) < 2 || path[0] != "record" {
			mp.fast = false
			continue
		}
		mp.first[i] = indexOrAppend(&mp.firsts, path[1])
	}
	return mp
}

// KeepJSONText makes Map give the value of a JSON column that maps a
// whole member of the record (attrs: record.attrs), when it is an object
// or an array, as the member's JSON text, checked as DecodeJSON checks it
// (syntax, UTF-8, depth), instead of decoding it and
// writing it again. Verify uses it: it compares JSON by its canonical
// form, whatever the spelling, and decoding and writing JSON columns was a
// fifth of its CPU. A migration does not: its rows and hashes hold the
// canonical text. It changes this mapper and the clones made after it.
func (m *Mapper) KeepJSONText() {
	if !m.fast.fast {
		return
	}
	kp := *m.fast
	kp.text = make([]bool, len(kp.firsts))
	uses := make([]int, len(kp.firsts))
	for _, f := range kp.first {
		uses[f]++
	}
	coercs := m.mapCoerc[m.spec.To.Table]
	for i, c := range kp.cols {
		if f := kp.first[i]; uses[f] == 1 && len(c.Prog.path) == 2 && coercs[i].Kind == decant.KindJSON &&
			m.tables[m.spec.To.Table].cols[m.mapNames[i]].Kind == decant.KindJSON {
			kp.text[f] = true
		}
	}
	m.fast = &kp
}

// mapRead is MapValue of a step whose plan is fast, given the values of
// its map entries (in map order) read from the record's text: it coerces
// each in turn and checks the key as MapValue does. With vb, the row and
// the values it makes come from vb's blocks (MapCanonical).
func (m *Mapper) mapRead(rec decant.Record, vals []any, vb *valueBlocks) (Output, *Failure) {
	table := m.spec.To.Table
	coercs := m.mapCoerc[table]
	row := Row{Table: table, Cols: m.mapNames[:0:0]}
	if vb != nil {
		row.Vals = vb.values(len(vals))
	} else {
		row.Vals = make([]any, 0, len(vals))
	}
	for i, v := range vals {
		cv, f := vb.coerce(table, &coercs[i], m.mapNames[i], v)
		if f != nil {
			return Output{}, f
		}
		row.Vals = append(row.Vals, cv)
	}
	// Capped, as row leaves them, so that an append copies them.
	row.Cols = m.mapNames[:len(vals):len(vals)]
	m.unmark(&row)
	var out Output
	if vb != nil {
		out.Rows = vb.row(row)
	} else {
		out.Rows = []Row{row}
	}
	for i, k := range m.spec.Key {
		v := valueOf(row, k)
		if v == nil {
			return Output{}, &Failure{"key column " + k + " is empty", fmt.Sprintf("%s: table %s: key column %s mapped to null", rec.Where, table, k)}
		}
		if i == 0 {
			out.ParentKey = v
		}
	}
	return out, nil
}

// coerce is coerce, making from vb's blocks the times and decimals that
// a string becomes (a nil vb makes them as coerce does). Whatever else,
// and a string coerce refuses, goes through coerce.
func (vb *valueBlocks) coerce(table string, co *Coercion, col string, v any) (any, *Failure) {
	s, ok := v.(string)
	if vb == nil || !ok {
		if vb != nil && v != nil && co.keeps(v) { // as Apply does, without its call
			return v, nil
		}
		return coerce(table, co, col, v)
	}
	if slices.Contains(co.NullIf, s) { // as Apply does first
		return nil, nil
	}
	switch co.Kind {
	case "", decant.KindText: // Apply keeps it
		return v, nil
	case decant.KindInt: // toInt of a string ParseInt takes (a CSV field)
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return vb.int(i), nil
		}
	case decant.KindDecimal: // toDecimal of a string, which a decimal comma rewrites first
		if d := strings.TrimSpace(s); !co.DecimalComma && isDecimal(d) {
			return vb.decimal(decant.Decimal(d)), nil
		}
	case decant.KindTimestamp:
		if t, err := co.toTime(v); err == nil { // v, not s, which would be boxed again
			return vb.time(t), nil
		}
	}
	return coerce(table, co, col, v)
}

// readTopChains returns the values of the member chains of kp's columns
// in raw (the map's entries for Map, the key columns for MapKey), as
// DecodeJSON and the member walk of Eval give them. It reads the record
// with DecodeJSON's own parser, which checks the whole text as DecodeJSON
// does but decodes only the members the chains start with, skipping the
// others (readTop). It returns false when the parser gives up (the
// record is not an object, or is unusual), or a chain goes through a
// value that is not an object: the decoding path then gives the value or
// the failure.
//
// The values it decodes come from m's blocks (m.vals), shared by the
// records m maps, as MapCanonical's come from its Canonicalizer's: a
// verify maps every record with Map or MapKey, and a record's dozen small
// allocations were a third of its mapping. The slice it returns is m's,
// valid until the next call.
func (m *Mapper) readTopChains(raw []byte, kp *keyPlan) ([]any, bool) {
	got := m.got[:0]
	for range kp.firsts {
		got = append(got, nil)
	}
	m.got = got
	defer clear(got)
	if !readTop(raw, kp, got, &m.vals) {
		return nil, false
	}
	vals, ok := walkChains(kp, got, m.chains[:0])
	if ok {
		m.chains = vals
	}
	return vals, ok
}

// readTop decodes the members of the JSON object b that kp.firsts names
// into got, as DecodeJSON decodes them; false when b is not an object,
// or the parser gives up where DecodeJSON's fast parser gives up (then
// DecodeJSON says why). With vb, the strings, integers and JSON texts it
// makes come from vb's blocks, else from blocks of the document's own.
func readTop(b []byte, kp *keyPlan, got []any, vb *valueBlocks) bool {
	s := decodeStates.Get().(*decodeState)
	defer s.release()
	if vb != nil {
		vb.docs.run = true
		s.blocks, vb.docs = vb.docs, s.blocks
		defer func() { s.blocks, vb.docs = vb.docs, s.blocks }()
	} else {
		s.blocks.start()
		defer s.blocks.finish()
	}
	p := fastParser{s: s, b: b}
	ok := p.next() == '{' && p.topMembers(kp, got, vb)
	if ok {
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
	}
	return ok
}

// topMembers is object for the document's own object, at p.i: it
// decodes, as object does, the values of the members kp.firsts names,
// into got instead of a map, and checks the others as object would
// without making their values.
func (p *fastParser) topMembers(kp *keyPlan, got []any, vb *valueBlocks) bool {
	return p.members(func(name string) bool {
		for i, f := range kp.firsts {
			if f == name {
				if kp.text != nil && kp.text[i] {
					if c := p.next(); c == '{' || c == '[' {
						start := p.i
						ok := p.skip(1)
						got[i] = vb.jsonOf(p.b[start:p.i:p.i])
						return ok
					}
				}
				// Depth 1, as object(1) reads the members of the
				// document's object.
				v, ok := p.value(1)
				got[i] = v
				return ok
			}
		}
		return p.skip(1)
	})
}

// members reads the object at p.i, checking its names as object does
// (syntax, UTF-8), and calls value for each member, in the document's
// order, with the parser at the member's value, to read it. A name given
// twice is given to value twice: what value keeps of the last one is what
// object keeps.
func (p *fastParser) members(value func(name string) bool) bool {
	p.i++ // {
	if p.next() == '}' {
		p.i++
		return true
	}
	for {
		if p.next() != '"' {
			return false
		}
		name, ok := p.name()
		if !ok || p.next() != ':' {
			return false
		}
		p.i++
		if !value(name) {
			return false
		}
		switch p.next() {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
		default:
			return false
		}
		break
	}
	return true
}

// skip is value without the value: it reads the value at p.i, at the
// given depth, and gives up where value gives up.
func (p *fastParser) skip(depth int) bool {
	switch c := p.next(); c {
	case '"':
		raw, simple, ok := p.quoted()
		if !ok {
			return false
		}
		_, ok = p.s.unescaped(raw, simple)
		return ok
	case '{', '[':
		if depth == MaxDepth {
			return false
		}
		if c == '{' {
			return p.members(func(string) bool { return p.skip(depth + 1) })
		}
		return p.skipArray(depth + 1)
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	}
	end, ok := p.numberEnd()
	p.i = end
	return ok
}

// skipArray is array without the value.
func (p *fastParser) skipArray(depth int) bool {
	p.i++ // [
	if p.next() != ']' {
		for {
			if !p.skip(depth) {
				return false
			}
			if c := p.next(); c == ']' {
				break
			} else if c != ',' {
				return false
			}
			p.i++
		}
	}
	p.i++ // ]
	return true
}

// canonJSONFirsts returns kp.canonJSON for a fast plan whose map entries
// coerce as coercs: the firsts of a single entry, record.NAME, whose
// coercion is to JSON. Such an entry's object or array value becomes
// decant.JSON(AppendJSON(value)), which is the canonical JSON
// MapCanonical has already written for the record.
func canonJSONFirsts(kp *keyPlan, coercs []Coercion) []bool {
	if !kp.fast {
		return nil
	}
	out := make([]bool, len(kp.firsts))
	uses := make([]int, len(kp.firsts))
	for _, f := range kp.first {
		uses[f]++
	}
	for i, c := range kp.cols {
		if f := kp.first[i]; uses[f] == 1 && len(c.Prog.path) == 2 && coercs[i].Kind == decant.KindJSON {
			out[f] = true
		}
	}
	return out
}

// MapCanonical is Map for a record whose columns Map reads from its JSON
// text (ReadsJSONText), which also appends the record's canonical JSON to
// dst as AppendCanonical does, reading the text once: the members the
// map's chains start with are decoded from the spans AppendCanonical
// found, as readTop decodes them, and a member that a single entry maps
// whole into a JSON column, when it is an object or an array, is the
// canonical JSON already written, not decoded and written again. The
// output and failure are Map's. ok is false, with nothing mapped, when
// AppendCanonical gives up; the caller then decodes the record.
func (m *Mapper) MapCanonical(rec decant.Record, scope string, c *Canonicalizer, dst []byte) (canon []byte, out Output, f *Failure, ok bool) {
	canon, ok = c.appendCanonical(dst, rec.Raw, true)
	if !ok {
		return canon, Output{}, nil, false
	}
	if !m.ReadsJSONText(rec) || m.fast.text != nil {
		out, f = m.Map(rec, scope)
		return canon, out, f, true
	}
	// Map reads the members with readTop, which gives up only when the
	// record is not an object (AppendCanonical has checked the rest), and
	// then decodes it; so does walkChains for a chain through a value
	// that is not an object.
	if vals, read := m.canonChains(rec.Raw, canon, c); read {
		out, f = m.mapRead(rec, vals, &c.vals)
		clear(vals)
		if f == nil && m.unread != nil {
			m.unm = m.unm[:0]
			m.unreadText(c, rec.Raw, canon)
			if f = m.takeUnmapped(&out); f != nil {
				out = Output{}
			}
		}
	} else {
		out, f = m.mapDecoded(rec, scope)
	}
	return canon, out, f, true
}

// canonChains is readMapChains from the members AppendCanonical listed
// (c.top) in raw, whose canonical JSON it wrote in out. The values it
// decodes come from c.vals' blocks, and the slice it returns is c's, valid
// until the next call.
func (m *Mapper) canonChains(raw, out []byte, c *Canonicalizer) ([]any, bool) {
	if top := (fastParser{b: raw}); top.next() != '{' {
		return nil, false
	}
	kp := m.fast
	got := c.got[:0]
	for range kp.firsts {
		got = append(got, nil)
	}
	c.got = got
	defer clear(got)
	s := decodeStates.Get().(*decodeState)
	defer s.release()
	// The strings and integers come from c's blocks, shared by the records
	// c maps, instead of blocks of the record's own.
	c.vals.docs.run = true
	s.blocks, c.vals.docs = c.vals.docs, s.blocks
	defer func() { s.blocks, c.vals.docs = c.vals.docs, s.blocks }()
	p := fastParser{s: s, b: raw}
	ok := true
	for k := range c.top {
		mb := &c.top[k]
		if mb.dropped { // a later member of its name follows
			continue
		}
		i := c.firstAt(kp, k, c.memberName(out, mb))
		if i < 0 {
			continue
		}
		if kp.canonJSON[i] && (raw[mb.rawVal] == '{' || raw[mb.rawVal] == '[') {
			got[i] = c.vals.json(out[mb.val:mb.end])
			continue
		}
		if mb.simple { // as value reads it, without reading it again
			got[i] = s.blocks.str(out[mb.val+1 : mb.end-1])
			continue
		}
		// Depth 1, as readTop reads the members of the document's object.
		p.i = mb.rawVal
		if got[i], ok = p.value(1); !ok || p.i != mb.rawEnd {
			ok = false // not reached: AppendCanonical read the value
			break
		}
	}
	if p.nameCount < len(s.seen) {
		s.seen = s.seen[:p.nameCount]
	}
	if !ok {
		clear(s.items)
		s.items = s.items[:0]
		clear(s.members)
		s.members = s.members[:0]
		return nil, false
	}
	vals, ok := walkChains(kp, got, c.chains[:0])
	c.chains = vals
	return vals, ok
}

// firstAt is kp.firstOf(name) for the member at k of the document's
// object. Records most often have the members of the record before, in
// its order: the member at k is looked up again only when its name is not
// the last one's there (among the first maxHints).
func (c *Canonicalizer) firstAt(kp *keyPlan, k int, name []byte) int {
	if k >= maxHints {
		return kp.firstOf(name)
	}
	if k >= len(c.hints) {
		c.hints = append(c.hints, make([]firstHint, k+1-len(c.hints))...)
	}
	h := &c.hints[k]
	if h.kp != kp || h.name != string(name) {
		*h = firstHint{kp: kp, name: string(name), i: kp.firstOf(name)}
	}
	return h.i
}

// maxHints is how many members' names firstAt remembers.
const maxHints = 64

// firstHint is what canonChains found for the name of the member at
// one place of the document's object: its index in kp.firsts, or -1.
type firstHint struct {
	kp   *keyPlan
	name string
	i    int
}

// firstOf returns the index in firsts of a member's name, or -1.
func (kp *keyPlan) firstOf(name []byte) int {
	for i, f := range kp.firsts {
		if string(name) == f {
			return i
		}
	}
	return -1
}
