package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/user"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

// Dialect is the database flavour.
type Dialect string

// Supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DialectOf tells the dialect from db's driver: pgx's database/sql driver
// (github.com/jackc/pgx/v5/stdlib) or modernc.org/sqlite.
func DialectOf(db *sql.DB) (Dialect, error) {
	switch {
	case postgres.IsDB(db):
		return Postgres, nil
	case sqlite.IsDB(db):
		return SQLite, nil
	}
	return "", fmt.Errorf("migrations: unsupported driver %T (want pgx's stdlib or modernc.org/sqlite)", db.Driver())
}

// Open opens a database by URL, creating a SQLite file that does not exist:
// postgres://... (or postgresql://) as postgres.OpenDB opens it (TLS
// verified by default for a host that is not local), or sqlite:PATH as
// sqlite.OpenDB opens it (WAL, a busy timeout, BEGIN IMMEDIATE), with the
// settings decant's stores use.
func Open(url string) (*sql.DB, error) {
	return open(url, false)
}

// OpenExisting is Open for a reader: it refuses a SQLite file that does not
// exist, with an error wrapping sqlite.ErrNoFile, instead of creating an
// empty one that a mistyped path would pass for.
func OpenExisting(url string) (*sql.DB, error) {
	return open(url, true)
}

func open(url string, mustExist bool) (*sql.DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres.OpenDB(url)
	case strings.HasPrefix(url, "sqlite:"):
		return sqlite.OpenDB(url, sqlite.Config{MustExist: mustExist})
	}
	return nil, fmt.Errorf("database URL must start with postgres://, postgresql:// or sqlite: (got %q)", decant.RedactURL(url))
}

// ledgerDDL creates decant's migration tables.
func ledgerDDL(d Dialect) []string {
	ts, serial, now := "timestamptz", "bigserial PRIMARY KEY", "now()"
	if d == SQLite {
		ts, serial, now = "TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT", "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
	}
	return []string{
		`CREATE TABLE IF NOT EXISTS decant_migrations (
    id text PRIMARY KEY, number bigint NOT NULL, name text NOT NULL, kind text NOT NULL,
    release text NOT NULL DEFAULT '', checksum text NOT NULL, applied_at ` + ts + ` NOT NULL,
    duration_ms bigint NOT NULL, applied_by text NOT NULL, how text NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS decant_migration_log (
    seq ` + serial + `, at ` + ts + ` NOT NULL DEFAULT ` + now + `, id text NOT NULL,
    action text NOT NULL, checksum text NOT NULL DEFAULT '', detail text NOT NULL DEFAULT '',
    actor text NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS decant_migration_cursors (
    id text PRIMARY KEY, cursor text NOT NULL, rows bigint NOT NULL, updated ` + ts + ` NOT NULL)`,
	}
}

// conn bundles a database with its dialect.
type conn struct {
	db       *sql.DB
	d        Dialect
	by       string
	progress func(Event)
}

func (c *conn) report(e Event) {
	if c.progress != nil {
		c.progress(e)
	}
}

func newConn(db *sql.DB, opts Options) (*conn, error) {
	d, err := DialectOf(db)
	if err != nil {
		return nil, err
	}
	by := opts.AppliedBy
	if by == "" {
		by = defaultBy()
	}
	return &conn{db: db, d: d, by: by, progress: opts.Progress}, nil
}

func defaultBy() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s@%s pid %d", name, host, os.Getpid())
}

// q rewrites $n placeholders for SQLite (?n).
func (c *conn) q(query string) string {
	if c.d == SQLite {
		return placeholder.ReplaceAllString(query, "?$1")
	}
	return query
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

// stamp is how a time is passed to the database.
func (c *conn) stamp(t time.Time) any {
	if c.d == SQLite {
		return t.UTC().Format(sqlite.TimeLayout)
	}
	return t
}

func parseStamp(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case string:
		p, _ := time.Parse(time.RFC3339Nano, t)
		return p
	case []byte:
		p, _ := time.Parse(time.RFC3339Nano, string(t))
		return p
	}
	return time.Time{}
}

