package snapshot

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// pgCatalog reads the objects of the carried schemas from PostgreSQL's
// catalogs and writes the statements that recreate them. Objects that belong
// to an extension are left to its CREATE EXTENSION statement.
//
// The pre-data section creates the schemas, extensions, types, sequences,
// functions, tables and their primary key, unique, check and exclusion
// constraints. The post-data section adds what must not see the data being
// loaded or would slow it down: foreign keys and NOT VALID constraints,
// indexes, views and materialized views, triggers, and row-level security.
type pgCatalog struct {
	c      *pgx.Conn
	nsp    []uint32 // oids of the carried schemas that exist
	script script

	tables      []*pgTable
	sequences   []*pgSequence
	identity    map[string]*pgSequence // identity sequences by "table oid/attnum"
	matviews    []uint32
	views       []uint32
	fkeys       []statement // post-data constraints, added before the indexes
	afterTables []statement // pre-data statements that come after the tables
	version     int         // server_version_num
}

type pgTable struct {
	oid          uint32
	schema, name string
	cols         []pgColumn
}

// dataColumns returns the columns that COPY moves: all but generated ones.
func (t *pgTable) dataColumns() []string {
	cols := []string{}
	for _, c := range t.cols {
		if c.generated == "" {
			cols = append(cols, c.name)
		}
	}
	return cols
}

type pgColumn struct {
	name, typ, collation string
	notNull              bool
	identity, generated  string // pg_attribute.attidentity, attgenerated
	def                  string // default or generation expression
	attnum               int16
}

type pgSequence struct {
	schema, name, typ                  string
	start, increment, min, max, cache  int64
	cycle                              bool
	unlogged                           bool
	dep                                string // "a": owned by a column (serial), "i": identity
	ownerSchema, ownerTable, ownerAttr string
	ownerOID                           uint32
	ownerAttnum                        int16
}

// options returns the sequence's options as in CREATE SEQUENCE.
func (s *pgSequence) options() string {
	cycle := " NO CYCLE"
	if s.cycle {
		cycle = " CYCLE"
	}
	return fmt.Sprintf("START WITH %d INCREMENT BY %d MINVALUE %d MAXVALUE %d CACHE %d%s",
		s.start, s.increment, s.min, s.max, s.cache, cycle)
}

// notExtension is a condition on an object of catalog class (e.g. pg_type) with
// oid column col: it is not a member of an extension.
func notExtension(class, col string) string {
	return fmt.Sprintf("NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '%s'::regclass AND x.objid = %s AND x.deptype = 'e')", class, col)
}

// each runs the query and calls fn after scanning each row into dest.
func (cat *pgCatalog) each(ctx context.Context, q string, args []any, dest []any, fn func() error) error {
	rows, _ := cat.c.Query(ctx, q, args...)
	_, err := pgx.ForEachRow(rows, dest, fn)
	return err
}

func (cat *pgCatalog) read(ctx context.Context, schemas []string) error {
	cat.identity = map[string]*pgSequence{}
	if err := cat.c.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&cat.version); err != nil {
		return err
	}
	if cat.version < 120000 {
		return fmt.Errorf("PostgreSQL %d: snapshots need PostgreSQL 12 or later", cat.version/10000)
	}
	steps := []struct {
		what string
		fn   func(context.Context, []string) error
	}{
		{"schemas", cat.readSchemas},
		{"unsupported objects", cat.readUnsupported},
		{"extensions", cat.readExtensions},
		{"enum types", cat.readEnums},
		{"domains", cat.readDomains},
		{"composite types", cat.readComposites},
		{"sequences", cat.readSequences},
		{"functions", cat.readFunctions},
		{"tables", cat.readTables},
		{"foreign keys and indexes", cat.readPostData},
		{"views", cat.readViews},
		{"indexes of materialized views", cat.readMatviewIndexes},
		{"triggers", cat.readTriggers},
		{"row-level security", cat.readPolicies},
	}
	for _, s := range steps {
		if err := s.fn(ctx, schemas); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return cat.script.check()
}

