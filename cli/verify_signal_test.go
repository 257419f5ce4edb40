package cli_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant/cli"
)

// A SIGINT stops a verify as a cancel does: exit 2, the message says how
// to resume, and the findings of the steps verified before are kept. Not
// parallel, as TestSignalsStopThenAbort is: the signal goes to the whole test process.
func TestSignalsStopVerify(t *testing.T) {
	f := newEventFeed(t, 5)
	s := feedShop(t, f)
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	f.watch(func() {
		if err := self.Signal(syscall.SIGINT); err != nil {
			t.Error(err)
		}
		time.Sleep(100 * time.Millisecond) // let the signal land before the page is served
	})
	var out, errw bytes.Buffer
	code := cli.Main(context.Background(), []string{"verify", "-c", s.plan}, &out, &errw, nil)
	if code != 2 || !strings.Contains(errw.String(), "verify step events") || !strings.Contains(errw.String(), "--resume") {
		t.Fatalf("verify stopped by SIGINT: exit %d, want 2 naming the step and --resume:\n%s\n%s", code, out.String(), errw.String())
	}
	if got, want := keptFindings(t, s), []string{"events diff 1", "orders diff 2"}; !slices.Equal(got, want) {
		t.Errorf("diffs after the stopped verify %v; want %v", got, want)
	}
}
