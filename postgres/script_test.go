package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decanthq/decant/postgres"
)

// Ensure a setup script of one statement runs alone, outside any
// transaction block, so that CREATE INDEX CONCURRENTLY works; that a scoped script's setting does not outlive it; and that a
// failing script leaves the pool usable with the lock released.
func TestRunScript_OutsideATransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.RunScript(ctx, "CREATE TABLE tenants (name text, note text)"); err != nil {
		t.Fatal(err)
	}
	if err := s.RunScript(ctx, "CREATE INDEX CONCURRENTLY tenants_name ON tenants (name)"); err != nil {
		t.Errorf("CREATE INDEX CONCURRENTLY as a setup script: %v", err)
	}
	err := s.RunScopedScript(ctx, "INSERT INTO tenants VALUES (${scope}, 'x'); SELECT 1/0", "acme")
	if err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("a failing script: %v", err)
	}
	var setting string
	var locks int
	for range 8 { // every connection of the pool
		if err := s.Pool().QueryRow(ctx, "SELECT coalesce(current_setting('decant.scope', true), ''), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))").Scan(&setting, &locks); err != nil {
			t.Fatal(err)
		}
		if setting != "" || locks != 0 {
			t.Fatalf("after the scripts a connection has decant.scope %q and %d advisory locks; want neither", setting, locks)
		}
	}
	if err := s.RunScopedScript(ctx, "INSERT INTO tenants VALUES (${scope}, 'y')", "acme"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Pool().QueryRow(ctx, "SELECT count(*) FROM tenants WHERE name = 'acme'").Scan(&n); err != nil || n != 1 {
		t.Errorf("tenants of acme: %d, %v; want the one row of the script that succeeded", n, err)
	}
}
