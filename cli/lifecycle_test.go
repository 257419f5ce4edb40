package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
)

// tenantFeed is a legacy application's feed of one tenant's people,
// paged by seq, which a test grows between rounds as the application
// writes.
type tenantFeed struct {
	mu   sync.Mutex
	recs []map[string]any
	url  string
}

func newTenantFeed(t *testing.T) *tenantFeed {
	f := &tenantFeed{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.Atoi(r.URL.Query().Get("timestamp"))
		size, _ := strconv.Atoi(r.URL.Query().Get("batch-size"))
		f.mu.Lock()
		page := []map[string]any{}
		for _, rec := range f.recs {
			if rec["seq"].(int) > after && len(page) < size {
				page = append(page, rec)
			}
		}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL + "/people"
	return f
}

// add appends people changed ago before now.
func (f *tenantFeed) add(ago time.Duration, ids ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.recs = append(f.recs, map[string]any{"id": id, "seq": len(f.recs) + 1, "name": "p" + strconv.Itoa(id),
			"modified": time.Now().Add(-ago).UTC().Format(time.RFC3339)})
	}
}

// tenant is a plan that migrates the feed's people to target, with a lag
// window of an hour.
type tenant struct {
	feed          *tenantFeed
	dir, plan, db string
}

func newTenant(t *testing.T, target string) *tenant {
	t.Helper()
	tn := &tenant{feed: newTenantFeed(t), dir: t.TempDir()}
	if target == "sqlite" {
		tn.db = "sqlite:" + filepath.Join(tn.dir, "target.db")
	} else {
		tn.db = testenv.Postgres(t)
	}
	tn.plan = filepath.Join(tn.dir, "decant.yaml")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(tn.dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("schema.sql", "CREATE TABLE IF NOT EXISTS people (id BIGINT PRIMARY KEY, name TEXT);\n")
	write("decant.yaml", `version: 1
connections:
  feed: `+tn.feed.url+`
  target: `+tn.db+`
setup: [schema.sql]
live: {lag: 1h, time: record.modified}
hooks:
  on_finish: {command: [sh, -c, 'echo fence up for $DECANT_SCOPE']}
steps:
  - name: people
    from: {connection: feed, key: id, cursor: seq, page_size: 2, retries: 0}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`)
	return tn
}

func bothTargets(t *testing.T, fn func(t *testing.T, target string)) {
	for _, target := range []string{"sqlite", "postgres"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			fn(t, target)
		})
	}
}

// liveRound runs migrate --live for the scope and stops it as its round
// ends, as a Ctrl-C would.
func (tn *tenant) liveRound(t *testing.T) string {
	t.Helper()
	stop := make(chan struct{})
	var once sync.Once
	prog := &rounds{onDone: func(engine.StepResult, int) { once.Do(func() { close(stop) }) }}
	o := cli.MigrateOpts{Common: cli.Common{Config: tn.plan, Scope: "acme"}, Live: true,
		Interval: 10 * time.Millisecond, Progress: prog, Stop: stop}
	var out bytes.Buffer
	if _, err := cli.RunMigrate(context.Background(), o, &out, &out); err != nil {
		t.Fatalf("migrate --live: %v\n%s", err, out.String())
	}
	return out.String()
}

// The runbook's path, new → migrating → live → finishing → finished →
// committed, with records arriving while live: the lag window keeps the
// record changed within the hour and every one after it out of the live
// rounds, a stop leaves the scope live, status shows the state, finish
// drains them under the fence and verifies, commit needs --yes off a
// terminal.
func TestLifecycleRunbook(t *testing.T) {
	t.Parallel()
	bothTargets(t, func(t *testing.T, target string) {
		tn := newTenant(t, target)
		tn.feed.add(3*time.Hour, 1, 2, 3)
		tn.feed.add(time.Minute, 4) // being edited
		out := tn.liveRound(t)
		if !strings.Contains(out, "(lag window from key 4)") || !strings.Contains(out, "scope acme: new → live (migrate --live)") {
			t.Errorf("migrate --live output:\n%s", out)
		}
		if got := queryRows(t, tn.db, "SELECT id FROM people ORDER BY id"); got != "1\n2\n3" {
			t.Errorf("after the live round the target holds %q, want 1..3", got)
		}
		r := mustRun(t, "status", "-c", tn.plan, "--scope", "acme")
		if !strings.Contains(r.stdout, "scope acme: live since ") {
			t.Errorf("status does not say live:\n%s", r)
		}
		tn.feed.add(2*time.Hour, 5) // older, but after 4
		tn.liveRound(t)
		if got := queryRows(t, tn.db, "SELECT count(*) FROM people"); got != "3" {
			t.Errorf("the second live round wrote past the lag window: %s people", got)
		}
		r = mustRun(t, "migrate", "--finish", "-c", tn.plan, "--scope", "acme")
		if !strings.Contains(r.stdout, "scope acme: live → finished (migrate --finish): clean: 5 keys checked") ||
			!strings.Contains(r.stderr, "hook on_finish of scope acme: ok") || !strings.Contains(r.stderr, "  | fence up for acme") {
			t.Errorf("migrate --finish:\n%s", r)
		}
		r = run(t, "commit", "-c", tn.plan, "--scope", "acme")
		if r.code != 2 || !strings.Contains(r.stderr, "commit of scope acme is final and cannot be undone: give --yes") {
			t.Errorf("commit without --yes off a terminal:\n%s", r)
		}
		var lc struct {
			From, State, Summary string
			StateSince           *time.Time `json:"state_since"`
			Verify               *struct{ Clean bool }
		}
		r = mustRun(t, "commit", "--yes", "--json", "-c", tn.plan, "--scope", "acme")
		decodeJSON(t, r, &lc)
		var doc any
		decodeJSON(t, r, &doc)
		for _, k := range badKeys(doc, "") {
			t.Errorf("commit --json: key %s is not snake_case", k)
		}
		if lc.From != "finished" || lc.State != "committed" || lc.StateSince == nil || lc.Verify == nil || !lc.Verify.Clean ||
			lc.Summary != "committed: clean: 5 keys checked" {
			t.Errorf("commit --json = %+v", lc)
		}
		var st []struct {
			Step       string     `json:"step"`
			State      string     `json:"state"`
			StateSince *time.Time `json:"state_since"`
		}
		decodeJSON(t, mustRun(t, "status", "--json", "-c", tn.plan, "--scope", "acme"), &st)
		if len(st) != 1 || st[0].State != "committed" || st[0].StateSince == nil || time.Since(*st[0].StateSince) > time.Minute {
			t.Errorf("status --json = %+v, want committed with its since", st)
		}
		r = run(t, "migrate", "--live", "-c", tn.plan, "--scope", "acme")
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "scope acme is committed: migrate --live is not allowed from committed; what it allows: none: it is final") {
			t.Errorf("migrate --live on a committed scope:\n%s", r)
		}
	})
}

