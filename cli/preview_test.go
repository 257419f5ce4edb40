package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// Ensure preview shows values as they will be written: a time in RFC 3339
// (not Go's "2026-02-02 01:01:00 +0000 UTC"), an empty note as NULL.
func TestPreviewShowsValuesAsWritten(t *testing.T) {
	t.Parallel()
	// A scope of its own: the bundled database may hold a checkpoint.
	plan := filepath.Join(quickstart(t), "decant.yaml")
	r := mustRun(t, "preview", "orders", "-n", "1", "--scope", "preview-values", "-c", plan)
	for _, want := range []string{"placed_at = 2026-02-02T01:01:00Z", "note = NULL", "total = 518.50"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("preview lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "+0000 UTC") {
		t.Errorf("preview prints Go's time format:\n%s", r)
	}
}
