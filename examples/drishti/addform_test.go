package drishti_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/examples/drishti/drishtifeed"
	"github.com/decanthq/decant/internal/testenv"
)

// pncVisitMigration creates the table of the form pnc_visit as README.md's
// "Adding a question or a form" says: the envelope columns and a column per
// field, in snake_case.
const pncVisitMigration = `CREATE TABLE pnc_visit (
    instance_id                  text PRIMARY KEY,
    entity_id                    text,
    anm_id                       text,
    form_name                    text NOT NULL,
    client_version               timestamptz,
    server_version               timestamptz NOT NULL,
    form_data_definition_version text,
    mother_id                    text,
    pnc_visit_day                numeric,
    pnc_visit_date               date
);
`

// TestDrishti_AddingAForm follows README.md's steps for a new form on a
// copy of the example: a migration and a route, then the migration applied
// with `decant db up`, then check and `decant errors retry`. The parked
// pnc_visit submissions are written and resolved; a retry before the
// migration is applied fails and changes nothing, which is why the README
// applies it first.
func TestDrishti_AddingAForm(t *testing.T) {
	dbURL := testenv.Postgres(t)
	db := connect(t, dbURL)
	subs := drishtifeed.NewGenerator(drishtifeed.Config{Seed: 1}).Next(400)
	var pnc int64
	for _, s := range subs {
		if s.FormName == "pnc_visit" {
			pnc++
		}
	}
	if pnc == 0 {
		t.Fatal("the generator made no pnc_visit submission: pick another seed or size")
	}
	hs := httptest.NewServer(drishtifeed.NewServer(subs))
	t.Cleanup(hs.Close)
	t.Setenv("DRISHTI_FEED_URL", hs.URL+drishtifeed.Path)
	t.Setenv("DRISHTI_FEED_USER", "")
	t.Setenv("DRISHTI_FEED_PASSWORD", "")
	t.Setenv("DECANT_TARGET", dbURL)

	dir := copyExample(t)
	plan := filepath.Join(dir, "decant.yaml")
	decant(t, 0, "-c", plan, "migrate")
	parked := "SELECT count(*) FROM decant_errors WHERE NOT resolved AND message = 'unknown form name: pnc_visit'"
	if n := queryInt(t, db, parked); n != pnc {
		t.Fatalf("after the first migrate, %d pnc_visit submissions are parked, want %d", n, pnc)
	}

	// 1. The table, in a new migration. 2. The route.
	writeFile(t, filepath.Join(dir, "migrations", "0002_pnc_visit.sql"), pncVisitMigration)
	src, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	routed := strings.Replace(string(src), "        delivery_outcome: []\n", "        delivery_outcome: []\n        pnc_visit: []\n", 1)
	if routed == string(src) {
		t.Fatal("the example's routes changed: cannot add pnc_visit under them")
	}
	writeFile(t, plan, routed)

	// A retry before the migration is applied fails on the missing table.
	attempts := "SELECT sum(attempts) FROM decant_errors"
	before := queryInt(t, db, attempts)
	if out := decant(t, 1, "-c", plan, "errors", "retry"); !strings.Contains(out, "pnc_visit") {
		t.Errorf("errors retry before db up does not name the missing table:\n%s", out)
	}
	if n, a := queryInt(t, db, parked), queryInt(t, db, attempts); n != pnc || a != before {
		t.Errorf("errors retry before db up changed the errors: %d parked (want %d), attempts %d (want %d)", n, pnc, a, before)
	}

	// 3. Apply the migration. 4. Check. 5. Retry.
	decant(t, 0, "db", "up", "--database", dbURL, "--dir", filepath.Join(dir, "migrations"))
	decant(t, 0, "-c", plan, "check")
	decant(t, 0, "-c", plan, "errors", "retry")
	if n := queryInt(t, db, parked); n != 0 {
		t.Errorf("after db up and errors retry, %d pnc_visit submissions are still parked", n)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM pnc_visit"); n != pnc {
		t.Errorf("pnc_visit holds %d rows, want %d", n, pnc)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM error_audit WHERE form_name = 'pnc_visit'"); n != 0 {
		t.Errorf("error_audit still lists %d pnc_visit submissions", n)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM decant_errors WHERE NOT resolved AND message <> 'unknown form name: mystery_form'"); n != 0 {
		t.Errorf("%d errors other than mystery_form remain unresolved", n)
	}
}

// copyExample copies the plan, its migrations and its setup file into a
// temporary directory, so a test can add to them.
func copyExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"decant.yaml", "audit_views.sql", "migrations/0001_forms.sql"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, f), string(b))
	}
	return dir
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// decant runs the command line in process and fails the test unless it
// exits with code; it returns stdout and stderr together.
func decant(t *testing.T, code int, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if got := cli.Main(context.Background(), args, &out, &out, nil); got != code {
		t.Fatalf("decant %s: exit %d, want %d\n%s", strings.Join(args, " "), got, code, out.String())
	}
	return out.String()
}
