package icms_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	v1 "github.com/decanthq/decant/examples/icms/v1"
	"github.com/decanthq/decant/internal/testenv"
)

// storedError is one error of `decant errors list --json`.
type storedError struct {
	Step, Key, Message, Detail, Payload string
}

// lineCol is the parser's position in a malformed document's error.
var lineCol = regexp.MustCompile(`is not well-formed XML: line \d+, column \d+: `)

// Ensure a full migration, in ICMS's order and at ICMS's --batchsize,
// leaves V2's tables holding V1's rows: decimals exact, London wall-clock
// times in UTC, dates, the ENUM statuses, the flags as booleans, NULLs,
// and the XML details as columns and child rows (the goods; the
// namespaced checklist and its checks). The malformed documents are
// stored errors naming the parser's line and column, one per step that
// reads them, and verify finds nothing missing, extra or different.
func TestICMS_Migrate(t *testing.T) {
	s := newSite(t)
	s.env(t)
	sum := s.migrate(t, "--batch-size", "100")
	wantSteps := []string{"users", "countries", "units", "commodities", "case_files", "import_applications", "ia_checklists", "ia_licences"}
	if got := sum.stepNames(); !slices.Equal(got, wantSteps) {
		t.Errorf("migrate ran steps %q, want %q", got, wantSteps)
	}
	bad := v1.MalformedIDs(numApps)
	for _, st := range sum.Steps {
		if st.Step == "import_applications" && st.Phase == "load" {
			if st.Read != numApps || st.Failed != int64(len(bad)) || st.Batches < numApps/100 {
				t.Errorf("import_applications: read %d, failed %d in %d batches; want %d read, %d failed, at least %d batches of 100",
					st.Read, st.Failed, st.Batches, numApps, len(bad), numApps/100)
			}
		}
	}
	s.check(t)

	// The malformed documents: an error each in the two steps that read
	// the details, with the parser's position, and the payload kept.
	var errs []storedError
	decodeJSON(t, mustRun(t, "errors", "list", "--json", "--limit", "0"), &errs)
	var got, wantErrs []string
	for _, e := range errs {
		got = append(got, e.Step+" "+e.Key)
		if !lineCol.MatchString(e.Message + e.Detail) {
			t.Errorf("error of %s key %s does not name the line and column: %s\n%s", e.Step, e.Key, e.Message, e.Detail)
		}
		if !strings.Contains(e.Payload, `"xml_data":`) {
			t.Errorf("error of %s key %s has no payload with the XML: %q", e.Step, e.Key, e.Payload)
		}
	}
	for _, step := range []string{"import_applications", "ia_checklists"} {
		for _, id := range bad {
			wantErrs = append(wantErrs, fmt.Sprintf("%s %d", step, id))
		}
	}
	slices.Sort(got)
	slices.Sort(wantErrs)
	if !slices.Equal(got, wantErrs) {
		t.Errorf("stored errors %q, want %q", got, wantErrs)
	}

	// Verify reads V1 again and compares: clean, the malformed rows as
	// errors only.
	var v struct {
		Clean bool
		Steps []struct {
			Step                                        string
			Checked, OK, Missing, Extra, Diffs, Changes int
			Errors, Duplicates                          int
		}
	}
	r := decantRun(t, "verify", "--json")
	decodeJSON(t, r, &v)
	if r.code != 0 || !v.Clean {
		t.Errorf("verify is not clean: %s", r)
	}
	for _, st := range v.Steps {
		wantErrors := 0
		if st.Step == "import_applications" || st.Step == "ia_checklists" {
			wantErrors = len(bad)
		}
		if st.Missing+st.Extra+st.Diffs+st.Changes+st.Duplicates != 0 || st.Errors != wantErrors || st.OK == 0 {
			t.Errorf("verify of %s: %+v; want no missing, extra, diffs, changes or duplicates, %d errors", st.Step, st, wantErrors)
		}
	}
}

