package sqlread

import (
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// DefaultPageSize is how many rows one query reads when the plan does not
// say.
const DefaultPageSize = 1000

// Options are the options under a step's from that the relational
// sources read (docs/plan.md, "Relational databases"); each field's yaml
// tag is its key. Each source package defines its options type from it
// (mysql.Options, postgres.SourceOptions, sqlite.SourceOptions).
type Options struct {
	// Table is the table read, optionally qualified (schema.table).
	// Exactly one of Table and Query is set.
	Table string `yaml:"table"`
	// Columns are the columns of Table read; empty reads them all. They
	// must include the key and the cursor.
	Columns []string `yaml:"columns"`
	// Where is a condition on Table's rows, in the database's SQL; it may
	// use ${scope} and :name parameters.
	Where string `yaml:"where"`
	// Query is a SELECT whose rows are read instead of a table's; it may
	// use ${scope} and :name parameters.
	Query string `yaml:"query"`
	// Params are the values of the :name parameters of Where or Query,
	// bound as text, never put into the SQL.
	Params map[string]string `yaml:"params"`
	// PageSize is how many rows one query reads (default 1000).
	PageSize int `yaml:"page_size" min:"1"`
	// JSONColumns are text columns that hold JSON documents, read as JSON
	// values (columns of a JSON type are read so without being named).
	JSONColumns []string `yaml:"json_columns"`
	// ZeroDates is what a MariaDB/MySQL zero date (0000-00-00) becomes:
	// "error" (the default) or "null". Other databases have none.
	ZeroDates string `yaml:"zero_dates"`
}

// What Options.ZeroDates may say.
const (
	// ZeroDatesError fails the record of a row holding a zero date,
	// naming the column and the key.
	ZeroDatesError = "error"
	// ZeroDatesNull reads a zero date as NULL.
	ZeroDatesNull = "null"
)

// Validate checks the options on their own for a database that reads SQL
// as d says (MariaDB's backslash escapes and # comments); the key and
// cursor are checked by [NewSpec]. Errors are *decant.OptionError naming
// the option.
func (o *Options) Validate(d *Dialect) error {
	switch {
	case o.ZeroDates != "" && !d.ZeroDates:
		return &decant.OptionError{Option: "zero_dates", Err: fmt.Errorf("%s has no zero dates; only MariaDB and MySQL sources take this option", d.Name)}
	case o.ZeroDates != "" && o.ZeroDates != ZeroDatesError && o.ZeroDates != ZeroDatesNull:
		return &decant.OptionError{Option: "zero_dates", Err: fmt.Errorf("want %q or %q, not %q", ZeroDatesNull, ZeroDatesError, o.ZeroDates)}
	case o.Table == "" && o.Query == "":
		return &decant.OptionError{Option: "table", Err: fmt.Errorf("name the table to read (table: NAME) or give a query (query: SELECT ...)")}
	case o.Table != "" && o.Query != "":
		return &decant.OptionError{Option: "query", Err: fmt.Errorf("set table or query, not both")}
	case o.Query != "" && (o.Where != "" || len(o.Columns) > 0):
		return &decant.OptionError{Option: "query", Err: fmt.Errorf("where and columns go with table; put them in the query instead")}
	case decant.HasScopeRef(o.Table):
		return &decant.OptionError{Option: "table", Err: fmt.Errorf("a table name cannot take ${scope}, which is bound as a value; filter the scope's rows with where: tenant = ${scope}")}
	}
	for _, c := range slices.Concat(o.Columns, o.JSONColumns) {
		if strings.TrimSpace(c) == "" {
			return &decant.OptionError{Option: "columns", Err: fmt.Errorf("a column name is empty")}
		}
	}
	if _, err := bind(o.sql(), o.Params, d, func() string { return "?" }); err != nil {
		return &decant.OptionError{Option: o.sqlOption(), Err: err}
	}
	return nil
}

// sql is the SQL text the plan gives: the query, or the where condition.
func (o *Options) sql() string {
	if o.Query != "" {
		return o.Query
	}
	return o.Where
}

func (o *Options) sqlOption() string {
	if o.Query != "" {
		return "query"
	}
	return "where"
}

// Spec is what one source reads: its options with the step's key and
// cursor, checked together.
type Spec struct {
	Options
	// Key are the key columns, in order.
	Key []string
	// Cursor is the cursor column, "" for none.
	Cursor string
	// ZeroDatesNull reads MariaDB/MySQL zero dates as NULL instead of
	// failing their record.
	ZeroDatesNull bool
}

// NewSpec checks options o, for a database that reads SQL as d says, with
// the step's key and cursor. key names one column or several, separated
// by commas ("region, id").
func NewSpec(d *Dialect, o Options, key, cursor string) (Spec, error) {
	if err := o.Validate(d); err != nil {
		return Spec{}, err
	}
	s := Spec{Options: o, Key: ParseKey(key), Cursor: strings.TrimSpace(cursor), ZeroDatesNull: o.ZeroDates == ZeroDatesNull}
	if len(s.Key) == 0 {
		return s, fmt.Errorf("from.key must name the key column (key: id), or several (key: \"region, id\")")
	}
	if s.PageSize == 0 {
		s.PageSize = DefaultPageSize
	}
	if len(s.Columns) > 0 {
		for _, c := range s.ordered() {
			if !slices.Contains(s.Columns, c) {
				return s, &decant.OptionError{Option: "columns", Err: fmt.Errorf("the columns read must include %s, which the step's key or cursor names", c)}
			}
		}
	}
	return s, nil
}

// ParseKey splits a key option into its columns: "id" or "region, id".
func ParseKey(key string) []string {
	var cols []string
	for c := range strings.SplitSeq(key, ",") {
		if c = strings.TrimSpace(c); c != "" {
			cols = append(cols, c)
		}
	}
	return cols
}

// ordered are the columns a read is ordered by: the cursor, if any, then
// the key.
func (s *Spec) ordered() []string {
	if s.Cursor == "" {
		return s.Key
	}
	return append([]string{s.Cursor}, s.Key...)
}

// role names the option that names ordered column c: from.cursor or
// from.key.
func (s *Spec) role(c string) string {
	if c == s.Cursor {
		return "from.cursor"
	}
	return "from.key"
}

// nullFix says how to read the rows whose column c is not NULL.
func (s *Spec) nullFix(c string) string {
	filter := fmt.Sprintf("filter them out (where: %s IS NOT NULL)", c)
	if s.Query != "" {
		filter = fmt.Sprintf("filter them out (add %s IS NOT NULL to the query's WHERE)", c)
	}
	return fmt.Sprintf("%s, or read COALESCE(%s, ...) AS %s in a query", filter, c, c)
}

// what names what is read, for messages: "table orders" or "the query".
func (s *Spec) what() string {
	if s.Table != "" {
		return "table " + s.Table
	}
	return "the query"
}
