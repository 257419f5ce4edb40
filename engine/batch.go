package engine

import (
	"slices"
	"sync"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// mappedBatch is a read batch with each record's output or failure and
// its ledger hashes.
type mappedBatch struct {
	readBatch
	outs  []transform.Output
	fails []*transform.Failure
	sums  []sums
	// foreign, when not nil, marks the deleted records whose keys this
	// scope never wrote (see writer.ownDeletions): they leave no trace.
	foreign []bool
}

// sums are a record's ledger hashes: of its source document, and of the
// rows it became (empty when it failed).
type sums struct{ source, target string }

// mapBatch maps and hashes the records of b, splitting them among the
// mappers, which run concurrently. It runs in the mapper stage, so the
// writer only talks to the store.
func mapBatch(ms []*transform.Mapper, scope string, b readBatch) mappedBatch {
	return mapStepBatch(ms, deletePlan{}, scope, b)
}

// mapStepBatch is mapBatch for a step's run, whose deleted records del
// maps.
func mapStepBatch(ms []*transform.Mapper, del deletePlan, scope string, b readBatch) mappedBatch {
	n := len(b.recs)
	mb := mappedBatch{readBatch: b, outs: make([]transform.Output, n),
		fails: make([]*transform.Failure, n), sums: make([]sums, n)}
	if mb.keys == nil {
		mb.keys = make([]string, n)
	}
	// Small batches are not worth a goroutine each.
	w := max(1, min(len(ms), n/minPerWorker))
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := i*n/w, (i+1)*n/w
		wg.Go(func() { mb.mapRange(ms[i], del, scope, lo, hi) })
	}
	wg.Wait()
	return mb
}

const minPerWorker = 64

func (mb *mappedBatch) mapRange(m *transform.Mapper, del deletePlan, scope string, lo, hi int) {
	var h hasher
	for i := lo; i < hi; i++ {
		rec := mb.recs[i]
		if mb.keys[i] == "" {
			mb.keys[i] = decant.LedgerKey(rec.Key, rec.Raw)
		}
		if rec.Deleted {
			mb.sums[i].source = h.raw(rec.Raw)
			mb.outs[i], mb.fails[i] = del.mapDeleted(m, rec, scope)
			continue
		}
		// A record whose columns the mapper reads from its JSON text is
		// not decoded for its hash either: one pass over the text maps it
		// and writes the canonical JSON that value would hash (see
		// transform.Mapper.MapCanonical), unless the text is unusual. A
		// row of fields (a CSV row) is mapped and hashed from its fields
		// (transform.Mapper.MapRow).
		var sum digest
		var out transform.Output
		var f *transform.Failure
		ok := false
		if doc, isRow := rec.Doc.(decant.RowDocument); isRow && rec.Invalid == "" {
			sum, out, f, ok = h.mapRow(m, rec, doc, scope)
		} else if m.ReadsJSONText(rec) {
			sum, out, f, ok = h.mapText(m, rec, scope)
		}
		if ok {
			mb.outs[i], mb.fails[i] = out, f
			var target *digest
			if f == nil {
				d := h.rowsDigest(out.Rows)
				target = &d
			}
			mb.sums[i] = h.sumsOf(sum, target)
			continue
		}
		// A record whose source decoded it (a CSV row) is not JSON-decoded:
		// its Doc hashes as its Raw would, since both hold one document.
		v, err := transform.RecordValue(rec)
		if err != nil {
			mb.outs[i], mb.fails[i] = m.Map(rec, scope) // says why it is not JSON
			mb.sums[i].source = h.raw(rec.Raw)
			continue
		}
		// Hashed before mapping, in case an expression changes the value.
		mb.sums[i].source = h.value(v)
		mb.outs[i], mb.fails[i] = m.MapValue(rec, v, scope)
		if mb.fails[i] == nil {
			mb.sums[i].target = h.rows(mb.outs[i].Rows)
		}
	}
}