// A finish that is not clean stays finishing and exits 1 with the
// findings' summary; unfinish takes it back to live; --auto-finish on a
// scope that is not clean leaves it live and exits 1, and on a clean one
// commits and exits 0.
func TestLifecycleNotCleanAndAutoFinish(t *testing.T) {
	t.Parallel()
	bothTargets(t, func(t *testing.T, target string) {
		tn := newTenant(t, target)
		tn.feed.add(3*time.Hour, 1, 2)
		tn.liveRound(t)
		execSQL(t, tn.db, "INSERT INTO people (id, name) VALUES (99, 'stray')")
		r := run(t, "migrate", "--finish", "-c", tn.plan, "--scope", "acme")
		if r.code != 1 || !strings.Contains(r.stdout, "scope acme: live → finishing (migrate --finish): 1 extra") ||
			!strings.Contains(r.stderr, "scope acme is not clean (1 extra); it stays finishing") {
			t.Errorf("finish of a scope that is not clean:\n%s", r)
		}
		r = mustRun(t, "unfinish", "-c", tn.plan, "--scope", "acme")
		if !strings.Contains(r.stdout, "scope acme: finishing → live (unfinish)") {
			t.Errorf("unfinish:\n%s", r)
		}
		r = run(t, "migrate", "--json", "--live", "--auto-finish", "--interval", "10ms", "-c", tn.plan, "--scope", "acme")
		var res struct {
			Lifecycle struct {
				Command, From, State, Summary string
				Hooks                         []struct{ Hook, Output string }
				Verify                        struct {
					Clean bool
					Steps []struct{ Extra int }
				}
			}
		}
		decodeJSON(t, r, &res)
		lc := res.Lifecycle
		if r.code != 1 || lc.Command != "migrate --live --auto-finish" || lc.From != "live" || lc.State != "live" ||
			lc.Summary != "left live: 1 extra" || lc.Verify.Clean || len(lc.Verify.Steps) != 1 || lc.Verify.Steps[0].Extra != 1 ||
			len(lc.Hooks) != 1 || lc.Hooks[0].Hook != "on_finish" || lc.Hooks[0].Output != "fence up for acme\n" {
			t.Errorf("auto-finish of a scope that is not clean: %+v\n%s", lc, r)
		}
		var doc any
		decodeJSON(t, r, &doc)
		for _, k := range badKeys(doc, "") {
			t.Errorf("migrate --live --auto-finish --json: key %s is not snake_case", k)
		}
		execSQL(t, tn.db, "DELETE FROM people WHERE id = 99")
		tn.feed.add(time.Minute, 3)
		r = mustRun(t, "migrate", "--live", "--auto-finish", "--interval", "10ms", "-c", tn.plan, "--scope", "acme")
		if !strings.Contains(r.stdout, "scope acme: live → committed (migrate --live --auto-finish): committed: clean: 3 keys checked") {
			t.Errorf("auto-finish of a clean scope:\n%s", r)
		}
	})
}

// Nonsensical flag combinations are refused before anything runs, naming
// the flags.
func TestLifecycleFlags(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--auto-finish"}, "--auto-finish needs --live"},
		{[]string{"--live", "--finish"}, "--live and --finish cannot be combined"},
		{[]string{"--live", "--follow"}, "--follow and --live cannot be combined"},
		{[]string{"--finish", "--dry-run"}, "--dry-run and --finish cannot be combined"},
		{[]string{"--live", "--only", "orders"}, "--only, --skip and --start cannot be combined with --live"},
		{[]string{"--finish", "--skip", "orders"}, "--only, --skip and --start cannot be combined with --finish"},
		{[]string{"--live", "--start", "sales.2"}, "--only, --skip and --start cannot be combined with --live"},
		{[]string{"--finish", "--interval", "1s"}, "--interval only applies with --follow or --live"},
	} {
		r := run(t, append([]string{"migrate", "-c", s.plan}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("migrate %v: want exit 2 and %q:\n%s", tt.args, tt.want, r)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "target.db")); !os.IsNotExist(err) {
		t.Errorf("a refused migrate created the target (%v)", err)
	}
}
