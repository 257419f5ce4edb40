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
// are picked without parsing their keys or entries.
const holdsAskedSQL = `EXISTS (SELECT 1 FROM asked a WHERE a.key BETWEEN b.min_key AND b.max_key
    AND instr(b.keys, json_quote(a.key)) > 0) AND e.value ->> 0 IN (SELECT key FROM asked)`

// ledgerByKeySQL reads the last entries of the asked keys ?3 of (?1, ?2).
var ledgerByKeySQL = askedSQL + "SELECT key, source_hash, target_hash, status, updated FROM (" +
	lastEntries("b.scope = ?1 AND b.step = ?2 AND "+holdsAskedSQL) + ")"

// Ledger returns the ledger rows of (scope, step) for keys that have one;
// none when decant has not written to the database yet.
func (s *Store) Ledger(ctx context.Context, scope, step string, keys []string) ([]decant.LedgerRow, error) {
	list, _ := json.Marshal(append([]string{}, keys...))
	rows, err := s.read.QueryContext(ctx, ledgerByKeySQL, scope, step, string(list))
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
