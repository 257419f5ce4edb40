package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/decanthq/decant"
)

// The ledger is kept in blocks (docs/state.md, docs/decisions/0012): each
// written batch appends one row of decant_ledger_blocks holding its entries,
// instead of upserting one row per record into a keyed table, whose B-tree
// cost more than the rows themselves. A key's fate is its entry in the
// block with the greatest id that holds it; the view decant_ledger gives
// each key's last entry, forgotten keys left out.
//
// A block's entries are one JSON array of arrays, [key, source_hash,
// target_hash, status] or, with an entry's own time, [..., updated]: the
// blocks of a compaction or of the version-9 upgrade keep each entry's
// time, a batch's entries all have the block's. The JSON text is always
// rendered by SQLite (json_array). keys holds the entries' keys again, as
// a JSON array of strings, for the readers that need no more: SQLite
// parses it about twice as fast as the entries, and each key appears in
// it exactly as json_quote(key) renders it, so that readers looking for a
// few keys skip the blocks whose keys do not contain them without parsing
// them.
//
// keys and entries are the table's last columns: SQLite reads a row's
// large values from overflow pages only when a column at or after them is
// read, so readers that look at a block's range or counts read neither,
// and those that read keys do not read the entries. n_ok, n_deleted and
// n_forgotten count the block's entries of those statuses, for Status's
// fast path over compacted blocks and for CompactLedger.
const ledgerBlocksSchema = `CREATE TABLE IF NOT EXISTS decant_ledger_blocks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scope     TEXT NOT NULL,
    step      TEXT NOT NULL,
    min_key   TEXT NOT NULL,
    max_key   TEXT NOT NULL,
    n         INTEGER NOT NULL,
    n_ok      INTEGER NOT NULL,
    n_deleted   INTEGER NOT NULL,
    n_forgotten INTEGER NOT NULL,
    updated     TEXT NOT NULL,
    compacted   INTEGER NOT NULL DEFAULT 0,
    keys        TEXT NOT NULL,
    entries     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decant_ledger_blocks_step ON decant_ledger_blocks (scope, step, id)`

// blockColumns are the columns an INSERT into decant_ledger_blocks gives,
// in the order of blockValuesSQL.
const blockColumns = "scope, step, min_key, max_key, n, n_ok, n_deleted, n_forgotten, updated, compacted, keys, entries"

// compactBlockSize is how many entries a block written by compaction or by
// the version-9 upgrade holds, as PostgreSQL's do (the bench's batch size;
// a default batch is 1000).
const compactBlockSize = 5000

// compactMin is the fewest entries written since the last compaction for
// which CompactLedger looks for superseded entries.
const compactMin = 10000

// lastEntriesAll selects the last entry of each key of the blocks that
// where (on b, the blocks, and e, json_each of their entries) picks, as
// the columns of the old decant_ledger table. A key is in a block at most
// once, so the greatest id orders its entries: SQLite takes the other
// columns of an aggregate query with one max() from the row of the
// maximum, one sort by key where a window function (row_number() OVER
// (PARTITION BY key ORDER BY id DESC)) measured 15-30% slower. The key is
// grouped by as k: json_each has a column named key.
func lastEntriesAll(where string) string {
	return `SELECT scope, step, k AS key, source_hash, target_hash, status, updated FROM (
    SELECT b.scope AS scope, b.step AS step, e.value ->> 0 AS k, max(b.id) AS id, e.value ->> 1 AS source_hash,
           e.value ->> 2 AS target_hash, e.value ->> 3 AS status, coalesce(e.value ->> 4, b.updated) AS updated
    FROM decant_ledger_blocks b, json_each(b.entries) e
    WHERE ` + where + `
    GROUP BY b.scope, b.step, k
)`
}

// lastEntries is lastEntriesAll with forgotten keys left out: the ledger's
// rows.
func lastEntries(where string) string {
	return lastEntriesAll(where) + ` WHERE status <> '` + decant.StatusForgotten + `'`
}

// ledgerBlocksView replaces the version-8 table decant_ledger with a view
// of the same name and columns.
var ledgerBlocksView = `DROP TABLE decant_ledger;
CREATE VIEW decant_ledger AS ` + lastEntries("1")

