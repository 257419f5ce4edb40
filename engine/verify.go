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

// VerifyOptions tunes [Verify].
type VerifyOptions struct {
	// Finding, when set, receives every finding that is not ok, with its
	// step and table, in key order per table, a key range at a time (at
	// the end of each ChunkKeys keys, before the range is stored), with
	// kind FindingPending for the keys a live migration explains. An
	// error it returns stops the verify, and the range is not stored.
	Finding func(step, table string, f verify.Finding) error
	// Column describes a target column for the comparison. Nil chooses by
	// the scheme of the plan's target connection: verify.PostgresColumn
	// for postgres:// and postgresql://, verify.SQLiteColumn otherwise.
	Column func(decant.Column) verify.Column
	// Sort bounds the memory of the sort of the expected rows.
	Sort verify.SortOptions
	// Keep stores each verified step's findings in the target's state
	// (decant_diffs, see decant.FindingStore), replacing the step's
	// earlier ones, so `decant diffs` can list them. It is the one write a
	// verify makes; the target's own tables are only read. A MissingOnly
	// verify keeps nothing: it re-examines no column, so replacing the
	// step's findings would drop diffs it cannot see.
	Keep bool
	// MissingOnly compares keys alone: each key ends ok, missing, extra or
	// duplicate, never diff or change. The expected side keeps no column
	// values and the target read asks for the key columns only, which
	// makes it much faster (CommCare's missing-docs scan). Each record is
	// mapped for its key alone (transform.Mapper.MapKey): it is counted as
	// an error when it sits in the open errors or its key cannot be
	// mapped, not when only its other columns fail to map.
	MissingOnly bool
	// ChunkKeys is how many keys of a table are compared between two
	// stores of the findings and of the run's progress (0:
	// DefaultVerifyChunk). A killed verify loses at most one range of
	// work per table; smaller ranges cost more transactions.
	ChunkKeys int
	// Resume continues the scope's latest unfinished verify run (killed,
	// or stopped by an error) instead of starting over: steps it finished
	// are not verified again, and the table it was in is read after the
	// last key whose findings it stored. It needs Keep, and a run of the
	// same plan file and steps (else an error wrapping ErrResumeRefused);
	// with no unfinished run it verifies from the start.
	Resume bool

	// afterExpect, when set, runs after a step's source is read and before
	// its tables are compared (a test's live migration writes then).
	afterExpect func(ctx context.Context, step string) error
	// For tests of the streamed comparison (see stream): noStream makes
	// no bet, streamFindings bounds the findings a stream holds (0:
	// maxStreamFindings), and settled hears how each bet ended.
	noStream       bool
	streamFindings int
	settled        func(table string, won, reread bool)
}

// VerifyResult sums up a verify.
type VerifyResult struct {
	Scope string `json:"scope"`
	// Clean is true when no step has a missing, extra, diff or duplicate.
	Clean bool               `json:"clean"`
	Steps []VerifyStepResult `json:"steps"`
	// Run names the verify run whose findings were kept ("" when none
	// were); Resumed is true when it continued an unfinished run.
	Run     string `json:"run,omitempty"`
	Resumed bool   `json:"resumed,omitempty"`
}

// VerifyCounts are the findings of a verify by kind. Checked counts the
// keys compared (ok, missing, extra, diff, change, duplicate and pending).
// Pending counts the keys a live migration wrote while the verify read, or
// has not reached yet: not comparable yet, and not differences.
type VerifyCounts struct {
	Checked    int `json:"checked"`
	OK         int `json:"ok"`
	Missing    int `json:"missing"`
	Extra      int `json:"extra"`
	Diffs      int `json:"diffs"`
	Changes    int `json:"changes"`
	Duplicates int `json:"duplicates"`
	Pending    int `json:"pending"`
}

// VerifyStepResult is the verify of one step: its totals over its tables,
// and Errors, the source records left out of the comparison because they
// fail to map now or sit in the store's open errors.
type VerifyStepResult struct {
	Scope string `json:"scope"`
	Step  string `json:"step"`
	VerifyCounts
	Errors int `json:"errors"`
	// Resolved counts the source records that fail to map and whose
	// stored errors were resolved with a reason: accepted as not migrated,
	// they are left out of the comparison and are not Errors.
	Resolved int                 `json:"resolved"`
	Tables   []VerifyTableResult `json:"tables"`
	// NotVerified lists tables the step writes that were not compared,
	// with why (a --missing-only verify compares no child table).
	NotVerified []NotVerified `json:"not_verified,omitempty"`
}

