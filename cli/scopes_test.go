package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// Ensure a list of scopes is checked before anything runs (exit 2): a
// scope with a space or a quote names its file and line, a duplicate
// names both lines, and --scope with --scopes, --parallel without
// --scopes, an empty :a::b and a missing file are refused.
func TestScopeListErrors(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	list := func(text string) string {
		path := filepath.Join(t.TempDir(), "scopes.txt")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	spaced := list("# tenants\nacme\n\nbig co\n")
	dup := list("acme\nbeta # the second\n\nacme\n")
	quote := list("x'y\n")
	empty := list("# nothing\n\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"space", []string{"migrate", "--scopes", spaced}, spaced + `:4: scope "big co": a scope of a list holds letters`},
		{"duplicate", []string{"verify", "--scopes", dup}, dup + ":4: scope acme is given twice (first at line 1): remove one"},
		{"quote", []string{"status", "--scopes", quote}, quote + `:1: scope "x'y"`},
		{"empty file", []string{"stats", "--scopes", empty}, "the file names no scope"},
		{"empty in list", []string{"migrate", "--scopes", ":a::b"}, "--scopes :a::b: scope 2: empty scope"},
		{"duplicate in list", []string{"migrate", "--scopes", ":a:b:a"}, "--scopes :a:b:a: scope 3: scope a is given twice (first at scope 1)"},
		{"with --scope", []string{"migrate", "--scope", "x", "--scopes", ":a:b"}, "--scope x and --scopes :a:b: give one of the two"},
		{"parallel alone", []string{"verify", "--parallel", "3"}, "--parallel 3 runs several scopes at once: give them with --scopes"},
		{"missing file", []string{"migrate", "--scopes", "nope.txt"}, "--scopes nope.txt: open nope.txt: no such file"},
		{"follow one by one", []string{"migrate", "--scopes", ":a:b", "--follow"}, "--follow with --scopes runs every scope at once, each following its source: give --parallel 2"},
		{"live one by one", []string{"migrate", "--scopes", ":a:b", "--live"}, "--live with --scopes runs every scope at once, each following its source: give --parallel 2"},
	} {
		r := run(t, append(c.args, "-c", s.plan)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: want exit 2 and %q:\n%s", c.name, c.want, r)
		}
	}
	if s.count(t, "sqlite_master WHERE name LIKE 'decant%'") != "0" {
		t.Error("a refused list of scopes created decant's state tables")
	}
}

// domainFeed serves each domain's forms as an HTTP feed filtered by the
// query parameter domain: a has forms 1-3, b 4-6, c 7-9; an unknown
// domain has none, and domain "bad" answers 404.
func domainFeed(t *testing.T) string {
	forms := map[string][]int{"a": {1, 2, 3}, "b": {4, 5, 6}, "c": {7, 8, 9}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		domain := r.URL.Query().Get("domain")
		if domain == "bad" {
			http.Error(w, "no such domain", http.StatusNotFound)
			return
		}
		after, _ := strconv.Atoi(r.URL.Query().Get("timestamp"))
		page := []map[string]any{}
		for _, id := range forms[domain] {
			if id > after {
				page = append(page, map[string]any{"id": id, "seq": id, "name": fmt.Sprintf("form %d of %s", id, domain)})
			}
		}
		json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// scopesPlan writes a plan that moves every domain's forms, read from
// feed with ?domain=${scope}, into one shared table of target, whose
// verify keeps to the scope's rows with domain = ${scope}, and whose setup
// records each scope that ran in tenants.
func scopesPlan(t *testing.T, feed, target string) string {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("schema.sql", `CREATE TABLE IF NOT EXISTS forms (id bigint PRIMARY KEY, domain text NOT NULL, name text);
CREATE TABLE IF NOT EXISTS tenants (name text PRIMARY KEY);
INSERT INTO tenants (name) VALUES (${scope}) ON CONFLICT DO NOTHING;
`)
	write("decant.yaml", fmt.Sprintf(`version: 1
connections:
  feed: %s/forms?domain=${scope}
  target: '%s'
setup: [schema.sql]
steps:
  - name: forms
    from: {connection: feed, key: id, cursor: seq, retries: 0}
    key: id
    to: {table: forms}
    verify: {where: "domain = ${scope}"}
    map: {id: record.id, domain: '${scope}', name: record.name}
`, feed, target))
	return filepath.Join(dir, "decant.yaml")
}

// scopeResults decodes the --json array of a --scopes run.
type scopeResults []struct {
	Scope  string          `json:"scope"`
	OK     bool            `json:"ok"`
	Error  string          `json:"error"`
	Result json.RawMessage `json:"result"`
}

// Ensure three scopes migrate into one shared table, one after another
// and three at once, each reading its own domain (${scope} in the feed's
// URL), each verified clean against its own rows only (${scope} bound in
// verify's where): without the where, the other scopes' rows would be
// extra. Each scope prints its summary prefixed by its name, and the last
// line counts them. Both stores take several scopes at once: each has its
// own connections, and PostgreSQL's setup scripts take a lock.
func TestScopesMigrateAndVerify(t *testing.T) {
	t.Parallel()
	feed := domainFeed(t)
	for _, c := range []struct{ store, parallel string }{{"postgres", "1"}, {"postgres", "3"}, {"sqlite", "1"}, {"sqlite", "3"}} {
		parallel := c.parallel
		t.Run(c.store+" parallel "+parallel, func(t *testing.T) {
			t.Parallel()
			url := testenv.SQLite(t)
			if c.store == "postgres" {
				url = testenv.Postgres(t)
			}
			plan := scopesPlan(t, feed, url)
			r := mustRun(t, "migrate", "-c", plan, "--scopes", ":a:b:c", "--parallel", parallel)
			for _, want := range []string{"a: forms  3 ", "b: ok (", "c: scope c", "3 of 3 scopes succeeded\n"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("migrate output lacks %q:\n%s", want, r)
				}
			}
			if got := queryRows(t, url, "SELECT domain, count(*) FROM forms GROUP BY domain ORDER BY domain"); got != "a 3\nb 3\nc 3" {
				t.Errorf("forms by domain:\n%s", got)
			}
			if got := queryRows(t, url, "SELECT name FROM tenants ORDER BY name"); got != "a\nb\nc" {
				t.Errorf("tenants the setup recorded:\n%s", got)
			}
			var res scopeResults
			decodeJSON(t, mustRun(t, "verify", "-c", plan, "--scopes", ":a:b:c", "--parallel", parallel, "--json"), &res)
			if len(res) != 3 {
				t.Fatalf("verify --json: %d results, want 3", len(res))
			}
			for i, want := range []string{"a", "b", "c"} {
				var v struct {
					Clean bool `json:"clean"`
					Steps []struct {
						Checked, OK, Extra int
					} `json:"steps"`
				}
				if err := json.Unmarshal(res[i].Result, &v); err != nil {
					t.Fatal(err)
				}
				if res[i].Scope != want || !res[i].OK || !v.Clean || v.Steps[0].OK != 3 || v.Steps[0].Extra != 0 {
					t.Errorf("verify of scope %s: %+v %s", want, res[i], res[i].Result)
				}
			}
		})
	}
}

// Ensure a scope whose source fails does not stop the others: they
// migrate, the failing one is reported on its line and in the last one,
// and the exit status is 1; --json gives ok and error per scope.
func TestScopesOneFails(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	plan := scopesPlan(t, domainFeed(t), url)
	r := run(t, "migrate", "-c", plan, "--scopes", ":a:bad:c")
	if r.code != 1 || !strings.Contains(r.stderr, "decant: 2 of 3 scopes succeeded; failed: bad (") || !strings.Contains(r.stdout, "bad: FAILED: ") {
		t.Errorf("want exit 1, bad's failure on its line and in the last one:\n%s", r)
	}
	if got := queryRows(t, url, "SELECT domain, count(*) FROM forms GROUP BY domain ORDER BY domain"); got != "a 3\nc 3" {
		t.Errorf("forms by domain:\n%s", got)
	}
	r = run(t, "migrate", "-c", plan, "--scopes", ":bad:a", "--parallel", "2", "--json")
	var res scopeResults
	decodeJSON(t, r, &res)
	if r.code != 1 || len(res) != 2 || res[0].Scope != "bad" || res[0].OK || !strings.Contains(res[0].Error, "404") ||
		res[1].Scope != "a" || !res[1].OK || res[1].Error != "" {
		t.Errorf("--json of a failing scope:\n%s", r)
	}
}

// Ensure a scope is bound, never spliced, into verify's where: a scope
// that would widen "domain = ${scope}" to every row if it were text finds
// no row of the other scopes (no extra), and verify is clean.
func TestScopeBoundInVerifyWhere(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	plan := scopesPlan(t, domainFeed(t), url)
	mustRun(t, "migrate", "-c", plan, "--scopes", ":a:b")
	for _, scope := range []string{"x' OR '1'='1", "x OR true"} {
		r := run(t, "verify", "-c", plan, "--scope", scope, "--json")
		var v struct {
			Clean bool `json:"clean"`
			Steps []struct {
				Checked, Extra int
			} `json:"steps"`
		}
		decodeJSON(t, r, &v)
		if r.code != 0 || !v.Clean || v.Steps[0].Checked != 0 || v.Steps[0].Extra != 0 {
			t.Errorf("verify --scope %q: want clean with nothing checked:\n%s", scope, r)
		}
	}
}

// Ensure a stop (what the first Ctrl-C does) during a --scopes migrate
// ends the running scopes as it ends a single scope's run, with success,
// and starts no other: those are reported as not run, and the exit
// status says not every scope succeeded. With --parallel 2, the scope
// that had not started when the stop came may be either.
func TestScopesStop(t *testing.T) {
	t.Parallel()
	for _, parallel := range []int{1, 2} {
		t.Run(fmt.Sprint("parallel ", parallel), func(t *testing.T) {
			t.Parallel()
			stop := make(chan struct{})
			var once sync.Once
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				once.Do(func() { close(stop) })
				w.Write([]byte(`[{"id": 1, "seq": 1, "name": "x"}]`))
			}))
			t.Cleanup(srv.Close)
			plan := scopesPlan(t, srv.URL, testenv.SQLite(t))
			var out, errw bytes.Buffer
			o := cli.MigrateOpts{Common: cli.Common{Config: plan}, ScopeList: cli.ScopeList{Scopes: ":a:b:c", Parallel: parallel}, Stop: stop}
			res, err := cli.RunMigrateScopes(context.Background(), o, &out, &errw)
			var ee *cli.ExitError
			if !errors.As(err, &ee) || ee.Code != 1 || !strings.Contains(err.Error(), "c (not run: stopped (a signal) before it started; run it again)") {
				t.Errorf("RunMigrateScopes = %v, want exit 1 with c not run\n%s\n%s", err, out.String(), errw.String())
			}
			if len(res) != 3 || res[2].OK {
				t.Fatalf("results %+v: want c not run", res)
			}
			ok := 0
			for _, r := range res {
				switch {
				case r.OK:
					ok++
				case !strings.HasPrefix(r.Error, "not run: stopped"):
					t.Errorf("scope %s failed: %s; a stop ends a running scope with success", r.Scope, r.Error)
				}
			}
			if ok == 0 || (parallel == 1 && !res[0].OK) {
				t.Errorf("results %+v: want the running scope ok, stopped as a single scope is", res)
			}
		})
	}
}

