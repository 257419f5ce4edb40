package cli_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/infer"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/transform"
)

// formSamples are routed records: aliases that snake_case to one table, a
// child array with and without items, a JSON object, dates without zero
// padding, decimals written as strings, and fields some records lack.
const formSamples = `{"instanceId": "i-1", "formName": "anc_visit", "anmId": "anm1", "weight": "52", "visitDate": "2014-03-03", "closedAt": "2014-03-03T10:00:00+05:30", "edd": "Wed, 31 Dec 2014 00:00:00 GMT", "highRisk": true, "subForms": [{"name": "c1", "weight": "2.5", "dob": "2014-3-3"}]}
{"instanceId": "i-2", "formName": "anc_visit", "anmId": "anm2", "weight": "54.25", "visitDate": "2014-3-10", "closedAt": "2014-03-10 08:00:00", "highRisk": false, "subForms": [{"name": "c2", "weight": "3", "dob": "2014-03-10"}, {"name": "c3", "weight": "2.75", "dob": "2014-3-10"}]}
{"instanceId": "i-3", "formName": "tt_1", "anmId": "anm1", "ttDose": "1", "visitDate": "2014-04-01", "place": "it's \"left\"\narm"}
{"instanceId": "i-4", "formName": "tt-1", "anmId": "anm3", "ttDose": 2, "visitDate": "2014-5-1", "place": null}
{"instanceId": "i-5", "formName": "ecClose", "anmId": "anm3", "order": 7, "user": "u1", "reason": "", "answers": {"q1": true, "n": [1, 2]}, "subForms": []}
`

// visitSamples' edd is RFC 1123 dates only, followup mixes them with ISO
// dates: the plan reads them with layouts [rfc1123] and [rfc1123,
// iso8601].
const visitSamples = "visit_id,patient,weight,visit date,paid,code,notes,edd,followup\n" +
	"v1,P1,52,2014-3-3,true,007,\"first, visit\",\"Wed, 31 Dec 2014 00:00:00 GMT\",\"Thu, 01 Jan 2015 00:00:00 GMT\"\n" +
	"v2,P2,54.25,2014-03-04,false,010,,\"Thu, 01 Jan 2015 00:00:00 GMT\",2014-03-20\n" +
	"v3,P1,,2014-03-05,true,11,\"multi\nline\",,\n"

// The migration and plan infer writes are what decant takes as they are:
// the migration applies, check passes, and migrate of the samples
// themselves lands every sample value in its column, on SQLite.
func TestInferRoundTripSQLite(t *testing.T) {
	inferRoundTrip(t, testenv.SQLite(t), "sqlite", "forms.jsonl", formSamples, "instanceId", "formName")
	inferRoundTrip(t, testenv.SQLite(t), "sqlite", "visits.csv", visitSamples, "visit_id", "")
}

// The same on PostgreSQL.
func TestInferRoundTripPostgres(t *testing.T) {
	inferRoundTrip(t, testenv.Postgres(t), "postgres", "forms.jsonl", formSamples, "instanceId", "formName")
	inferRoundTrip(t, testenv.Postgres(t), "postgres", "visits.csv", visitSamples, "visit_id", "")
}

