package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/decanthq/decant"
)

var _ decant.TargetReader = (*Store)(nil)

// ReadRows streams q's rows in key order (decant.CompareKeys) with one
// query, which pgx reads from the server as Next asks for rows: no paging,
// and memory stays flat. Text keys are ordered with COLLATE "C", bytewise,
// whatever the column's collation; the database can use an index for that
// order only if the index has that collation too.
//
// Values come back by kind as decant.TargetRow describes: the server casts
// numeric, json and text-kind values to text (so char(n) loses its
// padding, as PostgreSQL's own comparisons ignore it), int to bigint and
// float to double precision.
func (s *Store) ReadRows(ctx context.Context, q decant.RowQuery) (decant.TargetRows, error) {
	if err := q.Check(); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	t, err := describe(ctx, s.pool, q.Table)
	if err != nil {
		return nil, fmt.Errorf("postgres: read rows: %w", err)
	}
	query, args, kinds, err := rowsQuery(t, q)
	if err != nil {
		return nil, fmt.Errorf("postgres: read rows of %s: %w", q.Table, err)
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: read rows of %s: %w", q.Table, err)
	}
	return &targetRows{rows: rows, q: q, kinds: kinds}, nil
}

// rowsQuery builds the query of q: the key columns, then q.Columns, each as
// an expression whose type the reader knows.
func rowsQuery(t *table, q decant.RowQuery) (string, []any, []string, error) {
	var sel, keys, nullable []string
	for _, k := range q.Key {
		kind, ok := t.kind[k]
		if !ok {
			return "", nil, nil, fmt.Errorf("key column %s: %w", k, decant.ErrNotFound)
		}
		expr, err := keyExpr(k, kind, t.base[k])
		if err != nil {
			return "", nil, nil, err
		}
		out := expr
		if kind == decant.KindInt {
			out = pgx.Identifier{k}.Sanitize() + "::int8"
		}
		sel, keys = append(sel, out), append(keys, expr)
		if t.nullable(k) {
			nullable = append(nullable, pgx.Identifier{k}.Sanitize()+" IS NULL")
		}
	}
	kinds := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		kind, ok := t.kind[c]
		if !ok {
			return "", nil, nil, fmt.Errorf("column %s: %w", c, decant.ErrNotFound)
		}
		kinds[i] = kind
		sel = append(sel, valueExpr(c, kind))
	}
	where, args := rangeConds(keys, nullable, q)
	if q.Where != "" {
		// The scope is a parameter, never text of the query.
		cond, bind := decant.BindScope(q.Where, "$"+strconv.Itoa(len(args)+1))
		if bind {
			args = append(args, q.Scope)
		}
		cond = "(" + cond + "\n)" // a -- comment in it ends at its line
		if q.WhereParents != nil {
			cond = parentsCond(pgx.Identifier{q.Key[0]}.Sanitize(), q.WhereParents, cond)
		}
		where = append(where, cond)
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + t.ident
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	return query + " ORDER BY " + strings.Join(keys, ", "), args, kinds, nil
}

// rangeConds are the conditions and arguments of q's key range, keys being
// the key columns as they are ordered and nullable the IS NULL terms of
// those that may hold NULL.
func rangeConds(keys, nullable []string, q decant.RowQuery) ([]string, []any) {
	var where []string
	var args []any
	for _, b := range []struct {
		op  string
		key []any
	}{{">", q.After}, {"<=", q.Until}} {
		if b.key == nil {
			continue
		}
		marks := make([]string, len(b.key))
		for i, v := range b.key {
			args = append(args, v)
			marks[i] = "$" + strconv.Itoa(len(args))
		}
		cond := "(" + strings.Join(keys, ", ") + ") " + b.op + " (" + strings.Join(marks, ", ") + ")"
		if len(keys) == 1 {
			cond = keys[0] + " " + b.op + " " + marks[0]
		}
		// A NULL key compares as unknown. NULL sorts last, so a row with one
		// that a bound's comparison reaches sorts after the bound: it is
		// rightly left out before Until, but would drop out silently after
		// After; keep it in so that the reader reports it. Key columns of
		// a primary key are NOT NULL and need no such term, which would
		// keep the server from searching the index.
		if b.op == ">" && len(nullable) > 0 {
			cond = "(" + strings.Join(append([]string{cond}, nullable...), " OR ") + ")"
		}
		where = append(where, cond)
	}
	return where, args
}

