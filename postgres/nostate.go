package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
)

// noState tells a read of the state tables that failed with err whether it
// failed because decant has not written to this database yet: the read
// commands (status, errors, preview) read such a database as "nothing
// migrated yet" instead of creating the tables, since reading must not
// write. Otherwise it returns err, telling how to upgrade state tables
// older than this decant.
func (s *Store) noState(ctx context.Context, err error) (bool, error) {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || (pg.Code != "42P01" && pg.Code != "42703") { // undefined_table, undefined_column
		return false, err
	}
	v, verr := s.stateVersion(ctx)
	if verr != nil {
		return false, err
	}
	if v == 0 {
		return true, nil
	}
	if want := stateVersions(); v < want {
		return false, fmt.Errorf("%w (the state tables are at version %d, older than this decant's %d: run `decant migrate` to upgrade them)", err, v, want)
	}
	return false, err
}

// stateVersion returns the version of the state tables on the search path,
// 0 when there are none. It creates nothing.
func (s *Store) stateVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, tableExistsSQL, "decant_schema").Scan(&exists); err != nil || !exists {
		return 0, err
	}
	var v int
	err := s.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM decant_schema").Scan(&v)
	return v, err
}

// stateVersions is the version of the state tables this package writes.
func stateVersions() int {
	names, _ := fs.Glob(migrationFS, "migration/*.sql")
	return len(names)
}
