package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// writer commits mapped batches.
//
// A batch's effect on the target, the ledger and the errors is the effect of
// applying its records one at a time in source order, whatever the batch
// size: the records are written in runs in which no key repeats (a key seen
// again starts a new run), so a record that fails after a good one of the
// same key keeps the good row, as it would alone. Everything, runs, refused
// rows, audit row and checkpoint, goes in one transaction.
type writer struct {
	cfg      Config
	step     *plan.Step
	children []transform.ChildTable
	// deletes is what the step does with deleted records.
	deletes deletePlan
	// retry marks a retry of stored errors: no audit row, no checkpoint.
	retry bool
	// chunk names the chunk of a parallel read whose batches this writer
	// commits, and whose checkpoint it saves; "" for the step's own.
	chunk string
	// stage marks an extract's writer (runExtract): its batches go to the
	// staging table unmapped.
	stage bool
}

// write commits b and adds its counts to r.
func (w *writer) write(ctx context.Context, b mappedBatch, r *StepResult) error {
	if w.stage {
		return w.writeStaged(ctx, b, r)
	}
	n := len(b.recs)
	if n == 0 {
		return w.passOver(ctx, b)
	}
	audit := &decant.BatchAudit{Scope: w.cfg.Scope, Step: w.step.Name, Started: b.started, Total: n,
		CursorFrom: b.recs[0].Cursor, CursorTo: b.recs[n-1].Cursor}
	if !w.cfg.DryRun {
		if err := w.ownDeletions(ctx, &b); err != nil {
			return err
		}
		if err := w.commit(ctx, b, audit); err != nil {
			return err
		}
	} else {
		audit.Failed = countFailed(b.fails)
	}
	audit.OK = n - audit.Failed
	audit.Duration = time.Since(b.started)
	w.tally(b, audit, r)
	return nil
}

// tally adds a written batch of records to r and reports it to Progress.
func (w *writer) tally(b mappedBatch, audit *decant.BatchAudit, r *StepResult) {
	r.Read += int64(audit.Total)
	r.Written += int64(audit.OK)
	r.Failed += int64(audit.Failed)
	r.Batches++
	if !w.stage { // an extract's batches are not mapped
		r.Unmapped = mergeUnmapped(r.Unmapped, unmappedCounts(&b, 0, len(b.recs)))
	}
	if c := b.recs[len(b.recs)-1].Cursor; c != "" {
		r.Cursor = c
	}
	w.cfg.Progress.Batch(w.step.Name, *audit)
}

func countFailed(fails []*transform.Failure) int {
	n := 0
	for _, f := range fails {
		if f != nil {
			n++
		}
	}
	return n
}

