package quickstart_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
)

// Ensure the quickstart verifies clean after its migration, and that
// verify finds a value changed and a row deleted behind decant's back.
func TestQuickstart_Verify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	run(t, path, "migrate")
	out := run(t, path, "verify")
	if !hasRow(out, "orders orders 198 198") || !hasRow(out, "orders order_items 198 198") ||
		!strings.HasSuffix(strings.TrimSpace(out), "clean") {
		t.Fatalf("verify after the migration: want orders and its child table order_items checked and ok\n%s", out)
	}
	db := open(t, path)
	for _, q := range []string{"UPDATE orders SET status = 'lost' WHERE id = 'ord-0001'",
		"DELETE FROM order_items WHERE order_id = 'ord-0002'", "DELETE FROM orders WHERE id = 'ord-0002'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := cli.Main(context.Background(), []string{"-c", "decant.yaml", "verify"}, &stdout, &stderr, nil)
	got := stdout.String()
	if code != 1 || !strings.Contains(got, "diff\tstep orders\ttable orders\tkey ord-0001") ||
		!strings.Contains(got, "missing\tstep orders\ttable orders\tkey ord-0002") || !strings.HasSuffix(strings.TrimSpace(got), "not clean") {
		t.Errorf("verify after corruption: exit %d\n%s\n%s", code, got, stderr.String())
	}

	// patch repairs both from the source; revert puts the corruption back.
	out = run(t, path, "patch", "--all", "--reason", "restore the quickstart")
	if !strings.Contains(out, "patched 2 record(s)") || !strings.Contains(out, "verify after: clean") {
		t.Fatalf("patch --all: want two records patched and a clean verify\n%s", out)
	}
	var status string
	if err := db.QueryRow("SELECT status FROM orders WHERE id = 'ord-0001'").Scan(&status); err != nil || status == "lost" {
		t.Errorf("after the patch, ord-0001's status = %q, %v", status, err)
	}
	run(t, path, "verify")
	run(t, path, "patch", "revert", "1", "2")
	if err := db.QueryRow("SELECT status FROM orders WHERE id = 'ord-0001'").Scan(&status); err != nil || status != "lost" {
		t.Errorf("after the revert, ord-0001's status = %q, %v; want lost", status, err)
	}
}

// hasRow reports whether a line of out starts with the fields of want,
// whatever the spacing between them.
func hasRow(out, want string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.Join(strings.Fields(line), " "), want+" ") {
			return true
		}
	}
	return false
}