// ledgerToBlocks completes state version 9, after ledgerBlocksSchema: the
// version-8 ledger table becomes compacted blocks, read in its primary
// key's order, and the view takes its place, in the migration's
// transaction. Like the other migrations it does nothing done already:
// decant_ledger may be the view already.
func ledgerToBlocks(ctx context.Context, t *sql.Tx) error {
	table, err := tableExists(ctx, t, "decant_ledger")
	if err != nil || !table {
		return err
	}
	// updated is cast so that the driver gives back the stored text as it
	// is, not a time.Time (which it makes of a column declared DATETIME)
	// printed again without its trailing zeros.
	_, err = packBlocks(ctx, t, `SELECT scope, step, key, source_hash, target_hash, status, CAST(updated AS TEXT)
		FROM decant_ledger ORDER BY scope, step, key`)
	if err != nil {
		return fmt.Errorf("the ledger into blocks: %w", err)
	}
	_, err = t.ExecContext(ctx, ledgerBlocksView)
	return err
}

// blockValuesSQL inserts one block, its values in the order of
// blockColumns.
const blockValuesSQL = `INSERT INTO decant_ledger_blocks (` + blockColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// execer runs a statement: the transaction of a WriteBatch, or one of
// database/sql.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeBlock appends a block of entries (key, source_hash, target_hash,
// status, and updated, empty for now) to the ledger of (scope, step), none
// when entries is empty. When a key repeats, its last entry is kept. The
// block's time is now, or its latest entry's when every entry has its
// own. Its JSON texts are written here, as SQLite would write them (see
// appendJSONString): rendering them in SQL from a JSON argument cost more
// than the rest of the batch's ledger.
func writeBlock(ctx context.Context, t execer, scope, step, now string, compacted bool, entries [][5]string) error {
	if len(entries) == 0 {
		return nil
	}
	at := make(map[string]int, len(entries))
	kept := entries[:0:0]
	for _, e := range entries {
		if i, ok := at[e[0]]; ok {
			kept[i] = e
			continue
		}
		at[e[0]] = len(kept)
		kept = append(kept, e)
	}
	lo, hi, updated := kept[0][0], kept[0][0], ""
	var ok, deleted, forgotten int
	keys := make([]byte, 0, 16*len(kept))
	text := make([]byte, 0, 160*len(kept))
	keys, text = append(keys, '['), append(text, '[')
	for i, e := range kept {
		lo, hi, updated = min(lo, e[0]), max(hi, e[0]), max(updated, e[4])
		switch e[3] {
		case decant.StatusOK:
			ok++
		case decant.StatusDeleted:
			deleted++
		case decant.StatusForgotten:
			forgotten++
		}
		if i > 0 {
			keys, text = append(keys, ','), append(text, ',')
		}
		keys = appendJSONString(keys, e[0])
		text = append(text, '[')
		for j, f := range e {
			if j == 4 && f == "" {
				break
			}
			if j > 0 {
				text = append(text, ',')
			}
			text = appendJSONString(text, f)
		}
		text = append(text, ']')
	}
	keys, text = append(keys, ']'), append(text, ']')
	if now != "" {
		updated = now
	}
	_, err := t.ExecContext(ctx, blockValuesSQL, scope, step, lo, hi, len(kept), ok, deleted, forgotten, updated, compacted,
		string(keys), string(text))
	return err
}

