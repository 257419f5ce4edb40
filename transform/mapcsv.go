package transform

import (
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr/ast"

	"github.com/decanthq/decant"
)

// A CSV row reaches the mapper as its fields (decant.RowDocument), and
// mapping it used to mean building the object of its fields, running the
// map's expressions over it (json_decode(record.attrs) in the VM, then
// writing the decoded document again as JSON for its column), and writing
// the object again as JSON for its source hash: two thirds of a CSV load's
// client CPU. MapRow does without all of it when every map entry is
// record.NAME or json_decode(record.NAME) into a JSON column: a column
// takes its field as it is, and a decoded field's object or array is its
// canonical JSON (AppendCanonical, what AppendJSON(DecodeJSON(field))
// writes, the slow path's value by construction). The source hash text is
// written from the fields in the header's order sorted once. Anything
// else (a field that decoding refuses or that is not an object or an
// array, a plan that does more) takes the slow path, record by record,
// whose values and failures are then the same by construction.

// rowSpec is how MapRow reads a step's map from a row's fields: the
// field each entry reads, by name, and whether it decodes it. It is made
// only when every entry is record.NAME, or json_decode(record.NAME) into
// a JSON column, and nothing else can see the record or fail (no let, no
// fields, no children, a fixed table), as newMapPlan's fast plan.
type rowSpec struct {
	names  []string
	decode []bool
}

// newRowSpec returns the rowSpec of spec, whose map entries coerce as
// coercs, or nil.
func newRowSpec(spec Spec, coercs []Coercion) *rowSpec {
	if spec.To.By != nil || len(spec.Let) > 0 || spec.Fields != nil || len(spec.Children) > 0 {
		return nil
	}
	rs := &rowSpec{}
	for i, c := range spec.Map {
		path, decode := c.Prog.path, false
		if path == nil && coercs[i].Kind == decant.KindJSON {
			path, decode = c.Prog.decoded, true
		}
		if len(path) != 2 || path[0] != "record" {
			return nil
		}
		rs.names = append(rs.names, path[1])
		rs.decode = append(rs.decode, decode)
	}
	return rs
}

// decodedPath returns the member chain of n when n is a call of the
// built-in json_decode (not one a Go program registered in its place) on
// a plain member chain, nil otherwise.
func decodedPath(n ast.Node, funcs *Funcs) []string {
	call, ok := n.(*ast.CallNode)
	if !ok || len(call.Arguments) != 1 {
		return nil
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || id.Value != "json_decode" {
		return nil
	}
	if fn := funcs.fns["json_decode"]; fn == nil || reflect.ValueOf(fn).Pointer() != reflect.ValueOf(jsonDecodeFunc).Pointer() {
		return nil
	}
	return memberPath(call.Arguments[0])
}

// rowPlan is what MapRow works out from a header: how to write a row's
// canonical JSON, and the field each map entry reads.
type rowPlan struct {
	columns []string // the header, by identity (decant.RowDocument.Columns)
	// canon says the canonical JSON can be written from the fields: the
	// names are unique (else the object would have fewer members) and
	// AppendJSON writes them.
	canon bool
	order []int  // the fields' indexes, in the order AppendJSON sorts the object's members
	names []byte // `"name":` of each member in order, as AppendJSON writes them
	ends  []int  // where each member's name ends in names
	// fields holds the field of each map entry (Mapper.rows), nil when the
	// mapper has no rowSpec or the header lacks a field it reads.
	fields []int
	// unread holds the fields no expression reads, and paths their paths
	// in the report of fields that reach no column (unmapped.go).
	unread []int
	paths  []string
}

// rowPlanFor returns m's rowPlan for the header cols, made again only
// when cols is not the header of the last row.
func (m *Mapper) rowPlanFor(cols []string) *rowPlan {
	if p := m.rowPlan; p != nil && len(p.columns) == len(cols) && unsafe.SliceData(p.columns) == unsafe.SliceData(cols) {
		return p
	}
	p := &rowPlan{columns: cols, canon: true}
	p.order = make([]int, len(cols))
	for i := range p.order {
		p.order[i] = i
	}
	// By name, as sortMembers sorts; names that repeat are caught below.
	slices.SortFunc(p.order, func(a, b int) int { return strings.Compare(cols[a], cols[b]) })
	for k, i := range p.order {
		if k > 0 && cols[i] == cols[p.order[k-1]] {
			p.canon = false
		}
		var err error
		if p.names, err = appendQuote(p.names, cols[i]); err != nil {
			p.canon = false
		}
		p.names = append(p.names, ':')
		p.ends = append(p.ends, len(p.names))
	}
	if m.rows != nil {
		p.fields = make([]int, len(m.rows.names))
		for i, name := range m.rows.names {
			if p.fields[i] = slices.Index(cols, name); p.fields[i] < 0 {
				p.fields = nil
				break
			}
		}
	}
	if m.unread != nil {
		for i, c := range cols {
			if m.unread.record.kid(c) == nil {
				p.unread, p.paths = append(p.unread, i), append(p.paths, "record."+c)
			}
		}
	}
	m.rowPlan = p
	return p
}

// appendCanonical appends the canonical JSON of the row of fields, the
// object of a string member per column: what AppendJSON writes of it.
// ok is false, with b as it was, when it cannot (p.canon is not set, or a
// field is not valid UTF-8, which AppendJSON refuses).
func (p *rowPlan) appendCanonical(b []byte, fields []string) ([]byte, bool) {
	if !p.canon || len(fields) != len(p.columns) {
		return b, false
	}
	n := len(b)
	b = append(b, '{')
	start := 0
	for k, i := range p.order {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, p.names[start:p.ends[k]]...)
		start = p.ends[k]
		var err error
		if b, err = appendQuote(b, fields[i]); err != nil {
			return b[:n], false
		}
	}
	return append(b, '}'), true
}

