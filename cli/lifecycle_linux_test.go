//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/decanthq/decant/cli"
)

// ptyPair opens a pseudo-terminal: what a test writes to master, a
// reader of slave reads as typed.
func ptyPair(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	var n uint32
	for _, c := range []struct {
		req uintptr
		arg unsafe.Pointer
	}{{syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)}, {syscall.TIOCGPTN, unsafe.Pointer(&n)}} {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), c.req, uintptr(c.arg)); errno != 0 {
			t.Fatalf("ioctl %#x: %v", c.req, errno)
		}
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// On a terminal, commit asks for the scope's name: another answer
// changes nothing, the name commits.
func TestCommitAsksOnTerminal(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, "sqlite")
	tn.feed.add(3*time.Hour, 1, 2)
	tn.liveRound(t)
	mustRun(t, "migrate", "--finish", "-c", tn.plan, "--scope", "acme")
	for _, tt := range []struct {
		typed, state string
		ok           bool
	}{{"acne\n", "finished", false}, {"acme\n", "committed", true}} {
		master, slave := ptyPair(t)
		if _, err := master.WriteString(tt.typed); err != nil {
			t.Fatal(err)
		}
		var out, errw bytes.Buffer
		o := cli.LifecycleOpts{Common: cli.Common{Config: tn.plan, Scope: "acme"}, In: slave}
		_, err := cli.RunCommit(context.Background(), o, &out, &errw)
		if (err == nil) != tt.ok || !strings.Contains(errw.String(), "Commit scope acme? It is final") {
			t.Errorf("commit answered %q: %v\nstderr: %s", tt.typed, err, errw.String())
		}
		if !tt.ok && !strings.Contains(err.Error(), "commit of scope acme not confirmed: nothing changed") {
			t.Errorf("a wrong answer says %v", err)
		}
		if got := mustRun(t, "status", "-c", tn.plan, "--scope", "acme").stdout; !strings.Contains(got, "scope acme: "+tt.state+" since") {
			t.Errorf("after answering %q status says:\n%s", tt.typed, got)
		}
	}
}
