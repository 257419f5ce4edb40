package postgres

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

// tableError is a failed write to one target table, naming the column and
// row when the server says which.
type tableError struct {
	op     string // what was being done: "copy rows into", "upsert rows into", ...
	table  string
	column string
	row    string // the row's number among the table's rows of the batch
	err    error
}

func (e *tableError) Error() string {
	msg := e.op + " " + e.table
	if e.column != "" {
		msg += ": column " + e.column
	}
	if e.row != "" {
		msg += ", row " + e.row
	}
	return msg + ": " + e.err.Error()
}

func (e *tableError) Unwrap() error { return e.err }

// copyWhereRE reads the row and column out of a COPY error's context:
// `COPY people, line 3, column amount: "abc"`.
var copyWhereRE = regexp.MustCompile(`^COPY .+?, line (\d+)(?:, column ([^:]+))?`)

// translate turns a driver error of op on table into decant's terms: a
// missing table or column wraps decant.ErrNotFound, and the column and row
// the server blames are named. table is empty for the state tables.
func translate(op, table string, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if table == "" {
			return fmt.Errorf("%s: %w", op, err)
		}
		return &tableError{op: op, table: table, err: err}
	}
	switch pe.Code {
	case "42P01": // undefined_table
		err = fmt.Errorf("%s: %w", pe.Message, decant.ErrNotFound)
	case "42703": // undefined_column
		err = fmt.Errorf("%s: %w", pe.Message, decant.ErrNotFound)
	}
	if table == "" {
		return fmt.Errorf("%s: %w", op, err)
	}
	te := &tableError{op: op, table: table, column: pe.ColumnName, err: err}
	if m := copyWhereRE.FindStringSubmatch(pe.Where); m != nil {
		te.row = m[1]
		if te.column == "" {
			te.column = m[2]
		}
	}
	return te
}
