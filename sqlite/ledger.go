package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant"
)

// askedSQL names the JSON array of keys ?3 as the table asked(key).
const askedSQL = "WITH asked(key) AS (SELECT value FROM json_each(?3)) "

// holdsAskedSQL picks the blocks (b) that may hold an asked key: one in
// their key range whose JSON text is in their keys (see
// ledgerBlocksSchema), and their entries (e) of asked keys. The blocks
// are picked without parsing their keys or entries. It is for a few keys:
// the text search runs once per asked key and block, and keys that no
// block holds never stop it early (a thousand keys against 100,000
// entries took 7 s).
const holdsAskedSQL = `EXISTS (SELECT 1 FROM asked a WHERE a.key BETWEEN b.min_key AND b.max_key
    AND instr(b.keys, json_quote(a.key)) > 0) AND e.value ->> 0 IN (SELECT key FROM asked)`

// rangeAskedSQL picks, for many keys, the blocks whose range meets the
// asked keys' ([?4, ?5]) and their entries of asked keys, which SQLite
// finds through a transient index of the asked keys.
const rangeAskedSQL = `b.max_key >= ?4 AND b.min_key <= ?5 AND e.value ->> 0 IN (SELECT key FROM asked)`

// fewKeys is the most keys a look-up picks blocks for with holdsAskedSQL.
const fewKeys = 8

// asking returns the SQL that picks the blocks for keys, and its
// arguments after the first two: the keys as a JSON array, their smallest
// and their largest.
func asking(keys []string) (where string, args []any) {
	list, _ := json.Marshal(append([]string{}, keys...))
	lo, hi := "", ""
	for i, k := range keys {
		if i == 0 || k < lo {
			lo = k
		}
		if i == 0 || k > hi {
			hi = k
		}
	}
	where = rangeAskedSQL
	if len(keys) <= fewKeys {
		where = holdsAskedSQL
	}
	return where, []any{string(list), lo, hi}
}

// ledgerByKeySQL reads the last entries of the asked keys ?3 of (?1, ?2)
// from the blocks that where picks.
func ledgerByKeySQL(where string) string {
	return askedSQL + "SELECT key, source_hash, target_hash, status, updated FROM (" +
		lastEntries("b.scope = ?1 AND b.step = ?2 AND "+where) + ")"
}

// Ledger returns the ledger rows of (scope, step) for keys that have one;
// none when decant has not written to the database yet.
func (s *Store) Ledger(ctx context.Context, scope, step string, keys []string) ([]decant.LedgerRow, error) {
	where, args := asking(keys)
	rows, err := s.read.QueryContext(ctx, ledgerByKeySQL(where), append([]any{scope, step}, args...)...)
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlite: read ledger of %s/%s: %w", scope, step, err)
	}
	defer rows.Close()
	var out []decant.LedgerRow
	for rows.Next() {
		var l decant.LedgerRow
		var updated string
		if err := rows.Scan(&l.Key, &l.SourceHash, &l.TargetHash, &l.Status, &updated); err != nil {
			return nil, fmt.Errorf("sqlite: read ledger of %s/%s: %w", scope, step, err)
		}
		l.Updated = parseStamp(updated)
		out = append(out, l)
	}
	return out, rows.Err()
}
