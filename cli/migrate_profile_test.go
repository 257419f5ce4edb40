package cli_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure migrate --cpuprofile and --memprofile write both profiles (pprof's
// gzipped protocol buffers) and the run still migrates.
func TestMigrateProfiles(t *testing.T) {
	// Not parallel: a process holds one CPU profile at a time.
	s := newShop(t)
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	mustRun(t, "migrate", "-c", s.plan, "--cpuprofile", cpu, "--memprofile", mem)
	if got := s.count(t, "customers"); got != "2" {
		t.Errorf("customers holds %s rows after the profiled migrate, want 2", got)
	}
	checkProfiles(t, cpu, mem)
}

// Ensure verify --cpuprofile and --memprofile write both profiles too, and
// the verify still runs (clean, exit 0).
func TestVerifyProfiles(t *testing.T) {
	// Not parallel: a process holds one CPU profile at a time.
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	mustRun(t, "verify", "-c", s.plan, "--cpuprofile", cpu, "--memprofile", mem)
	checkProfiles(t, cpu, mem)
}

// checkProfiles fails t unless cpu and mem hold a CPU and a heap profile
// in pprof's format (gzipped protocol buffers).
func checkProfiles(t *testing.T, cpu, mem string) {
	t.Helper()
	for _, path := range []string{cpu, mem} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Fatalf("%s is not gzip (pprof's format): starts with % x", filepath.Base(path), b[:min(len(b), 8)])
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		if len(raw) == 0 {
			t.Errorf("%s holds an empty profile", filepath.Base(path))
		}
		// A heap profile names its sample types; a CPU profile its own.
		want := map[string]string{cpu: "nanoseconds", mem: "inuse_space"}[path]
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("%s: the profile does not name %q", filepath.Base(path), want)
		}
	}
}

// Ensure a profile path that cannot be created is refused, naming the
// flag, before anything is migrated.
func TestMigrateProfileBadPath(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, flag := range []string{"--cpuprofile", "--memprofile"} {
		bad := filepath.Join(t.TempDir(), "missing", "p.pprof")
		r := run(t, "migrate", "-c", s.plan, flag, bad)
		if r.code != 2 || !strings.Contains(r.stderr, flag+" "+bad) || !strings.Contains(r.stderr, "directory that exists") {
			t.Errorf("migrate %s %s: want exit 2 naming the flag and the fix, got %s", flag, bad, r)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "target.db")); !os.IsNotExist(err) {
		t.Errorf("the refused runs opened the target (stat: %v), want it untouched", err)
	}
}
