package sqlite

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/decanthq/decant/internal/sqlread"
)

// SourceOptions are a SQLite source's options as a plan writes them under
// a step's from (docs/plan.md, "Relational databases").
type SourceOptions sqlread.Options

// ReadsInChunks is true: a step may read the source with parallel: N
// (plan.ChunkedOptions).
func (o *SourceOptions) ReadsInChunks() bool { return true }

// Validate checks the options on their own, each error a
// *decant.OptionError naming the option.
func (o *SourceOptions) Validate() error { return (*sqlread.Options)(o).Validate(sourceDialect) }

// Source reads a SQLite table or query: a keyset read in key (or cursor,
// then key) order, resumable after the last key read. It opens the file
// read-only.
type Source = sqlread.Source

// OpenSource returns a source reading the SQLite file at path (PATH,
// sqlite:PATH) with options o, for records keyed by the columns key names
// ("id" or "region, id") and ordered first by the cursor column when
// there is one. The file must exist; it is opened read-only. The
// target's ?synchronous= option is taken and has no effect.
func OpenSource(path, key, cursor string, o *SourceOptions) (*Source, error) {
	return sqlread.Open(sourceDialect, path, (*sqlread.Options)(o), key, cursor, func() (*sql.DB, error) {
		// The target's synchronous option may stay on a connection that
		// is read too: a read-only reader has nothing to sync.
		file, _, err := targetPath(path)
		if err != nil {
			return nil, err
		}
		if err := mustExist(file); err != nil {
			return nil, err
		}
		return sql.Open("sqlite", "file:"+uriPath.Replace(file)+"?mode=ro&_pragma=busy_timeout(10000)")
	})
}

// sourceDialect is how SQLite spells what sqlread builds: double-quoted
// names, ?NNN placeholders and row values (SQLite 3.15 and later).
var sourceDialect = &sqlread.Dialect{
	Name:      "SQLite",
	Quote:     '"',
	Mark:      func(n int) string { return fmt.Sprintf("?%d", n) },
	RowValues: true,
	Kind:      sourceKind,
	AsStored:  declaredTime,
}

// declaredTime reports a column declared DATE, DATETIME or TIMESTAMP,
// whose text the driver would turn into a time: the read keeps the text
// as stored, to compare and resume on it exactly.
func declaredTime(ct *sql.ColumnType) bool {
	switch strings.ToUpper(ct.DatabaseTypeName()) {
	case "DATE", "DATETIME", "TIMESTAMP":
		return true
	}
	return false
}

// sourceKind reads a value by its own type, as SQLite stores it, except
// in a column declared JSON, whose text is read as the JSON it holds:
// SQLite's types belong to values, not to columns, so no column is one
// decant cannot read.
func sourceKind(ct *sql.ColumnType) (sqlread.Kind, bool) {
	if strings.EqualFold(strings.TrimSpace(ct.DatabaseTypeName()), "JSON") {
		return sqlread.KindJSON, true
	}
	return sqlread.KindAny, true
}
