package sqlread

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// rows reads a source page by page.
type rows struct {
	src   *Source
	sh    shape
	scope string
	// after holds the values to bind after the ordered columns for the
	// next page, nil at the start; from and to, of a chunk, its bounds.
	after []any
	from  []any
	to    []any
	// toJSON is to as the chunk's positions hold it, nil for no end.
	toJSON []byte
	page   *sql.Rows
	n      int // rows of the page read so far
	// dest and vals receive a row; vals are the driver's values.
	dest, vals []any
	prevKey    string
	rec        decant.Record
	err        error
	done       bool
}

func (r *rows) Next(ctx context.Context) bool {
	for !r.done {
		if err := ctx.Err(); err != nil {
			return r.fail(err)
		}
		if r.page == nil && !r.query(ctx) {
			return false
		}
		if r.page.Next() {
			r.n++
			if err := r.record(); err != nil {
				return r.fail(err)
			}
			return true
		}
		err := r.page.Err()
		r.page.Close()
		r.page = nil
		switch {
		case err != nil && ctx.Err() != nil:
			return r.fail(ctx.Err())
		case err != nil:
			return r.fail(fmt.Errorf("%s: reading a page: %w", r.src.spec.what(), err))
		case r.n < r.src.spec.PageSize:
			r.done = true // a short page is the end
		}
		r.n = 0
	}
	return false
}

// query asks for the next page.
func (r *rows) query(ctx context.Context) bool {
	s := r.src
	st := &statement{d: s.d}
	q, err := s.base(st, r.scope)
	if err != nil {
		return r.fail(err)
	}
	q.selectAs(s.d, r.sh)
	q.within(st, s.spec.ordered(), bounds{after: r.after, from: r.from, to: r.to})
	q.bindOne(st)
	q.orderBy, q.limit = s.spec.ordered(), s.spec.PageSize
	page, err := s.db.QueryContext(ctx, q.sql(s.d), st.args...)
	if err != nil {
		if ctx.Err() != nil {
			return r.fail(ctx.Err())
		}
		return r.fail(fmt.Errorf("%s: %w", s.spec.what(), err))
	}
	cols, err := page.Columns()
	if err == nil && len(cols) != len(r.sh.cols) {
		err = fmt.Errorf("the rows have %d columns now, %d when the read began; was the table changed?", len(cols), len(r.sh.cols))
	}
	if err != nil {
		page.Close()
		return r.fail(fmt.Errorf("%s: %w", s.spec.what(), err))
	}
	r.page = page
	if r.dest == nil {
		r.vals = make([]any, len(cols))
		r.dest = make([]any, len(cols))
		for i := range r.dest {
			r.dest[i] = &r.vals[i]
		}
	}
	return true
}

