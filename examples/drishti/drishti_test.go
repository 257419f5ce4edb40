package drishti_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/examples/drishti/drishtifeed"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// planFile is the example's plan, relative to this package's directory.
const planFile = "decant.yaml"

const (
	feedUser     = "drishti"
	feedPassword = "not-a-real-secret"
)

var nullIf = []string{"", "NaN", "Invalid Date"}

// TestDrishti runs the example end to end against PostgreSQL: every known
// submission lands once in its form's table with its fields typed and its
// junk values NULL, sub-form instances become child rows, unknown forms are
// parked with their payload, the audit views add up, a second run changes
// nothing, and a later run picks up exactly the new submissions.
func TestDrishti(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.Postgres(t)
	db := connect(t, dbURL)

	gen := drishtifeed.NewGenerator(drishtifeed.Config{Seed: 1})
	first := gen.Next(2000)
	srv := drishtifeed.NewServer(first)
	srv.SetBasicAuth(feedUser, feedPassword)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Setenv("DRISHTI_FEED_URL", hs.URL+drishtifeed.Path)
	t.Setenv("DRISHTI_FEED_USER", feedUser)
	t.Setenv("DRISHTI_FEED_PASSWORD", feedPassword)
	t.Setenv("DECANT_TARGET", dbURL)

	// On the empty database, check names the migration that creates the
	// form tables and passes: it compares the plan with the tables that
	// migration will create.
	var out bytes.Buffer
	_, err := cli.RunCheck(ctx, cli.CheckOpts{Common: common()}, &out)
	if err != nil || !strings.Contains(out.String(), "note migrations migrations: 1 to apply") ||
		!strings.Contains(out.String(), "0001_forms.sql (pending)") ||
		!strings.Contains(out.String(), "note: table anc_registration will be created by migration 0001_forms.sql") {
		t.Fatalf("decant check before the migrations: %v\n%s", err, out.String())
	}

	// migrate applies migrations/ (the form tables), then audit_views.sql
	// (over decant's tables, which it created first), then polls.
	res := migrate(t)
	known, unknown := split(first)
	assertResult(t, res, len(first), len(known), len(unknown))
	if got := queryStrings(t, db, "SELECT id || ' ' || name FROM decant_migrations"); strings.Join(got, ",") != "1 forms" {
		t.Errorf("decant_migrations after the first migrate: %q", got)
	}

	want := expect(first)
	checkContents(t, db, want)
	checkErrors(t, db, unknown)
	checkLedger(t, db, len(known), len(unknown))
	checkPageEdges(t, db, srv.Submissions(), 100)
	checkViews(t, db, first, len(known), unknown)
	if n := queryInt(t, db, "SELECT count(*) FROM decant_batches"); n != 20 {
		t.Errorf("decant_batches holds %d rows, want 20 (2,000 submissions in batches of 100)", n)
	}
	checkStatus(t, len(first), len(known), len(unknown), 20)

	// `decant check` still passes with the state tables and views in place.
	out.Reset()
	if _, err := cli.RunCheck(ctx, cli.CheckOpts{Common: common()}, &out); err != nil || !strings.Contains(out.String(), "ok   migrations migrations: all applied") {
		t.Fatalf("decant check after migrate: %v\n%s", err, out.String())
	}

	// A second run finds nothing new and changes nothing.
	before := checksums(t, db)
	res = migrate(t)
	assertResult(t, res, 0, 0, 0)
	if after := checksums(t, db); !maps.Equal(before, after) {
		for tbl := range before {
			if before[tbl] != after[tbl] {
				t.Errorf("second run changed %s: %s -> %s", tbl, before[tbl], after[tbl])
			}
		}
	}

	// The forms gain a question: tt has a new field, and the table a new
	// column; the plan is unchanged. 300 more submissions arrive, the first
	// of them sharing the serverVersion of the last one already read.
	gen.AddField("tt", drishtifeed.FieldDef{Name: "ttSite", Type: drishtifeed.Text})
	if _, err := db.Exec(ctx, "ALTER TABLE tt ADD COLUMN tt_site text"); err != nil {
		t.Fatal(err)
	}
	more := gen.Next(300)
	if more[0].ServerVersion != first[len(first)-1].ServerVersion {
		t.Fatalf("the generator should make the first new submission share the last old serverVersion")
	}
	srv.Add(more...)
	// The feed fails the run's first three requests in three ways; decant
	// retries them.
	requests := srv.Requests()
	faults := []drishtifeed.Fault{drishtifeed.InternalError, drishtifeed.Reset, drishtifeed.Truncated}
	srv.SetFaults(func(n int64) drishtifeed.Fault {
		if i := n - requests - 1; i >= 0 && i < int64(len(faults)) {
			return faults[i]
		}
		return drishtifeed.NoFault
	})
	var runStart time.Time
	if err := db.QueryRow(ctx, "SELECT now()").Scan(&runStart); err != nil {
		t.Fatal(err)
	}
	res = migrate(t)
	if n := srv.Requests() - requests; n <= int64(len(faults)) {
		t.Errorf("the run made %d requests: the faults were not all met", n)
	}
	knownMore, unknownMore := split(more)
	assertResult(t, res, len(more), len(knownMore), len(unknownMore))

	all := append(slices.Clone(first), more...)
	knownAll, unknownAll := split(all)
	checkContents(t, db, expect(all))
	checkErrors(t, db, unknownAll)
	checkLedger(t, db, len(knownAll), len(unknownAll))
	checkViews(t, db, all, len(knownAll), unknownAll)
	if n := queryInt(t, db, "SELECT count(*) FROM tt WHERE tt_site IS NOT NULL"); n == 0 {
		t.Error("no tt row has the new field tt_site")
	}
	if n := queryInt(t, db, "SELECT count(*) FROM decant_ledger WHERE key = $1", more[0].InstanceID); n != 1 {
		t.Errorf("the late submission at the last old serverVersion was not read")
	}
	// Only the new submissions were read and written.
	if n := queryInt(t, db, "SELECT count(*) FROM decant_ledger WHERE updated >= $1", runStart); n != int64(len(more)) {
		t.Errorf("the third run touched %d ledger keys, want %d", n, len(more))
	}
	if n := queryInt(t, db, "SELECT coalesce(sum(total), 0) FROM decant_batches WHERE started >= $1", runStart); n != int64(len(more)) {
		t.Errorf("the third run's audit rows count %d submissions, want %d", n, len(more))
	}
	if n := queryInt(t, db, "SELECT count(DISTINCT form_name) FROM tt"); n != 4 {
		t.Errorf("tt holds %d form names, want 4 (tt, tt_1, tt_2, tt_booster)", n)
	}
}