// inferRoundTrip infers text as the sample file name, keyed by key and
// routed by route (none when ""), migrates it into url, and checks that
// every sample field has a column or child table, and every value landed.
func inferRoundTrip(t *testing.T, url, dialect, name, text, key, route string) {
	t.Helper()
	dir := t.TempDir()
	samples := filepath.Join(dir, name)
	if err := os.WriteFile(samples, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "decant.yaml")
	migDir := filepath.Join(dir, "migrations")
	args := []string{"infer", samples, "--dialect", dialect, "--plan-out", cfg, "--migration-out", migDir, "--json", "--key", key}
	if route != "" {
		args = append(args, "--route", route)
	}
	var res struct {
		Tables    []*infer.Table `json:"tables"`
		Warnings  []string       `json:"warnings"`
		Migration string         `json:"migration"`
		Plan      string         `json:"plan"`
	}
	decodeJSON(t, mustRun(t, args...), &res)
	if res.Plan != cfg || filepath.Base(res.Migration) != "0001_infer_"+strings.TrimSuffix(name, filepath.Ext(name))+".sql" {
		t.Fatalf("infer wrote %q and %q, want %s and 0001_infer_....sql", res.Plan, res.Migration, cfg)
	}
	t.Setenv("DECANT_TARGET", url)
	mustRun(t, "db", "up", "--database", url, "--dir", migDir)
	mustRun(t, "-c", cfg, "check")
	r := mustRun(t, "-c", cfg, "migrate")
	var status []struct {
		Read, Written, Failed int
		Unmapped              []decant.UnmappedField `json:"unmapped_fields"`
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "status", "--json"), &status)
	// Every field reaches a column or a child table: the plan drops none.
	if len(status) == 1 && len(status[0].Unmapped) != 0 {
		t.Errorf("fields of the samples reached no column: %+v", status[0].Unmapped)
	}
	recs, err := infer.ReadSamples(samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(status) != 1 || status[0].Read != len(recs) || status[0].Written != len(recs) || status[0].Failed != 0 {
		t.Fatalf("status = %+v, want %d read and written, none failed\n%s", status, len(recs), r)
	}
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := map[string]*infer.Table{}
	for _, tb := range res.Tables {
		for _, v := range append([]string{tb.Name, tb.Route}, tb.Aliases...) {
			tables[v] = tb
		}
	}
	checked := 0
	for _, rec := range recs {
		tb := tables[strings.TrimSuffix(name, filepath.Ext(name))]
		if route != "" {
			tb = tables[fmt.Sprint(rec.Doc[route])]
		}
		hasAPlace(t, tb, rec.Doc, rec.Place)
		checked += landed(t, db, dialect, tb, rec.Doc, tb.Key[0], rec.Doc[key], "")
		for _, child := range tb.Children {
			items, _ := rec.Doc[child.Field].([]any)
			for i, it := range items {
				hasAPlace(t, child, it.(map[string]any), fmt.Sprintf("%s, %s[%d]", rec.Place, child.Field, i))
				checked += landed(t, db, dialect, child, it.(map[string]any), child.Key[1], i+1, fmt.Sprint(rec.Doc[key]))
			}
		}
	}
	if checked == 0 {
		t.Fatal("no value checked")
	}
}

// hasAPlace checks that every field of doc has a column of tb or is the
// array of one of its child tables: landed compares only the columns, so
// a field infer left out would pass it.
func hasAPlace(t *testing.T, tb *infer.Table, doc map[string]any, place string) {
	t.Helper()
	for k := range doc {
		found := false
		for _, c := range tb.Columns {
			found = found || c.Path == k || strings.HasSuffix(c.Path, "[]."+k)
		}
		for _, c := range tb.Children {
			found = found || c.Field == k
		}
		if !found {
			t.Errorf("%s: field %q has no column in %s, nor a child table", place, k, tb.Name)
		}
	}
}

// landed checks that every field of doc is in its column of tb's row
// whose keyCol is keyVal (and, for a child, whose parent key is parent),
// and returns how many values it compared.
func landed(t *testing.T, db *sql.DB, dialect string, tb *infer.Table, doc map[string]any, keyCol string, keyVal any, parent string) int {
	t.Helper()
	where := fmt.Sprintf("%s = %s", keyCol, placeholder(dialect, 1))
	args := []any{fmt.Sprint(keyVal)}
	if parent != "" {
		where += fmt.Sprintf(" AND %s = %s", tb.ParentKey, placeholder(dialect, 2))
		args = append(args, parent)
	}
	if dialect == "postgres" {
		where = strings.Replace(where, keyCol+" =", keyCol+"::text =", 1)
		if parent != "" {
			where = strings.Replace(where, tb.ParentKey+" =", tb.ParentKey+"::text =", 1)
		}
	} else {
		where = strings.Replace(where, keyCol+" =", "CAST("+keyCol+" AS TEXT) =", 1)
	}
	n := 0
	for _, c := range tb.Columns {
		if c.Path == "" {
			continue
		}
		var got any
		q := fmt.Sprintf(`SELECT "%s" FROM %s WHERE %s`, c.Name, tb.Name, where)
		if err := db.QueryRow(q, args...).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		// --json gives the path; a child's field is what follows "[].".
		want := doc[c.Path]
		if i := strings.LastIndex(c.Path, "[]."); i >= 0 {
			want = doc[c.Path[i+3:]]
		}
		if g, w := norm(t, c, got), norm(t, c, want); g != w {
			t.Errorf("%s.%s of %v: got %s (%#v), want %s (from %#v)", tb.Name, c.Name, keyVal, g, got, w, want)
		}
		n++
	}
	return n
}

