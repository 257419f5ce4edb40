// Package sqlite is decant's SQLite store, the embedded default: it writes
// batches into the target tables and keeps decant's state tables
// (docs/state.md) in the same database file, so that a batch's rows and
// everything describing it commit in one transaction. It uses the pure-Go
// driver modernc.org/sqlite.
//
// Values are written as SQLite keeps them best: times as RFC 3339 text in
// UTC with nine fractional digits (so that they sort as text), dates as
// 2006-01-02, booleans as 0 and 1, decimals and JSON as text. A column
// declared NUMERIC or DECIMAL has NUMERIC affinity, and SQLite turns decimal
// text that fits a float into one ("12.30" becomes 12.3); declare a column
// TEXT to keep decimals exactly.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/tablecache"
)

// A Store has every role (see decant.Store); ErrorResolver and
// ScriptRunner are asserted beside their methods.
var (
	_ decant.Store            = (*Store)(nil)
	_ decant.StateInitializer = (*Store)(nil)
	_ decant.Leaser           = (*Store)(nil)
	_ decant.StateReader      = (*Store)(nil)
	_ decant.Cataloger        = (*Store)(nil)
	_ decant.Pinger           = (*Store)(nil)
)

// Config holds the optional settings of a [Store]. The zero value is ready to use.
type Config struct {
	// BusyTimeout is how long a write waits for another process's write
	// transaction to end. Defaults to 10s.
	BusyTimeout time.Duration
	// Synchronous is how a commit waits for the disk: SyncFull (the
	// default) or SyncNormal. A sqlite:PATH?synchronous=... URL sets it.
	Synchronous Sync
	// MustExist refuses a database file that does not exist, with an error
	// wrapping [ErrNoFile], instead of creating an empty one. Commands that
	// only read set it, so that a mistyped path is not taken for an empty
	// database.
	MustExist bool
}

// Sync is SQLite's synchronous setting, how a commit waits for the disk.
// In WAL mode, both keep a committed transaction when decant's process
// dies (killed, crashed, out of memory), and both keep the file whole.
type Sync string

const (
	// SyncFull syncs the WAL to disk at every commit, so that a committed
	// batch also survives a power loss or a crash of the operating
	// system. It is the default.
	SyncFull Sync = "full"
	// SyncNormal syncs the WAL only when its pages are copied into the
	// database. A power loss or a crash of the operating system may undo
	// the last batches committed before it: each with its rows, ledger,
	// errors, audit row and checkpoint, so the next run writes them again.
	SyncNormal Sync = "normal"
)

// ErrNoFile is returned by [Open] with Config.MustExist when the database
// file does not exist.
var ErrNoFile = errors.New("no such database file")

// Store is a SQLite database holding target tables and decant's state.
// It is safe for concurrent use.
//
// Writes go through one connection, as SQLite allows one writer at a time;
// reads have connections of their own, so that they neither wait for nor
// deadlock with an open write transaction (the database is in WAL mode).
type Store struct {
	db   *sql.DB // writes: one connection, transactions BEGIN IMMEDIATE
	read *sql.DB // reads

	stmts stmtCache // the inserts prepared on the write connection

	tables tablecache.Cache[*table] // target table descriptions, by name as written in batches
}

// Open opens the database file at path, creating it if needed unless
// cfg.MustExist is set. path is read as [OpenDB] reads it.
func Open(ctx context.Context, path string, cfg Config) (*Store, error) {
	db, err := OpenDB(path, cfg)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	read, err := openDB(path, cfg, false)
	if err != nil {
		db.Close()
		return nil, err
	}
	read.SetMaxOpenConns(4)
	s := &Store{db: db, read: read}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DB returns the store's write connection pool (one connection), for tests
// and tools that need SQL of their own. Do not hold its connection while
// calling the store's write methods.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.closeStmts(), s.read.Close(), s.db.Close())
}

// Ping checks that the database file can be opened and read.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

//go:embed schema.sql
var schemaV1 string