// appendJSONString appends s as a JSON string, as SQLite's json_quote
// writes it: a quote or a backslash escaped with a backslash, the control
// characters as \b, \t, \n, \f, \r or \u00xx, every other byte as it
// is. Readers look for a key's json_quote in a block's keys
// (TestAppendJSONString holds the two to each other).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20:
			dst = append(dst, c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// packBlocks writes the rows of query (scope, step, key, source_hash,
// target_hash, status, updated; ordered by scope, step and key, each key
// of a step once) as compacted blocks of compactBlockSize entries, each
// entry with its own time, and returns how many entries it wrote. The
// rows stream, a block at a time.
func packBlocks(ctx context.Context, t *sql.Tx, query string, args ...any) (int64, error) {
	rows, err := t.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var scope, step string
	var n int64
	block := make([][5]string, 0, compactBlockSize)
	flush := func() error {
		n += int64(len(block))
		err := writeBlock(ctx, t, scope, step, "", true, block)
		block = block[:0]
		return err
	}
	for rows.Next() {
		var sc, st string
		var e [5]string
		if err := rows.Scan(&sc, &st, &e[0], &e[1], &e[2], &e[3], &e[4]); err != nil {
			return 0, err
		}
		if len(block) == compactBlockSize || len(block) > 0 && (sc != scope || st != step) {
			if err := flush(); err != nil {
				return 0, err
			}
		}
		scope, step = sc, st
		block = append(block, e)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return n, flush()
}

// writeLedger appends b's ledger entries as one block.
func writeLedger(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	entries := make([][5]string, len(b.Ledger))
	for i, e := range b.Ledger {
		entries[i] = [5]string{e.Key, e.SourceHash, e.TargetHash, e.Status}
	}
	if err := writeBlock(ctx, t, b.Scope, b.Step, now, false, entries); err != nil {
		return fmt.Errorf("write the ledger: %w", err)
	}
	return nil
}

// forgetKeys appends a block saying that b.Forget's keys no longer name
// a record: their ledger rows are gone.
func forgetKeys(ctx context.Context, t *tx, b *decant.Batch, now string) error {
	entries := make([][5]string, len(b.Forget))
	for i, k := range b.Forget {
		entries[i] = [5]string{k, "", "", decant.StatusForgotten}
	}
	if err := writeBlock(ctx, t, b.Scope, b.Step, now, false, entries); err != nil {
		return fmt.Errorf("forget moved ledger keys: %w", err)
	}
	return nil
}

var _ decant.LedgerCompactor = (*Store)(nil)

// CompactLedger rewrites the ledger blocks of (scope, step) so that each
// key keeps only its last entry. Let C be the entries of the step's
// compacted blocks and U those of the others: when U < max(C, 10000) it
// does nothing. Otherwise it counts the step's distinct keys and forgotten
// entries: when every entry is a distinct key's and none is forgotten, it
// marks the blocks compacted without rewriting them; else it writes each
// key's last entry, forgotten keys dropped, in key order into new
// compacted blocks and deletes the old ones. It runs in one transaction;
// no key's fate, status count or time changes.
func (s *Store) CompactLedger(ctx context.Context, scope, step string) (decant.LedgerCompaction, error) {
	var out decant.LedgerCompaction
	err := s.inTx(ctx, func(ctx context.Context, t *sql.Tx) error {
		var compacted, others, forgotten int64
		var last sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT coalesce(sum(n) FILTER (WHERE compacted), 0),
			coalesce(sum(n) FILTER (WHERE NOT compacted), 0), coalesce(sum(n_forgotten), 0), max(id)
			FROM decant_ledger_blocks WHERE scope = ? AND step = ?`, scope, step).Scan(&compacted, &others, &forgotten, &last)
		if err != nil {
			return err
		}
		out.Entries, out.Kept = compacted+others, compacted+others
		if others < max(compacted, compactMin) {
			return nil
		}
		out.Checked = true
		// A step with forgotten entries is rewritten without counting.
		var keys int64
		if forgotten == 0 {
			// GROUP BY sorts; count(DISTINCT) builds a B-tree, twice as slow.
			err = t.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT e.value FROM decant_ledger_blocks b, json_each(b.keys) e
				WHERE b.scope = ? AND b.step = ? GROUP BY e.value)`, scope, step).Scan(&keys)
			if err != nil {
				return err
			}
		}
		if keys == out.Entries && forgotten == 0 {
			_, err := t.ExecContext(ctx, "UPDATE decant_ledger_blocks SET compacted = 1 WHERE scope = ? AND step = ? AND NOT compacted", scope, step)
			return err
		}
		out.Kept, err = packBlocks(ctx, t, lastEntries("b.scope = ?1 AND b.step = ?2 AND b.id <= ?3")+" ORDER BY scope, step, key",
			scope, step, last.Int64)
		if err != nil {
			return err
		}
		out.Rewrote = true
		_, err = t.ExecContext(ctx, "DELETE FROM decant_ledger_blocks WHERE scope = ? AND step = ? AND id <= ?", scope, step, last.Int64)
		return err
	})
	if err != nil {
		return decant.LedgerCompaction{}, fmt.Errorf("sqlite: compact the ledger of %s/%s: %w", scope, step, err)
	}
	return out, nil
}
