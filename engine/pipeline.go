package engine

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// readBatch is a run of records read together.
type readBatch struct {
	recs []decant.Record
	// keys are the records' ledger keys (decant.LedgerKey); nil until
	// mapped, except for retries, whose keys are the stored errors'.
	keys []string
	// ids and storedKeys, for retries, are the stored errors the records
	// come from and their keys.
	ids        []int64
	storedKeys []string
	started    time.Time
	// tail, when set, is the checkpoint after the batch instead of its last
	// record's position: the read passed over records after it
	// (decant.PositionReporter). A batch of no records saves it alone.
	tail decant.Position
}

// checkpoint is the position to save with b.
func (b *readBatch) checkpoint() decant.Position {
	if b.tail != nil {
		return b.tail
	}
	return b.recs[len(b.recs)-1].Position
}

// runStep drains one step's source from its checkpoint through the
// reader -> mapper -> writer pipeline; a step read in chunks runs one
// pipeline per chunk at once (runChunks). In a staged run the source is
// the step's staging table.
func runStep(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper, stop <-chan struct{}) (StepResult, error) {
	if cfg.Plan.Staging && !cfg.staged() {
		// A dry run of a staged plan maps from the sources, from where
		// the next extract will read them.
		es := *s
		es.Name = decant.ExtractStep(s.Name)
		r, err := drainStep(ctx, cfg, &es, m, func() (decant.Source, error) { return cfg.Sources(ctx, s) }, stop)
		r.Step = s.Name
		return r, err
	}
	if cfg.staged() {
		ls := loadStep(s)
		r, err := drainStep(ctx, cfg, ls, m, func() (decant.Source, error) { return openStaged(ctx, cfg, ls) }, stop)
		if cfg.Plan.Staging {
			r.Phase = string(PhaseLoad)
		}
		return r, err
	}
	return drainStep(ctx, cfg, s, m, func() (decant.Source, error) { return cfg.Sources(ctx, s) }, stop)
}

// drainStep reads the source open opens from s's checkpoint to its end. With
// no mapper, it is an extract (runExtract): the records go, as read, to
// the staging table of the step s's state name is the extract of.
func drainStep(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper, open func() (decant.Source, error),
	stop <-chan struct{}) (StepResult, error) {
	start := time.Now()
	r := StepResult{Step: s.Name}
	src, err := open()
	if err != nil {
		return r, &SourceOpenError{Step: s.Name, Err: err}
	}
	defer src.Close()
	// A dry run starts where the next real run will, so that it predicts
	// that run's counts; reading the checkpoint writes nothing.
	pos, err := cfg.Store.Checkpoint(ctx, cfg.Scope, s.Name)
	if err != nil {
		return r, fmt.Errorf("read checkpoint: %w", err)
	}
	if m != nil && !cfg.staged() && isStagedPosition(pos) {
		return r, fmt.Errorf("the checkpoint of step %s (%s) is a position in its staging table: the step was loaded while the plan had staging: true; "+
			"put staging: true back, or reset the step (decant reset --step %s) to load it from its source", s.Name, pos, s.Name)
	}
	chunks, err := stepChunks(ctx, cfg, s, src, pos)
	if err != nil {
		return r, err
	}
	room := newBudget(cfg.budget())
	if chunks != nil {
		cfg.Progress.StepStarted(s.Name, sizeOf(ctx, cfg, src, chunkStarts(chunks)...))
		r, err = runChunks(ctx, cfg, s, m, src, chunks, room, stop)
	} else {
		cfg.Progress.StepStarted(s.Name, sizeOf(ctx, cfg, src, pos))
		r, err = runPipeline(ctx, cfg, s, m, src, chunk{start: pos}, room, stop)
	}
	r.Duration = time.Since(start)
	return r, err
}

// sizeOf is how many records remain after the positions together, -1
// when the source cannot tell.
func sizeOf(ctx context.Context, cfg Config, src decant.Source, starts ...decant.Position) int64 {
	sz, ok := src.(decant.Sizer)
	if !ok {
		return -1
	}
	var total int64
	for _, pos := range starts {
		n, known, err := sz.Size(ctx, cfg.Scope, pos)
		if err != nil || !known {
			return -1
		}
		total += n
	}
	return total
}