// migrations take the state tables from version i to i+1; their number is
// the version this package writes. postgres/migration holds the same steps.
var migrations = []string{
	schemaV1,
	// 2: decant_scopes.status was never advanced past 'new'; the scope
	// lifecycle has no command yet (docs/state.md).
	"ALTER TABLE decant_scopes DROP COLUMN status",
	// 3: errors keep their source key and a history of resolutions.
	`ALTER TABLE decant_errors ADD COLUMN source_key TEXT;
	 ALTER TABLE decant_errors ADD COLUMN place TEXT NOT NULL DEFAULT '';
	 ALTER TABLE decant_errors ADD COLUMN source_error TEXT NOT NULL DEFAULT '';
	 ALTER TABLE decant_errors ADD COLUMN history TEXT NOT NULL DEFAULT ''`,
	// 4: decant_diffs keeps what verify found (postgres/migration/004_diffs.sql).
	`CREATE TABLE IF NOT EXISTS decant_diffs (
	     scope      TEXT NOT NULL,
	     step       TEXT NOT NULL,
	     table_name TEXT NOT NULL,
	     key        TEXT NOT NULL,
	     kind       TEXT NOT NULL,
	     columns    TEXT NOT NULL DEFAULT '[]',
	     rule       TEXT NOT NULL DEFAULT '',
	     reason     TEXT NOT NULL DEFAULT '',
	     run        TEXT NOT NULL DEFAULT '',
	     found_at   TEXT NOT NULL,
	     PRIMARY KEY (scope, step, table_name, key)
	 )`,
	// 5: decant_patches keeps what patch wrote, to revert it
	// (postgres/migration/005_patches.sql).
	`CREATE TABLE IF NOT EXISTS decant_patches (
	     id            INTEGER PRIMARY KEY AUTOINCREMENT,
	     scope         TEXT NOT NULL,
	     step          TEXT NOT NULL,
	     key           TEXT NOT NULL,
	     findings      TEXT NOT NULL DEFAULT '[]',
	     reason        TEXT NOT NULL,
	     tables        TEXT NOT NULL,
	     before        TEXT NOT NULL,
	     after         TEXT NOT NULL,
	     patched_at    TEXT NOT NULL,
	     reverted_at   TEXT,
	     revert_reason TEXT NOT NULL DEFAULT ''
	 );
	 CREATE INDEX IF NOT EXISTS decant_patches_key ON decant_patches (scope, step, key)`,
	// 6: findings keep their key's order key, and verify runs their
	// progress, so a verify stores findings by key range and resumes
	// (postgres/migration/006_verify_progress.sql). The column is added,
	// not the table rebuilt, so views and indexes on it stay.
	`ALTER TABLE decant_diffs ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
	 CREATE INDEX IF NOT EXISTS decant_diffs_order ON decant_diffs (scope, step, table_name, sort_key);
	 CREATE TABLE IF NOT EXISTS decant_verify_runs (
	     scope   TEXT NOT NULL,
	     run     TEXT NOT NULL,
	     plan    TEXT NOT NULL DEFAULT '',
	     steps   TEXT NOT NULL DEFAULT '[]',
	     status  TEXT NOT NULL,
	     message TEXT NOT NULL DEFAULT '',
	     started TEXT NOT NULL,
	     updated TEXT NOT NULL,
	     PRIMARY KEY (scope, run)
	 );
	 CREATE TABLE IF NOT EXISTS decant_verify_progress (
	     scope      TEXT NOT NULL,
	     run        TEXT NOT NULL,
	     step       TEXT NOT NULL,
	     table_name TEXT NOT NULL,
	     last_key   TEXT NOT NULL DEFAULT '',
	     done       INTEGER NOT NULL DEFAULT 0,
	     result     TEXT NOT NULL DEFAULT '',
	     updated    TEXT NOT NULL,
	     PRIMARY KEY (scope, run, step, table_name)
	 )`,
	// 7: each scope's lifecycle state on its lease row, and the history of
	// its transitions (postgres/migration/007_lifecycle.sql).
	`ALTER TABLE decant_scopes ADD COLUMN state TEXT NOT NULL DEFAULT 'new';
	 ALTER TABLE decant_scopes ADD COLUMN state_since TEXT;
	 ALTER TABLE decant_scopes ADD COLUMN state_note TEXT NOT NULL DEFAULT '';
	 CREATE TABLE IF NOT EXISTS decant_scope_history (
	     id         INTEGER PRIMARY KEY AUTOINCREMENT,
	     scope      TEXT NOT NULL,
	     at         TEXT NOT NULL,
	     from_state TEXT NOT NULL,
	     to_state   TEXT NOT NULL,
	     command    TEXT NOT NULL DEFAULT '',
	     note       TEXT NOT NULL DEFAULT ''
	 );
	 CREATE INDEX IF NOT EXISTS decant_scope_history_scope ON decant_scope_history (scope, id)`,
	// 8: the checkpoint of each chunk of a step read in parallel
	// (postgres/migration/008_chunks.sql).
	`CREATE TABLE IF NOT EXISTS decant_chunks (
	     scope    TEXT NOT NULL,
	     step     TEXT NOT NULL,
	     chunk    TEXT NOT NULL,
	     position TEXT NOT NULL,
	     updated  TEXT NOT NULL,
	     PRIMARY KEY (scope, step, chunk)
	 ) WITHOUT ROWID`,
	// 9: the ledger in blocks, one per written batch, read through a view
	// of the old table's name and columns (blocks.go; the postgres store's
	// version 9 is the same change). ledgerToBlocks completes it.
	ledgerBlocksSchema,
	// 10: the fields of a step's records that reached no column
	// (postgres/migration/010_unmapped.sql).
	`CREATE TABLE IF NOT EXISTS decant_unmapped (
	     scope   TEXT NOT NULL,
	     step    TEXT NOT NULL,
	     tbl     TEXT NOT NULL,
	     path    TEXT NOT NULL,
	     records INTEGER NOT NULL,
	     example TEXT NOT NULL,
	     updated TEXT NOT NULL,
	     PRIMARY KEY (scope, step, tbl, path)
	 ) WITHOUT ROWID`,
}