// record makes the record of the page's current row. An error ends the
// read; a value that cannot be read makes the record invalid instead, so
// that it is stored as a failed record.
func (r *rows) record() error {
	if err := r.page.Scan(r.dest...); err != nil {
		return fmt.Errorf("%s: %w", r.src.spec.what(), err)
	}
	doc := make(map[string]any, len(r.vals))
	var invalid error
	for i, v := range r.vals {
		x, err := value(r.sh.kinds[i], v, r.src.spec.ZeroDatesNull)
		var zd *ZeroDateError
		if errors.As(err, &zd) {
			zd.Column = r.sh.cols[i]
		} else if err != nil {
			err = fmt.Errorf("column %s: %w", r.sh.cols[i], err)
		}
		if err != nil && invalid == nil {
			invalid = err
		}
		doc[r.sh.cols[i]] = x
	}
	ordered, err := r.ordered(doc)
	if err != nil {
		return err
	}
	key, err := keyText(ordered[len(ordered)-len(r.sh.key):])
	if err != nil {
		return err
	}
	if r.src.spec.Cursor == "" && r.prevKey != "" && key == r.prevKey {
		return fmt.Errorf("%s: two rows hold the key %s: the key (%s) is not unique, and a keyset read would skip rows; name columns that are unique together",
			r.src.spec.what(), key, strings.Join(r.src.spec.Key, ", "))
	}
	r.prevKey = key
	pos, err := encodePosition(ordered, r.toJSON)
	if err != nil {
		return err
	}
	r.after = make([]any, len(ordered))
	for i, v := range ordered {
		if r.after[i], err = bindValue(r.sh.kinds[r.sh.ordered[i]], v); err != nil {
			return err
		}
	}
	raw, err := transform.AppendJSON(nil, doc)
	if err != nil {
		return fmt.Errorf("%s, key %s: %w", r.src.spec.what(), key, err)
	}
	r.rec = decant.Record{Key: key, Raw: raw, Doc: document{doc}, Position: pos, Where: r.src.spec.what() + ", key " + key}
	if c := r.src.spec.Cursor; c != "" {
		r.rec.Cursor, _ = keyText([]any{doc[c]})
		// Read in cursor order: the rows after it changed after it, so a
		// live run's lag window may hold it back.
		r.rec.Change = true
	}
	if invalid != nil {
		r.rec.Invalid = fmt.Sprintf("key %s: %v", key, invalid)
		r.rec.Doc = nil
	}
	return nil
}

// ordered are the values of the row's ordered columns, doc their
// document values. A NULL (a row changed since the read began), a zero
// date or a SQLite blob stops the read: no position comes before it.
func (r *rows) ordered(doc map[string]any) ([]any, error) {
	spec := &r.src.spec
	ordered := make([]any, len(r.sh.ordered))
	for i, j := range r.sh.ordered {
		c := r.sh.cols[j]
		if doc[c] == nil && r.vals[j] != nil {
			// A zero date, read as NULL or as no value.
			return nil, fmt.Errorf("%s: column %s (%s) holds %s, which is no value to order a read by; filter such rows out (where) or read it as text in a query (CAST(%s AS CHAR) AS %s)",
				spec.what(), c, spec.role(c), textOf(r.vals[j]), c, c)
		}
		if doc[c] == nil {
			return nil, fmt.Errorf("%s: a row has NULL in %s, which orders the read; %s", spec.what(), c, spec.nullFix(c))
		}
		if _, blob := r.vals[j].([]byte); blob && r.sh.kinds[j] == KindAny {
			// Its position is base64 text, which SQLite sorts before
			// every blob: the next page would start over.
			return nil, fmt.Errorf("%s: column %s (%s) holds a blob, which a keyset read cannot resume after; read it as text in a query (hex(%s) AS %s)",
				spec.what(), c, spec.role(c), c, c)
		}
		ordered[i] = doc[c]
	}
	return ordered, nil
}

// keyText is a record's key: the text of a one-column key's value, a JSON
// array of the values of a key of several columns ([12,"FR"]).
func keyText(vals []any) (string, error) {
	if len(vals) == 1 {
		switch v := vals[0].(type) {
		case string:
			return v, nil
		case int64:
			return strconv.FormatInt(v, 10), nil
		}
	}
	var v any = vals
	if len(vals) == 1 {
		v = vals[0]
	}
	b, err := transform.AppendJSON(nil, v)
	return string(b), err
}

func (r *rows) fail(err error) bool {
	r.err, r.done = r.src.redact(err), true
	if r.page != nil {
		r.page.Close()
		r.page = nil
	}
	return false
}

func (r *rows) Record() decant.Record { return r.rec }

func (r *rows) Err() error { return r.err }

func (r *rows) Close() error {
	r.done = true
	if r.page != nil {
		err := r.page.Close()
		r.page = nil
		return err
	}
	return nil
}

// document is a row's content as the mapper reads it.
type document struct{ m map[string]any }

// Value returns the row as an object of its columns.
func (d document) Value() any { return d.m }
