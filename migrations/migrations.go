// Package migrations applies versioned schema and data migrations to
// PostgreSQL and SQLite, and records them in a checksummed ledger.
//
// A migration is a numbered SQL file in a directory (or any fs.FS), such as
// 0007_add_consent.sql, or a Go function registered in [Options.Go]. Files
// named R__name.sql are repeatable: they are applied again whenever their
// text changes (views, functions, triggers, row-level security). Comment
// lines starting with "-- decant:" set a migration's options:
//
//	-- decant:release 1.4.0        the application release that needs it
//	-- decant:no-transaction       run statement by statement, outside a transaction
//	-- decant:rerunnable           may be re-run by Redo
//	-- decant:guard SELECT ...     Redo refuses unless this query returns true
//	-- decant:batch size=1000 start=0
//	                              a data migration run in batches (see below)
//	-- decant:down                 what follows undoes the migration (see [Down])
//
// Every migration runs in its own transaction unless it opts out, under a
// lock, so that several processes starting at once apply each migration
// once. A failure stops with the file, the statement, its position and the
// database's error, and nothing is recorded as applied. An applied
// migration whose text changed is refused until [AcceptChecksum] records
// the edit. See docs/migrations.md.
//
// A batched data migration is one statement that uses :cursor and :size
// and returns the key of every row it touched, such as
//
//	UPDATE person SET full_name = first || ' ' || last
//	WHERE id IN (SELECT id FROM person WHERE id > :cursor ORDER BY id LIMIT :size)
//	RETURNING id
//
// It runs until a batch touches no row; each batch commits with the
// largest key as the next cursor, so a crash loses at most the batch in
// flight and the next run resumes.
package migrations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Kind says what a migration is made of.
type Kind string

// Kinds of migration.
const (
	KindSQL        Kind = "sql"
	KindGo         Kind = "go"
	KindRepeatable Kind = "repeatable"
)

// Migration is one versioned or repeatable migration, as loaded.
type Migration struct {
	// Number orders versioned migrations; 0 for repeatable ones.
	Number int64 `json:"number"`
	// Name is the file name without number and extension ("add_consent").
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Release is the application release that needs the migration, if
	// given ("1.4.0").
	Release string `json:"release,omitempty"`
	// File is the path in the migrations directory; empty for Go ones.
	File string `json:"file,omitempty"`
	// Checksum is the SHA-256 of the normalised text (or of a Go
	// migration's Fingerprint).
	Checksum   string `json:"checksum"`
	NoTx       bool   `json:"no_tx,omitempty"`
	Rerunnable bool   `json:"rerunnable,omitempty"`
	// Guard is a query that must return true for Redo to re-run it.
	Guard string `json:"guard,omitempty"`
	// Batch is set for a batched data migration.
	Batch *BatchSpec `json:"batch,omitempty"`

	up, down []statement
	goMig    *GoMigration
}

// ID is the migration's key in the ledger: its number, or "R:" and the
// name for a repeatable migration.
func (m *Migration) ID() string {
	if m.Kind == KindRepeatable {
		return "R:" + m.Name
	}
	return fmt.Sprint(m.Number)
}

// String names the migration for messages: its file, or "go migration N name".
func (m *Migration) String() string {
	if m.File != "" {
		return m.File
	}
	return fmt.Sprintf("go migration %d %s", m.Number, m.Name)
}

// HasDown reports whether the migration has a down section (a Go
// migration: a Down function), so that [Down] can revert it.
func (m *Migration) HasDown() bool {
	return len(m.down) > 0 || m.goMig != nil && m.goMig.Down != nil
}

// BatchSpec describes a batched data migration.
type BatchSpec struct {
	Size int `json:"size"`
	// Start is the cursor of the first batch: an int64 or a string.
	Start any `json:"start,omitempty"`
}

// GoMigration is a migration written in Go, registered through
// [Options.Go]. Exactly one of Up, UpNoTx and Batch must be set.
type GoMigration struct {
	Number  int64
	Name    string
	Release string
	// Fingerprint stands for the code in the checksum: change it when the
	// migration's code changes, and the ledger will notice.
	Fingerprint string
	Rerunnable  bool
	// Up runs inside the migration's transaction.
	Up func(ctx context.Context, tx *sql.Tx) error
	// UpNoTx runs without a transaction.
	UpNoTx func(ctx context.Context, db *sql.DB) error
	// Batch runs one batch inside its own transaction, from cursor (nil on
	// the first batch), and returns the cursor after it and how many rows
	// it handled; 0 rows ends the migration.
	Batch     func(ctx context.Context, tx *sql.Tx, cursor json.RawMessage, size int) (next json.RawMessage, rows int, err error)
	BatchSize int
	// Down, optional, undoes the migration inside a transaction, for
	// [Down]. Include it in Fingerprint's notion of the code.
	Down func(ctx context.Context, tx *sql.Tx) error
}