// VerifyTableResult is the verify of one table of a step. For a child
// table, each count is of parent keys (docs/verify.md, "Child tables").
type VerifyTableResult struct {
	Table string `json:"table"`
	VerifyCounts
	// Unmapped lists the table's columns that were not compared: the plan
	// does not map them, or not every record of the step gives them.
	Unmapped []string `json:"unmapped,omitempty"`
}

// NotVerified names a table that a verify skipped and why.
type NotVerified struct {
	Table  string `json:"table"`
	Reason string `json:"reason"`
}

func (c VerifyCounts) clean() bool {
	return c.Missing == 0 && c.Extra == 0 && c.Diffs == 0 && c.Duplicates == 0
}

// Verify compares, for each step of cfg (cfg.Only selects), what the
// source gives when read again from its start and mapped with the plan as
// it is now, with what the target tables hold. It trusts neither the
// checkpoint nor the ledger, and writes nothing to the target's tables and
// takes no lease. The store needs the Cataloger and TargetReader roles;
// with StateReader, records in the open errors are counted as errors
// rather than compared, and with FindingStore too, keys a live migration
// writes are pending rather than differences. With opts.Keep it stores
// the findings and its progress a key range at a time, so that a killed or
// failed verify resumes (opts.Resume).
func Verify(ctx context.Context, cfg Config, opts VerifyOptions) (*VerifyResult, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if opts.Column == nil {
		opts.Column = columnFor(cfg.Plan)
	}
	if opts.ChunkKeys <= 0 {
		opts.ChunkKeys = DefaultVerifyChunk
	}
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return nil, err
	}
	zone, err := time.LoadLocation(cfg.Plan.Timezone)
	if err != nil {
		return nil, fmt.Errorf("plan timezone %q: %w", cfg.Plan.Timezone, err)
	}
	res := &VerifyResult{Scope: cfg.Scope, Clean: true}
	var keep *keeper
	var prog *runProgress
	switch {
	case opts.Keep && !opts.MissingOnly:
		if keep, prog, res.Resumed, err = startRun(ctx, cfg, opts, steps); err != nil {
			return nil, err
		}
		res.Run = keep.run
	case opts.Resume:
		return nil, errors.New("resume a verify: only a verify that keeps its findings can resume (a --missing-only verify keeps none): run it without --resume")
	}
	err = verifySteps(ctx, cfg, opts, steps, zone, keep, prog, res)
	if keep != nil {
		if eerr := keep.end(ctx, err); eerr != nil && err == nil {
			err = fmt.Errorf("record the end of verify run %s: %w", keep.run, eerr)
		}
	}
	return res, err
}

// verifySteps verifies each step in turn, taking the result of a step an
// earlier attempt of the run finished from its progress.
func verifySteps(ctx context.Context, cfg Config, opts VerifyOptions, steps []*plan.Step, zone *time.Location, keep *keeper, prog *runProgress, res *VerifyResult) error {
	for _, s := range steps {
		r, done, err := prog.step(s.Name)
		if err != nil {
			return err
		}
		if !done {
			v := &stepVerify{cfg: cfg, opts: opts, step: s, zone: zone, keep: keep, prog: prog, noStream: opts.noStream}
			if r, err = v.run(ctx); err != nil {
				return fmt.Errorf("verify step %s: %w", s.Name, err)
			}
			if keep != nil {
				if err := keep.finishStep(ctx, r); err != nil {
					return fmt.Errorf("verify step %s: keep findings: %w", s.Name, err)
				}
			}
		}
		res.Steps = append(res.Steps, r)
		res.Clean = res.Clean && r.clean()
	}
	return nil
}

// columnFor picks how columns compare from the target URL's scheme, so
// that the engine needs no driver to know whether char(n) pads.
func columnFor(p *plan.Plan) func(decant.Column) verify.Column {
	raw := strings.ToLower(p.Connections[p.Target])
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		return verify.PostgresColumn
	}
	return verify.SQLiteColumn
}

