package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// A record its source reports deleted (decant.Record.Deleted) is mapped to
// the key columns of its rows (transform.Mapper.MapDeleted) instead of to
// rows, and its batch carries the deletes, or the marks, of those rows;
// the step's on_delete says which. The ledger keeps it as deleted.

// deletePlan is what a step does with its deleted records.
type deletePlan struct {
	onDelete transform.OnDelete
	// markKinds holds, per parent table, the kind of the mark column:
	// decant.KindBool gets true, a timestamp or date the batch's start.
	markKinds map[string]string
}

func newDeletePlan(m *transform.Mapper) deletePlan {
	d := deletePlan{onDelete: m.OnDelete(), markKinds: map[string]string{}}
	for _, t := range m.Tables() {
		d.markKinds[t] = m.MarkKind(t)
	}
	return d
}

// ignores reports whether the step leaves deleted records' rows alone.
func (d deletePlan) ignores() bool { return d.onDelete.Is(transform.OnDeleteIgnore) }

// mapDeleted maps a deleted record: to nothing when the step ignores
// deletions, else to the key columns of its rows in each of the step's
// tables.
func (d deletePlan) mapDeleted(m *transform.Mapper, rec decant.Record, scope string) (transform.Output, *transform.Failure) {
	if d.ignores() {
		return transform.Output{}, nil
	}
	return m.MapDeleted(rec, scope)
}

// rowDeletes gathers the rows of deleted records for one batch.
type rowDeletes struct {
	order   []string           // parent tables, first seen first
	keys    map[string][][]any // parent table -> key values
	parents []any              // the records' parent keys, for child rows
}

// add adds a deleted record's output (from mapDeleted).
func (r *rowDeletes) add(out transform.Output) {
	if len(out.Rows) == 0 {
		return
	}
	if r.keys == nil {
		r.keys = map[string][][]any{}
	}
	for _, row := range out.Rows {
		if _, ok := r.keys[row.Table]; !ok {
			r.order = append(r.order, row.Table)
		}
		r.keys[row.Table] = append(r.keys[row.Table], row.Vals)
	}
	r.parents = append(r.parents, out.ParentKey)
}

// build lists what the store deletes or marks: with delete, each child
// table's rows of the records (by parent key) before the parents' rows;
// with mark, the parents' rows' mark column, set to true or to at.
func (r *rowDeletes) build(d deletePlan, key []string, children []transform.ChildTable, at time.Time) []decant.RowDeletes {
	if len(r.order) == 0 {
		return nil
	}
	var out []decant.RowDeletes
	mark := d.onDelete.Is(transform.OnDeleteMark)
	if !mark {
		parents := make([][]any, len(r.parents))
		for i, p := range r.parents {
			parents[i] = []any{p}
		}
		done := map[string]bool{}
		for _, c := range children {
			if !done[c.Table] {
				done[c.Table] = true
				out = append(out, decant.RowDeletes{Table: c.Table, By: []string{c.ParentKey}, Keys: parents})
			}
		}
	}
	for _, t := range r.order {
		rd := decant.RowDeletes{Table: t, By: key, Keys: r.keys[t]}
		if mark {
			rd.Mark, rd.MarkValue = d.onDelete.Mark, markValue(d.markKinds[t], at)
		}
		out = append(out, rd)
	}
	return out
}

// deletedError is the source error of a deleted record that failed: a
// retry reads a stored error's payload as content, and a tombstone's
// content is only its key, which would write a row back. So a retry keeps
// it as it is, and the user deletes its rows and resolves it.
const deletedError = "the source reports this record deleted; a retry cannot apply a deletion: " +
	"delete its rows by hand (decant patch --kinds extra finds them after a verify), then resolve this error"

// sourceError is the source error a failed record is stored with.
func sourceError(rec decant.Record) string {
	if rec.Deleted && rec.Invalid == "" {
		return deletedError
	}
	return rec.Invalid
}

// noTime is the mark time of a build that marks nothing.
var noTime time.Time

// markValue is what a mark column of kind is set to.
func markValue(kind string, at time.Time) any {
	if kind == decant.KindBool {
		return true
	}
	return at.UTC()
}

// forgetDeleted drops what the source gave before of a record it now
// reports deleted: a patch then deletes the record's rows that verify
// finds extra. A deleted record whose rows cannot be found is passed
// over: verify counted it as an error.
func (so *stepOutputs) forgetDeleted(sv *stepVerify, m *transform.Mapper, rec decant.Record) {
	out, f := m.MapDeleted(rec, sv.cfg.Scope)
	if f != nil {
		return
	}
	if k, ok := sv.outputKey(out); ok {
		delete(so.byKey, k)
	}
	delete(so.byParent, findingKey([]any{out.ParentKey}))
}

// ownDeletions keeps, of b's deleted records, those whose rows this scope
// wrote, and marks the others foreign: their deletion is not this scope's
// to apply. Scopes may share tables (a CouchDB database holds every
// domain), and a tombstone carries no field to filter by, so a scope's
// source gives it the tombstones of every scope; deleting by key alone
// would delete another scope's rows. A key is this scope's when its ledger
// has it, or when a record of b before it wrote it (that run commits in
// the same transaction, ahead of the deletion). A record of b that failed
// to map counts too: it gets a ledger row in that transaction, so the
// outcome does not depend on whether it shares the deletion's batch. A
// deleted record that failed to map, or that on_delete: ignore maps to
// nothing, is asked about as well: another scope's is not this scope's
// error, nor its ledger's. A foreign record gets no deletes, no
// error and no ledger entry. The scope's lease keeps its ledger still
// while the batch is built.
func (w *writer) ownDeletions(ctx context.Context, b *mappedBatch) error {
	var keys []string
	wrote := map[string]bool{}
	ask := map[int]bool{}
	for i, rec := range b.recs {
		switch {
		case !rec.Deleted:
			wrote[b.keys[i]] = true
		case wrote[b.keys[i]]:
		default: // with ignore too: another scope's tombstone gets no ledger row
			keys = append(keys, b.keys[i])
			ask[i] = true
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sr, err := decant.Require[decant.StateReader](w.cfg.Store, "tell a deleted record of this scope from one of another")
	if err != nil {
		return err
	}
	rows, err := sr.Ledger(ctx, w.cfg.Scope, w.step.Name, keys)
	if err != nil {
		return fmt.Errorf("deleted records: %w", err)
	}
	known := make(map[string]bool, len(rows))
	for _, r := range rows {
		known[r.Key] = true
	}
	for i := range ask {
		if !known[b.keys[i]] {
			if b.foreign == nil {
				b.foreign = make([]bool, len(b.recs))
			}
			b.foreign[i] = true
			b.outs[i], b.fails[i] = transform.Output{}, nil
		}
	}
	return nil
}