// TestDrishtiKill kills `decant migrate` with SIGKILL twice while it reads a
// slow feed, runs it to the end, and compares the target with that of an
// uninterrupted run: identical rows, errors, ledger and audit, nothing
// doubled, nothing missing.
func TestDrishtiKill(t *testing.T) {
	bin := buildDecant(t)
	killedURL, cleanURL := testenv.Postgres(t), testenv.Postgres(t)
	killed, clean := connect(t, killedURL), connect(t, cleanURL)

	subs := drishtifeed.Generate(2, 2000)
	srv := drishtifeed.NewServer(subs)
	srv.SetDelay(60 * time.Millisecond)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	feedURL := hs.URL + drishtifeed.Path

	// The first kill lands between batches; the second in the middle of a
	// batch's transaction: the test holds a lock on tt, so decant's write
	// blocks there after writing to the other tables, and is killed then.
	for i, killAt := range []int64{3, 9} {
		midTx := i == 1
		cmd := decantCmd(bin, feedURL, killedURL, "migrate", "-c", "examples/drishti/decant.yaml")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		waitBatches(t, killed, killAt, done, &stderr)
		var unlock func()
		var committed, blocked int64
		if midTx {
			unlock, blocked = blockWrites(t, killedURL, "tt", done, &stderr)
			committed = queryInt(t, killed, "SELECT count(*) FROM decant_batches")
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := <-done
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("decant was not killed (it ended with %v):\n%s", err, stderr.String())
		}
		if midTx {
			// Let the killed run's server backend go on: it finds its
			// client gone and rolls back.
			unlock()
			waitGone(t, killed, blocked)
			if n := queryInt(t, killed, "SELECT count(*) FROM decant_batches"); n != committed {
				t.Fatalf("the batch killed in its transaction left an audit row: %d batches, want %d", n, committed)
			}
		}
		n := queryInt(t, killed, "SELECT coalesce(sum(total), 0) FROM decant_batches")
		if n >= int64(len(subs)) {
			t.Fatalf("decant had finished (%d submissions) before it was killed; slow the feed down", n)
		}
		if l := queryInt(t, killed, "SELECT count(*) FROM decant_ledger"); l != n {
			t.Fatalf("after the kill the ledger holds %d keys but the audit rows count %d", l, n)
		}
		t.Logf("killed after %d batches (%d submissions committed; in a transaction: %v)",
			queryInt(t, killed, "SELECT count(*) FROM decant_batches"), n, midTx)
		// A killed run cannot release its lease, but it ran on this host and
		// its pid is gone (reaped by Wait above): the next run takes the
		// lease over at once instead of waiting for the 60 s TTL.
		if l := queryInt(t, killed, "SELECT count(*) FROM decant_scopes WHERE holder_id IS NOT NULL AND expires > now()"); l != 1 {
			t.Fatalf("the killed run left %d live leases, want 1", l)
		}
	}
	srv.SetDelay(0)
	runDecant(t, bin, feedURL, killedURL, "migrate", "-c", "examples/drishti/decant.yaml")
	runDecant(t, bin, feedURL, cleanURL, "migrate", "-c", "examples/drishti/decant.yaml")

	_, unknown := split(subs)
	checkContents(t, killed, expect(subs))
	checkErrors(t, killed, unknown)
	for _, q := range compareQueries {
		a, b := queryStrings(t, killed, q), queryStrings(t, clean, q)
		if !slices.Equal(a, b) {
			t.Errorf("after the kills the target differs from an uninterrupted run's:\n%s\nkilled run: %d rows, clean run: %d rows%s",
				q, len(a), len(b), firstDiff(a, b))
		}
	}
	if n := queryInt(t, killed, "SELECT sum(total) FROM decant_batches"); n != int64(len(subs)) {
		t.Errorf("the audit rows of the killed runs count %d submissions, want %d", n, len(subs))
	}
}

