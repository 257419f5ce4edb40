package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// PatchOptions selects what [Patch] repairs.
type PatchOptions struct {
	// Keys, when not empty, patches these records only, named as findings
	// name them (decant diffs shows the keys). All patches every record
	// with a finding of Kinds; one of the two is required.
	Keys []string
	All  bool
	// Kinds are the finding kinds to repair: diff, missing, extra,
	// change. Default diff and missing: an extra row is deleted only when
	// asked for, and a change is a difference the plan accepts.
	Kinds []string
	// DryRun finds what would be patched and writes nothing, not even
	// decant's state; it needs no lease.
	DryRun bool
	// Reason says why; every patch keeps it. Required unless DryRun.
	Reason string
	// Verify tunes the verifies that find the differences and check the
	// patches; its Finding and Keep are Patch's own.
	Verify VerifyOptions
	// Patched, when set, is called after each record is patched (or, in a
	// dry run, found to need it).
	Patched func(PatchedRecord)
}

// PatchResult is what a [Patch] did.
type PatchResult struct {
	Scope  string `json:"scope"`
	DryRun bool   `json:"dry_run"`
	// Patched lists the records patched (in a dry run, to patch), by
	// step and key.
	Patched []PatchedRecord `json:"patched"`
	// Skipped lists the records asked for that were not patched, and why.
	Skipped []SkippedRecord `json:"skipped"`
	// StillDifferent counts the patched records that the verify after the
	// patch still finds different.
	StillDifferent int `json:"still_different"`
	// Verify is that verify's result; nil in a dry run.
	Verify *VerifyResult `json:"verify"`
}

// PatchedRecord is one record a patch wrote.
type PatchedRecord struct {
	// ID is the stored patch's, for decant patch show and revert; 0 in a
	// dry run.
	ID   int64  `json:"id"`
	Step string `json:"step"`
	Key  string `json:"key"`
	// Findings are what verify found of the record before the patch.
	Findings []decant.Finding `json:"findings"`
	// Tables are the record's rows as the patch writes them.
	Tables []decant.PatchTable `json:"tables"`
	// StillDifferent is set when the verify after the patch still finds
	// the record different: the target did not keep what was written (a
	// trigger, a generated column, a type that cannot hold the value).
	StillDifferent bool `json:"still_different"`
}

// SkippedRecord is a record asked for that was not patched.
type SkippedRecord struct {
	Step   string `json:"step"`
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// patchKinds are the kinds a patch can repair.
var patchKinds = []string{decant.FindingDiff, decant.FindingMissing, decant.FindingExtra, decant.FindingChange}

func (o *PatchOptions) check() error {
	if len(o.Keys) == 0 && !o.All {
		return errors.New("name the records to patch with --key (decant diffs lists them), or patch every finding with --all")
	}
	if len(o.Keys) > 0 && o.All {
		return errors.New("give --key or --all, not both")
	}
	if len(o.Kinds) == 0 {
		o.Kinds = []string{decant.FindingDiff, decant.FindingMissing}
	}
	for _, k := range o.Kinds {
		if !slices.Contains(patchKinds, k) {
			return fmt.Errorf("kind %q cannot be patched: use %s (a duplicate key needs a look by hand)", k, strings.Join(patchKinds, ", "))
		}
	}
	if !o.DryRun && strings.TrimSpace(o.Reason) == "" {
		return errors.New("say why with a reason (--reason): every patch keeps it")
	}
	return nil
}

// Patch repairs what verify finds: for each record of cfg's steps with a
// finding of opts.Kinds (all of them, or those opts.Keys names), it writes
// the rows the plan expects over the record's rows in the tables that
// differ: the expected row over a diff or a change, a missing row
// inserted, an extra row deleted, a child table's rows replaced. Each
// record is patched in one transaction with its patch record (the rows
// before and after, the findings, the reason), so a killed patch leaves
// whole patches only, each of which decant patch revert undoes.
//
// Patch verifies first (reading the source and the target), reads the
// source again for the records to patch, and verifies once more after, to
// report the records still different and to store the findings as verify
// does. It holds the scope's lease while it writes, so no run of the scope
// writes at the same time. The store needs the Patcher role.
func Patch(ctx context.Context, cfg Config, opts PatchOptions) (*PatchResult, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	res := &PatchResult{Scope: cfg.Scope, DryRun: opts.DryRun, Patched: []PatchedRecord{}, Skipped: []SkippedRecord{}}
	var patcher decant.Patcher
	if !opts.DryRun {
		var err error
		if patcher, err = decant.Require[decant.Patcher](cfg.Store, "patch the target"); err != nil {
			return nil, err
		}
		if err := initState(ctx, cfg.Store); err != nil {
			return nil, err
		}
		release, leaseCtx, err := holdLease(ctx, cfg)
		if err != nil {
			return nil, err
		}
		defer release()
		ctx = leaseCtx
	}
	found, err := patchFindings(ctx, cfg, opts)
	if err != nil {
		return res, err
	}
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return res, err
	}
	for _, s := range steps {
		if err := patchStep(ctx, cfg, opts, s, found[s.Name], patcher, res); err != nil {
			return res, fmt.Errorf("patch step %s: %w", s.Name, err)
		}
	}
	for _, k := range opts.Keys {
		if !res.has(k) {
			res.Skipped = append(res.Skipped, SkippedRecord{Key: k, Reason: "verify finds nothing of the kinds asked for here: decant diffs lists what it found"})
		}
	}
	if opts.DryRun || len(res.Patched) == 0 {
		return res, nil
	}
	return res, recheck(ctx, cfg, opts, res)
}