// stepVerify is the verify of one step.
type stepVerify struct {
	cfg  Config
	opts VerifyOptions
	step *plan.Step
	zone *time.Location

	cols map[string][]decant.Column
	// spelling writes the expected JSON documents as the target gives
	// them back (verify_source.go).
	spelling *jsonSpelling
	parents  []string
	children []transform.ChildTable
	sorters  map[string]*verify.Sorter
	// mapped holds, per parent table, the columns every expected row
	// gives, in the order of the first row.
	mapped map[string][]string
	// skip holds, per parent table, the keys of records in the open errors
	// that still map: their target rows are not compared either.
	skip map[string]map[string]bool

	// keep stores findings and progress (nil: none kept); prog is what an
	// earlier attempt of the run did, done the tables it finished.
	keep *keeper
	prog *runProgress
	done []string
	// live tells a live migration's keys from differences (nil: no check).
	live *liveCheck
	// stream compares the one table while the source is read, on the bet
	// that its rows come in key order (nil: no bet; see stream); noStream
	// is set once a lost bet read the source again.
	stream   *stream
	noStream bool
	// resolved holds the ledger keys of the step's resolved errors, and
	// resolvedCount how many records of the last read of the source fail
	// to map under one of them.
	resolved      map[string]bool
	resolvedCount int
}

func (v *stepVerify) run(ctx context.Context) (VerifyStepResult, error) {
	r := VerifyStepResult{Scope: v.cfg.Scope, Step: v.step.Name}
	m, err := v.prepare(ctx, &r)
	if err != nil {
		return r, err
	}
	defer v.close()
	defer v.stream.stop()
	open, err := v.openErrors(ctx)
	if err != nil {
		return r, err
	}
	if err := v.resumeTables(); err != nil {
		return r, err
	}
	if r.Errors, err = v.expect(ctx, m, open); err != nil && !errors.Is(err, errReread) {
		return r, err
	}
	won, err := v.settle(ctx, m, open, &r)
	if err != nil {
		return r, err
	}
	r.Resolved = v.resolvedCount
	for _, t := range v.parents {
		var tr VerifyTableResult
		if won {
			tr, err = v.stream.result(ctx)
		} else {
			tr, err = v.compare(ctx, t)
		}
		if err != nil {
			return r, err
		}
		r.VerifyCounts.plus(tr.VerifyCounts)
		r.Tables = append(r.Tables, tr)
	}
	for _, c := range v.children {
		tr, err := v.compareChildKept(ctx, c)
		if err != nil {
			return r, err
		}
		r.VerifyCounts.plus(tr.VerifyCounts)
		r.Tables = append(r.Tables, tr)
	}
	return r, nil
}

func (r VerifyStepResult) clean() bool { return r.VerifyCounts.clean() }

// prepare reads the step's tables, refusing a missing one, and builds
// its mapper.
func (v *stepVerify) prepare(ctx context.Context, r *VerifyStepResult) (*transform.Mapper, error) {
	cols, err := TargetColumns(ctx, v.cfg.Store, v.step.Spec)
	if err != nil {
		return nil, err
	}
	v.cols = cols
	v.spelling = newJSONSpelling(v.cfg.Store, cols)
	for _, t := range v.step.Spec.To.All() {
		if _, ok := cols[t]; !ok {
			return nil, fmt.Errorf("table %s does not exist in the target: run decant migrate first, or fix the step's to", t)
		}
		if !slices.Contains(v.parents, t) {
			v.parents = append(v.parents, t)
		}
	}
	m, err := transform.NewMapper(v.step.Spec, cols)
	if err != nil {
		return nil, fmt.Errorf("the plan does not match the target: %w", err)
	}
	// Expected JSON values are compared by their canonical form, so they
	// may stay the source's text (docs/verify.md).
	m.KeepJSONText()
	m.SkipUnmapped()
	v.sorters = map[string]*verify.Sorter{}
	v.mapped = map[string][]string{}
	v.skip = map[string]map[string]bool{}
	for _, t := range v.parents {
		v.sorters[t] = verify.NewSorter(v.opts.Sort)
		v.skip[t] = map[string]bool{}
	}
	if err := v.prepareChildren(m, r); err != nil {
		return nil, err
	}
	return m, nil
}

