package postgres

import (
	"cmp"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

// doneKeys are the keys of a batch whose open errors it resolves: written
// successfully, or deleted by the source.
type doneKeys struct{ ok, deleted []string }

// insertBlockSQL appends one ledger block: a batch's entries as parallel
// arrays, its smallest and largest key for the readers that prune blocks
// by range (see ledger.go). The key column's collation "C" makes min_key
// and max_key byte order, as the readers compare them.
const insertBlockSQL = `
INSERT INTO decant_ledger_blocks (scope, step, min_key, max_key, n, keys, source_hashes, target_hashes, statuses)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// block is a ledger block on its way in: each key once, in the order of
// its first entry, with its last entry's hashes and status.
type block struct {
	keys, sourceHashes, targetHashes, statuses []string
	at                                         map[string]int
}

func newBlock(n int) *block {
	return &block{
		keys: make([]string, 0, n), sourceHashes: make([]string, 0, n),
		targetHashes: make([]string, 0, n), statuses: make([]string, 0, n),
		at: make(map[string]int, n),
	}
}

// put sets key's entry; a later entry of a key replaces its earlier one.
func (bl *block) put(key, sourceHash, targetHash, status string) {
	if i, ok := bl.at[key]; ok {
		bl.sourceHashes[i], bl.targetHashes[i], bl.statuses[i] = sourceHash, targetHash, status
		return
	}
	bl.at[key] = len(bl.keys)
	bl.keys = append(bl.keys, key)
	bl.sourceHashes = append(bl.sourceHashes, sourceHash)
	bl.targetHashes = append(bl.targetHashes, targetHash)
	bl.statuses = append(bl.statuses, status)
}

// keyBounds returns the smallest and largest of keys in byte order, the
// order of the ledger's COLLATE "C" keys; "" for no keys.
func keyBounds(keys []string) (lo, hi string) {
	if len(keys) == 0 {
		return "", ""
	}
	lo, hi = keys[0], keys[0]
	for _, k := range keys[1:] {
		lo, hi = min(lo, k), max(hi, k)
	}
	return lo, hi
}

// stepLockKey is the advisory lock of a step's ledger: a batch holds it
// shared from before its block takes its id until it commits, and
// CompactLedger holds it alone. A block's id orders its entries, and is
// taken when the block is inserted, not when it commits: without the lock
// a batch open while a compaction ran would commit entries older, by id,
// than the compacted copies of the keys it wrote, and lose to them.
const stepLockKey = `hashtextextended($1, hashtextextended($2, 0))`

// queue adds the statements that take the step's lock, shared, and append
// bl as a block of (scope, step).
func (bl *block) queue(p *pipeline, op, scope, step string) {
	if len(bl.keys) == 0 {
		return
	}
	p.add("lock the step's ledger", `SELECT pg_advisory_xact_lock_shared(`+stepLockKey+`)`, stateText(scope), stateText(step))
	lo, hi := keyBounds(bl.keys)
	p.add(op, insertBlockSQL, stateText(scope), stateText(step), lo, hi, len(bl.keys),
		textArray(bl.keys), textArray(bl.sourceHashes), textArray(bl.targetHashes), textArray(bl.statuses))
}

// ledgerBlock makes b's ledger block: its entries, the last entry of a key
// winning, then its forgotten keys (b.Forget), which win over an entry of
// the same batch as they did when forgetting deleted a row. It returns
// the keys whose last entry is ok or deleted, whose open errors the batch
// resolves.
func ledgerBlock(b *decant.Batch) (bl *block, done doneKeys) {
	bl = newBlock(len(b.Ledger) + len(b.Forget))
	for _, e := range b.Ledger {
		bl.put(stateText(e.Key), stateText(e.SourceHash), stateText(e.TargetHash), stateText(e.Status))
	}
	for i, k := range bl.keys {
		switch bl.statuses[i] {
		case decant.StatusOK:
			done.ok = append(done.ok, k)
		case decant.StatusDeleted:
			done.deleted = append(done.deleted, k)
		}
	}
	for _, k := range b.Forget {
		bl.put(stateText(k), "", "", decant.StatusForgotten)
	}
	return bl, done
}

// resolveByLedgerSQL resolves the step's open errors whose key the batch
// wrote successfully ($3). The partial index on open errors keeps it cheap.
// $4 is the line appended to their history.
const resolveByLedgerSQL = `
UPDATE decant_errors SET resolved = true, updated = now(), history = history || $4::text
WHERE scope = $1 AND step = $2 AND NOT resolved AND key = ANY($3::text[])`

const resolveByIDSQL = `
UPDATE decant_errors SET resolved = true, updated = now(), history = history || $2::text
WHERE id = ANY($1::bigint[]) AND NOT resolved`

func textsOf(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = stateText(k)
	}
	return out
}

// reopened is the history line of an error that failed again after being
// resolved ($1 is its time).
const reopened = `CASE WHEN e.resolved THEN $1::text || ' reopened: the record failed again' || E'\n' ELSE '' END`

const upsertErrorsSQL = `
INSERT INTO decant_errors AS e (scope, step, key, source_key, place, source_error, message, detail, payload, attempts, resolved, created, updated)
SELECT scope, step, key, source_key, place, source_error, message, detail, payload, 1, false, now(), now()
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
     AS n(scope, step, key, source_key, place, source_error, message, detail, payload)
ON CONFLICT (scope, step, key) DO UPDATE SET
    attempts = e.attempts + 1, resolved = false, message = EXCLUDED.message,
    detail = EXCLUDED.detail, payload = EXCLUDED.payload, updated = EXCLUDED.updated,
    source_key = EXCLUDED.source_key, place = EXCLUDED.place, source_error = EXCLUDED.source_error,
    history = e.history || ` + reopened

// retryErrorsSQL keeps the error's place; an error stored before version 3
// gets the source key the retry used.
const retryErrorsSQL = `
UPDATE decant_errors AS e SET
    attempts = e.attempts + 1, resolved = false, message = n.message,
    detail = n.detail, payload = n.payload, updated = now(), history = e.history || ` + reopened + `,
    source_key = coalesce(e.source_key, n.source_key), source_error = n.source_error
FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     AS n(id, message, detail, payload, source_key, source_error)
WHERE e.id = n.id`

const insertAuditSQL = `
INSERT INTO decant_batches (scope, step, cursor_from, cursor_to, total, ok, failed, started, duration_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// upsertCheckpointSQL keeps the stored cursor when the batch has none ($4 NULL).
const upsertCheckpointSQL = `
INSERT INTO decant_checkpoints AS c (scope, step, position, cursor, updated)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (scope, step) DO UPDATE SET
    position = EXCLUDED.position, cursor = coalesce(EXCLUDED.cursor, c.cursor), updated = EXCLUDED.updated`

const upsertChunkSQL = `
INSERT INTO decant_chunks (scope, step, chunk, position, updated)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (scope, step, chunk) DO UPDATE SET position = EXCLUDED.position, updated = EXCLUDED.updated`

// queueState adds the statements that write b's ledger block and errors,
// resolve the errors of its done keys and of b.Resolved, and write the
// audit row and the checkpoint.
func queueState(p *pipeline, b *decant.Batch) {
	bl, done := ledgerBlock(b)
	bl.queue(p, "write ledger block", b.Scope, b.Step)
	queueErrors(p, b)
	queueUnmapped(p, b)
	// By id first: a retried error resolved by its own retry says so,
	// rather than "written by a later record".
	now := decant.HistoryTime(time.Now())
	if len(b.Resolved) > 0 {
		p.add("resolve errors", resolveByIDSQL, b.Resolved, now+" "+decant.ResolvedRetried+"\n")
	}
	if len(b.Moved) > 0 {
		p.add("resolve moved errors", resolveByIDSQL, b.Moved, now+" "+decant.ResolvedMoved+"\n")
	}
	if len(done.ok) > 0 {
		p.add("resolve errors", resolveByLedgerSQL, stateText(b.Scope), stateText(b.Step), textArray(done.ok),
			now+" "+decant.ResolvedWritten+"\n")
	}
	if len(done.deleted) > 0 {
		p.add("resolve errors of deleted records", resolveByLedgerSQL, stateText(b.Scope), stateText(b.Step), done.deleted,
			now+" "+decant.ResolvedDeleted+"\n")
	}
	if a := b.Audit; a != nil {
		p.add("write audit row", insertAuditSQL,
			cmp.Or(a.Scope, b.Scope), cmp.Or(a.Step, b.Step), a.CursorFrom, a.CursorTo,
			a.Total, a.OK, a.Failed, a.Started, a.Duration.Milliseconds())
	}
	if b.Checkpoint != nil && b.Chunk != "" {
		p.add("write the chunk's checkpoint", upsertChunkSQL, b.Scope, b.Step, b.Chunk, stateText(string(b.Checkpoint)))
	} else if b.Checkpoint != nil {
		var cursor *string
		if b.Audit != nil {
			cursor = &b.Audit.CursorTo
		}
		p.add("write checkpoint", upsertCheckpointSQL, b.Scope, b.Step, stateText(string(b.Checkpoint)), cursor)
	}
}

// queueErrors upserts new errors on (scope, step, key) and updates retried
// ones by id; either way attempts goes up by one and resolved goes false.
func queueErrors(p *pipeline, b *decant.Batch) {
	var n struct{ scope, step, key, source, place, srcErr, msg, detail, payload []string }
	var r struct {
		id                                   []int64
		msg, detail, payload, source, srcErr []string
	}
	// One statement may not upsert a key twice: the last error of a key wins.
	last := make(map[string]int, len(b.Errors))
	for i, e := range b.Errors {
		last[fmt.Sprintf("%d|%q|%q|%q", e.ID, cmp.Or(e.Scope, b.Scope), cmp.Or(e.Step, b.Step), e.Key)] = i
	}
	keep := make([]bool, len(b.Errors))
	for _, i := range last {
		keep[i] = true
	}
	for i, e := range b.Errors {
		if !keep[i] {
			continue
		}
		msg, detail, payload := stateText(e.Message), stateText(e.Detail), stateText(string(e.Payload))
		srcErr := stateText(payloadError(e))
		if e.ID != 0 {
			r.id = append(r.id, e.ID)
			r.msg, r.detail, r.payload = append(r.msg, msg), append(r.detail, detail), append(r.payload, payload)
			r.source, r.srcErr = append(r.source, stateText(e.SourceKey)), append(r.srcErr, srcErr)
			continue
		}
		n.scope = append(n.scope, stateText(cmp.Or(e.Scope, b.Scope)))
		n.step = append(n.step, stateText(cmp.Or(e.Step, b.Step)))
		n.key = append(n.key, stateText(e.Key))
		n.source = append(n.source, stateText(e.SourceKey))
		n.place, n.srcErr = append(n.place, stateText(e.Place)), append(n.srcErr, srcErr)
		n.msg, n.detail, n.payload = append(n.msg, msg), append(n.detail, detail), append(n.payload, payload)
	}
	now := decant.HistoryTime(time.Now())
	if len(r.id) > 0 {
		p.add("write errors", retryErrorsSQL, now, r.id, r.msg, r.detail, r.payload, r.source, r.srcErr)
	}
	if len(n.key) > 0 {
		p.add("write errors", upsertErrorsSQL, now, n.scope, n.step, n.key, n.source, n.place, n.srcErr, n.msg, n.detail, n.payload)
	}
}

// payloadError is e's SourceError, or, when PostgreSQL's text cannot hold
// the payload or source key as they are (invalid UTF-8, NUL), a source error
// saying so: the stored payload has U+FFFD in place of the bad bytes, and a
// retry of it would write a record the source never sent.
func payloadError(e decant.RecordError) string {
	if e.SourceError != "" || (stateText(string(e.Payload)) == string(e.Payload) && stateText(e.SourceKey) == e.SourceKey) {
		return e.SourceError
	}
	return "the record is not valid UTF-8 text (or holds NUL); PostgreSQL keeps its payload with U+FFFD in place of the bad bytes, so it cannot be retried: fix it at the source, or resolve the error"
}
