package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// Ensure the chunks of a step share one budget of batches: however many
// chunks read at once, the records read and not yet written never exceed
// QueueDepth + 2 batches, even when the writes are slow and the readers
// could run ahead (each chunk's own queues would hold 2 × QueueDepth + 3
// batches); and the outcome is an uninterrupted run's.
func TestChunks_BudgetBoundsTheBatchesHeld(t *testing.T) {
	t.Parallel()
	for tgtName := range bothTargets {
		t.Run(tgtName, func(t *testing.T) {
			t.Parallel()
			legacy := chunkSources["sqlite"](t)
			want := uninterrupted(t, legacy, tgtName)
			const batch, depth = 2, 2
			dir, url, db := chunkTarget(t, tgtName)
			var c heldCounter
			st := &laggingStore{delay: 10 * time.Millisecond}
			_, err := runBudgeted(context.Background(), t, dir, chunkPlan(legacy, url, 4, batch), depth, &c, st)
			must(t, err)
			if limit := int64((depth + 2) * batch); c.max.Load() > limit {
				t.Errorf("the chunks held up to %d records read and not written, want at most %d (QueueDepth + 2 batches of %d)",
					c.max.Load(), limit, batch)
			}
			if c.max.Load() < 2*batch {
				t.Errorf("the chunks held at most %d records at once: the readers did not run ahead of the slow writes, so the test proves nothing", c.max.Load())
			}
			if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
				t.Errorf("with a budget (-uninterrupted +budgeted):\n%s", diff)
			}
		})
	}
}

// Ensure a budget smaller than the number of chunks (QueueDepth 1: 3
// batches for 4 chunks) never deadlocks: when one chunk's writes are
// slow, the others still get their turns and the run ends as an
// uninterrupted one; and when one chunk's write fails while the others
// wait for a place, the run ends with that chunk's error, and a rerun
// completes it.
func TestChunks_BudgetSmallerThanTheChunks(t *testing.T) {
	t.Parallel()
	legacy := chunkSources["sqlite"](t)
	for tgtName := range bothTargets {
		t.Run(tgtName+" slow chunk", func(t *testing.T) {
			t.Parallel()
			want := uninterrupted(t, legacy, tgtName)
			dir, url, db := chunkTarget(t, tgtName)
			st := &laggingStore{delay: 20 * time.Millisecond, chunk: "1"}
			_, err := runBudgeted(context.Background(), t, dir, chunkPlan(legacy, url, 4, 3), 1, nil, st)
			must(t, err)
			if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
				t.Errorf("with a slow chunk (-uninterrupted +budgeted):\n%s", diff)
			}
		})
		t.Run(tgtName+" failing chunk", func(t *testing.T) {
			t.Parallel()
			want := uninterrupted(t, legacy, tgtName)
			dir, url, db := chunkTarget(t, tgtName)
			p := chunkPlan(legacy, url, 4, 3)
			st := &laggingStore{delay: 5 * time.Millisecond, chunk: "2", fail: true}
			_, err := runBudgeted(context.Background(), t, dir, p, 1, nil, st)
			if err == nil || !strings.Contains(err.Error(), "chunk 2: ") || !strings.Contains(err.Error(), "the disk is full") {
				t.Fatalf("run with a failing chunk: %v, want the error of chunk 2", err)
			}
			_, err = runBudgeted(context.Background(), t, dir, p, 1, nil, nil)
			must(t, err)
			if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
				t.Errorf("after a failed chunk and a rerun (-uninterrupted +rerun):\n%s", diff)
			}
		})
	}
}

// runBudgeted runs plan p in dir once with QueueDepth depth, the store
// wrapped by st when not nil, and the records read and written counted
// by c when not nil. A run that has not ended after a minute is a
// deadlock, which fails the test.
func runBudgeted(ctx context.Context, t *testing.T, dir, p string, depth int, c *heldCounter, st *laggingStore) (*engine.Result, error) {
	t.Helper()
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{})
	must(t, err)
	store, err := connect.Store(context.Background(), pl)
	must(t, err)
	defer store.Close()
	cfg := engine.Config{Plan: pl, Store: store, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second, QueueDepth: depth}
	if st != nil {
		st.Store = store
		cfg.Store = st
	}
	if c != nil {
		open := cfg.Sources
		cfg.Sources = func(ctx context.Context, s *plan.Step) (decant.Source, error) {
			src, err := open(ctx, s)
			if err != nil {
				return nil, err
			}
			return &countedSource{Source: src, c: c}, nil
		}
		cfg.Progress = c
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	type result struct {
		res *engine.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := engine.Run(ctx, cfg, nil)
		done <- result{res, err}
	}()
	r := <-done
	if ctx.Err() != nil {
		t.Fatalf("the run did not end within a minute (a deadlock?): %v", r.err)
	}
	return r.res, r.err
}

// heldCounter counts the records read and those whose batch is written,
// and keeps the most read and not yet written at once.
type heldCounter struct {
	read, written, max atomic.Int64
}

func (c *heldCounter) readOne() {
	held := c.read.Add(1) - c.written.Load()
	for m := c.max.Load(); held > m && !c.max.CompareAndSwap(m, held); m = c.max.Load() {
	}
}

func (c *heldCounter) StepStarted(string, int64) {}

// Batch comes once a batch is committed, before its place in the budget
// is given back, so what it counts as written is never still held.
func (c *heldCounter) Batch(_ string, a decant.BatchAudit) { c.written.Add(int64(a.Total)) }
func (c *heldCounter) StepDone(engine.StepResult)          {}
func (c *heldCounter) RoundError(error)                    {}

// countedSource counts the records its reads give.
type countedSource struct {
	decant.Source
	c *heldCounter
}

func (s *countedSource) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	rows, err := s.Source.Read(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	return &countedRows{Rows: rows, c: s.c}, nil
}

func (s *countedSource) Chunks(ctx context.Context, scope string, pos decant.Position, n int) ([]decant.Position, error) {
	return s.Source.(decant.Chunker).Chunks(ctx, scope, pos, n)
}

type countedRows struct {
	decant.Rows
	c *heldCounter
}

func (r *countedRows) Next(ctx context.Context) bool {
	if !r.Rows.Next(ctx) {
		return false
	}
	r.c.readOne()
	return true
}

// laggingStore delays the batch writes of chunk (every chunk's when ""),
// and with fail, fails the third of them.
type laggingStore struct {
	decant.Store
	delay time.Duration
	chunk string
	fail  bool
	mu    sync.Mutex
	n     int
}

func (s *laggingStore) WriteBatch(ctx context.Context, tx decant.Tx, b *decant.Batch) error {
	if b.Audit != nil && (s.chunk == "" || b.Chunk == s.chunk) {
		time.Sleep(s.delay)
		s.mu.Lock()
		s.n++
		third := s.n == 3
		s.mu.Unlock()
		if s.fail && third {
			return errors.New("the disk is full")
		}
	}
	return s.Store.WriteBatch(ctx, tx, b)
}

// Unwrap lets the engine find the store's other roles.
func (s *laggingStore) Unwrap() decant.Store { return s.Store }
