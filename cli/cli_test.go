package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// result is what one in-process run of the decant command printed.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

// run runs the root command in this process with args, as cmd/decant
// does, and returns the exit code and what it printed.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errw bytes.Buffer
	code := cli.Main(context.Background(), args, &out, &errw, nil)
	return result{code: code, stdout: out.String(), stderr: errw.String()}
}

// mustRun is run that fails the test unless the exit code is 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := run(t, args...)
	if r.code != 0 {
		t.Fatalf("decant %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// decodeJSON decodes a command's --json output into v.
func decodeJSON(t *testing.T, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("output is not the JSON expected (%v):\n%s", err, r)
	}
}

// quickstart is the bundled quickstart's directory.
func quickstart(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "examples", "quickstart"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// writePlan writes a plan file into a new directory and returns its path.
func writePlan(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "decant.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