// TestDrishtiMissingColumn drops a mapped column: check reports it, and
// migrate refuses to start, reading and writing nothing.
func TestDrishtiMissingColumn(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.Postgres(t)
	db := connect(t, dbURL)
	applyMigrations(t, dbURL)
	if _, err := db.Exec(ctx, "ALTER TABLE tt DROP COLUMN client_version"); err != nil {
		t.Fatal(err)
	}
	srv := drishtifeed.NewServer(drishtifeed.Generate(4, 300))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Setenv("DRISHTI_FEED_URL", hs.URL+drishtifeed.Path)
	t.Setenv("DECANT_TARGET", dbURL)

	var out bytes.Buffer
	_, err := cli.RunCheck(ctx, cli.CheckOpts{Common: common()}, &out)
	var ee *cli.ExitError
	if !errors.As(err, &ee) || ee.Code != 2 {
		t.Fatalf("decant check: got %v, want exit code 2\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "table tt has no column client_version") {
		t.Errorf("decant check does not name the missing column:\n%s", out.String())
	}

	requests := srv.Requests()
	var errw bytes.Buffer
	out.Reset()
	_, err = cli.RunMigrate(ctx, cli.MigrateOpts{Common: common(), Stop: make(chan struct{})}, &out, &errw)
	if err == nil || !strings.Contains(err.Error(), "table tt has no column client_version") {
		t.Fatalf("decant migrate: got %v, want a refusal naming tt.client_version", err)
	}
	if n := srv.Requests() - requests; n != 0 {
		t.Errorf("decant migrate read the feed %d times before refusing", n)
	}
	if queryInt(t, db, "SELECT count(*) FROM pg_class WHERE relname = 'decant_batches'") == 1 {
		if n := queryInt(t, db, "SELECT count(*) FROM decant_batches"); n != 0 {
			t.Errorf("decant_batches holds %d rows after a refused start", n)
		}
	}
	for _, tbl := range formTables() {
		if n := queryInt(t, db, "SELECT count(*) FROM "+tbl); n != 0 {
			t.Errorf("%s holds %d rows after a refused start", tbl, n)
		}
	}
}

// compareQueries read everything a run leaves that must not depend on how
// often it was interrupted.
var compareQueries = func() []string {
	q := []string{
		"SELECT key || ' ' || message || ' ' || detail || ' ' || coalesce(payload, '') || ' ' || attempts || ' ' || resolved FROM decant_errors ORDER BY key",
		"SELECT key || ' ' || source_hash || ' ' || target_hash || ' ' || status FROM decant_ledger ORDER BY key",
		"SELECT cursor_from || ' ' || cursor_to || ' ' || total || ' ' || ok || ' ' || failed FROM decant_batches ORDER BY id",
		"SELECT step || ' ' || coalesce(position, '') || ' ' || coalesce(cursor, '') FROM decant_checkpoints ORDER BY step",
	}
	for _, tbl := range formTables() {
		q = append(q, fmt.Sprintf("SELECT x::text FROM %s x ORDER BY instance_id", tbl))
	}
	return append(q, "SELECT x::text FROM delivery_outcome_child_registration x ORDER BY parent_instance_id, child_id")
}()

func common() cli.Common { return cli.Common{Config: planFile, Scope: "default"} }

func migrate(t *testing.T) *engine.Result {
	t.Helper()
	var out, errw bytes.Buffer
	res, err := cli.RunMigrate(context.Background(), cli.MigrateOpts{Common: common(), Stop: make(chan struct{})}, &out, &errw)
	if err != nil {
		t.Fatalf("decant migrate: %v\n%s\n%s", err, out.String(), errw.String())
	}
	return res
}

func assertResult(t *testing.T, res *engine.Result, read, written, failed int) {
	t.Helper()
	if len(res.Steps) != 1 || res.Steps[0].Step != "forms" {
		t.Fatalf("migrate ran steps %+v, want forms", res.Steps)
	}
	s := res.Steps[0]
	if s.Read != int64(read) || s.Written != int64(written) || s.Failed != int64(failed) {
		t.Fatalf("migrate read %d, wrote %d, failed %d; want %d, %d, %d", s.Read, s.Written, s.Failed, read, written, failed)
	}
}

func checkStatus(t *testing.T, read, written, failed, batches int) {
	t.Helper()
	var out bytes.Buffer
	ss, err := cli.RunStatus(context.Background(), cli.StatusOpts{Common: common()}, &out)
	if err != nil {
		t.Fatalf("decant status: %v", err)
	}
	if len(ss) != 1 || ss[0].Read != int64(read) || ss[0].Written != int64(written) || ss[0].Failed != int64(failed) || ss[0].Batches != int64(batches) {
		t.Errorf("decant status gave %+v; want read %d, written %d, failed %d, batches %d", ss, read, written, failed, batches)
	}
	out.Reset()
	errs, err := cli.RunErrorsList(context.Background(), cli.ErrorsOpts{Common: common()}, &out)
	if err != nil {
		t.Fatalf("decant errors list: %v", err)
	}
	if len(errs) != failed || !strings.Contains(out.String(), "unknown form name: mystery_form") {
		t.Errorf("decant errors list gave %d errors, want %d with unknown form names:\n%.500s", len(errs), failed, out.String())
	}
}

// split returns the submissions of known and of unknown forms.
func split(subs []drishtifeed.Submission) (known, unknown []drishtifeed.Submission) {
	for _, s := range subs {
		if _, ok := drishtifeed.Form(s.FormName); ok {
			known = append(known, s)
		} else {
			unknown = append(unknown, s)
		}
	}
	return known, unknown
}

func formTables() []string {
	var out []string
	for _, f := range drishtifeed.Forms {
		out = append(out, f.Name)
	}
	return out
}

// row is a table row as text, by column; nil is NULL.
type row map[string]*string

// expected is what the target tables must hold: table -> row key -> row.
type expected map[string]map[string]row

// expect computes, from the submissions alone, the rows the example's plan
// must produce.
func expect(subs []drishtifeed.Submission) expected {
	want := expected{}
	put := func(table, key string, r row) {
		if want[table] == nil {
			want[table] = map[string]row{}
		}
		want[table][key] = r
	}
	for _, f := range drishtifeed.Forms {
		want[f.Name] = map[string]row{}
		for _, sf := range f.SubForms {
			want[drishtifeed.ChildTable(f.Name, sf.Name)] = map[string]row{}
		}
	}
	for _, s := range subs {
		def, ok := drishtifeed.Form(s.FormName)
		if !ok {
			continue
		}
		fi, err := s.Instance()
		if err != nil {
			panic(err)
		}
		r := row{
			"instance_id":                  text(s.InstanceID),
			"entity_id":                    text(s.EntityID),
			"anm_id":                       text(s.AnmID),
			"form_name":                    text(s.FormName),
			"client_version":               millis(s.ClientVersion),
			"server_version":               millis(s.ServerVersion),
			"form_data_definition_version": text(s.FormDataDefinitionVersion),
		}
		for _, f := range fi.Form.Fields {
			r[drishtifeed.Column(fi.Form.BindType, f.Name)] = text(f.Value)
		}
		put(def.Name, s.InstanceID, r)
		for _, sf := range fi.Form.SubForms {
			for _, inst := range sf.Instances {
				c := row{"parent_instance_id": text(s.InstanceID), "sub_form_name": text(sf.Name)}
				for k, v := range inst {
					c[drishtifeed.Column(sf.BindType, k)] = text(v)
				}
				put(drishtifeed.ChildTable(def.Name, sf.Name), s.InstanceID+"|"+inst["id"], c)
			}
		}
	}
	return want
}

// text is a field value as the target shows it: NULL for the junk values.
func text(v string) *string {
	if slices.Contains(nullIf, v) {
		return nil
	}
	return &v
}

// millis renders a millisecond timestamp as PostgreSQL prints a timestamptz
// in UTC.
func millis(v string) *string {
	var ms int64
	if _, err := fmt.Sscan(v, &ms); err != nil {
		panic(err)
	}
	s := time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.999") + "+00"
	return &s
}

// checkContents compares every row and column of every target table with
// what the submissions say it must hold.
func checkContents(t *testing.T, db *pgx.Conn, want expected) {
	t.Helper()
	junk, reported := 0, 0
	errorf := func(format string, args ...any) {
		t.Helper()
		if reported++; reported <= 20 {
			t.Errorf(format, args...)
		} else if reported == 21 {
			t.Error("... more differences not shown")
		}
	}
	for table, rows := range want {
		keyCols := []string{"instance_id"}
		if strings.Contains(table, "_child_") {
			keyCols = []string{"parent_instance_id", "child_id"}
		}
		got := readTable(t, db, table, keyCols)
		if len(got) != len(rows) {
			errorf("%s holds %d rows, want %d", table, len(got), len(rows))
		}
		for key, w := range rows {
			g, ok := got[key]
			if !ok {
				errorf("%s: row %s is missing", table, key)
				continue
			}
			for col, gv := range g {
				wv, mapped := w[col]
				if !mapped && gv != nil {
					errorf("%s row %s: column %s is %q, want NULL (no such field)", table, key, col, *gv)
				}
				if mapped && !equalPtr(gv, wv) {
					errorf("%s row %s: column %s is %s, want %s", table, key, col, show(gv), show(wv))
				}
				if mapped && wv == nil {
					junk++
				}
			}
			for col := range w {
				if _, ok := g[col]; !ok {
					errorf("%s has no column %s for field of row %s", table, col, key)
				}
			}
		}
		for key := range got {
			if _, ok := rows[key]; !ok {
				errorf("%s: unexpected row %s", table, key)
			}
		}
	}
	if junk == 0 {
		t.Error("no junk value became NULL: the data does not exercise null_if")
	}
}

func equalPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func show(p *string) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *p)
}

