package engine

import (
	"context"
	"sync"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// A verify reads and maps the source on several goroutines, as migrate
// does, but adds the mapped rows to the sorters on one, in source order:
// the sorter keeps the rows of a key in the order they were added, which
// is what makes the last record of a key win (lastWins) and a child
// marker start its parent's rows over (addChildren).

// verifyBatch is a run of source records and, once mapped is closed, what
// each maps to.
type verifyBatch struct {
	recs  []decant.Record
	outs  []transform.Output
	fails []*transform.Failure
	// open marks the records in the step's open errors; hashes are their
	// source hashes when a live check hashes ("" otherwise).
	open   []bool
	hashes []string
	mapped chan struct{}
}

// verifyBatchSize is how many records a verify maps as one piece of work:
// big enough that handing it over costs little, small enough that the
// batches in flight hold little memory.
const verifyBatchSize = 256

// mapSource reads rows on one goroutine and maps its records on workers
// (m and clones of it), and returns the batches in source order, each to
// be waited for (mapped) before it is used. The channel closes after the
// last batch; wait then returns the read's error, once every goroutine has
// stopped. Cancelling ctx stops them early; the caller drains the channel.
func (v *stepVerify) mapSource(ctx context.Context, rows decant.Rows, m *transform.Mapper, open map[string]bool) (<-chan *verifyBatch, func() error) {
	workers := max(1, v.cfg.MapWorkers)
	ordered := make(chan *verifyBatch, workers)
	work := make(chan *verifyBatch, workers)
	var wg sync.WaitGroup
	for i := range workers {
		mi := m
		if i > 0 {
			mi = m.Clone()
		}
		wg.Go(func() { v.mapWorker(mi, open, work) })
	}
	var readErr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(work)
		defer close(ordered)
		readErr = readBatches(ctx, rows, ordered, work)
	}()
	wait := func() error {
		<-readDone
		wg.Wait()
		return readErr
	}
	return ordered, wait
}

// readBatches cuts the records into batches and hands each to the
// workers and, in the same order, to the caller. A read error comes after
// the records read before it, as with one goroutine.
func readBatches(ctx context.Context, rows decant.Rows, ordered, work chan<- *verifyBatch) error {
	send := func(b *verifyBatch) bool {
		select {
		case ordered <- b:
		case <-ctx.Done():
			return false
		}
		work <- b // the workers drain work until it closes
		return true
	}
	b := newVerifyBatch()
	for rows.Next(ctx) {
		b.recs = append(b.recs, rows.Record())
		if len(b.recs) < verifyBatchSize {
			continue
		}
		if !send(b) {
			return ctx.Err()
		}
		b = newVerifyBatch()
	}
	if len(b.recs) > 0 && !send(b) {
		return ctx.Err()
	}
	return rows.Err()
}

func newVerifyBatch() *verifyBatch {
	return &verifyBatch{recs: make([]decant.Record, 0, verifyBatchSize), mapped: make(chan struct{})}
}

// mapWorker maps whole batches with its own mapper and hasher.
func (v *stepVerify) mapWorker(m *transform.Mapper, open map[string]bool, work <-chan *verifyBatch) {
	var live *liveCheck
	if v.live != nil {
		lc := *v.live
		lc.h = hasher{} // the hasher's buffers are this worker's
		live = &lc
	}
	// A missing-only verify compares keys alone, so it maps the key
	// columns alone: a record whose other columns no longer map is not an
	// error there (docs/verify.md).
	mapOne := m.Map
	if v.opts.MissingOnly {
		mapOne = m.MapKey
	}
	for b := range work {
		n := len(b.recs)
		b.outs = make([]transform.Output, n)
		b.fails = make([]*transform.Failure, n)
		b.open = make([]bool, n)
		b.hashes = make([]string, n)
		for i, rec := range b.recs {
			if rec.Deleted { // verify_deleted.go
				b.outs[i], b.fails[i] = v.mapDeleted(m, rec)
				continue
			}
			b.outs[i], b.fails[i] = mapOne(rec, v.cfg.Scope)
			if b.fails[i] != nil {
				continue
			}
			canonicalJSON(b.outs[i])
			b.open[i] = len(open) > 0 && open[decant.LedgerKey(rec.Key, rec.Raw)]
			b.hashes[i] = live.sourceHash(rec)
		}
		close(b.mapped)
	}
}

// canonicalJSON renders the JSON documents of out's rows canonically, so
// that the merge, on one goroutine, finds an equal document by comparing
// bytes (verify.CanonicalJSON); a document it cannot render stays as it is.
func canonicalJSON(out transform.Output) {
	for _, row := range out.Rows {
		for i, v := range row.Vals {
			if j, ok := v.(decant.JSON); ok {
				if c, ok := verify.CanonicalJSON(j); ok {
					row.Vals[i] = decant.JSON(c)
				}
			}
		}
	}
}
