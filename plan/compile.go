package plan

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// compiler validates a decoded plan and compiles its expressions, reporting
// the first problem with its position.
type compiler struct {
	p       *Plan
	funcs   *transform.Funcs
	sources SourceKinds
	zone    *time.Location
}

func (c *compiler) at(path string) (int, int) { return c.p.at(path) }

// at returns the position of the node at a YAML path such as
// $.steps[0].from, walking up to the nearest existing parent.
func (p *Plan) at(path string) (int, int) {
	for path != "" && path != "$" {
		if yp, err := yaml.PathString(path); err == nil {
			if n, err := yp.FilterFile(p.file); err == nil && n != nil {
				pos := n.GetToken().Position
				if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 {
					pos = m.Values[0].Key.GetToken().Position
				}
				return pos.Line, pos.Column
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 1, 1
}

// entryAt is the position of the "-" of item i of the list at path.
func (c *compiler) entryAt(path string, i int) (int, int) {
	if seq, ok := c.node(path).(*ast.SequenceNode); ok && i < len(seq.Entries) && seq.Entries[i].Start != nil {
		p := seq.Entries[i].Start.Position
		return p.Line, p.Column
	}
	return c.at(fmt.Sprintf("%s[%d]", path, i))
}

// node returns the node at a YAML path such as $.steps[0].batch_size, nil
// when the plan does not set it.
func (c *compiler) node(path string) ast.Node {
	yp, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err := yp.FilterFile(c.p.file)
	if err != nil {
		return nil
	}
	return n
}

// count checks that the value at path, if the plan sets it, is written as
// a whole number of at least 1 in plain decimal digits. The YAML decoder
// alone would truncate 2.5 to 2, read 0x10 and 1e3 as numbers and 010 as
// octal, and a 0 would silently mean the default.
func (c *compiler) count(path, name string) error {
	n := c.node(path)
	var text string
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.StringNode:
		text = v.Value // after ${VAR} expansion
	default:
		text = n.GetToken().Value
	}
	t := strings.TrimSpace(text)
	if t == "" || t[0] == '0' || strings.Trim(t, "0123456789") != "" {
		return c.errf(path, "%s must be a whole number of at least 1, not %s", name, text)
	}
	return nil
}

func (c *compiler) errf(path, format string, args ...any) error {
	line, col := c.at(path)
	return c.p.errAt(line, col, fmt.Sprintf(format, args...))
}

func (c *compiler) run() error {
	p := c.p
	if p.Version == 0 {
		p.Version = 1
	}
	if p.Version != 1 {
		return c.errf("$.version", "unknown plan version %d (this decant reads version 1)", p.Version)
	}
	if p.Target == "" {
		p.Target = "target"
	}
	if err := c.count("$.batch_size", "batch_size"); err != nil {
		return err
	}
	if p.BatchSize == 0 {
		p.BatchSize = 1000
	}
	if p.Timezone == "" {
		p.Timezone = "UTC"
	}
	zone, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return c.errf("$.timezone", "unknown time zone %q", p.Timezone)
	}
	c.zone = zone
	if err := c.layouts("$.layouts", p.Layouts); err != nil {
		return err
	}
	if err := c.xmlNamespaces(); err != nil {
		return err
	}
	if err := c.unmappedMode("$.unmapped", p.Unmapped); err != nil {
		return err
	}
	if err := c.connections(); err != nil {
		return err
	}
	if err := c.liveAndHooks(); err != nil {
		return err
	}
	if len(p.Steps) == 0 {
		return c.errf("$.steps", "the plan has no steps")
	}
	seen := map[string]bool{}
	folded := map[string]string{} // a staged plan's step names, in lower case
	for i, s := range p.Steps {
		path := fmt.Sprintf("$.steps[%d]", i)
		if s == nil { // "steps:\n  -": an item with nothing in it
			line, col := c.entryAt("$.steps", i)
			return c.p.errAt(line, col, fmt.Sprintf("step %d is empty (a list item with no name, from, key, to or map)", i+1))
		}
		if s.Name == "" {
			return c.errf(path, "step %d has no name", i+1)
		}
		if seen[s.Name] {
			return c.errf(path+".name", "step name %q is used twice", s.Name)
		}
		seen[s.Name] = true
		if p.Staging {
			if err := c.stagedName(path, s.Name, folded); err != nil {
				return err
			}
		}
		if err := c.step(path, s); err != nil {
			return err
		}
	}
	if err := c.groups(); err != nil {
		return err
	}
	return c.guards()
}

func (c *compiler) connections() error {
	p := c.p
	for _, name := range sortedNames(p.Connections) {
		u := p.Connections[name]
		if msg := passwordProblem(u); msg != "" {
			return c.errf("$.connections."+name, "connection %s: %s", name, msg)
		}
		if _, err := url.Parse(u); err != nil || !strings.Contains(u, ":") {
			return c.errf("$.connections."+name, "connection %s: %q is not a URL", name, decant.RedactURL(u))
		}
	}
	if _, ok := p.Connections[p.Target]; !ok {
		return c.errf("$.target", "target connection %q is not defined under connections", p.Target)
	}
	return nil
}

// parallel checks from.parallel: 1 or more, without a cursor, for a
// source that reads in chunks ([ChunkedOptions]; unknown when the plan is
// loaded without source kinds).
func (c *compiler) parallel(path string, s *Step) error {
	at := path + ".from.parallel"
	n := s.From.Parallel
	switch _, chunked := s.From.Options.(ChunkedOptions); {
	case n < 0 || (n == 0 && s.From.parallelSet):
		return c.errf(at, "step %s: from.parallel must be 1 or more (the readers that read the source at once), not %d", s.Name, n)
	case n <= 1:
		return nil
	case s.From.Cursor != "":
		return c.errf(at, "step %s: from.parallel cannot go with from.cursor: a read by cursor is incremental, in cursor order, and stays one reader; remove parallel (or the cursor, to read the whole table in key ranges)", s.Name)
	case s.From.Options != nil && !chunked:
		return c.errf(at, "step %s: from.parallel does not apply to connection %s (%s): only the database sources (mysql://, postgres://, sqlite:) read in chunks; remove parallel",
			s.Name, s.From.Connection, decant.RedactURL(c.p.Connections[s.From.Connection]))
	}
	return nil
}

func (c *compiler) step(path string, s *Step) error {
	if s.From.Connection == "" {
		return c.errf(path+".from", "step %s: from.connection is required", s.Name)
	}
	if _, ok := c.p.Connections[s.From.Connection]; !ok {
		return c.errf(path+".from.connection", "step %s: connection %q is not defined under connections", s.Name, s.From.Connection)
	}
	if c.sources != nil {
		opts, err := c.p.SourceOptions(s, c.sources)
		if err != nil {
			return err
		}
		s.From.Options = opts
	}
	if err := c.parallel(path, s); err != nil {
		return err
	}
	if len(s.Key) == 0 {
		return c.errf(path, "step %s: key (the upsert key column or columns) is required", s.Name)
	}
	if err := c.count(path+".batch_size", "batch_size"); err != nil {
		return err
	}
	if s.BatchSize == 0 {
		s.BatchSize = c.p.BatchSize
	}
	if s.BatchSize < 0 {
		return c.errf(path+".batch_size", "step %s: batch_size must be positive", s.Name)
	}
	def, err := c.stepDefault(path, s)
	if err != nil {
		return err
	}
	spec := transform.Spec{Step: s.Name, Key: s.Key, Default: def}
	vars := append([]string{}, transform.StepVars...)
	if spec.Let, vars, err = c.lets(path+".let", s.Let, vars); err != nil {
		return err
	}
	if spec.To, err = c.route(path+".to", s.To, vars); err != nil {
		return err
	}
	if spec.Map, err = c.columnsMap(path+".map", s.Map, vars); err != nil {
		return err
	}
	if spec.Fields, err = c.optExpr(path+".fields", s.Fields, vars); err != nil {
		return err
	}
	if len(spec.Map) == 0 && spec.Fields == nil {
		return c.errf(path, "step %s: map or fields is required", s.Name)
	}
	if spec.Columns, err = c.coercions(path+".columns", s.Columns, def); err != nil {
		return err
	}
	childVars := append(append([]string{}, vars...), transform.ChildVars...)
	for i, ch := range s.Children {
		if ch == nil {
			line, col := c.entryAt(path+".children", i)
			return c.p.errAt(line, col, fmt.Sprintf("step %s: child %d is empty (a list item with no from, parent_key, to or map)", s.Name, i+1))
		}
		cs, err := c.child(fmt.Sprintf("%s.children[%d]", path, i), ch, childVars, def)
		if err != nil {
			return err
		}
		spec.Children = append(spec.Children, cs)
	}
	if err := c.verify(path, s); err != nil {
		return err
	}
	if err := c.onDelete(path, s, &spec); err != nil {
		return err
	}
	if err := c.unmappedMode(path+".unmapped", s.Unmapped); err != nil {
		return err
	}
	spec.Unmapped = transform.UnmappedMode(cmp.Or(s.Unmapped, c.p.Unmapped, string(transform.UnmappedWarn)))
	spec.SourceReads = sourceReads(s)
	s.Spec = spec
	return nil
}

func (c *compiler) child(path string, ch *Child, vars []string, def transform.Coercion) (transform.ChildSpec, error) {
	cs := transform.ChildSpec{Name: ch.Name, ParentKey: ch.ParentKey}
	if ch.From == nil {
		return cs, c.errf(path, "children: from (an expression giving the list) is required")
	}
	if ch.ParentKey == "" {
		return cs, c.errf(path, "children: parent_key (the child column holding the parent's key) is required")
	}
	if cs.Name == "" {
		cs.Name = ch.From.Src
	}
	var err error
	if cs.From, err = c.expr(path+".from", *ch.From, vars); err != nil {
		return cs, err
	}
	if cs.Let, vars, err = c.lets(path+".let", ch.Let, vars); err != nil {
		return cs, err
	}
	if cs.To, err = c.route(path+".to", ch.To, vars); err != nil {
		return cs, err
	}
	if cs.Map, err = c.columnsMap(path+".map", ch.Map, vars); err != nil {
		return cs, err
	}
	if cs.Fields, err = c.optExpr(path+".fields", ch.Fields, vars); err != nil {
		return cs, err
	}
	cs.Columns, err = c.coercions(path+".columns", ch.Columns, def)
	return cs, err
}

func (c *compiler) lets(path string, lets Exprs, vars []string) ([]transform.Named, []string, error) {
	var out []transform.Named
	for _, l := range lets {
		if !isName(l.Name) {
			return nil, nil, c.errf(path+"."+l.Name, "let name %q is not a valid name", l.Name)
		}
		for _, v := range vars {
			if v == l.Name {
				return nil, nil, c.errf(path+"."+l.Name, "let name %q is already a variable", l.Name)
			}
		}
		prog, err := c.expr(path+"."+l.Name, l.Expr, vars)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, transform.Named{Name: l.Name, Prog: prog})
		vars = append(vars, l.Name)
	}
	return out, vars, nil
}