func (r *PatchResult) has(key string) bool {
	return slices.ContainsFunc(r.Patched, func(p PatchedRecord) bool { return p.Key == key }) ||
		slices.ContainsFunc(r.Skipped, func(s SkippedRecord) bool { return s.Key == key })
}

// recordFindings are one record's findings, by table.
type recordFindings struct {
	key      []any // the key's values as verify read them
	findings []decant.Finding
	tables   []string
}

// patchFindings verifies and gathers, per step and key, the findings the
// patch is asked to repair.
func patchFindings(ctx context.Context, cfg Config, opts PatchOptions) (map[string]map[string]*recordFindings, error) {
	found := map[string]map[string]*recordFindings{}
	conv := &keeper{cfg: cfg}
	vo := opts.Verify
	vo.Keep, vo.MissingOnly = false, false
	vo.Finding = func(step, table string, f verify.Finding) error {
		df := conv.finding(step, table, f)
		if !slices.Contains(opts.Kinds, df.Kind) || len(opts.Keys) > 0 && !slices.Contains(opts.Keys, df.Key) {
			return nil
		}
		if found[step] == nil {
			found[step] = map[string]*recordFindings{}
		}
		rf := found[step][df.Key]
		if rf == nil {
			rf = &recordFindings{key: f.Key}
			found[step][df.Key] = rf
		}
		rf.findings = append(rf.findings, df)
		rf.tables = append(rf.tables, table)
		return nil
	}
	if _, err := Verify(ctx, cfg, vo); err != nil {
		return nil, fmt.Errorf("find the differences: %w", err)
	}
	return found, nil
}

// patchStep reads the step's source again, maps the records to patch and
// patches each.
func patchStep(ctx context.Context, cfg Config, opts PatchOptions, s *plan.Step, found map[string]*recordFindings, patcher decant.Patcher, res *PatchResult) error {
	if len(found) == 0 && len(opts.Keys) == 0 {
		return nil
	}
	cols, err := TargetColumns(ctx, cfg.Store, s.Spec)
	if err != nil {
		return err
	}
	m, err := transform.NewMapper(s.Spec, cols)
	if err != nil {
		return fmt.Errorf("the plan does not match the target: %w", err)
	}
	outs, err := expectedOutputs(ctx, cfg, opts, s, m, found, res)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		rf := found[k]
		rec := PatchedRecord{Step: s.Name, Key: k, Findings: rf.findings}
		rec.Tables = recordTables(s, m, rf, outs[k])
		if patcher != nil {
			p := &decant.Patch{Scope: cfg.Scope, Step: s.Name, Key: k, Findings: rf.findings, Reason: opts.Reason, Tables: rec.Tables}
			if err := patcher.ApplyPatch(ctx, p); err != nil {
				return err
			}
			rec.ID = p.ID
		}
		res.Patched = append(res.Patched, rec)
		if opts.Patched != nil {
			opts.Patched(rec)
		}
	}
	return nil
}

