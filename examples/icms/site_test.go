package icms_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/cli"
	v1 "github.com/decanthq/decant/examples/icms/v1"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// planFile is the example's plan, relative to this package's directory.
const planFile = "decant.yaml"

// numApps is how many import applications the tests' V1 replicas hold:
// with the plan's page_size of 500 and parallel: 4, several pages for
// each of the four chunks, and at --batch-size 100 several batches each.
const numApps = 2400

// result is what one decant command printed and its exit code.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// decantRun runs the decant command line on the example's plan, in this
// process, with the environment the test set.
func decantRun(t *testing.T, args ...string) result {
	t.Helper()
	var out, errw bytes.Buffer
	code := cli.Main(context.Background(), append(args, "-c", planFile), &out, &errw, nil)
	return result{code: code, stdout: out.String(), stderr: errw.String()}
}

// mustRun is decantRun that fails the test unless the exit code is 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := decantRun(t, args...)
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

// summary is `decant migrate --json`.
type summary struct {
	Steps []struct {
		Step, Phase                    string
		Read, Written, Failed, Batches int64
		Error                          string
	}
}

// stepNames is the steps a migrate summary names, in order: those it
// loaded (the plan stages; each step's extract comes first, with the
// extract of every other step).
func (s summary) stepNames() []string {
	var names []string
	for _, st := range s.Steps {
		if st.Phase != "extract" {
			names = append(names, st.Step)
		}
	}
	return names
}

// site is one rehearsal of the migration: a V1 replica in MariaDB filled
// with v1.Generate(numApps), and an empty PostgreSQL database for V2.
type site struct {
	v1URL, target string
	data          *v1.Data
	db            *sql.DB // the target
}

// newSite makes a site. It does not touch the environment.
func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{v1URL: testenv.MySQL(t), target: testenv.Postgres(t)}
	src, err := v1.Open(s.v1URL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if s.data, err = v1.Setup(context.Background(), src, numApps); err != nil {
		t.Fatal(err)
	}
	if s.db, err = migrations.Open(s.target); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.db.Close() })
	return s
}

// env points the plan at the site and allows the data migration, in an
// environment that is not protected; tests that call it cannot be
// parallel.
func (s *site) env(t *testing.T) {
	t.Helper()
	t.Setenv("ICMS_V1_URL", s.v1URL)
	t.Setenv("DECANT_TARGET", s.target)
	t.Setenv("ALLOW_DATA_MIGRATION", "true")
	t.Setenv("APP_ENV", "")
	t.Setenv("ICMS_BATCH_SIZE", "")
}

// migrate runs `decant migrate --json` with args and returns its summary.
func (s *site) migrate(t *testing.T, args ...string) summary {
	t.Helper()
	var sum summary
	decodeJSON(t, mustRun(t, append([]string{"migrate", "--json"}, args...)...), &sum)
	for _, st := range sum.Steps {
		if st.Error != "" {
			t.Errorf("step %s: %s", st.Step, st.Error)
		}
	}
	return sum
}

// count is one number from the target.
func (s *site) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// V2's tables, in the order the plan writes them, each as the SQL that
// prints a row as the test expects it (see want): columns as text, joined
// by |, NULL as ∅, timestamps in UTC.
var tables = []struct {
	name    string
	columns []string
	order   string
}{
	{"users", []string{"id", "username", "email", "first_name", "last_name", "title", "is_active", utc("date_joined"), utc("last_login")}, "id"},
	{"countries", []string{"id", "name", "iso_code", "type", "is_active"}, "id"},
	{"units", []string{"id", "code", "description"}, "id"},
	{"commodities", []string{"id", "code", "description", "duty_rate", "validity_start", "validity_end"}, "id"},
	{"case_files", []string{"id", "reference", "owner_id", "status", utc("created_at"), "closed_on", "size_bytes"}, "id"},
	{"import_applications", []string{"id", "reference", "applicant_id", "case_reference", "status", "fee", utc("submitted_at"),
		"licence_start", "licence_end", "is_urgent", "origin_country_id", "applicant_reference", "consignment_country", "route",
		"goods_count", "notes"}, "id"},
	{"import_application_goods", []string{"application_id", "line", "commodity_code", "description", "quantity", "unit", "value", "currency"}, "application_id, line"},
	{"import_application_checklists", []string{"application_id", "version", "checks", "all_passed"}, "application_id"},
	{"import_application_checks", []string{"application_id", "name", "passed"}, "application_id, name"},
	{"import_licences", []string{"id", "application_id", "licence_ref", "issue_date", "document_ref", "application_status"}, "id"},
}

// groupTables is the tables each group of the plan writes.
var groupTables = map[string][]string{
	"user":      {"users"},
	"reference": {"countries", "units", "commodities"},
	"file":      {"case_files"},
	"import_application": {"import_applications", "import_application_goods", "import_application_checklists",
		"import_application_checks", "import_licences"},
}