func (c *compiler) columnsMap(path string, m Exprs, vars []string) ([]transform.Named, error) {
	var out []transform.Named
	for _, e := range m {
		prog, err := c.expr(path+"."+e.Name, e.Expr, vars)
		if err != nil {
			return nil, err
		}
		out = append(out, transform.Named{Name: e.Name, Prog: prog})
	}
	return out, nil
}

func (c *compiler) route(path string, to To, vars []string) (transform.Route, error) {
	label := to.Label
	if label == "" {
		label = "route value"
	}
	r := transform.Route{Table: to.Table, Label: label}
	switch {
	case to.Table != "" && to.Route != nil:
		return r, c.errf(path, "to: give either table or route, not both")
	case to.Table != "":
		if len(to.Routes) > 0 {
			return r, c.errf(path+".routes", "to: routes need a route expression")
		}
		return r, nil
	case to.Route == nil:
		return r, c.errf(path, "to: table or route is required")
	}
	if len(to.Routes) == 0 {
		return r, c.errf(path+".route", "to: a route needs routes (table: [aliases])")
	}
	prog, err := c.expr(path+".route", *to.Route, vars)
	if err != nil {
		return r, err
	}
	r.By = prog
	r.Tables = map[string]string{}
	for _, table := range sortedNames(to.Routes) {
		aliases := to.Routes[table]
		for _, v := range append([]string{table}, aliases...) {
			if other, dup := r.Tables[v]; dup && other != table {
				return r, c.errf(path+".routes."+table, "to: %q routes to both %s and %s", v, other, table)
			}
			r.Tables[v] = table
		}
	}
	return r, nil
}

