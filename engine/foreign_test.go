package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant"
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

// Ensure a key decant wrote whose newer record then failed (its row
// stays, its ledger row says failed) does not count as a foreign row: the
// database refuses p1's new owner, so pets keeps p1's old row.
func TestForeignRows_FailedRecordKeepsItsRow(t *testing.T) {
	t.Parallel()
	cfg, q := groupedTarget(t, "")
	pets := filepath.Join(filepath.Dir(cfg.Plan.File), "pets.jsonl")
	f, err := os.OpenFile(pets, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString(`{"id":"p1","owner":"o9","name":"rex"}` + "\n")
	must(t, errors.Join(err, f.Close()))
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if got := q("SELECT count(*) FROM pets") + "," + q("SELECT status FROM decant_ledger WHERE step = 'pets' AND key = 'p1'"); got != "2,failed" {
		t.Fatalf("pets rows, p1's ledger status = %s; want 2,failed: the test needs p1's newer record refused", got)
	}
	found, err := engine.ForeignRows(context.Background(), cfg)
	must(t, err)
	if len(found) != 0 {
		t.Errorf("ForeignRows = %+v, want none: every row of pets is decant's", found)
	}
}

// racingStore is a store on which another scope commits a new row, with
// its ledger row, just before each read of a table's rows: a parallel
// run of scope x.
type racingStore struct {
	decant.Store
	t *testing.T
	n int
}

func (s *racingStore) Unwrap() decant.Store { return s.Store }

func (s *racingStore) ReadRows(ctx context.Context, q decant.RowQuery) (decant.TargetRows, error) {
	s.n++
	key := fmt.Sprintf("x%d", s.n)
	b := &decant.Batch{Scope: "x", Step: "vets",
		Tables: []decant.TableRows{{Table: "vets", Columns: []string{"id", "name"}, Key: []string{"id"}, Rows: [][]any{{key, "x"}}}},
		Ledger: []decant.LedgerEntry{{Key: key, SourceHash: "s", TargetHash: "t", Status: decant.StatusOK}}}
	tx, err := s.Store.Begin(ctx)
	must(s.t, err)
	must(s.t, s.Store.WriteBatch(ctx, tx, b))
	must(s.t, tx.Commit(ctx))
	tr, _ := decant.As[decant.TargetReader](s.Store)
	return tr.ReadRows(ctx, q)
}

// Ensure a scope that commits rows (and their ledger rows, in the same
// transaction) while ForeignRows counts does not make it find foreign
// rows: the ledger is read again after the rows are counted.
func TestForeignRows_ParallelScopeCommits(t *testing.T) {
	t.Parallel()
	cfg, _ := groupedTarget(t, "")
	x := cfg
	x.Scope, x.Only = "x", []string{"owners"}
	_, err := engine.Run(context.Background(), x, nil) // scope x is known
	must(t, err)
	cfg.Store = &racingStore{Store: cfg.Store, t: t}
	cfg.Only = []string{"vets"}
	found, err := engine.ForeignRows(context.Background(), cfg)
	must(t, err)
	if len(found) != 0 {
		t.Errorf("ForeignRows while scope x commits = %+v, want none: every row of vets is decant's", found)
	}
}