// expectedOutputs maps the step's source and keeps the last output of
// each key to patch. A record asked for by key that fails to map now, or
// sits in the open errors, is skipped: the plan has no rows to write for
// it until the error is fixed.
func expectedOutputs(ctx context.Context, cfg Config, opts PatchOptions, s *plan.Step, m *transform.Mapper, found map[string]*recordFindings, res *PatchResult) (map[string]transform.Output, error) {
	open, err := (&stepVerify{cfg: cfg, step: s}).openErrors(ctx)
	if err != nil {
		return nil, err
	}
	src, err := cfg.Sources(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	defer src.Close()
	rows, err := src.Read(ctx, cfg.Scope, nil)
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	defer rows.Close()
	outs := map[string]transform.Output{}
	for rows.Next(ctx) {
		rec := rows.Record()
		ledgerKey := decant.LedgerKey(rec.Key, rec.Raw)
		out, fail := m.Map(rec, cfg.Scope)
		if fail != nil || open[ledgerKey] {
			skipErrorRecord(s, opts, ledgerKey, found, res, fail)
			continue
		}
		k, ok := outputKey(s, out)
		if ok && found[k] != nil {
			outs[k] = out
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	return outs, nil
}

// skipErrorRecord notes a record asked for by key whose source record is an
// error, and drops it from the records to patch.
func skipErrorRecord(s *plan.Step, opts PatchOptions, ledgerKey string, found map[string]*recordFindings, res *PatchResult, fail *transform.Failure) {
	if !slices.Contains(opts.Keys, ledgerKey) {
		return
	}
	why := "its source record sits in the open errors (decant errors list): fix or resolve it, then verify again"
	if fail != nil {
		why = "its source record fails to map now (" + fail.Error() + "): fix the plan or the source, then verify again"
	}
	delete(found, ledgerKey)
	if !slices.ContainsFunc(res.Skipped, func(r SkippedRecord) bool { return r.Step == s.Name && r.Key == ledgerKey }) {
		res.Skipped = append(res.Skipped, SkippedRecord{Step: s.Name, Key: ledgerKey, Reason: why})
	}
}

// outputKey names an output's record as findings name it, from its first
// parent row's key columns.
func outputKey(s *plan.Step, out transform.Output) (string, bool) {
	for _, row := range out.Rows {
		if row.ReplaceBy != "" {
			continue
		}
		key, err := (&stepVerify{step: s}).rowKey(row)
		if err != nil {
			return "", false
		}
		return findingKey(key), true
	}
	return "", false
}

// recordTables is what the patch makes each table with a finding hold for
// the record: the expected row or rows from out, none for an extra key.
func recordTables(s *plan.Step, m *transform.Mapper, rf *recordFindings, out transform.Output) []decant.PatchTable {
	var tables []decant.PatchTable
	for _, name := range rf.tables {
		if slices.ContainsFunc(tables, func(t decant.PatchTable) bool { return t.Table == name }) {
			continue
		}
		pt := decant.PatchTable{Table: name, By: s.Spec.Key, Key: rf.key}
		if i := slices.IndexFunc(m.ChildTables(), func(c transform.ChildTable) bool { return c.Table == name }); i >= 0 {
			pt.Child, pt.By = true, []string{m.ChildTables()[i].ParentKey}
		}
		for _, row := range out.Rows {
			if row.Table != name || (row.ReplaceBy != "") != pt.Child {
				continue
			}
			if pt.Columns == nil {
				pt.Columns = row.Cols
			}
			if slices.Equal(pt.Columns, row.Cols) {
				pt.Rows = append(pt.Rows, row.Vals)
			}
		}
		if !pt.Child && len(pt.Rows) > 0 {
			pt.Rows = pt.Rows[len(pt.Rows)-1:] // the last row of a key wins, as in a run
		}
		tables = append(tables, pt)
	}
	return tables
}

// recheck verifies the steps again, keeping the findings as verify does,
// and marks the patched records still different.
func recheck(ctx context.Context, cfg Config, opts PatchOptions, res *PatchResult) error {
	still := map[string]bool{}
	conv := &keeper{cfg: cfg}
	vo := opts.Verify
	vo.Keep, vo.MissingOnly = true, false
	vo.Finding = func(step, table string, f verify.Finding) error {
		if f.Kind != verify.FindingChange {
			still[step+"\x00"+conv.finding(step, table, f).Key] = true
		}
		return nil
	}
	v, err := Verify(ctx, cfg, vo)
	res.Verify = v
	if err != nil {
		return fmt.Errorf("verify after the patch: %w", err)
	}
	for i := range res.Patched {
		p := &res.Patched[i]
		if still[p.Step+"\x00"+p.Key] {
			p.StillDifferent = true
			res.StillDifferent++
		}
	}
	return nil
}

// Patches lists the stored patches f selects, newest first.
func Patches(ctx context.Context, st decant.Store, f decant.PatchFilter) ([]decant.Patch, error) {
	p, err := decant.Require[decant.Patcher](st, "list patches")
	if err != nil {
		return nil, err
	}
	return p.Patches(ctx, f)
}

// RevertPatches reverts the patches ids names, in order, under the scope's
// lease, each in its own transaction. It stops at the first it cannot
// revert (changed since, unless opts.Force; reverted already) and returns
// those it reverted.
func RevertPatches(ctx context.Context, cfg Config, ids []int64, opts decant.RevertOptions) ([]decant.Patch, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	p, err := decant.Require[decant.Patcher](cfg.Store, "revert patches")
	if err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	release, leaseCtx, err := holdLease(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer release()
	var out []decant.Patch
	for _, id := range ids {
		got, err := p.Patches(leaseCtx, decant.PatchFilter{ID: id})
		if err != nil {
			return out, err
		}
		if len(got) == 1 && got[0].Scope != cfg.Scope {
			return out, fmt.Errorf("patch %d is of scope %s, not %s: revert it with --scope %s, under that scope's lease", id, got[0].Scope, cfg.Scope, got[0].Scope)
		}
		r, err := p.RevertPatch(leaseCtx, id, opts)
		if err != nil {
			return out, err
		}
		out = append(out, *r)
	}
	return out, nil
}
