package sqlite

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

// doneOf returns the keys whose last ledger entry in b is ok or deleted.
func doneOf(b *decant.Batch) doneKeys {
	last := make(map[string]string, len(b.Ledger))
	for _, e := range b.Ledger {
		last[e.Key] = e.Status
	}
	var d doneKeys
	for k, status := range last {
		switch status {
		case decant.StatusOK:
			d.ok = append(d.ok, k)
		case decant.StatusDeleted:
			d.deleted = append(d.deleted, k)
		}
	}
	return d
}

// doneKeys are the keys of a batch whose open errors it resolves: written
// successfully, or deleted by the source.
type doneKeys struct{ ok, deleted []string }

// reopenedSQL appends to an error's history that it failed again after
// being resolved; its one parameter is the time.
const reopenedSQL = `history || CASE WHEN resolved THEN ? || ' reopened: the record failed again' || char(10) ELSE '' END`

const upsertErrorSQL = `
INSERT INTO decant_errors (scope, step, key, source_key, place, source_error, message, detail, payload, attempts, resolved, created, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)
ON CONFLICT (scope, step, key) DO UPDATE SET
    history = ` + reopenedSQL + `, attempts = attempts + 1, resolved = 0, message = excluded.message,
    detail = excluded.detail, payload = excluded.payload, updated = excluded.updated,
    source_key = excluded.source_key, place = excluded.place, source_error = excluded.source_error`

// retryErrorSQL keeps the error's place; an error stored before version 3
// gets the source key the retry used.
const retryErrorSQL = `
UPDATE decant_errors SET history = ` + reopenedSQL + `, attempts = attempts + 1, resolved = 0,
    message = ?, detail = ?, payload = ?, updated = ?, source_key = coalesce(source_key, ?), source_error = ?
WHERE id = ?`

// writeErrors upserts new errors on (scope, step, key) and updates retried
// ones by id; either way attempts goes up by one and resolved goes false.
// When a key fails twice in a batch, only its last error counts.
func writeErrors(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	if len(b.Errors) == 0 {
		return nil
	}
	hist := decant.HistoryTime(time.Now())
	last := make(map[string]int, len(b.Errors))
	for i, e := range b.Errors {
		last[fmt.Sprintf("%d|%q|%q|%q", e.ID, cmp.Or(e.Scope, b.Scope), cmp.Or(e.Step, b.Step), e.Key)] = i
	}
	for i, e := range b.Errors {
		if last[fmt.Sprintf("%d|%q|%q|%q", e.ID, cmp.Or(e.Scope, b.Scope), cmp.Or(e.Step, b.Step), e.Key)] != i {
			continue
		}
		var err error
		if e.ID != 0 {
			_, err = t.ExecContext(ctx, retryErrorSQL, hist, e.Message, e.Detail, string(e.Payload), now,
				e.SourceKey, e.SourceError, e.ID)
		} else {
			_, err = t.ExecContext(ctx, upsertErrorSQL, cmp.Or(e.Scope, b.Scope), cmp.Or(e.Step, b.Step), e.Key,
				e.SourceKey, e.Place, e.SourceError, e.Message, e.Detail, string(e.Payload), now, now, hist)
		}
		if err != nil {
			return fmt.Errorf("write errors: %w", err)
		}
	}
	return nil
}

// resolve marks resolved the errors b.Resolved and b.Moved name (by id
// first, so a retried error says its retry resolved it), then the step's
// open errors whose key the batch wrote successfully (looked for only when
// the step has open errors), and forgets the
// ledger keys of b.Forget. Keys and ids travel as one JSON array each,
// which SQLite reads with json_each.
func resolve(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	at := decant.HistoryTime(time.Now()) + " "
	byID := []struct {
		ids  []int64
		line string
	}{{b.Resolved, decant.ResolvedRetried}, {b.Moved, decant.ResolvedMoved}}
	for _, r := range byID {
		if len(r.ids) == 0 {
			continue
		}
		ids, _ := json.Marshal(r.ids)
		_, err := t.ExecContext(ctx, `UPDATE decant_errors SET resolved = 1, updated = ?, history = history || ?
			WHERE resolved = 0 AND id IN (SELECT value FROM json_each(?))`, now, at+r.line+"\n", string(ids))
		if err != nil {
			return fmt.Errorf("resolve errors: %w", err)
		}
	}
	if len(b.Ledger) > 0 {
		var open bool
		err := t.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM decant_errors WHERE scope = ? AND step = ? AND resolved = 0)",
			b.Scope, b.Step).Scan(&open)
		if err != nil {
			return fmt.Errorf("resolve errors: %w", err)
		}
		var done doneKeys
		if open {
			done = doneOf(b)
		}
		for _, r := range []struct {
			keys []string
			line string
		}{{done.ok, decant.ResolvedWritten}, {done.deleted, decant.ResolvedDeleted}} {
			if !open || len(r.keys) == 0 {
				continue
			}
			keys, _ := json.Marshal(r.keys)
			_, err = t.ExecContext(ctx, `UPDATE decant_errors SET resolved = 1, updated = ?, history = history || ?
				WHERE scope = ? AND step = ? AND resolved = 0 AND key IN (SELECT value FROM json_each(?))`,
				now, at+r.line+"\n", b.Scope, b.Step, string(keys))
			if err != nil {
				return fmt.Errorf("resolve errors: %w", err)
			}
		}
	}
	return forgetKeys(ctx, t, b, now)
}

func writeAudit(ctx context.Context, t *tx, b *decant.Batch) error {
	a := b.Audit
	if a == nil {
		return nil
	}
	_, err := t.ExecContext(ctx, `INSERT INTO decant_batches
		(scope, step, cursor_from, cursor_to, total, ok, failed, started, duration_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cmp.Or(a.Scope, b.Scope), cmp.Or(a.Step, b.Step), a.CursorFrom, a.CursorTo,
		a.Total, a.OK, a.Failed, stamp(a.Started), a.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("write audit row: %w", err)
	}
	return nil
}

// writeCheckpoint stores b's checkpoint, with the audit's cursor when the
// batch has an audit row, keeping the stored cursor otherwise.
func writeCheckpoint(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	if b.Checkpoint == nil {
		return nil
	}
	if b.Chunk != "" {
		_, err := t.ExecContext(ctx, `INSERT INTO decant_chunks (scope, step, chunk, position, updated)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (scope, step, chunk) DO UPDATE SET position = excluded.position, updated = excluded.updated`,
			b.Scope, b.Step, b.Chunk, string(b.Checkpoint), now)
		if err != nil {
			return fmt.Errorf("write the checkpoint of chunk %s: %w", b.Chunk, err)
		}
		return nil
	}
	var cursor any
	if b.Audit != nil {
		cursor = b.Audit.CursorTo
	}
	_, err := t.ExecContext(ctx, `INSERT INTO decant_checkpoints (scope, step, position, cursor, updated)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scope, step) DO UPDATE SET position = excluded.position,
		    cursor = coalesce(excluded.cursor, decant_checkpoints.cursor), updated = excluded.updated`,
		b.Scope, b.Step, string(b.Checkpoint), cursor, now)
	if err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}
