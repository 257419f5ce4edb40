package drishti_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/examples/drishti/drishtifeed"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/transform"
)

// allFormsPlan is the plan of the whole form set; its migrations are
// allforms/<dialect>/0001_infer_forms.sql.
const allFormsPlan = "allforms.yaml"

// allFormsAs are the README command's reviewed types: delivery_plan's
// deliveryPlace is a date as the form declares it (its sample holds a
// word), and the identifiers the forms declare String are text, though
// their samples hold only digits (a number would lose a leading zero).
var allFormsAs = []string{"delivery_plan.delivery_place=date", "*.deviceid=text", "*.ec_number=text",
	"*.phone_number=text", "*.thayi_card_number=text", "*.household_number=text", "*.anc_number=text"}

// inferAllForms is what `decant infer` writes for the samples through the
// step of allforms.yaml, in dialect: the command README.md gives.
func inferAllForms(t *testing.T, dialect string) string {
	t.Helper()
	t.Setenv("DECANT_TARGET", "sqlite:"+filepath.Join(t.TempDir(), "unused.db"))
	files, err := filepath.Glob(filepath.Join("samples", "*.json"))
	if err != nil || len(files) != 32 {
		t.Fatalf("samples: %d files, %v", len(files), err)
	}
	o := cli.InferOpts{Common: cli.Common{Config: allFormsPlan, Scope: "default"}, Step: "forms", Files: files, N: 100,
		Nullable: true, As: allFormsAs, Dialect: dialect}
	res, err := cli.RunInfer(context.Background(), o, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	return res.SQL
}

// The committed migrations are what decant infer writes for the samples
// today, so that neither drifts from the other: a change to infer, the
// plan or a sample shows here as a difference to review and commit.
func TestAllFormsMigrationIsInferred(t *testing.T) {
	for _, d := range []string{"postgres", "sqlite"} {
		path := filepath.Join("allforms", d, "0001_infer_forms.sql")
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := inferAllForms(t, d); got != string(want) {
			t.Errorf("%s differs from what decant infer writes now; rewrite it with the command in README.md and review the diff:\n%s", path, firstDiff(strings.Split(got, "\n"), strings.Split(string(want), "\n")))
		}
	}
}

func TestAllFormsPostgres(t *testing.T) {
	allFormsEndToEnd(t, testenv.Postgres(t), "postgres")
}

func TestAllFormsSQLite(t *testing.T) {
	allFormsEndToEnd(t, testenv.SQLite(t), "sqlite")
}

// The record errors the samples make, by form, and the column each names:
// delivery_plan's deliveryPlace is a Date field holding "sub_center" (the
// column is a date, as the form declares, by infer's --as). The two
// anc_registration forms' edd, an RFC 1123 date, lands: the plan's
// layouts name rfc1123.
var allFormsFailures = map[string]string{
	"delivery_plan": "delivery_place",
}

// allFormsEndToEnd serves the 32 samples from the feed server
// (formInstance double-encoded), migrates them with allforms.yaml, and
// checks that every form lands in its table with every answered field in
// its column and every unanswered one NULL, the sub-forms' instances in
// their child tables, and the failures in decant_errors naming their
// column.
func allFormsEndToEnd(t *testing.T, url, dialect string) {
	subs, err := drishtifeed.LoadSamples("samples")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(drishtifeed.NewServer(subs))
	t.Cleanup(hs.Close)
	t.Setenv("DRISHTI_FEED_URL", hs.URL+drishtifeed.Path)
	t.Setenv("DECANT_TARGET", url)
	t.Setenv("DRISHTI_MIGRATIONS", "allforms/"+dialect)
	var out, errw bytes.Buffer
	res, err := cli.RunMigrate(context.Background(), cli.MigrateOpts{Common: cli.Common{Config: allFormsPlan, Scope: "default"}, Stop: make(chan struct{})}, &out, &errw)
	if err != nil {
		t.Fatalf("decant migrate: %v\n%s\n%s", err, out.String(), errw.String())
	}
	assertResult(t, res, 32, 32-len(allFormsFailures), len(allFormsFailures))
	// Every field of every sample reaches its column: nothing is dropped.
	for _, s := range res.Steps {
		if len(s.Unmapped) != 0 {
			t.Errorf("step %s: fields reached no column: %+v", s.Step, s.Unmapped)
		}
	}
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	failed := map[string]string{}
	for _, s := range subs {
		if col, ok := allFormsFailures[s.FormName]; ok {
			failed[s.InstanceID] = col
			if readRow(t, db, formTable(s.FormName), "instance_id = $1", s.InstanceID) != nil {
				t.Errorf("%s %s failed, yet has a row", s.FormName, s.InstanceID)
			}
			continue
		}
		checkForm(t, db, s)
	}
	checkFailures(t, db, failed)
	checkRepeats(t, db)
}

// sampleForm is the part of a formInstance the test reads.
type sampleInstance struct {
	Form struct {
		BindType string `json:"bind_type"`
		Fields   []struct {
			Name  string  `json:"name"`
			Value *string `json:"value"`
		} `json:"fields"`
		SubForms []struct {
			Name      string              `json:"name"`
			BindType  string              `json:"bind_type"`
			Instances []map[string]string `json:"instances"`
		} `json:"sub_forms"`
	} `json:"form"`
}

// formTable is the table a form goes to.
func formTable(form string) string {
	if strings.HasPrefix(form, "tt") {
		return "tt"
	}
	return form
}

// checkForm checks that submission s landed: every field in the column of
// its snake_case name (id in <bind_type>_id), the last of a repeated name
// winning as in fields(), an answered one equal to its sample value and an
// unanswered one NULL; and each sub-form instance likewise in its child
// table.
func checkForm(t *testing.T, db *sql.DB, s drishtifeed.Submission) {
	t.Helper()
	var fi sampleInstance
	if err := json.Unmarshal([]byte(s.FormInstance), &fi); err != nil {
		t.Fatal(err)
	}
	table := formTable(s.FormName)
	got := readRow(t, db, table, "instance_id = $1", s.InstanceID)
	if got == nil {
		t.Errorf("%s %s: no row in %s", s.FormName, s.InstanceID, table)
		return
	}
	want := map[string]*string{}
	for _, f := range fi.Form.Fields {
		col := transform.Snake(f.Name)
		if f.Name == "id" {
			col = fi.Form.BindType + "_id"
		}
		want[col] = f.Value // the last one wins
	}
	want["form_name"] = &s.FormName
	want["anm_id"] = &s.AnmID
	for col, v := range want {
		compareColumn(t, fmt.Sprintf("%s %s", table, s.FormName), col, v, got)
	}
	for _, sf := range fi.Form.SubForms {
		child := table + "_" + sf.Name
		for i, inst := range sf.Instances {
			id := inst["id"]
			row := readRow(t, db, child, "parent_instance_id = $1 AND "+sf.BindType+"_id = $2", s.InstanceID, id)
			if row == nil {
				t.Errorf("%s: instance %d of %s: no row in %s", s.FormName, i, sf.Name, child)
				continue
			}
			for name, v := range inst {
				col := transform.Snake(name)
				if name == "id" {
					col = sf.BindType + "_id"
				}
				compareColumn(t, child, col, &v, row)
			}
			name := sf.Name
			compareColumn(t, child, "sub_form_name", &name, row)
		}
	}
}

// compareColumn checks column col of row against a sample's value: NULL
// for no value (or one of the plan's null_if), else the same value.
func compareColumn(t *testing.T, where, col string, want *string, row map[string]any) {
	t.Helper()
	got, ok := row[col]
	if !ok {
		t.Errorf("%s: no column %s", where, col)
		return
	}
	if want == nil || slices.Contains(nullIf, *want) {
		if got != nil {
			t.Errorf("%s.%s = %v, want NULL (unanswered)", where, col, got)
		}
		return
	}
	if !sameValue(*want, got) {
		t.Errorf("%s.%s = %#v, want %q", where, col, got, *want)
	}
}

// sameValue says whether the database's value is the sample's: as text,
// as a number, or as a point in time.
func sameValue(want string, got any) bool {
	switch g := got.(type) {
	case nil:
		return false
	case []byte:
		got = string(g)
	case time.Time:
		w, err := sampleTime(want)
		return err == nil && w.Equal(g)
	}
	g := fmt.Sprint(got)
	if g == want {
		return true
	}
	if a, ok := new(big.Rat).SetString(want); ok {
		b, ok := new(big.Rat).SetString(g)
		return ok && a.Cmp(b) == 0
	}
	w, err1 := sampleTime(want)
	h, err2 := transform.ParseTime(g, "", time.UTC)
	return err1 == nil && err2 == nil && w.Equal(h)
}

// sampleTime reads a sample's date or time with the layouts of
// allforms.yaml: ISO 8601, then RFC 1123.
func sampleTime(s string) (time.Time, error) {
	t, err := transform.ParseTime(s, "iso8601", time.UTC)
	if err != nil {
		return transform.ParseTime(s, "rfc1123", time.UTC)
	}
	return t, err
}

// readRow reads the one row of table matching where, by column name; nil
// when there is none.
func readRow(t *testing.T, db *sql.DB, table, where string, args ...any) map[string]any {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(`SELECT * FROM %q WHERE %s`, table, where), args...)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for i, c := range cols {
		out[c] = vals[i]
	}
	if rows.Next() {
		t.Fatalf("%s: more than one row where %s", table, where)
	}
	return out
}

