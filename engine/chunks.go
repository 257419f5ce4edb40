package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// chunk is what one pipeline of a step reads: a chunk of a parallel read
// (its name, and the position its read starts from, which holds its key
// range), or the whole step (name "").
type chunk struct {
	name  string
	start decant.Position
}

// chunkStarts are the positions the chunks start from.
func chunkStarts(chunks []chunk) []decant.Position {
	out := make([]decant.Position, len(chunks))
	for i, c := range chunks {
		out[i] = c.start
	}
	return out
}

// stepChunks returns the chunks step s reads, nil when one reader reads
// it from its checkpoint. A step that has chunk checkpoints reads those
// chunks, from where each stopped, whatever the plan's parallel now says:
// their key ranges were planned when the step began, and a resumed run
// reads the same ones. Otherwise a step with parallel: N > 1 plans up to N
// chunks of the records after pos, and a real run stores every chunk's
// start in one transaction before it reads, so a run killed at once
// resumes them all.
func stepChunks(ctx context.Context, cfg Config, s *plan.Step, src decant.Source, pos decant.Position) ([]chunk, error) {
	if cc, ok := decant.As[decant.ChunkCheckpointer](cfg.Store); ok {
		stored, err := cc.ChunkCheckpoints(ctx, cfg.Scope, s.Name)
		if err != nil {
			return nil, fmt.Errorf("read the checkpoints of the chunks: %w", err)
		}
		if len(stored) > 0 {
			return sortChunks(stored), nil
		}
	}
	if s.From.Parallel <= 1 {
		return nil, nil
	}
	ch, ok := src.(decant.Chunker)
	if !ok {
		return nil, fmt.Errorf("step %s: from.parallel: the source %s cannot be read in chunks; remove parallel", s.Name, src)
	}
	starts, err := ch.Chunks(ctx, cfg.Scope, pos, s.From.Parallel)
	if err != nil {
		return nil, fmt.Errorf("step %s: plan %d chunks: %w", s.Name, s.From.Parallel, err)
	}
	chunks := make([]chunk, len(starts))
	for i, p := range starts {
		chunks[i] = chunk{name: strconv.Itoa(i + 1), start: p}
	}
	if cfg.DryRun {
		return chunks, nil
	}
	return chunks, saveChunks(ctx, cfg, s, chunks)
}

// sortChunks orders stored chunks by name, numbers by their value.
func sortChunks(stored map[string]decant.Position) []chunk {
	out := make([]chunk, 0, len(stored))
	for name, p := range stored {
		out = append(out, chunk{name: name, start: p})
	}
	slices.SortFunc(out, func(a, b chunk) int {
		return cmp.Or(cmp.Compare(len(a.name), len(b.name)), cmp.Compare(a.name, b.name))
	})
	return out
}

// saveChunks stores the chunks' starts as their checkpoints, in one
// transaction: no audit row, no record.
func saveChunks(ctx context.Context, cfg Config, s *plan.Step, chunks []chunk) error {
	if _, err := decant.Require[decant.ChunkCheckpointer](cfg.Store, "read a step in chunks (from.parallel)"); err != nil {
		return err
	}
	tx, err := cfg.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	for _, c := range chunks {
		b := &decant.Batch{Scope: cfg.Scope, Step: s.Name, Chunk: c.name, Checkpoint: c.start}
		if err := cfg.Store.WriteBatch(ctx, tx, b); err != nil {
			return errors.Join(fmt.Errorf("save the chunks: %w", err), tx.Rollback(context.WithoutCancel(ctx)))
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("save the chunks: commit: %w", err)
	}
	return nil
}

// runChunks runs one pipeline per chunk at once, each with its own reader,
// mapper and writer, so each batch still commits alone with its chunk's
// checkpoint (a store that has one connection, as SQLite's, takes the
// batches in turn). The first chunk that fails stops the others as the
// stop signal would: they commit what they read, and the step returns
// that error. The result sums every chunk's. The pipelines share room,
// the step's budget of batches, so N chunks hold no more batches at once
// than one pipeline would.
func runChunks(ctx context.Context, cfg Config, s *plan.Step, m *transform.Mapper, src decant.Source, chunks []chunk,
	room budget, stop <-chan struct{}) (StepResult, error) {
	halt := make(chan struct{})
	var haltOnce sync.Once
	stopAll := func() { haltOnce.Do(func() { close(halt) }) }
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-stop:
			stopAll()
		case <-done:
		}
	}()
	cfg.Progress = &lockedProgress{p: cfg.Progress}
	mappers := make([]*transform.Mapper, len(chunks))
	for i := range chunks {
		if m != nil { // an extract maps nothing
			mappers[i] = m.Clone()
		}
	}
	results := make([]StepResult, len(chunks))
	var first error
	var firstOnce sync.Once
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Go(func() {
			var err error
			results[i], err = runPipeline(ctx, cfg, s, mappers[i], src, c, room, halt)
			if err != nil {
				// The first error is the step's; the chunks it stops end
				// without one, or, when ctx ended, with the same cause.
				firstOnce.Do(func() { first = fmt.Errorf("chunk %s: %w", c.name, err) })
				stopAll()
			}
		})
	}
	wg.Wait()
	return sumChunks(s.Name, results, stop), first
}

// sumChunks adds up the chunks' results. The step stopped when a chunk
// did on the stop signal (not on another chunk's error).
func sumChunks(step string, results []StepResult, stop <-chan struct{}) StepResult {
	r := StepResult{Step: step}
	for _, c := range results {
		r.Read += c.Read
		r.Written += c.Written
		r.Failed += c.Failed
		r.Batches += c.Batches
		r.Unmapped = mergeUnmapped(r.Unmapped, c.Unmapped)
		r.HeldAt = cmp.Or(r.HeldAt, c.HeldAt)
		if c.Stopped && stopped(stop) {
			r.Stopped = true
		}
	}
	return r
}

// lockedProgress lets the pipelines of a step's chunks report to one
// Progress, which is not safe for concurrent use, in turn.
type lockedProgress struct {
	mu sync.Mutex
	p  Progress
}

func (l *lockedProgress) StepStarted(step string, total int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.StepStarted(step, total)
}

func (l *lockedProgress) Batch(step string, a decant.BatchAudit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.Batch(step, a)
}

func (l *lockedProgress) StepDone(r StepResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.StepDone(r)
}

func (l *lockedProgress) RoundError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.RoundError(err)
}
