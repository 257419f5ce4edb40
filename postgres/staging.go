package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

var _ decant.Stager = (*Store)(nil)

// stagingSchema is the schema of the staging tables; with a store schema
// (Config.Schema) it is that schema's name and "_staging", so that two
// stores that share a database by schema do not share staging tables.
func (s *Store) stagingSchema() string {
	if s.schema != "" {
		return s.schema + "_staging"
	}
	return "staging"
}

// staging is step's staging table, quoted.
func (s *Store) staging(step string) string {
	return pgx.Identifier{s.stagingSchema(), step}.Sanitize()
}

// StagingTable is "staging.<step>".
func (s *Store) StagingTable(step string) string { return s.stagingSchema() + "." + step }

// stagingSeq gives every staged record, of every step, its Seq. Its name,
// and those of the tables' constraints and indexes, hold "@", which a
// staged plan's step names may not, so none is ever a step's table name.
func (s *Store) stagingSeq() string { return pgx.Identifier{s.stagingSchema(), seqName}.Sanitize() }

const seqName = "decant@staged_seq"

// objectName names one of step's table's constraints or indexes: from a
// hash of the step's name, which may be too long to make a name from
// (PostgreSQL cuts names at 63 bytes).
func objectName(step, what string) string {
	h := sha256.Sum256([]byte(step))
	return pgx.Identifier{"decant@" + hex.EncodeToString(h[:8]) + "@" + what}.Sanitize()
}

// stagingColumns are a staging table's columns, in table order.
var stagingColumns = []string{"scope", "key", "seq", "source_key", "cursor", "raw", "place", "deleted", "invalid", "staged"}

// lockStaging serializes what creates and drops staging objects, across
// processes: two runs preparing at once would race on the catalog, and a
// reset dropping the last table must not drop the sequence a run is
// about to use.
func lockStaging(ctx context.Context, t pgx.Tx) error {
	_, err := t.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(initLock))
	return err
}

// stagingExists reports whether the staging schema holds a relation
// named step.
func (s *Store) stagingExists(ctx context.Context, t pgx.Tx, step string) (bool, error) {
	var exists bool
	err := t.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2)`, s.stagingSchema(), step).Scan(&exists)
	return exists, err
}

// PrepareStaging creates the staging schema, its sequence and step's table
// when they do not exist. The key and the payload are bytea: a record the
// source could not read keeps its bytes exactly, whatever they are.
func (s *Store) PrepareStaging(ctx context.Context, step string) error {
	tbl := s.staging(step)
	err := pgx.BeginFunc(ctx, s.pool, func(t pgx.Tx) error {
		if err := lockStaging(ctx, t); err != nil {
			return err
		}
		for _, q := range []string{
			"CREATE SCHEMA IF NOT EXISTS " + pgx.Identifier{s.stagingSchema()}.Sanitize(),
			"CREATE SEQUENCE IF NOT EXISTS " + s.stagingSeq(),
		} {
			if _, err := t.Exec(ctx, q); err != nil {
				return err
			}
		}
		exists, err := s.stagingExists(ctx, t, step)
		if err != nil {
			return err
		}
		if exists {
			return s.checkStaging(ctx, t, step)
		}
		for _, q := range []string{
			"CREATE TABLE " + tbl + ` (
    scope text NOT NULL,
    key text NOT NULL,
    seq bigint NOT NULL,
    source_key bytea NOT NULL,
    cursor text NOT NULL,
    raw bytea NOT NULL,
    place text NOT NULL,
    deleted boolean NOT NULL,
    invalid text NOT NULL,
    staged timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ` + objectName(step, "key") + ` PRIMARY KEY (scope, key))`,
			"CREATE INDEX " + objectName(step, "seq") + " ON " + tbl + " (scope, seq)",
		} {
			if _, err := t.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: prepare the staging table %s: %w", s.StagingTable(step), err)
	}
	return nil
}

// checkStaging refuses a table in the staging table's place that is not
// one (someone's own staging.<step>), rather than writing into it.
func (s *Store) checkStaging(ctx context.Context, t pgx.Tx, step string) error {
	rows, err := t.Query(ctx, `SELECT column_name FROM information_schema.columns
WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, s.stagingSchema(), step)
	if err != nil {
		return err
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if !slices.Equal(cols, stagingColumns) {
		return fmt.Errorf("%s exists and is not a decant staging table (its columns are %v): rename or drop it, or give the target a schema of its own", s.StagingTable(step), cols)
	}
	return nil
}

// stageSQL upserts a batch of staged records. A record staged again takes
// a new seq only when something of it changed, so that a load after an
// incremental extract reads what changed and nothing else.
const stageSQL = `INSERT INTO %[1]s AS s (scope, key, seq, source_key, cursor, raw, place, deleted, invalid)
SELECT $1, n.key, nextval($9::regclass), n.source_key, n.cursor, n.raw, n.place, n.deleted, n.invalid
FROM unnest($2::text[], $3::bytea[], $4::text[], $5::bytea[], $6::text[], $7::boolean[], $8::text[])
     AS n(key, source_key, cursor, raw, place, deleted, invalid)
ON CONFLICT (scope, key) DO UPDATE SET seq = EXCLUDED.seq, source_key = EXCLUDED.source_key,
    cursor = EXCLUDED.cursor, raw = EXCLUDED.raw, place = EXCLUDED.place, deleted = EXCLUDED.deleted,
    invalid = EXCLUDED.invalid, staged = EXCLUDED.staged
WHERE (s.source_key, s.cursor, s.raw, s.deleted, s.invalid) IS DISTINCT FROM
      (EXCLUDED.source_key, EXCLUDED.cursor, EXCLUDED.raw, EXCLUDED.deleted, EXCLUDED.invalid)`

