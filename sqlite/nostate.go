package sqlite

import (
	"context"
	"fmt"
)

// noState tells a read of the state tables that failed with err whether it
// failed because decant has not written to this database yet: the read
// commands (status, errors, preview) read such a database as "nothing
// migrated yet" instead of creating the tables, since reading must not
// write. Otherwise it returns err, telling how to upgrade state tables
// older than this decant.
func (s *Store) noState(ctx context.Context, err error) (bool, error) {
	v, verr := s.stateVersion(ctx)
	switch {
	case verr != nil:
		return false, err
	case v == 0:
		return true, nil
	case v < len(migrations):
		return false, fmt.Errorf("%w (the state tables are at version %d, older than this decant's %d: run `decant migrate` to upgrade them)", err, v, len(migrations))
	}
	return false, err
}

// stateVersion returns the version of the state tables, 0 when there are
// none. It creates nothing.
func (s *Store) stateVersion(ctx context.Context) (int, error) {
	ok, err := TableExists(ctx, s.read, "decant_schema")
	if err != nil || !ok {
		return 0, err
	}
	var v int
	err = s.read.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM decant_schema").Scan(&v)
	return v, err
}
