package postgres

import (
	"database/sql"
	"strconv"
	"strings"

	"github.com/decanthq/decant/internal/sqlread"
)

// SourceOptions are a PostgreSQL source's options as a plan writes them
// under a step's from (docs/plan.md, "Relational databases").
type SourceOptions sqlread.Options

// ReadsInChunks is true: a step may read the source with parallel: N
// (plan.ChunkedOptions).
func (o *SourceOptions) ReadsInChunks() bool { return true }

// Validate checks the options on their own, each error a
// *decant.OptionError naming the option.
func (o *SourceOptions) Validate() error { return (*sqlread.Options)(o).Validate(sourceDialect) }

// Source reads a PostgreSQL table or query: a keyset read in key (or
// cursor, then key) order, resumable after the last key read.
type Source = sqlread.Source

// OpenSource returns a source reading the database at url (read as
// [ParseConfig] does: TLS verified for a host that is not local) with
// options o, for records keyed by the columns key names ("id" or
// "region, id") and ordered first by the cursor column when there is one.
// Opening connects to nothing.
func OpenSource(url, key, cursor string, o *SourceOptions) (*Source, error) {
	return sqlread.Open(sourceDialect, url, (*sqlread.Options)(o), key, cursor, func() (*sql.DB, error) { return OpenDB(url) })
}

// sourceDialect is how PostgreSQL spells what sqlread builds: double-quoted
// names (as written: a name is folded to lower case only unquoted), $n
// placeholders and row values.
var sourceDialect = &sqlread.Dialect{
	Name:       "PostgreSQL",
	Quote:      '"',
	Mark:       func(n int) string { return "$" + strconv.Itoa(n) },
	RowValues:  true,
	Kind:       sourceKind,
	DoubleType: "double precision",
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
