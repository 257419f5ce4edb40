package sqlread

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// Source reads a table or a query of a database/sql database page by
// page, in key order (or cursor, then key), each page a query for the
// rows after the last one read: keyset pagination, never OFFSET. It is
// the source of the mysql, postgres and sqlite packages.
type Source struct {
	db   *sql.DB
	d    *Dialect
	spec Spec
	// url is the connection's URL, whose secrets no error shows.
	url string
}

// Open checks options o for a read keyed by key and ordered first by the
// cursor column, then opens the database with open (which connects to
// nothing) and returns a source reading it. d.Name starts its errors.
func Open(d *Dialect, url string, o *Options, key, cursor string, open func() (*sql.DB, error)) (*Source, error) {
	if o == nil {
		o = &Options{}
	}
	spec, err := NewSpec(d, *o, key, cursor)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	db, err := open()
	if err != nil {
		return nil, err
	}
	return &Source{db: db, url: url, d: d, spec: spec}, nil
}

var _ interface {
	decant.Source
	decant.Pinger
	decant.Sizer
	decant.SourceChecker
} = (*Source)(nil)

// String is the source's URL, its secrets hidden.
func (s *Source) String() string { return decant.RedactURL(s.url) }

// redact hides the URL's secrets in err.
func (s *Source) redact(err error) error { return decant.RedactError(err, s.url) }

// Close closes the database handle the source opened.
func (s *Source) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Source) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return s.redact(fmt.Errorf("%s: %w", s.d.Name, err))
	}
	return nil
}

// shape is what a read's rows hold: their columns, how each is read, and
// where the ordered columns (cursor, then key) are among them.
type shape struct {
	cols    []string
	kinds   []Kind
	ordered []int
	key     []int
	// nullable is true when an ordered column may hold NULL, as far as
	// the driver knows.
	nullable bool
	// asStored marks the columns selected as +column (Dialect.AsStored);
	// nil when none is.
	asStored []bool
}

