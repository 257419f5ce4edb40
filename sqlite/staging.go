package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

var _ decant.Stager = (*Store)(nil)

// stagingPrefix starts the name of every staging table: SQLite has no
// schemas within one file.
const stagingPrefix = "staging_"

// StagingTable is "staging_<step>".
func (s *Store) StagingTable(step string) string { return stagingPrefix + step }

func stagingIdent(step string) string { return quote(stagingPrefix + step) }

// stagingColumns are a staging table's columns, in table order.
var stagingColumns = []string{"seq", "scope", "key", "source_key", "cursor", "raw", "place", "deleted", "invalid", "staged"}

// PrepareStaging creates step's staging table when it does not exist.
// AUTOINCREMENT makes seq grow for good: a record staged again is deleted
// and inserted, and takes a seq greater than any the table ever gave.
func (s *Store) PrepareStaging(ctx context.Context, step string) error {
	tbl := stagingIdent(step)
	err := s.inTx(ctx, func(ctx context.Context, t *sql.Tx) error {
		if _, err := t.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+tbl+` (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    source_key BLOB NOT NULL,
    cursor TEXT NOT NULL,
    raw BLOB NOT NULL,
    place TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    invalid TEXT NOT NULL,
    staged TEXT NOT NULL,
    UNIQUE (scope, key))`); err != nil {
			return err
		}
		cols, err := columnNames(ctx, t, stagingPrefix+step)
		if err != nil {
			return err
		}
		if !slices.Equal(cols, stagingColumns) {
			return fmt.Errorf("%s exists and is not a decant staging table (its columns are %v): rename or drop it", s.StagingTable(step), cols)
		}
		// "@" is in no staged plan's step name: the index is never
		// another step's table.
		_, err = t.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS "+quote(stagingPrefix+step+"@seq")+" ON "+tbl+" (scope, seq)")
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: prepare the staging table %s: %w", s.StagingTable(step), err)
	}
	return nil
}

// columnNames lists the columns of table, a name taken whole (a step's
// name may hold a dot).
func columnNames(ctx context.Context, t *sql.Tx, table string) ([]string, error) {
	rows, err := t.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// Stage writes recs to step's staging table in dtx. A record that changed
// is deleted and inserted again, so that it takes a new seq; one that did
// not stays as it is.
func (s *Store) Stage(ctx context.Context, dtx decant.Tx, scope, step string, recs []decant.StagedRecord) error {
	t, err := s.txOf(dtx)
	if err != nil {
		return err
	}
	tbl := stagingIdent(step)
	del, err := t.PrepareContext(ctx, "DELETE FROM "+tbl+` WHERE scope = ? AND key = ?
AND NOT (source_key IS ? AND cursor IS ? AND raw IS ? AND deleted IS ? AND invalid IS ?)`)
	if err != nil {
		return fmt.Errorf("sqlite: stage records of %s/%s: %w", scope, step, err)
	}
	defer del.Close()
	ins, err := t.PrepareContext(ctx, "INSERT INTO "+tbl+` (scope, key, source_key, cursor, raw, place, deleted, invalid, staged)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("sqlite: stage records of %s/%s: %w", scope, step, err)
	}
	defer ins.Close()
	now := stamp(time.Now())
	for _, r := range recs {
		// A later record of the same key deletes this one's row: the last wins.
		sourceKey, raw := []byte(r.SourceKey), r.Raw
		if raw == nil {
			raw = []byte{} // not NULL
		}
		if _, err := del.ExecContext(ctx, scope, r.Key, sourceKey, r.Cursor, raw, r.Deleted, r.Invalid); err != nil {
			return fmt.Errorf("sqlite: stage %s of %s/%s: %w", r.Key, scope, step, err)
		}
		if _, err := ins.ExecContext(ctx, scope, r.Key, sourceKey, r.Cursor, raw, r.Where, r.Deleted, r.Invalid, now); err != nil {
			return fmt.Errorf("sqlite: stage %s of %s/%s: %w", r.Key, scope, step, err)
		}
	}
	return nil
}

// ReadStaged returns staged records of (scope, step) after the seq after.
func (s *Store) ReadStaged(ctx context.Context, scope, step string, after int64, limit int) ([]decant.StagedRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, key, source_key, cursor, raw, place, deleted, invalid FROM `+stagingIdent(step)+`
WHERE scope = ? AND seq > ? ORDER BY seq LIMIT ?`, scope, after, limit)
	if err != nil {
		if noSuchTable(err) {
			return nil, fmt.Errorf("sqlite: read the staging table %s: %w", s.StagingTable(step), decant.ErrNotFound)
		}
		return nil, fmt.Errorf("sqlite: read the staging table %s: %w", s.StagingTable(step), err)
	}
	defer rows.Close()
	var out []decant.StagedRecord
	for rows.Next() {
		var r decant.StagedRecord
		var sourceKey []byte
		if err := rows.Scan(&r.Seq, &r.Key, &sourceKey, &r.Cursor, &r.Raw, &r.Where, &r.Deleted, &r.Invalid); err != nil {
			return nil, fmt.Errorf("sqlite: read the staging table %s: %w", s.StagingTable(step), err)
		}
		r.SourceKey = string(sourceKey)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read the staging table %s: %w", s.StagingTable(step), err)
	}
	return out, nil
}

// CountStaged counts the staged records of (scope, step) after after.
func (s *Store) CountStaged(ctx context.Context, scope, step string, after int64) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+stagingIdent(step)+" WHERE scope = ? AND seq > ?", scope, after).Scan(&n)
	if err != nil {
		if noSuchTable(err) {
			return 0, fmt.Errorf("sqlite: count the staging table %s: %w", s.StagingTable(step), decant.ErrNotFound)
		}
		return 0, fmt.Errorf("sqlite: count the staging table %s: %w", s.StagingTable(step), err)
	}
	return n, nil
}

// DropStaged deletes the scope's staged records of step, and the table
// when no other scope's remain.
func (s *Store) DropStaged(ctx context.Context, scope, step string) (int64, error) {
	var n int64
	tbl := stagingIdent(step)
	err := s.inTx(ctx, func(ctx context.Context, t *sql.Tx) error {
		res, err := t.ExecContext(ctx, "DELETE FROM "+tbl+" WHERE scope = ?", scope)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		var others bool
		if err := t.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+tbl+")").Scan(&others); err != nil {
			return err
		}
		if others {
			return nil
		}
		_, err = t.ExecContext(ctx, "DROP TABLE "+tbl)
		return err
	})
	if err != nil {
		if noSuchTable(err) {
			return 0, nil
		}
		return n, fmt.Errorf("sqlite: delete the staged records of %s from %s: %w", scope, s.StagingTable(step), err)
	}
	return n, nil
}

func noSuchTable(err error) bool { return strings.Contains(err.Error(), "no such table") }
