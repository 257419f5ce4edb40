package migrations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// runBatched runs a batched data migration: each batch commits with its
// cursor in decant_migration_cursors, so a crash resumes after the last
// committed batch. The batch that finds no row records the migration as
// applied and drops the cursor, in one transaction.
func (c *conn) runBatched(ctx context.Context, m *Migration, how string) error {
	start := time.Now()
	cursor, total, err := c.loadCursor(ctx, m)
	if err != nil {
		return err
	}
	for {
		tx, err := c.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		next, n, err := c.batch(ctx, tx, m, cursor)
		if err != nil {
			tx.Rollback() //nolint:errcheck // the batch's error matters more
			return err
		}
		if n == 0 {
			err = c.finishBatched(ctx, tx, m, how, time.Since(start), total)
		} else {
			total += int64(n)
			cursor = next
			err = c.saveCursor(ctx, tx, m, cursor, total)
		}
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback() //nolint:errcheck
		}
		if err != nil || n == 0 {
			return err
		}
		c.report(Event{Migration: m, What: "batch", Rows: total, Cursor: string(cursor)})
	}
}

// loadCursor returns the saved cursor (JSON) and row count, or the start.
func (c *conn) loadCursor(ctx context.Context, m *Migration) (json.RawMessage, int64, error) {
	var cur string
	var rows int64
	err := c.db.QueryRowContext(ctx, c.q(`SELECT cursor, rows FROM decant_migration_cursors WHERE id = $1`), m.ID()).Scan(&cur, &rows)
	if errors.Is(err, sql.ErrNoRows) {
		if m.goMig != nil {
			return nil, 0, nil
		}
		b, err := json.Marshal(m.Batch.Start)
		return b, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read the cursor of %s: %w", m, err)
	}
	return json.RawMessage(cur), rows, nil
}

func (c *conn) saveCursor(ctx context.Context, tx *sql.Tx, m *Migration, cursor json.RawMessage, rows int64) error {
	_, err := tx.ExecContext(ctx, c.q(`INSERT INTO decant_migration_cursors (id, cursor, rows, updated) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, rows = excluded.rows, updated = excluded.updated`),
		m.ID(), string(cursor), rows, c.stamp(time.Now()))
	if err != nil {
		return fmt.Errorf("save the cursor of %s: %w", m, err)
	}
	return nil
}

func (c *conn) finishBatched(ctx context.Context, tx *sql.Tx, m *Migration, how string, d time.Duration, total int64) error {
	if _, err := tx.ExecContext(ctx, c.q(`DELETE FROM decant_migration_cursors WHERE id = $1`), m.ID()); err != nil {
		return fmt.Errorf("drop the cursor of %s: %w", m, err)
	}
	return c.record(ctx, tx, m, how, d, fmt.Sprintf("%d rows in batches of %d", total, m.Batch.Size))
}

// batch runs one batch from cursor and returns the next cursor and the
// number of rows handled.
func (c *conn) batch(ctx context.Context, tx *sql.Tx, m *Migration, cursor json.RawMessage) (json.RawMessage, int, error) {
	if g := m.goMig; g != nil {
		var next json.RawMessage
		var n int
		err := safely(func() (err error) {
			next, n, err = g.Batch(ctx, tx, cursor, m.Batch.Size)
			return err
		})
		if err != nil {
			return nil, 0, &StepError{Migration: m, Err: fmt.Errorf("batch after cursor %s: %w", cursor, err)}
		}
		return next, n, nil
	}
	var cur any
	if err := json.Unmarshal(cursor, &cur); err != nil {
		return nil, 0, fmt.Errorf("cursor of %s: %w", m, err)
	}
	if f, ok := cur.(float64); ok { // JSON numbers: keys are whole
		cur = int64(f)
	}
	s := m.up[0]
	query := strings.NewReplacer(":cursor", "$1", ":size", "$2").Replace(s.text)
	max, n, err := c.runBatchQuery(ctx, tx, query, cur, m.Batch.Size)
	if err != nil {
		line, col := errorPosition(s, err)
		return nil, 0, &StepError{Migration: m, Statement: s.text, Line: line, Col: col,
			Err: fmt.Errorf("batch after cursor %s: %w", cursor, err)}
	}
	next, err := json.Marshal(max)
	return next, n, err
}

// runBatchQuery runs the batch statement and returns the largest key it
// returned and how many rows. PostgreSQL computes the largest key itself,
// so it is ordered as the statement's own comparison orders it.
func (c *conn) runBatchQuery(ctx context.Context, tx *sql.Tx, query string, cursor any, size int) (any, int, error) {
	if c.d == Postgres {
		var max any
		var n int
		err := tx.QueryRowContext(ctx, "WITH batch(k) AS ("+query+") SELECT max(k), count(*) FROM batch", cursor, size).Scan(&max, &n)
		return max, n, err
	}
	rows, err := tx.QueryContext(ctx, c.q(query), cursor, size)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var max any
	n := 0
	for rows.Next() {
		var k any
		if err := rows.Scan(&k); err != nil {
			return nil, 0, err
		}
		if n == 0 || greater(k, max) {
			max = k
		}
		n++
	}
	return max, n, rows.Err()
}

// greater compares keys as SQLite's BINARY collation does.
func greater(a, b any) bool {
	switch x := a.(type) {
	case int64:
		y, ok := b.(int64)
		return ok && x > y
	case string:
		y, ok := b.(string)
		return ok && x > y
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) > string(y)
	}
	return false
}

// errorPosition places a database error in the file: PostgreSQL reports
// a character position within the statement; otherwise it is the
// statement's start.
func errorPosition(s statement, err error) (line, col int) {
	line, col = s.line, s.col
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Position <= 0 {
		return line, col
	}
	pos := 1
	for _, r := range s.text {
		if pos >= int(pg.Position) {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		pos++
	}
	return line, col
}
