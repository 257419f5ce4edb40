package engine_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure ForeignRows finds a table that holds rows decant did not write,
// with its counts, and not a table of decant's rows only, of the steps
// selected.
func TestForeignRows(t *testing.T) {
	t.Parallel()
	cfg, q := groupedTarget(t, "")
	found, err := engine.ForeignRows(context.Background(), cfg)
	must(t, err)
	if len(found) != 0 {
		t.Fatalf("ForeignRows after decant's run = %+v, want none", found)
	}
	db, err := sql.Open("sqlite", strings.TrimPrefix(cfg.Plan.Connections["target"], "sqlite:"))
	must(t, err)
	defer db.Close()
	_, err = db.Exec("INSERT INTO vets (id, name) VALUES ('v9', 'not decant')")
	must(t, err)
	found, err = engine.ForeignRows(context.Background(), cfg)
	must(t, err)
	if len(found) != 1 || found[0].Table != "vets" || found[0].Rows != 2 || found[0].Written != 1 || strings.Join(found[0].Steps, ",") != "vets" {
		t.Errorf("ForeignRows = %+v, want vets with 2 rows (counted up to written+1) and 1 written", found)
	}
	if got := found[0].String(); got != "table vets holds more rows than the 1 decant wrote to it" {
		t.Errorf("String() = %q", got)
	}
	cfg.Only = []string{"people"}
	if found, err = engine.ForeignRows(context.Background(), cfg); err != nil || len(found) != 1 {
		t.Errorf("ForeignRows of --only people = %+v, %v; want vets", found, err)
	}
	cfg.Only = []string{"animals"}
	if found, err = engine.ForeignRows(context.Background(), cfg); err != nil || len(found) != 0 {
		t.Errorf("ForeignRows of --only animals = %+v, %v; want none (vets is not its table)", found, err)
	}
	if got := q("SELECT count(*) FROM vets"); got != "2" {
		t.Errorf("ForeignRows changed vets: %s rows", got)
	}
}