// buildBatch turns records [lo, hi) of a mapped batch into what the store
// commits: rows grouped by table (parents first, then children, whose rows
// for the batch's parents are replaced), one ledger entry and at most one
// error per key (the last record of a key wins, as its upsert would; the
// writer passes runs in which keys do not repeat).
//
// A deleted record's rows are deleted or marked (see deletePlan): the
// batch's Deletes, which the store applies before its Tables, and which
// never share a key with them, since keys do not repeat in a run.
func buildBatch(scope, step string, key []string, b mappedBatch, lo, hi int, children []transform.ChildTable, del deletePlan) *decant.Batch {
	batch := &decant.Batch{Scope: scope, Step: step, Ledger: make([]decant.LedgerEntry, 0, hi-lo)}
	last := make(map[string]int, hi-lo)
	for i := lo; i < hi; i++ {
		last[b.keys[i]] = i
	}
	tables := newTableSet()
	var deletes rowDeletes
	parents := make([]any, 0, hi-lo)
	for i := lo; i < hi; i++ {
		rec := b.recs[i]
		lk := b.keys[i]
		if last[lk] != i || (b.foreign != nil && b.foreign[i]) {
			continue
		}
		entry := decant.LedgerEntry{Key: lk, SourceHash: b.sums[i].source}
		// A retried record whose key a plan change has found leaves its
		// stored "(no key)" error and ledger row for its real key.
		id, moved := b.stored(i)
		if moved {
			batch.Forget = append(batch.Forget, b.storedKeys[i])
		}
		if f := b.fails[i]; f != nil {
			entry.Status = decant.StatusFailed
			if moved {
				batch.Moved = append(batch.Moved, id)
				id = 0
			}
			batch.Errors = append(batch.Errors, decant.RecordError{ID: id, Scope: scope, Step: step, Key: lk,
				SourceKey: rec.Key, Place: rec.Where, SourceError: sourceError(rec),
				Message: f.Message, Detail: f.Detail, Payload: rec.Raw})
		} else if rec.Deleted {
			entry.Status = decant.StatusDeleted
			if id != 0 {
				batch.Resolved = append(batch.Resolved, id)
			}
			deletes.add(b.outs[i])
		} else {
			out := b.outs[i]
			entry.Status = decant.StatusOK
			entry.TargetHash = b.sums[i].target
			parents = append(parents, out.ParentKey)
			if id != 0 {
				batch.Resolved = append(batch.Resolved, id)
			}
			for _, row := range out.Rows {
				tables.add(row)
			}
		}
		batch.Ledger = append(batch.Ledger, entry)
	}
	batch.Tables = tables.build(key, children, parents)
	batch.Deletes = deletes.build(del, key, children, b.started)
	return batch
}

// stored returns the id of the stored error record i is a retry of (0 if
// none), and whether the record is now under another ledger key.
func (b *mappedBatch) stored(i int) (id int64, moved bool) {
	if b.ids == nil {
		return 0, false
	}
	return b.ids[i], b.ids[i] != 0 && b.storedKeys[i] != b.keys[i]
}

// tableSet gathers rows by table and, within a table, by column set: a
// record's row writes exactly the columns the record produced, whatever
// its batch-mates produced (fields mapping makes them differ), so a re-sent
// record that lacks a field leaves that column as it is.
type tableSet struct {
	order []*tableAcc            // groups, first seen first
	byKey map[string]*tableAcc   // table + column set -> group
	byT   map[string][]*tableAcc // table -> its groups
	last  *tableAcc              // the group of the row added last
}

type tableAcc struct {
	table     string
	cols      []string
	rows      [][]any
	replaceBy string
}

func newTableSet() *tableSet {
	return &tableSet{byKey: map[string]*tableAcc{}, byT: map[string][]*tableAcc{}}
}

func (ts *tableSet) add(r transform.Row) {
	// Most rows are of the group of the row before (a record maps to one
	// row of the same columns as the last record's): that group is taken
	// without spelling the row's key, a string a row.
	if a := ts.last; a != nil && a.table == r.Table && a.replaceBy == r.ReplaceBy && slices.Equal(a.cols, r.Cols) {
		a.rows = append(a.rows, r.Vals)
		return
	}
	k := groupKey(r.Table, r.Cols)
	a, ok := ts.byKey[k]
	if !ok {
		a = &tableAcc{table: r.Table, cols: r.Cols, replaceBy: r.ReplaceBy}
		ts.byKey[k] = a
		ts.byT[r.Table] = append(ts.byT[r.Table], a)
		ts.order = append(ts.order, a)
	}
	a.rows = append(a.rows, r.Vals)
	ts.last = a
}

func groupKey(table string, cols []string) string {
	n := len(table)
	for _, c := range cols {
		n += len(c) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, table...)
	for _, c := range cols {
		b = append(append(b, 0), c...)
	}
	return string(b)
}

// build lists parent tables first, then child tables. A child table's
// first group carries the parents whose old children it replaces; its other
// groups only insert.
func (ts *tableSet) build(key []string, children []transform.ChildTable, parents []any) []decant.TableRows {
	var out []decant.TableRows
	for _, a := range ts.order {
		if a.replaceBy == "" {
			out = append(out, decant.TableRows{Table: a.table, Columns: a.cols, Key: key, Rows: a.rows})
		}
	}
	if len(parents) == 0 {
		return out
	}
	done := map[string]bool{}
	for _, c := range children {
		if done[c.Table] {
			continue
		}
		done[c.Table] = true
		groups := ts.byT[c.Table]
		if len(groups) == 0 { // no child rows: still delete the old ones
			out = append(out, decant.TableRows{Table: c.Table, Columns: []string{c.ParentKey},
				ReplaceBy: c.ParentKey, Parents: parents})
			continue
		}
		for i, a := range groups {
			tr := decant.TableRows{Table: c.Table, Columns: a.cols, ReplaceBy: c.ParentKey, Rows: a.rows}
			if i == 0 {
				tr.Parents = parents
			}
			out = append(out, tr)
		}
	}
	return out
}