// commit writes b in one transaction: its runs of distinct keys, then the
// audit row and the checkpoint (unless this is a retry). audit.Failed ends
// up counting the records stored as errors, those the target refused
// included.
func (w *writer) commit(ctx context.Context, b mappedBatch, audit *decant.BatchAudit) error {
	tx, err := w.cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := w.writeAll(ctx, tx, b, audit); err != nil {
		rerr := tx.Rollback(context.WithoutCancel(ctx))
		return errors.Join(err, rerr)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w *writer) writeAll(ctx context.Context, tx decant.Tx, b mappedBatch, audit *decant.BatchAudit) error {
	failed := 0
	for _, run := range runs(b.keys) {
		n, err := w.writeRun(ctx, tx, b, run.lo, run.hi)
		if err != nil {
			return err
		}
		failed += n
	}
	audit.Failed = failed
	// The counts of fields that reached no column go in once, in the
	// transaction's last statement but one: a batch cut into runs or
	// halved around a refused row locks their rows in one sorted
	// statement, so parallel chunks wait for each other, never deadlock.
	unmapped := unmappedCounts(&b, 0, len(b.recs))
	if w.retry {
		if len(unmapped) == 0 {
			return nil
		}
		return w.cfg.Store.WriteBatch(ctx, tx, &decant.Batch{Scope: w.cfg.Scope, Step: w.step.Name, Unmapped: unmapped})
	}
	a := *audit
	a.OK = a.Total - a.Failed
	a.Duration = time.Since(b.started)
	last := &decant.Batch{Scope: w.cfg.Scope, Step: w.step.Name, Audit: &a, Checkpoint: b.checkpoint(), Chunk: w.chunk, Unmapped: unmapped}
	return w.cfg.Store.WriteBatch(ctx, tx, last)
}

// passOver saves the checkpoint of a read that ended passing over records
// after its last batch (b has none, and a tail): no audit row, since no
// record was read for the scope, and nothing for a dry run or a retry.
func (w *writer) passOver(ctx context.Context, b mappedBatch) error {
	if w.cfg.DryRun || w.retry || b.tail == nil {
		return nil
	}
	tx, err := w.cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := w.cfg.Store.WriteBatch(ctx, tx, &decant.Batch{Scope: w.cfg.Scope, Step: w.step.Name, Checkpoint: b.tail, Chunk: w.chunk}); err != nil {
		return errors.Join(err, tx.Rollback(context.WithoutCancel(ctx)))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// span is the records [lo, hi) of a batch.
type span struct{ lo, hi int }

// runs cuts keys into consecutive spans in which no key repeats.
func runs(keys []string) []span {
	var out []span
	seen := make(map[string]bool, len(keys))
	lo := 0
	for i, k := range keys {
		if seen[k] {
			out = append(out, span{lo, i})
			clear(seen)
			lo = i
		}
		seen[k] = true
	}
	if lo < len(keys) {
		out = append(out, span{lo, len(keys)})
	}
	return out
}

// savepoint names the point a refused piece of a batch is undone to.
const savepoint = "decant_piece"

// writeRun writes records [lo, hi) of b, whose keys are distinct, inside
// tx and returns how many were stored as errors. When the target refuses
// them, the piece is undone to a savepoint and halved until the refused
// records are alone; each becomes a stored error, so one bad row neither
// stops the run nor splits the batch over transactions.
func (w *writer) writeRun(ctx context.Context, tx decant.Tx, b mappedBatch, lo, hi int) (int, error) {
	batch := buildBatch(w.cfg.Scope, w.step.Name, w.step.Spec.Key, b, lo, hi, w.children, w.deletes)
	sp, ok := tx.(decant.Savepointer)
	if !ok {
		// Without savepoints a refusal fails the whole batch; nothing is
		// half-written, and the next run meets the same refusal.
		return len(batch.Errors), w.cfg.Store.WriteBatch(ctx, tx, batch)
	}
	if err := sp.Savepoint(ctx, savepoint); err != nil {
		return 0, fmt.Errorf("savepoint: %w", err)
	}
	err := w.cfg.Store.WriteBatch(ctx, tx, batch)
	if err == nil {
		return len(batch.Errors), sp.Release(ctx, savepoint)
	}
	// A rollback to the savepoint that succeeds also proves the target
	// answers, so an outage fails the run here instead of filling the
	// error table with rows that were never refused.
	if rerr := errors.Join(sp.RollbackTo(ctx, savepoint), sp.Release(ctx, savepoint)); rerr != nil || ctx.Err() != nil {
		return 0, errors.Join(err, rerr)
	}
	if errors.Is(err, decant.ErrTransient) {
		// Nothing is wrong with the rows: fail the batch, and the next
		// run writes them, rather than store good records as refused.
		return 0, err
	}
	if hi-lo == 1 {
		return w.refuse(ctx, tx, b, lo, err)
	}
	mid := lo + (hi-lo)/2
	n1, err := w.writeRun(ctx, tx, b, lo, mid)
	if err != nil {
		return 0, err
	}
	n2, err := w.writeRun(ctx, tx, b, mid, hi)
	return n1 + n2, err
}

// refuse stores record i, which the target would not take, as an error.
func (w *writer) refuse(ctx context.Context, tx decant.Tx, b mappedBatch, i int, cause error) (int, error) {
	if b.fails[i] != nil {
		return 0, fmt.Errorf("write the error of record %s: %w", b.keys[i], cause)
	}
	b.fails[i] = &transform.Failure{Message: "the target refused the row", Detail: fmt.Sprintf("%s: %v", b.recs[i].Where, cause)}
	return w.writeRun(ctx, tx, b, i, i+1)
}
