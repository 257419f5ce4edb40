package couchdb_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/internal/sourcetest"
)

const secret = "s3cr3t-pw"

// readErr reads src from pos to the end and returns the error that ended it.
func readErr(t *testing.T, src decant.Source, pos decant.Position) error {
	t.Helper()
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, pos)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next(ctx) {
	}
	return rows.Err()
}

// proxy is a server in front of a test's database that can fail requests
// on purpose; it counts the requests it sees.
type proxy struct {
	srv      *httptest.Server
	requests atomic.Int64
	// fault answers request n itself when it returns true.
	fault func(w http.ResponseWriter, r *http.Request, n int64) bool
}

func newProxy(t *testing.T, c *couch) *proxy {
	target, err := url.Parse(c.url)
	if err != nil {
		t.Fatal(err)
	}
	target.Path = ""
	rp := httputil.NewSingleHostReverseProxy(target)
	p := &proxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := p.requests.Add(1)
		if p.fault != nil && p.fault(w, r, n) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// dbURL is the couchdb+http URL of the database through the proxy.
func (p *proxy) dbURL(c *couch, user string) string {
	u, _ := url.Parse(c.url)
	host := strings.TrimPrefix(p.srv.URL, "http://")
	if user != "" {
		host = user + "@" + host
	}
	return "couchdb+http://" + host + u.Path
}

// Ensure a server that does not answer at all fails the read after the
// retries, naming the URL without its password.
func TestServerDownAtStart(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	one := 1
	src := openSource(t, "couchdb+http://admin:"+secret+"@"+addr+"/forms", "", &couchdb.Options{Retries: &one})
	err = readErr(t, src, nil)
	if err == nil {
		t.Fatal("read from a server that is down succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "http://admin:xxxxx@"+addr+"/forms") || !strings.Contains(msg, "2 attempts") || strings.Contains(msg, secret) {
		t.Errorf("error = %q, want the URL without the password and 2 attempts", msg)
	}
	if err := src.Ping(context.Background()); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("Ping = %v, want an error without the password", err)
	}
}

// Ensure a request that fails in the middle of a read (a 503, a 429, a
// connection dropped without an answer) is retried and the read goes on
// as if nothing had happened.
func TestServerFailsMidRead_Retried(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"503", "429", "drop"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			c := newCouch(t)
			keys := sourcetest.Keys(20)
			c.write(docs(keys, nil)...)
			p := newProxy(t, c)
			var failed atomic.Int64
			var seen sync.Map
			p.fault = func(w http.ResponseWriter, r *http.Request, n int64) bool {
				// Fail each _all_docs page once, the first time it is asked for.
				if _, again := seen.LoadOrStore(r.URL.String(), true); again || !strings.HasSuffix(r.URL.Path, "/_all_docs") {
					return false
				}
				failed.Add(1)
				switch fault {
				case "503":
					http.Error(w, `{"error":"unavailable"}`, http.StatusServiceUnavailable)
				case "429":
					http.Error(w, `{"error":"too_many_requests"}`, http.StatusTooManyRequests)
				case "drop":
					conn, _, err := w.(http.Hijacker).Hijack()
					if err == nil {
						conn.Close()
					}
				}
				return true
			}
			src := openSource(t, p.dbURL(c, ""), "", &couchdb.Options{PageSize: 6})
			sourcetest.SameKeys(t, keys, sourcetest.ReadAll(t, src, nil))
			if failed.Load() == 0 {
				t.Error("no request failed: the test tests nothing")
			}
		})
	}
}

// Ensure answers that retrying cannot change fail at once, with the status,
// CouchDB's reason and what to do, naming the URL without its password.
func TestRefusedAnswers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status       int
		body, hint   string
		wantAttempts int64
	}{
		{http.StatusUnauthorized, `{"error":"unauthorized","reason":"Name or password is incorrect."}`, "check the user and password", 1},
		{http.StatusForbidden, `{"error":"forbidden","reason":"You are not allowed to access this db."}`, "_security members", 1},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			c := newCouch(t)
			p := newProxy(t, c)
			p.fault = func(w http.ResponseWriter, r *http.Request, n int64) bool {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
				return true
			}
			src := openSource(t, p.dbURL(c, "admin:"+secret), "", nil)
			err := readErr(t, src, nil)
			var se *couchdb.StatusError
			if !errors.As(err, &se) || se.Status != tt.status {
				t.Fatalf("error = %v, want a *StatusError with status %d", err, tt.status)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.hint) || !strings.Contains(msg, "admin:xxxxx@") || strings.Contains(msg, secret) {
				t.Errorf("error = %q, want the hint %q and the URL without the password", msg, tt.hint)
			}
			if got := p.requests.Load(); got != tt.wantAttempts {
				t.Errorf("%d requests, want %d: a refusal must not be retried", got, tt.wantAttempts)
			}
		})
	}
}

// Ensure a database that does not exist is a clear error at once.
func TestMissingDatabase(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	missing := c.url + "-missing"
	src := openSource(t, "couchdb+"+missing, "", nil)
	err := readErr(t, src, nil)
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "no such database") || !strings.Contains(err.Error(), missing) {
		t.Errorf("error = %v, want a 404 naming %s and saying there is no such database", err, missing)
	}
	if err := src.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "no such database") {
		t.Errorf("Ping = %v, want no such database", err)
	}
}

