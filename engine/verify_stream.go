package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// A source is often in key order already: a file or a feed written from a
// table by its key. Then sorting its rows costs what the comparison
// itself costs, and the comparison waits for the whole source to be read.
// A verify whose step writes one table therefore also streams the
// expected rows straight into the comparison, while the source is read,
// on the bet that they come in key order. The bet is checked row by row
// and settled when the source ends:
//
//   - won (every row in key order, each giving the columns of the first):
//     the streamed comparison's findings are stored and reported, and the
//     sort, which was given every row too, is closed unread;
//   - lost (a row out of order, a row lacking a column, too many findings
//     to hold): the streamed comparison is dropped, nothing of it having
//     been stored or reported, and the table is compared from the sort,
//     as if there had been no bet.
//
// So the findings are the same either way; a streamed comparison holds its
// findings (and the ranges it would have stored) until the bet is won,
// at most maxStreamFindings of them.
//
// The sort is given the rows only while they could still all fit in its
// memory (SortOptions.MaxRows): a source out of order is mostly found out
// within its first rows, and past them the bet's rows go to the
// comparison alone, which saves the sort's work, its disk and its memory.
// A bet lost after that point reads the source again, into the sort.

// maxStreamFindings bounds the findings a streamed comparison holds until
// its source ends; beyond them the bet is lost, which bounds the memory.
const maxStreamFindings = 10_000

// errStreamFull ends a streamed comparison that would hold too many
// findings.
var errStreamFull = errors.New("too many findings to hold while the source is read")

// stream is the streamed comparison of one table: the rows the verify's
// goroutine pushes, in chunks, and the merge that takes them on a
// goroutine of its own.
type stream struct {
	v      *stepVerify
	table  string
	stored VerifyCounts // what an earlier attempt of the run stored

	chunks chan []verify.KeyedRow
	buf    []verify.KeyedRow
	cols   []string // the columns of the first row, which every row must give
	prev   []any    // the key of the last row pushed
	first  bool     // a row was pushed
	lost   string   // why the bet was lost; "" while it stands
	closed bool
	// stopped is set once a send found the merge ended; no row is sent
	// after it.
	stopped bool
	won     bool
	// pushed counts the rows pushed; past teeRows of them the sort is
	// dropped (dropped), and a lost bet reads the source again.
	pushed, teeRows int
	dropped         bool

	cancel context.CancelFunc
	done   chan struct{} // closed when the merge has returned
	// Set by the merge before done closes.
	tr  VerifyTableResult
	ch  *chunker
	err error
}

// startStream starts a streamed comparison of the step's table when the
// step allows one, else returns nil: the step writes one table and no
// child table, no record of it sits in the open errors (whose target
// rows would have to be left out), no run holds the scope (whose writes
// the source hashes tell apart), no test hook waits between the two
// parts, and no earlier attempt of the run compared part of the table.
func (v *stepVerify) startStream(ctx context.Context, open map[string]bool) (*stream, error) {
	if v.noStream || len(v.parents) != 1 || len(v.children) > 0 || len(open) > 0 ||
		v.live != nil && v.live.hashing || v.opts.afterExpect != nil {
		return nil, nil
	}
	table := v.parents[0]
	done, after, stored, err := v.prog.table(v.step.Name, table)
	if err != nil || done || after != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	tee := v.opts.Sort.MaxRows
	if tee == 0 {
		tee = verify.DefaultSortRows
	}
	s := &stream{v: v, table: table, stored: stored.VerifyCounts, teeRows: tee, chunks: make(chan []verify.KeyedRow, prefetchDepth),
		buf: make([]verify.KeyedRow, 0, prefetchChunk), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.tr, s.ch, s.err = v.mergeStream(ctx, s)
	}()
	return s, nil
}

