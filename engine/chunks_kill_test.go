package engine_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
)

// killHelperDir, when set, makes TestChunks_KillHelper run the plan in
// that directory, as the process TestChunks_SIGKILL kills.
const killHelperDir = "DECANT_TEST_CHUNK_KILL_DIR"

// Ensure a run killed with SIGKILL while each of its 3 chunks is partway
// resumes every chunk, and the target, ledger and errors end as after an
// uninterrupted run.
func TestChunks_SIGKILL(t *testing.T) {
	for tgtName := range bothTargets {
		t.Run(tgtName, func(t *testing.T) {
			legacy := chunkSources["mariadb"](t)
			want := uninterrupted(t, legacy, tgtName)
			dir, url, db := chunkTarget(t, tgtName)
			p := chunkPlan(legacy, url, 3, 2)
			must(t, os.WriteFile(filepath.Join(dir, "decant.yaml"), []byte(p), 0o644))
			killWhenChunksMoved(t, dir, db, 3)
			if n := testenv.Rows(t, db, "SELECT count(*) FROM items"); n[0] == fmt.Sprint(chunkRows-1) {
				t.Fatalf("the killed run wrote every row: kill it sooner")
			}
			migratePlan(t, dir, p)
			if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
				t.Errorf("after SIGKILL and a resume (-uninterrupted +resumed):\n%s", diff)
			}
		})
	}
}

// killWhenChunksMoved runs the plan in dir in a child process and kills
// it with SIGKILL once chunks chunks have each committed a batch.
func killWhenChunksMoved(t *testing.T, dir string, db *sql.DB, chunks int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestChunks_KillHelper$")
	cmd.Env = append(os.Environ(), killHelperDir+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	must(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var moved int
		// The table is missing until the child created the state tables.
		err := db.QueryRow(`SELECT count(*) FROM decant_chunks WHERE position LIKE '{"after":[%'`).Scan(&moved)
		if err == nil && moved == chunks {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the run ended (%v) before every chunk committed a batch:\n%s", err, out.String())
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no chunk moved in 60s:\n%s", out.String())
		}
	}
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	<-done
}

// TestChunks_KillHelper is the child process of TestChunks_SIGKILL: it
// runs the plan in $DECANT_TEST_CHUNK_KILL_DIR slowly, each batch taking
// 50ms more, until it is killed. Without the variable it does nothing.
func TestChunks_KillHelper(t *testing.T) {
	dir := os.Getenv(killHelperDir)
	if dir == "" {
		t.Skip("the child process of TestChunks_SIGKILL")
	}
	p, err := os.ReadFile(filepath.Join(dir, "decant.yaml"))
	must(t, err)
	_, err = runPlan(context.Background(), t, dir, string(p), func(st decant.Store) decant.Store { return slowStore{st} })
	must(t, err)
}

// slowStore makes each batch take 50ms more, inside its transaction.
type slowStore struct{ decant.Store }

func (s slowStore) WriteBatch(ctx context.Context, tx decant.Tx, b *decant.Batch) error {
	if b.Audit != nil {
		time.Sleep(50 * time.Millisecond)
	}
	return s.Store.WriteBatch(ctx, tx, b)
}

// Unwrap lets the engine find the store's other roles.
func (s slowStore) Unwrap() decant.Store { return s.Store }
