package postgres

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/stdlib"
)

// OpenDB opens the database at url as a database/sql handle through pgx's
// stdlib driver, reading url as [ParseConfig] does (and so as [Open] does):
// TLS is verified by default for a host that is not local, and the
// password never appears in its errors. It is the one way decant opens a
// PostgreSQL database for database/sql: `decant db` and `decant snapshot`
// use it through migrations.Open. OpenDB does not connect; the first use
// does.
func OpenDB(url string) (*sql.DB, error) {
	pc, err := ParseConfig(url)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*pc.ConnConfig), nil
}

// IsDB reports whether db is a PostgreSQL handle: one opened with pgx's
// stdlib driver, by OpenDB or by sql.Open("pgx", ...).
func IsDB(db *sql.DB) bool {
	_, ok := db.Driver().(*stdlib.Driver)
	return ok
}

// tableExistsSQL tells whether a table is visible by its unquoted name
// through the search path, as an unqualified name in a query would find it.
const tableExistsSQL = "SELECT to_regclass(quote_ident($1)) IS NOT NULL"

// TableExists reports whether db has a table (or view) named name, found
// through the search path as an unqualified name in a query would be. It
// creates nothing.
func TableExists(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var ok bool
	err := db.QueryRowContext(ctx, tableExistsSQL, name).Scan(&ok)
	return ok, err
}