func placeholder(dialect string, i int) string {
	if dialect == "postgres" {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

// norm is a value, from a sample or as the database gave it back, as the
// text its column's type compares it by.
func norm(t *testing.T, c *infer.Column, v any) string {
	t.Helper()
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil || v == "" {
		return "NULL"
	}
	if n, ok := v.(json.Number); ok {
		v = string(n)
	}
	switch c.Type {
	case infer.Decimal, infer.Integer:
		r, ok := new(big.Rat).SetString(fmt.Sprint(v))
		if !ok {
			t.Fatalf("%s: %#v is not a number", c.Name, v)
		}
		return r.RatString()
	case infer.Boolean:
		switch fmt.Sprint(v) {
		case "true", "1":
			return "true"
		}
		return "false"
	case infer.Date, infer.Timestamp:
		tm, ok := v.(time.Time)
		if !ok {
			var err error
			if tm, err = transform.ParseTime(v, "", time.UTC); err != nil && slices.Contains(c.Layouts, infer.RFC1123) {
				tm, err = transform.ParseTime(v, time.RFC1123, time.UTC)
			}
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
		}
		if c.Type == infer.Date {
			return tm.Format("2006-01-02")
		}
		return tm.UTC().Format(time.RFC3339Nano)
	case infer.JSONType:
		var x any
		if s, ok := v.(string); ok {
			if err := json.Unmarshal([]byte(s), &x); err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			v = x
		}
		b, _ := json.Marshal(v)
		_ = json.Unmarshal(b, &x)
		b, _ = json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

// Given the tables of the plan's target (--from-db), infer writes only the
// next migration, numbered after the directory's last: ADD COLUMN for a new
// field, CREATE TABLE for a new route, and a column too narrow for its new
// samples reported, not altered.
func TestInferFromDB(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			url := targetURL(t, dialect)
			t.Setenv("DECANT_TARGET", url)
			dir := t.TempDir()
			v1, v2 := filepath.Join(dir, "v1.jsonl"), filepath.Join(dir, "v2.jsonl")
			writeFile(t, v1, `{"id": "a", "form": "tt", "dose": 1}`+"\n")
			writeFile(t, v2, `{"id": "b", "form": "tt", "dose": "first", "place": "arm", "when": "Wed, 31 Dec 2014 00:00:00 GMT"}`+"\n"+`{"id": "c", "form": "pnc", "day": 3}`+"\n")
			cfg, migDir := filepath.Join(dir, "decant.yaml"), filepath.Join(dir, "migrations")
			mustRun(t, "infer", v1, "--key", "id", "--route", "form", "--dialect", dialect, "--plan-out", cfg, "--migration-out", migDir)
			mustRun(t, "db", "up", "--database", url, "--dir", migDir)

			var res struct {
				Migration string   `json:"migration"`
				Reports   []string `json:"reports"`
				Added     []string `json:"added"`
				PlanNeeds []string `json:"plan_needs"`
			}
			// No --dialect: the target's.
			decodeJSON(t, mustRun(t, "-c", cfg, "infer", v2, "--key", "id", "--route", "form", "--from-db", "--migration-out", migDir, "--json"), &res)
			if filepath.Base(res.Migration) != "0002_infer_v2.sql" {
				t.Fatalf("migration %q, want 0002_infer_v2.sql", res.Migration)
			}
			text, err := os.ReadFile(res.Migration)
			if err != nil {
				t.Fatal(err)
			}
			sqlText := string(text)
			comment := `COMMENT ON COLUMN "tt"."place" IS 'from place, e.g. ''arm''';`
			if dialect == "sqlite" {
				comment = `ALTER TABLE "tt" ADD COLUMN "place" text; -- from place, e.g. 'arm'`
			}
			for _, want := range []string{`ALTER TABLE "tt" ADD COLUMN "place" text;`, `CREATE TABLE "pnc" (`, comment} {
				if !strings.Contains(sqlText, want) {
					t.Errorf("migration lacks %q:\n%s", want, sqlText)
				}
			}
			for _, not := range []string{`CREATE TABLE "tt" `, `ADD COLUMN "dose"`, `ADD COLUMN "id"`, `ALTER TABLE "pnc"`} {
				if strings.Contains(sqlText, not) {
					t.Errorf("migration has %q, which the target has already:\n%s", not, sqlText)
				}
			}
			// What is new, and what the plan needs for it: a route for the new
			// table, the step's layouts for the RFC 1123 one.
			if got := strings.Join(res.Added, "; "); got != "table pnc; column tt.place text; column tt.when date" {
				t.Errorf("added = %q", res.Added)
			}
			needs := strings.Join(res.PlanNeeds, "\n")
			for _, want := range []string{"routes", "pnc: []", "column when", "layouts: [iso8601, rfc1123]"} {
				if !strings.Contains(needs, want) {
					t.Errorf("plan_needs %q do not say %q", res.PlanNeeds, want)
				}
			}
			if len(res.Reports) != 1 || !strings.Contains(res.Reports[0], "table tt: column dose") || !strings.Contains(res.Reports[0], "not altered") {
				t.Errorf("reports = %q, want one naming tt.dose as too narrow", res.Reports)
			}
			mustRun(t, "db", "up", "--database", url, "--dir", migDir)

			// Nothing new: no migration, and it says so.
			r := mustRun(t, "-c", cfg, "infer", v2, "--key", "id", "--route", "form", "--dialect", dialect, "--from-db", "--migration-out", migDir)
			if !strings.Contains(r.stdout, "no migration") {
				t.Errorf("a second --from-db run: %s", r)
			}
			if entries, _ := os.ReadDir(migDir); len(entries) != 2 {
				t.Errorf("%d migrations, want 2", len(entries))
			}
			other := map[string]string{"sqlite": "postgres", "postgres": "sqlite"}[dialect]
			if r := run(t, "-c", cfg, "infer", v2, "--key", "id", "--route", "form", "--from-db", "--dialect", other); r.code != 2 || !strings.Contains(r.stderr, "the plan's target is "+dialect) {
				t.Errorf("--from-db --dialect %s on a %s target: %s", other, dialect, r)
			}

			// A record without a value for a NOT NULL column would fail:
			// every column exists, but infer says so rather than that the
			// target has everything.
			v3 := filepath.Join(dir, "v3.jsonl")
			writeFile(t, v3, `{"id": "d", "form": "tt"}`+"\n")
			r = mustRun(t, "-c", cfg, "infer", v3, "--key", "id", "--route", "form", "--from-db", "--migration-out", migDir)
			if !strings.Contains(r.stdout, "not altered: table tt: column dose is NOT NULL") || strings.Contains(r.stdout, "has every table and column already") {
				t.Errorf("--from-db with a record lacking a NOT NULL column: %s", r)
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Flags used wrongly exit 2; samples infer cannot take exit 1 with the
// message that names the file, the record and the field; neither writes a
// file.
func TestInferRefusals(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "s.jsonl")
	writeFile(t, good, `{"id": 1, "ttDose": 1, "tt_dose": 2}`+"\n")
	empty := filepath.Join(dir, "empty.csv")
	writeFile(t, empty, "")
	plan := filepath.Join(dir, "decant.yaml")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"infer", good}, 2, "--key"},
		{[]string{"infer", good, "--key", "id", "--dialect", "oracle"}, 2, "--dialect"},
		{[]string{"infer", good, "--key", "id", "--table", "t", "--route", "f"}, 2, "give one"},
		{[]string{"infer", good, "--key", "id", "--from-db", "--plan-out", plan}, 2, "--from-db"},
		{[]string{"infer", good, "--key", "id", "--plan-out", plan}, 1, `s.jsonl:1: fields "ttDose" and "tt_dose"`},
		{[]string{"infer", empty, "--key", "id", "--plan-out", plan}, 1, "empty.csv: no sample records"},
		{[]string{"infer", filepath.Join(dir, "s.txt"), "--key", "id"}, 1, ".jsonl, .ndjson, .json or .csv"},
	}
	for _, tc := range cases {
		r := run(t, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: %s\nwant exit %d and %q", strings.Join(tc.args, " "), r, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(plan); !os.IsNotExist(err) {
		t.Errorf("a refused infer wrote %s", plan)
	}
}

// feed serves records as a Drishti-style feed: GET ?timestamp=C&batch-size=N
// answers the first N records whose serverVersion is greater than C.
func feed(t *testing.T, records []map[string]any) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("timestamp"), 10, 64)
		size, _ := strconv.Atoi(r.URL.Query().Get("batch-size"))
		page := []map[string]any{}
		for _, rec := range records {
			if rec["serverVersion"].(int64) > after && len(page) < size {
				page = append(page, rec)
			}
		}
		_ = json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/all-form-submissions"
}

// -n N reads the first N records of a feed; the plan reads the feed with
// its cursor, and migrates every record of it into the inferred tables.
func TestInferFromFeed(t *testing.T) {
	var records []map[string]any
	for i := range 5 {
		records = append(records, map[string]any{"instanceId": fmt.Sprintf("i-%d", i), "serverVersion": int64(100 + i), "formName": []string{"anc", "tt"}[i%2], "dose": i})
	}
	url := feed(t, records)
	dir := t.TempDir()
	cfg, migDir := filepath.Join(dir, "decant.yaml"), filepath.Join(dir, "migrations")
	var res struct {
		Tables []*infer.Table `json:"tables"`
	}
	decodeJSON(t, mustRun(t, "infer", url, "-n", "3", "--cursor", "serverVersion", "--key", "instanceId", "--route", "formName",
		"--dialect", "sqlite", "--plan-out", cfg, "--migration-out", migDir, "--json"), &res)
	if len(res.Tables) != 2 || res.Tables[0].Records+res.Tables[1].Records != 3 {
		t.Fatalf("tables %+v, want anc and tt from 3 records", res.Tables)
	}
	planText, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"source: '" + url + "'", "cursor: serverVersion", "0001_infer_all_form_submissions.sql"} {
		if want == "0001_infer_all_form_submissions.sql" {
			if _, err := os.Stat(filepath.Join(migDir, want)); err != nil {
				t.Error(err)
			}
			continue
		}
		if !strings.Contains(string(planText), want) {
			t.Errorf("plan lacks %q:\n%s", want, planText)
		}
	}
	t.Setenv("DECANT_TARGET", testenv.SQLite(t))
	mustRun(t, "-c", cfg, "migrate")
	var status []struct{ Read, Written, Failed int }
	decodeJSON(t, mustRun(t, "-c", cfg, "status", "--json"), &status)
	if len(status) != 1 || status[0].Written != 5 || status[0].Failed != 0 {
		t.Errorf("status %+v, want the feed's 5 records written", status)
	}

	// --step reads a step of the plan the same way, its key by default.
	r := mustRun(t, "-c", cfg, "infer", "--step", "all_form_submissions", "--raw", "-n", "5", "--route", "formName", "--json")
	decodeJSON(t, r, &res)
	if res.Tables[0].Records+res.Tables[1].Records != 5 {
		t.Errorf("--step -n 5: %s", r)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"infer", url, "--key", "instanceId"}, "--cursor"},
		{[]string{"infer", filepath.Join(dir, "x.jsonl"), "-n", "3", "--key", "id"}, "read whole"},
		{[]string{"-c", cfg, "infer", "--step", "nope"}, "no such step"},
	} {
		if r := run(t, tc.args...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: %s\nwant exit 2 and %q", strings.Join(tc.args, " "), r, tc.want)
		}
	}
}

