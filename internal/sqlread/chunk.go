package sqlread

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

var _ decant.Chunker = (*Source)(nil)

// Chunks plans up to n chunks of the rows after pos, split at the keys of
// evenly spaced rows in key order: the count of the rows, then one query
// per split for the key at its offset from the split before (LIMIT 1
// OFFSET k, a scan of the key's index from there). Exact for keys of any
// number of columns, and each chunk holds as many rows, when it is
// planned, within one.
func (s *Source) Chunks(ctx context.Context, scope string, pos decant.Position, n int) ([]decant.Position, error) {
	if s.spec.Cursor != "" {
		return nil, fmt.Errorf("%s: a read with a cursor cannot be split into chunks; read it with parallel: 1", s.spec.what())
	}
	sh, b, err := s.start(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	if b.from != nil || b.to != nil {
		return nil, fmt.Errorf("%s: position %s is a chunk's already", s.spec.what(), pos)
	}
	total, _, err := s.Size(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	n = int(min(int64(n), total))
	splits := make([]json.RawMessage, 0, max(n-1, 0))
	// Each split is counted from the one before, at or after it, so the
	// splits grow even when rows change between the queries, and the
	// index is scanned once in all.
	within, prev := b, int64(0)
	for i := 1; i < n; i++ {
		off := total * int64(i) / int64(n)
		key, vals, err := s.keyAt(ctx, scope, sh, within, off-prev)
		if errors.Is(err, sql.ErrNoRows) {
			break // rows were deleted since the count: fewer chunks
		}
		if err != nil {
			return nil, s.redact(err)
		}
		splits = append(splits, key)
		within, prev = bounds{from: vals}, off
	}
	return chunkPositions(b, pos, splits)
}

// chunkPositions are the start positions of the chunks cut at splits:
// the first starts where b does, each other at its split, and each ends
// at the next split.
func chunkPositions(b bounds, pos decant.Position, splits []json.RawMessage) ([]decant.Position, error) {
	after := json.RawMessage("null")
	if b.after != nil {
		var p position
		if err := json.Unmarshal(pos, &p); err != nil {
			return nil, err
		}
		after = p.After
	}
	out := make([]decant.Position, 0, len(splits)+1)
	for i := 0; i <= len(splits); i++ {
		p := position{After: after}
		if i > 0 {
			p.After, p.From = json.RawMessage("null"), splits[i-1]
		}
		if i < len(splits) {
			p.To = splits[i]
		}
		raw, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		out = append(out, raw)
	}
	return out, nil
}

// keyAt is the key, as a JSON array of its columns' document values and
// as the values to bind, of the row at offset off (from 0) among the rows
// within b, in key order; sql.ErrNoRows when there are not so many.
func (s *Source) keyAt(ctx context.Context, scope string, sh shape, b bounds, off int64) (json.RawMessage, []any, error) {
	st := &statement{d: s.d}
	q, err := s.base(st, scope)
	if err != nil {
		return nil, nil, err
	}
	q.within(st, s.spec.Key, b)
	list := q.refs(s.d, s.spec.Key)
	for i, j := range sh.key {
		if sh.asStored != nil && sh.asStored[j] {
			list[i] = "+" + list[i]
		}
	}
	q.cols = strings.Join(list, ", ")
	q.orderBy, q.limit, q.offset = s.spec.Key, 1, int(off)
	vals := make([]any, len(list))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	err = s.db.QueryRowContext(ctx, q.sql(s.d), st.args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: the key at row %d, to split the read into chunks: %w", s.spec.what(), off+1, err)
	}
	doc := make([]any, len(vals))
	for i, v := range vals {
		k := sh.kinds[sh.key[i]]
		x, err := value(k, v, s.spec.ZeroDatesNull)
		if err == nil && x == nil {
			err = errors.New("NULL")
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: a key to split the read into chunks, column %s: %w", s.spec.what(), s.spec.Key[i], err)
		}
		doc[i] = x
	}
	key, err := transform.AppendJSON(nil, doc)
	if err != nil {
		return nil, nil, err
	}
	// The values to bind are those a position holds, read back as a
	// resumed read binds them.
	bind, err := decodeValues(key, pick(sh.kinds, sh.key))
	return key, bind, err
}
