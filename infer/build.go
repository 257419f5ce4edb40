package infer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/decanthq/decant/transform"
)

// field gathers what the samples of one table say about one field.
type field struct {
	name  string
	first string // the place it was first seen, for messages
	count int    // records carrying a value (not null, not "")
	t     Type
	// disagree lists each type the values had, where it was first seen
	// ("integer at a:1, decimal at a:3"), once the values disagree; seen
	// are those types, so that each is listed once (at most seven), however
	// many values follow.
	typePlace string
	disagree  string
	seen      []Type
	// layouts are the named layouts its dates need (RFC1123), and iso
	// says some of its dates or times are ones decant reads by default.
	layouts []string
	iso     bool
	sample  any
	// items are the objects of the field's arrays of objects; other says
	// (with otherPlace) that it also held something else, so that it
	// cannot be a child table.
	items []Sample
	// parents are, for each of items, the number of the record it is an
	// item of, to tell whether a key repeats within one record.
	parents    []int
	arrays     bool
	arrayPlace string
	other      bool
	otherPlace string
	emptyArray bool
}

// builder gathers the samples of one table.
type builder struct {
	table *Table
	// path prefixes the fields' paths: "" for a record, "items[]." for the
	// items of a record's array items.
	path string
	// nested says the records are items of a parent's array: their own
	// arrays of objects are JSON columns, not grandchildren, to keep the
	// plan flat (docs/infer.md).
	nested bool
	// flat says the records are a step's mapped rows (InferMapped): an
	// array of objects is a JSON value, since the plan's children, not
	// infer, make child tables; paths are where each column's value came
	// from, for its comment.
	flat    bool
	paths   map[string]string
	fields  map[string]*field
	widest  int
	widestP string
	// docs are the records, kept to size their rows (rowBytes).
	docs   []map[string]any
	places []string
}

func newBuilder(name, path string, top bool) *builder {
	return &builder{table: &Table{Name: name, Children: []*Table{}}, path: path, nested: !top, fields: map[string]*field{}}
}

// add takes one record (or item) of the table.
func (b *builder) add(doc map[string]any, place string) {
	b.table.Records++
	b.docs, b.places = append(b.docs, doc), append(b.places, place)
	if len(doc) > b.widest {
		b.widest, b.widestP = len(doc), place
	}
	for k, v := range doc {
		f := b.fields[k]
		if f == nil {
			f = &field{name: k, first: place}
			b.fields[k] = f
		}
		if v == nil || v == "" {
			continue
		}
		f.count++
		if a, ok := v.([]any); ok && len(a) == 0 {
			f.emptyArray = true
			continue
		}
		if objs, ok := objects(v); ok && !b.nested && !b.flat {
			if !f.arrays {
				f.arrays, f.arrayPlace = true, place
			}
			for i, o := range objs {
				f.items = append(f.items, Sample{Doc: o, Place: fmt.Sprintf("%s, %s[%d]", place, k, i)})
				f.parents = append(f.parents, b.table.Records)
			}
			continue
		}
		if !f.other {
			f.other, f.otherPlace = true, place
		}
		if f.sample == nil {
			f.sample = v
		}
		f.see(typeOf(v), place)
	}
}

// see widens f's type to hold one more value, remembering the first place
// of each type ("integer at a:1", "decimal at a:2") for the report, which
// names the field once.
func (f *field) see(ty typed, place string) {
	switch {
	case ty.layout != "":
		if !slices.Contains(f.layouts, ty.layout) {
			f.layouts = append(f.layouts, ty.layout)
		}
	case ty.t == Date || ty.t == Timestamp:
		f.iso = true
	}
	if f.t == "" {
		f.t, f.typePlace, f.seen = ty.t, place, []Type{ty.t}
		return
	}
	if slices.Contains(f.seen, ty.t) {
		return
	}
	if f.disagree == "" {
		f.disagree = fmt.Sprintf("%s at %s", f.t, f.typePlace)
	}
	f.seen = append(f.seen, ty.t)
	f.disagree += fmt.Sprintf(", %s at %s", ty.t, place)
	f.t = join(f.t, ty.t)
}

// objects returns v's objects when v is a non-empty array of objects only.
func objects(v any) ([]map[string]any, bool) {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return nil, false
	}
	out := make([]map[string]any, len(a))
	for i, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		out[i] = m
	}
	return out, true
}

