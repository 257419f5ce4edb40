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

// keeper gathers a verify's findings step by step and stores each step's
// in the target's state, replacing what an earlier verify found there.
// A step's findings are held until the step ends: they are bounded by the
// differences, not by the rows.
type keeper struct {
	cfg   Config
	fs    decant.FindingStore
	run   string
	found []decant.Finding
}

// newKeeper brings the state tables up to date (findings need version 4)
// and wraps opts.Finding so every finding is also kept.
func newKeeper(ctx context.Context, cfg Config, opts *VerifyOptions) (*keeper, error) {
	fs, err := decant.Require[decant.FindingStore](cfg.Store, "keep verify's findings")
	if err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	k := &keeper{cfg: cfg, fs: fs, run: time.Now().UTC().Format("20060102T150405.000000000Z")}
	next := opts.Finding
	opts.Finding = func(step, table string, f verify.Finding) error {
		k.found = append(k.found, k.finding(step, table, f))
		if next == nil {
			return nil
		}
		return next(step, table, f)
	}
	return k, nil
}

// store replaces the stored findings of step with those gathered for it.
func (k *keeper) store(ctx context.Context, step string) error {
	run := decant.FindingRun{Scope: k.cfg.Scope, Step: step, Run: k.run}
	err := k.fs.ReplaceFindings(ctx, run, k.found)
	k.found = k.found[:0]
	return err
}

func (k *keeper) finding(step, table string, f verify.Finding) decant.Finding {
	out := decant.Finding{Scope: k.cfg.Scope, Step: step, Table: table, Key: findingKey(f.Key),
		Kind: string(f.Kind), Columns: []decant.ColumnFinding{}}
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
