package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// Phase is the part of a staged plan's run (plan key staging) that a
// migrate runs: both (the zero value: every step's extract, then every
// step's load), or one.
type Phase string

const (
	// PhaseExtract copies each step's source records, as read, into its
	// staging table, from the extract's own checkpoint.
	PhaseExtract Phase = "extract"
	// PhaseLoad maps each step's staged records into the target tables,
	// from the step's checkpoint (the last staged record it read), and
	// does not open the source.
	PhaseLoad Phase = "load"
)

// staged reports whether the run reads through staging tables. A dry run
// without --phase maps from the source, as a plan without staging does:
// it writes nothing, so it has nothing to stage.
func (c *Config) staged() bool {
	return c.Plan.Staging && (!c.DryRun || c.Phase != "")
}

// checkPhase refuses a phase the plan or the run's mode cannot have.
func (c *Config) checkPhase() error {
	switch c.Phase {
	case "", PhaseExtract, PhaseLoad:
	default:
		return fmt.Errorf("--phase %s: give extract or load (or no --phase, for both)", c.Phase)
	}
	if !c.Plan.Staging {
		if c.Phase != "" {
			return fmt.Errorf("--phase %s: the plan stages nothing: add staging: true to the plan to copy the sources into staging tables first", c.Phase)
		}
		return nil
	}
	switch {
	case c.Mode == ModeLive:
		return errors.New("a staged plan (staging: true) cannot run --live: a live run follows the source's changes as they come, which staging would hold back; " +
			"run decant migrate (extract and load) as often as needed, then decant migrate --finish, or drop staging for a live migration")
	case c.Mode == ModeFinish && c.Phase != "":
		return fmt.Errorf("--finish and --phase %s cannot be combined: finishing drains every step to its end, both phases", c.Phase)
	}
	if c.DryRun && c.Phase == PhaseExtract {
		return errors.New("--dry-run --phase extract would read the sources and show nothing: give --phase load --dry-run to map what is staged, or --dry-run alone to map from the sources")
	}
	return nil
}

// prepareStaging creates the staging tables of the steps an extract
// writes to.
func prepareStaging(ctx context.Context, cfg Config, steps []*plan.Step) error {
	stg, err := decant.Require[decant.Stager](cfg.Store, "keep staging tables (plan key staging)")
	if err != nil {
		return err
	}
	if cfg.DryRun || cfg.Phase == PhaseLoad {
		return nil
	}
	for _, s := range steps {
		if err := stg.PrepareStaging(ctx, s.Name); err != nil {
			return err
		}
	}
	return nil
}

// runExtract copies the records of s's source after the extract's
// checkpoint into s's staging table: the step's pipeline with no mapper,
// its state kept under decant.ExtractStep(s.Name), read in chunks when
// the step says parallel.
func runExtract(ctx context.Context, cfg Config, s *plan.Step, stop <-chan struct{}) (StepResult, error) {
	es := *s
	es.Name = decant.ExtractStep(s.Name)
	r, err := drainStep(ctx, cfg, &es, nil, func() (decant.Source, error) { return cfg.Sources(ctx, s) }, stop)
	if err == nil && !r.Stopped && r.Batches == 0 && !cfg.DryRun {
		err = markExtracted(ctx, cfg, es.Name)
	}
	r.Step, r.Phase = s.Name, string(PhaseExtract)
	return r, err
}

// markExtracted records that an extract that found nothing ran: an audit
// row of no record. A source with nothing for the scope (an empty table, a
// filter that matches nothing) saves no checkpoint, and its load must not
// be refused as never extracted.
func markExtracted(ctx context.Context, cfg Config, name string) error {
	ok, err := extracted(ctx, cfg, name)
	if err != nil || ok {
		return err
	}
	audit := &decant.BatchAudit{Scope: cfg.Scope, Step: name, Started: time.Now()}
	return commitBatch(ctx, cfg.Store, &decant.Batch{Scope: cfg.Scope, Step: name, Audit: audit})
}

// loadStep is s as its load reads it: from its staging table, by one
// reader (the staging table is read in the order records were staged).
func loadStep(s *plan.Step) *plan.Step {
	ls := *s
	ls.From.Parallel = 0
	return &ls
}

