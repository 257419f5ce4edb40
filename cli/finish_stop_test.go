package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/cli"
)

// withHook replaces the tenant plan's on_finish hook.
func (tn *tenant) withHook(t *testing.T, onFinish string) {
	t.Helper()
	b, err := os.ReadFile(tn.plan)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "on_finish: {command: [sh, -c, 'echo fence up for $DECANT_SCOPE']}", "on_finish: "+onFinish, 1)
	if src == string(b) {
		t.Fatal("the tenant plan has no on_finish hook to replace")
	}
	if err := os.WriteFile(tn.plan, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A migrate --finish stopped (Ctrl-C) after on_finish, before the drain
// ended, leaves the scope finishing with the fence up, as it did; but it
// is not a success: it exits 1 saying so and what to run.
func TestFinishStoppedExitsNonZero(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, "sqlite")
	tn.withHook(t, "{command: [sh, -c, 'touch fencing; sleep 0.5']}")
	tn.feed.add(3*time.Hour, 1, 2)
	tn.liveRound(t)
	stop := make(chan struct{})
	go func() { // a Ctrl-C while on_finish runs
		for {
			if _, err := os.Stat(filepath.Join(tn.dir, "fencing")); err == nil {
				close(stop)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	o := cli.MigrateOpts{Common: cli.Common{Config: tn.plan, Scope: "acme"}, Finish: true, Stop: stop}
	var out bytes.Buffer
	_, err := cli.RunMigrate(context.Background(), o, &out, &out)
	var ee *cli.ExitError
	if !errors.As(err, &ee) || ee.Code != 1 ||
		!strings.Contains(err.Error(), "scope acme was not finished: stopped while finishing, with the fence up; run decant migrate --finish again") {
		t.Errorf("a stopped migrate --finish = %v, want exit 1 saying it was not finished\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "scope acme: live → finishing (migrate --finish): stopped before the sources were drained") {
		t.Errorf("output:\n%s", out.String())
	}
	if got := mustRun(t, "status", "-c", tn.plan, "--scope", "acme").stdout; !strings.Contains(got, "scope acme: finishing since") {
		t.Errorf("status after the stop:\n%s", got)
	}
}
