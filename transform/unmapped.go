package transform

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// UnmappedMode is what a step does with the fields of a record that reach
// no column: report them (warn, the default), make the record a record
// error (error), or neither (ignore).
type UnmappedMode string

// The unmapped modes a plan may choose.
const (
	UnmappedWarn   UnmappedMode = "warn"
	UnmappedIgnore UnmappedMode = "ignore"
	UnmappedError  UnmappedMode = "error"
)

// UnmappedModes lists the valid modes, for messages.
var UnmappedModes = []UnmappedMode{UnmappedWarn, UnmappedIgnore, UnmappedError}

// UnmappedField is a field of one record that reached no column of the
// table its row went to.
//
// Path names it as the plan would: record.a.b for a member of the record
// no expression reads, item.x for a member of a child item, fields.name for
// an entry of a step's (or child's) fields map that has no column of its
// snake_case name. Example is its value as JSON, cut to ExampleLimit bytes.
type UnmappedField struct {
	Table   string `json:"table"`
	Path    string `json:"path"`
	Example string `json:"example"`
}

// ExampleLimit is the most bytes of a value an UnmappedField keeps.
const ExampleLimit = 120

// unreadPlan is what a mapper's expressions read of a record and of each
// child's items (reads.go); nil when the step ignores unmapped fields.
type unreadPlan struct {
	record *cover
	// items holds each child's cover of item, in Spec.Children order.
	items []*cover
	// firsts holds record's cover of each of the fast plan's firsts.
	firsts []*cover
}

func newUnreadPlan(spec Spec) *unreadPlan {
	if spec.Unmapped == UnmappedIgnore {
		return nil
	}
	progs := []*Program{spec.To.By, spec.Fields}
	for _, l := range spec.Let {
		progs = append(progs, l.Prog)
	}
	for _, n := range spec.Map {
		progs = append(progs, n.Prog)
	}
	up := &unreadPlan{}
	for _, c := range spec.Children {
		cp := []*Program{c.From, c.To.By, c.Fields}
		for _, l := range c.Let {
			cp = append(cp, l.Prog)
		}
		for _, n := range c.Map {
			cp = append(cp, n.Prog)
		}
		progs = append(progs, cp...)
		up.items = append(up.items, coverOf("item", c.Let, cp...))
	}
	up.record = coverOf("record", spec.Let, progs...)
	// The ledger reads the record's key, and the source what it names.
	for _, p := range append([]string{spec.SourceKey}, spec.SourceReads...) {
		if p != "" {
			up.record.add(strings.Split(p, "."))
		}
	}
	return up
}

// SkipUnmapped makes the mapper stop looking for fields that reach no
// column, unless the step says unmapped: error, where they fail a record
// (and must in every command that maps, to agree with the run). Verify
// uses it: the report is the run's, and looking for them decodes records
// that Map otherwise reads from their JSON text. It changes this mapper
// and the clones made after it.
func (m *Mapper) SkipUnmapped() {
	if m.spec.Unmapped != UnmappedError {
		m.unread = nil
	}
}

// unmapped records that field path of table, with value v, reached no
// column. raw, when not nil, is v's canonical JSON text. A null or an
// empty string carries nothing that could be lost (a relational row's
// NULL column, a CSV row's empty field, a question left unanswered), so
// it is not a field that reached no column.
func (m *Mapper) unmapped(table, path string, v any, raw []byte) {
	if raw != nil {
		if string(raw) == "null" || string(raw) == `""` {
			return
		}
	} else if v == nil || v == "" {
		return
	}
	m.unm = append(m.unm, UnmappedField{Table: table, Path: path, Example: example(v, raw)})
}

// example is v as canonical JSON (raw, when not nil, is it already),
// cut to ExampleLimit bytes at a rune boundary.
func example(v any, raw []byte) string {
	if raw == nil {
		b, err := AppendJSON(nil, v)
		if err != nil {
			b = []byte(fmt.Sprint(v))
		}
		raw = b
	}
	if len(raw) <= ExampleLimit {
		return string(raw)
	}
	cut := ExampleLimit
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return string(raw[:cut]) + "…"
}

// unreadRecord reports the members of the decoded record value that the
// step's expressions do not read.
func (m *Mapper) unreadRecord(table string, value any) {
	if m.unread == nil {
		return
	}
	m.unread.record.unread("record", value, func(path string, v any) { m.unmapped(table, path, v, nil) })
}

// unreadText is unreadRecord for a record mapped from its JSON text,
// whose top-level members c.top lists (canonical text out, raw text raw),
// without decoding it:
// a member no expression reads is reported from its text, and one the
// expressions read only some of is decoded to find the rest.
func (m *Mapper) unreadText(c *Canonicalizer, raw, out []byte) {
	if m.unread == nil {
		return
	}
	table := m.spec.To.Table
	rc := m.unread.record
	if rc.whole {
		return
	}
	for k := range c.top {
		mb := &c.top[k]
		if mb.dropped { // a later member of its name follows: that one counts
			continue
		}
		name := c.memberName(out, mb)
		var kid *cover
		// Most members are the firsts of the map's chains, which
		// canonChains has just looked up: firstAt remembers them.
		if i := c.firstAt(m.fast, k, name); i >= 0 {
			kid = m.unread.firsts[i]
		} else if kid = rc.kids[string(name)]; kid == nil && len(rc.prefixes) > 0 { // a look-up that does not copy the name
			kid = rc.byPrefix(string(name))
		}
		switch {
		case kid == nil:
			m.unmapped(table, "record."+string(name), nil, out[mb.val:mb.end])
		case !kid.whole:
			v, err := DecodeJSON(raw[mb.rawVal:mb.rawEnd])
			if err == nil {
				kid.unread("record."+string(name), v, func(path string, v any) { m.unmapped(table, path, v, nil) })
			}
		}
	}
}

// takeUnmapped moves what the record reported into out, or fails the
// record when the step says unmapped: error.
func (m *Mapper) takeUnmapped(out *Output) *Failure {
	if len(m.unm) == 0 {
		return nil
	}
	defer func() { m.unm = m.unm[:0] }()
	// The decoded record's members come in no order; the report's does
	// not depend on the path that mapped the record.
	slices.SortFunc(m.unm, func(a, b UnmappedField) int {
		return cmp.Or(strings.Compare(a.Table, b.Table), strings.Compare(a.Path, b.Path))
	})
	// A field of several child items counts once for the record.
	m.unm = slices.CompactFunc(m.unm, func(a, b UnmappedField) bool { return a.Table == b.Table && a.Path == b.Path })
	if m.spec.Unmapped == UnmappedError {
		return unmappedFailure(m.unm)
	}
	out.Unmapped = slices.Clone(m.unm)
	return nil
}

func unmappedFailure(fields []UnmappedField) *Failure {
	var parts []string
	for _, f := range fields {
		parts = append(parts, fmt.Sprintf("%s (table %s, e.g. %s)", f.Path, f.Table, f.Example))
	}
	return &Failure{Message: "fields reach no column",
		Detail: strings.Join(parts, "; ") + ": the plan says unmapped: error; add a column for each (decant infer --from-db writes the migration), map it, leave it out of fields with without(...), or set unmapped: warn to write such records and count the fields"}
}