// Ensure check pings a feed as the run of its --scope would: the scope
// is in the URL it asks, so a scope the feed does not know fails.
func TestCheckPingsTheScope(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	plan := scopesPlan(t, domainFeed(t), url)
	pgExec(t, url, "CREATE TABLE forms (id bigint PRIMARY KEY, domain text NOT NULL, name text)")
	mustRun(t, "check", "-c", plan, "--scope", "a")
	if r := run(t, "check", "-c", plan, "--scope", "bad"); r.code != 2 || !strings.Contains(r.stdout, "domain=bad") || !strings.Contains(r.stdout, "404") {
		t.Errorf("check --scope bad: want the feed's 404 for domain=bad:\n%s", r)
	}
}

// Ensure an abort (the second Ctrl-C) reaches every running scope: each
// ends as an aborted single scope does, with ErrAborted, and none starts
// after it.
func TestScopesAbort(t *testing.T) {
	t.Parallel()
	stop, abort := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(stop); close(abort) })
		time.Sleep(50 * time.Millisecond) // the abort lands while the page is read
		w.Write([]byte(`[{"id": 1, "seq": 1, "name": "x"}]`))
	}))
	t.Cleanup(srv.Close)
	plan := scopesPlan(t, srv.URL, testenv.SQLite(t))
	var out, errw bytes.Buffer
	o := cli.MigrateOpts{Common: cli.Common{Config: plan}, ScopeList: cli.ScopeList{Scopes: ":a:b"}, Stop: stop, Abort: abort}
	res, err := cli.RunMigrateScopes(context.Background(), o, &out, &errw)
	if err == nil || len(res) != 2 || res[0].OK || res[0].Error != cli.ErrAborted.Error() || !strings.HasPrefix(res[1].Error, "not run: stopped") {
		t.Errorf("RunMigrateScopes = %v, %+v; want a aborted and b not run\n%s", err, res, out.String())
	}
}

