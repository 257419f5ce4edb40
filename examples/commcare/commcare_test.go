package commcare_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/examples/commcare/hq"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// planFile is the example's plan, relative to this package's directory.
const planFile = "decant.yaml"

// casesPerDomain is how many cases Generate makes per domain: enough for
// several batches and pages (the plan reads 500 at a time) without making
// pouchdb-server's filtered reads slow.
const casesPerDomain = 150

// result is what one decant command printed and its exit code.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// decantRun runs the decant command line on the example's plan.
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

// stats is one line of `decant stats --json`.
type stats struct {
	Scope, Step, State string
	SourceDocs         *int64 `json:"source_docs"`
	Migrated, Errors   int64
	Diffs, Missing     int64
	LastRan            *time.Time `json:"last_ran"`
}

// lifecycle is the lifecycle object of a lifecycle command's --json.
type lifecycle struct {
	Scope, Command, From, State, Summary string
	Hooks                                []struct{ Hook, URL string }
	Verify                               *struct{ Clean bool }
}

// site is one run of the example: a CouchDB database holding the domains
// (pouchdb-server), the application in front of it answering hooks, and a
// PostgreSQL target.
type site struct {
	couch  *hq.Couch
	app    *hq.App
	db     *sql.DB
	dbURL  string
	revs   map[string]string
	dir    string
	domain map[string]hq.Domain
}

