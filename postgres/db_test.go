package postgres_test

import (
	"context"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// Ensure OpenDB gives a database/sql handle that IsDB recognises, and
// TableExists finds a table through the search path without creating
// anything.
func TestOpenDBTableExists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.OpenDB(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection, so the search_path set below stays
	if !postgres.IsDB(db) {
		t.Error("IsDB of an OpenDB handle = false")
	}
	if ok, err := postgres.TableExists(ctx, db, "decant_schema"); ok || err != nil {
		t.Errorf("TableExists in an empty database = %t, %v", ok, err)
	}
	if _, err := db.Exec("CREATE SCHEMA app; SET search_path = app, public; CREATE TABLE public.decant_schema (version int)"); err != nil {
		t.Fatal(err)
	}
	if ok, err := postgres.TableExists(ctx, db, "decant_schema"); !ok || err != nil {
		t.Errorf("TableExists of a table on the search path = %t, %v", ok, err)
	}
}
