package commcare_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant/examples/commcare/hq"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

// killSite is a domain in pouchdb-server and two PostgreSQL targets: one
// whose runs are killed, one migrated once without interruption.
type killSite struct {
	couch           *hq.Couch
	bin             string
	killed, clean   string
	killedDB        *sql.DB
	domain          hq.Domain
	revs            map[string]string
	pageSize, batch string
}

// TestCommCareKill kills `decant migrate` with SIGKILL after a random number
// of batches of the bulk phase, and again of the changes phase (documents edited,
// added and deleted after the bulk), runs it again each time, and compares
// the target with that of the same two runs uninterrupted: the same forms,
// cases and case actions, the same ledger (deleted keys included). While the first
// run holds the scope, a second run on it is refused with the lease
// message, naming the holder.
func TestCommCareKill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := &killSite{couch: &hq.Couch{DB: testenv.CouchDBDatabase(t)}, bin: buildDecant(t),
		killed: testenv.Postgres(t), clean: testenv.Postgres(t), domain: hq.Generate("delta", 300),
		pageSize: "40", batch: "40"}
	db, err := migrations.Open(k.killed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	k.killedDB = db
	if k.revs, err = k.couch.Load(ctx, k.domain, hq.Generate("echo", 20)); err != nil {
		t.Fatal(err)
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("kill moments from seed %d", seed)

	// The bulk phase, killed at a random moment after its first batch; a
	// second run meanwhile is refused.
	k.killAfter(t, rng, "bulk", func() {
		// Hold the run on a lock on forms, so that it is surely still at
		// work while the second one starts.
		tx, err := k.killedDB.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec("LOCK TABLE forms IN SHARE MODE"); err != nil {
			t.Fatal(err)
		}
		r := k.run(t, k.killed, "migrate", "--scope", "delta")
		if r.code == 0 || !strings.Contains(r.stderr, `scope "delta" is being migrated by `) || !strings.Contains(r.stderr, "wait for it to finish or stop it") {
			t.Errorf("a second run on a scope being migrated:\n%s", r)
		}
	})
	k.mustRun(t, k.killed, "migrate", "--scope", "delta")
	k.mustRun(t, k.clean, "migrate", "--scope", "delta")

	// The changes phase: every case edited, a follow-up form each, two
	// forms deleted; killed at a random moment, then run to the end.
	var docs []any
	for i, c := range k.domain.Cases {
		c.Rev = k.revs[c.ID]
		c.Name += " (edited)"
		c.Actions = append(c.Actions, hq.Action{ActionType: "update", Date: "2024-06-01T10:00:00.000000Z", XFormID: fmt.Sprintf("delta-later-%05d", i)})
		docs = append(docs, c, hq.Form{ID: fmt.Sprintf("delta-later-%05d", i), DocType: hq.FormType, Domain: "delta",
			XMLNS: "http://openrosa.org/formdesigner/followup", ReceivedOn: "2024-06-01T10:00:00.000000Z", UserID: c.OwnerID,
			Form: map[string]any{"@name": "Follow-up", "case": map[string]any{"@case_id": c.ID}}})
	}
	if _, err := k.couch.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for _, f := range k.domain.Forms[10:12] {
		if err := k.couch.Delete(ctx, f.ID, k.revs[f.ID]); err != nil {
			t.Fatal(err)
		}
	}
	k.killAfter(t, rng, "changes", nil)
	k.mustRun(t, k.killed, "migrate", "--scope", "delta")

	k.mustRun(t, k.clean, "migrate", "--scope", "delta")
	for _, q := range []string{
		"SELECT id, domain, doc_type, xmlns, form_name, received_on, user_id, case_id, form FROM forms ORDER BY id",
		"SELECT * FROM cases ORDER BY id",
		"SELECT * FROM case_actions ORDER BY case_id, idx",
		"SELECT scope, step, key, status, source_hash, target_hash FROM decant_ledger ORDER BY scope, step, key",
		"SELECT count(*) FROM decant_errors",
	} {
		killed, clean := k.dump(t, k.killed, q), k.dump(t, k.clean, q)
		if !slices.Equal(killed, clean) {
			t.Errorf("%s: the killed target holds %d rows, the uninterrupted one %d; first differences:\n%s", q, len(killed), len(clean), firstDiff(killed, clean))
		}
	}
	if got := k.dump(t, k.killed, "SELECT id FROM forms WHERE id IN ($1, $2)", k.domain.Forms[10].ID, k.domain.Forms[11].ID); len(got) != 0 {
		t.Errorf("the deleted forms %q are still in the target", got)
	}
	if n := len(k.dump(t, k.killed, "SELECT id FROM cases WHERE name LIKE '%(edited)'")); n != len(k.domain.Cases) {
		t.Errorf("%d cases hold their edit, want %d", n, len(k.domain.Cases))
	}
}

// killAfter starts `decant migrate` on the killed target, waits for a
// batch more than it had, calls during (when not nil) while the run holds
// the scope, waits a random moment and kills it with SIGKILL. It fails
// the test when the run ended by itself before the kill, or when the
// checkpoint it left is not in the CouchDB source's phase.
func (k *killSite) killAfter(t *testing.T, rng *rand.Rand, phase string, during func()) {
	t.Helper()
	before := k.batches(t)
	cmd := k.cmd(k.killed, "migrate", "--scope", "delta")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for k.batches(t) <= before {
		select {
		case err := <-done:
			t.Fatalf("decant ended (%v) before its first batch:\n%s", err, out.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no batch within 30 s:\n%s", out.String())
		}
	}
	if during != nil {
		during()
	}
	// Killed after a random number of batches, not a random time: a run
	// that got faster would end before a kill timed for a slower one.
	target := before + 1 + rng.IntN(10)
	for k.batches(t) < target {
		select {
		case err := <-done:
			t.Fatalf("decant ended (%v) before it was killed, %d batches in, %d wanted; make the domain bigger:\n%s",
				err, k.batches(t)-before, target-before, out.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("decant was not killed (%v):\n%s", err, out.String())
	}
	t.Logf("killed %d batches in (after the %dth)", k.batches(t)-before, target-before)
	var pos string
	if err := k.killedDB.QueryRow("SELECT position FROM decant_checkpoints WHERE scope = 'delta'").Scan(&pos); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pos, `"phase":"`+phase+`"`) {
		t.Errorf("killed at checkpoint %s, want one of the %s phase", pos, phase)
	}
}

// batches counts the killed target's audit rows, 0 before decant made its
// tables.
func (k *killSite) batches(t *testing.T) int {
	t.Helper()
	var n int
	err := k.killedDB.QueryRow("SELECT count(*) FROM decant_batches").Scan(&n)
	if err != nil && strings.Contains(err.Error(), "does not exist") {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// cmd is the decant binary run from this directory on the example's plan,
// reading the site's CouchDB database into target.
func (k *killSite) cmd(target string, args ...string) *exec.Cmd {
	cmd := exec.Command(k.bin, append(args, "-c", planFile)...)
	cmd.Env = append(os.Environ(), "COMMCARE_COUCH_URL=couchdb+"+k.couch.DB, "DECANT_TARGET="+target,
		"COMMCARE_HOOK_URL=http://127.0.0.1:9/hooks-unused", "COMMCARE_LAG=0s",
		"COMMCARE_PAGE_SIZE="+k.pageSize, "COMMCARE_BATCH_SIZE="+k.batch)
	return cmd
}

func (k *killSite) run(t *testing.T, target string, args ...string) result {
	t.Helper()
	cmd := k.cmd(target, args...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A run that should be refused but waits instead (on the lock the
	// lease test holds) is ended rather than left to hang the test.
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errw.String()}
}

func (k *killSite) mustRun(t *testing.T, target string, args ...string) result {
	t.Helper()
	r := k.run(t, target, args...)
	if r.code != 0 {
		t.Fatalf("decant %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// dump is a query's rows on target, one string a row.
func (k *killSite) dump(t *testing.T, target, query string, args ...any) []string {
	t.Helper()
	db, err := migrations.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return testenv.Rows(t, db, query, args...)
}

// firstDiff shows the first few rows where a and b differ.
func firstDiff(a, b []string) string {
	var lines []string
	for i := 0; i < max(len(a), len(b)) && len(lines) < 6; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			lines = append(lines, fmt.Sprintf("  row %d: killed %q\n          clean  %q", i, x, y))
		}
	}
	return strings.Join(lines, "\n")
}

// buildDecant builds cmd/decant into the test's temporary directory.
func buildDecant(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "decant")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-o", bin, "./cmd/decant")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/decant: %v\n%s", err, out)
	}
	return bin
}
