package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// buildBatch turns records [lo, hi) of a mapped batch into what the store
// commits: rows grouped by table (parents first, then children, whose rows
// for the batch's parents are replaced), one ledger entry and at most one
// error per key (the last record of a key wins, as its upsert would).
func buildBatch(scope, step string, key []string, b mappedBatch, lo, hi int, children []transform.ChildTable) *decant.Batch {
	batch := &decant.Batch{Scope: scope, Step: step}
	last := map[string]int{}
	for i := lo; i < hi; i++ {
		last[ledgerKey(b.recs[i])] = i
	}
	tables := newTableSet()
	var parents []any
	h := sha256.New()
	for i := lo; i < hi; i++ {
		rec := b.recs[i]
		lk := ledgerKey(rec)
		if last[lk] != i {
			continue
		}
		entry := decant.LedgerEntry{Key: lk, SourceHash: sourceHash(h, rec.Raw)}
		if f := b.fails[i]; f != nil {
			entry.Status = decant.StatusFailed
			batch.Errors = append(batch.Errors, decant.RecordError{Scope: scope, Step: step, Key: lk,
				Message: f.Message, Detail: f.Detail, Payload: rec.Raw})
		} else {
			out := b.outs[i]
			entry.Status = decant.StatusOK
			entry.TargetHash = targetHash(h, out.Rows)
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

// sourceHash hashes the record's canonical JSON (RFC 8785), so that key
// order and number spelling do not change it; bytes that are not JSON are
// hashed as they are.
func sourceHash(h hash.Hash, raw []byte) string {
	v := jsontext.Value(append([]byte(nil), raw...))
	if err := v.Canonicalize(); err != nil {
		v = raw
	}
	h.Reset()
	h.Write(v)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// targetHash hashes the rows a record became, in a stable textual form.
func targetHash(h hash.Hash, rows []transform.Row) string {
	h.Reset()
	for _, r := range rows {
		fmt.Fprintf(h, "%s{", r.Table)
		for i, c := range r.Cols {
			fmt.Fprintf(h, "%s=%s;", c, hashText(r.Vals[i]))
		}
		h.Write([]byte("}"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func hashText(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano)
	case decant.JSON:
		return string(t)
	case string:
		return fmt.Sprintf("%q", t)
	}
	return fmt.Sprint(v)
}

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
