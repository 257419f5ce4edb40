package engine

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// A source read again may give records it reports deleted (a CouchDB
// changes feed's tombstones). Verify expects of such a key what the run
// left, by the step's on_delete:
//
//   - delete: no rows, unless a later record of the key wrote it again. A
//     gone marker goes into the parent's sorter after the key's earlier
//     rows, and dropDeleted takes out a key whose last row is the marker:
//     a target row still there is extra. Its child tables are started
//     over with no rows.
//   - ignore and mark: its rows are neither expected nor extra: they are
//     skipped as an open error's are, and a kept marker makes dropDeleted
//     take out the key's expected rows. A marked row keeps the content it
//     had, and the time of the mark is the run's, not the source's.
//
// A source read again may also leave its deleted records out (CouchDB's
// bulk read gives no deleted documents), so verify also takes the keys
// the step's ledger keeps as deleted for deletions (skipLedgerDeleted).

// deletedValue is the name, which no column can have, under which an
// expected row says its key's record was deleted.
const deletedValue = "\x00deleted"

// The values of deletedValue: the key's rows are gone, or kept as they
// are.
const (
	deletedGone = "gone"
	deletedKept = "kept"
)

// mapDeleted maps a deleted record for a verify: the key columns of
// its rows. With on_delete: ignore, a key that cannot be found from the
// source key is no error: the record has no rows to skip or expect.
func (v *stepVerify) mapDeleted(m *transform.Mapper, rec decant.Record) (transform.Output, *transform.Failure) {
	if v.step.Spec.OnDelete.Is(transform.OnDeleteIgnore) && m.SourceKeyError() != nil {
		return transform.Output{}, nil
	}
	return m.MapDeleted(rec, v.cfg.Scope)
}

// ledgerDeletedPage is how many deleted ledger keys verify reads at a time.
const ledgerDeletedPage = 1000

// skipLedgerDeleted skips, when the step ignores or marks deletions, the
// target rows of the keys its ledger keeps as deleted, and their child
// rows, as an open error's are: a source read again that leaves deleted
// records out would otherwise make the kept rows extra. A key written
// again has status ok, so it is expected as usual. With delete nothing is
// expected of such a key already: a row left is extra. A ledger key that
// was abbreviated (decant.LedgerKey), or whose rows cannot be found from
// it, is passed over. It reports whether it skipped any key; the caller
// then does not stream, as with open errors.
func (v *stepVerify) skipLedgerDeleted(ctx context.Context, m *transform.Mapper) (bool, error) {
	if v.step.Spec.OnDelete.Is(transform.OnDeleteDelete) {
		return false, nil
	}
	l, ok := decant.As[decant.LedgerStatusLister](v.cfg.Store)
	if !ok {
		return false, nil
	}
	skipped := false
	for after := ""; ; {
		keys, err := l.LedgerKeysByStatus(ctx, v.cfg.Scope, v.step.Name, decant.StatusDeleted, after, ledgerDeletedPage)
		if err != nil {
			return skipped, fmt.Errorf("read the ledger's deleted keys: %w", err)
		}
		for _, lk := range keys {
			sk, ok := sourceKeyOf(lk)
			if !ok {
				continue
			}
			out, f := v.mapDeleted(m, decant.Record{Key: sk, Deleted: true, Where: "ledger key " + lk})
			if f != nil || len(out.Rows) == 0 {
				continue
			}
			if err := v.add(out, true, ""); err != nil {
				return skipped, fmt.Errorf("deleted ledger key %s: %w", lk, err)
			}
			skipped = true
		}
		if len(keys) < ledgerDeletedPage {
			return skipped, nil
		}
		after = keys[len(keys)-1]
	}
}

// addDeleted adds what a deleted record's key expects: see above.
func (v *stepVerify) addDeleted(out transform.Output) error {
	if len(out.Rows) == 0 {
		return nil
	}
	// What a deletion expects is worked out among the sorted rows of its
	// key (dropDeleted); a streamed comparison cannot take it back from
	// rows it compared already, so a deletion loses the bet on key order.
	// Past the sort's first rows the sort no longer takes any, and the
	// source is read again into it (rereads).
	if v.stream != nil {
		v.stream.lose("a deleted record")
		if !v.stream.sorts() {
			return nil
		}
	}
	mark := deletedGone
	if !v.step.Spec.OnDelete.Is(transform.OnDeleteDelete) {
		if err := v.add(out, true, ""); err != nil { // skips the target rows
			return err
		}
		mark = deletedKept
	} else if err := v.addChildren(transform.Output{ParentKey: out.ParentKey}, false); err != nil {
		return err
	}
	for _, row := range out.Rows {
		if v.tableDone(row.Table) {
			continue
		}
		key, err := v.rowKey(row)
		if err != nil {
			return err
		}
		if err := v.sorters[row.Table].Add(verify.KeyedRow{Key: key, Values: map[string]any{deletedValue: mark}}); err != nil {
			return err
		}
	}
	return nil
}

// dropDeleted passes on the expected rows (sorted by key, a key's rows in
// source order) of the keys a deletion leaves rows to: it takes out a key
// whose last row is a gone marker, and every row of a key with a kept
// marker.
func dropDeleted(rows verify.ExpectedRows) verify.ExpectedRows { return &deletedRows{src: rows} }

type deletedRows struct {
	src verify.ExpectedRows
	// group holds the rows of one key; i is the next to give.
	group   []verify.KeyedRow
	i       int
	next    verify.KeyedRow
	hasNext bool
	started bool
}

func (d *deletedRows) Next(ctx context.Context) bool {
	if !d.started {
		d.started = true
		if d.hasNext = d.src.Next(ctx); d.hasNext {
			d.next = d.src.Row()
		}
	}
	for d.i+1 >= len(d.group) {
		if !d.hasNext {
			d.group, d.i = nil, 0
			return false
		}
		d.group, d.i = append(d.group[:0], d.next), -1
		for {
			if d.hasNext = d.src.Next(ctx); !d.hasNext {
				break
			}
			d.next = d.src.Row()
			if decant.CompareKeys(d.next.Key, d.group[0].Key) != 0 {
				break
			}
			d.group = append(d.group, d.next)
		}
		if dropped(d.group) {
			d.group = d.group[:0]
		}
	}
	d.i++
	return true
}

// dropped reports whether a key's rows are not expected.
func dropped(group []verify.KeyedRow) bool {
	for _, r := range group {
		if r.Values[deletedValue] == deletedKept {
			return true
		}
	}
	return group[len(group)-1].Values[deletedValue] == deletedGone
}

func (d *deletedRows) Row() verify.KeyedRow { return d.group[d.i] }
func (d *deletedRows) Err() error           { return d.src.Err() }