// stepDefault is the coercion of a step's columns that set nothing of
// their own: the step's null_if, layouts and decimal_comma, else the
// plan's.
func (c *compiler) stepDefault(path string, s *Step) (transform.Coercion, error) {
	def := transform.Coercion{Zone: c.zone, NullIf: c.p.NullIf, Layouts: c.p.Layouts, DecimalComma: c.p.DecimalComma}
	if s.NullIf != nil {
		def.NullIf = *s.NullIf
	}
	if s.Layouts != nil {
		if err := c.layouts(path+".layouts", s.Layouts); err != nil {
			return def, err
		}
		def.Layouts = s.Layouts
	}
	if s.DecimalComma != nil {
		def.DecimalComma = *s.DecimalComma
	}
	return def, nil
}

// columnLayouts are the layouts of column name: its layout, its layouts,
// or def's.
func (c *compiler) columnLayouts(path, name string, cs ColumnSpec, def []string) ([]string, error) {
	switch {
	case cs.Layout != "" && cs.Layouts != nil:
		return nil, c.errf(path+".layout", "column %s: give layout or layouts, not both (layout: X is layouts: [X])", name)
	case cs.Layout != "":
		return []string{cs.Layout}, c.layout(path+".layout", cs.Layout)
	case cs.Layouts != nil:
		return cs.Layouts, c.layouts(path+".layouts", cs.Layouts)
	}
	return def, nil
}

