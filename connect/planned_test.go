package connect_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// Ensure the planned store of check, preview and dry runs hides none of
// its store's roles, on both stores: it answers Columns from the plan's
// setup file, and everything else (leases, state reading, Ping, scripts)
// is the store's own.
func TestPlannedKeepsRoles(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, url string }{
		{"SQLite", testenv.SQLite(t)},
		{"Postgres", testenv.Postgres(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			p := setupPlan(t, tt.url, "CREATE TABLE planned_items (id TEXT PRIMARY KEY, n INTEGER);\n")
			st, err := connect.Store(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			ps, err := connect.Planned(ctx, p, st)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := ps.(*connect.PlannedStore); !ok {
				t.Fatalf("Planned = %T, want a *connect.PlannedStore for a plan with setup", ps)
			}
			if got, want := decant.Roles(ps), decant.Roles(st); !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("roles through the planned store = %v, want the store's %v", got, want)
			}
			cat, ok := decant.As[decant.Cataloger](ps)
			if !ok {
				t.Fatal("the planned store is no Cataloger")
			}
			if c, err := cat.Columns(ctx, "planned_items"); err != nil || len(c) != 2 {
				t.Errorf("Columns(planned_items) = %v, %v: want the 2 columns the setup file creates", c, err)
			}
			sr, err := decant.Require[decant.StateReader](ps, "report status")
			if err != nil {
				t.Fatal(err)
			}
			if ss, err := sr.Status(ctx, decant.DefaultScope); err != nil || len(ss) != 0 {
				t.Errorf("Status through the planned store = %v, %v; want none, no error", ss, err)
			}
			in, err := decant.Require[decant.StateInitializer](ps, "create state tables")
			if err != nil {
				t.Fatal(err)
			}
			if err := in.Init(ctx); err != nil {
				t.Fatal(err)
			}
			l, err := decant.Require[decant.Leaser](ps, "hold a lease")
			if err != nil {
				t.Fatal(err)
			}
			h := decant.Holder{Host: "h", PID: 1, ID: "planned"}
			if err := l.AcquireLease(ctx, decant.DefaultScope, h, time.Minute); err != nil {
				t.Errorf("AcquireLease through the planned store: %v", err)
			}
		})
	}
}

// setupPlan writes a plan whose target is url and whose setup file holds
// script, and loads it.
func setupPlan(t *testing.T, url, script string) *plan.Plan {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "setup.sql"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "connections:\n  feed: file:items.jsonl\n  target: '" + url + "'\nsetup: [setup.sql]\nsteps:\n" +
		"  - {name: items, from: {connection: feed, key: id}, key: id, to: {table: planned_items}, map: {id: record.id}}\n"
	path := filepath.Join(dir, "decant.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(path, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
