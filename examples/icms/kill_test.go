package icms_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

// killHelper, when set, makes TestICMS_KillHelper run the migration, as
// the process TestICMS_Kill kills.
const killHelper = "ICMS_TEST_KILL_HELPER"

// killBatch is the batch size of the kill test's runs: small, so that
// each of the four chunks commits several batches.
const killBatch = 50

// Ensure a migration killed with SIGKILL while the four readers of the
// import applications are each part way through their key range resumes
// every range where it stopped, and ends with the same target, ledger,
// errors and staged records as a migration that was never interrupted.
func TestICMS_Kill(t *testing.T) {
	s := newSite(t)
	s.env(t)
	clean := testenv.Postgres(t)
	t.Setenv("DECANT_TARGET", clean)
	s.migrate(t, "--batch-size", fmt.Sprint(killBatch))
	t.Setenv("DECANT_TARGET", s.target)

	s.killWhenChunksMoved(t, 4)
	staged := s.count(t, "SELECT count(*) FROM staging.import_applications")
	if staged == 0 || staged >= numApps {
		t.Fatalf("the killed run staged %d of %d import applications: kill it part way", staged, numApps)
	}
	t.Logf("killed with %d import applications staged", staged)

	sum := s.migrate(t, "--batch-size", fmt.Sprint(killBatch))
	for _, st := range sum.Steps {
		if st.Step == "import_applications" && st.Phase == "extract" && st.Read >= numApps {
			t.Errorf("the resumed run read %d import applications from V1 again, all of them: it did not resume", st.Read)
		}
	}
	cleanDB, err := migrations.Open(clean)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanDB.Close()
	compareTables(t, "killed and resumed, against uninterrupted", dump(t, cleanDB), dump(t, s.db))
	s.check(t)
	for _, q := range []string{
		"SELECT scope, step, key, status, source_hash, target_hash FROM decant_ledger ORDER BY scope, step, key",
		"SELECT scope, step, key, message, detail, payload FROM decant_errors ORDER BY scope, step, key",
		"SELECT scope, key, source_key, raw, deleted, invalid FROM staging.import_applications ORDER BY scope, key",
	} {
		killed, uninterrupted := testenv.Rows(t, s.db, q), testenv.Rows(t, cleanDB, q)
		if !slices.Equal(killed, uninterrupted) {
			t.Errorf("%s: %d rows after the kill and resume, %d after an uninterrupted run", q, len(killed), len(uninterrupted))
		}
	}
}

func (s *site) malformed() []int {
	var ids []int
	for _, a := range s.data.Applications {
		if a.Details == nil && a.XML != nil {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// killWhenChunksMoved runs the migration in a child process (this test
// binary, as TestICMS_KillHelper) and kills it with SIGKILL once chunks
// chunks of import_applications' extract (the parallel read of V1) have
// each committed a batch.
func (s *site) killWhenChunksMoved(t *testing.T, chunks int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestICMS_KillHelper$")
	cmd.Env = append(os.Environ(), killHelper+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var moved int
		// The table is missing until the child created decant's tables.
		err := s.db.QueryRow(`SELECT count(*) FROM decant_chunks WHERE step = 'import_applications@extract' AND position LIKE '{"after":[%'`).Scan(&moved)
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
			<-done
			t.Fatalf("the chunks did not all move in 60s:\n%s", out.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the run was not killed (%v):\n%s", err, out.String())
	}
}

// TestICMS_KillHelper is the child process of TestICMS_Kill: it runs
// `decant migrate --batch-size 50` on the plan, in the environment
// TestICMS_Kill set, each batch 25ms slower (see slowProgress), until it
// is killed. Without ICMS_TEST_KILL_HELPER it does nothing.
func TestICMS_KillHelper(t *testing.T) {
	if os.Getenv(killHelper) == "" {
		t.Skip("the child process of TestICMS_Kill")
	}
	o := cli.MigrateOpts{Common: cli.Common{Config: planFile}, BatchSize: killBatch, Progress: slowProgress{}}
	if _, err := cli.RunMigrate(context.Background(), o, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// slowProgress takes 25ms to hear of each committed batch, which holds up
// the writer that committed it: a run slow enough to be killed part way.
type slowProgress struct{}

func (slowProgress) StepStarted(string, int64) {}
func (slowProgress) Batch(string, decant.BatchAudit) {
	time.Sleep(25 * time.Millisecond)
}
func (slowProgress) StepDone(engine.StepResult) {}
func (slowProgress) RoundError(error)           {}