// layouts checks each of a list of layouts (layout).
func (c *compiler) layouts(path string, list []string) error {
	for i, l := range list {
		if err := c.layout(fmt.Sprintf("%s[%d]", path, i), l); err != nil {
			return err
		}
	}
	return nil
}

// layoutProbe is a time whose every element differs from the reference
// time's, so that a text it formats as itself holds no layout element.
var layoutProbe = time.Date(2017, 11, 28, 19, 38, 41, 0, time.FixedZone("CET", 3600))

// layout checks a date or timestamp layout: one of transform.LayoutNames,
// or a Go layout, which writes at least one element of the reference
// time. A lower-case word that is not a name is a misspelt name.
func (c *compiler) layout(path, l string) error {
	if slices.Contains(transform.LayoutNames, l) {
		return nil
	}
	at := strings.TrimPrefix(path, "$.")
	names := strings.Join(transform.LayoutNames, ", ")
	if l != "" && strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789_") == "" && l[0] >= 'a' && l[0] <= 'z' {
		return c.errf(path, "%s: unknown layout name %q (the names: %s; or a Go layout such as 02/01/2006)", at, l, names)
	}
	if layoutProbe.Format(l) == l {
		return c.errf(path, "%s: %q is neither a layout name (%s) nor a Go layout: a Go layout writes Go's reference time, "+
			"Mon Jan 2 15:04:05 MST 2006, as the values write theirs (02/01/2006 reads 31/12/2014)", at, l, names)
	}
	return nil
}

func (c *compiler) coercions(path string, cols map[string]ColumnSpec, def transform.Coercion) (map[string]transform.Coercion, error) {
	out := map[string]transform.Coercion{}
	for _, name := range sortedNames(cols) {
		cs := cols[name]
		layouts, err := c.columnLayouts(path+"."+name, name, cs, def.Layouts)
		if err != nil {
			return nil, err
		}
		co := transform.Coercion{Kind: cs.Type, Layouts: layouts, DecimalComma: def.DecimalComma}
		if cs.DecimalComma != nil {
			co.DecimalComma = *cs.DecimalComma
		}
		switch cs.Type {
		case "", decant.KindText, decant.KindInt, decant.KindFloat, decant.KindDecimal, decant.KindBool,
			decant.KindDate, decant.KindTimestamp, decant.KindJSON:
		default:
			return nil, c.errf(path+"."+name+".type", "column %s: unknown type %q (want int, float, decimal, bool, date, timestamp, json or text)", name, cs.Type)
		}
		if cs.Zone != "" {
			z, err := time.LoadLocation(cs.Zone)
			if err != nil {
				return nil, c.errf(path+"."+name+".zone", "column %s: unknown time zone %q", name, cs.Zone)
			}
			co.Zone = z
		}
		if cs.NullIf != nil {
			co.NullIf = *cs.NullIf
		}
		out[name] = co
	}
	return out, nil
}

