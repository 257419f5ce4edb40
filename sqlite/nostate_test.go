package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

// Ensure the state reads treat a database decant never wrote as "nothing
// migrated yet" and create no table: Status is empty, Errors is empty (an
// id is not found), Checkpoint is nil, and sqlite_master is unchanged.
func TestReadWithoutState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	schema := func() string {
		var out string
		if err := s.DB().QueryRow("SELECT coalesce(group_concat(type || ':' || name, ','), '') FROM sqlite_master").Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := schema()
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
	if after := schema(); after != before {
		t.Errorf("the reads changed the schema: before %q, after %q", before, after)
	}
}

// Ensure a read of state tables older than the store's version says how to
// upgrade them, rather than a bare "no such column".
func TestReadOldState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("ALTER TABLE decant_errors DROP COLUMN detail; UPDATE decant_schema SET version = 1"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Errors(ctx, decant.ErrorFilter{Scope: "default"})
	if err == nil || !strings.Contains(err.Error(), "state tables are at version 1") || !strings.Contains(err.Error(), "run `decant migrate` to upgrade them") {
		t.Errorf("Errors on old state tables: %v", err)
	}
}
