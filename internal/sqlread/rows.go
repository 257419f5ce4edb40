package sqlread

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	// doc holds the document values of the row being read; members are
	// its JSON object's members, in order.
	doc     []any
	members []member
	rawSize int
	// canon writes the row's JSON columns, in jsonText, as the row's Raw
	// will hold them (see canonicalJSON).
	canon    transform.Canonicalizer
	jsonText []byte
	prevKey  string
	rec      decant.Record
	err      error
	done     bool
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
//
// The record holds the row as JSON (Raw) and no decoded Doc: the mapper
// decodes Raw on its workers, and a batch waiting in a queue holds a
// few hundred bytes a row rather than the maps and boxed values of its
// document, several times as many (the memory of a parallel read is
// batches in flight times their size).
func (r *rows) record() error {
	if err := r.page.Scan(r.dest...); err != nil {
		return fmt.Errorf("%s: %w", r.src.spec.what(), err)
	}
	if r.doc == nil {
		r.doc = make([]any, len(r.vals))
		r.members = members(r.sh.cols)
	}
	doc := r.doc
	var invalid error
	r.jsonText = r.jsonText[:0]
	for i, v := range r.vals {
		if r.sh.kinds[i] == KindJSON && v != nil {
			if span, ok := r.canonicalJSON(bytesOf(v)); ok {
				doc[i] = span
				continue
			}
		}
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
		doc[i] = x
	}
	ordered, err := r.ordered()
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
	raw, err := r.appendRaw(make([]byte, 0, r.rawSize))
	if err != nil {
		return fmt.Errorf("%s, key %s: %w", r.src.spec.what(), key, err)
	}
	// The next row's Raw is allocated at about this one's size, once.
	r.rawSize = max(r.rawSize, len(raw)+len(raw)/8)
	r.rec = decant.Record{Key: key, Raw: raw, Position: pos, Where: r.src.spec.what() + ", key " + key}
	if c := r.src.spec.Cursor; c != "" {
		r.rec.Cursor, _ = keyText(ordered[:1])
		// Read in cursor order: the rows after it changed after it, so a
		// live run's lag window may hold it back.
		r.rec.Change = true
	}
	if invalid != nil {
		r.rec.Invalid = fmt.Sprintf("key %s: %v", key, invalid)
	}
	clear(doc) // the values are Raw's now
	return nil
}

// member is a column of the row's JSON object: its name, quoted with the
// colon after it, and the index of its value.
type member struct {
	name []byte
	col  int
}

// members are the members of the rows' JSON objects, sorted by name as
// transform.AppendJSON sorts an object's members. A name that several
// columns share (a query's a.id and b.id) is the last one's, as a map of
// the row would hold it.
func members(cols []string) []member {
	last := make(map[string]int, len(cols))
	for i, c := range cols {
		last[c] = i
	}
	out := make([]member, 0, len(last))
	for c, i := range last {
		name, _ := transform.AppendJSON(nil, c) // a string always quotes
		out = append(out, member{name: append(name, ':'), col: i})
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(cols[a.col], cols[b.col]) })
	return out
}

// appendRaw appends the row's values as a JSON object of its columns:
// the bytes transform.AppendJSON makes of a map of them.
func (r *rows) appendRaw(b []byte) ([]byte, error) {
	b = append(b, '{')
	var err error
	for i, m := range r.members {
		if i > 0 {
			b = append(b, ',')
		}
		if span, ok := r.doc[m.col].(jsonSpan); ok {
			b = append(append(b, m.name...), r.jsonText[span.lo:span.hi]...)
			continue
		}
		if b, err = transform.AppendJSON(append(b, m.name...), r.doc[m.col]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// ordered are the values of the row's ordered columns, as the document
// holds them. A NULL (a row changed since the read began), a zero date
// or a SQLite blob stops the read: no position comes before it.
func (r *rows) ordered() ([]any, error) {
	spec := &r.src.spec
	ordered := make([]any, len(r.sh.ordered))
	for i, j := range r.sh.ordered {
		c := r.sh.cols[j]
		x := r.doc[r.named(j)]
		if span, ok := x.(jsonSpan); ok { // a JSON column orders the read
			x, _ = transform.DecodeJSON(r.jsonText[span.lo:span.hi])
		}
		if x == nil && r.vals[j] != nil {
			// A zero date, read as NULL or as no value.
			return nil, fmt.Errorf("%s: column %s (%s) holds %s, which is no value to order a read by; filter such rows out (where) or read it as text in a query (CAST(%s AS CHAR) AS %s)",
				spec.what(), c, spec.role(c), textOf(r.vals[j]), c, c)
		}
		if x == nil {
			return nil, fmt.Errorf("%s: a row has NULL in %s, which orders the read; %s", spec.what(), c, spec.nullFix(c))
		}
		if _, blob := r.vals[j].([]byte); blob && r.sh.kinds[j] == KindAny {
			// Its position is base64 text, which SQLite sorts before
			// every blob: the next page would start over.
			return nil, fmt.Errorf("%s: column %s (%s) holds a blob, which a keyset read cannot resume after; read it as text in a query (hex(%s) AS %s)",
				spec.what(), c, spec.role(c), c, c)
		}
		ordered[i] = x
	}
	return ordered, nil
}

// named is the column whose value the row's document holds under the
// name of column j: j, unless a later column has the same name.
func (r *rows) named(j int) int {
	c := r.sh.cols[j]
	for k := len(r.sh.cols) - 1; k > j; k-- {
		if r.sh.cols[k] == c {
			return k
		}
	}
	return j
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

// jsonSpan is a JSON column's value in the row's document: its canonical
// text, rows.jsonText[lo:hi].
type jsonSpan struct{ lo, hi int }

// canonicalJSON writes a JSON column's text as the row's Raw holds its
// value: the canonical JSON that AppendJSON writes of the value
// DecodeJSON reads from it, byte for byte, without building the value
// (transform.Canonicalizer). Decoding each document into maps to write it
// again was a sixth of a MariaDB read's CPU. ok is false for a text the
// canonicalizer is not sure of (invalid JSON among them): the column is
// then decoded as before, which says what is wrong with it.
func (r *rows) canonicalJSON(text []byte) (jsonSpan, bool) {
	lo := len(r.jsonText)
	out, ok := r.canon.AppendCanonical(r.jsonText, text)
	if !ok {
		r.jsonText = r.jsonText[:lo]
		return jsonSpan{}, false
	}
	r.jsonText = out
	return jsonSpan{lo, len(out)}, true
}
