package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// Ensure a setup script that puts ${scope} in a quoted name is refused,
// naming the file, before it runs: a bound scope cannot name a table, and
// the name would have been the same nonsense for every scope.
func TestSetupScopeInAName(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1, "people: [person]", nil)
	must(t, os.WriteFile(filepath.Join(f.dir, "schema.sql"), []byte(`CREATE TABLE IF NOT EXISTS "t_${scope}" (id INTEGER);`), 0o644))
	_, err := engine.Run(context.Background(), f.config(t), nil)
	if err == nil || !strings.Contains(err.Error(), `setup schema.sql: ${scope} in the quoted name "t_${scope}"`) {
		t.Fatalf("err = %v, want the setup script refused", err)
	}
	if got := f.query(t, `SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'`); got != "0" {
		t.Errorf("%s tables named t_..., want none", got)
	}
}

// Ensure a --follow (or --live) run whose source cannot be opened stops
// with the error after its first round, instead of trying again every
// round: opening reads nothing, so the next round would fail alike.
func TestFollowStopsOnSourceOpenError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1, "people: [person]", nil)
	cfg := f.config(t)
	cfg.Follow, cfg.Interval = true, time.Millisecond
	opens := 0
	cfg.Sources = func(context.Context, *plan.Step) (decant.Source, error) {
		opens++
		return nil, errors.New("files: key is required")
	}
	done := make(chan struct{})
	var res *engine.Result
	var err error
	go func() {
		defer close(done)
		res, err = engine.Run(context.Background(), cfg, nil)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run kept following a source that cannot be opened")
	}
	var soe *engine.SourceOpenError
	if !errors.As(err, &soe) || soe.Step != "people" || !strings.Contains(err.Error(), "open source: files: key is required") {
		t.Errorf("err = %v, want a SourceOpenError of step people", err)
	}
	if opens != 1 || res == nil || res.Rounds != 1 {
		t.Errorf("%d opens, result %+v; want one round", opens, res)
	}
}