// userTables is the tables of the target's public schema that are not
// decant's own (decant_*).
func (s *site) userTables(t *testing.T) []string {
	t.Helper()
	return testenv.Rows(t, s.db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name NOT LIKE 'decant\_%' ORDER BY table_name`)
}

// Ensure the plan's guards: without ALLOW_DATA_MIGRATION=true (unset, or
// "True" as ICMS's README wrote it) migrate is refused, naming the
// variable, before it connects, and the target is left untouched; in
// production (APP_ENV, in any case) reset needs --yes and then takes back
// every row; reset --migrations --yes also reverts V2's schema, leaving
// no table but decant's state.
func TestICMS_Guards(t *testing.T) {
	s := newSite(t)
	s.env(t)
	for _, allow := range []string{"", "True"} {
		t.Setenv("ALLOW_DATA_MIGRATION", allow)
		if allow == "" {
			os.Unsetenv("ALLOW_DATA_MIGRATION") // t.Setenv restores it
		}
		r := decantRun(t, "migrate")
		found := "it is not set"
		if allow != "" {
			found = `it is "True"`
		}
		if r.code != 1 || !strings.Contains(r.stderr, `migrate refused by the plan's guards: ALLOW_DATA_MIGRATION must be "true"`) ||
			!strings.Contains(r.stderr, found) {
			t.Errorf("migrate with ALLOW_DATA_MIGRATION=%q: want exit 1 naming the variable, its value and %q:\n%s", allow, found, r)
		}
		if n := s.count(t, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"); n != 0 {
			t.Errorf("a refused migrate left %d tables in the target", n)
		}
	}
	t.Setenv("ALLOW_DATA_MIGRATION", "true")

	// Production: the first migrate writes into empty tables, which needs
	// no --yes; reset does.
	t.Setenv("APP_ENV", "Production")
	s.migrate(t)
	s.check(t)
	r := decantRun(t, "reset")
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("reset in production without --yes: want exit 2 asking for --yes:\n%s", r)
	}
	s.check(t)
	var reset struct {
		Records, Rows int
		State         string
		Migrations    []string
	}
	decodeJSON(t, mustRun(t, "reset", "--yes", "--json"), &reset)
	if reset.Records == 0 || reset.Rows <= reset.Records || reset.State != "new" {
		t.Errorf("reset --yes: %+v; want every record and its rows deleted, the scope new", reset)
	}
	compareTables(t, "after reset --yes", map[string][]string{}, dump(t, s.db))
	if n := s.count(t, "SELECT count(*) FROM decant_ledger") + s.count(t, "SELECT count(*) FROM decant_errors"); n != 0 {
		t.Errorf("reset --yes left %d ledger and error rows", n)
	}
	if n := s.count(t, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'staging'"); n != 0 {
		t.Errorf("reset --yes left %d staging tables", n)
	}

	// A rehearsal again, then ICMS's flush and migrate ... zero.
	s.migrate(t)
	s.check(t)
	r = decantRun(t, "reset", "--migrations")
	if r.code != 2 || s.count(t, "SELECT count(*) FROM import_applications") == 0 {
		t.Errorf("reset --migrations in production without --yes: want exit 2 and nothing deleted:\n%s", r)
	}
	decodeJSON(t, mustRun(t, "reset", "--migrations", "--yes", "--json"), &reset)
	wantMigrations := []string{"4 import_applications", "3 case_files", "2 reference", "1 users"}
	if !slices.Equal(reset.Migrations, wantMigrations) {
		t.Errorf("reset --migrations reverted %q, want %q", reset.Migrations, wantMigrations)
	}
	if got := s.userTables(t); len(got) != 0 {
		t.Errorf("after reset --migrations --yes the schema still holds %q", got)
	}
	if n := s.count(t, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'staging'"); n != 0 {
		t.Errorf("after reset --migrations --yes the staging schema is still there")
	}
	// And the rehearsal after it starts from an empty schema.
	s.migrate(t)
	s.check(t)
}

