package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// intRows gives 0..n-1, then err; it counts the rows read from it.
type intRows struct {
	n, i, row int
	err       error
	read      atomic.Int64
}

func (r *intRows) Next(ctx context.Context) bool {
	if r.i >= r.n || ctx.Err() != nil {
		return false
	}
	r.row = r.i
	r.i++
	r.read.Add(1)
	return true
}
func (r *intRows) Row() int { return r.row }
func (r *intRows) Err() error {
	if r.i < r.n {
		return nil
	}
	return r.err
}

// Ensure a read-ahead stream gives every row of its source, in order, and
// the source's error only after the last row, whatever the chunk bounds.
func TestPrefetch_RowsInOrderThenError(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, prefetchChunk, prefetchChunk + 1, 10 * prefetchChunk} {
		boom := errors.New("boom")
		p := prefetch[int](context.Background(), &intRows{n: n, err: boom})
		got := 0
		for p.Next(context.Background()) {
			if p.Err() != nil {
				t.Fatalf("n=%d: error %v before the end", n, p.Err())
			}
			if p.Row() != got {
				t.Fatalf("n=%d: row %d is %d", n, got, p.Row())
			}
			got++
		}
		if got != n || !errors.Is(p.Err(), boom) {
			t.Errorf("n=%d: %d rows, error %v; want %d rows, then boom", n, got, p.Err(), n)
		}
		p.stop()
	}
}

// Ensure a read ahead whose context is cancelled ends with the context's
// error, not as if its source had ended: a merge would take a cut stream
// for a whole one.
func TestPrefetch_CancelIsAnError(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	p := prefetch[int](ctx, &intRows{n: 1 << 30})
	if !p.Next(ctx) {
		t.Fatal("no first row")
	}
	cancel()
	for p.Next(ctx) {
	}
	if !errors.Is(p.Err(), context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", p.Err())
	}
	p.stop()
}

// Ensure stop leaves the source alone once it returns (the caller closes
// the source next) after reading at most a few chunks ahead.
func TestPrefetch_StopLeavesTheSource(t *testing.T) {
	t.Parallel()
	src := &intRows{n: 1 << 30}
	p := prefetch[int](context.Background(), src)
	p.Next(context.Background())
	p.stop()
	read := src.read.Load()
	if max := int64((prefetchDepth + 2) * prefetchChunk); read > max {
		t.Errorf("read %d rows ahead; want at most %d", read, max)
	}
	for range 1000 {
		if src.read.Load() != read {
			t.Fatal("the source was read after stop returned")
		}
	}
}
