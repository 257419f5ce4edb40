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

// query is a read's SELECT: of what, on which conditions (ANDed), ordered
// by, and at most limit rows (0: no limit).
type query struct {
	what    string
	conds   []string
	orderBy []string
	limit   int
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
		return query{what: "* FROM (" + b.text + "\n) decant_q"}, nil
	}
	cols := "*"
	if len(s.spec.Columns) > 0 {
		quoted := make([]string, len(s.spec.Columns))
		for i, c := range s.spec.Columns {
			quoted[i] = s.d.Ident(c)
		}
		cols = strings.Join(quoted, ", ")
	}
	q := query{what: cols + " FROM " + s.d.Table(s.spec.Table)}
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
	q.conds = append(q.conds, st.d.after(cols, st.mark))
	st.args = append(st.args, st.d.afterArgs(vals)...)
}

func (q *query) sql(d *Dialect) string {
	var b strings.Builder
	b.WriteString("SELECT " + q.what)
	if len(q.conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(q.conds, " AND "))
	}
	if len(q.orderBy) > 0 {
		quoted := make([]string, len(q.orderBy))
		for i, c := range q.orderBy {
			quoted[i] = d.Ident(c)
		}
		b.WriteString(" ORDER BY " + strings.Join(quoted, ", "))
	}
	if q.limit > 0 {
		if d.Limit != nil {
			b.WriteString(" " + d.Limit(q.limit))
		} else {
			b.WriteString(" LIMIT " + strconv.Itoa(q.limit))
		}
	}
	return b.String()
}