// build makes the table. keyCol is the key column of a table of records;
// a table of items (nested) gets "", since child gives it its key columns.
func (b *builder) build(keyCol string, o Options, warn *[]string) (*Table, error) {
	t := b.table
	names := make([]string, 0, len(b.fields))
	for k := range b.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	byColumn := map[string]*field{}
	var cols []*Column
	var children []*field
	for _, k := range names {
		f := b.fields[k]
		col := transform.Snake(k)
		if !identifier.MatchString(col) {
			return nil, fmt.Errorf("%s: field %q (table %s) is not a valid SQL column name, even as snake_case %q (a name is lower-case letters, digits and _, not starting with a digit, at most 63 bytes): rename the field in the samples, or leave it out of them and map it by hand", f.first, b.path+k, t.Name, col)
		}
		if other := byColumn[col]; other != nil {
			return nil, fmt.Errorf("%s: fields %q and %q (table %s, %q first seen at %s) both become the column %q as snake_case, and decant's fields would fill it from either: rename one of them in the samples (or drop one) so each field has a column of its own", f.first, b.path+other.name, b.path+k, t.Name, other.name, other.first, col)
		}
		byColumn[col] = f
		if f.arrays && !f.other {
			children = append(children, f)
			continue
		}
		cols = append(cols, b.column(f, col, warn))
	}
	if !b.nested {
		k := t.columnIn(cols, keyCol)
		k.Nullable = false
		t.Key = []string{keyCol}
		t.Columns = append([]*Column{k}, without(cols, k)...)
		if err := b.limit(o, warn); err != nil {
			return nil, err
		}
	} else {
		t.Columns = cols
	}
	// Children come after the columns, since they take the type of the
	// parent's key column.
	for _, f := range children {
		child, err := b.child(f, transform.Snake(f.name), keyCol, o, warn)
		if err != nil {
			return nil, err
		}
		t.Children = append(t.Children, child)
	}
	return t, nil
}

// column makes f's column, settling what its samples left open.
func (b *builder) column(f *field, col string, warn *[]string) *Column {
	t := b.table
	path := b.path + f.name
	if p := b.paths[f.name]; p != "" {
		path = p
	}
	c := &Column{Name: col, Path: path, Field: f.name, Type: f.t, Nullable: f.count < t.Records, Sample: sampleText(f.sample)}
	if f.arrays {
		// Arrays of objects beside other values: one JSON column keeps
		// them all, where a child table could not.
		c.Type = join(c.Type, JSONType)
		*warn = append(*warn, fmt.Sprintf("table %s: field %q holds arrays of objects (%s) and other values (%s): it is a %s column, not a child table", t.Name, c.Path, f.arrayPlace, f.otherPlace, c.Type))
	}
	if f.emptyArray {
		c.Type = join(c.Type, JSONType)
	}
	switch {
	case f.disagree != "":
		*warn = append(*warn, fmt.Sprintf("table %s: samples disagree on field %q (%s): the column %s is %s", t.Name, c.Path, f.disagree, col, c.Type))
	case c.Type == "":
		c.Type = Text
		*warn = append(*warn, fmt.Sprintf("table %s: field %q is null or empty in every sample: the column %s is text", t.Name, c.Path, col))
	}
	if len(f.layouts) > 0 && (c.Type == Date || c.Type == Timestamp) {
		c.Layouts = append([]string(nil), f.layouts...)
		if f.iso {
			// The layouts replace decant's defaults, which the other
			// values need.
			c.Layouts = append(c.Layouts, ISO8601)
		}
	}
	return c
}

