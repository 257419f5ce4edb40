package snapshot

import (
	"context"
	"database/sql"
	"fmt"

	pgdb "github.com/decanthq/decant/postgres"
	litedb "github.com/decanthq/decant/sqlite"
)

// Dialect names, as in [Info.Dialect].
const (
	dialectPostgres = "postgres"
	dialectSQLite   = "sqlite"
)

// dialect is what Save and Load need from a kind of database.
type dialect interface {
	name() string
	// save writes schema_init.sql and the data files into w and fills in
	// info's ServerVersion, Tables and Sequences. info.Schemas says which
	// schemas to carry (PostgreSQL).
	save(ctx context.Context, w *dirWriter, info *Info) error
	// empty reports whether the database holds no object that a load would
	// drop.
	empty(ctx context.Context, schemas []string) (bool, error)
	// load replaces the database's content by the verified snapshot s, in
	// one transaction, and checks it.
	load(ctx context.Context, s *stored) error
}

// dialectOf tells the dialect from db's driver, as the technology
// packages tell it: pgx's stdlib driver is PostgreSQL, modernc.org/sqlite's
// is SQLite. Open db with migrations.Open, which opens both as decant's
// stores do.
func dialectOf(db *sql.DB) (dialect, error) {
	switch {
	case pgdb.IsDB(db):
		return &postgres{db: db}, nil
	case litedb.IsDB(db):
		return &sqlite{db: db}, nil
	}
	return nil, fmt.Errorf("snapshot: database driver %T is not supported: open PostgreSQL with driver \"pgx\" (github.com/jackc/pgx/v5/stdlib) or SQLite with \"sqlite\" (modernc.org/sqlite)", db.Driver())
}

// mismatch reports a table whose loaded data differs from the snapshot's.
func mismatch(t TableInfo, rows int64, sum string) error {
	if rows != t.Rows {
		return fmt.Errorf("table %s: %d rows after load, the snapshot has %d: %w", t.QualifiedName(), rows, t.Rows, ErrMismatch)
	}
	if sum != t.Checksum {
		return fmt.Errorf("table %s: checksum %s after load, the snapshot has %s: %w", t.QualifiedName(), sum, t.Checksum, ErrMismatch)
	}
	return nil
}
