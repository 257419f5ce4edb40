// Package postgres is decant's PostgreSQL store: it writes batches into the
// target tables and keeps decant's state tables (docs/state.md) in the same
// database, so that a batch's rows and everything describing it commit in one
// transaction.
//
// Rows are loaded with COPY into a temporary table and upserted from there;
// see [Store.WriteBatch].
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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
	// MaxConns caps the connections of the pool. Defaults to the URL's
	// pool_max_conns, else to pgxpool's default (4, or the number of CPUs if
	// that is more).
	MaxConns int32
	// Schema, when set, is put first on every connection's search_path, so
	// the decant_ tables and unqualified target tables are found and created
	// there (public stays on the path after it). Init creates it if missing.
	// Empty keeps the server's search_path.
	Schema string
}

// Store is a PostgreSQL database holding target tables and decant's state.
// It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	schema string

	tables tablecache.Cache[*table] // target table descriptions, by name as written in batches

	mu sync.Mutex // guards pessimism
	// pessimism counts, per load, the batches left that go straight to the
	// upsert path after one met an existing key (see WriteBatch).
	pessimism map[string]int
}

// Open connects to the database at url (postgres://user:password@host:port/db?...
// or a keyword/value string) and checks that it answers. The URL is read by
// [ParseConfig], which verifies TLS by default for hosts that are not local.
// The password never appears in its errors, even in part.
func Open(ctx context.Context, url string, cfg Config) (*Store, error) {
	pc, err := ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	if cfg.Schema != "" {
		pc.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{cfg.Schema}.Sanitize() + ", public"
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", decant.RedactURL(url), decant.RedactError(err, url))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, connectError(url, err)
	}
	return &Store{pool: pool, schema: cfg.Schema, pessimism: map[string]int{}}, nil
}

// connectError names the server decant could not reach, without the
// password, and explains a TLS failure that decant's default caused.
func connectError(url string, err error) error {
	err = decant.RedactError(err, url)
	if hint := tlsHint(err); hint != "" {
		return fmt.Errorf("postgres: connect to %s: %w (%s)", decant.RedactURL(url), err, hint)
	}
	return fmt.Errorf("postgres: connect to %s: %w", decant.RedactURL(url), err)
}

// Pool returns the store's connection pool, for tests and tools that need
// SQL of their own.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool's connections. It waits for connections in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

//go:embed migration/*.sql
var migrationFS embed.FS

// initLock is the advisory lock key that serializes Init across processes
// (the bytes of "decant01").
const initLock = 0x646563616e743031

// Init creates or upgrades the state tables. Concurrent calls, from this
// process or others, wait for each other on an advisory lock.
func (s *Store) Init(ctx context.Context) error {
	migrations, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: init: %w", err)
	}
	var upgraded bool
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(initLock)); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if s.schema != "" {
			if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{s.schema}.Sanitize()); err != nil {
				return fmt.Errorf("create schema %s: %w", s.schema, err)
			}
		}
		upgraded, err = migrate(ctx, tx, migrations)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: init: %w", err)
	}
	if upgraded {
		// The pool's connections cache statements planned against the old
		// tables (version 9 turned the ledger table into a view), which
		// the server refuses to run again ("cached plan must not change
		// result type"): start over with new connections.
		s.pool.Reset()
	}
	return nil
}

// migrate applies the migrations newer than the version in decant_schema,
// and reports whether it upgraded tables that existed before (a version
// other than 0).
func migrate(ctx context.Context, tx pgx.Tx, migrations []string) (upgraded bool, err error) {
	if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS decant_schema (version int NOT NULL)"); err != nil {
		return false, fmt.Errorf("create decant_schema: %w", err)
	}
	var version int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM decant_schema").Scan(&version); err != nil {
		return false, fmt.Errorf("read version: %w", err)
	}
	if version > len(migrations) {
		return false, fmt.Errorf("state tables are at version %d, newer than this decant knows (%d): upgrade decant", version, len(migrations))
	}
	if version == len(migrations) {
		return false, nil
	}
	for i, name := range migrations[version:] {
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return false, err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return false, fmt.Errorf("migrate to version %d (%s): %w", version+i+1, name, err)
		}
	}
	_, err = tx.Exec(ctx, "DELETE FROM decant_schema; INSERT INTO decant_schema (version) VALUES ("+fmt.Sprint(len(migrations))+")")
	if err != nil {
		return false, fmt.Errorf("record version: %w", err)
	}
	return version > 0, nil
}

// tx is a transaction of a Store.
type tx struct {
	pgx.Tx
	store *Store
	// temps counts the temporary tables made in this transaction, to name them.
	temps int
}

// Begin opens a write transaction for WriteBatch.
func (s *Store) Begin(ctx context.Context) (decant.Tx, error) {
	t, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	return &tx{Tx: t, store: s}, nil
}

// tempName returns a new name for a temporary table of this transaction.
// Names repeat from one transaction to the next, which keeps the statements
// that use them identical, so they stay in the prepared statement cache.
func (t *tx) tempName() string {
	t.temps++
	return fmt.Sprintf("decant_tmp_%d", t.temps)
}

func (s *Store) txOf(dtx decant.Tx) (*tx, error) {
	t, ok := dtx.(*tx)
	if !ok || t.store != s {
		return nil, errors.New("postgres: transaction was not begun by this store")
	}
	return t, nil
}