// child builds the child table of f's arrays of objects. Its rows carry
// the parent's key in parentCol; an item's own key is the field of the
// record key's name when every item has it, else its position in the
// array.
func (b *builder) child(f *field, col, keyCol string, o Options, warn *[]string) (*Table, error) {
	t := b.table
	name := t.Name + "_" + col
	if !identifier.MatchString(name) {
		return nil, fmt.Errorf("%s: field %q of table %s would make the child table %q, longer than the 63 bytes PostgreSQL keeps of a name: rename the field in the samples", f.first, f.name, t.Name, name)
	}
	cb := newBuilder(name, b.path+f.name+"[].", false)
	for _, it := range f.items {
		cb.add(it.Doc, it.Place)
	}
	parentCol := t.Name + "_" + keyCol
	if !identifier.MatchString(parentCol) {
		return nil, fmt.Errorf("%s: the child table %s of field %q would name its parent's key %q, longer than the 63 bytes PostgreSQL keeps of a name: give the table a shorter name (--table, or the route value)", f.first, name, f.name, parentCol)
	}
	parentKey := t.columnIn(nil, keyCol)
	ct, err := cb.build("", o, warn)
	if err != nil {
		return nil, err
	}
	ct.Field, ct.ParentKey = f.name, parentCol
	pk := &Column{Name: parentCol, Type: Text, Sample: ""}
	if parentKey != nil {
		pk.Type, pk.Sample = parentKey.Type, parentKey.Sample
	}
	own := transform.Snake(o.Key)
	var itemKey *Column
	if keyField := cb.fields[o.Key]; keyField != nil && keyField.count == ct.Records && !keyField.arrays && keyField.t != JSONType {
		if place := repeatedKey(f, o.Key); place != "" {
			*warn = append(*warn, fmt.Sprintf("table %s: field %q of the items of %q repeats within one record (%s): the items' key is their position", name, o.Key, f.name, place))
		} else {
			itemKey = ct.Column(own)
		}
	}
	if itemKey == nil {
		ct.Position = true
		itemKey = &Column{Name: "position", Type: Integer, Sample: "1"}
	}
	itemKey.Nullable = false
	for _, c := range ct.Columns {
		if c != itemKey && (c.Name == parentCol || c.Name == itemKey.Name) {
			return nil, fmt.Errorf("%s: field %q of the items of %q is the column %q, which child table %s needs for its parent's key or its items' position: rename the field in the samples", f.first, c.Field, f.name, c.Name, name)
		}
	}
	ct.Key = []string{parentCol, itemKey.Name}
	ct.Columns = append([]*Column{pk, itemKey}, without(ct.Columns, itemKey)...)
	if err := cb.limit(o, warn); err != nil {
		return nil, err
	}
	return ct, nil
}

// repeatedKey is the place of the first item of f whose field key has the
// value of an earlier item of the same record ("" when none does): as the
// child's key beside the parent's, it would make the two items one row.
// Values are compared as text, as a text key column would hold them.
func repeatedKey(f *field, key string) string {
	seen := map[string]bool{}
	for i, it := range f.items {
		if i > 0 && f.parents[i] != f.parents[i-1] {
			clear(seen)
		}
		v := scalarText(it.Doc[key])
		if seen[v] {
			return it.Place
		}
		seen[v] = true
	}
	return ""
}

// columnIn finds name among cols, else among t's columns.
func (t *Table) columnIn(cols []*Column, name string) *Column {
	for _, c := range cols {
		if c.Name == name {
			return c
		}
	}
	return t.Column(name)
}

func without(cols []*Column, drop *Column) []*Column {
	out := make([]*Column, 0, len(cols))
	for _, c := range cols {
		if c != drop {
			out = append(out, c)
		}
	}
	return out
}

// limit holds the table to the dialect's most columns, and on PostgreSQL
// its samples' rows to the 8 KB page a row must fit in: past either,
// infer refuses (or for the row, warns), or with Options.Spill keeps the
// key and the most answered fields as columns (ties by name), as many as
// both limits allow, and gathers the others into one JSON column, so that
// the rarely answered ones are the ones a query must dig for.
func (b *builder) limit(o Options, warn *[]string) error {
	t, most := b.table, o.Dialect.maxColumns()
	overColumns := len(t.Columns) > most
	size, at := b.widestRow(o.Dialect, t.Columns)
	overRow := size > maxRowBytes
	if !overColumns && !overRow {
		return nil
	}
	if o.Spill == "" {
		if overColumns {
			return fmt.Errorf("%s: table %s would have %d columns (this record alone has %d fields), and %s allows at most %d in a table: route the samples to several tables (--route), gather the rest into one JSON column (--spill COLUMN), or group rarely answered fields into one object in the source", b.widestP, t.Name, len(t.Columns), b.widest, o.Dialect.title(), most)
		}
		*warn = append(*warn, fmt.Sprintf("table %s: the row of %s would take about %d bytes, and PostgreSQL keeps a row in one 8 KB page (%d bytes): such records fail (row is too big). Give --spill COLUMN to keep only the columns that fit, or route the samples to narrower tables", t.Name, at, size, maxRowBytes))
		return nil
	}
	keys := t.Columns[:len(t.Key)]
	rest := append([]*Column(nil), t.Columns[len(t.Key):]...)
	count := func(c *Column) int { return b.fields[c.Field].count }
	sort.SliceStable(rest, func(i, j int) bool {
		if count(rest[i]) != count(rest[j]) {
			return count(rest[i]) > count(rest[j])
		}
		return rest[i].Name < rest[j].Name
	})
	// Spilled columns count too: a spilled field of the spill column's
	// name would be filled from the record beside the spill object.
	for _, c := range t.Columns {
		switch {
		case c.Name != o.Spill:
		case c.Field == "":
			return fmt.Errorf("--spill %s: table %s has that column already, for its parent's key or its items' position: name another spill column", o.Spill, t.Name)
		default:
			return fmt.Errorf("%s: --spill %s: the field %q of table %s has that column already: name another spill column", b.fields[c.Field].first, o.Spill, c.Path, t.Name)
		}
	}
	sp := &Column{Name: o.Spill, Type: JSONType, Nullable: true}
	keep := min(most-len(keys)-1, b.fitting(o.Dialect, append(append([]*Column(nil), keys...), sp), rest))
	kept, spilled := rest[:keep], rest[keep:]
	for _, c := range spilled {
		sp.Spilled = append(sp.Spilled, c.Field)
	}
	sort.Strings(sp.Spilled)
	// The plan fills the spill column with the record less the fields that
	// have a place of their own: a field no sample had lands there too.
	for _, c := range append(append([]*Column(nil), keys...), kept...) {
		if c.Field != "" {
			sp.placed = append(sp.placed, c.Field)
		}
	}
	for name, f := range b.fields {
		if f.arrays && !f.other {
			sp.placed = append(sp.placed, name)
		}
	}
	sort.Strings(sp.placed)
	sp.Sample = fmt.Sprintf("%d fields", len(sp.Spilled))
	kept = append(kept, sp)
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Name < kept[j].Name })
	t.Columns = append(append([]*Column(nil), keys...), kept...)
	past := fmt.Sprintf("past %s's %d", o.Dialect.title(), most)
	if !overColumns {
		past = fmt.Sprintf("whose rows (%s: about %d bytes) PostgreSQL cannot keep in its 8 KB page", at, size)
	} else if keep < most-len(keys)-1 {
		past += ", and PostgreSQL keeps a row in one 8 KB page, so fewer keep columns, for every sample's row to fit"
	}
	*warn = append(*warn, fmt.Sprintf("table %s: %d fields would make %d columns, %s: the %d least answered (%s) go into the JSON column %s", t.Name, len(rest), len(keys)+len(rest), past, len(spilled), abbreviate(sp.Spilled, 5), o.Spill))
	return nil
}