func utc(col string) string {
	return fmt.Sprintf(`to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, col)
}

// dump is every row of V2's tables on db, as want prints them.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, tb := range tables {
		var cols []string
		for _, c := range tb.columns {
			cols = append(cols, fmt.Sprintf("coalesce((%s)::text, '∅')", c))
		}
		q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(cols, " || '|' || "), tb.name, tb.order)
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var lines []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		got[tb.name] = lines
	}
	return got
}

// want is what V2's tables should hold after migrating d, but the tables
// of the groups left out, which are empty.
func want(d *v1.Data, leftOut ...string) map[string][]string {
	w := map[string][]string{}
	add := func(table string, vals ...any) {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = text(v)
		}
		w[table] = append(w[table], strings.Join(parts, "|"))
	}
	for _, u := range d.Users {
		add("users", u.ID, u.Username, u.Email, u.FirstName, u.LastName, u.Title, u.Active, inUTC(&u.DateJoined), inUTC(u.LastLogin))
	}
	for _, c := range d.Countries {
		add("countries", c.ID, c.Name, c.ISO, c.Type, c.Active)
	}
	for _, u := range d.Units {
		add("units", u.ID, u.Code, u.Description)
	}
	for _, c := range d.Commodities {
		add("commodities", c.ID, c.Code, c.Description, c.DutyRate, c.ValidityStart, c.ValidityEnd)
	}
	for _, f := range d.Files {
		add("case_files", f.ID, f.Reference, f.OwnerID, f.Status, inUTC(&f.Created), f.ClosedDate, f.SizeBytes)
	}
	for _, a := range d.Applications {
		x := a.Details
		if x == nil && a.XML != nil {
			continue // malformed: an error, not a row
		}
		if x == nil {
			add("import_applications", a.ID, a.Reference, a.ApplicantID, a.CaseReference, a.Status, a.Fee, inUTC(a.Submitted),
				a.LicenceStart, a.LicenceEnd, a.Urgent, a.OriginID, nil, nil, nil, nil, "[]")
			continue
		}
		notes, _ := json.Marshal(x.Notes)
		if x.Notes == nil {
			notes = []byte("[]")
		}
		add("import_applications", a.ID, a.Reference, a.ApplicantID, a.CaseReference, a.Status, a.Fee, inUTC(a.Submitted),
			a.LicenceStart, a.LicenceEnd, a.Urgent, a.OriginID, x.ApplicantReference, x.Country, x.Route, len(x.Goods),
			strings.ReplaceAll(string(notes), `","`, `", "`))
		for i, g := range x.Goods {
			add("import_application_goods", a.ID, i+1, g.Commodity, g.Description, g.Quantity, g.Unit, g.Value, g.Currency)
		}
		if a.Status == "IN_PROGRESS" {
			continue
		}
		passed := true
		checks := slices.Clone(x.Checks)
		slices.SortFunc(checks, func(a, b v1.Check) int { return strings.Compare(a.Name, b.Name) })
		for _, c := range checks {
			passed = passed && c.Passed
			add("import_application_checks", a.ID, c.Name, c.Passed)
		}
		add("import_application_checklists", a.ID, x.ChecklistVersion, len(x.Checks), passed)
	}
	for _, l := range d.Licences {
		add("import_licences", l.ID, l.ApplicationID, l.Reference, l.IssueDate, l.DocumentRef, appStatus(d, l.ApplicationID))
	}
	for _, g := range leftOut {
		for _, tb := range groupTables[g] {
			delete(w, tb)
		}
	}
	return w
}

func appStatus(d *v1.Data, id int) string { return d.Applications[id-1].Status }

// text is a value as PostgreSQL's ::text prints it, ∅ for NULL.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "∅"
	case *string:
		if v == nil {
			return "∅"
		}
		return *v
	}
	return fmt.Sprint(v)
}

// inUTC is a V1 wall-clock time (London) as the target's timestamptz
// prints in UTC.
func inUTC(s *string) any {
	if s == nil {
		return nil
	}
	layout := "2006-01-02 15:04:05"
	if strings.Contains(*s, ".") {
		layout += ".000"
	}
	tm, err := time.ParseInLocation(layout, *s, v1.London)
	if err != nil {
		panic(err)
	}
	return tm.UTC().Format("2006-01-02T15:04:05.000Z")
}

// check compares the target's tables with want(s.data, leftOut...): row
// counts, and the first differing rows of each table.
func (s *site) check(t *testing.T, leftOut ...string) {
	t.Helper()
	compareTables(t, "target", want(s.data, leftOut...), dump(t, s.db))
}

// compareTables reports each table whose rows differ between want and got.
func compareTables(t *testing.T, what string, want, got map[string][]string) {
	t.Helper()
	for _, tb := range tables {
		w, g := want[tb.name], got[tb.name]
		if slices.Equal(w, g) {
			continue
		}
		diff := cmp.Diff(w, g)
		if len(diff) > 3000 {
			diff = diff[:3000] + "\n..."
		}
		t.Errorf("%s: table %s holds %d rows, want %d (-want +got):\n%s", what, tb.name, len(g), len(w), diff)
	}
}
