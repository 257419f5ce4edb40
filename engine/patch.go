package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
	// Failed lists the records whose patch failed (the target refused
	// the rows, say): nothing of them was written, and the others went on.
	Failed []FailedRecord `json:"failed"`
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

// FailedRecord is a record whose patch the target refused.
type FailedRecord struct {
	Step  string `json:"step"`
	Key   string `json:"key"`
	Error string `json:"error"`
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
	res := &PatchResult{Scope: cfg.Scope, DryRun: opts.DryRun, Patched: []PatchedRecord{}, Skipped: []SkippedRecord{}, Failed: []FailedRecord{}}
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
		if err := refuseCommitted(ctx, cfg, "patch"); err != nil {
			return nil, err
		}
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
			if len(res.Patched) > 0 && !opts.DryRun {
				err = fmt.Errorf("%w (%d record(s) were patched before it, each whole: run decant verify to bring decant diffs up to date, and decant patch again for the rest)", err, len(res.Patched))
			}
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
		slices.ContainsFunc(r.Skipped, func(s SkippedRecord) bool { return s.Key == key }) ||
		slices.ContainsFunc(r.Failed, func(f FailedRecord) bool { return f.Key == key })
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
	now := time.Now().UTC()
	vo := opts.Verify
	vo.Keep, vo.MissingOnly = false, false
	vo.Finding = func(step, table string, f verify.Finding) error {
		df := conv.finding(step, table, f)
		df.Run, df.FoundAt = "patch", now
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
// patches each. A record whose patch fails is noted and the others go on;
// a cancelled context (or a lost lease) stops the step.
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
	sv := &stepVerify{cfg: cfg, step: s, cols: cols, opts: VerifyOptions{Column: opts.Verify.Column}}
	if sv.opts.Column == nil {
		sv.opts.Column = columnFor(cfg.Plan)
	}
	outs, err := expectedOutputs(ctx, sv, opts, m, found, res)
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
		tables, why := outs.tables(s, m, opts, k, rf)
		if why != "" {
			res.Skipped = append(res.Skipped, SkippedRecord{Step: s.Name, Key: k, Reason: why})
			continue
		}
		rec := PatchedRecord{Step: s.Name, Key: k, Findings: rf.findings, Tables: tables}
		if patcher != nil {
			p := &decant.Patch{Scope: cfg.Scope, Step: s.Name, Key: k, Findings: rf.findings, Reason: opts.Reason, Tables: tables}
			if err := patcher.ApplyPatch(ctx, p); err != nil {
				if ctx.Err() != nil {
					return err
				}
				res.Failed = append(res.Failed, FailedRecord{Step: s.Name, Key: k, Error: err.Error()})
				continue
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

// stepOutputs are what a step's source gives now for the records to
// patch.
type stepOutputs struct {
	// byKey holds the last output of each record, by the key of its
	// parent row; byParent by its parent key, which child rows hang from
	// (the first key column: the same key unless the key is composite).
	byKey, byParent map[string]transform.Output
	// errors says, by key, why a record is an error now.
	errors map[string]string
	// unmapped counts the records that fail to map now: their key in the
	// target is unknown, so their target rows look extra.
	unmapped int
}

// expectedOutputs maps the step's source and keeps the last output of
// each record to patch.
func expectedOutputs(ctx context.Context, sv *stepVerify, opts PatchOptions, m *transform.Mapper, found map[string]*recordFindings, res *PatchResult) (*stepOutputs, error) {
	cfg, s := sv.cfg, sv.step
	open, err := sv.openErrors(ctx)
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
	so := &stepOutputs{byKey: map[string]transform.Output{}, byParent: map[string]transform.Output{}, errors: map[string]string{}}
	for rows.Next(ctx) {
		rec := rows.Record()
		if rec.Deleted { // engine/delete.go: a deleted record expects no rows
			so.forgetDeleted(sv, m, rec)
			continue
		}
		ledgerKey := decant.LedgerKey(rec.Key, rec.Raw)
		out, fail := m.Map(rec, cfg.Scope)
		if fail != nil {
			so.unmapped++
			so.errors[ledgerKey] = "its source record fails to map now (" + fail.Error() + "): fix the plan or the source, then verify again"
			continue
		}
		k, ok := sv.outputKey(out)
		parent := findingKey([]any{out.ParentKey})
		if open[ledgerKey] {
			why := "its source record sits in the open errors (decant errors list): fix or resolve it, then verify again"
			for _, key := range []string{ledgerKey, k, parent} {
				so.errors[key] = why
			}
			continue
		}
		if ok && found[k] != nil {
			so.byKey[k] = out
		}
		if found[parent] != nil {
			so.byParent[parent] = out
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	for _, k := range opts.Keys {
		if why, ok := so.errors[k]; ok && found[k] == nil && !res.has(k) {
			res.Skipped = append(res.Skipped, SkippedRecord{Step: s.Name, Key: k, Reason: why})
		}
	}
	return so, nil
}

// outputKey names an output's record as findings name it, from its first
// parent row's key columns.
func (v *stepVerify) outputKey(out transform.Output) (string, bool) {
	for _, row := range out.Rows {
		if row.ReplaceBy != "" {
			continue
		}
		key, err := v.rowKey(row)
		if err != nil {
			return "", false
		}
		return findingKey(key), true
	}
	return "", false
}

// tables is what the patch makes each table with a finding hold for the
// record k: the expected rows from the source, none for an extra key. It
// returns why the record is skipped instead, when the source and the
// findings no longer agree or the record is an error.
func (so *stepOutputs) tables(s *plan.Step, m *transform.Mapper, opts PatchOptions, k string, rf *recordFindings) ([]decant.PatchTable, string) {
	if why, ok := so.errors[k]; ok {
		return nil, why
	}
	var tables []decant.PatchTable
	for i, name := range rf.tables {
		if slices.ContainsFunc(tables, func(t decant.PatchTable) bool { return t.Table == name }) {
			continue
		}
		child := slices.IndexFunc(m.ChildTables(), func(c transform.ChildTable) bool { return c.Table == name })
		out, ok := so.byKey[k]
		pt := decant.PatchTable{Table: name, By: s.Spec.Key, Key: rf.key}
		if child >= 0 {
			out, ok = so.byParent[k]
			pt.Child, pt.By = true, []string{m.ChildTables()[child].ParentKey}
		}
		extra := rf.findings[i].Kind == decant.FindingExtra
		switch {
		case !ok && !extra:
			return nil, "the source no longer gives this record (verify read it, the patch did not): verify again"
		case ok && extra:
			return nil, "the source gives this record now (verify did not read it): verify again"
		case extra && so.unmapped > 0 && !slices.Contains(opts.Keys, k):
			return nil, fmt.Sprintf("%d source record(s) of step %s fail to map now, and their rows in the target look extra: "+
				"no extra row is deleted until they map (decant errors list), or name this key with --key", so.unmapped, s.Name)
		case extra:
			tables = append(tables, pt)
			continue
		}
		tables = append(tables, splitRows(pt, out)...)
	}
	return tables, ""
}

// splitRows gives pt's table the output's rows, one PatchTable per set of
// columns (a fields mapping may give rows of one table different
// columns): the store replaces the record's rows once and writes them
// all. Of a parent table's rows the last wins, as in a run.
func splitRows(pt decant.PatchTable, out transform.Output) []decant.PatchTable {
	var sets []decant.PatchTable
	for _, row := range out.Rows {
		if row.Table != pt.Table || (row.ReplaceBy != "") != pt.Child {
			continue
		}
		if !pt.Child {
			sets = sets[:0]
		}
		i := slices.IndexFunc(sets, func(t decant.PatchTable) bool { return slices.Equal(t.Columns, row.Cols) })
		if i < 0 {
			set := pt
			set.Columns = row.Cols
			sets = append(sets, set)
			i = len(sets) - 1
		}
		sets[i].Rows = append(sets[i].Rows, row.Vals)
	}
	if len(sets) == 0 {
		return []decant.PatchTable{pt} // no rows: the record's rows go
	}
	return sets
}

// recheck verifies the steps again, keeping the findings as verify does,
// and marks a patched record still different when a finding of a kind the
// patch repaired is left in a table it patched.
func recheck(ctx context.Context, cfg Config, opts PatchOptions, res *PatchResult) error {
	still := map[string]bool{}
	conv := &keeper{cfg: cfg}
	vo := opts.Verify
	vo.Keep, vo.MissingOnly = true, false
	vo.Finding = func(step, table string, f verify.Finding) error {
		df := conv.finding(step, table, f)
		if slices.Contains(opts.Kinds, df.Kind) {
			still[step+"\x00"+table+"\x00"+df.Key] = true
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
		for _, t := range p.Tables {
			if still[p.Step+"\x00"+t.Table+"\x00"+p.Key] && !p.StillDifferent {
				p.StillDifferent = true
				res.StillDifferent++
			}
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
	if err := refuseCommitted(leaseCtx, cfg, "patch revert"); err != nil {
		return nil, err
	}
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