// keyExpr is how a key column is compared and ordered: integers as they
// are, text bytewise. text and varchar take the collation directly, so an
// index with COLLATE "C" serves the order; other text-kind types (char(n),
// uuid, enums, ...) are cast to text first.
func keyExpr(col, kind, base string) (string, error) {
	id := pgx.Identifier{col}.Sanitize()
	switch {
	case kind == decant.KindInt:
		return id, nil
	case kind != decant.KindText:
		return "", fmt.Errorf("key column %s is %s (kind %s): decant reads target rows in key order only for int and text keys", col, base, kind)
	case base == "text" || base == "character varying":
		return id + ` COLLATE "C"`, nil
	}
	return id + `::text COLLATE "C"`, nil
}

// valueExpr selects a column so that it scans as its kind's Go type.
func valueExpr(col, kind string) string {
	id := pgx.Identifier{col}.Sanitize()
	switch kind {
	case decant.KindInt:
		return id + "::int8"
	case decant.KindFloat:
		return id + "::float8"
	case decant.KindBool, decant.KindDate, decant.KindTimestamp:
		return id
	}
	return id + "::text" // text, decimal, json: the text the database keeps
}

// nullable reports whether col may hold NULL.
func (t *table) nullable(col string) bool {
	for _, c := range t.columns {
		if c.Name == col {
			return c.Nullable
		}
	}
	return true
}

// targetRows reads the rows of a ReadRows query.
type targetRows struct {
	rows  pgx.Rows
	q     decant.RowQuery
	kinds []string
	row   decant.TargetRow
	err   error
	// made marks the values of the current row that values made their
	// kind's Go type, which normalize must not convert again.
	made []bool
	// blocks are what values makes the rows' values from, shared by the
	// rows one after the other.
	blocks rowBlocks
}

func (r *targetRows) Next(ctx context.Context) bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	vals, err := r.values()
	if err != nil {
		r.fail(fmt.Errorf("postgres: read rows of %s: %w", r.q.Table, err))
		return false
	}
	n := len(r.q.Key)
	row := decant.TargetRow{Key: vals[:n:n], Values: vals[n:]}
	for i, v := range row.Key {
		if v == nil {
			r.fail(fmt.Errorf("postgres: read rows of %s: a row has NULL in key column %s: %w; give it a key or delete it",
				r.q.Table, r.q.Key[i], decant.ErrNullKey))
			return false
		}
	}
	for i, v := range row.Values {
		if r.made[i] {
			continue // values made it its kind's type already
		}
		if row.Values[i], err = normalize(r.kinds[i], v); err != nil {
			r.fail(fmt.Errorf("postgres: read rows of %s: key %v: column %s: %w", r.q.Table, row.Key, r.q.Columns[i], err))
			return false
		}
	}
	r.row = row
	return true
}

