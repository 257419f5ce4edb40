package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/verify"
)

// keeper stores a verify's findings in the target's state a key range at a
// time (docs/verify.md, "Resuming a verify"): each range's findings
// replace those stored for the range, together with the run's progress, in
// one transaction. It holds one range's findings at a time, so memory is
// bounded by the range, not by the rows or the differences of the step.
type keeper struct {
	cfg Config
	fs  decant.FindingStore
	run string
}

// newKeeper brings the state tables up to date (findings and progress need
// version 6).
func newKeeper(ctx context.Context, cfg Config) (*keeper, error) {
	fs, err := decant.Require[decant.FindingStore](cfg.Store, "keep verify's findings")
	if err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	return &keeper{cfg: cfg, fs: fs, run: time.Now().UTC().Format("20060102T150405.000000000Z")}, nil
}

// storeRange replaces the findings of table stored for the keys after
// after (nil: from the start) up to until (nil: to the end) with found,
// and saves p, in one transaction.
func (k *keeper) storeRange(ctx context.Context, step, table string, after, until []any, found []pendingFinding, p decant.VerifyProgress) error {
	run := decant.FindingRun{Scope: k.cfg.Scope, Step: step, Run: k.run, Table: table, Progress: &p}
	if after != nil {
		run.After = decant.FindingOrder(after)
	}
	if until != nil {
		run.Until = decant.FindingOrder(until)
	}
	out := make([]decant.Finding, len(found))
	for i, f := range found {
		out[i] = k.finding(step, table, f.Finding)
		if f.why != "" {
			out[i].Reason = f.why
		}
	}
	return k.fs.ReplaceFindings(ctx, run, out)
}

// finishStep marks the step verified, with its result, and drops its
// findings of tables it no longer writes.
func (k *keeper) finishStep(ctx context.Context, r VerifyStepResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(r.Tables))
	for _, t := range r.Tables {
		tables = append(tables, t.Table)
	}
	return k.fs.FinishVerifyStep(ctx, decant.VerifyProgress{Scope: k.cfg.Scope, Run: k.run, Step: r.Step, Done: true, Result: string(b)}, tables)
}

// end records how the run ended. It writes even when ctx was cancelled
// (a verify stopped by a signal says so), within a few seconds.
func (k *keeper) end(ctx context.Context, err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err == nil {
		return k.fs.EndVerify(ctx, k.cfg.Scope, k.run, decant.VerifyDone, "")
	}
	return k.fs.EndVerify(ctx, k.cfg.Scope, k.run, decant.VerifyFailed, err.Error())
}

func (k *keeper) finding(step, table string, f verify.Finding) decant.Finding {
	out := decant.Finding{Scope: k.cfg.Scope, Step: step, Table: table, Key: findingKey(f.Key),
		Kind: string(f.Kind), Columns: []decant.ColumnFinding{}, Order: decant.FindingOrder(f.Key)}
	for _, c := range f.Columns {
		cf := decant.ColumnFinding{Column: c.Column}
		if !c.ExpectedNull {
			cf.Expected = &c.Expected
		}
		if !c.ActualNull {
			cf.Actual = &c.Actual
		}
		for i, r := range c.Rules {
			if i > 0 {
				cf.Rule, cf.Reason = cf.Rule+", ", cf.Reason+"; "
			}
			cf.Rule, cf.Reason = cf.Rule+string(r.Kind), cf.Reason+r.Reason
		}
		out.Columns = append(out.Columns, cf)
	}
	return out
}

// findingKey names a key as the ledger does: a one-column key is its text
// (an integer in decimal), a composite one a JSON array; decant.LedgerKey
// then makes it storable.
func findingKey(key []any) string {
	if len(key) == 1 {
		switch v := key[0].(type) {
		case string:
			return decant.LedgerKey(v, nil)
		case int64:
			return strconv.FormatInt(v, 10)
		}
	}
	b, err := json.Marshal(key)
	if err != nil {
		return decant.LedgerKey(fmt.Sprint(key), nil)
	}
	return decant.LedgerKey(string(b), nil)
}
