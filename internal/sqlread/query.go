package sqlread

import (
	"strconv"
	"strings"
)

// statement is one SELECT being built, with its parameters numbered in
// the order they appear.
type statement struct {
	d    *Dialect
	n    int
	args []any
}

func (st *statement) mark() string {
	st.n++
	return st.d.Mark(st.n)
}

// query is a read's SELECT: which columns, from what, on which conditions
// (ANDed), ordered by, and at most limit rows (0: no limit). qual
// qualifies the names of conditions and order: the table, or the derived
// table of a query.
type query struct {
	cols    string
	from    string
	qual    string
	conds   []string
	orderBy []string
	limit   int
	// offset skips the first rows (0: none). Pages never use it; the plan
	// of a parallel read's chunks does, once per chunk.
	offset int
}

// ref is the qualified name of column c.
func (q *query) ref(d *Dialect, c string) string { return q.qual + "." + d.Ident(c) }

// refs are the qualified names of cols.
func (q *query) refs(d *Dialect, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = q.ref(d, c)
	}
	return out
}

// selectAs selects the columns of sh, those sh.asStored says as +column.
func (q *query) selectAs(d *Dialect, sh shape) {
	if len(sh.asStored) == 0 {
		return
	}
	list := make([]string, len(sh.cols))
	for i, c := range sh.cols {
		list[i] = q.ref(d, c)
		if sh.asStored[i] {
			list[i] = "+" + list[i] + " AS " + d.Ident(c)
		}
	}
	q.cols = strings.Join(list, ", ")
}

// base is the select of the rows s reads with their columns, for scope:
// the table's (its columns and where) or the plan's query, as a derived
// table.
func (s *Source) base(st *statement, scope string) (query, error) {
	b, err := bind(s.spec.sql(), s.spec.Params, s.d, st.mark)
	if err != nil {
		return query{}, err
	}
	st.args = append(st.args, b.args(scope, s.spec.Params)...)
	if s.spec.Query != "" {
		// The line break ends a comment the query may end with.
		return query{cols: "*", from: "(" + b.text + "\n) decant_q", qual: "decant_q"}, nil
	}
	q := query{cols: "*", from: s.d.Table(s.spec.Table), qual: s.d.Table(s.spec.Table)}
	if len(s.spec.Columns) > 0 {
		q.cols = strings.Join(q.refs(s.d, s.spec.Columns), ", ")
	}
	if b.text != "" {
		q.conds = append(q.conds, "("+b.text+"\n)")
	}
	return q, nil
}

// after adds the condition that the ordered columns come after vals.
func (q *query) after(st *statement, cols []string, vals []any) {
	if vals == nil {
		return
	}
	q.conds = append(q.conds, st.d.after(q.refs(st.d, cols), st.mark))
	st.args = append(st.args, st.d.afterArgs(vals)...)
}

// within adds the conditions that the ordered columns cols come after
// b.after (else at or after b.from) and before b.to, each when set.
func (q *query) within(st *statement, cols []string, b bounds) {
	q.after(st, cols, b.after)
	refs := q.refs(st.d, cols)
	if b.after == nil && b.from != nil {
		q.conds = append(q.conds, st.d.compare(refs, ">=", ">", st.mark))
		st.args = append(st.args, st.d.afterArgs(b.from)...)
	}
	if b.to != nil {
		q.conds = append(q.conds, st.d.compare(refs, "<", "<", st.mark))
		st.args = append(st.args, st.d.afterArgs(b.to)...)
	}
}

// bindOne binds an argument when the query has none and the dialect
// asks for one ([Dialect.BindAlways]): a condition always true.
func (q *query) bindOne(st *statement) {
	if len(st.args) == 0 && st.d.BindAlways {
		q.conds = append(q.conds, "1 = "+st.mark())
		st.args = append(st.args, 1)
	}
}

func (q *query) sql(d *Dialect) string {
	var b strings.Builder
	b.WriteString("SELECT " + q.cols + " FROM " + q.from)
	if len(q.conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(q.conds, " AND "))
	}
	if len(q.orderBy) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(q.refs(d, q.orderBy), ", "))
	}
	if q.limit > 0 {
		if d.Limit != nil {
			b.WriteString(" " + d.Limit(q.limit))
		} else {
			b.WriteString(" LIMIT " + strconv.Itoa(q.limit))
		}
	}
	if q.offset > 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(q.offset))
	}
	return b.String()
}

// PageSQL is the query, and its arguments, of the page of table's rows
// that come after the values after of the columns ordered, as a read of
// the table asks for it: for a dialect's tests to EXPLAIN it.
func (d *Dialect) PageSQL(table string, ordered []string, after []any, limit int) (string, []any) {
	st := &statement{d: d}
	q := query{cols: "*", from: d.Table(table), qual: d.Table(table), orderBy: ordered, limit: limit}
	q.after(st, ordered, after)
	return q.sql(d), st.args
}
