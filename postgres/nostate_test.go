package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/postgres"
)

// catalog lists the relations and schemas of the database outside the
// system schemas, with their oids, so that any DDL shows as a difference.
func catalog(t *testing.T, s *postgres.Store) string {
	t.Helper()
	var out string
	err := s.Pool().QueryRow(context.Background(), `
SELECT coalesce(string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.oid, ',' ORDER BY c.oid), '')
    || '|' || (SELECT string_agg(nspname || ':' || oid, ',' ORDER BY oid) FROM pg_namespace)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Ensure the state reads treat a database decant never wrote as "nothing
// migrated yet" and run no DDL: Status is empty, Errors is empty (an id
// is not found), Checkpoint is nil, and the catalog is unchanged.
func TestReadWithoutState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	before := catalog(t, s)
	if ss, err := s.Status(ctx, "default"); err != nil || len(ss) != 0 {
		t.Errorf("Status: %v, %v; want none", ss, err)
	}
	if es, err := s.Errors(ctx, decant.ErrorFilter{Scope: "default"}); err != nil || len(es) != 0 {
		t.Errorf("Errors: %v, %v; want none", es, err)
	}
	if _, err := s.Errors(ctx, decant.ErrorFilter{ID: 1}); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("Errors of id 1: %v; want not found", err)
	}
	if pos, err := s.Checkpoint(ctx, "default", "people"); err != nil || pos != nil {
		t.Errorf("Checkpoint: %s, %v; want nil", pos, err)
	}
	if after := catalog(t, s); after != before {
		t.Errorf("the reads changed the catalog:\nbefore %s\nafter  %s", before, after)
	}
}

// Ensure a read of state tables older than the store's version says how to
// upgrade them, rather than a bare "column does not exist".
func TestReadOldState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, "ALTER TABLE decant_errors DROP COLUMN detail; UPDATE decant_schema SET version = 1"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Errors(ctx, decant.ErrorFilter{Scope: "default"})
	if err == nil || !strings.Contains(err.Error(), "state tables are at version 1") || !strings.Contains(err.Error(), "run `decant migrate` to upgrade them") {
		t.Errorf("Errors on old state tables: %v", err)
	}
}