// readTable reads every column of table as text, by the key columns joined with "|".
func readTable(t *testing.T, db *pgx.Conn, table string, keyCols []string) map[string]row {
	t.Helper()
	ctx := context.Background()
	var cols []string
	rows, err := db.Query(ctx, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position", table)
	if err != nil {
		t.Fatal(err)
	}
	cols, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = pgx.Identifier{c}.Sanitize() + "::text"
	}
	rows, err = db.Query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+pgx.Identifier{table}.Sanitize())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]row{}
	for rows.Next() {
		vals := make([]*string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := row{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		var key []string
		for _, k := range keyCols {
			key = append(key, *r[k])
		}
		k := strings.Join(key, "|")
		if _, dup := out[k]; dup {
			t.Errorf("%s holds row %s twice", table, k)
		}
		out[k] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkErrors checks that the unknown forms, and only they, are parked
// with their message and untouched payload.
func checkErrors(t *testing.T, db *pgx.Conn, unknown []drishtifeed.Submission) {
	t.Helper()
	rows, err := db.Query(context.Background(),
		"SELECT key, message, detail, coalesce(payload, ''), attempts, resolved FROM decant_errors WHERE scope = 'default' AND step = 'forms'")
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		msg, detail, payload string
		attempts             int
		resolved             bool
	}
	got := map[string]stored{}
	for rows.Next() {
		var k string
		var s stored
		if err := rows.Scan(&k, &s.msg, &s.detail, &s.payload, &s.attempts, &s.resolved); err != nil {
			t.Fatal(err)
		}
		got[k] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(unknown) {
		t.Errorf("decant_errors holds %d errors, want %d (the unknown forms)", len(got), len(unknown))
	}
	for _, s := range unknown {
		g, ok := got[s.InstanceID]
		if !ok {
			t.Errorf("unknown form %s (%s) is not in decant_errors", s.FormName, s.InstanceID)
			continue
		}
		if want := "unknown form name: " + s.FormName; g.msg != want {
			t.Errorf("error %s: message %q, want %q", s.InstanceID, g.msg, want)
		}
		if !strings.Contains(g.detail, s.FormName) {
			t.Errorf("error %s: detail %q does not name the form", s.InstanceID, g.detail)
		}
		var p drishtifeed.Submission
		if err := json.Unmarshal([]byte(g.payload), &p); err != nil || p != s {
			t.Errorf("error %s: payload is not the submission (%v): %.200s", s.InstanceID, err, g.payload)
		}
		if g.attempts != 1 || g.resolved {
			t.Errorf("error %s: attempts %d, resolved %v; want 1, false", s.InstanceID, g.attempts, g.resolved)
		}
	}
}

func checkLedger(t *testing.T, db *pgx.Conn, ok, failed int) {
	t.Helper()
	if n := queryInt(t, db, "SELECT count(*) FROM decant_ledger WHERE status = 'ok'"); n != int64(ok) {
		t.Errorf("ledger holds %d ok keys, want %d", n, ok)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM decant_ledger WHERE status = 'failed'"); n != int64(failed) {
		t.Errorf("ledger holds %d failed keys, want %d", n, failed)
	}
}

// checkPageEdges checks that the submissions sharing a serverVersion across
// an edge between pages of pageSize (in the feed's order) were all read.
func checkPageEdges(t *testing.T, db *pgx.Conn, sorted []drishtifeed.Submission, pageSize int) {
	t.Helper()
	edges := 0
	for edge := pageSize; edge < len(sorted); edge += pageSize {
		v := sorted[edge].ServerVersion
		if sorted[edge-1].ServerVersion != v {
			continue
		}
		edges++
		var keys []string
		for _, s := range sorted {
			if s.ServerVersion == v {
				keys = append(keys, s.InstanceID)
			}
		}
		if n := queryInt(t, db, "SELECT count(*) FROM decant_ledger WHERE key = ANY($1)", keys); n != int64(len(keys)) {
			t.Errorf("serverVersion %s spans a page edge at %d: %d of its %d submissions were read", v, edge, n, len(keys))
		}
	}
	if edges == 0 {
		t.Error("no serverVersion spans a page edge: the data does not exercise it")
	}
}

// checkViews checks the shape and totals of migration_audit and error_audit.
func checkViews(t *testing.T, db *pgx.Conn, subs []drishtifeed.Submission, known int, unknown []drishtifeed.Submission) {
	t.Helper()
	shape := func(view string) string {
		return strings.Join(queryStrings(t, db, fmt.Sprintf(
			"SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_name = '%s' ORDER BY ordinal_position", view)), ", ")
	}
	if got, want := shape("migration_audit"), "id bigint, last_polled_timestamp bigint, total_no_of_form_entries bigint, successfully_processed_form_entries bigint, created_timestamp timestamp with time zone"; got != want {
		t.Errorf("migration_audit columns:\n got %s\nwant %s", got, want)
	}
	if got, want := shape("error_audit"), "id bigint, instance_id text, form_name text, failure_reason text, detailed_reason text, created_timestamp timestamp with time zone"; got != want {
		t.Errorf("error_audit columns:\n got %s\nwant %s", got, want)
	}

	var total, ok, maxTS, nulls, rowsN int64
	err := db.QueryRow(context.Background(), `
		SELECT coalesce(sum(total_no_of_form_entries), 0), coalesce(sum(successfully_processed_form_entries), 0),
		       coalesce(max(last_polled_timestamp), 0),
		       count(*) FILTER (WHERE last_polled_timestamp IS NULL OR created_timestamp IS NULL), count(*)
		FROM migration_audit`).Scan(&total, &ok, &maxTS, &nulls, &rowsN)
	if err != nil {
		t.Fatal(err)
	}
	var maxV int64
	for _, s := range subs {
		maxV = max(maxV, s.Version())
	}
	if total != int64(len(subs)) || ok != int64(known) || maxTS != maxV || nulls != 0 {
		t.Errorf("migration_audit: total %d, ok %d, max timestamp %d, NULLs %d; want %d, %d, %d, 0",
			total, ok, maxTS, nulls, len(subs), known, maxV)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM decant_batches"); n != rowsN {
		t.Errorf("migration_audit has %d rows, decant_batches %d", rowsN, n)
	}
	// The timestamps never go back from one audit row to the next.
	ts := queryStrings(t, db, "SELECT last_polled_timestamp::text FROM migration_audit ORDER BY id")
	sorted := slices.IsSortedFunc(ts, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	if !sorted {
		t.Errorf("migration_audit.last_polled_timestamp goes back: %v", ts)
	}

	got := map[string][3]string{}
	rows, err := db.Query(context.Background(), "SELECT instance_id, coalesce(form_name, ''), failure_reason, detailed_reason FROM error_audit WHERE created_timestamp IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, form, reason, detail string
		if err := rows.Scan(&id, &form, &reason, &detail); err != nil {
			t.Fatal(err)
		}
		got[id] = [3]string{form, reason, detail}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(unknown) {
		t.Errorf("error_audit has %d rows, want %d", len(got), len(unknown))
	}
	for _, s := range unknown {
		g := got[s.InstanceID]
		if g[0] != s.FormName || g[1] != "unknown form name: "+s.FormName || !strings.Contains(g[2], s.FormName) {
			t.Errorf("error_audit row of %s is %q, want form %s, reason \"unknown form name: %s\"", s.InstanceID, g, s.FormName, s.FormName)
		}
	}
}

// checksums sums up every table a run writes.
func checksums(t *testing.T, db *pgx.Conn) map[string]string {
	t.Helper()
	tables := append(formTables(), "delivery_outcome_child_registration",
		"decant_batches", "decant_errors", "decant_ledger", "decant_checkpoints", "decant_migrations")
	out := map[string]string{}
	for _, tbl := range tables {
		var n int64
		var sum string
		err := db.QueryRow(context.Background(), fmt.Sprintf(
			"SELECT count(*), coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') FROM %s x", tbl)).Scan(&n, &sum)
		if err != nil {
			t.Fatal(err)
		}
		out[tbl] = fmt.Sprintf("%d rows %s", n, sum)
	}
	return out
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// applyMigrations applies the example's migrations to the database at url,
// as `decant db up --dir migrations` does.
func applyMigrations(t *testing.T, url string) {
	t.Helper()
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Up(context.Background(), db, os.DirFS("migrations"), migrations.Options{}); err != nil {
		t.Fatal(err)
	}
}

func queryInt(t *testing.T, db *pgx.Conn, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func queryStrings(t *testing.T, db *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("\nfirst difference at row %d:\n killed: %.300s\n  clean: %.300s", i, a[i], b[i])
		}
	}
	return ""
}

// moduleRoot is the directory of go.mod, two levels up.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

// buildDecant builds cmd/decant into the test's temporary directory.
func buildDecant(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "decant")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-o", bin, "./cmd/decant")
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/decant: %v\n%s", err, out)
	}
	return bin
}

func decantCmd(bin, feedURL, dbURL string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "DRISHTI_FEED_URL="+feedURL, "DECANT_TARGET="+dbURL,
		"DRISHTI_FEED_USER=", "DRISHTI_FEED_PASSWORD=")
	return cmd
}

func runDecant(t *testing.T, bin, feedURL, dbURL string, args ...string) string {
	t.Helper()
	cmd := decantCmd(bin, feedURL, dbURL, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("decant %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// blockWrites locks table against writes on a connection of its own and
// waits until another backend (decant's) is blocked on the lock, in the
// middle of a batch's transaction. It returns the function that releases
// the lock and the blocked backend's pid.
func blockWrites(t *testing.T, url, table string, done <-chan error, output *bytes.Buffer) (unlock func(), pid int64) {
	t.Helper()
	ctx := context.Background()
	conn := connect(t, url)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+table+" IN SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := conn.QueryRow(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() LIMIT 1`).Scan(&pid)
		if err == nil {
			break
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("decant's write did not block on the lock within 20 s")
		}
		select {
		case err := <-done:
			t.Fatalf("decant ended (%v) before its write blocked:\n%s", err, output.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	return func() {
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}, pid
}

// waitGone waits until the server backend pid has ended.
func waitGone(t *testing.T, db *pgx.Conn, pid int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for queryInt(t, db, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the killed run's backend %d is still there after 20 s", pid)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitBatches waits until db holds at least n audit rows, or fails if the
// command ends first (done receives its end).
func waitBatches(t *testing.T, db *pgx.Conn, n int64, done <-chan error, output *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if queryInt(t, db, "SELECT count(*) FROM pg_class WHERE relname = 'decant_batches'") == 1 &&
			queryInt(t, db, "SELECT count(*) FROM decant_batches") >= n {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("decant ended (%v) before %d batches were committed:\n%s", err, n, output.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("no %d batches committed within 20 s", n)
}
