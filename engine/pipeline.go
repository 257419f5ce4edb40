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

// readBatch is a run of records read together.
type readBatch struct {
	recs    []decant.Record
	started time.Time
}

// runStep drains one step's source from its checkpoint through the
// reader -> mapper -> writer pipeline.
func runStep(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper, stop <-chan struct{}) (StepResult, error) {
	start := time.Now()
	r := StepResult{Step: s.Name}
	src, err := cfg.Sources(ctx, s)
	if err != nil {
		return r, fmt.Errorf("open source: %w", err)
	}
	defer src.Close()
	var pos decant.Position
	if !cfg.DryRun {
		if pos, err = cfg.Store.Checkpoint(ctx, cfg.Scope, s.Name); err != nil {
			return r, fmt.Errorf("read checkpoint: %w", err)
		}
	}
	total := int64(-1)
	if sz, ok := src.(decant.Sizer); ok {
		if n, known, err := sz.Size(ctx, cfg.Scope, pos); err == nil && known {
			total = n
		}
	}
	cfg.Progress.StepStarted(s.Name, total)

	// The reader stops on the stop signal; mapping and writing go on until
	// what was read is saved. ctx cancellation aborts all three.
	readCtx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	go func() {
		select {
		case <-stop:
			cancelRead()
		case <-readCtx.Done():
		}
	}()
	reads := make(chan readBatch, cfg.QueueDepth)
	mapped := make(chan mappedBatch, cfg.QueueDepth)
	readErr := make(chan error, 1)
	go func() { readErr <- read(readCtx, src, cfg.Scope, pos, s.BatchSize, reads) }()
	go mapAll(m, cfg.MapWorkers, cfg.Scope, reads, mapped)

	w := &writer{cfg: cfg, step: s, children: m.ChildTables()}
	for b := range mapped {
		if err := w.write(ctx, b, &r); err != nil {
			cancelRead()
			for range mapped { // let the reader and mapper finish
			}
			<-readErr
			r.Duration = time.Since(start)
			return r, err
		}
	}
	err = <-readErr
	r.Duration = time.Since(start)
	if err != nil && readCtx.Err() != nil && ctx.Err() == nil {
		r.Stopped = true
		return r, nil
	}
	return r, err
}

// read groups the source's records into batches. A partial batch cut short
// by cancellation is dropped: its records are re-read from the checkpoint.
func read(ctx context.Context, src decant.Source, scope string, pos decant.Position, size int, out chan<- readBatch) error {
	defer close(out)
	rows, err := src.Read(ctx, scope, pos)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer rows.Close()
	b := readBatch{recs: make([]decant.Record, 0, size), started: time.Now()}
	for rows.Next(ctx) {
		b.recs = append(b.recs, rows.Record())
		if len(b.recs) < size {
			continue
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		b = readBatch{recs: make([]decant.Record, 0, size), started: time.Now()}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(b.recs) > 0 {
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// mapAll maps batches in order, the records of each split among workers
// (one mapper clone each).
func mapAll(m *transform.Mapper, workers int, scope string, in <-chan readBatch, out chan<- mappedBatch) {
	defer close(out)
	ms := []*transform.Mapper{m}
	for range workers - 1 {
		ms = append(ms, m.Clone())
	}
	for b := range in {
		out <- mapBatch(ms, scope, b)
	}
}

// writer commits mapped batches, isolating records the target refuses.
type writer struct {
	cfg      Config
	step     *plan.Step
	children []transform.ChildTable
	// retry marks a retry of stored errors: no audit row, no checkpoint.
	retry bool
}

func (w *writer) write(ctx context.Context, b mappedBatch, r *StepResult) error {
	n := len(b.recs)
	audit := &decant.BatchAudit{Scope: w.cfg.Scope, Step: w.step.Name, Started: b.started, Total: n,
		CursorFrom: b.recs[0].Cursor, CursorTo: b.recs[n-1].Cursor}
	if !w.cfg.DryRun {
		if err := w.commit(ctx, b, 0, n, audit); err != nil {
			return err
		}
	} else {
		for _, f := range b.fails {
			if f != nil {
				audit.Failed++
			}
		}
	}
	audit.OK = n - audit.Failed
	audit.Duration = time.Since(b.started)
	r.Read += int64(n)
	r.Written += int64(audit.OK)
	r.Failed += int64(audit.Failed)
	r.Batches++
	if c := b.recs[n-1].Cursor; c != "" {
		r.Cursor = c
	}
	w.cfg.Progress.Batch(w.step.Name, *audit)
	return nil
}

// commit writes records [lo, hi) of b in one transaction. When the target
// refuses the batch, it splits it in halves until the refused records are
// alone; each of those becomes a stored error, so one bad row never stops
// the run. The audit row and checkpoint go with the last piece.
func (w *writer) commit(ctx context.Context, b mappedBatch, lo, hi int, audit *decant.BatchAudit) error {
	last := hi == len(b.recs) && !w.retry
	batch := buildBatch(w.cfg.Scope, w.step.Name, w.step.Spec.Key, b, lo, hi, w.children)
	if last {
		a := *audit
		a.Failed += len(batch.Errors)
		a.OK = a.Total - a.Failed
		a.Duration = time.Since(b.started)
		batch.Audit = &a
		batch.Checkpoint = b.recs[hi-1].Position
	}
	err := w.tx(ctx, batch)
	if err == nil {
		audit.Failed += len(batch.Errors)
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	if p, ok := w.cfg.Store.(decant.Pinger); ok {
		if perr := p.Ping(ctx); perr != nil {
			return fmt.Errorf("write batch: %w (and the target does not answer: %v)", err, perr)
		}
	}
	if hi-lo == 1 {
		return w.refuse(ctx, b, lo, audit, err)
	}
	mid := lo + (hi-lo)/2
	if err := w.commit(ctx, b, lo, mid, audit); err != nil {
		return err
	}
	return w.commit(ctx, b, mid, hi, audit)
}

// refuse stores record i, which the target would not take, as an error.
func (w *writer) refuse(ctx context.Context, b mappedBatch, i int, audit *decant.BatchAudit, cause error) error {
	if b.fails[i] != nil {
		return fmt.Errorf("write the error of record %s: %w", b.recs[i].Key, cause)
	}
	b.fails[i] = &transform.Failure{Message: "the target refused the row", Detail: fmt.Sprintf("%s: %v", b.recs[i].Where, cause)}
	return w.commit(ctx, b, i, i+1, audit)
}

func (w *writer) tx(ctx context.Context, batch *decant.Batch) error {
	tx, err := w.cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := w.cfg.Store.WriteBatch(ctx, tx, batch); err != nil {
		rerr := tx.Rollback(context.WithoutCancel(ctx))
		return errors.Join(err, rerr)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