// Ensure each scope of a list takes its own lease: a scope another
// process is migrating fails on its line, naming the holder, and the
// other scopes migrate.
func TestScopesLeaseHeld(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	plan := scopesPlan(t, domainFeed(t), url)
	ctx := context.Background()
	st, err := postgres.Open(ctx, url, postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.AcquireLease(ctx, "b", decant.Holder{Host: "elsewhere", PID: 42, ID: "other"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	r := run(t, "migrate", "-c", plan, "--scopes", ":a:b:c", "--parallel", "3")
	if r.code != 1 || !strings.Contains(r.stderr, "2 of 3 scopes succeeded; failed: b (") || !strings.Contains(r.stdout, "b: FAILED: ") ||
		!strings.Contains(r.stdout, "elsewhere") {
		t.Errorf("want b refused, naming its holder, and a and c migrated:\n%s", r)
	}
	if got := queryRows(t, url, "SELECT domain, count(*) FROM forms GROUP BY domain ORDER BY domain"); got != "a 3\nc 3" {
		t.Errorf("forms by domain:\n%s", got)
	}
}

// Ensure reset takes a scope list: each scope's rows go, one after
// another, with --yes, which a list needs; a scope not in the list keeps
// its rows.
func TestScopesReset(t *testing.T) {
	t.Parallel()
	url := testenv.SQLite(t)
	plan := scopesPlan(t, domainFeed(t), url)
	mustRun(t, "migrate", "-c", plan, "--scopes", ":a:b:c")
	if r := run(t, "reset", "-c", plan, "--scopes", ":a:b"); r.code != 2 || !strings.Contains(r.stderr, "reset --scopes :a:b deletes every row those scopes wrote: confirm with --yes") {
		t.Errorf("reset --scopes without --yes:\n%s", r)
	}
	var res scopeResults
	decodeJSON(t, mustRun(t, "reset", "-c", plan, "--scopes", ":a:b", "--yes", "--json"), &res)
	if len(res) != 2 || res[0].Scope != "a" || !res[0].OK || res[1].Scope != "b" || !res[1].OK {
		t.Errorf("reset --scopes --json: %+v", res)
	}
	if got := queryRows(t, url, "SELECT domain, count(*) FROM forms GROUP BY domain ORDER BY domain"); got != "c 3" {
		t.Errorf("forms by domain after resetting a and b:\n%s", got)
	}
}
