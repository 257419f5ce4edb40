package conforma_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/examples/conforma/app"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestUpgrade upgrades one database through the three releases, on
// PostgreSQL and on SQLite: each release applies its own migrations and no
// later ones, 1.1.0 serves before its backfill is done and becomes ready
// when it is, three replicas of 1.2.0 starting at once apply each
// migration once, and a 1.1.0 replica left behind still works.
func TestUpgrade(t *testing.T) {
	for name, newDB := range map[string]func(testing.TB) string{"postgres": testenv.Postgres, "sqlite": testenv.SQLite} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testUpgrade(t, newDB(t))
		})
	}
}

func testUpgrade(t *testing.T, dbURL string) {
	ctx := context.Background()
	db, err := migrations.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	// Release 1.0.0 on an empty database: its two migrations, nothing later.
	v100 := start(t, dbURL, "1.0.0")
	if got, want := v100.waitReady(t), "ready: release 1.0.0\n"; got != want {
		t.Errorf("1.0.0 /readyz = %q, want %q", got, want)
	}
	check(t, db, `SELECT id FROM decant_migrations ORDER BY number`, "1, 2")
	people := applicants(t, v100.url)
	if len(people) != 250 || people[0].FullName != "" || people[0].Consent != nil {
		t.Fatalf("1.0.0 /applicants = %d rows, first %+v; want 250 rows without full_name or consent", len(people), people[0])
	}
	v100.stop(t)

	// Release 1.1.0, before its backfill: it serves, computing the full
	// names, but is not ready.
	a, err := app.Open(ctx, app.Config{DatabaseURL: dbURL, Release: "1.1.0", Logger: logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	code, body := get(t, hs.URL+"/readyz")
	if want := "4 backfill_full_name (pending), R:applicant_view applicant_view (pending)"; code != http.StatusServiceUnavailable || !strings.Contains(body, want) {
		t.Errorf("1.1.0 /readyz before the backfill = %d %q, want 503 naming %q", code, body, want)
	}
	if got := applicants(t, hs.URL)[0].FullName; got != "Ada Lovelace" {
		t.Errorf("1.1.0 full_name of applicant 1 before the backfill = %q, want it computed", got)
	}
	check(t, db, `SELECT count(*) FROM applicant WHERE full_name IS NOT NULL`, "0")
	hs.Close()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	// Release 1.1.0 as it runs: the backfill after start-up, then ready.
	v110 := start(t, dbURL, "1.1.0")
	if got, want := v110.waitReady(t), "ready: release 1.1.0\n"; got != want {
		t.Errorf("1.1.0 /readyz = %q, want %q", got, want)
	}
	check(t, db, `SELECT id FROM decant_migrations ORDER BY id`, "1, 2, 3, 4, R:applicant_view")
	check(t, db, `SELECT count(*) FROM applicant WHERE full_name IS NULL OR full_name <> first_name || ' ' || last_name`, "0")
	check(t, db, `SELECT count(*), min(full_name) FROM applicant_summary`, "250 Ada Lovelace")
	v110.stop(t)

	// Release 1.2.0, three replicas at once.
	var replicas []*instance
	for range 3 {
		replicas = append(replicas, start(t, dbURL, "1.2.0"))
	}
	for _, r := range replicas {
		if got, want := r.waitReady(t), "ready: release 1.2.0\n"; got != want {
			t.Errorf("1.2.0 /readyz = %q, want %q", got, want)
		}
	}
	check(t, db, `SELECT id, count(*) FROM decant_migration_log WHERE action = 'applied' GROUP BY id ORDER BY id`,
		"1 1, 2 1, 3 1, 4 1, 5 1, 6 1, R:applicant_view 1")
	check(t, db, `SELECT count(*) FROM decant_migration_log WHERE action <> 'applied'`, "0")
	check(t, db, `SELECT count(*) FROM applicant WHERE NOT consent`, "250")
	check(t, db, `SELECT email FROM applicant WHERE id IN (1, 2, 3, 7) ORDER BY id`,
		"Ada.Lovelace@example.org, grace@navy.mil, KJohnson@nasa.gov, applicant7@example.com")
	if p := applicants(t, replicas[0].url)[1]; p.FullName != "Grace Hopper" || p.Consent == nil || *p.Consent {
		t.Errorf("1.2.0 /applicants[1] = %+v, want Grace Hopper without consent", p)
	}

	// A 1.1.0 replica still in rotation during the roll-out (or restarted
	// after it) finds 5 and 6 applied, which it does not know, and is ready.
	old := start(t, dbURL, "1.1.0")
	old.waitReady(t)
	for _, r := range append(replicas, old) {
		r.stop(t)
	}
}

// instance is app.Run serving in the background.
type instance struct {
	url    string
	cancel context.CancelFunc
	done   chan struct{} // closed when Run has returned
	err    error         // what Run returned, once done is closed
}

// start runs the app as release on a free port; it stops at the end of the
// test at the latest.
func start(t *testing.T, dbURL, release string) *instance {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{url: "http://" + addr, cancel: cancel, done: make(chan struct{})}
	cfg := app.Config{DatabaseURL: dbURL, Release: release, Addr: addr, Logger: logger(t).With("instance", addr)}
	go func() {
		defer close(in.done)
		in.err = app.Run(ctx, cfg)
	}()
	t.Cleanup(func() { in.stop(t) })
	return in
}

// stop shuts the instance down; Run must return nil.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	in.cancel()
	<-in.done
	if in.err != nil {
		t.Errorf("%s: Run: %v", in.url, in.err)
		in.err = nil // reported once
	}
}

// waitReady polls /readyz until it answers 200, and returns its body.
func (in *instance) waitReady(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	code, body := 0, ""
	for time.Now().Before(deadline) {
		select {
		case <-in.done:
			t.Fatalf("%s: Run returned before the app was ready: %v", in.url, in.err)
		default:
		}
		resp, err := http.Get(in.url + "/readyz")
		if err == nil { // else not listening yet: still migrating
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if code, body = resp.StatusCode, string(b); code == http.StatusOK {
				return body
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not ready after 20s; /readyz: %d %s", in.url, code, body)
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func applicants(t *testing.T, base string) []app.Applicant {
	t.Helper()
	code, body := get(t, base+"/applicants")
	if code != http.StatusOK {
		t.Fatalf("/applicants: %d %s", code, body)
	}
	var list []app.Applicant
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 2 {
		t.Fatalf("/applicants: %d rows", len(list))
	}
	return list
}

// check runs query and compares its rows, written as "a b, c d", with want.
func check(t *testing.T, db *sql.DB, query, want string) {
	t.Helper()
	if got := strings.Join(testenv.Rows(t, db, query), ", "); got != want {
		t.Errorf("%s\n got: %s\nwant: %s", query, got, want)
	}
}

// logger writes the app's log to the test's output.
func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}