// A table past the dialect's most columns, with --spill, keeps the key and
// the most answered fields as columns and the rest in one JSON column; the
// plan fills it, so every field still lands. Routed, so that only the wide
// table has the spill column; the narrow table's own field of the spill
// column's name keeps its value.
func TestInferSpill(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		fields  int
	}{{"sqlite", 2100}, {"postgres", 1700}} {
		t.Run(tc.dialect, func(t *testing.T) {
			url := targetURL(t, tc.dialect)
			t.Setenv("DECANT_TARGET", url)
			dir := t.TempDir()
			wide := map[string]any{"id": "w1", "form": "wide"}
			for i := range tc.fields {
				// f0000 is in both wide records, so it is kept first.
				// One character: PostgreSQL keeps a row's short values in
				// its 8 KB page, so 1,600 of them must be small.
				wide[fmt.Sprintf("f%04d", i)] = string(rune('a' + i%26))
			}
			last := fmt.Sprintf("f%04d", tc.fields-1)
			wide2 := map[string]any{"id": "w2", "form": "wide", last: "x", "f0000": "y"}
			var lines []string
			for _, rec := range []map[string]any{wide, wide2, {"id": "n1", "form": "narrow", "a": 1, "more": "boo"}} {
				b, _ := json.Marshal(rec)
				lines = append(lines, string(b))
			}
			samples := filepath.Join(dir, "s.jsonl")
			writeFile(t, samples, strings.Join(lines, "\n")+"\n")
			cfg, migDir := filepath.Join(dir, "decant.yaml"), filepath.Join(dir, "migrations")
			args := []string{"infer", samples, "--key", "id", "--route", "form", "--dialect", tc.dialect, "--plan-out", cfg, "--migration-out", migDir}
			if r := run(t, args...); r.code != 1 || !strings.Contains(r.stderr, "--spill COLUMN") {
				t.Fatalf("without --spill: %s", r)
			}
			var res struct {
				Tables   []*infer.Table `json:"tables"`
				Warnings []string       `json:"warnings"`
			}
			decodeJSON(t, mustRun(t, append(args, "--spill", "more", "--json")...), &res)
			most := map[string]int{"sqlite": 2000, "postgres": 1600}[tc.dialect]
			w := res.Tables[1]
			if w.Name != "wide" || len(w.Columns) != most {
				t.Fatalf("table %s has %d columns, want wide with %d", w.Name, len(w.Columns), most)
			}
			spill := w.Column("more")
			if spill == nil || spill.Type != infer.JSONType || w.Column("f0000") == nil || w.Column(last) == nil {
				t.Fatalf("want a json column more, and f0000 and %s (in two records) kept: %+v", last, spill)
			}
			if c := res.Tables[0].Column("more"); c == nil || len(c.Spilled) > 0 || c.Type != infer.Text {
				t.Errorf("the narrow table's column more is %+v, want its own text field", c)
			}
			if r := mustRun(t, "-c", cfg, "migrate"); strings.Contains(r.stdout+r.stderr, "failed") && !strings.Contains(r.stdout+r.stderr, " 0 failed") {
				t.Fatalf("migrate: %s\n%s", r, mustRun(t, "-c", cfg, "errors", "list", "--json"))
			}
			db, err := migrations.Open(url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var got string
			q := "SELECT CAST(more AS TEXT) FROM wide WHERE id = 'w1'"
			if err := db.QueryRow(q).Scan(&got); err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(got), &m); err != nil {
				t.Fatal(err)
			}
			if len(m) != len(spill.Spilled) || len(m) != tc.fields+2-most+1 {
				t.Errorf("spill holds %d fields, want %d (%d spilled)", len(m), tc.fields+2-most+1, len(spill.Spilled))
			}
			for _, f := range spill.Spilled {
				if want := wide[f]; m[f] != want {
					t.Errorf("spill[%s] = %q, want %q", f, m[f], want)
				}
			}
			var kept, none sql.NullString
			if err := db.QueryRow("SELECT f0001, CAST(more AS TEXT) FROM wide WHERE id = 'w2'").Scan(&kept, &none); err != nil {
				t.Fatal(err)
			}
			if kept.Valid || none.Valid {
				t.Errorf("w2: f0001 %v and more %v, want both NULL", kept, none)
			}
			var own sql.NullString
			if err := db.QueryRow("SELECT more FROM narrow WHERE id = 'n1'").Scan(&own); err != nil {
				t.Fatal(err)
			}
			if own.String != "boo" {
				t.Errorf("narrow.more = %v, want the record's own \"boo\"", own)
			}
		})
	}
}

