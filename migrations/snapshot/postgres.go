package snapshot

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgres saves and loads PostgreSQL databases through pgx: the schema from
// the catalogs, the data with COPY in text format.
type postgres struct {
	db *sql.DB
}

func (p *postgres) name() string { return dialectPostgres }

// pgSettings fix, for a transaction, what the text of the schema and the
// data depends on: every name in generated SQL is schema-qualified (the
// search_path holds only pg_catalog), and dates, times, intervals, floats
// and bytea have one text form, so that a table's COPY output, and so its
// checksum, is the same before a save and after a load.
var pgSettings = [][2]string{
	{"search_path", "pg_catalog"},
	{"DateStyle", "'ISO, YMD'"},
	{"IntervalStyle", "'postgres'"},
	{"TimeZone", "'UTC'"},
	{"extra_float_digits", "3"},
	{"bytea_output", "'hex'"},
	{"standard_conforming_strings", "on"},
	{"check_function_bodies", "false"},
	{"client_min_messages", "warning"},
	// Reading a table that row-level security would filter for this role
	// fails, rather than giving a snapshot that lacks rows.
	{"row_security", "off"},
}

// setLocal applies pgSettings to the current transaction.
func setLocal(ctx context.Context, c *pgx.Conn) error {
	var b strings.Builder
	for _, s := range pgSettings {
		fmt.Fprintf(&b, "SET LOCAL %s = %s;\n", s[0], s[1])
	}
	return pgExec(ctx, c, b.String())
}

// pgExec runs sql, which may hold several statements, with the simple protocol.
func pgExec(ctx context.Context, c *pgx.Conn, sql string) error {
	_, err := c.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// withConn runs fn on a pgx connection of p's pool.
func (p *postgres) withConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("connection is a %T, not pgx's", dc)
		}
		return fn(sc.Conn())
	})
}