// Ensure ICMS's --skip_file and --start=ia.2: a run that skips the file
// group writes every table but the case files; after the applications'
// steps are reset and only their first step run again, --start ia.2 runs
// the second and third steps of the group and nothing else; an index past
// the group's steps is refused with the list of them; and a plain run then
// reads the files it skipped.
func TestICMS_StartSkip(t *testing.T) {
	s := newSite(t)
	s.env(t)
	sum := s.migrate(t, "--skip", "file")
	if got := sum.stepNames(); slices.Contains(got, "case_files") || len(got) != 7 {
		t.Errorf("migrate --skip file ran %q; want every step but case_files", got)
	}
	s.check(t, "file")

	var reset struct{ Records int }
	decodeJSON(t, mustRun(t, "reset", "--group", "ia", "--yes", "--json"), &reset)
	// The ledger's records: every application, every checklist and the
	// malformed documents the checklist step failed on, every licence.
	if want := len(s.data.Applications) + len(want(s.data)["import_application_checklists"]) + len(v1.MalformedIDs(numApps)) +
		len(s.data.Licences); reset.Records != want {
		t.Errorf("reset --group ia deleted %d records, want %d", reset.Records, want)
	}
	s.check(t, "file", "import_application")

	s.migrate(t, "--only", "import_applications")
	batches := s.count(t, "SELECT count(*) FROM decant_batches WHERE step = 'import_applications'")
	sum = s.migrate(t, "--start", "ia.2")
	if got, want := sum.stepNames(), []string{"ia_checklists", "ia_licences"}; !slices.Equal(got, want) {
		t.Errorf("migrate --start ia.2 ran %q, want %q", got, want)
	}
	if n := s.count(t, "SELECT count(*) FROM decant_batches WHERE step = 'import_applications'"); n != batches {
		t.Errorf("migrate --start ia.2 wrote %d batches of import_applications", n-batches)
	}
	s.check(t, "file")

	r := decantRun(t, "migrate", "--start", "ia.4")
	if r.code != 2 || !strings.Contains(r.stderr, "1 import_applications, 2 ia_checklists, 3 ia_licences") {
		t.Errorf("migrate --start ia.4: want exit 2 listing the group's steps:\n%s", r)
	}

	sum = s.migrate(t)
	for _, st := range sum.Steps {
		// The extract of each step but case_files resumes at its end.
		if (st.Step == "case_files") != (st.Read > 0) {
			t.Errorf("the run after the skip read %d records of %s; want the case files alone", st.Read, st.Step)
		}
	}
	s.check(t)
}

// Ensure ICMS's two stages: --phase extract copies V1 into the staging
// tables and writes nothing of V2; status shows each step's extract with
// its staged records; --phase load then fills V2 from the staging tables
// while V1 cannot be reached at all; and verify, reading V1 again, finds
// the load clean.
func TestICMS_Staged(t *testing.T) {
	s := newSite(t)
	s.env(t)
	sum := s.migrate(t, "--phase", "extract")
	for _, st := range sum.Steps {
		if st.Phase != "extract" || st.Failed != 0 {
			t.Errorf("migrate --phase extract: step %s phase %q failed %d; want extracts only, none failing", st.Step, st.Phase, st.Failed)
		}
	}
	if n := s.count(t, "SELECT count(*) FROM staging.import_applications"); n != numApps {
		t.Errorf("staging.import_applications holds %d records, want all %d, the malformed ones too", n, numApps)
	}
	compareTables(t, "after --phase extract", map[string][]string{}, dump(t, s.db))

	var status []struct {
		Step, Phase     string
		Staged, Written int
	}
	decodeJSON(t, mustRun(t, "status", "--json"), &status)
	var extracts int
	for _, l := range status {
		if l.Phase == "extract" {
			extracts++
		}
		if l.Step == "import_applications" && l.Phase == "extract" && l.Staged != numApps {
			t.Errorf("status of import_applications' extract: %+v, want %d staged", l, numApps)
		}
	}
	if extracts != 8 {
		t.Errorf("status shows %d extracts, want one per step (8): %+v", extracts, status)
	}

	t.Setenv("ICMS_V1_URL", "mysql://nobody:nothing@127.0.0.1:1/icms_v1") // nothing answers there
	sum = s.migrate(t, "--phase", "load")
	if got := sum.stepNames(); len(got) != 8 {
		t.Errorf("migrate --phase load ran %q, want the 8 steps", got)
	}
	s.check(t)

	t.Setenv("ICMS_V1_URL", s.v1URL)
	var v struct{ Clean bool }
	r := decantRun(t, "verify", "--json")
	decodeJSON(t, r, &v)
	if r.code != 0 || !v.Clean {
		t.Errorf("verify after a staged load is not clean: %s", r)
	}
}