// ensureLedger creates the ledger tables.
func (c *conn) ensureLedger(ctx context.Context) error {
	if err := c.create(ctx, ledgerDDL(c.d)); err != nil {
		return fmt.Errorf("create the migration ledger: %w", err)
	}
	return nil
}

// create runs CREATE ... IF NOT EXISTS statements. Processes starting at
// once collide: in PostgreSQL's catalog, and on a new SQLite file, where a
// connection that read the schema cannot wait for another's write lock
// (SQLite returns busy at once rather than deadlock). The loser tries again.
func (c *conn) create(ctx context.Context, stmts []string) error {
	for attempt := 0; ; attempt++ {
		err := c.execAll(ctx, stmts)
		if err == nil || attempt == 20 || !isCreateRace(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(20+rand.N(80)) * time.Millisecond):
		}
	}
}

func (c *conn) execAll(ctx context.Context, stmts []string) error {
	for _, s := range stmts {
		if _, err := c.db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// isCreateRace reports the errors the loser of two concurrent CREATE ...
// IF NOT EXISTS of the same object gets: on PostgreSQL a unique violation
// in the catalog, or the table's or its row type's name taken; on SQLite,
// busy.
func isCreateRace(err error) bool {
	var lite *msqlite.Error
	if errors.As(err, &lite) {
		return lite.Code()&0xff == 5 // SQLITE_BUSY and its extended codes
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	switch pg.Code {
	case "23505", "42P07", "42710": // unique_violation, duplicate_table, duplicate_object
		return true
	}
	return false
}

// ledgerExists reports whether decant_migrations exists, without creating it.
func (c *conn) ledgerExists(ctx context.Context) (bool, error) {
	exists := postgres.TableExists
	if c.d == SQLite {
		exists = sqlite.TableExists
	}
	ok, err := exists(ctx, c.db, "decant_migrations")
	if err != nil {
		return false, fmt.Errorf("look for the migration ledger: %w", err)
	}
	return ok, nil
}

// applied reads the ledger.
func (c *conn) applied(ctx context.Context) (map[string]Applied, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, number, name, kind, release, checksum, applied_at, duration_ms, applied_by, how FROM decant_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read the migration ledger: %w", err)
	}
	defer rows.Close()
	out := map[string]Applied{}
	for rows.Next() {
		var a Applied
		var at any
		var ms int64
		if err := rows.Scan(&a.ID, &a.Number, &a.Name, &a.Kind, &a.Release, &a.Checksum, &at, &ms, &a.AppliedBy, &a.How); err != nil {
			return nil, fmt.Errorf("read the migration ledger: %w", err)
		}
		a.AppliedAt, a.Duration = parseStamp(at), time.Duration(ms)*time.Millisecond
		out[a.ID] = a
	}
	return out, rows.Err()
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// record writes m's ledger row and a log line, in tx.
func (c *conn) record(ctx context.Context, tx execer, m *Migration, how string, d time.Duration, detail string) error {
	_, err := tx.ExecContext(ctx, c.q(`INSERT INTO decant_migrations (id, number, name, kind, release, checksum, applied_at, duration_ms, applied_by, how)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, release = excluded.release,
    checksum = excluded.checksum, applied_at = excluded.applied_at, duration_ms = excluded.duration_ms,
    applied_by = excluded.applied_by, how = excluded.how`),
		m.ID(), m.Number, m.Name, string(m.Kind), m.Release, m.Checksum, c.stamp(time.Now()), d.Milliseconds(), c.by, how)
	if err != nil {
		return fmt.Errorf("record %s in the ledger: %w", m, err)
	}
	return c.log(ctx, tx, m.ID(), how, m.Checksum, detail)
}

// log appends to decant_migration_log.
func (c *conn) log(ctx context.Context, tx execer, id, action, sum, detail string) error {
	_, err := tx.ExecContext(ctx, c.q(`INSERT INTO decant_migration_log (at, id, action, checksum, detail, actor) VALUES ($1, $2, $3, $4, $5, $6)`),
		c.stamp(time.Now()), id, action, sum, detail, c.by)
	if err != nil {
		return fmt.Errorf("write the migration log: %w", err)
	}
	return nil
}