// push hands the merge one expected row of the table and the columns the
// mapper gave it, unless the bet is lost already; a row that loses it is
// not pushed.
func (s *stream) push(r verify.KeyedRow, cols []string) {
	if s == nil || s.lost != "" {
		return
	}
	if !s.first {
		s.first, s.cols = true, slices.Clone(cols)
	} else if decant.CompareKeys(s.prev, r.Key) > 0 {
		s.lose("a row out of key order")
		return
	} else if !hasAll(cols, s.cols) {
		s.lose("a row without every column of the first")
		return
	}
	s.prev = r.Key
	if s.buf = append(s.buf, r); len(s.buf) == prefetchChunk {
		s.send()
	}
	if s.pushed++; s.pushed >= s.teeRows && !s.dropped && s.lost == "" {
		s.dropped = true
		s.v.sorters[s.table].Close() // its rows and files go now
		s.v.sorters[s.table] = verify.NewSorter(s.v.opts.Sort)
	}
}

// rereads reports whether the bet is lost after the sort was dropped:
// the source must be read again, and the rest of this read is of no use.
func (s *stream) rereads() bool { return s != nil && s.dropped && s.lost != "" }

// errReread ends the read of a source whose rows the sort no longer takes
// after the bet on its order was lost: settle reads it again.
var errReread = errors.New("read the source again into the sort")

// sorts reports whether the sort is still given the rows.
func (s *stream) sorts() bool { return s == nil || !s.dropped }

// hasAll reports whether have holds every column of want.
func hasAll(have, want []string) bool {
	if slices.Equal(have, want) {
		return true
	}
	for _, c := range want {
		if !slices.Contains(have, c) {
			return false
		}
	}
	return true
}

// send hands the buffered rows over, unless the merge has stopped. A
// merge stopped by too many findings loses the bet; one stopped by an
// error keeps it, still checked row by row, so that the error is the
// verify's if the bet is won, as the comparison from the sort would meet
// it too.
func (s *stream) send() {
	if s.stopped {
		s.buf = s.buf[:0]
		return
	}
	select {
	case s.chunks <- s.buf:
		s.buf = make([]verify.KeyedRow, 0, prefetchChunk)
	case <-s.done:
		s.stopped, s.buf = true, s.buf[:0]
		if errors.Is(s.err, errStreamFull) {
			s.lose("more than the findings it may hold")
		}
	}
}

// lose settles the bet as lost and stops the merge.
func (s *stream) lose(why string) {
	if s.lost == "" {
		s.lost = why
	}
	s.cancel()
}

// finish ends the stream once the source is read and waits for the
// merge. It reports whether the bet is won.
func (s *stream) finish() bool {
	if s.lost == "" && len(s.buf) > 0 {
		s.send()
	}
	s.close()
	if s.lost == "" && errors.Is(s.err, errStreamFull) {
		s.lost = "more than the findings it may hold"
	}
	s.won = s.lost == ""
	return s.won
}

// settle settles the step's bet once its source is read: it reports
// whether the stream won, and when the stream lost after the sort was
// dropped, reads the source again into the sort, without a bet.
func (v *stepVerify) settle(ctx context.Context, m *transform.Mapper, open map[string]bool, r *VerifyStepResult) (bool, error) {
	s := v.stream
	if s == nil {
		return false, nil
	}
	won := s.finish()
	if v.opts.settled != nil {
		v.opts.settled(s.table, won, !won && s.dropped)
	}
	if won || !s.dropped {
		return won, nil
	}
	v.stream, v.noStream = nil, true
	for _, t := range v.parents {
		v.sorters[t].Close()
		v.sorters[t] = verify.NewSorter(v.opts.Sort)
		v.skip[t] = map[string]bool{}
	}
	v.mapped = map[string][]string{}
	var err error
	r.Errors, err = v.expect(ctx, m, open)
	return false, err
}

// close stops the merge, if it still runs, and waits for it.
func (s *stream) close() {
	if s == nil || s.closed {
		return
	}
	s.closed = true
	close(s.chunks)
	<-s.done
	s.cancel()
}

// stop abandons the stream: an error ended the verify.
func (s *stream) stop() {
	if s != nil {
		s.lose("the verify stopped")
		s.close()
	}
}

// result stores and reports what a won stream found, a range at a time
// as the comparison from the sort would have, and returns the table's
// result.
func (s *stream) result(ctx context.Context) (VerifyTableResult, error) {
	if s.err != nil {
		return s.tr, s.err
	}
	if err := s.ch.replay(ctx); err != nil {
		return s.tr, err
	}
	if err := s.ch.flush(ctx, true); err != nil {
		return s.tr, err
	}
	s.tr.VerifyCounts = s.ch.total
	return s.tr, nil
}