// runPipeline reads the records of src from c.start (all the step's, or
// one chunk's) through the reader -> mapper -> writer pipeline, the
// writer saving the checkpoint as c's; each batch holds a place in room
// from its first record read to the end of its write. It returns the
// counts of what it wrote; its Duration is left to the caller.
func runPipeline(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper, src decant.Source, c chunk,
	room budget, stop <-chan struct{}) (StepResult, error) {
	r := StepResult{Step: s.Name}
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
	gate := newLagGate(cfg, s.Name)
	go func() { readErr <- read(readCtx, src, cfg.Scope, c.start, s.BatchSize, room, reads, gate.holds) }()
	w := &writer{cfg: cfg, step: s, chunk: c.name, stage: m == nil}
	if w.stage {
		go passOn(reads, mapped)
	} else {
		w.deletes, w.children = newDeletePlan(m), m.ChildTables()
		go mapAll(m, w.deletes, cfg.MapWorkers, cfg.Scope, reads, mapped)
	}
	for b := range mapped {
		err := w.write(ctx, b, &r)
		room.give()
		if err != nil {
			cancelRead()
			for range mapped { // let the reader and mapper finish
				room.give()
			}
			<-readErr
			return r, err
		}
	}
	err := <-readErr
	if gate != nil {
		r.HeldAt = gate.held
	}
	if err != nil && readCtx.Err() != nil && ctx.Err() == nil {
		r.Stopped = true
		return r, nil
	}
	return r, err
}

// read groups the source's records into batches. A partial batch cut short
// by cancellation is dropped: its records are re-read from the checkpoint.
// The first record that hold holds ends the read as the source's end
// would: it and the records after it are read again by a later round.
//
// Each batch takes a place in room before its first record is read;
// the writer gives it back once the batch is written (or dropped), and
// read gives back the place of a batch it does not send.
func read(ctx context.Context, src decant.Source, scope string, pos decant.Position, size int, room budget,
	out chan<- readBatch, hold func(decant.Record) bool) (err error) {
	defer close(out)
	rows, err := src.Read(ctx, scope, pos)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer rows.Close()
	if err := room.take(ctx); err != nil {
		return err
	}
	taken := true
	defer func() {
		if taken {
			room.give()
		}
	}()
	b := readBatch{recs: make([]decant.Record, 0, size), started: time.Now()}
	last, held := pos, false
	for rows.Next(ctx) {
		rec := rows.Record()
		if hold(rec) {
			held = true
			break
		}
		last = rec.Position
		b.recs = append(b.recs, rec)
		if len(b.recs) < size {
			continue
		}
		select {
		case out <- b:
			taken = false
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := room.take(ctx); err != nil {
			return err
		}
		taken = true
		b = readBatch{recs: make([]decant.Record, 0, size), started: time.Now()}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if pr, ok := rows.(decant.PositionReporter); ok && !held {
		// The read passed over records after the last one it gave.
		if tail := pr.Position(); tail != nil && !bytes.Equal(tail, last) {
			b.tail = tail
		}
	}
	if len(b.recs) > 0 || b.tail != nil {
		select {
		case out <- b:
			taken = false
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// budget bounds the batches a step holds at once, from the first record
// read to the end of its write, whatever the number of its pipelines: N
// chunks read at once share it, so they hold no more than one pipeline
// would. Only readers wait for a place; a mapper and a writer never do,
// so every batch taken is written (or dropped) and gives its place back.
type budget chan struct{}

func newBudget(n int) budget { return make(budget, n) }

// take waits for a place, or for ctx to end.
func (b budget) take(ctx context.Context) error {
	select {
	case b <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// give gives a place back.
func (b budget) give() { <-b }

// passOn hands an extract's batches to its writer unmapped.
func passOn(in <-chan readBatch, out chan<- mappedBatch) {
	defer close(out)
	for b := range in {
		out <- mappedBatch{readBatch: b}
	}
}

// mapAll maps batches in order, the records of each split among workers
// (one mapper clone each).
func mapAll(m *transform.Mapper, del deletePlan, workers int, scope string, in <-chan readBatch, out chan<- mappedBatch) {
	defer close(out)
	ms := []*transform.Mapper{m}
	for range workers - 1 {
		ms = append(ms, m.Clone())
	}
	for b := range in {
		// Every worker maps a batch only when the next one is waiting
		// already: a reader that keeps ahead of the mapping (a file) gains
		// from them, while for a reader that waits on its server (CouchDB,
		// a feed) they would only take, in bursts, the cores that server
		// and the target need. The rows are the same either way.
		n := 1
		if len(in) > 0 {
			n = len(ms)
		}
		out <- mapStepBatch(ms[:n], del, scope, b)
	}
}