// ident quotes a possibly qualified name.
func ident(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

// literal quotes s as a string constant (standard_conforming_strings is on).
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (p *postgres) save(ctx context.Context, w *dirWriter, info *Info) error {
	return p.withConn(ctx, func(c *pgx.Conn) error {
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := setLocal(ctx, c); err != nil {
			return err
		}
		if err := c.QueryRow(ctx, "SELECT current_setting('server_version')").Scan(&info.ServerVersion); err != nil {
			return err
		}
		cat := &pgCatalog{c: c}
		if err := cat.read(ctx, info.Schemas); err != nil {
			return err
		}
		header := fmt.Sprintf(`-- decant snapshot %q of PostgreSQL %s (schemas: %s), taken %s.
-- Run as a whole on an empty database, this file creates the schema without
-- data. "decant snapshot load" runs the pre-data section, loads the data,
-- then the post-data section. Lines starting with %q divide the file:
-- keep them when editing.
`, info.Name, info.ServerVersion, strings.Join(info.Schemas, ", "), info.Taken.Format("2006-01-02T15:04:05Z"), marker)
		if err := w.writeFile(schemaFile, func(wr io.Writer) error {
			_, err := wr.Write(cat.script.render(header))
			return err
		}); err != nil {
			return err
		}
		for i, t := range cat.tables {
			ti := TableInfo{Schema: t.schema, Name: t.name, Columns: t.dataColumns(), File: dataFile(i, t.schema+"."+t.name, "copy")}
			q, err := pgCopyOut(ctx, c, ti)
			if err != nil {
				return err
			}
			rh := newRowHash()
			if err := w.writeFile(ti.File, func(wr io.Writer) error {
				_, err := c.PgConn().CopyTo(ctx, io.MultiWriter(wr, rh), q)
				return err
			}); err != nil {
				return fmt.Errorf("table %s: %w", ti.QualifiedName(), err)
			}
			ti.Rows, ti.Checksum = rh.rows, rh.sum()
			info.Tables = append(info.Tables, ti)
		}
		for _, s := range cat.sequences {
			si := SequenceInfo{Schema: s.schema, Name: s.name}
			if err := c.QueryRow(ctx, "SELECT last_value, is_called FROM "+ident(s.schema, s.name)).Scan(&si.Value, &si.Called); err != nil {
				return fmt.Errorf("sequence %s.%s: %w", s.schema, s.name, err)
			}
			info.Sequences = append(info.Sequences, si)
		}
		slices.SortFunc(info.Sequences, func(a, b SequenceInfo) int {
			return cmp.Or(strings.Compare(a.Schema, b.Schema), strings.Compare(a.Name, b.Name))
		})
		return tx.Commit(ctx)
	})
}

// pgCopyOut returns the COPY statement that writes t's rows in canonical
// form: t.Columns, ordered by primary key, or by the whole row's text when
// t has none. Collatable key columns sort with collation "C", so that the
// order does not depend on the database's locale.
func pgCopyOut(ctx context.Context, c *pgx.Conn, t TableInfo) (string, error) {
	rows, _ := c.Query(ctx, `
		SELECT a.attname::text, a.attcollation <> 0
		FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indrelid = $1::text::regclass AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, ident(t.Schema, t.Name))
	var keys []string
	var name string
	var collatable bool
	if _, err := pgx.ForEachRow(rows, []any{&name, &collatable}, func() error {
		k := ident(name)
		if collatable {
			k += ` COLLATE "C"`
		}
		keys = append(keys, k)
		return nil
	}); err != nil {
		return "", fmt.Errorf("table %s: primary key: %w", t.QualifiedName(), err)
	}
	cols := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = ident(col)
	}
	q := fmt.Sprintf("SELECT %s FROM ONLY %s", strings.Join(cols, ", "), ident(t.Schema, t.Name))
	switch {
	case len(keys) > 0:
		q += " ORDER BY " + strings.Join(keys, ", ")
	case len(cols) > 0:
		q += fmt.Sprintf(` ORDER BY ROW(%s)::text COLLATE "C"`, strings.Join(cols, ", "))
	}
	return "COPY (" + q + ") TO STDOUT", nil
}

func pgCopyIn(t TableInfo) string {
	if len(t.Columns) == 0 {
		return "COPY " + ident(t.Schema, t.Name) + " FROM STDIN"
	}
	cols := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = ident(col)
	}
	return fmt.Sprintf("COPY %s (%s) FROM STDIN", ident(t.Schema, t.Name), strings.Join(cols, ", "))
}

func (p *postgres) empty(ctx context.Context, schemas []string) (bool, error) {
	var n int64
	err := p.withConn(ctx, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, `
			SELECT count(*) FROM pg_depend d JOIN pg_namespace n ON n.oid = d.refobjid
			WHERE d.refclassid = 'pg_namespace'::regclass AND d.deptype = 'n' AND n.nspname = ANY ($1)`,
			schemas).Scan(&n)
	})
	return n == 0, err
}

func (p *postgres) load(ctx context.Context, s *stored) error {
	return p.withConn(ctx, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := setLocal(ctx, c); err != nil {
			return err
		}
		exec := func(ctx context.Context, sql string) error { return pgExec(ctx, c, sql) }
		for _, schema := range s.info.Schemas {
			if err := exec(ctx, "DROP SCHEMA IF EXISTS "+ident(schema)+" CASCADE"); err != nil {
				return fmt.Errorf("drop schema %s: %w", schema, err)
			}
		}
		if err := run(ctx, exec, s.sql.pre); err != nil {
			return fmt.Errorf("%s pre-data: %w", schemaFile, err)
		}
		for _, t := range s.info.Tables {
			if err := pgCopyFile(ctx, c, s, t); err != nil {
				return fmt.Errorf("table %s: %w", t.QualifiedName(), err)
			}
		}
		// The data is checked before post-data, which does not change it, so
		// that row-level security, enabled there, is not in the way.
		for _, t := range s.info.Tables {
			q, err := pgCopyOut(ctx, c, t)
			if err != nil {
				return err
			}
			rh := newRowHash()
			if _, err := c.PgConn().CopyTo(ctx, rh, q); err != nil {
				return fmt.Errorf("table %s: checksum: %w", t.QualifiedName(), err)
			}
			if err := mismatch(t, rh.rows, rh.sum()); err != nil {
				return err
			}
		}
		if err := run(ctx, exec, s.sql.post); err != nil {
			return fmt.Errorf("%s post-data: %w", schemaFile, err)
		}
		for _, q := range s.info.Sequences {
			if _, err := c.Exec(ctx, "SELECT pg_catalog.setval($1::text::regclass, $2, $3)", ident(q.Schema, q.Name), q.Value, q.Called); err != nil {
				return fmt.Errorf("sequence %s.%s: %w", q.Schema, q.Name, err)
			}
		}
		return tx.Commit(ctx)
	})
}

// pgCopyFile copies the data file of t into t.
func pgCopyFile(ctx context.Context, c *pgx.Conn, s *stored, t TableInfo) error {
	f, err := os.Open(s.path(t.File))
	if err != nil {
		return err
	}
	defer f.Close()
	tag, err := c.PgConn().CopyFrom(ctx, f, pgCopyIn(t))
	if err != nil {
		return err
	}
	if tag.RowsAffected() != t.Rows {
		return fmt.Errorf("%d rows copied, the snapshot has %d: %w", tag.RowsAffected(), t.Rows, ErrMismatch)
	}
	return nil
}
