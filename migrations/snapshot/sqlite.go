package snapshot

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sqlite saves and loads SQLite databases (the main database of the
// connection). The schema is the SQL that created each object, from
// sqlite_master; the data is one JSON array a row, a value each:
//
//	null         NULL
//	42           INTEGER
//	"r:1.5"      REAL, shortest text that reads back exactly
//	"t:text"     TEXT that is valid UTF-8
//	"x:e29c"     TEXT that is not, as hex of its bytes
//	"b:AAE="     BLOB, base64
//
// so that every value comes back with its storage class and bytes.
type sqlite struct {
	db *sql.DB
}

func (s *sqlite) name() string { return dialectSQLite }

// sqliteQuerier is what reading needs of a *sql.Tx.
type sqliteQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// quoteSQLite quotes a name for SQLite.
func quoteSQLite(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

type sqliteObject struct {
	typ, name, sql string
}

// sqliteObjects returns the objects of the main database but SQLite's own,
// in the order they were created.
func sqliteObjects(ctx context.Context, q sqliteQuerier) ([]sqliteObject, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, coalesce(sql, '') FROM main.sqlite_master
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var objs []sqliteObject
	for rows.Next() {
		var o sqliteObject
		if err := rows.Scan(&o.typ, &o.name, &o.sql); err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, rows.Err()
}

// hasTable reports whether the main database has a table called name.
func hasTable(ctx context.Context, q sqliteQuerier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	return n > 0, err
}

func (s *sqlite) save(ctx context.Context, w *dirWriter, info *Info) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Read only: a deferred transaction, which sees one state of the
	// database without holding off writers.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&info.ServerVersion); err != nil {
		return err
	}
	if err := sqliteRefuseVirtual(ctx, tx); err != nil {
		return err
	}
	objs, err := sqliteObjects(ctx, tx)
	if err != nil {
		return err
	}
	var sc script
	var tables []string
	for _, o := range objs {
		if o.sql == "" { // an index SQLite made for a constraint
			continue
		}
		st := strings.TrimSpace(o.sql) + ";"
		switch o.typ {
		case "table":
			sc.add(&sc.pre, "TABLE", o.name, st)
			tables = append(tables, o.name)
		case "index":
			sc.add(&sc.post, "INDEX", o.name, st)
		case "view":
			sc.add(&sc.post, "VIEW", o.name, st)
		case "trigger":
			sc.add(&sc.post, "TRIGGER", o.name, st)
		default:
			return fmt.Errorf("%s %s: %w", o.typ, o.name, ErrUnsupported)
		}
	}
	for _, p := range []string{"user_version", "application_id"} {
		var v int64
		if err := tx.QueryRowContext(ctx, "PRAGMA main."+p).Scan(&v); err != nil {
			return err
		}
		sc.add(&sc.post, "PRAGMA", p, fmt.Sprintf("PRAGMA main.%s = %d;", p, v))
	}
	if err := sc.check(); err != nil {
		return err
	}
	header := fmt.Sprintf(`-- decant snapshot %q of a SQLite %s database, taken %s.
-- Run as a whole on an empty database, this file creates the schema without
-- data. "decant snapshot load" runs the pre-data section, loads the data,
-- then the post-data section. Lines starting with %q divide the file:
-- keep them when editing.
`, info.Name, info.ServerVersion, info.Taken.Format("2006-01-02T15:04:05Z"), marker)
	if err := w.writeFile(schemaFile, func(wr io.Writer) error {
		_, err := wr.Write(sc.render(header))
		return err
	}); err != nil {
		return err
	}
	for i, name := range tables {
		cols, err := sqliteDataColumns(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		ti := TableInfo{Name: name, Columns: cols, File: dataFile(i, name, "jsonl")}
		rh := newRowHash()
		if err := w.writeFile(ti.File, func(wr io.Writer) error {
			return sqliteDump(ctx, tx, ti, io.MultiWriter(wr, rh))
		}); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		ti.Rows, ti.Checksum = rh.rows, rh.sum()
		info.Tables = append(info.Tables, ti)
	}
	if ok, err := hasTable(ctx, tx, "sqlite_sequence"); err != nil {
		return err
	} else if ok {
		rows, err := tx.QueryContext(ctx, "SELECT name, seq FROM main.sqlite_sequence ORDER BY name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var q SequenceInfo
			if err := rows.Scan(&q.Name, &q.Value); err != nil {
				return err
			}
			info.Sequences = append(info.Sequences, q)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// sqliteRefuseVirtual refuses virtual tables: their data lives in shadow
// tables that their module manages.
func sqliteRefuseVirtual(ctx context.Context, q sqliteQuerier) error {
	rows, err := q.QueryContext(ctx, "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow') ORDER BY name")
	if err != nil {
		return err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return err
		}
		found = append(found, typ+" table "+name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("%s: %w", strings.Join(found, ", "), ErrUnsupported)
	}
	return nil
}

// sqliteColumns describes a table's columns.
type sqliteColumns struct {
	names    []string // ordinary columns, in order
	key      []string // primary key columns, in key order
	rowidCol string   // the column that is an alias of rowid, if any
	rowid    bool     // whether the table has a rowid
}

func readSQLiteColumns(ctx context.Context, q sqliteQuerier, table string) (*sqliteColumns, error) {
	c := new(sqliteColumns)
	var wr bool
	if err := q.QueryRowContext(ctx, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", table).Scan(&wr); err != nil {
		return nil, err
	}
	c.rowid = !wr
	rows, err := q.QueryContext(ctx, "SELECT name, upper(type), pk, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type keyCol struct {
		name string
		pk   int
		typ  string
	}
	var keys []keyCol
	for rows.Next() {
		var name, typ string
		var pk, hidden int
		if err := rows.Scan(&name, &typ, &pk, &hidden); err != nil {
			return nil, err
		}
		if hidden == 0 {
			c.names = append(c.names, name)
		}
		if pk > 0 {
			keys = append(keys, keyCol{name, pk, typ})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(keys, func(a, b keyCol) int { return a.pk - b.pk })
	for _, k := range keys {
		c.key = append(c.key, k.name)
	}
	if c.rowid && len(keys) == 1 && keys[0].typ == "INTEGER" {
		c.rowidCol = keys[0].name
	}
	return c, nil
}

// rowidName returns the name under which the table's rowid is carried, or
// "" when it is not: the table has none, or a column is an alias of it.
func (c *sqliteColumns) rowidName() string {
	if !c.rowid || c.rowidCol != "" {
		return ""
	}
	for _, name := range []string{"rowid", "_rowid_", "oid"} {
		if !slices.ContainsFunc(c.names, func(n string) bool { return strings.EqualFold(n, name) }) {
			return name
		}
	}
	return ""
}

// sqliteDataColumns returns the columns a table's data file holds: its
// rowid first, when carried, then the columns that are not generated.
func sqliteDataColumns(ctx context.Context, q sqliteQuerier, table string) ([]string, error) {
	c, err := readSQLiteColumns(ctx, q, table)
	if err != nil {
		return nil, err
	}
	if r := c.rowidName(); r != "" {
		return append([]string{r}, c.names...), nil
	}
	return c.names, nil
}

// sqliteColumnList quotes t's data columns for SQL, leaving the rowid's
// name bare (quoted, it could be taken for a string).
func sqliteColumnList(t TableInfo, c *sqliteColumns) []string {
	out := make([]string, len(t.Columns))
	for i, name := range t.Columns {
		if i == 0 && name == c.rowidName() {
			out[i] = name
		} else {
			out[i] = quoteSQLite(name)
		}
	}
	return out
}

// sqliteDump writes t's rows in canonical form: ordered by primary key and
// rowid, one JSON array a line.
func sqliteDump(ctx context.Context, q sqliteQuerier, t TableInfo, w io.Writer) error {
	c, err := readSQLiteColumns(ctx, q, t.Name)
	if err != nil {
		return err
	}
	cols := sqliteColumnList(t, c)
	sel := make([]string, 0, 2*len(cols))
	for _, col := range cols {
		sel = append(sel, "typeof("+col+")", fmt.Sprintf("CASE WHEN typeof(%[1]s) IN ('text', 'blob') THEN CAST(%[1]s AS BLOB) ELSE %[1]s END", col))
	}
	var order []string
	for _, k := range c.key {
		order = append(order, quoteSQLite(k))
	}
	if r := c.rowidName(); r != "" {
		order = append(order, r)
	}
	if len(order) == 0 {
		order = cols
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM main.%s ORDER BY %s",
		strings.Join(sel, ", "), quoteSQLite(t.Name), strings.Join(order, ", ")))
	if err != nil {
		return err
	}
	defer rows.Close()
	types := make([]string, len(cols))
	vals := make([]any, len(cols))
	dest := make([]any, 2*len(cols))
	for i := range cols {
		dest[2*i], dest[2*i+1] = &types[i], &vals[i]
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	row := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i := range cols {
			if row[i], err = encodeSQLite(types[i], vals[i]); err != nil {
				return fmt.Errorf("column %s: %w", t.Columns[i], err)
			}
		}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// encodeSQLite returns the JSON form of a value of storage class typ.
func encodeSQLite(typ string, v any) (any, error) {
	switch typ {
	case "null":
		return nil, nil
	case "integer":
		if i, ok := v.(int64); ok {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
	case "real":
		if f, ok := v.(float64); ok {
			return "r:" + strconv.FormatFloat(f, 'g', -1, 64), nil
		}
	case "text", "blob":
		var b []byte
		switch v := v.(type) {
		case []byte:
			b = v
		case string:
			b = []byte(v)
		case nil:
		default:
			return nil, fmt.Errorf("%s value read as %T", typ, v)
		}
		switch {
		case typ == "blob":
			return "b:" + base64.StdEncoding.EncodeToString(b), nil
		case utf8.Valid(b):
			return "t:" + string(b), nil
		default:
			return "x:" + hex.EncodeToString(b), nil
		}
	}
	return nil, fmt.Errorf("%s value read as %T", typ, v)
}

// decodeSQLite returns the value whose JSON form is v, for binding.
func decodeSQLite(v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case json.Number:
		return strconv.ParseInt(string(v), 10, 64)
	case string:
		tag, s, ok := strings.Cut(v, ":")
		if ok {
			switch tag {
			case "r":
				return strconv.ParseFloat(s, 64)
			case "t":
				return s, nil
			case "x":
				b, err := hex.DecodeString(s)
				return string(b), err
			case "b":
				b, err := base64.StdEncoding.DecodeString(s)
				if b == nil {
					b = []byte{}
				}
				return b, err
			}
		}
	}
	return nil, fmt.Errorf("bad value %v", v)
}

func (s *sqlite) empty(ctx context.Context, _ []string) (bool, error) {
	objs, err := sqliteObjects(ctx, s.db)
	return len(objs) == 0, err
}

func (s *sqlite) load(ctx context.Context, st *stored) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Foreign keys are not enforced during the load, as the rows of a table
	// may come before those they refer to, and SQLite can only switch them
	// off outside a transaction.
	var fk bool
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if fk {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, err2 := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); err2 != nil {
				err = errors.Join(err, err2)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := sqliteDrop(ctx, tx); err != nil {
		return err
	}
	exec := func(ctx context.Context, sql string) error {
		_, err := tx.ExecContext(ctx, sql)
		return err
	}
	if err := run(ctx, exec, st.sql.pre); err != nil {
		return fmt.Errorf("%s pre-data: %w", schemaFile, err)
	}
	for _, t := range st.info.Tables {
		if err := sqliteLoadFile(ctx, tx, st, t); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	for _, t := range st.info.Tables {
		rh := newRowHash()
		if err := sqliteDump(ctx, tx, t, rh); err != nil {
			return fmt.Errorf("table %s: checksum: %w", t.Name, err)
		}
		if err := mismatch(t, rh.rows, rh.sum()); err != nil {
			return err
		}
	}
	if err := run(ctx, exec, st.sql.post); err != nil {
		return fmt.Errorf("%s post-data: %w", schemaFile, err)
	}
	if err := sqliteSequences(ctx, tx, st.info.Sequences); err != nil {
		return err
	}
	return tx.Commit()
}

// sqliteDrop drops every trigger, view and table (and so index) of the
// main database, and empties sqlite_sequence.
func sqliteDrop(ctx context.Context, tx *sql.Tx) error {
	objs, err := sqliteObjects(ctx, tx)
	if err != nil {
		return err
	}
	for _, typ := range []string{"trigger", "view", "table"} {
		for _, o := range objs {
			if o.typ != typ {
				continue
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP %s IF EXISTS main.%s", strings.ToUpper(typ), quoteSQLite(o.name))); err != nil {
				return fmt.Errorf("drop %s %s: %w", typ, o.name, err)
			}
		}
	}
	if ok, err := hasTable(ctx, tx, "sqlite_sequence"); err != nil {
		return err
	} else if ok {
		if _, err := tx.ExecContext(ctx, "DELETE FROM main.sqlite_sequence"); err != nil {
			return err
		}
	}
	return nil
}

// sqliteLoadFile inserts the rows of t's data file.
func sqliteLoadFile(ctx context.Context, tx *sql.Tx, st *stored, t TableInfo) error {
	c, err := readSQLiteColumns(ctx, tx, t.Name)
	if err != nil {
		return err
	}
	cols := sqliteColumnList(t, c)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO main.%s (%s) VALUES (%s)", quoteSQLite(t.Name), strings.Join(cols, ", "), marks))
	if err != nil {
		return err
	}
	defer stmt.Close()
	f, err := os.Open(st.path(t.File))
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	dec.UseNumber()
	var n int64
	args := make([]any, len(cols))
	for {
		var row []any
		if err := dec.Decode(&row); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("row %d: %w", n+1, err)
		}
		if len(row) != len(cols) {
			return fmt.Errorf("row %d has %d values, want %d", n+1, len(row), len(cols))
		}
		for i, v := range row {
			if args[i], err = decodeSQLite(v); err != nil {
				return fmt.Errorf("row %d, column %s: %w", n+1, t.Columns[i], err)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	if n != t.Rows {
		return fmt.Errorf("%d rows in the data file, the snapshot has %d: %w", n, t.Rows, ErrMismatch)
	}
	return nil
}

// sqliteSequences sets sqlite_sequence to the snapshot's counters.
func sqliteSequences(ctx context.Context, tx *sql.Tx, seqs []SequenceInfo) error {
	ok, err := hasTable(ctx, tx, "sqlite_sequence")
	if err != nil || !ok {
		if err == nil && len(seqs) > 0 {
			err = errors.New("sqlite_sequence: no AUTOINCREMENT table to hold the snapshot's counters")
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM main.sqlite_sequence"); err != nil {
		return err
	}
	for _, q := range seqs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)", q.Name, q.Value); err != nil {
			return fmt.Errorf("sqlite_sequence %s: %w", q.Name, err)
		}
	}
	return nil
}
