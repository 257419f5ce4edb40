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
	var spelled []byte // this worker's slab of spelled JSON texts (jsonSpelling.apply)
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
			v.spelling.apply(b.outs[i], &spelled)
			b.open[i] = len(open) > 0 && open[decant.LedgerKey(rec.Key, rec.Raw)]
			b.hashes[i] = live.sourceHash(rec)
		}
		close(b.mapped)
	}
}

// jsonSpelling is how a verify writes its expected JSON documents where
// it maps them, on every core: as the target gives them back when the
// store can say (decant.JSONSpeller: PostgreSQL's jsonb), else canonically
// (verify.CanonicalJSON). Either way the merge, on one goroutine, finds an
// equal document by comparing bytes instead of rendering both sides; a
// document neither can write stays as it is and compares the slow way.
type jsonSpelling struct {
	speller decant.JSONSpeller
	// appender, when the store has one, spells into a slab of the
	// worker's, an allocation a document less.
	appender jsonAppender
	types    map[string]map[string]string // table -> JSON column -> database type
}

// jsonAppender is a decant.JSONSpeller that can append the text it spells
// (postgres.Store.AppendSpellJSON); ok false leaves dst as it was.
type jsonAppender interface {
	AppendSpellJSON(dst []byte, dbType string, doc []byte) (text []byte, ok bool)
}

// spellSlab is the size of the slabs a map worker spells JSON texts into.
// A text keeps its slab alive, with its neighbours' texts: a few dozen KB
// at most, where a verify holds batches of records anyway.
const spellSlab = 32 << 10

func newJSONSpelling(st decant.Store, cols map[string][]decant.Column) *jsonSpelling {
	s := &jsonSpelling{types: map[string]map[string]string{}}
	s.speller, _ = decant.As[decant.JSONSpeller](st)
	s.appender, _ = decant.As[jsonAppender](st)
	for table, cs := range cols {
		for _, c := range cs {
			if c.Kind == decant.KindJSON {
				if s.types[table] == nil {
					s.types[table] = map[string]string{}
				}
				s.types[table][c.Name] = c.DBType
			}
		}
	}
	return s
}

// apply spells the JSON values of out's rows in place. slab is the
// calling worker's: the texts are appended to it, each a slice of its own
// that nothing writes again.
func (s *jsonSpelling) apply(out transform.Output, slab *[]byte) {
	for _, row := range out.Rows {
		for i, v := range row.Vals {
			j, ok := v.(decant.JSON)
			if !ok { // most values: no look-up of the column's type
				continue
			}
			dbType, isJSON := s.types[row.Table][row.Cols[i]]
			if !isJSON {
				continue // a text column compares the text migrate wrote
			}
			if s.appender != nil && len(j) < spellSlab/4 {
				// A spelling is at most about twice its document (", "
				// for ","); a slab too short for it gives way to a new
				// one, so that the texts spelled stay where they are.
				if cap(*slab)-len(*slab) < 2*len(j)+16 {
					*slab = make([]byte, 0, spellSlab)
				}
				at := len(*slab)
				if t, ok := s.appender.AppendSpellJSON(*slab, dbType, j); ok {
					*slab = t
					row.Vals[i] = decant.JSON(t[at:len(t):len(t)])
					continue
				}
			} else if s.speller != nil {
				if t, ok := s.speller.SpellJSON(dbType, j); ok {
					row.Vals[i] = decant.JSON(t)
					continue
				}
			}
			if c, ok := verify.CanonicalJSON(j); ok {
				row.Vals[i] = decant.JSON(c)
			}
		}
	}
}