// mergeStream compares the streamed rows with the target's rows as compare
// does, holding the ranges and findings until the bet is settled.
func (v *stepVerify) mergeStream(ctx context.Context, s *stream) (VerifyTableResult, *chunker, error) {
	tr := VerifyTableResult{Table: s.table}
	rows := &streamRows{chunks: s.chunks}
	rows.again = rows.Next(ctx) // the first row waits to be read again
	if rows.err != nil {
		return tr, nil, rows.err
	}
	var mapped []string
	if !v.opts.MissingOnly {
		// The first row's columns, which every row gives or the bet is lost.
		mapped = slices.DeleteFunc(slices.Clone(s.cols), func(c string) bool { return slices.Contains(v.step.Spec.Key, c) })
	}
	mg, err := v.merger(s.table, mapped)
	if err != nil {
		return tr, nil, err
	}
	if !v.opts.MissingOnly {
		tr.Unmapped = mg.Unmapped()
	}
	actual, err := v.readTarget(ctx, s.table, mg, nil)
	if err != nil {
		return tr, nil, err
	}
	defer actual.close()
	ch := v.newChunker(s.table, v.opts.ChunkKeys, nil, s.stored)
	ch.unmapped = tr.Unmapped
	ch.held = &heldRanges{max: maxStreamFindings}
	if v.opts.streamFindings > 0 {
		ch.held.max = v.opts.streamFindings
	}
	expected := &lastWins{src: rows, seen: ch.seen}
	if _, err := mg.Merge(ctx, expected, actual.rows, func(f verify.Finding) error { return ch.take(ctx, f) }); err != nil {
		return tr, ch, fmt.Errorf("table %s: %w", s.table, err)
	}
	return tr, ch, nil
}

// streamRows reads the pushed chunks as verify.ExpectedRows.
type streamRows struct {
	chunks <-chan []verify.KeyedRow
	cur    []verify.KeyedRow
	pos    int
	row    verify.KeyedRow
	err    error
	// again makes the next Next give the current row again: the merge
	// waits for the first row before it knows its columns.
	again bool
}

func (r *streamRows) Next(ctx context.Context) bool {
	if r.again {
		r.again = false
		return true
	}
	for r.pos >= len(r.cur) {
		select {
		case chunk, ok := <-r.chunks:
			if !ok {
				r.row = verify.KeyedRow{}
				return false
			}
			r.cur, r.pos = chunk, 0
		case <-ctx.Done():
			r.err = ctx.Err()
			r.row = verify.KeyedRow{}
			return false
		}
	}
	r.row = r.cur[r.pos]
	r.pos++
	return true
}

func (r *streamRows) Row() verify.KeyedRow { return r.row }
func (r *streamRows) Err() error           { return r.err }

// heldRanges are the ranges a streamed comparison would have stored,
// held until its bet is won.
type heldRanges struct {
	ranges   []heldRange
	findings int
	max      int // the most findings held
}

// heldRange is one range of keys taken: its counts and findings, and its
// last key.
type heldRange struct {
	chunk VerifyCounts
	n     int
	found []pendingFinding
	last  []any
}

// hold keeps the range the chunker has taken instead of storing it; take
// bounds the findings held.
func (c *chunker) hold() {
	h := c.held
	h.ranges = append(h.ranges, heldRange{chunk: c.chunk, n: c.n, found: c.found, last: c.last})
	h.findings += len(c.found)
	c.chunk, c.n, c.found, c.last = VerifyCounts{}, 0, nil, nil
}

// replay stores the held ranges in order, as flush would have stored each
// when it was taken, and leaves the keys taken since the last of them to
// the final flush.
func (c *chunker) replay(ctx context.Context) error {
	h := c.held
	if h == nil {
		return nil
	}
	c.held = nil
	tail := heldRange{chunk: c.chunk, n: c.n, found: c.found, last: c.last}
	for _, r := range h.ranges {
		c.chunk, c.n, c.found, c.last = r.chunk, r.n, r.found, r.last
		if err := c.flush(ctx, false); err != nil {
			return err
		}
	}
	c.chunk, c.n, c.found, c.last = tail.chunk, tail.n, tail.found, tail.last
	return nil
}