func (cat *pgCatalog) readSchemas(ctx context.Context, schemas []string) error {
	for _, s := range schemas {
		cat.script.add(&cat.script.pre, "SCHEMA", s, "CREATE SCHEMA IF NOT EXISTS "+ident(s)+";")
	}
	for _, s := range pgSettings {
		cat.script.add(&cat.script.setup, "SET", s[0], fmt.Sprintf("SET %s = %s;", s[0], s[1]))
	}
	var oid uint32
	return cat.each(ctx, "SELECT oid FROM pg_namespace WHERE nspname = ANY ($1)", []any{schemas}, []any{&oid}, func() error {
		cat.nsp = append(cat.nsp, oid)
		return nil
	})
}

// readUnsupported refuses objects of the carried schemas that this package
// cannot recreate, naming them.
func (cat *pgCatalog) readUnsupported(ctx context.Context, _ []string) error {
	var found []string
	var what string
	err := cat.each(ctx, `
		WITH objs AS (
			SELECT d.classid, d.objid FROM pg_depend d
			WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = ANY ($1) AND d.deptype = 'n'
			AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = d.classid AND x.objid = d.objid AND x.deptype = 'e')
		)
		SELECT pg_describe_object(o.classid, o.objid, 0) FROM objs o
		WHERE NOT (
			(o.classid = 'pg_class'::regclass AND EXISTS (
				SELECT 1 FROM pg_class c WHERE c.oid = o.objid AND c.relkind IN ('r', 'v', 'm', 'S')
				AND NOT c.relispartition AND c.reloftype = 0
				AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid OR inhparent = c.oid)
				AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN')))
			OR (o.classid = 'pg_type'::regclass AND EXISTS (
				SELECT 1 FROM pg_type t WHERE t.oid = o.objid AND t.typtype IN ('e', 'd', 'c')))
			OR (o.classid = 'pg_proc'::regclass AND EXISTS (
				SELECT 1 FROM pg_proc p WHERE p.oid = o.objid AND p.prokind IN ('f', 'p', 'w')))
			OR o.classid = 'pg_extension'::regclass
		)
		ORDER BY 1`, []any{cat.nsp}, []any{&what}, func() error {
		found = append(found, what)
		return nil
	})
	if err != nil {
		return err
	}
	if len(found) > 0 {
		if len(found) > 10 {
			found = append(found[:10], fmt.Sprintf("and %d more", len(found)-10))
		}
		return fmt.Errorf("%s (partitioned, inheriting, typed and foreign tables, rules, range and base types, aggregates, operators, collations, text search objects and statistics objects are not carried; see docs/snapshots.md): %w",
			strings.Join(found, ", "), ErrUnsupported)
	}
	return nil
}