// probe asks the database for the shape of the rows, reading none. Every
// column it cannot read and every ordered column it lacks is an error.
func (s *Source) probe(ctx context.Context, scope string) (shape, error) {
	var sh shape
	st := &statement{d: s.d}
	q, err := s.base(st, scope)
	if err != nil {
		return sh, err
	}
	q.conds = append(q.conds, "1 = 0")
	rows, err := s.db.QueryContext(ctx, q.sql(s.d), st.args...)
	if err != nil {
		return sh, fmt.Errorf("%s: %w", s.spec.what(), err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return sh, fmt.Errorf("%s: %w", s.spec.what(), err)
	}
	json, err := s.jsonOf(ctx)
	if err != nil {
		return sh, err
	}
	var problems []string
	for _, ct := range types {
		k, ok := s.d.Kind(ct)
		if !ok {
			problems = append(problems, fmt.Sprintf("column %s has type %s, which decant cannot read; read it converted to text in a query (CAST(%s AS ...) AS %s)",
				ct.Name(), ct.DatabaseTypeName(), ct.Name(), ct.Name()))
		}
		if slices.Contains(json, ct.Name()) && (k == KindText || k == KindBinary) {
			k = KindJSON
		}
		sh.cols = append(sh.cols, ct.Name())
		sh.kinds = append(sh.kinds, k)
		if s.d.AsStored != nil && s.d.AsStored(ct) {
			if sh.asStored == nil {
				sh.asStored = make([]bool, len(types))
			}
			sh.asStored[len(sh.cols)-1] = true
		}
	}
	problems = append(problems, s.order(&sh, types)...)
	if len(problems) > 0 {
		return sh, errors.New(strings.Join(problems, "; "))
	}
	sh.key = sh.ordered[len(sh.ordered)-len(s.spec.Key):]
	return sh, nil
}

// order finds the ordered columns among the columns of sh, whose types
// are types, and says what keeps each from ordering a keyset read.
func (s *Source) order(sh *shape, types []*sql.ColumnType) []string {
	var problems []string
	for _, c := range s.spec.ordered() {
		what := s.spec.role(c)
		i := slices.Index(sh.cols, c)
		if i < 0 {
			problems = append(problems, fmt.Sprintf("%s has no column %s, which %s names (its columns: %s)", s.spec.what(), c, what, strings.Join(sh.cols, ", ")))
			continue
		}
		sh.ordered = append(sh.ordered, i)
		if p := s.unordered(sh.kinds[i], types[i]); p != "" {
			problems = append(problems, fmt.Sprintf("%s: column %s (%s) is %s", s.spec.what(), c, what, p))
		}
		if nullable, ok := types[i].Nullable(); nullable || !ok {
			sh.nullable = true
		}
	}
	return problems
}

// unordered says why a column of kind k and type ct cannot order a
// keyset read, and what to read instead; "" when it can.
func (s *Source) unordered(k Kind, ct *sql.ColumnType) string {
	if k == KindFloat32 {
		// The float32 is bound back as a float64, which the database does
		// not round to the column's value: a cursor read repeats its page
		// forever, a key read takes the next row for the same key.
		return fmt.Sprintf("a single-precision float (%s), whose value does not bind back exactly, so a keyset read would repeat or skip rows; "+
			"read it as a double in a query (CAST(%s AS %s) AS %s), or order by another column",
			ct.DatabaseTypeName(), ct.Name(), s.d.DoubleType, ct.Name())
	}
	if s.d.Unordered != nil {
		return s.d.Unordered(ct)
	}
	return ""
}

// jsonOf names the columns read as JSON although their type is text.
func (s *Source) jsonOf(ctx context.Context) ([]string, error) {
	cols := s.spec.JSONColumns
	if s.d.JSONColumns != nil && s.spec.Table != "" {
		found, err := s.d.JSONColumns(ctx, s.db, s.spec.Table)
		if err != nil {
			return nil, fmt.Errorf("%s: the JSON columns: %w", s.spec.what(), err)
		}
		cols = append(slices.Clone(cols), found...)
	}
	return cols, nil
}

// Read returns the rows after pos.
func (s *Source) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh, b, err := s.start(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	if sh.nullable {
		// A NULL key or cursor never comes after a position, and sorts
		// last on PostgreSQL: the pages would skip its row silently.
		p, err := s.nullKeys(ctx, scope)
		if err == nil && p != "" {
			err = errors.New(p)
		}
		if err != nil {
			return nil, s.redact(err)
		}
	}
	return &rows{src: s, sh: sh, scope: scope, after: b.after, from: b.from, to: b.to, toJSON: b.toJSON}, nil
}

// start finds the rows' shape and the bounds of the read from pos.
func (s *Source) start(ctx context.Context, scope string, pos decant.Position) (shape, bounds, error) {
	sh, err := s.probe(ctx, scope)
	if err != nil {
		return sh, bounds{}, s.redact(err)
	}
	b, err := decodePosition(pos, s.spec.ordered(), pick(sh.kinds, sh.ordered))
	return sh, b, err
}

// Size counts the rows after pos.
func (s *Source) Size(ctx context.Context, scope string, pos decant.Position) (int64, bool, error) {
	_, b, err := s.start(ctx, scope, pos)
	if err != nil {
		return 0, false, err
	}
	st := &statement{d: s.d}
	q, err := s.base(st, scope)
	if err != nil {
		return 0, false, err
	}
	q.within(st, s.spec.ordered(), b)
	q.cols = "COUNT(*)"
	var n int64
	if err := s.db.QueryRowContext(ctx, q.sql(s.d), st.args...).Scan(&n); err != nil {
		return 0, false, s.redact(fmt.Errorf("%s: count: %w", s.spec.what(), err))
	}
	return n, true, nil
}

// CheckSource tells what would stop a read for scope: a column decant
// cannot read, a key or cursor column the rows lack, a key that is not
// unique or is NULL. It reads every row's key (a GROUP BY), once.
func (s *Source) CheckSource(ctx context.Context, scope string) []string {
	if _, err := s.probe(ctx, scope); err != nil {
		return []string{s.redact(err).Error()}
	}
	var problems []string
	if p, err := s.duplicateKey(ctx, scope); err != nil || p != "" {
		problems = append(problems, cmp.Or(p, errText(err)))
	}
	if p, err := s.nullKeys(ctx, scope); err != nil || p != "" {
		problems = append(problems, cmp.Or(p, errText(err)))
	}
	return problems
}

// duplicateKey describes a key that two rows hold, "" when none does.
func (s *Source) duplicateKey(ctx context.Context, scope string) (string, error) {
	st := &statement{d: s.d}
	q, err := s.base(st, scope)
	if err != nil {
		return "", err
	}
	keys := q.refs(s.d, s.spec.Key)
	list := strings.Join(keys, ", ")
	q.cols = list + ", COUNT(*)"
	text := q.sql(s.d) + " GROUP BY " + list + " HAVING COUNT(*) > 1"
	rows, err := s.db.QueryContext(ctx, text, st.args...)
	if err != nil {
		return "", fmt.Errorf("%s: looking for keys held twice: %w", s.spec.what(), err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "", rows.Err()
	}
	dest := make([]any, len(keys)+1)
	vals := make([]any, len(dest))
	for i := range dest {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return "", err
	}
	key := make([]string, len(keys))
	for i, v := range vals[:len(keys)] {
		key[i] = textOf(v)
	}
	return fmt.Sprintf("the key %s of %s is not unique: %d rows hold %s; a keyset read would skip rows, so name columns that are unique together (key: \"a, b\")",
		strings.Join(s.spec.Key, ", "), s.spec.what(), vals[len(keys)], strings.Join(key, ", ")), nil
}

// nullKeys describes the rows whose key or cursor is NULL, "" when none is.
// One query counts them (COUNT(*) - COUNT(c) is the NULLs of c), among
// the rows where one is NULL, which an index on the columns finds.
func (s *Source) nullKeys(ctx context.Context, scope string) (string, error) {
	st := &statement{d: s.d}
	q, err := s.base(st, scope)
	if err != nil {
		return "", err
	}
	cols := s.spec.ordered()
	refs := q.refs(s.d, cols)
	counts := []string{"COUNT(*)"}
	var isNull []string
	for _, c := range refs {
		counts = append(counts, "COUNT("+c+")")
		isNull = append(isNull, c+" IS NULL")
	}
	q.cols = strings.Join(counts, ", ")
	q.conds = append(q.conds, "("+strings.Join(isNull, " OR ")+")")
	n := make([]int64, len(counts))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := s.db.QueryRowContext(ctx, q.sql(s.d), st.args...).Scan(dest...); err != nil {
		return "", fmt.Errorf("%s: counting NULL keys: %w", s.spec.what(), err)
	}
	var problems []string
	for i, c := range cols {
		if nulls := n[0] - n[i+1]; nulls > 0 {
			problems = append(problems, s.nullProblem(c, nulls))
		}
	}
	return strings.Join(problems, "; "), nil
}

// nullProblem says that nulls rows have NULL in column c, and how to read
// the others.
func (s *Source) nullProblem(c string, nulls int64) string {
	return fmt.Sprintf("%d rows of %s have NULL in %s, which a keyset read cannot place and would skip; %s",
		nulls, s.spec.what(), c, s.spec.nullFix(c))
}

func pick[T any](all []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = all[j]
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return decant.RedactText(err.Error())
}
