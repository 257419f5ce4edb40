package sqlite

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sqlread"
)

// SourceOptions are a SQLite source's options as a plan writes them under
// a step's from (docs/plan.md, "Relational sources"): those of every
// relational source.
type SourceOptions = sqlread.Options

// Source reads a SQLite table or query: a keyset read in key (or cursor,
// then key) order, resumable after the last key read. It opens the file
// read-only.
type Source struct {
	*sqlread.Source
}

var (
	_ decant.Source        = (*Source)(nil)
	_ decant.Pinger        = (*Source)(nil)
	_ decant.Sizer         = (*Source)(nil)
	_ decant.SourceChecker = (*Source)(nil)
)

// OpenSource returns a source reading the SQLite file at path (PATH,
// sqlite:PATH) with options o, for records keyed by the columns key names
// ("id" or "region, id") and ordered first by the cursor column when
// there is one. The file must exist; it is opened read-only.
func OpenSource(path, key, cursor string, o *SourceOptions) (*Source, error) {
	if o == nil {
		o = &SourceOptions{}
	}
	spec, err := sqlread.NewSpec(*o, key, cursor)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	path, err = filePath(path)
	if err != nil {
		return nil, err
	}
	if err := mustExist(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &Source{sqlread.New(db, path, sourceDialect, spec, nil)}, nil
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
