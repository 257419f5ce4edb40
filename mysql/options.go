package mysql

import (
	"fmt"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sqlread"
)

// What from.zero_dates may say.
const (
	// ZeroDatesError fails the record of a row holding a zero date,
	// naming the column and the key (the default).
	ZeroDatesError = "error"
	// ZeroDatesNull reads a zero date as NULL.
	ZeroDatesNull = "null"
)

// Options are a MariaDB/MySQL source's options as a plan writes them
// under a step's from (docs/plan.md, "Relational sources"); each field's
// yaml tag is its key. The fields but ZeroDates are those of every
// relational source.
type Options struct {
	// Table is the table read, optionally qualified (database.table).
	// Exactly one of Table and Query is set.
	Table string `yaml:"table"`
	// Columns are the columns of Table read; empty reads them all.
	Columns []string `yaml:"columns"`
	// Where is a condition on Table's rows; it may use ${scope} and :name.
	Where string `yaml:"where"`
	// Query is a SELECT read instead of a table; it may use ${scope} and :name.
	Query string `yaml:"query"`
	// Params are the values of the :name parameters, bound as text.
	Params map[string]string `yaml:"params"`
	// PageSize is how many rows one query reads (default 1000).
	PageSize int `yaml:"page_size" min:"1"`
	// JSONColumns are text columns read as JSON values.
	JSONColumns []string `yaml:"json_columns"`
	// ZeroDates is what a zero date (0000-00-00) becomes: "error" (the
	// default) or "null".
	ZeroDates string `yaml:"zero_dates"`
}

// common are the options every relational source reads.
func (o *Options) common() sqlread.Options {
	return sqlread.Options{Table: o.Table, Columns: o.Columns, Where: o.Where, Query: o.Query,
		Params: o.Params, PageSize: o.PageSize, JSONColumns: o.JSONColumns}
}

// Validate checks the options on their own, each error a
// *decant.OptionError naming the option.
func (o *Options) Validate() error {
	if o.ZeroDates != "" && o.ZeroDates != ZeroDatesError && o.ZeroDates != ZeroDatesNull {
		return &decant.OptionError{Option: "zero_dates", Err: fmt.Errorf("want %q or %q, not %q", ZeroDatesNull, ZeroDatesError, o.ZeroDates)}
	}
	c := o.common()
	return c.Validate()
}
