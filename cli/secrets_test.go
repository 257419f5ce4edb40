package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/sqlite"
)

// secretPassword holds every delimiter a URL parser knows; the issue's
// password is one of its forms.
const secretPassword = "Tr0ub@dor:x9Zq/#?%&="

// secretParts are the texts that must never be printed or stored: the
// password, its escaped form, and the pieces a parser could cut it into.
func secretParts(pw string) []string {
	parts := []string{pw, url.QueryEscape(pw), url.PathEscape(pw)}
	for _, p := range strings.FieldsFunc(pw, func(r rune) bool { return strings.ContainsRune("@:/#?%&=", r) }) {
		if len(p) >= 3 {
			parts = append(parts, p)
		}
	}
	return parts
}

// feedWithAuth serves records {id, n, v} newer than ?timestamp=, to a
// client that sends user feed and password pw; record "bad" has an n that
// is not a number, so it becomes a stored error.
func feedWithAuth(t *testing.T, pw string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "feed" || p != pw {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		since, _ := strconv.Atoi(r.URL.Query().Get("timestamp"))
		var out []map[string]any
		for i, id := range []string{"a", "b", "bad", "c"} {
			if v := i + 1; v > since {
				n := any(i)
				if id == "bad" {
					n = "not a number"
				}
				out = append(out, map[string]any{"id": id, "n": n, "v": v})
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Ensure no command that prints a URL shows the feed's password or token,
// whole, escaped or in part, on stdout, stderr or in --json, and that no
// decant_ table stores it.
func TestSecretsNeverShown_SQLite(t *testing.T) {
	t.Parallel()
	srv := feedWithAuth(t, secretPassword)
	host := strings.TrimPrefix(srv.URL, "http://")
	enc := url.UserPassword("feed", secretPassword).String()
	feed := fmt.Sprintf("http://%s@%s/feed?token=%s&sig=%s", enc, host, url.QueryEscape(secretPassword), url.QueryEscape(secretPassword))
	target := testenv.SQLite(t)
	st, err := sqlite.Open(context.Background(), strings.TrimPrefix(target, "sqlite:"), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.RunScript(context.Background(), "CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER)")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	cfg := writePlan(t, fmt.Sprintf(`version: 1
connections:
  feed: '%s'
  target: %s
steps:
  - name: items
    from: {connection: feed, key: id, cursor: v}
    key: id
    to: {table: items}
    map: {id: record.id, n: record.n}
    columns: {n: {type: int}}
`, feed, target))

	var all strings.Builder
	for _, args := range [][]string{
		{"check"}, {"check", "--json"},
		{"preview", "items", "-n", "5"}, {"preview", "items", "--json"},
		{"migrate"}, {"migrate", "--json"},
		{"status"}, {"status", "--json"},
		{"errors", "list"}, {"errors", "list", "--json"}, {"errors", "show", "1"}, {"errors", "show", "1", "--json"},
	} {
		r := run(t, append([]string{"-c", cfg}, args...)...)
		fmt.Fprintf(&all, "$ decant %s\n%s\n", strings.Join(args, " "), r)
	}
	out := all.String()
	if !strings.Contains(out, "feed:xxxxx@") || !strings.Contains(out, "token=xxxxx") {
		t.Errorf("the output never names the redacted feed URL; did the commands run?\n%s", hide(out))
	}
	if !strings.Contains(out, "3 written, 1 failed") || !strings.Contains(out, "cannot convert") {
		t.Errorf("migrate did not write 3 rows and store 1 error:\n%s", hide(out))
	}
	assertNoSecret(t, "output", out)
	assertNoSecret(t, "decant_ tables", sqliteDump(t, strings.TrimPrefix(target, "sqlite:")))
}

// Ensure the database commands (db status, snapshot save and list) and
// check, on PostgreSQL, show no password: neither from a reachable server
// nor in the driver's errors for an unreachable one, and that no decant_
// table or snapshot info.json stores it.
func TestSecretsNeverShown_Postgres(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	// A server that trusts local connections ignores the password.
	u.User = url.UserPassword(u.User.Username(), secretPassword)
	reachable := u.String()
	dir := t.TempDir()
	snapshots := filepath.Join(dir, "snapshots")
	migrations := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(migrations, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(migrations, "0001_orders.sql"), []byte("CREATE TABLE orders (id text PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Unreachable, with the password as a user types it: raw.
	raw := "postgres://app:" + secretPassword + "@127.0.0.1:1/w?connect_timeout=2"
	escaped := "postgres://" + url.UserPassword("app", secretPassword).String() + "@127.0.0.1:1/w?connect_timeout=2"

	var all strings.Builder
	for _, args := range [][]string{
		{"db", "up", "--database", reachable, "--dir", migrations},
		{"db", "status", "--database", reachable, "--dir", migrations},
		{"db", "status", "--json", "--database", reachable, "--dir", migrations},
		{"snapshot", "save", "s1", "--database", reachable, "--dir", snapshots, "--release", "1.0.0"},
		{"snapshot", "save", "s2", "--json", "--database", reachable, "--dir", snapshots, "--release", "1.0.0"},
		{"snapshot", "list", "--dir", snapshots}, {"snapshot", "list", "--json", "--dir", snapshots},
		{"-c", postgresPlan(t, reachable), "check"}, {"-c", postgresPlan(t, reachable), "migrate"},
		{"-c", postgresPlan(t, reachable), "status", "--json"},
		{"db", "status", "--database", raw, "--dir", migrations}, {"db", "status", "--database", escaped, "--dir", migrations},
		{"snapshot", "save", "s3", "--database", raw, "--dir", snapshots, "--release", "1.0.0"},
		{"snapshot", "save", "s4", "--json", "--database", escaped, "--dir", snapshots, "--release", "1.0.0"},
		{"-c", postgresPlan(t, raw), "check"}, {"-c", postgresPlan(t, escaped), "check", "--json"},
		{"-c", postgresPlan(t, escaped), "migrate"},
	} {
		r := run(t, args...)
		fmt.Fprintf(&all, "$ decant %s\n%s\n", hide(strings.Join(args, " ")), r)
	}
	out := all.String()
	if !strings.Contains(out, "saved snapshot s1") || !strings.Contains(out, "s2") || !strings.Contains(out, "connection refused") {
		t.Errorf("the commands did not run as expected:\n%s", hide(out))
	}
	assertNoSecret(t, "output", out)
	assertNoSecret(t, "decant_ tables", postgresDump(t, reachable))
	infos, _ := filepath.Glob(filepath.Join(snapshots, "*", "info.json"))
	if len(infos) == 0 {
		t.Errorf("no snapshot info.json in %s", snapshots)
	}
	for _, f := range infos {
		assertNoSecret(t, f, mustRead(t, f))
	}
}

// assertNoSecret fails if text holds any part of the secret password.
func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, p := range secretParts(secretPassword) {
		if strings.Contains(text, p) {
			t.Errorf("%s shows %q:\n%s", where, p, hide(text))
			return
		}
	}
}

// hide replaces the password in text, so a failing test does not print it.
func hide(text string) string {
	for _, p := range secretParts(secretPassword) {
		text = strings.ReplaceAll(text, p, "<SECRET>")
	}
	return text
}

// sqliteDump returns every row of every decant_ table of the database at
// path, as text.
func sqliteDump(t *testing.T, path string) string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	tables := testenv.Rows(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'decant%'")
	if len(tables) == 0 {
		t.Fatalf("no decant_ tables in %s", path)
	}
	var b strings.Builder
	for _, tb := range tables {
		fmt.Fprintf(&b, "%s: %v\n", tb, testenv.Rows(t, db, fmt.Sprintf("SELECT * FROM %q", tb)))
	}
	return b.String()
}

// postgresDump returns every row of every decant_ table of the database at
// url, as text.
func postgresDump(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_name LIKE 'decant%'")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("no decant_ tables")
	}
	var b strings.Builder
	for _, tb := range tables {
		rows, err := conn.Query(ctx, "SELECT t::text FROM "+tb+" t")
		if err != nil {
			t.Fatal(err)
		}
		vals, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %v\n", tb, vals)
	}
	return b.String()
}

// Fuzz the password of a target and a feed through check, with and without
// --json: raw as typed, and %-escaped. Neither form is ever printed.
func FuzzCheckHidesPassword(f *testing.F) {
	for _, pw := range []string{secretPassword, "Sec/ret", "Tr0ub@dor:x9Zq", "p#ss?w0rd", "50%zz/@:off", "p ss w0rd", "it's\"q`uo\\te", "?01=xy"} {
		f.Add(pw)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if distinct(pw) < 4 || strings.Contains(pw, "${") || strings.IndexFunc(pw, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
			return // simple ones appear by chance; ${ is the plan's own syntax; printable ASCII only
		}
		esc := url.UserPassword("app", pw).String()
		for _, userinfo := range []string{"app:" + pw, esc} {
			yamlQuote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
			cfg := writePlan(t, fmt.Sprintf(`version: 1
connections:
  feed: %s
  target: %s
steps:
  - name: s
    from: {connection: feed, key: id, cursor: v}
    key: id
    to: {table: t}
    map: {id: record.id}
`, yamlQuote("http://"+userinfo+"@127.0.0.1:1/feed?token="+url.QueryEscape(pw)),
				yamlQuote("postgres://"+userinfo+"@127.0.0.1:1/w?connect_timeout=1")))
			for _, args := range [][]string{{"check"}, {"check", "--json"}} {
				r := run(t, append([]string{"-c", cfg}, args...)...)
				out := r.stdout + r.stderr
				for _, form := range []string{pw, url.QueryEscape(pw), url.PathEscape(pw), strings.TrimPrefix(esc, "app:")} {
					if strings.Contains(out, form) {
						t.Fatalf("password %q: check %v shows %q:\n%s", pw, args, form, strings.ReplaceAll(out, form, "<SECRET>"))
					}
				}
			}
		}
	})
}

// distinct counts the different bytes of s.
func distinct(s string) int {
	seen := map[byte]bool{}
	for i := 0; i < len(s); i++ {
		seen[s[i]] = true
	}
	return len(seen)
}
