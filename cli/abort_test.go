package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
)

// abortAfterFirstBatch is a progress display that aborts the run when the
// first batch is saved, and waits a moment so that the next batch meets
// the cancelled run in flight.
type abortAfterFirstBatch struct {
	once  sync.Once
	abort chan struct{}
	mu    sync.Mutex
	done  []engine.StepResult
}

func (p *abortAfterFirstBatch) StepStarted(string, int64) {}
func (p *abortAfterFirstBatch) RoundError(error)          {}
func (p *abortAfterFirstBatch) Batch(string, decant.BatchAudit) {
	p.once.Do(func() {
		close(p.abort)
		time.Sleep(200 * time.Millisecond)
	})
}

func (p *abortAfterFirstBatch) StepDone(r engine.StepResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = append(p.done, r)
}

// Ensure an aborted run says so plainly, on both stores: the error is
// ErrAborted, the step is "aborted" (not FAILED) in the progress and the
// summary, no driver's "context canceled" or "conn closed" leaks out, the
// target holds whole batches only, and the next run finishes the work.
func TestAbortSaysSo(t *testing.T) {
	t.Parallel()
	for name, target := range map[string]string{"sqlite": "sqlite:target.db", "postgres": testenv.Postgres(t)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plan := abortPlan(t, target, 3000)
			prog := &abortAfterFirstBatch{abort: make(chan struct{})}
			var out, errw bytes.Buffer
			o := cli.MigrateOpts{Common: cli.Common{Config: plan, Scope: decant.DefaultScope}, Progress: prog, Abort: prog.abort}
			res, err := cli.RunMigrate(context.Background(), o, &out, &errw)
			if !errors.Is(err, cli.ErrAborted) || err.Error() != "aborted: the batch in flight rolled back; the next run resumes from the last checkpoint" {
				t.Fatalf("aborted run: err = %v, want cli.ErrAborted\nstdout:\n%s\nstderr:\n%s", err, &out, &errw)
			}
			if !strings.Contains(out.String(), "(aborted)") || strings.Contains(out.String(), "(FAILED)") {
				t.Errorf("the summary does not mark the step aborted:\n%s", &out)
			}
			for _, r := range append(prog.done, res.Steps...) {
				if r.Err != nil && !errors.Is(r.Err, cli.ErrAborted) {
					t.Errorf("the progress or the result says step %s failed with %v, want cli.ErrAborted", r.Step, r.Err)
				}
			}
			for _, leak := range []string{"context canceled", "conn closed", "deallocate", "write batch"} {
				if strings.Contains(out.String()+errw.String(), leak) {
					t.Errorf("the abort leaks %q:\nstdout:\n%s\nstderr:\n%s", leak, &out, &errw)
				}
			}
			url := target
			if name == "sqlite" {
				url = "sqlite:" + filepath.Join(filepath.Dir(plan), "target.db")
			}
			var n int
			fmt.Sscan(queryRows(t, url, "SELECT count(*) FROM people"), &n)
			if n == 0 || n%10 != 0 || n >= 3000 {
				t.Errorf("after the abort people has %d rows; want whole batches of 10, fewer than 3000", n)
			}
			mustRun(t, "migrate", "-c", plan)
			if got := queryRows(t, url, "SELECT count(*) FROM people"); got != "3000" {
				t.Errorf("the run after the abort left %s rows, want 3000", got)
			}
		})
	}
}

// abortPlan writes a plan of n people in batches of 10 into target, and
// returns its path.
func abortPlan(t *testing.T, target string, n int) string {
	t.Helper()
	dir := t.TempDir()
	var data strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&data, "{\"id\":%d,\"name\":\"p%d\"}\n", i, i)
	}
	files := map[string]string{
		"data.jsonl": data.String(),
		"schema.sql": "CREATE TABLE IF NOT EXISTS people (id integer PRIMARY KEY, name text NOT NULL);\n",
		"decant.yaml": fmt.Sprintf(`version: 1
connections:
  people: file:data.jsonl
  target: '%s'
setup: [schema.sql]
batch_size: 10
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`, target),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "decant.yaml")
}
