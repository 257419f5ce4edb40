//go:build linux

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// openPTY opens a pseudo-terminal of 120x40 with the standard library
// alone: the tests see decant's output as a person's terminal would.
// Reading the returned function's result waits until the slave is closed.
func openPTY(t *testing.T) (slave *os.File, output func() string) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	ioctl(t, master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(t, master, syscall.TIOCGPTN, unsafe.Pointer(&n))
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	ws := struct{ Row, Col, X, Y uint16 }{Row: 40, Col: 120}
	ioctl(t, slave, syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() {
		// Reads end with EIO once the slave is closed.
		_, _ = io.Copy(&buf, master)
		close(done)
	}()
	return slave, func() string {
		slave.Close()
		<-done
		return buf.String()
	}
}

func ioctl(t *testing.T, f *os.File, req uintptr, arg unsafe.Pointer) {
	t.Helper()
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); errno != 0 {
		t.Fatalf("ioctl %#x on %s: %v", req, f.Name(), errno)
	}
}

// ansi matches the escape sequences a terminal display writes.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// TestProgressBarsOnTerminal draws bars on a pseudo-terminal, as decant
// does on a person's terminal, and reads the screen's text: the count, rate
// and ETA of a step whose source gave its size, the count and rate of one
// that did not, and FAILED (not "done") for a step that failed. It once
// showed "3400%!(EXTRA int64=0)".
func TestProgressBarsOnTerminal(t *testing.T) {
	t.Parallel()
	tty, output := openPTY(t)
	if !isTerminal(tty) {
		t.Fatal("isTerminal(pty) = false; want true")
	}
	prog := newProgress(tty)
	b, ok := prog.(*bars)
	if !ok {
		t.Fatalf("newProgress(terminal) = %T; want *bars", prog)
	}
	b.StepStarted("orders", 3400)
	b.StepStarted("events", -1)
	for range 12 {
		b.Batch("orders", decant.BatchAudit{Total: 100, OK: 99, Failed: 1})
		b.Batch("events", decant.BatchAudit{Total: 50, OK: 50})
		time.Sleep(40 * time.Millisecond) // several frames are drawn
	}
	b.StepDone(engine.StepResult{Step: "orders", Read: 1200, Written: 1188, Failed: 12, Duration: time.Second})
	b.StepDone(engine.StepResult{Step: "events", Read: 600, Written: 0, Duration: time.Second, Err: errors.New("source down")})
	b.Close()

	screen := strings.ReplaceAll(ansi.ReplaceAllString(output(), ""), "\r", "\n")
	if strings.Contains(screen, "%!") {
		t.Fatalf("a format error on the terminal:\n%s", screen)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`orders .*\b\d+ of 3400 read, \d+ failed, \d+ rec/s, ETA (<1s|\d+s|\d+m\d+s)`),
		regexp.MustCompile(`events .*\b\d+ read, 0 failed, \d+ rec/s`),
		regexp.MustCompile(`orders .*done, 1200 read, 1188 written, 12 failed in 1s, 1200 rec/s`),
		regexp.MustCompile(`events .*FAILED, 600 read, 0 written, 0 failed`),
	} {
		if !want.MatchString(screen) {
			t.Errorf("the terminal does not show %s:\n%s", want, screen)
		}
	}
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "events") && (strings.Contains(line, "ETA") || strings.Contains(line, "done")) {
			t.Errorf("a step without a size shows an ETA, or a failed step shows done: %q", line)
		}
	}
}

// OpenPTY is openPTY for the tests of package cli_test.
var OpenPTY = openPTY
