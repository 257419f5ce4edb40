//go:build unix

package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/sqlite"
)

// killChild is the variable that makes the test binary the process that
// TestCommittedBatchSurvivesKill kills: it names the database URL.
const killChild = "DECANT_SQLITE_KILL_CHILD"

// TestCommittedBatchSurvivesKill writes a batch and commits it, begins a
// second one, and dies by SIGKILL, under either synchronous setting: the
// committed batch is in the file, rows, ledger, audit row and checkpoint,
// and nothing of the second is. The commit is still in the WAL when the
// process dies (it is smaller than wal_autocheckpoint), so this is what
// reading the WAL back gives.
func TestCommittedBatchSurvivesKill(t *testing.T) {
	if url := os.Getenv(killChild); url != "" {
		writeAndDie(t, url)
		return
	}
	t.Parallel()
	for _, sync := range []string{"full", "normal"} {
		t.Run(sync, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "kill.db")
			cmd := exec.Command(os.Args[0], "-test.run=^TestCommittedBatchSurvivesKill$", "-test.count=1")
			cmd.Env = append(os.Environ(), killChild+"=sqlite:"+path+"?synchronous="+sync)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the writing process ended with %v, want SIGKILL:\n%s", err, out)
			}
			if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
				t.Fatalf("no WAL left by the killed process (%v): the test would not read the commit back from it", err)
			}
			s, err := sqlite.Open(context.Background(), path, sqlite.Config{MustExist: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var rows, ledger, audits int
			var position string
			err = s.DB().QueryRow(`SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM decant_ledger),
				(SELECT count(*) FROM decant_batches), (SELECT position FROM decant_checkpoints)`).Scan(&rows, &ledger, &audits, &position)
			if err != nil {
				t.Fatal(err)
			}
			if rows != 1000 || ledger != 1000 || audits != 1 || position != `{"n":1000}` {
				t.Errorf("after the kill: %d rows, %d ledger rows, %d audit rows, checkpoint %s; want the committed batch's 1000, 1000, 1, {\"n\":1000}",
					rows, ledger, audits, position)
			}
		})
	}
}

// writeAndDie commits the batch of ids 1-1000, writes the batch of ids
// 1001-2000 without committing it, and kills its own process.
func writeAndDie(t *testing.T, url string) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, url, sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	batch := func(from int) *decant.Batch {
		b := &decant.Batch{Scope: "s", Step: "a", Checkpoint: decant.Position(fmt.Sprintf(`{"n":%d}`, from+999)),
			Audit:  &decant.BatchAudit{Total: 1000, OK: 1000, Started: time.Now()},
			Tables: []decant.TableRows{{Table: "t", Columns: []string{"id", "v"}, Key: []string{"id"}}}}
		for id := from; id < from+1000; id++ {
			b.Tables[0].Rows = append(b.Tables[0].Rows, []any{int64(id), strconv.Itoa(id)})
			b.Ledger = append(b.Ledger, decant.LedgerEntry{Key: strconv.Itoa(id), Status: decant.StatusOK})
		}
		return b
	}
	if err := write(ctx, s, batch(1)); err != nil {
		t.Fatal(err)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteBatch(ctx, tx, batch(1001)); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	time.Sleep(time.Minute) // the signal ends the process
}