// Options tune Up and the other calls. The zero value applies everything
// pending under an advisory lock (PostgreSQL) or a lease row (SQLite).
type Options struct {
	// Go lists migrations written in Go, numbered with the files.
	Go []GoMigration
	// To stops after migration To; 0 means all.
	To int64
	// Release stops before the first migration of a later release.
	Release string
	// SkipBatched stops before the first pending batched data migration,
	// so a start-up is not held by a long backfill; run Up again (e.g.
	// from a goroutine or `decant db up`) to run it.
	SkipBatched bool
	// Lock is LockAdvisory (default on PostgreSQL) or LockTable (a lease
	// row with a heartbeat, for pooled connections such as PgBouncer's
	// transaction mode; always used on SQLite).
	Lock LockMode
	// LockTimeout bounds the wait for the lock. Default 5 minutes.
	LockTimeout time.Duration
	// AppliedBy names who applies, for the ledger. Default user@host pid N.
	AppliedBy string
	// Progress, when set, is told about each migration and batch.
	Progress func(Event)
}

// LockMode selects how concurrent runs are kept apart.
type LockMode string

// Lock modes.
const (
	LockAdvisory LockMode = "advisory"
	LockTable    LockMode = "table"
)

// Event reports progress.
type Event struct {
	Migration *Migration
	// What is "start", "batch" (Rows, Cursor set) or "done" (Duration set).
	What     string
	Rows     int64
	Cursor   string
	Duration time.Duration
}

// Result tells what Up did.
type Result struct {
	Applied []Applied `json:"applied"`
	// Pending lists what is still pending (after To, Release or
	// SkipBatched stopped the run).
	Pending []*Migration `json:"pending"`
}

// Applied is a ledger row.
type Applied struct {
	ID        string        `json:"id"`
	Number    int64         `json:"number"`
	Name      string        `json:"name"`
	Kind      Kind          `json:"kind"`
	Release   string        `json:"release,omitempty"`
	Checksum  string        `json:"checksum"`
	AppliedAt time.Time     `json:"applied_at"`
	Duration  time.Duration `json:"duration_ns"`
	AppliedBy string        `json:"applied_by"`
	// How is "applied", "baselined" or "redone".
	How string `json:"how"`
}

// Errors callers can test for with errors.Is.
var (
	// ErrChecksum: an applied migration's text changed.
	ErrChecksum = errors.New("an applied migration was changed")
	// ErrLocked: the lock could not be had before the deadline.
	ErrLocked = errors.New("migrations are locked by another run")
	// ErrLayout: the migrations directory is not valid (gaps, duplicates,
	// bad names or directives, releases out of order).
	ErrLayout = errors.New("invalid migrations")
)

// ChecksumError reports applied migrations whose text changed.
type ChecksumError struct {
	Changed []Drift
}

// Drift is an applied migration whose current checksum differs.
type Drift struct {
	Migration        *Migration
	Applied, Current string
}

func (e *ChecksumError) Error() string {
	msg := "applied migrations were changed since they ran:"
	for _, d := range e.Changed {
		msg += fmt.Sprintf("\n  %s: applied with checksum %s, the file now has %s", d.Migration, d.Applied[:12], d.Current[:12])
	}
	return msg + "\nrevert the edit, or record it with `decant db accept-checksum N --reason \"...\"`"
}

// Unwrap lets errors.Is(err, ErrChecksum) match.
func (e *ChecksumError) Unwrap() error { return ErrChecksum }

// StepError reports a migration that failed. Nothing of it is recorded as
// applied; a transactional migration left no trace.
type StepError struct {
	Migration *Migration
	// Statement is the failing statement's text, Line and Col its place
	// in the file (1-based; 0 when unknown, as for Go migrations).
	Statement string
	Line, Col int
	// Down says the failure was in the down section, run by [Down]; the
	// migration stays applied.
	Down bool
	Err  error
}

func (e *StepError) Error() string {
	what := "migration " + e.Migration.String()
	if e.Down {
		what = "down section of migration " + e.Migration.String()
	}
	if e.Statement == "" {
		return fmt.Sprintf("%s failed: %v", what, e.Err)
	}
	return fmt.Sprintf("%s failed at line %d, column %d: %v\n  statement: %s",
		what, e.Line, e.Col, e.Err, oneLine(e.Statement, 200))
}

// Unwrap returns the database's error.
func (e *StepError) Unwrap() error { return e.Err }