func (v *stepVerify) close() {
	for _, s := range v.sorters {
		s.Close()
	}
}

// openErrors returns the ledger keys of the step's open errors; none when
// the store cannot list them.
func (v *stepVerify) openErrors(ctx context.Context) (map[string]bool, error) {
	sr, ok := decant.As[decant.StateReader](v.cfg.Store)
	if !ok {
		return nil, nil
	}
	errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: v.cfg.Scope, Step: v.step.Name})
	if err != nil {
		return nil, fmt.Errorf("read open errors: %w", err)
	}
	open := make(map[string]bool, len(errs))
	for _, e := range errs {
		open[e.Key] = true
	}
	all, err := sr.Errors(ctx, decant.ErrorFilter{Scope: v.cfg.Scope, Step: v.step.Name, Resolved: true})
	if err != nil {
		return nil, fmt.Errorf("read resolved errors: %w", err)
	}
	v.resolved = map[string]bool{}
	for _, e := range all {
		if e.Resolved && !open[e.Key] {
			v.resolved[e.Key] = true
		}
	}
	return open, nil
}

// expect reads the source from its start and adds each record's parent
// rows to the sorters. It returns how many records are errors.
func (v *stepVerify) expect(ctx context.Context, m *transform.Mapper, open map[string]bool) (int, error) {
	src, err := v.cfg.Sources(ctx, v.step)
	if err != nil {
		return 0, fmt.Errorf("open source: %w", err)
	}
	defer src.Close()
	if err := v.startLive(ctx); err != nil {
		return 0, err
	}
	skipped, err := v.skipLedgerDeleted(ctx, m) // verify_deleted.go
	if err != nil {
		return 0, err
	}
	v.noStream = v.noStream || skipped
	if v.stream, err = v.startStream(ctx, open); err != nil {
		return 0, err
	}
	rows, err := src.Read(ctx, v.cfg.Scope, nil)
	if err != nil {
		return 0, fmt.Errorf("read source: %w", err)
	}
	defer rows.Close()
	readCtx, cancel := context.WithCancel(ctx)
	batches, wait := v.mapSource(readCtx, rows, m, open)
	errCount, err := v.addBatches(batches)
	cancel()
	for range batches { // let the reader stop before rows closes
	}
	rerr := wait()
	if err != nil {
		return errCount, err
	}
	if rerr != nil {
		return errCount, fmt.Errorf("read source: %w", rerr)
	}
	if v.opts.afterExpect != nil {
		return errCount, v.opts.afterExpect(ctx, v.step.Name)
	}
	return errCount, nil
}

// addBatches adds the mapped records to the sorters in source order and
// returns how many are errors: they fail to map, or sit in the open errors.
func (v *stepVerify) addBatches(batches <-chan *verifyBatch) (int, error) {
	errCount := 0
	v.resolvedCount = 0
	for b := range batches {
		<-b.mapped
		for i, rec := range b.recs {
			if b.fails[i] != nil {
				if len(v.resolved) > 0 && v.resolved[decant.LedgerKey(rec.Key, rec.Raw)] {
					v.resolvedCount++ // accepted with a reason: not migrated
				} else {
					errCount++
				}
				continue
			}
			var err error
			if rec.Deleted { // verify_deleted.go
				err = v.addDeleted(b.outs[i])
			} else {
				if b.open[i] {
					errCount++
				}
				err = v.add(b.outs[i], b.open[i], b.hashes[i])
			}
			if err != nil {
				return errCount, fmt.Errorf("%s: %w", rec.Where, err)
			}
			if v.stream.rereads() {
				return errCount, errReread // the rest would go nowhere
			}
		}
	}
	return errCount, nil
}