// migrationsCode completes the migration to a version (the key) after its
// SQL: what SQL alone does slowly.
var migrationsCode = map[int]func(context.Context, *sql.Tx) error{9: ledgerToBlocks}

// Init creates or upgrades the state tables. Concurrent calls, from this
// process or others, take turns on SQLite's write lock.
func (s *Store) Init(ctx context.Context) error {
	if err := s.inTx(ctx, migrate); err != nil {
		return fmt.Errorf("sqlite: init: %w", err)
	}
	return nil
}

func migrate(ctx context.Context, tx *sql.Tx) error { return migrateTo(ctx, tx, len(migrations)) }

// migrateTo takes the state tables to version target; tests build older
// versions with it.
func migrateTo(ctx context.Context, tx *sql.Tx, target int) error {
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS decant_schema (version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("create decant_schema: %w", err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM decant_schema").Scan(&version); err != nil {
		return fmt.Errorf("read version: %w", err)
	}
	switch {
	case version > len(migrations):
		return fmt.Errorf("state tables are at version %d, newer than this decant knows (%d): upgrade decant", version, len(migrations))
	case version >= target:
		return nil
	}
	for i, m := range migrations[version:target] {
		to := version + i + 1
		if _, err := tx.ExecContext(ctx, m); err != nil {
			return fmt.Errorf("migrate to version %d: %w", to, err)
		}
		if code := migrationsCode[to]; code != nil {
			if err := code(ctx, tx); err != nil {
				return fmt.Errorf("migrate to version %d: %w", to, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM decant_schema; INSERT INTO decant_schema (version) VALUES (?)", target); err != nil {
		return fmt.Errorf("record version: %w", err)
	}
	return nil
}

// inTx runs fn in a write transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// tx is a transaction of a Store, on a connection of its own from the
// write pool (of one), where the store's prepared inserts run.
type tx struct {
	*sql.Tx
	conn  *sql.Conn
	store *Store
	args  []driver.NamedValue // the inserts' arguments, kept for the next statement
	// stop cancels the giving back of the connection when Begin's ctx
	// ends: a transaction abandoned without Commit or Rollback (a panic
	// recovered between the two) is rolled back by database/sql when its
	// ctx ends, but its connection, the store's only write connection,
	// would stay with the abandoned sql.Conn.
	stop func() bool
}

// Commit commits the transaction and gives its connection back.
func (t *tx) Commit(context.Context) error {
	return t.end(t.Tx.Commit())
}

// Rollback aborts the transaction and gives its connection back.
func (t *tx) Rollback(context.Context) error {
	return t.end(t.Tx.Rollback())
}

// end gives the transaction's connection back to the pool, once.
func (t *tx) end(err error) error {
	t.stop()
	if cerr := t.conn.Close(); cerr != nil && !errors.Is(cerr, sql.ErrConnDone) {
		return errors.Join(err, cerr)
	}
	return err
}

// Begin opens a write transaction for WriteBatch. It holds SQLite's write
// lock (BEGIN IMMEDIATE) and the store's write connection until it ends.
func (s *Store) Begin(ctx context.Context) (decant.Tx, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	tt := &tx{Tx: t, conn: conn, store: s}
	// Close waits for the rollback database/sql makes when ctx ends; a
	// second Close (end's, racing it) says ErrConnDone, which end ignores.
	tt.stop = context.AfterFunc(ctx, func() { conn.Close() })
	return tt, nil
}

func (s *Store) txOf(dtx decant.Tx) (*tx, error) {
	t, ok := dtx.(*tx)
	if !ok || t.store != s {
		return nil, errors.New("sqlite: transaction was not begun by this store")
	}
	return t, nil
}

func stamp(t time.Time) string { return t.UTC().Format(TimeLayout) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
