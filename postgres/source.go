package postgres

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sqlread"
)

// SourceOptions are a PostgreSQL source's options as a plan writes them
// under a step's from (docs/plan.md, "Relational sources"): those of
// every relational source.
type SourceOptions = sqlread.Options

// Source reads a PostgreSQL table or query: a keyset read in key (or
// cursor, then key) order, resumable after the last key read.
type Source struct {
	*sqlread.Source
}

var (
	_ decant.Source        = (*Source)(nil)
	_ decant.Pinger        = (*Source)(nil)
	_ decant.Sizer         = (*Source)(nil)
	_ decant.SourceChecker = (*Source)(nil)
)

// OpenSource returns a source reading the database at url (read as
// [ParseConfig] does: TLS verified for a host that is not local) with
// options o, for records keyed by the columns key names ("id" or
// "region, id") and ordered first by the cursor column when there is one.
// Opening connects to nothing.
func OpenSource(url, key, cursor string, o *SourceOptions) (*Source, error) {
	if o == nil {
		o = &SourceOptions{}
	}
	spec, err := sqlread.NewSpec(*o, key, cursor)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db, err := OpenDB(url)
	if err != nil {
		return nil, err
	}
	return &Source{sqlread.New(db, url, sourceDialect, spec, nil)}, nil
}

// sourceDialect is how PostgreSQL spells what sqlread builds: double-quoted
// names (as written: a name is folded to lower case only unquoted), $n
// placeholders and row values.
var sourceDialect = &sqlread.Dialect{
	Name:      "PostgreSQL",
	Quote:     '"',
	Mark:      func(n int) string { return "$" + strconv.Itoa(n) },
	RowValues: true,
	Kind:      sourceKind,
}

// sourceKinds maps pgx's type names to how their values are read;
// docs/plan.md lists the same.
var sourceKinds = map[string]sqlread.Kind{
	"INT2": sqlread.KindInt, "INT4": sqlread.KindInt, "INT8": sqlread.KindInt, "OID": sqlread.KindInt,
	"NUMERIC": sqlread.KindDecimal,
	"FLOAT4":  sqlread.KindFloat32, "FLOAT8": sqlread.KindFloat,
	"BOOL":  sqlread.KindBool,
	"BYTEA": sqlread.KindBinary,
	"JSON":  sqlread.KindJSON, "JSONB": sqlread.KindJSON,
	"DATE":      sqlread.KindDate,
	"TIMESTAMP": sqlread.KindDateTime, "TIMESTAMPTZ": sqlread.KindTimestamp, "TIME": sqlread.KindTime,
	"TEXT": sqlread.KindText, "VARCHAR": sqlread.KindText, "BPCHAR": sqlread.KindText, "NAME": sqlread.KindText,
	"UUID": sqlread.KindText, "TIMETZ": sqlread.KindText, "INTERVAL": sqlread.KindText, "BIT": sqlread.KindText,
	"VARBIT": sqlread.KindText, "INET": sqlread.KindText, "CIDR": sqlread.KindText, "MACADDR": sqlread.KindText,
	"XML": sqlread.KindText, "MONEY": sqlread.KindText, "CHAR": sqlread.KindText, "UNKNOWN": sqlread.KindText,
}

// sourceKind reads a column of a type pgx does not know (an enum, a
// domain: pgx names it by its number) as the text PostgreSQL gives.
func sourceKind(ct *sql.ColumnType) (sqlread.Kind, bool) {
	name := ct.DatabaseTypeName()
	if k, ok := sourceKinds[name]; ok {
		return k, true
	}
	if _, err := strconv.Atoi(name); err == nil && !strings.HasPrefix(name, "_") {
		return sqlread.KindText, true
	}
	return 0, false
}
