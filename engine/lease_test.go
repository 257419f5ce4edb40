package engine_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// deadPID returns the pid of a process that has run and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	must(t, cmd.Run())
	return cmd.Process.Pid
}

// Ensure a lease left by a dead run of this host is taken over at once,
// and one held by a live process or by another host is not.
func TestRun_LeaseTakeover(t *testing.T) {
	self := decant.Holder{Host: "testhost", PID: os.Getpid(), ID: "this-run"}
	dead := deadPID(t)
	tests := []struct {
		name     string
		held     decant.Holder
		takeOver bool
	}{
		{"dead pid, same host", decant.Holder{Host: "testhost", PID: dead, ID: "killed-run"}, true},
		{"own pid, other run", decant.Holder{Host: "testhost", PID: os.Getpid(), ID: "library-call"}, false},
		{"live parent pid", decant.Holder{Host: "testhost", PID: os.Getppid(), ID: "parent-run"}, false},
		{"dead pid, other host", decant.Holder{Host: "otherhost", PID: dead, ID: "killed-run"}, false},
		// Unless the test runs as root, signalling pid 1 gives EPERM: alive.
		{"init", decant.Holder{Host: "testhost", PID: 1, ID: "init"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, 5, "people: [person]", nil)
			cfg := f.config(t)
			cfg.Holder = self
			must(t, cfg.Store.(decant.StateInitializer).Init(ctx))
			must(t, cfg.Store.(decant.Leaser).AcquireLease(ctx, decant.DefaultScope, tt.held, time.Minute))
			_, err := engine.Run(ctx, cfg, nil)
			if tt.takeOver {
				if err != nil {
					t.Fatalf("Run over a dead holder's lease: %v", err)
				}
				if got := f.query(t, "SELECT count(*) FROM people"); got != "5" {
					t.Errorf("people = %s, want 5", got)
				}
				// The run released the lease it took: the old holder's
				// name is gone too.
				if got := f.query(t, "SELECT count(*) FROM decant_scopes WHERE holder_id IS NOT NULL"); got != "0" {
					t.Errorf("%s leases still held after the run", got)
				}
				return
			}
			var le *decant.LeaseError
			if !errors.As(err, &le) || le.HeldBy != tt.held {
				t.Fatalf("err = %v, want a *decant.LeaseError held by %+v", err, tt.held)
			}
			// The lease comes before setup: a refused run changed nothing.
			if got := f.query(t, "SELECT count(*) FROM sqlite_master WHERE name = 'people'"); got != "0" {
				t.Errorf("the refused run ran the setup script (people exists)")
			}
		})
	}
}