func (c *compiler) optExpr(path string, e *Expr, vars []string) (*transform.Program, error) {
	if e == nil {
		return nil, nil
	}
	return c.expr(path, *e, vars)
}

func (c *compiler) expr(path string, e Expr, vars []string) (*transform.Program, error) {
	src := e.Src
	if slices.Contains(vars, scopeVar) {
		src = scopeInExpr(src)
	}
	prog, err := transform.Compile(src, vars, c.funcs)
	if err != nil {
		line, col := e.Line, e.Col
		if line == 0 {
			line, col = c.at(path)
		}
		return nil, c.p.errAt(line, col, fmt.Sprintf("bad expression %q: %v", e.Src, firstLine(err.Error())))
	}
	return prog, nil
}

// xmlNamespaces checks the plan's XPath prefixes and gives them to the
// XML functions of every expression compiled after it.
func (c *compiler) xmlNamespaces() error {
	ns := c.p.XMLNamespaces
	if len(ns) == 0 {
		return nil
	}
	for _, prefix := range sortedNames(ns) {
		path := "$.xml_namespaces." + prefix
		if !isName(prefix) {
			return c.errf(path, "xml_namespaces: prefix %q is not a name (letters, digits and _)", prefix)
		}
		if strings.TrimSpace(ns[prefix]) == "" {
			return c.errf(path, "xml_namespaces: prefix %s has an empty namespace URI; give the URI the documents declare (xmlns:%s=\"...\")", prefix, prefix)
		}
	}
	c.funcs = c.funcs.WithXMLNamespaces(ns)
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func isName(s string) bool {
	for i, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return s != ""
}

// sortedNames returns a map's keys in order, so errors are deterministic.
func sortedNames[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxStagedName is the longest step name a staged plan takes: the name of
// its staging table, which PostgreSQL cuts at 63 bytes.
const maxStagedName = 63

// stagedName refuses a staged plan's step name that its staging table
// could not be named after: one that holds "@" (kept for the state of a
// step's extract and the staging tables' own objects), one too long, or
// one that another step's name equals but for case (SQLite's names are
// the same then).
func (c *compiler) stagedName(path, name string, folded map[string]string) error {
	switch {
	case strings.Contains(name, "@"):
		return c.errf(path+".name", "step name %q holds \"@\", which a staged plan (staging: true) keeps for the state of its extract phase: rename the step", name)
	case len(name) > maxStagedName:
		return c.errf(path+".name", "step name %q is %d bytes long; a staged plan (staging: true) names a staging table after each step, and a table name is at most %d bytes: shorten it",
			name, len(name), maxStagedName)
	}
	low := strings.ToLower(name)
	if other, ok := folded[low]; ok {
		return c.errf(path+".name", "step names %q and %q differ only in case; a staged plan (staging: true) names a staging table after each step, and SQLite's table names ignore case: rename one", other, name)
	}
	folded[low] = name
	return nil
}

// unmappedMode refuses an unmapped (at path) that is not a mode; ""
// says nothing, and a step without its own takes the plan's, else warn.
func (c *compiler) unmappedMode(path, mode string) error {
	if mode != "" && !slices.Contains(transform.UnmappedModes, transform.UnmappedMode(mode)) {
		return c.errf(path, "unmapped: %q is not one of warn, ignore, error (what to do with a record's fields that reach no column)", mode)
	}
	return nil
}

// sourceReads are the paths of the record members s's source reads for
// itself: its cursor, and the metadata its options name.
func sourceReads(s *Step) []string {
	var out []string
	if s.From.Cursor != "" {
		out = append(out, s.From.Cursor)
	}
	if m, ok := s.From.Options.(decant.MetadataFielder); ok {
		out = append(out, m.MetadataFields()...)
	}
	return out
}