// Every name is quoted in the migration, so a field named by a word one of
// the databases reserves (left, natural in PostgreSQL; nothing in SQLite)
// is a column like any other: a list of reserved words missed these.
func TestInferReservedWords(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			url := targetURL(t, dialect)
			dir := t.TempDir()
			samples := filepath.Join(dir, "r.jsonl")
			writeFile(t, samples, `{"id": 1, "left": "a", "nothing": "b", "natural": 2, "similar": true, "items": [{"join": "x"}]}`+"\n")
			migDir := filepath.Join(dir, "migrations")
			mustRun(t, "infer", samples, "--key", "id", "--dialect", dialect, "--migration-out", migDir)
			mustRun(t, "db", "up", "--database", url, "--dir", migDir)
		})
	}
}

// targetURL is a fresh database of dialect (sqlite or postgres).
func targetURL(t *testing.T, dialect string) string {
	t.Helper()
	if dialect == "postgres" {
		return testenv.Postgres(t)
	}
	return testenv.SQLite(t)
}

// infer writes its files all or none: a plan it may not write (it exists,
// without --force; its directory is missing) leaves no migration behind.
// And a second migration creating the tables an earlier one in the
// directory creates is refused, --force or not, pointing at --from-db; a
// migration of other tables is not.
func TestInferWritesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "forms.jsonl")
	writeFile(t, samples, `{"id": 1, "form": "anc_visit", "w": 2}`+"\n")
	cfg, migDir := filepath.Join(dir, "decant.yaml"), filepath.Join(dir, "migrations")
	args := []string{"infer", samples, "--key", "id", "--route", "form", "--plan-out", cfg, "--migration-out", migDir}
	mustRun(t, args...)
	migrationsIn := func() int {
		entries, err := os.ReadDir(migDir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{args, []string{"decant.yaml exists", "--force"}},
		{append(args, "--force"), []string{"0001_infer_forms.sql creates the table anc_visit already", "--from-db"}},
		{[]string{"infer", samples, "--key", "id", "--table", "t2", "--plan-out", filepath.Join(dir, "none", "p.yaml"), "--migration-out", migDir}, []string{"none"}},
	} {
		r := run(t, tc.args...)
		if r.code != 1 {
			t.Errorf("decant %s: %s\nwant exit 1", strings.Join(tc.args, " "), r)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("decant %s: %s\nwant %q", strings.Join(tc.args, " "), r, w)
			}
		}
		if n := migrationsIn(); n != 1 {
			t.Fatalf("decant %s wrote a migration: %d in %s", strings.Join(tc.args, " "), n, migDir)
		}
	}
	other := filepath.Join(dir, "other.jsonl")
	writeFile(t, other, `{"id": 1, "x": 2}`+"\n")
	mustRun(t, "infer", other, "--key", "id", "--migration-out", migDir)
	if n := migrationsIn(); n != 2 {
		t.Errorf("a migration of another table: %d migrations, want 2", n)
	}
}

