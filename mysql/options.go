package mysql

import (
	"github.com/decanthq/decant/internal/sqlread"
)

// What from.zero_dates may say.
const (
	// ZeroDatesError fails the record of a row holding a zero date,
	// naming the column and the key (the default).
	ZeroDatesError = sqlread.ZeroDatesError
	// ZeroDatesNull reads a zero date as NULL.
	ZeroDatesNull = sqlread.ZeroDatesNull
)

// Options are a MariaDB/MySQL source's options as a plan writes them
// under a step's from (docs/plan.md, "Relational databases"): table or
// query, columns, where, params, page_size, json_columns and zero_dates.
type Options sqlread.Options

// ReadsInChunks is true: a step may read the source with parallel: N
// (plan.ChunkedOptions).
func (o *Options) ReadsInChunks() bool { return true }

// Validate checks the options on their own, reading SQL as MariaDB does,
// each error a *decant.OptionError naming the option.
func (o *Options) Validate() error { return (*sqlread.Options)(o).Validate(dialect) }
