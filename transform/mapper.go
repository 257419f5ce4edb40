package transform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/decanthq/decant"
)

// Named is a named compiled expression: a `let` variable or a mapped column.
type Named struct {
	Name string
	Prog *Program
}

// Route says which table a record (or child item) goes to: a fixed Table, or
// the value of By looked up in Tables (aliases included).
type Route struct {
	Table string
	By    *Program
	// Tables maps each accepted value (every table name and its aliases) to
	// its table.
	Tables map[string]string
	// Label names the routed value in errors: "unknown <Label>: X".
	Label string
}

// All returns every table the route can write to, sorted.
func (r Route) All() []string {
	if r.By == nil {
		return []string{r.Table}
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range r.Tables {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// Spec is the compiled mapping of one step.
type Spec struct {
	Step string
	// Key lists the upsert key columns of the step's tables.
	Key []string
	To  Route
	Let []Named
	Map []Named
	// Fields, when set, yields a map whose entries are mapped to the columns
	// named by their snake_case keys (when the table has such a column and
	// Map does not set it already).
	Fields *Program
	// Columns holds explicit coercions by column name.
	Columns map[string]Coercion
	// Default supplies NullIf and Zone to columns without an explicit coercion.
	Default  Coercion
	Children []ChildSpec
	// SourceKey is the path of the record key in a source record (the
	// step's from.key), where a deleted record's key is put to map it.
	SourceKey string
	// OnDelete is what the step does with records its source reports
	// deleted.
	OnDelete OnDelete
	// Unmapped is what the step does with a record's fields that reach no
	// column (unmapped.go); "" is UnmappedWarn.
	Unmapped UnmappedMode
	// SourceReads are the paths of record members the source itself
	// reads (its cursor, its metadata): not fields that reach no column.
	SourceReads []string
}

// ChildSpec maps the items of a nested array to rows of a child table.
type ChildSpec struct {
	Name string
	// From yields the list of items.
	From *Program
	To   Route
	// ParentKey is the child column that receives the parent row's first key
	// column value; a parent's child rows are replaced as a whole.
	ParentKey string
	Let       []Named
	Map       []Named
	Fields    *Program
	Columns   map[string]Coercion
}

// Failure is why a record could not be mapped: a short message for people
// and the full detail.
type Failure struct {
	Message string `json:"message"`
	Detail  string `json:"detail"`
}

func (f *Failure) Error() string { return f.Message + ": " + f.Detail }

// Row is one target row produced from a record.
type Row struct {
	Table string
	Cols  []string
	Vals  []any
	// ReplaceBy is set on child rows: the parent key column.
	ReplaceBy string
}

// Output is what one record maps to.
type Output struct {
	Rows []Row
	// ParentKey is the value of the record's first key column; child tables
	// are replaced for it.
	ParentKey any
	// Unmapped lists the record's fields that reached no column, unless
	// the step ignores them; nil when there are none.
	Unmapped []UnmappedField
}

// ChildTable is a (table, parent key column) pair the mapper may write.
type ChildTable struct {
	Table     string
	ParentKey string
}

// StepVars are the variables every step expression can use.
var StepVars = []string{"record", "key", "scope", "step", "table"}

// ChildVars are the extra variables of child expressions.
var ChildVars = []string{"item", "index", "parent"}

// Mapper maps records of one step. It is not safe for concurrent use; make
// one per goroutine with Clone.
type Mapper struct {
	spec   Spec
	tables map[string]tableInfo
	env    *Env
	// keys is how MapKey finds the key columns.
	keys *keyPlan
	// fast is how Map reads the map's entries from the JSON text when
	// they are all member chains of the record (mapfast.go).
	fast *keyPlan
	// deleted is how MapDeleted finds a deleted record's key columns.
	deleted *deletedKey
	// mapCoerc holds, per table the step's rows go to, the coercion of
	// each entry of its map, in order: what row would look up by column
	// name for each, once per record.
	mapCoerc map[string][]Coercion
	// mapNames are the names of the map's entries, in order: the
	// columns of a row before fields adds its own.
	mapNames []string
	// boxes holds the step's name, the last scope and the last table as
	// the interfaces the environment keeps, made once instead of once a
	// record each: they are the same for nearly every record.
	boxes boxedNames
	// vals are the blocks Map's values come from, and got and chains its
	// scratch slices (readMapChains): a clone has its own.
	vals        valueBlocks
	got, chains []any
	// unread is what the expressions read of a record, to report the
	// rest; nil when the step ignores unmapped fields. unm gathers one
	// record's report.
	unread *unreadPlan
	unm    []UnmappedField
	// rows is how MapRow reads the map's entries from a row's fields,
	// nil when it cannot; rowPlan is rows (and the row's canonical
	// order) for the header of the last row, rowText MapRow's scratch
	// text and canon the Canonicalizer of its JSON fields (mapcsv.go). A
	// clone has its own, but for rows.
	rows    *rowSpec
	rowPlan *rowPlan
	rowText []byte
	canon   Canonicalizer
}

// boxedNames keeps strings already converted to interfaces, so that
// setting a variable to the same text again does not allocate.
type boxedNames struct {
	step         any
	scope, table string
	scopeV       any
	tableV       any
}

// box returns text as an interface, the one kept in *v when *last is the
// same text, else a new one, which it keeps.
func box(text string, last *string, v *any) any {
	if *v == nil || *last != text {
		*last, *v = text, text
	}
	return *v
}

type tableInfo struct {
	cols  map[string]decant.Column
	coerc map[string]Coercion
}

// NewMapper checks spec against the target tables (name -> columns) and
// returns a mapper, or an error listing every problem found.
func NewMapper(spec Spec, tables map[string][]decant.Column) (*Mapper, error) {
	if probs := Check(spec, tables); len(probs) > 0 {
		return nil, fmt.Errorf("step %s: %s", spec.Step, strings.Join(probs, "; "))
	}
	m := &Mapper{spec: spec, tables: map[string]tableInfo{}, env: NewEnv(), keys: newKeyPlan(spec), fast: newMapPlan(spec), deleted: newDeletedKey(spec),
		unread: newUnreadPlan(spec)}
	m.boxes.step = spec.Step
	for _, t := range spec.To.All() {
		m.tables[t] = buildTableInfo(tables[t], spec.Default, spec.Columns)
	}
	for _, c := range spec.Children {
		for _, t := range c.To.All() {
			m.tables[t] = buildTableInfo(tables[t], spec.Default, c.Columns)
		}
	}
	m.mapCoerc = map[string][]Coercion{}
	m.mapNames = make([]string, 0, len(spec.Map)) // a row without columns has them empty, not nil
	for _, c := range spec.Map {
		m.mapNames = append(m.mapNames, c.Name)
	}
	for _, t := range spec.To.All() {
		for _, c := range spec.Map {
			m.mapCoerc[t] = append(m.mapCoerc[t], m.tables[t].coerc[c.Name])
		}
	}
	m.fast.canonJSON = canonJSONFirsts(m.fast, m.mapCoerc[spec.To.Table])
	if m.unread != nil {
		for _, f := range m.fast.firsts {
			m.unread.firsts = append(m.unread.firsts, m.unread.record.kid(f))
		}
	}
	m.rows = newRowSpec(spec, m.mapCoerc[spec.To.Table])
	return m, nil
}

// Clone returns a mapper with the same spec and its own expression
// environment, so that clones can map records concurrently. Custom
// functions are then called from several goroutines at once.
func (m *Mapper) Clone() *Mapper {
	return &Mapper{spec: m.spec, tables: m.tables, env: NewEnv(), keys: m.keys, fast: m.fast, deleted: m.deleted,
		mapCoerc: m.mapCoerc, mapNames: m.mapNames, boxes: boxedNames{step: m.spec.Step}, unread: m.unread, rows: m.rows}
}

func buildTableInfo(cols []decant.Column, def Coercion, explicit map[string]Coercion) tableInfo {
	ti := tableInfo{cols: map[string]decant.Column{}, coerc: map[string]Coercion{}}
	for _, c := range cols {
		ti.cols[c.Name] = c
		co := def
		co.Kind = c.Kind
		ti.coerc[c.Name] = co
	}
	for name, co := range explicit {
		if co.Zone == nil {
			co.Zone = def.Zone
		}
		if co.NullIf == nil {
			co.NullIf = def.NullIf
		}
		if co.Kind == "" {
			co.Kind = ti.coerc[name].Kind
		}
		ti.coerc[name] = co
	}
	return ti
}

// Tables returns every parent table the step writes, sorted.
func (m *Mapper) Tables() []string { return m.spec.To.All() }

// ChildTables returns every child table the step writes.
func (m *Mapper) ChildTables() []ChildTable {
	var out []ChildTable
	for _, c := range m.spec.Children {
		for _, t := range c.To.All() {
			out = append(out, ChildTable{Table: t, ParentKey: c.ParentKey})
		}
	}
	return out
}

// Map maps one record: its Doc when the source decoded it, else its Raw
// decoded as JSON. scope is the run's scope.
func (m *Mapper) Map(rec decant.Record, scope string) (Output, *Failure) {
	if rec.Invalid != "" {
		return Output{}, invalidFailure(rec)
	}
	if doc, ok := rec.Doc.(decant.RowDocument); ok {
		if out, f, ok := m.mapRow(rec, doc); ok {
			return out, f
		}
	}
	if m.fast.fast && rec.Doc == nil && rec.Key != "" {
		if vals, ok := m.readTopChains(rec.Raw, m.fast); ok {
			out, f := m.mapRead(rec, vals, &m.vals)
			clear(vals) // the record's values are the output's now
			if f != nil || m.unread == nil {
				return out, f
			}
			// Rare outside a migration, which maps with MapCanonical:
			// a preview's or a patch's few records are decoded again.
			m.unm = m.unm[:0]
			if v, err := RecordValue(rec); err == nil {
				m.unreadRecord(m.spec.To.Table, v)
			}
			if f := m.takeUnmapped(&out); f != nil {
				return Output{}, f
			}
			return out, nil
		}
	}
	return m.mapDecoded(rec, scope)
}

// ReadsJSONText says whether Map reads rec's columns from its JSON text
// rather than decoding it into maps (it still decodes it when the text is
// unusual): a caller that wants the record's value for something else
// (its source hash) may then do without it too (AppendCanonical).
func (m *Mapper) ReadsJSONText(rec decant.Record) bool {
	return m.fast.fast && rec.Doc == nil && rec.Key != "" && rec.Invalid == ""
}

// mapDecoded is Map by decoding the whole record.
func (m *Mapper) mapDecoded(rec decant.Record, scope string) (Output, *Failure) {
	value, err := RecordValue(rec)
	if err != nil {
		return Output{}, decodeFailure(rec.Where, err)
	}
	return m.MapValue(rec, value, scope)
}

// begin sets the record's variables, evaluates the lets and picks the
// table the record's row goes to: what every column may use.
func (m *Mapper) begin(rec decant.Record, value any, scope string) (string, *Failure) {
	if rec.Key == "" {
		return "", &Failure{"record has no key", fmt.Sprintf("%s: the key is missing or empty", rec.Where)}
	}
	e := m.env
	e.Set("record", value)
	e.Set("key", rec.Key)
	e.Set("scope", box(scope, &m.boxes.scope, &m.boxes.scopeV))
	e.Set("step", m.boxes.step)
	e.Set("table", nil)
	if f := m.evalLets(m.spec.Let); f != nil {
		return "", f
	}
	table, f := m.route(m.spec.To)
	if f != nil {
		return "", f
	}
	e.Set("table", box(table, &m.boxes.table, &m.boxes.tableV))
	return table, nil
}

// MapValue is Map for a record whose value the caller already has from
// RecordValue, so a caller that also needs the value (to hash it) decodes
// it once.
func (m *Mapper) MapValue(rec decant.Record, value any, scope string) (Output, *Failure) {
	if rec.Invalid != "" {
		return Output{}, invalidFailure(rec)
	}
	m.unm = m.unm[:0]
	table, f := m.begin(rec, value, scope)
	if f != nil {
		return Output{}, f
	}
	m.unreadRecord(table, value)
	row, f := m.row(table, m.spec.Map, m.mapCoerc[table], m.spec.Fields)
	if f != nil {
		return Output{}, f
	}
	m.unmark(&row)
	out := Output{Rows: []Row{row}}
	for i, k := range m.spec.Key {
		v := valueOf(row, k)
		if v == nil {
			return Output{}, &Failure{"key column " + k + " is empty", fmt.Sprintf("%s: table %s: key column %s mapped to null", rec.Where, table, k)}
		}
		if i == 0 {
			out.ParentKey = v
		}
	}
	for i, c := range m.spec.Children {
		rows, f := m.children(i, c, row, out.ParentKey)
		if f != nil {
			return Output{}, f
		}
		out.Rows = append(out.Rows, rows...)
	}
	if f := m.takeUnmapped(&out); f != nil {
		return Output{}, f
	}
	return out, nil
}

func valueOf(r Row, col string) any {
	for i, c := range r.Cols {
		if c == col {
			return r.Vals[i]
		}
	}
	return nil
}

func (m *Mapper) evalLets(lets []Named) *Failure { return evalLets(m.env, lets) }

// evalLets evaluates lets in order in e, each setting its variable for
// the ones after it (Map's and Evaluate's).
func evalLets(e *Env, lets []Named) *Failure {
	for _, l := range lets {
		v, err := e.Eval(l.Prog)
		if err != nil {
			return evalFailure("cannot compute "+l.Name, fmt.Sprintf("let %s = %s", l.Name, l.Prog.Source), err)
		}
		e.Set(l.Name, v)
	}
	return nil
}

// evalFields evaluates a fields expression in e: a map, or nil.
func evalFields(e *Env, fields *Program) (map[string]any, *Failure) {
	v, err := e.Eval(fields)
	if err != nil {
		return nil, evalFailure("cannot compute fields", "fields "+fields.Source, err)
	}
	fm, ok := v.(map[string]any)
	if !ok && v != nil {
		return nil, &Failure{"cannot compute fields", fmt.Sprintf("fields %s gave %T, want a map", fields.Source, v)}
	}
	return fm, nil
}

// evalItems evaluates the from of children entry c in e: its items.
func evalItems(e *Env, c ChildSpec) ([]any, *Failure) {
	v, err := e.Eval(c.From)
	if err != nil {
		return nil, evalFailure("cannot compute children "+c.Name, fmt.Sprintf("children %s from %s", c.Name, c.From.Source), err)
	}
	items, ok := v.([]any)
	if !ok && v != nil {
		return nil, &Failure{"cannot compute children " + c.Name, fmt.Sprintf("children %s from %s gave %T, want a list", c.Name, c.From.Source, v)}
	}
	return items, nil
}

func (m *Mapper) route(r Route) (string, *Failure) {
	if r.By == nil {
		return r.Table, nil
	}
	v, err := m.env.Eval(r.By)
	if err != nil {
		return "", evalFailure("cannot compute the route", "route "+r.By.Source, err)
	}
	if v == nil {
		return "", &Failure{fmt.Sprintf("unknown %s: (missing)", r.Label),
			fmt.Sprintf("route %s gave null; want one of: %s", r.By.Source, strings.Join(sortedKeys(r.Tables), ", "))}
	}
	s, _ := toText(v)
	name, _ := s.(string)
	if t, ok := r.Tables[name]; ok {
		return t, nil
	}
	return "", &Failure{fmt.Sprintf("unknown %s: %s", r.Label, name),
		fmt.Sprintf("route %s gave %q, which is none of: %s", r.By.Source, name, strings.Join(sortedKeys(r.Tables), ", "))}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// row evaluates the explicit columns, then the fields map, and coerces each
// value to its column. coercs, when not nil, holds the coercion of each of
// cols, else they are looked up by name.
func (m *Mapper) row(table string, cols []Named, coercs []Coercion, fields *Program) (Row, *Failure) {
	ti := m.tables[table]
	r := Row{Table: table, Vals: make([]any, 0, len(cols))}
	if coercs != nil {
		// The columns are the map's names, shared by every row and
		// capped, so that an append (fields, a child's parent key) copies
		// them.
		r.Cols = m.mapNames[:0:0]
	} else {
		r.Cols = make([]string, 0, len(cols))
	}
	for i, c := range cols {
		v, err := m.env.Eval(c.Prog)
		if err != nil {
			return Row{}, evalFailure("cannot compute column "+c.Name, fmt.Sprintf("table %s, column %s = %s", table, c.Name, c.Prog.Source), err)
		}
		if coercs != nil {
			cv, f := coerce(table, &coercs[i], c.Name, v)
			if f != nil {
				return Row{}, f
			}
			r.Vals = append(r.Vals, cv)
			r.Cols = m.mapNames[: i+1 : i+1]
			continue
		}
		co := ti.coerc[c.Name]
		if f := m.add(&r, &co, c.Name, v); f != nil {
			return Row{}, f
		}
	}
	if fields == nil {
		return r, nil
	}
	fm, f := evalFields(m.env, fields)
	if f != nil {
		return Row{}, f
	}
	fromMap := len(r.Cols)
	for _, name := range sortedAnyKeys(fm) {
		col := Snake(name)
		if _, exists := ti.cols[col]; !exists {
			if m.unread != nil {
				m.unmapped(table, "fields."+name, fm[name], nil)
			}
			continue
		}
		if i := slices.Index(r.Cols, col); i >= 0 {
			// map sets the column, or an entry before this one of the
			// same snake_case name (ttDose, tt_dose) did: this one's
			// value reaches no column.
			if i >= fromMap && m.unread != nil {
				m.unmapped(table, "fields."+name, fm[name], nil)
			}
			continue
		}
		co := ti.coerc[col]
		if f := m.add(&r, &co, col, fm[name]); f != nil {
			return Row{}, f
		}
	}
	return r, nil
}

func (m *Mapper) add(r *Row, co *Coercion, col string, v any) *Failure {
	cv, f := coerce(r.Table, co, col, v)
	if f != nil {
		return f
	}
	r.Cols = append(r.Cols, col)
	r.Vals = append(r.Vals, cv)
	return nil
}

// coerce converts v to column col of table with co.
func coerce(table string, co *Coercion, col string, v any) (any, *Failure) {
	cv, err := co.Apply(col, v)
	if err != nil {
		return nil, &Failure{"invalid value for " + col, fmt.Sprintf("table %s: %v", table, err)}
	}
	return cv, nil
}

func containsCol(cols []string, c string) bool {
	for _, x := range cols {
		if x == c {
			return true
		}
	}
	return false
}

func sortedAnyKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (m *Mapper) children(ci int, c ChildSpec, parent Row, parentKey any) ([]Row, *Failure) {
	items, f := evalItems(m.env, c)
	if f != nil {
		return nil, f
	}
	parentMap := map[string]any{}
	for i, col := range parent.Cols {
		parentMap[col] = parent.Vals[i]
	}
	m.env.Set("parent", parentMap)
	var rows []Row
	for i, item := range items {
		m.env.Set("item", item)
		m.env.Set("index", int64(i))
		if f := m.evalLets(c.Let); f != nil {
			return nil, f
		}
		table, f := m.route(c.To)
		if f != nil {
			return nil, f
		}
		if m.unread != nil {
			m.unread.items[ci].unread("item", item, func(path string, v any) { m.unmapped(table, path, v, nil) })
		}
		r, f := m.row(table, c.Map, nil, c.Fields)
		if f != nil {
			return nil, &Failure{f.Message, fmt.Sprintf("children %s item %d: %s", c.Name, i, f.Detail)}
		}
		setCol(&r, c.ParentKey, parentKey)
		r.ReplaceBy = c.ParentKey
		rows = append(rows, r)
	}
	return rows, nil
}

// setCol sets col to v, replacing a value the mapping produced for it: the
// parent key of a child row always comes from the parent.
func setCol(r *Row, col string, v any) {
	for i, c := range r.Cols {
		if c == col {
			r.Vals[i] = v
			return
		}
	}
	r.Cols = append(r.Cols, col)
	r.Vals = append(r.Vals, v)
}