func (cat *pgCatalog) readExtensions(ctx context.Context, _ []string) error {
	var name, schema string
	return cat.each(ctx, `
		SELECT e.extname::text, n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extnamespace = ANY ($1) ORDER BY e.oid`, []any{cat.nsp}, []any{&name, &schema}, func() error {
		cat.script.add(&cat.script.pre, "EXTENSION", name,
			fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s;", ident(name), ident(schema)))
		return nil
	})
}

func (cat *pgCatalog) readEnums(ctx context.Context, _ []string) error {
	var schema, name string
	var labels []string
	return cat.each(ctx, `
		SELECT n.nspname::text, t.typname::text,
			array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE t.typtype = 'e' AND t.typnamespace = ANY ($1) AND `+notExtension("pg_type", "t.oid")+`
		ORDER BY t.oid`, []any{cat.nsp}, []any{&schema, &name, &labels}, func() error {
		quoted := make([]string, len(labels))
		for i, l := range labels {
			quoted[i] = literal(l)
		}
		cat.script.add(&cat.script.pre, "TYPE", schema+"."+name,
			fmt.Sprintf("CREATE TYPE %s AS ENUM (%s);", ident(schema, name), strings.Join(quoted, ", ")))
		return nil
	})
}

func (cat *pgCatalog) readDomains(ctx context.Context, _ []string) error {
	type domain struct {
		oid                   uint32
		schema, name, base    string
		notNull               bool
		def, collation, label string
	}
	var ds []domain
	var d domain
	err := cat.each(ctx, `
		SELECT t.oid, n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull,
			coalesce(pg_get_expr(t.typdefaultbin, 0), ''),
			coalesce(CASE WHEN t.typcollation <> b.typcollation THEN format('%I.%I', cn.nspname, co.collname) END, '')
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type b ON b.oid = t.typbasetype
		LEFT JOIN pg_collation co ON co.oid = t.typcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
		WHERE t.typtype = 'd' AND t.typnamespace = ANY ($1) AND `+notExtension("pg_type", "t.oid")+`
		ORDER BY t.oid`, []any{cat.nsp}, []any{&d.oid, &d.schema, &d.name, &d.base, &d.notNull, &d.def, &d.collation}, func() error {
		ds = append(ds, d)
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range ds {
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE DOMAIN %s AS %s", ident(d.schema, d.name), d.base)
		if d.collation != "" {
			b.WriteString(" COLLATE " + d.collation)
		}
		if d.def != "" {
			b.WriteString(" DEFAULT " + d.def)
		}
		if d.notNull {
			b.WriteString(" NOT NULL")
		}
		b.WriteString(";")
		label := d.schema + "." + d.name
		cat.script.add(&cat.script.pre, "DOMAIN", label, b.String())
		var name, def string
		var valid bool
		err := cat.each(ctx, `
			SELECT conname::text, pg_get_constraintdef(oid), convalidated FROM pg_constraint
			WHERE contypid = $1 AND contype = 'c' ORDER BY conname`, []any{d.oid}, []any{&name, &def, &valid}, func() error {
			st := statement{kind: "CONSTRAINT", label: label + "." + name,
				sql: fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s;", ident(d.schema, d.name), ident(name), def)}
			if valid {
				cat.script.pre = append(cat.script.pre, st)
			} else {
				cat.fkeys = append(cat.fkeys, st)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
	}
	return nil
}

func (cat *pgCatalog) readComposites(ctx context.Context, _ []string) error {
	type composite struct {
		schema, name string
		rel          uint32
	}
	var cs []composite
	var c composite
	err := cat.each(ctx, `
		SELECT n.nspname::text, t.typname::text, t.typrelid
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
		WHERE t.typtype = 'c' AND c.relkind = 'c' AND t.typnamespace = ANY ($1) AND `+notExtension("pg_type", "t.oid")+`
		ORDER BY t.oid`, []any{cat.nsp}, []any{&c.schema, &c.name, &c.rel}, func() error {
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range cs {
		cols, err := cat.columns(ctx, c.rel)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", c.schema, c.name, err)
		}
		attrs := make([]string, len(cols))
		for i, col := range cols {
			attrs[i] = ident(col.name) + " " + col.typ
			if col.collation != "" {
				attrs[i] += " COLLATE " + col.collation
			}
		}
		cat.script.add(&cat.script.pre, "TYPE", c.schema+"."+c.name,
			fmt.Sprintf("CREATE TYPE %s AS (\n    %s\n);", ident(c.schema, c.name), strings.Join(attrs, ",\n    ")))
	}
	return nil
}

// columns returns the columns of relation rel, in order.
func (cat *pgCatalog) columns(ctx context.Context, rel uint32) ([]pgColumn, error) {
	var cols []pgColumn
	var c pgColumn
	err := cat.each(ctx, `
		SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity::text, a.attgenerated::text,
			coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
			coalesce(CASE WHEN a.attcollation <> ty.typcollation THEN format('%I.%I', cn.nspname, co.collname) END, ''),
			a.attnum
		FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, []any{rel},
		[]any{&c.name, &c.typ, &c.notNull, &c.identity, &c.generated, &c.def, &c.collation, &c.attnum}, func() error {
			cols = append(cols, c)
			return nil
		})
	return cols, err
}

func (cat *pgCatalog) readSequences(ctx context.Context, _ []string) error {
	var s pgSequence
	var owner, attr *string
	var ownerOID *uint32
	var attnum *int16
	var dep *string
	err := cat.each(ctx, `
		SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
			s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relpersistence = 'u',
			d.deptype::text, tn.nspname::text || '.' || tc.relname::text, d.refobjid, ta.attname::text, ta.attnum
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
		LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
			AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
		LEFT JOIN pg_class tc ON tc.oid = d.refobjid
		LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
		LEFT JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
		WHERE c.relkind = 'S' AND c.relnamespace = ANY ($1) AND `+notExtension("pg_class", "c.oid")+`
		ORDER BY c.oid`, []any{cat.nsp},
		[]any{&s.schema, &s.name, &s.typ, &s.start, &s.increment, &s.min, &s.max, &s.cache, &s.cycle, &s.unlogged,
			&dep, &owner, &ownerOID, &attr, &attnum}, func() error {
			q := s
			if dep != nil && attr != nil {
				q.dep = *dep
				q.ownerSchema, q.ownerTable, _ = strings.Cut(*owner, ".")
				q.ownerAttr, q.ownerOID, q.ownerAttnum = *attr, *ownerOID, *attnum
			}
			cat.sequences = append(cat.sequences, &q)
			return nil
		})
	if err != nil {
		return err
	}
	for _, s := range cat.sequences {
		if s.dep == "i" {
			cat.identity[fmt.Sprintf("%d/%d", s.ownerOID, s.ownerAttnum)] = s
			continue
		}
		unlogged := ""
		if s.unlogged {
			unlogged = "UNLOGGED "
		}
		cat.script.add(&cat.script.pre, "SEQUENCE", s.schema+"."+s.name,
			fmt.Sprintf("CREATE %sSEQUENCE %s AS %s %s;", unlogged, ident(s.schema, s.name), s.typ, s.options()))
	}
	return nil
}

// readFunctions adds functions and procedures before the tables, whose
// defaults and checks may call them; those with a SQL-standard body (BEGIN
// ATOMIC), which is checked at creation and so may need tables, go after
// the tables.
func (cat *pgCatalog) readFunctions(ctx context.Context, _ []string) error {
	atomic := "p.prosqlbody IS NOT NULL"
	if cat.version < 140000 {
		atomic = "false"
	}
	var schema, name, args, def string
	var late bool
	return cat.each(ctx, `
		SELECT n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid), `+atomic+`
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE p.pronamespace = ANY ($1) AND p.prokind IN ('f', 'p', 'w') AND `+notExtension("pg_proc", "p.oid")+`
		ORDER BY p.oid`, []any{cat.nsp}, []any{&schema, &name, &args, &def, &late}, func() error {
		st := statement{kind: "FUNCTION", label: fmt.Sprintf("%s.%s(%s)", schema, name, args), sql: strings.TrimSpace(def) + ";"}
		if late {
			cat.afterTables = append(cat.afterTables, st)
		} else {
			cat.script.pre = append(cat.script.pre, st)
		}
		return nil
	})
}

func (cat *pgCatalog) readTables(ctx context.Context, _ []string) error {
	type table struct {
		pgTable
		unlogged bool
		options  string
	}
	var ts []table
	var t table
	err := cat.each(ctx, `
		SELECT c.oid, n.nspname::text, c.relname::text, c.relpersistence = 'u', coalesce(array_to_string(c.reloptions, ', '), '')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND c.relnamespace = ANY ($1) AND `+notExtension("pg_class", "c.oid")+`
		ORDER BY c.oid`, []any{cat.nsp}, []any{&t.oid, &t.schema, &t.name, &t.unlogged, &t.options}, func() error {
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range ts {
		label := t.schema + "." + t.name
		cols, err := cat.columns(ctx, t.oid)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		t.cols = cols
		defs := make([]string, len(cols))
		for i, col := range cols {
			defs[i] = cat.columnDef(t.oid, col)
		}
		var b strings.Builder
		b.WriteString("CREATE ")
		if t.unlogged {
			b.WriteString("UNLOGGED ")
		}
		fmt.Fprintf(&b, "TABLE %s (", ident(t.schema, t.name))
		if len(defs) > 0 {
			b.WriteString("\n    " + strings.Join(defs, ",\n    ") + "\n")
		}
		b.WriteString(")")
		if t.options != "" {
			b.WriteString(" WITH (" + t.options + ")")
		}
		b.WriteString(";")
		cat.script.add(&cat.script.pre, "TABLE", label, b.String())
		if err := cat.tableConstraints(ctx, t.oid, t.schema, t.name); err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		tt := t.pgTable
		cat.tables = append(cat.tables, &tt)
	}
	for _, s := range cat.sequences {
		if s.dep == "a" {
			cat.script.add(&cat.script.pre, "SEQUENCE", s.schema+"."+s.name+" OWNED BY",
				fmt.Sprintf("ALTER SEQUENCE %s OWNED BY %s;", ident(s.schema, s.name), ident(s.ownerSchema, s.ownerTable, s.ownerAttr)))
		}
	}
	cat.script.pre = append(cat.script.pre, cat.afterTables...)
	return nil
}

// columnDef returns the definition of col in CREATE TABLE.
func (cat *pgCatalog) columnDef(rel uint32, col pgColumn) string {
	var b strings.Builder
	b.WriteString(ident(col.name) + " " + col.typ)
	if col.collation != "" {
		b.WriteString(" COLLATE " + col.collation)
	}
	switch col.generated {
	case "s":
		b.WriteString(" GENERATED ALWAYS AS (" + col.def + ") STORED")
	case "v":
		b.WriteString(" GENERATED ALWAYS AS (" + col.def + ") VIRTUAL")
	case "":
		if col.def != "" {
			b.WriteString(" DEFAULT " + col.def)
		}
	}
	if col.identity != "" {
		kind := "BY DEFAULT"
		if col.identity == "a" {
			kind = "ALWAYS"
		}
		b.WriteString(" GENERATED " + kind + " AS IDENTITY")
		if s := cat.identity[fmt.Sprintf("%d/%d", rel, col.attnum)]; s != nil {
			fmt.Fprintf(&b, " (SEQUENCE NAME %s %s)", ident(s.schema, s.name), s.options())
		}
	}
	if col.notNull {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

// tableConstraints adds the constraints of a table: primary key, unique,
// check and exclusion constraints to pre-data, foreign keys and constraints
// not validated (which existing rows may break) to post-data.
func (cat *pgCatalog) tableConstraints(ctx context.Context, rel uint32, schema, table string) error {
	var name, typ, def string
	var valid bool
	return cat.each(ctx, `
		SELECT conname::text, contype::text, pg_get_constraintdef(oid), convalidated FROM pg_constraint
		WHERE conrelid = $1 AND contype IN ('p', 'u', 'c', 'x', 'f')
		ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, conname`, []any{rel},
		[]any{&name, &typ, &def, &valid}, func() error {
			st := statement{kind: "CONSTRAINT", label: schema + "." + table + "." + name,
				sql: fmt.Sprintf("ALTER TABLE ONLY %s ADD CONSTRAINT %s %s;", ident(schema, table), ident(name), def)}
			if typ == "f" {
				st.kind = "FK"
			}
			if typ == "f" || !valid {
				cat.fkeys = append(cat.fkeys, st)
			} else {
				cat.script.pre = append(cat.script.pre, st)
			}
			return nil
		})
}

// readPostData starts post-data with the foreign keys and constraints
// not validated, then the tables' indexes.
func (cat *pgCatalog) readPostData(ctx context.Context, _ []string) error {
	cat.script.post = append(cat.script.post, cat.fkeys...)
	return cat.indexes(ctx, cat.tableOIDs())
}

// readViews adds views and materialized views to post-data, so that views
// may use materialized views, in any order (run retries), and materialized
// views are filled from the loaded tables.
func (cat *pgCatalog) readViews(ctx context.Context, _ []string) error {
	var oid uint32
	var schema, name, kind, def, options string
	var populated bool
	return cat.each(ctx, `
		SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, pg_get_viewdef(c.oid),
			coalesce(array_to_string(c.reloptions, ', '), ''), c.relispopulated
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ANY ($1) AND `+notExtension("pg_class", "c.oid")+`
		ORDER BY c.oid`, []any{cat.nsp}, []any{&oid, &schema, &name, &kind, &def, &options, &populated}, func() error {
		with := ""
		if options != "" {
			with = " WITH (" + options + ")"
		}
		def = strings.TrimSuffix(strings.TrimSpace(def), ";")
		if kind == "v" {
			cat.views = append(cat.views, oid)
			cat.script.add(&cat.script.post, "VIEW", schema+"."+name,
				fmt.Sprintf("CREATE VIEW %s%s AS\n%s;", ident(schema, name), with, def))
			return nil
		}
		cat.matviews = append(cat.matviews, oid)
		data := " WITH DATA"
		if !populated {
			data = " WITH NO DATA"
		}
		cat.script.add(&cat.script.post, "MATERIALIZED VIEW", schema+"."+name,
			fmt.Sprintf("CREATE MATERIALIZED VIEW %s%s AS\n%s\n%s;", ident(schema, name), with, def, data))
		return nil
	})
}

func (cat *pgCatalog) tableOIDs() []uint32 {
	oids := make([]uint32, len(cat.tables))
	for i, t := range cat.tables {
		oids[i] = t.oid
	}
	return oids
}

func (cat *pgCatalog) readMatviewIndexes(ctx context.Context, _ []string) error {
	return cat.indexes(ctx, cat.matviews)
}

// indexes adds the indexes of relations rels that do not back a constraint.
func (cat *pgCatalog) indexes(ctx context.Context, rels []uint32) error {
	var schema, name, def string
	return cat.each(ctx, `
		SELECT n.nspname::text, ic.relname::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
		WHERE i.indrelid = ANY ($1) AND NOT EXISTS (
			SELECT 1 FROM pg_constraint co
			WHERE co.conrelid = i.indrelid AND co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
		ORDER BY ic.oid`, []any{rels}, []any{&schema, &name, &def}, func() error {
		cat.script.add(&cat.script.post, "INDEX", schema+"."+name, def+";")
		return nil
	})
}

func (cat *pgCatalog) readTriggers(ctx context.Context, _ []string) error {
	rels := append(append(cat.tableOIDs(), cat.views...), cat.matviews...)
	var schema, table, name, def, enabled string
	return cat.each(ctx, `
		SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled::text
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE t.tgrelid = ANY ($1) AND NOT t.tgisinternal
		ORDER BY t.oid`, []any{rels}, []any{&schema, &table, &name, &def, &enabled}, func() error {
		label := schema + "." + table + "." + name
		cat.script.add(&cat.script.post, "TRIGGER", label, def+";")
		alter := map[string]string{"D": "DISABLE TRIGGER", "R": "ENABLE REPLICA TRIGGER", "A": "ENABLE ALWAYS TRIGGER"}[enabled]
		if alter != "" {
			cat.script.add(&cat.script.post, "TRIGGER", label+" "+strings.ToLower(alter),
				fmt.Sprintf("ALTER TABLE %s %s %s;", ident(schema, table), alter, ident(name)))
		}
		return nil
	})
}

// readPolicies adds, last, the row-level security of the tables: whether
// it is enabled and forced, and the policies.
func (cat *pgCatalog) readPolicies(ctx context.Context, _ []string) error {
	var schema, table, name, cmd, qual, check string
	var enabled, forced, permissive bool
	var roles []string
	err := cat.each(ctx, `
		SELECT n.nspname::text, c.relname::text, c.relrowsecurity, c.relforcerowsecurity
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = ANY ($1) AND (c.relrowsecurity OR c.relforcerowsecurity)
		ORDER BY c.oid`, []any{cat.tableOIDs()}, []any{&schema, &table, &enabled, &forced}, func() error {
		for _, on := range []struct {
			set  bool
			verb string
		}{{enabled, "ENABLE"}, {forced, "FORCE"}} {
			if on.set {
				cat.script.add(&cat.script.post, "ROW LEVEL SECURITY", schema+"."+table+" "+strings.ToLower(on.verb),
					fmt.Sprintf("ALTER TABLE ONLY %s %s ROW LEVEL SECURITY;", ident(schema, table), on.verb))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return cat.each(ctx, `
		SELECT n.nspname::text, c.relname::text, p.polname::text, p.polpermissive, p.polcmd::text,
			CASE WHEN p.polroles = '{0}' THEN ARRAY['PUBLIC']
				ELSE array(SELECT quote_ident(r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname) END,
			coalesce(pg_get_expr(p.polqual, p.polrelid), ''), coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
		FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE p.polrelid = ANY ($1)
		ORDER BY p.oid`, []any{cat.tableOIDs()}, []any{&schema, &table, &name, &permissive, &cmd, &roles, &qual, &check}, func() error {
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE POLICY %s ON %s", ident(name), ident(schema, table))
		if permissive {
			b.WriteString(" AS PERMISSIVE")
		} else {
			b.WriteString(" AS RESTRICTIVE")
		}
		b.WriteString(" FOR " + map[string]string{"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}[cmd])
		b.WriteString(" TO " + strings.Join(roles, ", "))
		if qual != "" {
			b.WriteString(" USING (" + qual + ")")
		}
		if check != "" {
			b.WriteString(" WITH CHECK (" + check + ")")
		}
		b.WriteString(";")
		cat.script.add(&cat.script.post, "POLICY", schema+"."+table+"."+name, b.String())
		return nil
	})
}
