package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// ForeignTable is a target table that holds rows decant did not write:
// more rows than the keys its steps' ledgers hold, in every scope.
type ForeignTable struct {
	Table string `json:"table"`
	// Steps are the steps that write the table.
	Steps []string `json:"steps"`
	// Rows is how many rows the table holds, counted up to Written + 1.
	Rows int64 `json:"rows"`
	// Written is the ledger keys of Steps, in every scope, whose rows may
	// be in the table: every key, whether its last attempt was written,
	// deleted or failed.
	Written int64 `json:"written"`
}

func (f ForeignTable) String() string {
	if f.Written == 0 {
		return fmt.Sprintf("table %s holds rows, and decant has written none to it", f.Table)
	}
	return fmt.Sprintf("table %s holds more rows than the %d decant wrote to it", f.Table, f.Written)
}

// ForeignRows returns the tables of the steps cfg selects (cfg.Only) that
// hold rows decant did not write, writing nothing: a table that does not
// exist yet, or is empty, holds none. A table holds foreign rows when its
// rows outnumber the keys that the ledgers of the steps writing it hold,
// whatever their last attempt, in every scope: counting reads the table's
// keys, stopping past that number, and the ledgers are read again before
// a table is reported, so that a run of another scope committing rows
// meanwhile is not taken for foreign rows. Only tables that
// steps name in to.table are checked: a routed step's or a child table's
// rows cannot be told apart by table. Scopes whose records write the same
// rows count them once each, which can hide as many foreign rows: the
// check errs towards letting a run go on. The store needs the Cataloger and
// TargetReader roles, and StateReader and Lifecycler once a table has rows.
func ForeignRows(ctx context.Context, cfg Config) ([]ForeignTable, error) {
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return nil, err
	}
	var out []ForeignTable
	for _, table := range fixedTables(steps) {
		writers := tableWriters(cfg.Plan, table)
		f, err := foreignRows(ctx, cfg.Store, table, writers)
		if err != nil {
			return nil, fmt.Errorf("look for rows decant did not write in table %s: %w", table, err)
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, nil
}

// fixedTables lists, in step order, the tables steps name in to.table.
func fixedTables(steps []*plan.Step) []string {
	var tables []string
	for _, s := range steps {
		if t := s.To.Table; t != "" && s.To.Route == nil && !slices.Contains(tables, t) {
			tables = append(tables, t)
		}
	}
	return tables
}

// tableWriters lists every step of p that writes table by to.table.
func tableWriters(p *plan.Plan, table string) []*plan.Step {
	var out []*plan.Step
	for _, s := range p.Steps {
		if s.To.Table == table && s.To.Route == nil {
			out = append(out, s)
		}
	}
	return out
}

func foreignRows(ctx context.Context, st decant.Store, table string, writers []*plan.Step) (*ForeignTable, error) {
	cat, err := decant.Require[decant.Cataloger](st, "look for rows decant did not write")
	if err != nil {
		return nil, err
	}
	if _, err := cat.Columns(ctx, table); errors.Is(err, decant.ErrNotFound) {
		return nil, nil // made by this run's migrations or setup: empty
	} else if err != nil {
		return nil, err
	}
	rows, err := countRows(ctx, st, table, writers[0].Key, 1)
	if err != nil || rows == 0 {
		return nil, err
	}
	written, err := ledgerKeys(ctx, st, writers)
	if err != nil {
		return nil, err
	}
	if rows, err = countRows(ctx, st, table, writers[0].Key, written+1); err != nil || rows <= written {
		return nil, err
	}
	// Read again: a run of another scope may have committed rows, with
	// their ledger rows, since the first read; a row counted now has its
	// ledger row committed by now.
	if written, err = ledgerKeys(ctx, st, writers); err != nil || rows <= written {
		return nil, err
	}
	return &ForeignTable{Table: table, Steps: stepNames(writers), Rows: rows, Written: written}, nil
}

// countRows counts table's rows, reading their keys, up to limit.
func countRows(ctx context.Context, st decant.Store, table string, key []string, limit int64) (int64, error) {
	tr, err := decant.Require[decant.TargetReader](st, "look for rows decant did not write")
	if err != nil {
		return 0, err
	}
	rows, err := tr.ReadRows(ctx, decant.RowQuery{Table: table, Key: key})
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for n < limit && rows.Next(ctx) {
		n++
	}
	return n, rows.Err()
}

// ledgerKeys sums, over every scope, the keys of steps that the ledger
// holds, whatever their last attempt: a key written once keeps its row
// when a newer record of it fails (and a key that only failed has none,
// which errs towards letting a run go on). Without decant's state tables
// it is 0.
func ledgerKeys(ctx context.Context, st decant.Store, steps []*plan.Step) (int64, error) {
	if cat, ok := decant.As[decant.Cataloger](st); ok {
		if _, err := cat.Columns(ctx, "decant_ledger"); errors.Is(err, decant.ErrNotFound) {
			return 0, nil
		}
	}
	lc, err := decant.Require[decant.Lifecycler](st, "look for rows decant did not write")
	if err != nil {
		return 0, err
	}
	sr, err := decant.Require[decant.StateReader](st, "look for rows decant did not write")
	if err != nil {
		return 0, err
	}
	scopes, err := lc.Lifecycles(ctx)
	if err != nil {
		return 0, err
	}
	names := stepNames(steps)
	var n int64
	for _, sc := range scopes {
		status, err := sr.Status(ctx, sc.Scope)
		if err != nil {
			return 0, err
		}
		for _, s := range status {
			if slices.Contains(names, s.Step) {
				n += s.Keys
			}
		}
	}
	return n, nil
}
