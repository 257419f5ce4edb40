// Package mysql is decant's source for MariaDB and MySQL tables and
// queries: a keyset read in key (or cursor, then key) order, resumable
// after the last key read. Its plan options are [Options].
package mysql

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sqlread"
)

// Schemes are the URL schemes the source reads.
var Schemes = []string{"mysql", "mariadb"}

// Source reads a MariaDB or MySQL table or query.
type Source = sqlread.Source

// Open returns a source reading the database of rawURL
// (mysql://user:password@host:port/database?param=value; a password with
// special characters is URL-escaped) with options o, for records keyed by
// the columns key names ("id" or "region, id") and ordered first by the
// cursor column when there is one. Opening connects to nothing.
func Open(rawURL, key, cursor string, o *Options) (*Source, error) {
	return sqlread.Open(dialect, rawURL, (*sqlread.Options)(o), key, cursor, func() (*sql.DB, error) {
		cfg, err := Config(rawURL)
		if err != nil {
			return nil, err
		}
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, fmt.Errorf("mysql: %s: %w", decant.RedactURL(rawURL), err)
		}
		return sql.OpenDB(conn), nil
	})
}

// Config is the driver's configuration for a mysql:// URL. The query's
// parameters are the driver's (tls=true, ...). Dates and times are read
// as the server's text, in a session whose time zone is UTC, so that a
// TIMESTAMP is an instant.
func Config(rawURL string) (*mysql.Config, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !isScheme(u.Scheme) || u.Host == "" {
		return nil, fmt.Errorf("mysql: %s is not a mysql://user:password@host:port/database URL (escape special characters of the password: @ is %%40, / is %%2F, # is %%23)",
			decant.RedactURL(rawURL))
	}
	cfg, err := mysql.ParseDSN("tcp(" + u.Host + ")/" + strings.TrimPrefix(u.Path, "/") + "?" + u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("mysql: %s: %w", decant.RedactURL(rawURL), err)
	}
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.ParseTime = false
	cfg.Loc = time.UTC
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	return cfg, nil
}

func isScheme(s string) bool {
	for _, x := range Schemes {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}