// openStaged opens s's staging table as its source; a load of a step
// never extracted is refused rather than read as empty.
func openStaged(ctx context.Context, cfg Config, s *plan.Step) (decant.Source, error) {
	stg, err := decant.Require[decant.Stager](cfg.Store, "keep staging tables (plan key staging)")
	if err != nil {
		return nil, err
	}
	ok, err := extracted(ctx, cfg, decant.ExtractStep(s.Name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("nothing of step %s is staged for scope %s: run decant migrate --phase extract first", s.Name, cfg.Scope)
	}
	if _, err := stg.CountStaged(ctx, cfg.Scope, s.Name, 0); errors.Is(err, decant.ErrNotFound) {
		// Dropped by hand, or not in a snapshot loaded since: the state
		// says staged, the table is not there to say what.
		return nil, fmt.Errorf("the staging table %s of step %s is gone, while scope %s's state says its extract ran: "+
			"run decant reset --phase extract --step %s, then decant migrate to extract it again", stg.StagingTable(s.Name), s.Name, cfg.Scope, s.Name)
	} else if err != nil {
		return nil, err
	}
	return &stagingSource{st: stg, step: s.Name, keyPath: s.From.Key, page: max(s.BatchSize, 100)}, nil
}

// extracted reports whether the extract whose state name is name has run
// for the scope: it saved a checkpoint (its own or its chunks') or an
// audit row (markExtracted).
func extracted(ctx context.Context, cfg Config, name string) (bool, error) {
	cp, err := cfg.Store.Checkpoint(ctx, cfg.Scope, name)
	if err != nil || cp != nil {
		return cp != nil, err
	}
	if cc, ok := decant.As[decant.ChunkCheckpointer](cfg.Store); ok {
		chunks, err := cc.ChunkCheckpoints(ctx, cfg.Scope, name)
		if err != nil || len(chunks) > 0 {
			return len(chunks) > 0, err
		}
	}
	sr, err := decant.Require[decant.StateReader](cfg.Store, "tell whether a step was extracted")
	if err != nil {
		return false, err
	}
	status, err := sr.Status(ctx, cfg.Scope)
	if err != nil {
		return false, err
	}
	for _, st := range status {
		if st.Step == name && st.Batches > 0 {
			return true, nil
		}
	}
	return false, nil
}

// stagingSource reads a step's staged records in the order they were
// staged; its position is the last one's seq, {"staged_seq": N}.
type stagingSource struct {
	st   decant.Stager
	step string
	// keyPath is the step's from.key: a record staged without a key (its
	// key path was wrong at the extract) gets its key from it, as a retry
	// of a stored error does.
	keyPath string
	page    int
}

type stagedPosition struct {
	StagedSeq *int64 `json:"staged_seq"`
}

// stagedSeq reads a load's position. A position that is not one is a
// checkpoint the step saved when it read its source directly.
func stagedSeq(step string, pos decant.Position) (int64, error) {
	if pos == nil {
		return 0, nil
	}
	var p stagedPosition
	if json.Unmarshal(pos, &p) != nil || p.StagedSeq == nil {
		return 0, fmt.Errorf("the checkpoint of step %s (%s) is a position in its source, not in its staging table: "+
			"the step was loaded before the plan had staging: true; reset it (decant reset --step %s) to load it from staging", step, pos, step)
	}
	return *p.StagedSeq, nil
}

// isStagedPosition reports whether pos is a load's position from staging.
func isStagedPosition(pos decant.Position) bool {
	_, err := stagedSeq("", pos)
	return pos != nil && err == nil
}

func (s *stagingSource) String() string { return s.st.StagingTable(s.step) }

func (s *stagingSource) Close() error { return nil }

func (s *stagingSource) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	after, err := stagedSeq(s.step, pos)
	if err != nil {
		return nil, err
	}
	return &stagedRows{src: s, scope: scope, after: after}, nil
}

// Size counts the staged records after pos.
func (s *stagingSource) Size(ctx context.Context, scope string, pos decant.Position) (int64, bool, error) {
	after, err := stagedSeq(s.step, pos)
	if err != nil {
		return 0, false, err
	}
	n, err := s.st.CountStaged(ctx, scope, s.step, after)
	return n, err == nil, err
}

// stagedRows pages through a staging table.
type stagedRows struct {
	src   *stagingSource
	scope string
	after int64
	page  []decant.StagedRecord
	i     int
	done  bool
	rec   decant.Record
	err   error
}

func (r *stagedRows) Next(ctx context.Context) bool {
	if r.err != nil {
		return false
	}
	if r.i >= len(r.page) {
		if r.done {
			return false
		}
		page, err := r.src.st.ReadStaged(ctx, r.scope, r.src.step, r.after, r.src.page)
		if err != nil {
			r.err = err
			return false
		}
		r.page, r.i, r.done = page, 0, len(page) < r.src.page
		if len(page) == 0 {
			return false
		}
	}
	sr := r.page[r.i]
	r.i++
	r.after = sr.Seq
	r.rec = sr.Record()
	if r.rec.Key == "" && r.rec.Invalid == "" {
		r.rec.Key = keyAt(r.rec.Raw, r.src.keyPath)
	}
	r.rec.Position = fmt.Appendf(nil, `{"staged_seq":%d}`, sr.Seq)
	return true
}

func (r *stagedRows) Record() decant.Record { return r.rec }
func (r *stagedRows) Err() error            { return r.err }
func (r *stagedRows) Close() error          { return nil }

// writeStaged commits an extract's batch: its records to the staging
// table, with the audit row and the extract's checkpoint, in one
// transaction. Nothing is mapped, so nothing fails: a record its source
// could not read is staged as read, and becomes a stored error when the
// load reads it.
func (w *writer) writeStaged(ctx context.Context, b mappedBatch, r *StepResult) error {
	n := len(b.recs)
	if n == 0 {
		return w.passOver(ctx, b)
	}
	stg, err := decant.Require[decant.Stager](w.cfg.Store, "keep staging tables (plan key staging)")
	if err != nil {
		return err
	}
	step, _ := decant.ExtractOf(w.step.Name)
	recs := make([]decant.StagedRecord, n)
	for i, rec := range b.recs {
		recs[i] = decant.StagedRecord{Key: decant.LedgerKey(rec.Key, rec.Raw), SourceKey: rec.Key, Cursor: rec.Cursor,
			Raw: rec.Raw, Where: rec.Where, Deleted: rec.Deleted, Invalid: rec.Invalid}
	}
	audit := &decant.BatchAudit{Scope: w.cfg.Scope, Step: w.step.Name, Started: b.started, Total: n, OK: n,
		CursorFrom: b.recs[0].Cursor, CursorTo: b.recs[n-1].Cursor}
	tx, err := w.cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err = stg.Stage(ctx, tx, w.cfg.Scope, step, recs)
	if err == nil {
		audit.Duration = time.Since(b.started)
		err = w.cfg.Store.WriteBatch(ctx, tx, &decant.Batch{Scope: w.cfg.Scope, Step: w.step.Name, Audit: audit,
			Checkpoint: b.checkpoint(), Chunk: w.chunk})
	}
	if err != nil {
		return errors.Join(err, tx.Rollback(context.WithoutCancel(ctx)))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	w.tally(b, audit, r)
	return nil
}