// MapRow is Map for a record whose Doc is a row of fields (doc), which
// also appends to dst the row's canonical JSON, what AppendJSON writes of
// doc.Value() (the ledger's source hash text), from the fields, without
// the object Value makes. The output and failure are Map's: the fields
// are mapped as this file's first comment says, or, when the plan or a
// field needs it, the record goes down Map's own path. ok is false, with
// dst as it was and nothing mapped, when the canonical JSON cannot be
// written from the fields (a field that is not valid UTF-8): the caller
// then maps and hashes doc.Value().
func (m *Mapper) MapRow(rec decant.Record, doc decant.RowDocument, scope string, dst []byte) (canon []byte, out Output, f *Failure, ok bool) {
	p := m.rowPlanFor(doc.Columns())
	fields := doc.Fields()
	if canon, ok = p.appendCanonical(dst, fields); !ok {
		return canon, Output{}, nil, false
	}
	if out, f, ok = m.mapRow(rec, doc); ok {
		return canon, out, f, true
	}
	out, f = m.MapValue(rec, doc.Value(), scope)
	return canon, out, f, true
}

// mapRow maps the fields of doc as the map path maps the object of them
// (Map and MapRow take it first); ok is false, with nothing mapped, when
// the step, the header or a field needs the map path.
func (m *Mapper) mapRow(rec decant.Record, doc decant.RowDocument) (Output, *Failure, bool) {
	if m.rows == nil || rec.Invalid != "" || rec.Key == "" {
		return Output{}, nil, false
	}
	p := m.rowPlanFor(doc.Columns())
	if p.fields == nil {
		return Output{}, nil, false
	}
	fields := doc.Fields()
	out, f, ok := m.mapFields(rec, p, fields)
	if !ok || f != nil || len(p.unread) == 0 {
		return out, f, ok
	}
	m.unm = m.unm[:0]
	for k, i := range p.unread {
		m.unmapped(m.spec.To.Table, p.paths[k], fields[i], nil)
	}
	if f := m.takeUnmapped(&out); f != nil {
		return Output{}, f, true
	}
	return out, nil, true
}

// mapFields maps the fields of a row whose header p is for, as MapValue
// maps the object of them; ok is false, with nothing mapped, when a field
// the map decodes is not an object or an array AppendCanonical writes.
// The values come from m's blocks.
func (m *Mapper) mapFields(rec decant.Record, p *rowPlan, fields []string) (Output, *Failure, bool) {
	vals := m.got[:0]
	defer func() { clear(vals); m.got = vals[:0] }()
	for i, at := range p.fields {
		s := fields[at]
		if !m.rows.decode[i] {
			vals = append(vals, m.vals.strOf(s))
			continue
		}
		// json_decode(field) into a JSON column: the document's
		// canonical JSON, which coercing its decoded object or array to
		// JSON writes (Coercion.convert). Another value (null, a string
		// a NullIf may name) or one decoding refuses takes the slow path.
		b, ok := m.canon.AppendCanonical(m.rowText[:0], unsafe.Slice(unsafe.StringData(s), len(s)))
		m.rowText = b
		if !ok || (b[0] != '{' && b[0] != '[') {
			return Output{}, nil, false
		}
		vals = append(vals, m.vals.json(b))
	}
	out, f := m.mapRead(rec, vals, &m.vals)
	return out, f, true
}

// strOf returns s in an interface made from vb's blocks: its text stays
// where it is, and its header goes in a block shared with other strings
// instead of an allocation of its own.
func (vb *valueBlocks) strOf(s string) any {
	if len(vb.strs) == cap(vb.strs) {
		vb.strs = make([]string, 0, valueBlockLen)
	}
	vb.strs = append(vb.strs, s) // within cap: the block does not move
	return pointTo(&vb.strs[len(vb.strs)-1], "")
}

// int returns n in an interface, made from vb's blocks unless the
// runtime boxes it without an allocation.
func (vb *valueBlocks) int(n int64) any {
	vb.docs.run = true
	if v, ok := vb.docs.boxInt(n); ok {
		return v
	}
	return n
}
