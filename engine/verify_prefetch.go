package engine

import "context"

// The comparison of a table runs on one goroutine, and so would the
// reading of both its sides: decoding the target's rows (pgx) and the
// sorted expected rows (Sorter.Next). prefetch reads a side ahead on a
// goroutine of its own, a chunk of rows at a time, so the merge overlaps
// with the reads on a second core. The rows come out as the source gave
// them, in the same order, with its error after the last of them.

// prefetchChunk is how many rows go over the channel at once, and
// prefetchDepth how many chunks may wait: enough to ride out a pause of
// either side, few enough to hold little memory.
const (
	prefetchChunk = 256
	prefetchDepth = 4
)

// prefetched is a rowStream read ahead by a goroutine.
type prefetched[R any] struct {
	chunks <-chan []R
	cur    []R
	pos    int
	row    R
	// err is the source's error, set before chunks closes; ended is true
	// once this side saw chunks closed, so err may be read.
	err    error
	ended  bool
	cancel context.CancelFunc
}

// prefetch starts reading src. The caller must call stop before it closes
// whatever src reads from; src is not used on the caller's goroutine
// meanwhile.
func prefetch[R any](ctx context.Context, src rowStream[R]) *prefetched[R] {
	ctx, cancel := context.WithCancel(ctx)
	chunks := make(chan []R, prefetchDepth)
	p := &prefetched[R]{chunks: chunks, cancel: cancel}
	go func() {
		defer close(chunks)
		p.err = readAhead(ctx, src, chunks)
	}()
	return p
}

// readAhead sends src's rows a chunk at a time and returns its error, or the
// context's when it ends first.
func readAhead[R any](ctx context.Context, src rowStream[R], chunks chan<- []R) error {
	buf := make([]R, 0, prefetchChunk)
	send := func() error {
		select {
		case chunks <- buf:
			buf = make([]R, 0, prefetchChunk)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for src.Next(ctx) {
		if buf = append(buf, src.Row()); len(buf) == prefetchChunk {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(buf) > 0 {
		if err := send(); err != nil {
			return err
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	// A source may end quietly when its context is cancelled; the stream
	// was cut, not read to its end, and the merge must hear so.
	return ctx.Err()
}

func (p *prefetched[R]) Next(context.Context) bool {
	for p.pos >= len(p.cur) {
		chunk, ok := <-p.chunks
		if !ok {
			p.ended = true
			var zero R
			p.row = zero
			return false
		}
		p.cur, p.pos = chunk, 0
	}
	p.row = p.cur[p.pos]
	p.pos++
	return true
}

func (p *prefetched[R]) Row() R { return p.row }

func (p *prefetched[R]) Err() error {
	if !p.ended {
		return nil
	}
	return p.err
}

// stop ends the read ahead and waits for its goroutine to leave src.
func (p *prefetched[R]) stop() {
	p.cancel()
	for range p.chunks {
	}
	p.ended = true
}
