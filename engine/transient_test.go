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
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// Ensure a write that fails for a passing reason (here a lock timeout)
// fails the batch instead of storing good records as "refused", and the
// next run writes them.
func TestTransientFailureIsNotARefusal(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	admin, err := sql.Open("pgx", url)
	must(t, err)
	defer admin.Close()
	_, err = admin.Exec("CREATE TABLE items (id text PRIMARY KEY, n integer)")
	must(t, err)

	dir := t.TempDir()
	var data strings.Builder
	for i := range 5 {
		fmt.Fprintf(&data, `{"id":"k%d","n":%d}`+"\n", i, i)
	}
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(data.String()), 0o644))
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	p := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: '%s%slock_timeout=200'
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, n: record.n}
`, url, sep)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	run := func() error {
		pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
		must(t, err)
		st, err := connect.Store(context.Background(), pl)
		must(t, err)
		defer st.Close()
		_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
		return err
	}

	// Another session holds the table: decant's writes wait, then time out.
	lock, err := admin.BeginTx(context.Background(), nil)
	must(t, err)
	_, err = lock.Exec("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
	must(t, err)
	err = run()
	must(t, lock.Rollback())
	if !errors.Is(err, decant.ErrTransient) {
		t.Fatalf("run while the table was locked: %v, want an error wrapping ErrTransient", err)
	}
	var stored int
	if err := admin.QueryRow("SELECT count(*) FROM decant_errors").Scan(&stored); err != nil || stored != 0 {
		t.Errorf("errors stored after a lock timeout: %d (%v), want 0", stored, err)
	}
	must(t, run())
	var rows int
	must(t, admin.QueryRow("SELECT count(*) FROM items").Scan(&rows))
	if rows != 5 {
		t.Errorf("items after the lock was gone: %d, want 5", rows)
	}
}