// The run docs/infer.md shows for a new SQLite target works as written:
// migrate creates the database file (check would find none before it),
// then check passes.
func TestInferNewSQLiteTarget(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "r.jsonl")
	writeFile(t, samples, `{"id": 1, "a": "x"}`+"\n")
	cfg := filepath.Join(dir, "decant.yaml")
	mustRun(t, "infer", samples, "--key", "id", "--dialect", "sqlite", "--plan-out", cfg, "--migration-out", filepath.Join(dir, "migrations"))
	t.Setenv("DECANT_TARGET", "")
	mustRun(t, "-c", cfg, "migrate")
	mustRun(t, "-c", cfg, "check")
	if _, err := os.Stat(filepath.Join(dir, "decant.db")); err != nil {
		t.Error(err)
	}
}

// decant reads no JSON array: for a .json sample the plan reads the JSON
// Lines file infer says to convert it to (with the command), so that the
// plan runs once that is done.
func TestInferJSONArraySample(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "arr.json")
	writeFile(t, samples, `[{"id": 1, "a": "x"}, {"id": 2, "a": "y"}]`)
	cfg := filepath.Join(dir, "decant.yaml")
	r := mustRun(t, "infer", samples, "--key", "id", "--dialect", "sqlite", "--plan-out", cfg, "--migration-out", filepath.Join(dir, "migrations"))
	if !strings.Contains(r.stdout, "jq -c '.[]'") || !strings.Contains(r.stdout, "arr.jsonl") {
		t.Errorf("infer of a .json file does not say how to convert it: %s", r)
	}
	writeFile(t, filepath.Join(dir, "arr.jsonl"), `{"id": 1, "a": "x"}`+"\n"+`{"id": 2, "a": "y"}`+"\n")
	t.Setenv("DECANT_TARGET", "")
	mustRun(t, "-c", cfg, "migrate")
	var status []struct{ Read, Written, Failed int }
	decodeJSON(t, mustRun(t, "-c", cfg, "status", "--json"), &status)
	if len(status) != 1 || status[0].Written != 2 {
		t.Errorf("status %+v, want 2 written", status)
	}
}

