package engine

import (
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
}

// sums are a record's ledger hashes: of its source document, and of the
// rows it became (empty when it failed).
type sums struct{ source, target string }

// mapBatch maps and hashes the records of b, splitting them among the
// mappers, which run concurrently. It runs in the mapper stage, so the
// writer only talks to the store.
func mapBatch(ms []*transform.Mapper, scope string, b readBatch) mappedBatch {
	n := len(b.recs)
	mb := mappedBatch{readBatch: b, outs: make([]transform.Output, n),
		fails: make([]*transform.Failure, n), sums: make([]sums, n)}
	// Small batches are not worth a goroutine each.
	w := max(1, min(len(ms), n/minPerWorker))
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := i*n/w, (i+1)*n/w
		wg.Go(func() { mb.mapRange(ms[i], scope, lo, hi) })
	}
	wg.Wait()
	return mb
}

const minPerWorker = 64

func (mb *mappedBatch) mapRange(m *transform.Mapper, scope string, lo, hi int) {
	var h hasher
	for i := lo; i < hi; i++ {
		rec := mb.recs[i]
		v, err := transform.DecodeJSON(rec.Raw)
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
// error per key (the last record of a key wins, as its upsert would).
func buildBatch(scope, step string, key []string, b mappedBatch, lo, hi int, children []transform.ChildTable) *decant.Batch {
	batch := &decant.Batch{Scope: scope, Step: step, Ledger: make([]decant.LedgerEntry, 0, hi-lo)}
	last := make(map[string]int, hi-lo)
	for i := lo; i < hi; i++ {
		last[ledgerKey(b.recs[i])] = i
	}
	tables := newTableSet()
	parents := make([]any, 0, hi-lo)
	for i := lo; i < hi; i++ {
		rec := b.recs[i]
		lk := ledgerKey(rec)
		if last[lk] != i {
			continue
		}
		entry := decant.LedgerEntry{Key: lk, SourceHash: b.sums[i].source}
		if f := b.fails[i]; f != nil {
			entry.Status = decant.StatusFailed
			batch.Errors = append(batch.Errors, decant.RecordError{Scope: scope, Step: step, Key: lk,
				Message: f.Message, Detail: f.Detail, Payload: rec.Raw})
		} else {
			out := b.outs[i]
			entry.Status = decant.StatusOK
			entry.TargetHash = b.sums[i].target
			parents = append(parents, out.ParentKey)
			for _, row := range out.Rows {
				tables.add(row)
			}
		}
		batch.Ledger = append(batch.Ledger, entry)
	}
	batch.Tables = tables.build(key, children, parents)
	return batch
}

// ledgerKey is the record's key, or for a record without one its place in
// the source, so it can still be stored, found and retried.
func ledgerKey(r decant.Record) string {
	if r.Key != "" {
		return r.Key
	}
	return noKeyPrefix + r.Where
}

const noKeyPrefix = "(no key) "

// tableSet gathers rows by table. Rows of one table may carry different
// columns (fields mapping); the table's columns are their union in
// first-seen order and a row lacking a column writes NULL there.
type tableSet struct {
	order []string
	byT   map[string]*tableAcc
}

type tableAcc struct {
	cols      []string
	idx       map[string]int
	rows      []transform.Row
	replaceBy string
}

func newTableSet() *tableSet { return &tableSet{byT: map[string]*tableAcc{}} }

func (ts *tableSet) acc(table string) *tableAcc {
	a, ok := ts.byT[table]
	if !ok {
		a = &tableAcc{idx: map[string]int{}}
		ts.byT[table] = a
		ts.order = append(ts.order, table)
	}
	return a
}

func (ts *tableSet) add(r transform.Row) {
	a := ts.acc(r.Table)
	a.replaceBy = r.ReplaceBy
	for _, c := range r.Cols {
		if _, ok := a.idx[c]; !ok {
			a.idx[c] = len(a.cols)
			a.cols = append(a.cols, c)
		}
	}
	a.rows = append(a.rows, r)
}

func (ts *tableSet) build(key []string, children []transform.ChildTable, parents []any) []decant.TableRows {
	var parentsOut, childOut []decant.TableRows
	done := map[string]bool{}
	for _, t := range ts.order {
		a := ts.byT[t]
		if a.replaceBy != "" {
			continue
		}
		tr := a.tableRows(t)
		tr.Key = key
		parentsOut = append(parentsOut, tr)
	}
	if len(parents) == 0 {
		return parentsOut
	}
	for _, c := range children {
		if done[c.Table] {
			continue
		}
		done[c.Table] = true
		tr := decant.TableRows{Table: c.Table, Columns: []string{c.ParentKey}}
		if a, ok := ts.byT[c.Table]; ok {
			tr = a.tableRows(c.Table)
		}
		tr.ReplaceBy = c.ParentKey
		tr.Parents = parents
		childOut = append(childOut, tr)
	}
	return append(parentsOut, childOut...)
}

func (a *tableAcc) tableRows(table string) decant.TableRows {
	tr := decant.TableRows{Table: table, Columns: a.cols, Rows: make([][]any, len(a.rows))}
	for i, r := range a.rows {
		vals := r.Vals
		if len(r.Cols) != len(a.cols) || !sameCols(r.Cols, a.cols) {
			vals = make([]any, len(a.cols))
			for j, c := range r.Cols {
				vals[a.idx[c]] = r.Vals[j]
			}
		}
		tr.Rows[i] = vals
	}
	return tr
}

func sameCols(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
