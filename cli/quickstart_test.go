package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// errorJSON is one error as `errors list --json` and `errors show --json`
// print it.
type errorJSON struct {
	ID       int64  `json:"id"`
	Scope    string `json:"scope"`
	Step     string `json:"step"`
	Key      string `json:"key"`
	Message  string `json:"message"`
	Detail   string `json:"detail"`
	Payload  string `json:"payload"`
	Attempts int    `json:"attempts"`
	Resolved bool   `json:"resolved"`
}

// The bundled quickstart, through the commands a user runs: migrate, then
// status, errors list, errors show and preview read what it wrote.
func TestQuickstart(t *testing.T) {
	t.Setenv("DECANT_TARGET", testenv.SQLite(t))
	cfg := filepath.Join(quickstart(t), "decant.yaml")

	mustRun(t, "-c", cfg, "migrate")

	var status []decant.StepStatus
	decodeJSON(t, mustRun(t, "-c", cfg, "status", "--json"), &status)
	if len(status) != 1 {
		t.Fatalf("status --json: %d steps, want 1: %+v", len(status), status)
	}
	st := status[0]
	// 200 orders and one truncated line: 198 written, 3 stored errors.
	if st.Scope != "default" || st.Step != "orders" || st.Read != 201 || st.Written != 198 || st.Failed != 3 || st.Batches != 5 {
		t.Errorf("status --json = %+v, want scope default, step orders, read 201, written 198, failed 3, batches 5", st)
	}
	if st.LastBatch.IsZero() || st.Rate <= 0 || len(st.Checkpoint) == 0 {
		t.Errorf("status --json = %+v, want a last batch time, a rate and a checkpoint", st)
	}

	var errs []errorJSON
	decodeJSON(t, mustRun(t, "-c", cfg, "errors", "list", "--json"), &errs)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message)
		if e.ID <= 0 || e.Step != "orders" || e.Attempts != 1 || e.Resolved || e.Detail == "" || e.Payload == "" {
			t.Errorf("errors list --json: incomplete error %+v", e)
		}
	}
	want := "invalid value for total|record has no key|record is not valid JSON"
	slices.Sort(msgs)
	if got := strings.Join(msgs, "|"); got != want {
		t.Fatalf("errors list --json messages = %q, want %q", got, want)
	}

	// errors show prints one error in full: detail and payload untruncated.
	var bad errorJSON
	for _, e := range errs {
		if e.Message == "invalid value for total" {
			bad = e
		}
	}
	id := strconv.FormatInt(bad.ID, 10)
	r := mustRun(t, "-c", cfg, "errors", "show", id)
	for _, s := range []string{"error " + id, "key:      " + bad.Key, "message:  invalid value for total", bad.Detail, bad.Payload} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("errors show %s lacks %q:\n%s", id, s, r)
		}
	}
	var shown errorJSON
	decodeJSON(t, mustRun(t, "-c", cfg, "errors", "show", id, "--json"), &shown)
	if shown != bad {
		t.Errorf("errors show %s --json = %+v, want %+v", id, shown, bad)
	}
	if r := run(t, "-c", cfg, "errors", "show", "999999"); r.code != 1 || !strings.Contains(r.stderr, "no error 999999 in scope default") {
		t.Errorf("errors show of an unknown id: want exit 1 and \"no error 999999 in scope default\", got %s", r)
	}
	if r := run(t, "-c", cfg, "errors", "show", "abc"); r.code != 2 || !strings.Contains(r.stderr, "not an error id") {
		t.Errorf("errors show abc: want exit 2 (a usage error) and \"not an error id\", got %s", r)
	}

	// preview reads from the checkpoint; a scope without one starts at the
	// beginning of the file. It writes nothing.
	r = mustRun(t, "-c", cfg, "--scope", "fresh", "preview", "orders", "-n", "2")
	if strings.Count(r.stdout, "== record ") != 2 || !strings.Contains(r.stdout, "== record ord-0001") ||
		!strings.Contains(r.stdout, "== record ord-0002") || !strings.Contains(r.stdout, "-> order_items") {
		t.Errorf("preview orders -n 2 from the start: want records ord-0001 and ord-0002 with their rows:\n%s", r)
	}
	if r := mustRun(t, "-c", cfg, "preview", "orders", "-n", "2"); strings.Contains(r.stdout, "== record") {
		t.Errorf("preview at the end of the file printed records:\n%s", r)
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "--scope", "fresh", "status", "--json"), &status)
	if len(status) != 0 {
		t.Errorf("preview wrote state: status of its scope = %+v", status)
	}
}

// check exits 2, and says why, when a step maps a column the target table
// does not have.
func TestCheckMissingColumn(t *testing.T) {
	qs := quickstart(t)
	target := testenv.SQLite(t)
	// The quickstart's own plan creates the tables.
	t.Setenv("DECANT_TARGET", target)
	mustRun(t, "-c", filepath.Join(qs, "decant.yaml"), "migrate")

	src, err := os.ReadFile(filepath.Join(qs, "decant.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p := strings.NewReplacer(
		"file:data/orders.jsonl", "file:"+filepath.Join(qs, "data", "orders.jsonl"),
		"setup: [schema.sql]", "",
		"      note: record.note\n", "      note: record.note\n      coupon_code: record.coupon\n",
	).Replace(string(src))
	if !strings.Contains(p, "coupon_code") {
		t.Fatal("the quickstart plan changed: cannot add a column to its map")
	}
	cfg := writePlan(t, p)

	r := run(t, "-c", cfg, "check")
	if r.code != 2 {
		t.Fatalf("check with a missing column: want exit 2, got %s", r)
	}
	if !strings.Contains(r.stdout, "FAIL step orders") || !strings.Contains(r.stdout, "coupon_code") {
		t.Errorf("check output does not name the step and the column:\n%s", r)
	}
	if !strings.Contains(r.stderr, "check found problems") {
		t.Errorf("check stderr does not say it found problems:\n%s", r)
	}
	// The unchanged plan passes.
	if r := run(t, "-c", filepath.Join(qs, "decant.yaml"), "check"); r.code != 0 {
		t.Errorf("check of the quickstart after migrate: %s", r)
	}
}

// init writes a starter plan that loads, and refuses to overwrite it
// without --force.
func TestInit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.yaml")
	r := mustRun(t, "init", path)
	if !strings.Contains(r.stdout, "wrote "+path) {
		t.Errorf("init output: %s", r)
	}
	p, err := plan.Load(path, plan.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("the starter plan does not load: %v", err)
	}
	if len(p.Steps) == 0 || p.Connections[p.Target] == "" {
		t.Errorf("the starter plan has no steps or no target: %+v", p)
	}
	if r := run(t, "init", path); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("init over an existing file: want exit 1 and \"exists\", got %s", r)
	}
	if err := os.WriteFile(path, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "init", "--force", path)
	if _, err := plan.Load(path, plan.Options{}); err != nil {
		t.Errorf("init --force did not rewrite the plan: %v", err)
	}
}
