package cli_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// statsLine is one line of stats --json.
type statsLine struct {
	Scope      string  `json:"scope"`
	Step       string  `json:"step"`
	State      string  `json:"state"`
	SourceDocs *int64  `json:"source_docs"`
	Migrated   int64   `json:"migrated"`
	Errors     int64   `json:"errors"`
	Diffs      int64   `json:"diffs"`
	Changes    int64   `json:"changes"`
	Missing    int64   `json:"missing"`
	LastRan    *string `json:"last_ran"`
}

// Ensure stats on SQLite gives each step's source size (files can tell
// it), keys migrated, open errors, and the last verify's diffs and missing
// keys, and when the step last ran; and that it writes nothing.
func TestStatsSQLite(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 10) // order 10 fails
	run(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 1 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	run(t, "verify", "-c", s.plan)
	before := sqliteDump(t, strings.TrimPrefix(s.db, "sqlite:"))
	var lines []statsLine
	decodeJSON(t, mustRun(t, "stats", "-c", s.plan, "--json"), &lines)
	if len(lines) != 3 {
		t.Fatalf("stats --json: %d lines, want one per step: %+v", len(lines), lines)
	}
	o := lines[0]
	if o.Scope != "default" || o.Step != "orders" || o.SourceDocs == nil || *o.SourceDocs != 10 || o.Migrated != 9 ||
		o.Errors != 1 || o.Diffs != 1 || o.Missing != 1 || o.LastRan == nil {
		t.Errorf("orders: %+v (docs %v); want 10 docs, 9 migrated, 1 error, 1 diff, 1 missing, a last run", o, o.SourceDocs)
	}
	if c := lines[1]; c.Step != "customers" || c.SourceDocs == nil || *c.SourceDocs != 2 || c.Migrated != 2 {
		t.Errorf("customers: %+v", c)
	}
	r := mustRun(t, "stats", "-c", s.plan)
	want := "SCOPE STEP STATE SOURCE DOCS MIGRATED ERRORS DIFFS CHANGES MISSING LAST RAN"
	if first := strings.Join(strings.Fields(strings.SplitN(r.stdout, "\n", 2)[0]), " "); first != want {
		t.Errorf("header %q, want %q", first, want)
	}
	if f := strings.Fields(statusLine(r.stdout, "default")); len(f) != 11 || f[1] != "orders" || f[2] != "migrating" ||
		strings.Join(f[3:9], " ") != "10 9 1 1 0 1" {
		t.Errorf("orders line %q, want 10 source documents, 9 migrated, 1 error, 1 diff, 0 changes, 1 missing:\n%s", f, r.stdout)
	}
	if after := sqliteDump(t, strings.TrimPrefix(s.db, "sqlite:")); after != before {
		t.Errorf("stats changed decant's state:\nbefore %s\nafter  %s", before, after)
	}
}

// Ensure stats on PostgreSQL lists every scope of --scopes and step, a
// source that cannot tell its size as "-" (null), and a scope that never
// ran as new; and that it changes no state.
func TestStatsPostgres(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	plan := scopesPlan(t, domainFeed(t), url)
	mustRun(t, "migrate", "-c", plan, "--scopes", ":a:b")
	before := postgresDump(t, url)
	var lines []statsLine
	decodeJSON(t, mustRun(t, "stats", "-c", plan, "--scopes", ":a:b:zz", "--json"), &lines)
	if len(lines) != 3 {
		t.Fatalf("stats --json: %+v, want a line per scope", lines)
	}
	for i, scope := range []string{"a", "b", "zz"} {
		l := lines[i]
		migrated, ran := int64(3), true
		if scope == "zz" {
			migrated, ran = 0, false
		}
		if l.Scope != scope || l.Step != "forms" || l.SourceDocs != nil || l.Migrated != migrated || (l.LastRan != nil) != ran {
			t.Errorf("scope %s: %+v", scope, l)
		}
	}
	if lines[2].State != "new" {
		t.Errorf("a scope never migrated is %q, want new", lines[2].State)
	}
	r := mustRun(t, "stats", "-c", plan, "--scope", "a")
	if f := strings.Fields(statusLine(r.stdout, "a")); len(f) != 11 || f[1] != "forms" || f[3] != "-" || f[4] != "3" {
		t.Errorf("stats --scope a: want forms with its unknown source size as - and 3 migrated:\n%s", r.stdout)
	}
	if after := postgresDump(t, url); after != before {
		t.Errorf("stats changed decant's state:\nbefore %s\nafter  %s", before, after)
	}
}

// Ensure stats writes nothing to a database decant never wrote: no state
// table is created, on either store.
func TestStatsWritesNothing(t *testing.T) {
	t.Parallel()
	for name, url := range map[string]string{"postgres": testenv.Postgres(t), "sqlite": testenv.SQLite(t)} {
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(url, "sqlite:") {
				queryRows(t, url, "CREATE TABLE people (id integer PRIMARY KEY, name text)")
			} else {
				pgExec(t, url, "CREATE TABLE people (id integer PRIMARY KEY, name text)")
			}
			plan := targetPlan(t, url, "", map[string]string{})
			before := catalog(t, url)
			r := mustRun(t, "stats", "-c", plan, "--scopes", ":a:b")
			if f := strings.Fields(statusLine(r.stdout, "b")); len(f) != 10 || strings.Join(f[:5], " ") != "b people new 3 0" {
				t.Errorf("stats of a fresh database:\n%s", r)
			}
			if after := catalog(t, url); after != before {
				t.Errorf("stats changed the database:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
