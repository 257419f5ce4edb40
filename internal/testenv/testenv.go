// Package testenv gives tests real databases, never mocks of them.
//
// Each of [Postgres], [MySQL] and [SQLite] returns the URL of a fresh, empty
// database that is dropped when the test ends. The server behind it is, in
// order of preference:
//
//  1. the server named by DECANT_TEST_POSTGRES or DECANT_TEST_MYSQL;
//  2. a local server, if one answers (PostgreSQL at 127.0.0.1:5432 as user
//     postgres, MariaDB at 127.0.0.1:3306 as root with no password; the
//     addresses can be moved with DECANT_TEST_PG_LOCAL and
//     DECANT_TEST_MYSQL_LOCAL, e.g. to 127.0.0.1:1 to force the next option);
//  3. a throwaway server started once per test binary from the system's
//     binaries, in a directory under [os.TempDir].
//
// A package whose tests may start a throwaway server must stop it at the end:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// When no server can be had, the test is skipped with the reason, except in
// CI (CI=true), where it fails: CI must never pass by skipping.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var (
	// mainRunning is set by Main; throwaway servers are only started when Main
	// will stop them.
	mainRunning atomic.Bool

	stopMu sync.Mutex
	// stops holds the stop functions of the throwaway servers this binary started.
	stops []func() error
)

// Main runs the tests of a package, then stops the throwaway servers they
// started, and exits with the tests' exit code. Call it from TestMain.
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	if err := stopServers(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// SQLite returns the URL of a new database file in a temporary directory
// removed when the test ends, in the form sqlite:<dir>/test.db.
func SQLite(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
}

func registerStop(stop func() error) {
	stopMu.Lock()
	defer stopMu.Unlock()
	stops = append(stops, stop)
}

func stopServers() error {
	stopMu.Lock()
	defer stopMu.Unlock()
	var errs []error
	for i := len(stops) - 1; i >= 0; i-- {
		errs = append(errs, stops[i]())
	}
	stops = nil
	return errors.Join(errs...)
}

// unavailable ends a test that cannot get its database: a skip on a
// developer's machine, a failure in CI.
func unavailable(tb testing.TB, what string, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("testenv: no %s for this test (CI=true, so this fails instead of skipping): %v", what, err)
	}
	tb.Skipf("testenv: no %s for this test: %v", what, err)
}

// dbName returns a new database name that is unique and says which test made it.
func dbName(tb testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatalf("testenv: random name: %v", err)
	}
	var sb strings.Builder
	for _, r := range strings.ToLower(tb.Name()) {
		if sb.Len() == 40 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return "t_" + hex.EncodeToString(b[:]) + "_" + sb.String()
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// answers reports whether something accepts TCP connections at addr, so that
// probing an absent local server fails fast instead of waiting on a driver.
func answers(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// serverDir makes the directory of a throwaway server, owned by the account
// the server runs as (name, when running as root) and readable by it: server
// binaries refuse to run as root and need every parent to be traversable.
// It also records this process as the owner so that later runs can reap the
// server if this one dies before stopping it.
func serverDir(prefix, account string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return "", err
	}
	if os.Geteuid() != 0 {
		return dir, nil
	}
	u, err := user.Lookup(account)
	if err != nil {
		return "", fmt.Errorf("running as root, the server must run as %s: %w", account, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return dir, os.Chown(dir, uid, gid)
}

// reapStale stops and removes the throwaway servers of earlier test binaries
// that died without stopping them (a test timeout exits without running
// Main's cleanup).
func reapStale(prefix string, stop func(dir string)) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || alive(pid) {
			continue
		}
		stop(dir)
		os.RemoveAll(dir)
	}
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// command returns cmd to run as account when this process is root.
func command(account, name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", account, "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

// run runs cmd and returns its output in the error when it fails.
func run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, tail(out))
	}
	return nil
}

// tail keeps the end of a command's output, where its error is.
func tail(b []byte) string {
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return strings.TrimSpace(string(b))
}