// add adds the parent rows of one record; the key of a record in the
// open errors is noted so that its target row is skipped instead. A
// source hash, when not empty, goes with each row (see liveCheck).
func (v *stepVerify) add(out transform.Output, isErr bool, hash string) error {
	if err := v.addChildren(out, isErr); err != nil {
		return err
	}
	for _, row := range out.Rows {
		if row.ReplaceBy != "" || v.tableDone(row.Table) {
			continue
		}
		key, err := v.rowKey(row)
		if err != nil {
			return err
		}
		if isErr {
			v.skip[row.Table][keyString(key)] = true
			continue
		}
		if v.opts.MissingOnly {
			kr := verify.KeyedRow{Key: key}
			if hash != "" {
				kr.Values = map[string]any{sourceHashValue: hash}
			}
			if v.stream.sorts() {
				if err := v.sorters[row.Table].Add(kr); err != nil {
					return err
				}
			}
			v.stream.push(kr, nil)
			continue
		}
		vals := make(map[string]any, len(row.Cols)+1)
		for i, c := range row.Cols {
			vals[c] = row.Vals[i]
		}
		if hash != "" {
			vals[sourceHashValue] = hash
		}
		v.narrow(row.Table, row.Cols)
		kr := verify.KeyedRow{Key: key, Values: vals}
		if v.stream.sorts() {
			if err := v.sorters[row.Table].Add(kr); err != nil {
				return err
			}
		}
		v.stream.push(kr, row.Cols)
	}
	return nil
}

// narrow keeps, of a table's mapped columns, those this row gives too: a
// fields mapping may leave a column out of some rows, whose target value
// is then not the plan's to say.
func (v *stepVerify) narrow(table string, cols []string) {
	have, seen := v.mapped[table]
	if !seen {
		v.mapped[table] = slices.Clone(cols)
		return
	}
	if slices.Equal(have, cols) { // nearly always: every row gives the same columns
		return
	}
	v.mapped[table] = slices.DeleteFunc(have, func(c string) bool { return !slices.Contains(cols, c) })
}

func (v *stepVerify) rowKey(row transform.Row) ([]any, error) {
	key := make([]any, len(v.step.Spec.Key))
	for i, k := range v.step.Spec.Key {
		j := slices.Index(row.Cols, k)
		if j < 0 || row.Vals[j] == nil {
			return nil, fmt.Errorf("table %s: the row has no value for key column %s: map it", row.Table, k)
		}
		key[i] = v.keyValue(row.Table, k, row.Vals[j])
	}
	return key, nil
}

// keyValue is a key value as the target read gives it back: a PostgreSQL
// column that keeps a value read from text (a uuid) prints it its own way,
// whatever the text written (verify.Column.Form).
func (v *stepVerify) keyValue(table, col string, val any) any {
	s, ok := val.(string)
	if !ok || v.opts.Column == nil {
		return val
	}
	i := slices.IndexFunc(v.cols[table], func(c decant.Column) bool { return c.Name == col })
	if i < 0 {
		return val
	}
	if vc := v.opts.Column(v.cols[table][i]); vc.Form != "" {
		if k, _, err := verify.Canonical(vc, s, verify.Options{}); err == nil {
			return k
		}
	}
	return val
}

func keyString(key []any) string { return fmt.Sprintf("%#v", key) }

// compare merges the expected rows of one table with its target rows, a
// key range at a time (see chunker); a table an earlier attempt of the
// run finished is not read again, one it was in is read after its last
// stored key.
func (v *stepVerify) compare(ctx context.Context, table string) (VerifyTableResult, error) {
	done, after, stored, err := v.prog.table(v.step.Name, table)
	if err != nil || done {
		return stored, err
	}
	tr := VerifyTableResult{Table: table}
	// A merger with no mapped columns compares keys alone: ok, missing,
	// extra or duplicate.
	var mapped []string
	if !v.opts.MissingOnly {
		mapped = slices.DeleteFunc(slices.Clone(v.mapped[table]), func(c string) bool { return slices.Contains(v.step.Spec.Key, c) })
	}
	mg, err := v.merger(table, mapped)
	if err != nil {
		return tr, err
	}
	if !v.opts.MissingOnly {
		tr.Unmapped = mg.Unmapped() // missing-only compares no column, mapped or not
	}
	actual, err := v.readTarget(ctx, table, mg, after)
	if err != nil {
		return tr, err
	}
	defer actual.close()
	sorted := prefetch[verify.KeyedRow](ctx, &afterRows{ExpectedRows: v.sorters[table], after: after})
	defer sorted.stop()
	ch := v.newChunker(table, v.opts.ChunkKeys, after, stored.VerifyCounts)
	ch.unmapped = tr.Unmapped
	expected := &lastWins{src: dropDeleted(sorted), seen: ch.seen} // dropDeleted: verify_deleted.go
	if _, err := mg.Merge(ctx, expected, actual.rows, func(f verify.Finding) error { return ch.take(ctx, f) }); err != nil {
		return tr, fmt.Errorf("table %s: %w", table, err)
	}
	if err := ch.flush(ctx, true); err != nil {
		return tr, err
	}
	tr.VerifyCounts = ch.total
	return tr, nil
}