// maxRowBytes is the most a PostgreSQL row may take: what is left of its
// 8 KB page (8,192 bytes) after the page's own header and item pointer.
const maxRowBytes = 8160

// widestRow is the size of the largest row of cols that the samples
// would make, and where that sample is; 0 for SQLite, whose rows span
// pages.
func (b *builder) widestRow(d Dialect, cols []*Column) (int, string) {
	if d != Postgres {
		return 0, ""
	}
	most, at := 0, ""
	for i, doc := range b.docs {
		if n := rowBytes(cols, doc); n > most {
			most, at = n, b.places[i]
		}
	}
	return most, at
}

// fitting is how many of rest (in order) fit beside base in every
// sample's PostgreSQL row; len(rest) for SQLite.
func (b *builder) fitting(d Dialect, base, rest []*Column) int {
	if d != Postgres {
		return len(rest)
	}
	sizes := make([]int, len(b.docs))
	for i, doc := range b.docs {
		sizes[i] = rowBytes(base, doc) + (len(base)+len(rest)+7)/8
	}
	for n, c := range rest {
		for i, doc := range b.docs {
			if sizes[i] += valueBytes(c, doc); sizes[i] > maxRowBytes {
				return n
			}
		}
	}
	return len(rest)
}

// rowBytes estimates, from above, the size of the PostgreSQL row of cols
// that doc makes: the 24-byte row header, the null bitmap, and each value.
func rowBytes(cols []*Column, doc map[string]any) int {
	n := 24 + (len(cols)+7)/8
	for _, c := range cols {
		n += valueBytes(c, doc)
	}
	return n
}

// valueBytes estimates, from above, what c's value of doc takes in a
// PostgreSQL row, alignment padding included. A long text or JSON value
// is moved out of the row (TOAST), leaving an 18-byte pointer; NULL takes
// only its bit. Generated columns (a parent's key, position) and the spill
// column count as one such pointer.
func valueBytes(c *Column, doc map[string]any) int {
	if c.Field == "" || len(c.Spilled) > 0 {
		return 18
	}
	v := doc[c.Field]
	if v == nil || v == "" {
		return 0
	}
	switch c.Type {
	case Boolean:
		return 1
	case Date:
		return 4 + 3
	case Integer, Timestamp:
		return 8 + 7
	}
	n := len(scalarText(v))
	if c.Type == JSONType {
		// jsonb's headers and entries can make a small value twice its
		// text.
		n = 2*n + 8
	}
	if n < 127 {
		return 1 + n
	}
	return 18
}

// abbreviate lists the first n names, and how many more there are.
func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