// values decodes the current row as pgx.Rows.Values does, except the
// columns that valueExpr casts to text (text, decimal and json kinds),
// which it makes their kind's Go type straight from the driver's bytes
// (see rowBlocks): through Values each would be copied into a string,
// boxed, and then converted and boxed again by normalize. The driver
// reuses its buffer for the next row, so each value is a copy.
func (r *targetRows) values() ([]any, error) {
	raw := r.rows.RawValues()
	fields := r.rows.FieldDescriptions()
	n := len(r.q.Key)
	if r.made == nil {
		r.made = make([]bool, len(r.kinds))
	}
	clear(r.made)
	if len(raw) != len(fields) || len(fields) != n+len(r.kinds) {
		return r.rows.Values() // not the query rowsQuery built: let pgx say why
	}
	types := r.rows.Conn().TypeMap()
	bl := &r.blocks
	vals := bl.values(len(raw))
	for i, b := range raw {
		if b == nil {
			continue
		}
		fd := &fields[i]
		if i >= n && fd.DataTypeOID == pgtype.TextOID && textKind(r.kinds[i-n]) {
			r.made[i-n] = true
			vals[i] = bl.text(r.kinds[i-n], b)
			continue
		}
		if v, ok := bl.binary(fd, b); ok {
			if i >= n {
				r.made[i-n] = true // in UTC already, as normalize makes it
			}
			vals[i] = v
			continue
		}
		v, err := decodeValue(types, fd, b)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// decodeValue decodes one value as pgx.Rows.Values does.
func decodeValue(types *pgtype.Map, fd *pgconn.FieldDescription, b []byte) (any, error) {
	if t, ok := types.TypeForOID(fd.DataTypeOID); ok {
		return t.Codec.DecodeValue(types, fd.DataTypeOID, fd.Format, b)
	}
	if fd.Format == pgx.TextFormatCode {
		return string(b), nil
	}
	return bytes.Clone(b), nil
}

// textKind reports whether valueExpr reads a column of kind as text.
func textKind(kind string) bool {
	switch kind {
	case decant.KindText, decant.KindDecimal, decant.KindJSON:
		return true
	}
	return false
}

// rowBlocks makes the values of the rows a targetRows reads from blocks
// shared by the rows in turn, instead of allocations each: the texts of the
// text kinds and their headers, the integers and times decoded from the
// driver's binary form, and the rows' slices of values. Through
// pgx.Rows.Values each value was an allocation or two, and normalize
// boxed the text kinds and times again: a third of the read's CPU. A
// value kept from a row (a finding's) keeps its blocks alive, with their
// neighbours: a few dozen KB at most.
type rowBlocks struct {
	texts []byte   // never written below len
	heads []string // never written below len
	jsons []decant.JSON
	ints  []int64
	times []time.Time
	vals  []any
}

// Sizes of rowBlocks' blocks: the text's in bytes (a longer text than a
// quarter of it is an allocation of its own), the others' in values.
const (
	rowTextBlock  = 32 << 10
	rowValueBlock = 256
)

// values returns n nil values of their own.
func (bl *rowBlocks) values(n int) []any {
	if n > rowValueBlock/4 {
		return make([]any, n)
	}
	if cap(bl.vals)-len(bl.vals) < n {
		bl.vals = make([]any, 0, rowValueBlock)
	}
	at := len(bl.vals)
	bl.vals = bl.vals[:at+n]
	return bl.vals[at : at+n : at+n]
}

// text returns the text b of a column of kind as that kind's Go type, as
// normalize makes it, copied to the blocks.
func (bl *rowBlocks) text(kind string, b []byte) any {
	if len(b) == 0 || len(b) > rowTextBlock/4 {
		return textValue(kind, b)
	}
	if cap(bl.texts)-len(bl.texts) < len(b) {
		bl.texts = make([]byte, 0, rowTextBlock)
	}
	at := len(bl.texts)
	bl.texts = append(bl.texts, b...) // within cap: the block does not move
	own := bl.texts[at:len(bl.texts):len(bl.texts)]
	if kind == decant.KindJSON {
		return pointTo(put(&bl.jsons, decant.JSON(own)), zeroJSON) // capped: an append copies it
	}
	p := put(&bl.heads, unsafe.String(&own[0], len(own)))
	if kind == decant.KindDecimal {
		return pointTo(p, decant.Decimal(""))
	}
	return pointTo(p, "")
}

// binary returns, from the blocks, a bigint or a timestamptz the driver
// sent in binary, as pgx decodes it and normalize makes it (a time in
// UTC); ok is false for anything else, and for a time outside years 1 to
// 9999 (an infinity, or one pgx may refuse), which pgx then decodes.
func (bl *rowBlocks) binary(fd *pgconn.FieldDescription, b []byte) (any, bool) {
	if fd.Format != pgx.BinaryFormatCode || len(b) != 8 {
		return nil, false
	}
	n := int64(binary.BigEndian.Uint64(b))
	switch fd.DataTypeOID {
	case pgtype.Int8OID:
		if 0 <= n && n < 256 {
			return n, true // the runtime boxes these without an allocation
		}
		return pointTo(put(&bl.ints, n), zeroInt), true
	case pgtype.TimestamptzOID:
		// pgx's binary timestamptz: microseconds from 2000-01-01 UTC.
		const unixToY2K = 946_684_800_000_000
		t := time.Unix(unixToY2K/1_000_000+n/1_000_000, unixToY2K%1_000_000*1_000+n%1_000_000*1_000)
		if y := t.Year(); y < 1 || y > 9999 {
			return nil, false
		}
		return pointTo(put(&bl.times, t.UTC()), zeroTime), true
	}
	return nil, false
}

// put appends v to the block *blk (a new one when it is full) and returns
// a pointer to it there.
func put[T any](blk *[]T, v T) *T {
	if len(*blk) == cap(*blk) {
		*blk = make([]T, 0, rowValueBlock)
	}
	*blk = append(*blk, v) // within cap: the block does not move
	return &(*blk)[len(*blk)-1]
}

// pointTo returns *p in an interface whose data is p, of like's type,
// which must be *p's: converting *p to an interface would copy it to an
// allocation of its own. Nothing may change *p after, as nothing changes
// the value an interface holds.
func pointTo[T any](p *T, like any) any {
	v := like
	(*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] = unsafe.Pointer(p)
	return v
}

// Zero values of the types pointTo boxes, as interfaces made once (a
// constant string's the compiler makes).
var (
	zeroTime any = time.Time{}
	zeroJSON any = decant.JSON(nil)
	zeroInt  any = int64(0)
)

// textValue is the text b of a column of a text kind as that kind's Go
// type, as normalize makes it, copied out of the driver's buffer.
func textValue(kind string, b []byte) any {
	switch kind {
	case decant.KindDecimal:
		return decant.Decimal(b)
	case decant.KindJSON:
		return decant.JSON(bytes.Clone(b))
	}
	return string(b)
}

func (r *targetRows) fail(err error) {
	r.err = err
	r.rows.Close()
}

func (r *targetRows) Row() decant.TargetRow { return r.row }

func (r *targetRows) Err() error {
	if r.err != nil {
		return r.err
	}
	if err := r.rows.Err(); err != nil {
		return fmt.Errorf("postgres: read rows of %s: %w", r.q.Table, err)
	}
	return nil
}

func (r *targetRows) Close() error {
	r.rows.Close()
	return nil
}

// normalize turns a value as pgx decodes the expression valueExpr selects
// into its kind's Go type.
func normalize(kind string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case decant.KindDecimal:
		return decant.Decimal(v.(string)), nil
	case decant.KindJSON:
		return decant.JSON(v.(string)), nil
	case decant.KindDate, decant.KindTimestamp:
		t, ok := v.(time.Time)
		if !ok {
			return nil, fmt.Errorf("%v is not a time decant can compare (an infinite date or timestamp?)", v)
		}
		return t.UTC(), nil
	}
	return v, nil
}

// parentsCond is the condition that keeps a child table's rows whose
// parent key column col names a row that cond selects in one of the
// parent tables (RowQuery.WhereParents).
func parentsCond(col string, p *decant.ParentTables, cond string) string {
	in := make([]string, len(p.Tables))
	for i, t := range p.Tables {
		in[i] = col + " IN (SELECT " + pgx.Identifier{p.Column}.Sanitize() + " FROM " + ident(t) + " WHERE " + cond + ")"
	}
	return "(" + strings.Join(in, " OR ") + ")"
}