// Stage writes recs to step's staging table in dtx, the last record of a
// key winning (an upsert cannot touch one row twice).
func (s *Store) Stage(ctx context.Context, dtx decant.Tx, scope, step string, recs []decant.StagedRecord) error {
	t, err := s.txOf(dtx)
	if err != nil {
		return err
	}
	last := make(map[string]int, len(recs))
	for i, r := range recs {
		last[r.Key] = i
	}
	n := len(last)
	keys, cursors, places, invalids := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	sourceKeys, raws := make([][]byte, 0, n), make([][]byte, 0, n)
	deleted := make([]bool, 0, n)
	for i, r := range recs {
		if last[r.Key] != i {
			continue
		}
		keys = append(keys, stateText(r.Key))
		sourceKeys = append(sourceKeys, []byte(r.SourceKey))
		cursors = append(cursors, stateText(r.Cursor))
		raw := r.Raw
		if raw == nil {
			raw = []byte{} // not NULL
		}
		raws = append(raws, raw)
		places = append(places, stateText(r.Where))
		deleted = append(deleted, r.Deleted)
		invalids = append(invalids, stateText(r.Invalid))
	}
	q := fmt.Sprintf(stageSQL, s.staging(step))
	if _, err := t.Exec(ctx, q, stateText(scope), keys, sourceKeys, cursors, raws, places, deleted, invalids, s.stagingSeq()); err != nil {
		return fmt.Errorf("postgres: stage %d records of %s/%s: %w", n, scope, step, err)
	}
	return nil
}

// ReadStaged returns staged records of (scope, step) after the Seq after.
func (s *Store) ReadStaged(ctx context.Context, scope, step string, after int64, limit int) ([]decant.StagedRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, key, source_key, cursor, raw, place, deleted, invalid FROM `+s.staging(step)+`
WHERE scope = $1 AND seq > $2 ORDER BY seq LIMIT $3`, stateText(scope), after, limit)
	if err != nil {
		if undefinedTable(err) {
			return nil, fmt.Errorf("postgres: read the staging table %s: %w", s.StagingTable(step), decant.ErrNotFound)
		}
		return nil, fmt.Errorf("postgres: read the staging table %s: %w", s.StagingTable(step), err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (decant.StagedRecord, error) {
		var r decant.StagedRecord
		var sourceKey []byte
		err := row.Scan(&r.Seq, &r.Key, &sourceKey, &r.Cursor, &r.Raw, &r.Where, &r.Deleted, &r.Invalid)
		r.SourceKey = string(sourceKey)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read the staging table %s: %w", s.StagingTable(step), err)
	}
	return out, nil
}

// CountStaged counts the staged records of (scope, step) after after.
func (s *Store) CountStaged(ctx context.Context, scope, step string, after int64) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM "+s.staging(step)+" WHERE scope = $1 AND seq > $2", stateText(scope), after).Scan(&n)
	if err != nil {
		if undefinedTable(err) {
			return 0, fmt.Errorf("postgres: count the staging table %s: %w", s.StagingTable(step), decant.ErrNotFound)
		}
		return 0, fmt.Errorf("postgres: count the staging table %s: %w", s.StagingTable(step), err)
	}
	return n, nil
}

// DropStaged deletes the scope's staged records of step, and the table
// when no other scope's remain. It locks the table first, so that another
// scope's batch in flight commits before the table is found empty or not.
func (s *Store) DropStaged(ctx context.Context, scope, step string) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(t pgx.Tx) error {
		if err := lockStaging(ctx, t); err != nil {
			return err
		}
		exists, err := s.stagingExists(ctx, t, step)
		if err != nil || !exists {
			return err
		}
		if _, err := t.Exec(ctx, "LOCK TABLE "+s.staging(step)+" IN ACCESS EXCLUSIVE MODE"); err != nil {
			return err
		}
		tag, err := t.Exec(ctx, "DELETE FROM "+s.staging(step)+" WHERE scope = $1", stateText(scope))
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		var others bool
		if err := t.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+s.staging(step)+")").Scan(&others); err != nil {
			return err
		}
		if others {
			return nil
		}
		if _, err = t.Exec(ctx, "DROP TABLE "+s.staging(step)); err != nil {
			return err
		}
		return s.dropEmptyStaging(ctx, t)
	})
	if err != nil {
		return n, fmt.Errorf("postgres: delete the staged records of %s from %s: %w", scope, s.StagingTable(step), err)
	}
	return n, nil
}

// dropEmptyStaging drops the staging schema and its sequence once it
// holds no table, so that a reset of every scope (and reset --migrations)
// leaves nothing of decant's staging behind; a schema that holds anything
// else of someone's stays.
func (s *Store) dropEmptyStaging(ctx context.Context, t pgx.Tx) error {
	var n int
	err := t.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE ns.nspname = $1 AND c.relname <> $2`, s.stagingSchema(), seqName).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	if _, err := t.Exec(ctx, "DROP SEQUENCE IF EXISTS "+s.stagingSeq()); err != nil {
		return err
	}
	sp, err := t.Begin(ctx) // a savepoint: a schema with functions or types in it stays
	if err != nil {
		return err
	}
	if _, err := sp.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s.stagingSchema()}.Sanitize()+" RESTRICT"); err != nil {
		return sp.Rollback(ctx)
	}
	return sp.Commit(ctx)
}

func undefinedTable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "42P01" || pg.Code == "3F000") // undefined_table, invalid_schema_name
}
