package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// session loads the set, connects, takes the lock and reads the ledger, for
// the calls that change the ledger by hand.
func session(ctx context.Context, db *sql.DB, fsys fs.FS, opts Options) (c *conn, set *Set, applied map[string]Applied, unlock func(), err error) {
	if set, c, err = loadConn(db, fsys, opts); err != nil {
		return
	}
	if unlock, err = c.prepare(ctx, opts); err != nil {
		return
	}
	if applied, err = c.applied(ctx); err != nil {
		unlock()
	}
	return
}

// loadConn loads the migrations of fsys (and opts.Go) and connects to db,
// taking no lock.
func loadConn(db *sql.DB, fsys fs.FS, opts Options) (*Set, *conn, error) {
	set, err := Load(fsys, opts.Go)
	if err != nil {
		return nil, nil, err
	}
	c, err := newConn(db, opts)
	if err != nil {
		return nil, nil, err
	}
	return set, c, nil
}

// Baseline adopts an existing database: it records migrations 1 to n as
// applied ("baselined") without running them, for a database whose schema
// already has what they make. It refuses a database where any versioned
// migration is already recorded.
func Baseline(ctx context.Context, db *sql.DB, fsys fs.FS, n int64, opts Options) error {
	c, set, applied, unlock, err := session(ctx, db, fsys, opts)
	if err != nil {
		return err
	}
	defer unlock()
	for _, a := range applied {
		if a.Kind != KindRepeatable {
			return fmt.Errorf("baseline: the ledger already holds migration %s (%s); baseline is only for a database decant has not migrated", a.ID, a.Name)
		}
	}
	if n < 1 || n > int64(len(set.Versioned)) {
		return fmt.Errorf("baseline: no migration numbered %d (the directory has 1 to %d)", n, len(set.Versioned))
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	for _, m := range set.Versioned[:n] {
		if err := c.record(ctx, tx, m, "baselined", 0, fmt.Sprintf("baseline at %d", n)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// AcceptChecksum records a deliberate edit of applied migration id (its
// number, or R:name): the ledger takes the file's current checksum, and the
// log keeps both checksums and the reason.
func AcceptChecksum(ctx context.Context, db *sql.DB, fsys fs.FS, id, reason string, opts Options) error {
	if strings.TrimSpace(reason) == "" {
		return errors.New("accept-checksum: a reason is required (--reason \"...\"): it is kept in the migration log")
	}
	c, set, applied, unlock, err := session(ctx, db, fsys, opts)
	if err != nil {
		return err
	}
	defer unlock()
	m := set.find(id)
	if m == nil {
		return fmt.Errorf("accept-checksum: no migration %s in the directory", id)
	}
	a, ok := applied[m.ID()]
	if !ok {
		return fmt.Errorf("accept-checksum: %s is not applied; there is no checksum to accept", m)
	}
	if a.Checksum == m.Checksum {
		return fmt.Errorf("accept-checksum: %s has not changed since it was applied", m)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, c.q(`UPDATE decant_migrations SET checksum = $1 WHERE id = $2`), m.Checksum, m.ID()); err != nil {
		return fmt.Errorf("accept-checksum: %w", err)
	}
	detail := fmt.Sprintf("checksum %s -> %s: %s", a.Checksum, m.Checksum, reason)
	if err := c.log(ctx, tx, m.ID(), "accept-checksum", m.Checksum, detail); err != nil {
		return err
	}
	return tx.Commit()
}

// find returns the migration with the given ID or number.
func (s *Set) find(id string) *Migration {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		id = fmt.Sprint(n) // "0007" -> "7"
	}
	for _, m := range append(append([]*Migration{}, s.Versioned...), s.Repeatable...) {
		if m.ID() == id || m.Kind == KindRepeatable && m.Name == id {
			return m
		}
	}
	return nil
}

// Redo re-runs, as if the database were at release since, the applied
// migrations of later releases (Conforma's `yarn migrate <version>`, for
// development), then applies what is pending. Every one of them must be
// marked rerunnable and pass its guard; otherwise Redo refuses, naming
// them, before running anything. A changed file is accepted: redoing it is
// the point.
func Redo(ctx context.Context, db *sql.DB, fsys fs.FS, since string, opts Options) (*Result, error) {
	if !validRelease(since) {
		return nil, fmt.Errorf("redo: release %q is not a semantic version such as 1.4.0", since)
	}
	c, set, applied, unlock, err := session(ctx, db, fsys, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var redo []*Migration
	var refusals []string
	for _, m := range set.Versioned {
		if _, ok := applied[m.ID()]; !ok || m.Release == "" || semver.Compare(v(m.Release), v(since)) <= 0 {
			continue
		}
		if !m.Rerunnable {
			refusals = append(refusals, fmt.Sprintf("%s (release %s) is not marked rerunnable", m, m.Release))
			continue
		}
		if ok, err := c.guard(ctx, m); err != nil {
			return nil, err
		} else if !ok {
			refusals = append(refusals, fmt.Sprintf("%s: its guard is false: %s", m, m.Guard))
			continue
		}
		redo = append(redo, m)
	}
	if len(refusals) > 0 {
		return nil, fmt.Errorf("redo since %s refused, nothing was run:\n  %s", since, strings.Join(refusals, "\n  "))
	}
	res := &Result{}
	for _, m := range redo {
		if m.Batch != nil {
			if _, err := db.ExecContext(ctx, c.q(`DELETE FROM decant_migration_cursors WHERE id = $1`), m.ID()); err != nil {
				return res, err
			}
		}
		a, err := c.apply(ctx, m, "redone")
		if err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, a)
	}
	more, err := c.upLocked(ctx, set, opts)
	if more != nil {
		res.Applied = append(res.Applied, more.Applied...)
		res.Pending = more.Pending
	}
	return res, err
}

// guard evaluates m's guard query; no guard is true.
func (c *conn) guard(ctx context.Context, m *Migration) (bool, error) {
	if m.Guard == "" {
		return true, nil
	}
	var ok bool
	if err := c.db.QueryRowContext(ctx, m.Guard).Scan(&ok); err != nil {
		return false, fmt.Errorf("guard of %s (%s): %w", m, m.Guard, err)
	}
	return ok, nil
}