// Ensure a position whose seq the database cannot have given is refused
// instead of read as "no changes": pouchdb-server answers such a since
// with an empty page.
func TestUnknownSinceRefused(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(docs(sourcetest.Keys(5), nil)...)
	src := c.source("", nil)
	all := sourcetest.ReadAll(t, src, nil)
	for _, tt := range []struct {
		name string
		pos  string
		want string
	}{
		{"string seq of CouchDB 3", `{"phase":"changes","since":"12-g1AAAAB"}`, "is a string"},
		{"number beyond update_seq", `{"phase":"changes","since":999}`, "beyond"},
		{"bulk position beyond", `{"phase":"bulk","since":999,"last":"k0001"}`, "beyond"},
	} {
		err := readErr(t, src, decant.Position(tt.pos))
		if !errors.Is(err, couchdb.ErrUnknownSince) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "reset the step's checkpoint") {
			t.Errorf("%s: error = %v, want ErrUnknownSince saying %q and how to fix it", tt.name, err, tt.want)
		}
	}

	// The database is deleted and created again with fewer updates.
	c.call(http.MethodDelete, "", nil, nil)
	c.call(http.MethodPut, "", nil, nil)
	c.write(map[string]any{"_id": "only"})
	err := readErr(t, src, all[len(all)-1].Position)
	if !errors.Is(err, couchdb.ErrUnknownSince) || !strings.Contains(err.Error(), "deleted and created again") {
		t.Errorf("recreated database: error = %v, want ErrUnknownSince", err)
	}
}

// Ensure positions that are not this source's are refused with the fix.
func TestBadPositionRefused(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	src := c.source("", nil)
	for _, pos := range []string{`{"cursor":"1","seen":[]}`, `{"phase":"later","since":1}`, `{"phase":"changes","since":true}`, `[1]`} {
		_, err := src.Read(context.Background(), decant.DefaultScope, decant.Position(pos))
		if err == nil {
			t.Errorf("position %s accepted", pos)
		}
	}
}

// Ensure what Open refuses is said with the option or URL part to fix,
// without the password.
func TestOpenRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		url, cursor string
		o           couchdb.Options
		want        string
	}{
		{"couchdb+http://u:" + secret + "@host:5984", "", couchdb.Options{}, "names no database"},
		{"couchdb+http://u:" + secret + "@host:5984/db?x=1", "", couchdb.Options{}, "takes no query"},
		{"couchdb+ftp://host/db", "", couchdb.Options{}, "want couchdb+http://"},
		{"couchdb+http://u:" + secret + "@host/db", "", couchdb.Options{Username: "v"}, "credentials both in the URL and in the username/password options"},
		{"couchdb+http://host/db", "updated_at", couchdb.Options{}, "from.cursor"},
		{"couchdb+http://host/db", "", couchdb.Options{Conflicts: "newest"}, `conflicts: want "winner" or "error"`},
		{"couchdb+http://host/db", "", couchdb.Options{PageSize: -1}, "page_size"},
		{"couchdb+http://u:s@cr/et@host/db", "", couchdb.Options{}, "%40"},
	} {
		o := tt.o
		_, err := couchdb.Open(tt.url, "", tt.cursor, &o)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), secret) {
			t.Errorf("Open(%s): error = %v, want one saying %q without the password", decant.RedactURL(tt.url), err, tt.want)
		}
	}
}

// Ensure every request after the retries are spent fails with their count.
func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	p := newProxy(t, c)
	p.fault = func(w http.ResponseWriter, r *http.Request, n int64) bool {
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return true
	}
	two := 2
	src := openSource(t, p.dbURL(c, ""), "", &couchdb.Options{Retries: &two})
	err := readErr(t, src, nil)
	if err == nil || !strings.Contains(err.Error(), "3 attempts") || !strings.Contains(err.Error(), "500") {
		t.Errorf("error = %v, want 3 attempts and the 500", err)
	}
	if got := p.requests.Load(); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
}

// Ensure a password given as an option is hidden too when the server
// echoes it in its answer.
func TestPasswordOptionHidden(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	p := newProxy(t, c)
	p.fault = func(w http.ResponseWriter, r *http.Request, n int64) bool {
		_, pw, _ := r.BasicAuth()
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"unauthorized","reason":"password %s is wrong"}`, pw)
		return true
	}
	src := openSource(t, p.dbURL(c, ""), "", &couchdb.Options{Username: "admin", Password: secret})
	err := readErr(t, src, nil)
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "401") {
		t.Errorf("error = %v, want the 401 without the password", err)
	}
	if w := src.Warnings(); len(w) != 1 || !strings.Contains(w[0], "plain http") {
		t.Errorf("Warnings = %q, want one about credentials over plain http", w)
	}
}

// Ensure a read waiting to retry stops when its context is cancelled,
// with the context's error, instead of sleeping through the backoff.
func TestCanceledWhileRetrying(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	p := newProxy(t, c)
	p.fault = func(w http.ResponseWriter, r *http.Request, n int64) bool {
		http.Error(w, `{"error":"unavailable"}`, http.StatusServiceUnavailable)
		return true
	}
	ten := 10
	o := &couchdb.Options{Retries: &ten}
	src, err := couchdb.Open(p.dbURL(c, ""), "", "", o) // the default backoff: 0.5 s, 1 s, 2 s, ...
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next(ctx) {
		t.Fatal("Next returned a record from a failing server")
	}
	if err := rows.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the read took %v to stop after the cancel", d)
	}
}
