package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/decanthq/decant/internal/sqlread"
)

// dialect is how MariaDB and MySQL spell what sqlread builds: backquoted
// names, ? placeholders, backslash escapes and # comments. They have row
// values, but MariaDB reads (a, b) > (?, ?) by scanning the index from
// its start, which makes a composite key's read quadratic: the comparison
// is spelled out with OR, which it reads as a range. Every page binds an
// argument, so that every row comes in the binary protocol, where a FLOAT
// keeps its digits (BindAlways).
var dialect = &sqlread.Dialect{
	Name:             "MariaDB/MySQL",
	ZeroDates:        true,
	Quote:            '`',
	Mark:             func(int) string { return "?" },
	RowValues:        false,
	BackslashEscapes: true,
	HashComments:     true,
	BindAlways:       true,
	Kind:             kind,
	Unordered:        unordered,
	DoubleType:       "DOUBLE",
	JSONColumns:      jsonColumns,
}

// kinds maps the driver's type names (ColumnType.DatabaseTypeName) to how
// their values are read; docs/plan.md lists the same.
var kinds = map[string]sqlread.Kind{
	"TINYINT": sqlread.KindInt, "SMALLINT": sqlread.KindInt, "MEDIUMINT": sqlread.KindInt,
	"INT": sqlread.KindInt, "BIGINT": sqlread.KindInt, "YEAR": sqlread.KindInt,
	"UNSIGNED TINYINT": sqlread.KindInt, "UNSIGNED SMALLINT": sqlread.KindInt, "UNSIGNED MEDIUMINT": sqlread.KindInt,
	"UNSIGNED INT": sqlread.KindInt, "UNSIGNED BIGINT": sqlread.KindInt,
	"DECIMAL": sqlread.KindDecimal,
	"FLOAT":   sqlread.KindFloat32, "DOUBLE": sqlread.KindFloat,
	"BIT":  sqlread.KindBit,
	"CHAR": sqlread.KindText, "VARCHAR": sqlread.KindText, "TINYTEXT": sqlread.KindText, "TEXT": sqlread.KindText,
	"MEDIUMTEXT": sqlread.KindText, "LONGTEXT": sqlread.KindText, "ENUM": sqlread.KindText, "SET": sqlread.KindText,
	"NULL":   sqlread.KindText,
	"BINARY": sqlread.KindBinary, "VARBINARY": sqlread.KindBinary, "TINYBLOB": sqlread.KindBinary, "BLOB": sqlread.KindBinary,
	"MEDIUMBLOB": sqlread.KindBinary, "LONGBLOB": sqlread.KindBinary,
	"JSON":     sqlread.KindJSON,
	"DATE":     sqlread.KindDate,
	"DATETIME": sqlread.KindDateTime, "TIMESTAMP": sqlread.KindTimestamp, "TIME": sqlread.KindTime,
}

func kind(ct *sql.ColumnType) (sqlread.Kind, bool) {
	k, ok := kinds[ct.DatabaseTypeName()]
	return k, ok
}

// jsonCheck finds the column of MariaDB's JSON type in its CHECK clause:
// MariaDB's JSON is LONGTEXT with CHECK (json_valid(`col`)), and the
// driver sees LONGTEXT.
var jsonCheck = regexp.MustCompile("json_valid\\(`((?:[^`]|``)+)`\\)")

// errUnknownColumn is the server's error number for a column that is not
// there (ER_BAD_FIELD_ERROR).
const errUnknownColumn = 1054

// jsonColumns names the columns of table that MariaDB declared JSON.
// MySQL has a JSON type of its own, which the driver names, and no
// TABLE_NAME in CHECK_CONSTRAINTS: the query then fails, and finds none.
func jsonColumns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	schema, name, qualified := strings.Cut(table, ".")
	q := "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?"
	args := []any{table}
	if qualified {
		q = "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?"
		args = []any{schema, name}
	}
	rows, err := db.QueryContext(ctx, q, args...)
	var unknownColumn *mysql.MySQLError
	if errors.As(err, &unknownColumn) && unknownColumn.Number == errUnknownColumn {
		return nil, nil // MySQL: see above
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var clause string
		if err := rows.Scan(&clause); err != nil {
			return nil, err
		}
		for _, m := range jsonCheck.FindAllStringSubmatch(clause, -1) {
			cols = append(cols, strings.ReplaceAll(m[1], "``", "`"))
		}
	}
	return cols, rows.Err()
}

// unordered refuses ENUM and SET keys and cursors: MariaDB/MySQL sort
// them by their place in the list but compare them with a bound value as
// text, so the rows after a position are not those that sort after it.
func unordered(ct *sql.ColumnType) string {
	switch t := ct.DatabaseTypeName(); t {
	case "ENUM", "SET":
		return fmt.Sprintf("%s, which MariaDB/MySQL sort by its place in the list of values but compare with a value as text, so a keyset read would skip rows; "+
			"read it as text in a query (CAST(%s AS CHAR) AS %s)", t, ct.Name(), ct.Name())
	}
	return ""
}