// PostgreSQL keeps a row in one 8 KB page: with --spill, a wide table keeps
// only as many columns as its samples' rows fit in, so that a record
// answering every field loads (1,598 columns of 10-character values made
// a row of 19 KB: row is too big).
func TestInferSpillRowSize(t *testing.T) {
	url := targetURL(t, "postgres")
	t.Setenv("DECANT_TARGET", url)
	dir := t.TempDir()
	wide := map[string]any{"id": "w1"}
	for i := range 1700 {
		wide[fmt.Sprintf("f%04d", i)] = fmt.Sprintf("value-%04d", i)
	}
	b, _ := json.Marshal(wide)
	samples := filepath.Join(dir, "wide.jsonl")
	writeFile(t, samples, string(b)+"\n")
	cfg := filepath.Join(dir, "decant.yaml")
	var res struct {
		Tables   []*infer.Table `json:"tables"`
		Warnings []string       `json:"warnings"`
	}
	decodeJSON(t, mustRun(t, "infer", samples, "--key", "id", "--spill", "more", "--plan-out", cfg, "--migration-out", filepath.Join(dir, "migrations"), "--json"), &res)
	if n := len(res.Tables[0].Columns); n >= 1600 {
		t.Errorf("%d columns, want fewer, for the row to fit", n)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "8 KB") {
		t.Errorf("warnings %q do not say why fewer columns", res.Warnings)
	}
	mustRun(t, "-c", cfg, "migrate")
	var status []struct{ Read, Written, Failed int }
	decodeJSON(t, mustRun(t, "-c", cfg, "status", "--json"), &status)
	if len(status) != 1 || status[0].Written != 1 || status[0].Failed != 0 {
		t.Errorf("status %+v, want the record written\n%s", status, mustRun(t, "-c", cfg, "errors", "list", "--json"))
	}
}