// merger returns the merger of a table whose expected rows give mapped.
func (v *stepVerify) merger(table string, mapped []string) (*verify.Merger, error) {
	described := map[string]verify.Column{}
	for _, c := range v.cols[table] {
		described[c.Name] = v.opts.Column(c)
	}
	return verify.NewMerger(verify.Table{Name: table, Key: v.step.Spec.Key, Mapped: mapped,
		Columns: described, Zone: v.zone, Rules: v.rules(mapped)})
}

// targetRead is a table's target rows, read ahead.
type targetRead struct {
	rows  *prefetched[decant.TargetRow]
	close func()
}

// readTarget starts reading a table's target rows after the key after,
// the columns mg compares, leaving out the keys of records in the open
// errors. The caller calls close.
func (v *stepVerify) readTarget(ctx context.Context, table string, mg *verify.Merger, after []any) (*targetRead, error) {
	reader, err := decant.Require[decant.TargetReader](v.cfg.Store, "read the target rows to verify")
	if err != nil {
		return nil, err
	}
	rows, err := reader.ReadRows(ctx, decant.RowQuery{Table: table, Key: v.step.Spec.Key, Columns: mg.Columns(), Where: v.where(), Scope: v.cfg.Scope, After: after})
	if errors.Is(err, decant.ErrNotFound) {
		return nil, fmt.Errorf("table %s: %w: run decant migrate first, or fix the step's to", table, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", table, err)
	}
	actual := prefetch[decant.TargetRow](ctx, &skipRows{TargetRows: rows, skip: v.skip[table]})
	return &targetRead{rows: actual, close: func() {
		actual.stop() // before rows closes: the read ahead reads rows
		rows.Close()
	}}, nil
}

// where is the plan's condition on the target rows of the step's key
// space, "" for the whole table.
func (v *stepVerify) where() string {
	if v.step.Verify == nil {
		return ""
	}
	return v.step.Verify.Where
}

// skipRows leaves out the target rows of keys whose records are errors.
type skipRows struct {
	decant.TargetRows
	skip map[string]bool
}

func (s *skipRows) Next(ctx context.Context) bool {
	for s.TargetRows.Next(ctx) {
		if len(s.skip) == 0 || !s.skip[keyString(s.Row().Key)] {
			return true
		}
	}
	return false
}

// lastWins keeps the last of the expected rows of one key: a source that
// gives a key again (an updated record) left its last version in the
// target, as the upsert of each did.
type lastWins struct {
	src verify.ExpectedRows
	// seen, when set, is given each row that wins its key.
	seen    func(verify.KeyedRow)
	row     verify.KeyedRow
	next    verify.KeyedRow
	hasNext bool
	started bool
}

func (l *lastWins) Next(ctx context.Context) bool {
	if !l.started {
		l.started = true
		l.hasNext = l.src.Next(ctx)
		if l.hasNext {
			l.next = l.src.Row()
		}
	}
	if !l.hasNext {
		return false
	}
	l.row = l.next
	for {
		l.hasNext = l.src.Next(ctx)
		if l.hasNext {
			l.next = l.src.Row()
		}
		if !l.hasNext || decant.CompareKeys(l.next.Key, l.row.Key) != 0 {
			if l.seen != nil {
				l.seen(l.row)
			}
			return true
		}
		l.row = l.next
	}
}

func (l *lastWins) Row() verify.KeyedRow { return l.row }
func (l *lastWins) Err() error           { return l.src.Err() }