// newSite loads the domains into a new CouchDB database, with the quirks
// of a real HQ database beside them, and points the plan at it, at a new
// PostgreSQL database and at the application's hooks (the environment is
// the test's, so tests that call it do not run in parallel).
func newSite(t *testing.T, lag string, domains ...string) *site {
	t.Helper()
	ctx := context.Background()
	s := &site{couch: &hq.Couch{DB: testenv.CouchDBDatabase(t)}, dbURL: testenv.Postgres(t), dir: t.TempDir(),
		domain: map[string]hq.Domain{}}
	s.app = hq.NewApp(s.couch)
	var gen []hq.Domain
	for _, name := range domains {
		d := hq.Generate(name, casesPerDomain)
		s.domain[name] = d
		gen = append(gen, d)
	}
	revs, err := s.couch.Load(ctx, gen...)
	if err != nil {
		t.Fatal(err)
	}
	s.revs = revs
	hs := httptest.NewServer(s.app)
	t.Cleanup(hs.Close)
	db, err := migrations.Open(s.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db = db
	t.Setenv("COMMCARE_COUCH_URL", "couchdb+"+s.couch.DB)
	t.Setenv("DECANT_TARGET", s.dbURL)
	t.Setenv("COMMCARE_LAG", lag)
	t.Setenv("COMMCARE_HOOK_URL", hs.URL+"/hooks")
	return s
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

// rows is a query's rows, one string a row.
func (s *site) rows(t *testing.T, query string, args ...any) []string {
	t.Helper()
	return testenv.Rows(t, s.db, query, args...)
}

// want is what the target should hold of one domain: its forms, its cases
// and their actions, by id.
type want struct {
	forms   map[string]bool
	cases   map[string]int // case id → actions
	actions int
}

func (s *site) want(domain string) *want {
	w := &want{forms: map[string]bool{}, cases: map[string]int{}}
	for _, f := range s.domain[domain].Forms {
		w.forms[f.ID] = true
	}
	for _, c := range s.domain[domain].Cases {
		w.cases[c.ID] = len(c.Actions)
	}
	return w
}

// check compares the target's rows of domain with w, by count and by id.
func (s *site) check(t *testing.T, domain string, w *want) {
	t.Helper()
	actions := 0
	for _, n := range w.cases {
		actions += n
	}
	gotForms := s.count(t, "SELECT count(*) FROM forms WHERE domain = $1", domain)
	gotCases := s.count(t, "SELECT count(*) FROM cases WHERE domain = $1", domain)
	gotActions := s.count(t, "SELECT count(*) FROM case_actions a JOIN cases c ON c.id = a.case_id WHERE c.domain = $1", domain)
	if gotForms != len(w.forms) || gotCases != len(w.cases) || gotActions != actions {
		t.Errorf("%s holds %d forms, %d cases, %d case actions; want %d, %d, %d",
			domain, gotForms, gotCases, gotActions, len(w.forms), len(w.cases), actions)
	}
	for _, id := range s.rows(t, "SELECT id FROM forms WHERE domain = $1", domain) {
		if !w.forms[id] {
			t.Errorf("%s: form %s should not be in the target", domain, id)
		}
	}
	for _, r := range s.rows(t, "SELECT c.id || ' ' || count(a.idx) FROM cases c LEFT JOIN case_actions a ON a.case_id = c.id WHERE c.domain = $1 GROUP BY c.id", domain) {
		id, n, _ := strings.Cut(r, " ")
		if want, ok := w.cases[id]; !ok || fmt.Sprint(want) != n {
			t.Errorf("%s: case %s has %s actions in the target; want %d (known: %v)", domain, id, n, want, ok)
		}
	}
}

// stopAfterRound is a migrate progress that closes stop when the plan's
// one step finished its first round, as a Ctrl-C after it would.
type stopAfterRound struct {
	once sync.Once
	stop chan struct{}
	mu   sync.Mutex
	done []engine.StepResult
}

func (p *stopAfterRound) StepStarted(string, int64)       {}
func (p *stopAfterRound) Batch(string, decant.BatchAudit) {}
func (p *stopAfterRound) RoundError(error)                {}
func (p *stopAfterRound) StepDone(r engine.StepResult) {
	p.mu.Lock()
	p.done = append(p.done, r)
	p.mu.Unlock()
	p.once.Do(func() { close(p.stop) })
}

// liveRound runs `decant migrate --live` on domain through cli.RunMigrate
// and stops it when its first round is done, as the lifecycle tests do: a
// live run otherwise follows until it is stopped.
func liveRound(t *testing.T, domain string) (*engine.Result, string) {
	t.Helper()
	prog := &stopAfterRound{stop: make(chan struct{})}
	o := cli.MigrateOpts{Common: cli.Common{Config: planFile, Scope: domain}, Live: true,
		Interval: 10 * time.Millisecond, Progress: prog, Stop: prog.stop}
	var out bytes.Buffer
	res, err := cli.RunMigrate(context.Background(), o, &out, &out)
	if err != nil {
		t.Fatalf("migrate --live --scope %s: %v\n%s", domain, err, out.String())
	}
	return res, out.String()
}

// scopeFile writes a --scopes file and returns its path.
func (s *site) scopeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// stray is a document of a doc_type that no table takes, as HQ's
// databases hold beside forms and cases (a mobile worker).
func stray(domain string) map[string]any {
	return map[string]any{"_id": domain + "-user-doc", "doc_type": "CommCareUser", "domain": domain,
		"username": "worker@" + domain, "server_modified_on": "2024-03-01T08:00:00.000000Z"}
}

// TestCommCare walks the runbook of a live domain migration end to end,
// through the command line, against pouchdb-server and PostgreSQL: three
// domains in one CouchDB database, each read by its own scope; alpha goes
// live while its phones keep submitting, is fenced by the application's
// hook, drained, verified and committed; bravo is migrated and reset;
// charlie (with bravo again) runs from a list with --auto-finish, and both
// are committed. At
// each step the tables hold, per domain, exactly the generated documents
// minus the deleted ones plus the submissions.
func TestCommCare(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, "10m", "alpha", "bravo", "charlie")
	alpha, bravo, charlie := s.want("alpha"), s.want("bravo"), s.want("charlie")

	// The quirks: a document of a type no table takes (alpha), a form
	// deleted before the migration (bravo), a case edited on two servers
	// (charlie: the winner lands, not the losing branch's upper-cased name).
	revs, err := s.couch.Put(ctx, []any{stray("alpha")})
	if err != nil {
		t.Fatal(err)
	}
	s.revs["alpha-user-doc"] = revs["alpha-user-doc"]
	gone := s.domain["bravo"].Forms[3].ID
	if err := s.couch.Delete(ctx, gone, s.revs[gone]); err != nil {
		t.Fatal(err)
	}
	delete(bravo.forms, gone)
	conflicted := s.domain["charlie"].Cases[7]
	conflicted.Rev = s.revs[conflicted.ID]
	if err := s.couch.AddConflict(ctx, conflicted, "1-00000000000000000000000000000000"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name      string   `json:"name"`
		Conflicts []string `json:"_conflicts"`
	}
	resp, err := http.Get(s.couch.DB + "/" + conflicted.ID + "?conflicts=true")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || doc.Name != conflicted.Name || len(doc.Conflicts) != 1 {
		t.Fatalf("the conflicted case reads %+v (%v): want its own name and one losing revision", doc, err)
	}

	// decant check passes before anything ran (the tables come from the
	// plan's migration).
	r := mustRun(t, "check", "--scope", "alpha")
	if !strings.Contains(r.stdout, "1 to apply") {
		t.Errorf("check before the first run:\n%s", r)
	}

	domains := s.scopeFile(t, "domains.txt", "# every domain of the database\nalpha\nbravo\n\ncharlie  # the last one\n")
	var st []stats
	decodeJSON(t, mustRun(t, "stats", "--scopes", domains, "--json"), &st)
	if len(st) != 3 {
		t.Fatalf("stats before anything: %+v", st)
	}
	for i, d := range []string{"alpha", "bravo", "charlie"} {
		// A filtered CouchDB read cannot tell its size (docs/couchdb.md),
		// so SOURCE DOCS is unknown per domain.
		if st[i].Scope != d || st[i].State != "new" || st[i].Migrated != 0 || st[i].LastRan != nil || st[i].SourceDocs != nil {
			t.Errorf("stats before anything, %s: %+v", d, st[i])
		}
	}
	if n := s.count(t, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"); n != 0 {
		t.Errorf("stats created %d tables; it only reads", n)
	}

	t.Run("alpha live", func(t *testing.T) { alphaLive(t, s, alpha) })
	if t.Failed() {
		return
	}
	t.Run("bravo reset", func(t *testing.T) { bravoReset(t, s, bravo) })
	if t.Failed() {
		return
	}
	t.Run("from a list", func(t *testing.T) { fromList(t, s, alpha, bravo, charlie, conflicted) })
}

// alphaLive: migrate --live on alpha while its phones submit, then finish
// behind the application's fence, verify and commit.
func alphaLive(t *testing.T, s *site, alpha *want) {
	ctx := context.Background()
	res, out := liveRound(t, "alpha")
	if !strings.Contains(out, "scope alpha: new → live (migrate --live)") || res.Lifecycle == nil || res.Lifecycle.State != decant.StateLive {
		t.Fatalf("the first live round did not take alpha live:\n%s", out)
	}
	s.check(t, "alpha", alpha)
	if n := s.count(t, "SELECT count(*) FROM forms WHERE domain <> 'alpha'") + s.count(t, "SELECT count(*) FROM cases WHERE domain <> 'alpha'"); n != 0 {
		t.Errorf("alpha's run wrote %d rows of other domains", n)
	}

	// The document that routes nowhere is a record error; the run went
	// on, and `decant errors list` names it.
	r := mustRun(t, "errors", "list", "--scope", "alpha")
	if !strings.Contains(r.stdout, "alpha-user-doc") || !strings.Contains(r.stdout, "unknown doc_type: CommCareUser") {
		t.Errorf("errors list does not show the stray document:\n%s", r)
	}

	// The phones go on: a follow-up an hour ago (out of the lag window), a
	// deleted form, and a follow-up now (inside it: held for later).
	c0, c1 := s.domain["alpha"].Cases[0].ID, s.domain["alpha"].Cases[1].ID
	f, err := s.app.Submit(ctx, "alpha", c0, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	alpha.forms[f.ID] = true
	alpha.cases[c0]++
	del := s.domain["alpha"].Forms[5].ID
	if err := s.couch.Delete(ctx, del, s.revs[del]); err != nil {
		t.Fatal(err)
	}
	delete(alpha.forms, del)
	res, out = liveRound(t, "alpha")
	// Three records: the form, its case at a new revision, the tombstone.
	if len(res.Steps) != 1 || res.Steps[0].Read != 3 || res.Steps[0].Written != 3 || res.Steps[0].Failed != 0 {
		t.Errorf("the second live round: %+v\n%s", res.Steps, out)
	}
	s.check(t, "alpha", alpha)

	late, err := s.app.Submit(ctx, "alpha", c1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res, out = liveRound(t, "alpha")
	if len(res.Steps) != 1 || res.Steps[0].HeldAt == "" || !strings.Contains(out, "(lag window from key") {
		t.Errorf("the submission within the lag window was not held back: %+v\n%s", res.Steps, out)
	}
	s.check(t, "alpha", alpha)
	alpha.forms[late.ID] = true
	alpha.cases[c1]++

	// A first finish, with the stray document's error open: on_finish
	// fences alpha in the application (bravo is not), the drain reads
	// everything submitted before the fence, lag or not, and the scope is
	// not clean: it stays finishing, fence up.
	r = decantRun(t, "migrate", "--finish", "--scope", "alpha")
	if r.code != 1 || !strings.Contains(r.stdout, "scope alpha: live → finishing (migrate --finish): 1 open error") ||
		!strings.Contains(r.stderr, "hook on_finish of scope alpha: ok") || !strings.Contains(r.stderr, "  | alpha: on_finish done") {
		t.Errorf("finish with an open error:\n%s", r)
	}
	if !s.app.Fenced("alpha") || s.app.Fenced("bravo") {
		t.Errorf("after on_finish alpha fenced = %v, bravo fenced = %v; want true, false", s.app.Fenced("alpha"), s.app.Fenced("bravo"))
	}
	if _, err := s.app.Submit(ctx, "alpha", c0, time.Now()); !errors.Is(err, hq.ErrFenced) {
		t.Errorf("a submission to fenced alpha = %v, want ErrFenced", err)
	}
	s.check(t, "alpha", alpha)

	// Back to live for the fix: on_unfinish lifts the fence, and the
	// phones submit again.
	r = mustRun(t, "unfinish", "--json", "--scope", "alpha")
	var un lifecycle
	decodeJSON(t, r, &un)
	if un.From != "finishing" || un.State != "live" || len(un.Hooks) != 1 || un.Hooks[0].Hook != "on_unfinish" || s.app.Fenced("alpha") {
		t.Errorf("unfinish --json: %+v; alpha fenced: %v", un, s.app.Fenced("alpha"))
	}
	f, err = s.app.Submit(ctx, "alpha", c1, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatalf("a submission after unfinish: %v", err)
	}
	alpha.forms[f.ID] = true
	alpha.cases[c1]++

	// The stray document will never map. Here it is fixed at the source:
	// HQ deletes it, and its tombstone resolves the error (resolving it
	// with a reason would do too: TestResolvedErrorLetsTheFinishBeClean).
	if err := s.couch.Delete(ctx, "alpha-user-doc", s.revs["alpha-user-doc"]); err != nil {
		t.Fatal(err)
	}
	liveRound(t, "alpha")
	r = mustRun(t, "errors", "list", "--all", "--scope", "alpha")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "alpha-user-doc") || !strings.Contains(lines[1], "true") {
		t.Errorf("after the stray document's deletion, errors list --all:\n%s", r)
	}
	if r = mustRun(t, "errors", "list", "--scope", "alpha"); strings.Contains(r.stdout, "alpha-user-doc") {
		t.Errorf("the deleted stray document's error is still open:\n%s", r)
	}
	s.check(t, "alpha", alpha)

	// The finish again, while the phones keep submitting until the fence
	// stops them: every form the application accepted before the fence is
	// drained; the scope is clean and finished.
	phones := make(chan []hq.Form, 1)
	go func() {
		var sent []hq.Form
		for i := 10; ; i++ {
			f, err := s.app.Submit(ctx, "alpha", s.domain["alpha"].Cases[i%len(s.domain["alpha"].Cases)].ID, time.Now())
			if err != nil {
				if !errors.Is(err, hq.ErrFenced) {
					t.Errorf("a phone's submission: %v", err)
				}
				phones <- sent
				return
			}
			sent = append(sent, f)
		}
	}()
	time.Sleep(100 * time.Millisecond) // a few submissions before the finish starts
	r = mustRun(t, "migrate", "--finish", "--json", "--scope", "alpha")
	sent := <-phones
	for _, f := range sent {
		alpha.forms[f.ID] = true
		alpha.cases[f.Form["case"].(map[string]any)["@case_id"].(string)]++
	}
	if len(sent) == 0 {
		t.Error("no phone submitted anything before the fence")
	}
	t.Logf("the phones submitted %d forms before the fence", len(sent))
	var mig struct{ Lifecycle lifecycle }
	decodeJSON(t, r, &mig)
	lc := mig.Lifecycle
	if lc.From != "live" || lc.State != "finished" || lc.Verify == nil || !lc.Verify.Clean || len(lc.Hooks) != 1 || lc.Hooks[0].Hook != "on_finish" {
		t.Errorf("migrate --finish --json: %+v\n%s", lc, r)
	}
	if _, err := s.app.Submit(ctx, "alpha", c0, time.Now()); !errors.Is(err, hq.ErrFenced) {
		t.Errorf("a submission to fenced alpha = %v, want ErrFenced", err)
	}
	s.check(t, "alpha", alpha)

	r = mustRun(t, "verify", "--scope", "alpha")
	if !strings.Contains(r.stdout, "clean") {
		t.Errorf("verify of finished alpha:\n%s", r)
	}
	// Someone edits a migrated form by hand after the finish: commit
	// verifies again and refuses, naming what it found; alpha stays
	// finished, and commits once the row is put back.
	edited := s.domain["alpha"].Forms[0].ID
	orig := s.rows(t, "SELECT form_name FROM forms WHERE id = $1", edited)
	if _, err := s.db.Exec("UPDATE forms SET form_name = 'edited by hand' WHERE id = $1", edited); err != nil {
		t.Fatal(err)
	}
	r = decantRun(t, "commit", "--yes", "--scope", "alpha")
	if r.code != 1 || !strings.Contains(r.stderr, "scope alpha is not clean (1 diff); it stays finished") {
		t.Errorf("commit of a scope edited since its finish:\n%s", r)
	}
	if got := mustRun(t, "status", "--scope", "alpha").stdout; !strings.Contains(got, "scope alpha: finished since") {
		t.Errorf("after a refused commit status says:\n%s", got)
	}
	if _, err := s.db.Exec("UPDATE forms SET form_name = $2 WHERE id = $1", edited, orig[0]); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, "commit", "--yes", "--json", "--scope", "alpha")
	var cm lifecycle
	decodeJSON(t, r, &cm)
	if cm.From != "finished" || cm.State != "committed" || len(cm.Hooks) != 1 || cm.Hooks[0].Hook != "on_commit" {
		t.Errorf("commit --json: %+v", cm)
	}
	if h := s.app.Hooks(); strings.Join(h, ",") != "on_finish alpha,on_unfinish alpha,on_finish alpha,on_commit alpha" {
		t.Errorf("the application received the hooks %q", h)
	}
	r = decantRun(t, "commit", "--yes", "--scope", "alpha")
	if r.code != 1 || !strings.Contains(r.stderr, "scope alpha is committed") {
		t.Errorf("a second commit:\n%s", r)
	}
	r = decantRun(t, "reset", "--yes", "--scope", "alpha")
	if r.code != 1 || !strings.Contains(r.stderr, "scope alpha is committed") {
		t.Errorf("reset of a committed scope:\n%s", r)
	}
	s.check(t, "alpha", alpha)
}

// bravoReset: bravo migrated, then reset: its rows are gone, the other
// domains' rows untouched, and it is new again.
func bravoReset(t *testing.T, s *site, bravo *want) {
	mustRun(t, "migrate", "--scope", "bravo")
	s.check(t, "bravo", bravo)
	before := map[string][]string{}
	for _, d := range []string{"alpha", "charlie"} {
		before[d] = s.rows(t, "SELECT f.id || ' ' || f.form FROM forms f WHERE domain = $1 UNION ALL SELECT id || ' ' || name FROM cases WHERE domain = $1 ORDER BY 1", d)
	}
	r := decantRun(t, "reset", "--scope", "bravo")
	if r.code != 2 || !strings.Contains(r.stderr, "confirm with --yes") {
		t.Errorf("reset without --yes off a terminal:\n%s", r)
	}
	var res struct {
		Records, Rows int
		State         string
		Steps         []struct {
			Step   string
			Tables map[string]int
		}
	}
	decodeJSON(t, mustRun(t, "reset", "--yes", "--json", "--scope", "bravo"), &res)
	actions := 0
	for _, n := range bravo.cases {
		actions += n
	}
	if res.Records != len(bravo.forms)+len(bravo.cases) || res.State != "new" || len(res.Steps) != 1 ||
		res.Steps[0].Tables["forms"] != len(bravo.forms) || res.Steps[0].Tables["cases"] != len(bravo.cases) || res.Steps[0].Tables["case_actions"] != actions {
		t.Errorf("reset --json = %+v; want %d forms, %d cases, %d case actions, state new", res, len(bravo.forms), len(bravo.cases), actions)
	}
	s.check(t, "bravo", &want{})
	for _, d := range []string{"alpha", "charlie"} {
		after := s.rows(t, "SELECT f.id || ' ' || f.form FROM forms f WHERE domain = $1 UNION ALL SELECT id || ' ' || name FROM cases WHERE domain = $1 ORDER BY 1", d)
		if strings.Join(after, "\n") != strings.Join(before[d], "\n") {
			t.Errorf("the reset of bravo changed %s's rows", d)
		}
	}
	if n := s.count(t, "SELECT count(*) FROM decant_ledger WHERE scope = 'bravo'") + s.count(t, "SELECT count(*) FROM decant_checkpoints WHERE scope = 'bravo'"); n != 0 {
		t.Errorf("bravo's ledger and checkpoint keep %d rows after its reset", n)
	}
	var st []stats
	decodeJSON(t, mustRun(t, "stats", "--scope", "bravo", "--json"), &st)
	if len(st) != 1 || st[0].State != "new" || st[0].Migrated != 0 {
		t.Errorf("stats of bravo after its reset: %+v", st)
	}
}

// fromList: bravo and charlie from a --scopes file with --live
// --auto-finish, both committed, then stats of every domain.
func fromList(t *testing.T, s *site, alpha, bravo, charlie *want, conflicted hq.Case) {
	list := s.scopeFile(t, "cutover.txt", "# tonight's cutover\nbravo\ncharlie # conflicted case 7\n")
	r := decantRun(t, "migrate", "--scopes", list, "--live", "--auto-finish", "--interval", "10ms")
	state := "committed"
	for _, d := range []string{"bravo", "charlie"} {
		// Each verify reads the case actions of its own domain's cases
		// alone, though the domains share the table.
		if r.code != 0 || !strings.Contains(r.stdout, d+": scope "+d+": new → committed (migrate --live --auto-finish): committed: clean") {
			t.Errorf("migrate --scopes --live --auto-finish, %s:\n%s", d, r)
		}
	}
	s.check(t, "alpha", alpha)
	s.check(t, "bravo", bravo)
	s.check(t, "charlie", charlie)
	if got := s.rows(t, "SELECT name FROM cases WHERE id = $1", conflicted.ID); len(got) != 1 || got[0] != conflicted.Name {
		t.Errorf("the conflicted case's name is %q, want the winning revision's %q", got, conflicted.Name)
	}
	if n := s.count(t, "SELECT count(*) FROM forms WHERE id LIKE '_design%'") + s.count(t, "SELECT count(*) FROM decant_ledger WHERE key LIKE '_design%'"); n != 0 {
		t.Errorf("the design document was read: %d rows", n)
	}

	domains := filepath.Join(s.dir, "domains.txt")
	var st []stats
	decodeJSON(t, mustRun(t, "stats", "--scopes", domains, "--json"), &st)
	wantMigrated := map[string]*want{"alpha": alpha, "bravo": bravo, "charlie": charlie}
	if len(st) != 3 {
		t.Fatalf("stats at the end: %+v", st)
	}
	for i, d := range []string{"alpha", "bravo", "charlie"} {
		w := wantMigrated[d]
		// Migrated counts the keys whose last write succeeded: forms and
		// cases (a deleted document's key is no longer migrated).
		state := state
		if d == "alpha" {
			state = "committed"
		}
		if st[i].Scope != d || st[i].State != state || st[i].Migrated != int64(len(w.forms)+len(w.cases)) || st[i].Errors != 0 || st[i].LastRan == nil {
			t.Errorf("stats at the end, %s: %+v; want %s, %d migrated", d, st[i], state, len(w.forms)+len(w.cases))
		}
	}
}