// checkFailures checks that decant_errors holds exactly the failed
// submissions, each naming its column.
func checkFailures(t *testing.T, db *sql.DB, failed map[string]string) {
	t.Helper()
	rows, err := db.Query("SELECT key, message, detail FROM decant_errors WHERE NOT resolved")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var key, msg, detail string
		if err := rows.Scan(&key, &msg, &detail); err != nil {
			t.Fatal(err)
		}
		col, ok := failed[key]
		if !ok {
			t.Errorf("unexpected error for %s: %s: %s", key, msg, detail)
			continue
		}
		seen++
		if !strings.Contains(msg, col) {
			t.Errorf("the error of %s is %q: %s, want it to name the column %s", key, msg, detail, col)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != len(failed) {
		t.Errorf("decant_errors holds %d of the %d failed submissions", seen, len(failed))
	}
}

// checkRepeats checks, by name, that the last of a field repeated within
// a submission is the value that lands (fields() keeps the last), for the
// repeats whose values differ.
func checkRepeats(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, c := range []struct{ table, form, col, want string }{
		{"anc_visit", "anc_visit", "weight", "55.0"},
		{"anc_visit", "anc_visit", "pih", "yes"},
		{"delivery_outcome", "delivery_outcome", "reference_date", "2014-03-05"},
		{"anc_close", "anc_close", "number_of_abortions", "1"},
	} {
		row := readRow(t, db, c.table, "form_name = $1", c.form)
		if row == nil || !sameValue(c.want, row[c.col]) {
			t.Errorf("%s.%s = %v, want the last value %q", c.table, c.col, row[c.col], c.want)
		}
	}
}

// allforms.yaml's step is decant.yaml's but for the routes of the forms
// and sub-forms it adds, so that what the whole form set proves holds for
// the example's plan too.
func TestAllFormsStepIsTheExamples(t *testing.T) {
	steps := map[string]string{}
	for _, file := range []string{planFile, allFormsPlan} {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Steps []map[string]any `yaml:"steps"`
		}
		if err := yaml.Unmarshal(text, &p); err != nil || len(p.Steps) != 1 {
			t.Fatalf("%s: %v, %d steps", file, err, len(p.Steps))
		}
		st := p.Steps[0]
		delete(st["to"].(map[string]any), "routes")
		for _, c := range st["children"].([]any) {
			delete(c.(map[string]any)["to"].(map[string]any), "routes")
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		steps[file] = string(b)
	}
	if steps[planFile] != steps[allFormsPlan] {
		t.Errorf("the step of %s differs from %s's beyond its routes:\n%s\n%s", allFormsPlan, planFile, steps[allFormsPlan], steps[planFile])
	}
}