// --step takes from the plan it reads what the new plan needs: the
// source's and target's connections as written there (a relative path
// rebased to the new plan's directory), and the target's dialect.
func TestInferStepKeepsThePlansConnections(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(a, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(a, "data", "s.jsonl"), `{"id": 1, "w": "2.5"}`+"\n"+`{"id": 2, "w": "3"}`+"\n")
	writeFile(t, filepath.Join(a, "decant.yaml"), "version: 1\nconnections:\n  source: file:data/s.jsonl\n  target: sqlite:a.db\nsteps:\n  - name: s\n    from: {connection: source, key: id}\n    key: id\n    to: {table: s}\n    fields: record\n")
	cfg := filepath.Join(b, "p2.yaml")
	mustRun(t, "-c", filepath.Join(a, "decant.yaml"), "infer", "--step", "s", "--raw", "-n", "5", "--plan-out", cfg, "--migration-out", filepath.Join(b, "migrations"))
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(b, a)
	for _, want := range []string{"source: 'file:" + filepath.ToSlash(rel) + "/data/s.jsonl'", "target: 'sqlite:" + filepath.ToSlash(rel) + "/a.db'"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
	mig, _ := os.ReadFile(filepath.Join(b, "migrations", "0001_infer_s.sql"))
	if !strings.Contains(string(mig), "decimal text") {
		t.Errorf("the migration is not SQLite's, the plan's target:\n%s", mig)
	}
	mustRun(t, "-c", cfg, "migrate")
}

// RunInfer's file errors wrap the cause, for a caller to test with
// errors.Is (they were rebuilt from a message's text, which dropped it).
func TestRunInferWrapsFileErrors(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "s.jsonl")
	writeFile(t, samples, `{"id": 1}`+"\n")
	_, err := cli.RunInfer(context.Background(), cli.InferOpts{Samples: samples, Key: "id", N: 100, PlanOut: filepath.Join(dir, "none", "p.yaml")}, io.Discard)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
}

// Without --migration-out, infer prints the migration it would write.
func TestInferPrintsTheMigration(t *testing.T) {
	samples := filepath.Join(t.TempDir(), "s.jsonl")
	writeFile(t, samples, `{"id": 1, "a": "x"}`+"\n")
	r := mustRun(t, "infer", samples, "--key", "id")
	if !strings.Contains(r.stdout, `CREATE TABLE "s" (`) || !strings.Contains(r.stdout, "--migration-out DIR writes") {
		t.Errorf("infer without --migration-out: %s", r)
	}
	var res struct {
		SQL string `json:"sql"`
	}
	decodeJSON(t, mustRun(t, "infer", samples, "--key", "id", "--json"), &res)
	if !strings.Contains(res.SQL, `CREATE TABLE "s" (`) {
		t.Errorf("--json sql = %q", res.SQL)
	}
}
