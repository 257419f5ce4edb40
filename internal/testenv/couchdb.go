package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

const couchPrefix = "decant-testenv-pouchdb-"

var (
	couchOnce sync.Once
	couchURL  string // the server's base URL, http://host:port
	couchErr  error
)

// CouchDB returns the base URL (http://host:port, no trailing slash) of a
// CouchDB-compatible server for this test: the one named by
// DECANT_TEST_COUCHDB, else a pouchdb-server 4.2.0 started once per test
// binary, in memory, from tools/pouchdb (installed there with npm ci when
// node_modules is missing and npm exists). Without node the test is
// skipped, or fails in CI. Tests share the server: each makes its own
// database, as [CouchDBDatabase] does.
func CouchDB(tb testing.TB) string {
	tb.Helper()
	couchOnce.Do(func() { couchURL, couchErr = couchServer() })
	if couchErr != nil {
		unavailable(tb, "CouchDB (pouchdb-server)", couchErr)
	}
	return couchURL
}

// CouchDBDatabase creates a new, empty database with a name of its own on
// the server of [CouchDB], deleted when the test ends, and returns its
// URL, http://host:port/name.
func CouchDBDatabase(tb testing.TB) string {
	tb.Helper()
	u := CouchDB(tb) + "/" + dbName(tb)
	if err := couchRequest(http.MethodPut, u); err != nil {
		tb.Fatalf("testenv: create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := couchRequest(http.MethodDelete, u); err != nil {
			tb.Errorf("testenv: delete database: %v", err)
		}
	})
	return u
}

// couchServer finds or starts the server that tests create databases in.
func couchServer() (string, error) {
	if u := os.Getenv("DECANT_TEST_COUCHDB"); u != "" {
		u = strings.TrimRight(u, "/")
		if err := couchRequest(http.MethodGet, u); err != nil {
			return "", fmt.Errorf("DECANT_TEST_COUCHDB=%s: %w", decant.RedactURL(u), err)
		}
		return u, nil
	}
	u, err := startPouchDB()
	if err != nil {
		return "", fmt.Errorf("DECANT_TEST_COUCHDB is unset; pouchdb-server: %w", err)
	}
	return u, nil
}

// couchRequest sends a request without a body and fails unless it succeeds.
func couchRequest(method, u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: status %s", method, decant.RedactURL(u), resp.Status)
	}
	return nil
}

// pouchDir is tools/pouchdb of this module, found from this file's path.
func pouchDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tools", "pouchdb")
}

// startPouchDB starts a throwaway in-memory pouchdb-server in a directory
// of its own (it writes config.json and log.txt into its working
// directory) and registers its stop with Main.
func startPouchDB() (string, error) {
	if !mainRunning.Load() {
		return "", errors.New("a throwaway server needs the package's TestMain to call testenv.Main, which stops it")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("no node on PATH: install nodejs and npm (apt-get install nodejs npm), then npm ci --prefix tools/pouchdb")
	}
	bin, err := pouchBinary()
	if err != nil {
		return "", err
	}
	reapStale(couchPrefix, pouchStop)
	dir, err := os.MkdirTemp("", couchPrefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	port, err := freePort()
	if err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	cmd := exec.Command(node, bin, "--in-memory", "--no-stdout-logs", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	cmd.Dir = dir
	out, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return "", errors.Join(fmt.Errorf("start %s: %w", bin, err), os.RemoveAll(dir))
	}
	out.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := os.WriteFile(filepath.Join(dir, "pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		cmd.Process.Kill()
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	stop := func() error {
		cmd.Process.Kill()
		<-exited
		return os.RemoveAll(dir)
	}
	u := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitCouch(u, exited); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		return "", errors.Join(fmt.Errorf("%w\n%s", err, tail(log)), stop())
	}
	registerStop(stop)
	return u, nil
}

// waitCouch waits until the server at u answers, or its process exits.
func waitCouch(u string, exited <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("pouchdb-server exited before answering: %v", err)
		default:
		}
		if couchRequest(http.MethodGet, u) == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("pouchdb-server did not answer at %s within 60s", u)
}

// pouchBinary returns pouchdb-server's script in tools/pouchdb, installing
// the locked packages first when they are missing.
func pouchBinary() (string, error) {
	dir := pouchDir()
	bin := filepath.Join(dir, "node_modules", "pouchdb-server", "bin", "pouchdb-server")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	// Test binaries of several packages may get here at once: one installs,
	// the others wait for it and find the server installed.
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "decant-pouchdb-install.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock the install of pouchdb-server: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("%s is not installed and there is no npm on PATH: install nodejs and npm, then npm ci --prefix tools/pouchdb", bin)
	}
	// --ignore-scripts: the in-memory server needs no native build, and
	// building sqlite3 (for --sqlite, unused here) takes minutes.
	if err := run(exec.Command(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", dir)); err != nil {
		return "", fmt.Errorf("install pouchdb-server: %w", err)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("npm ci --prefix %s did not install %s: %w", dir, bin, err)
	}
	return bin, nil
}

// pouchStop kills the server of a directory left by a test binary that
// died without stopping it.
func pouchStop(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return
	}
	// The pid may have been reused since: kill only a pouchdb-server.
	if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil && strings.Contains(string(cmdline), "pouchdb-server") {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}
