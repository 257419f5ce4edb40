package httpfeed_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/google/go-cmp/cmp"
)

func TestConformance(t *testing.T) {
	feeds := map[decant.Source]*fakeFeed{}
	var mu sync.Mutex
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			f := newFeed(t)
			f.addGroups(keys, 1000, 3, rand.New(rand.NewPCG(1, 2)))
			src := newSource(t, f.srv.URL, drishti(4))
			mu.Lock()
			feeds[src] = f
			mu.Unlock()
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) {
			mu.Lock()
			f := feeds[src]
			mu.Unlock()
			// The first new records share the last version already read: a
			// live feed saving in the same millisecond.
			f.mu.Lock()
			last := f.recs[len(f.recs)-1].num
			f.mu.Unlock()
			f.add(keys[0], last)
			f.addGroups(keys[1:], last, 3, rand.New(rand.NewPCG(3, 4)))
		},
	})
}

// TestSharedValuesAcrossPageEdges reads a feed whose versions are shared by
// runs of records that straddle page edges, from the start and from every
// record's position.
func TestSharedValuesAcrossPageEdges(t *testing.T) {
	f := newFeed(t)
	keys := sourcetest.Keys(230)
	rng := rand.New(rand.NewPCG(7, 7))
	v := f.addGroups(keys[:100], 1, 7, rng)
	for _, k := range keys[100:135] { // one value for 35 records, more than a page
		f.add(k, v)
	}
	f.addGroups(keys[135:], v+1, 7, rng)
	src := newSource(t, f.srv.URL, drishti(10))

	all := sourcetest.ReadAll(t, src, nil)
	if diff := cmp.Diff(f.ids(), keysOf(all)); diff != "" {
		t.Fatalf("read from the start (-feed +read):\n%s", diff)
	}
	for i, r := range all {
		rest := sourcetest.ReadAll(t, src, r.Position)
		if diff := cmp.Diff(keysOf(all[i+1:]), keysOf(rest)); diff != "" {
			t.Fatalf("resume after record %d (%s) at %s (-want +got):\n%s", i, r.Key, r.Position, diff)
		}
	}
}

func TestPositionShape(t *testing.T) {
	f := newFeed(t)
	f.add("a", 5)
	f.add("b", 5)
	f.add("c", 6)
	recs := sourcetest.ReadAll(t, newSource(t, f.srv.URL, drishti(10)), nil)
	want := []string{
		`{"cursor":"5","seen":["a"]}`,
		`{"cursor":"5","seen":["a","b"]}`,
		`{"cursor":"6","seen":["c"]}`,
	}
	for i, r := range recs {
		if string(r.Position) != want[i] {
			t.Errorf("record %d position %s, want %s", i, r.Position, want[i])
		}
	}
	if recs[2].Cursor != "6" || !strings.HasPrefix(recs[2].Where, "GET "+f.srv.URL) || !strings.HasSuffix(recs[2].Where, " item 2") {
		t.Errorf("record 2: cursor %q where %q", recs[2].Cursor, recs[2].Where)
	}
}

// TestWideValue reads 500 records sharing one version with pages of 10.
func TestWideValue(t *testing.T) {
	f := newFeed(t)
	keys := sourcetest.Keys(500)
	for _, k := range keys {
		f.add(k, 42)
	}
	f.add("after", 43)
	recs := sourcetest.ReadAll(t, newSource(t, f.srv.URL, drishti(10)), nil)
	sourcetest.SameKeys(t, append(slices.Clone(keys), "after"), recs)
	if n := f.requestCount(); n > 12 {
		t.Errorf("%d requests for 501 records in pages of 10", n)
	}

	cfg := drishti(10)
	cfg.MaxPageSize = 100
	recs, err := drain(newSource(t, f.srv.URL, cfg), nil)
	if err == nil || !strings.Contains(err.Error(), "max page size (100)") {
		t.Fatalf("500 records at one value with max page size 100: %v", err)
	}
	if len(recs) < 90 || len(recs) > 100 {
		t.Errorf("read %d records before giving up, want about 100", len(recs))
	}
}

func TestRetryServerError(t *testing.T) {
	f := newFeed(t)
	f.addGroups(sourcetest.Keys(25), 1, 2, rand.New(rand.NewPCG(1, 1)))
	f.fault = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n == 1 || n == 3 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return true
		}
		return false
	}
	recs := sourcetest.ReadAll(t, newSource(t, f.srv.URL, drishti(10)), nil)
	sourcetest.SameKeys(t, f.ids(), recs)
}

func TestRetryAfter(t *testing.T) {
	f := newFeed(t)
	f.add("a", 1)
	f.fault = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return true
		}
		return false
	}
	cfg := drishti(10)
	cfg.MaxBackoff = 5 * time.Second
	start := time.Now()
	recs := sourcetest.ReadAll(t, newSource(t, f.srv.URL, cfg), nil)
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Errorf("read after a 429 with Retry-After: 1 took %v", took)
	}
	sourcetest.SameKeys(t, []string{"a"}, recs)
}

func TestRetryTruncatedBody(t *testing.T) {
	f := newFeed(t)
	f.addGroups(sourcetest.Keys(30), 1, 3, rand.New(rand.NewPCG(2, 2)))
	f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 2 {
			_, _ = w.Write([]byte(`[{"instanceId":"x","serverVersion":"9`))
			return true
		}
		return false
	}
	recs := sourcetest.ReadAll(t, newSource(t, f.srv.URL, drishti(10)), nil)
	sourcetest.SameKeys(t, f.ids(), recs)
}

func TestBadPage(t *testing.T) {
	f := newFeed(t)
	f.addGroups(sourcetest.Keys(30), 1, 1, rand.New(rand.NewPCG(2, 2)))
	f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n > 1 {
			_, _ = w.Write([]byte(`[{"instanceId":"x","serverVersion":"9`))
			return true
		}
		return false
	}
	cfg := drishti(10)
	cfg.Retries = 2
	recs, err := drain(newSource(t, f.srv.URL, cfg), nil)
	if !errors.Is(err, decant.ErrBadPage) {
		t.Fatalf("always truncated page: %v, want ErrBadPage", err)
	}
	for _, want := range []string{f.srv.URL, "3 attempts", "37 bytes", "unexpected end of JSON input"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if diff := cmp.Diff(f.ids()[:10], keysOf(recs)); diff != "" {
		t.Errorf("records before the bad page (-want +got):\n%s", diff)
	}
}

func TestClientErrorNotRetried(t *testing.T) {
	f := newFeed(t)
	f.fault = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		http.Error(w, "no such feed", http.StatusNotFound)
		return true
	}
	_, err := drain(newSource(t, f.srv.URL+"/all-form-submissions", drishti(10)), nil)
	if err == nil || !strings.Contains(err.Error(), "404 Not Found") || !strings.Contains(err.Error(), "no such feed") {
		t.Fatalf("404: %v", err)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("404 was requested %d times", n)
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := drishti(10)
	cfg.Retries = 1
	_, err = drain(newSource(t, "http://"+addr+"/feed", cfg), nil)
	if err == nil || !strings.Contains(err.Error(), "http://"+addr+"/feed?") || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("closed port: %v", err)
	}
	if !strings.Contains(err.Error(), "2 attempts") {
		t.Errorf("closed port error %q does not count attempts", err)
	}
}

func TestAuth(t *testing.T) {
	check := func(want string) *fakeFeed {
		f := newFeed(t)
		f.add("a", 1)
		f.fault = func(w http.ResponseWriter, r *http.Request, _ int) bool {
			if got := r.Header.Get("Authorization"); got != want {
				http.Error(w, "unauthorized: "+got, http.StatusUnauthorized)
				return true
			}
			return false
		}
		return f
	}
	t.Run("basic", func(t *testing.T) {
		f := check("Basic dXNlcjpwYXNz")
		cfg := drishti(10)
		cfg.Username, cfg.Password = "user", "pass"
		sourcetest.SameKeys(t, []string{"a"}, sourcetest.ReadAll(t, newSource(t, f.srv.URL, cfg), nil))
	})
	t.Run("url", func(t *testing.T) {
		f := check("Basic dXNlcjpwYXNz")
		u := strings.Replace(f.srv.URL, "http://", "http://user:pass@", 1)
		sourcetest.SameKeys(t, []string{"a"}, sourcetest.ReadAll(t, newSource(t, u, drishti(10)), nil))
	})
	t.Run("bearer", func(t *testing.T) {
		f := check("Bearer s3cr3t")
		cfg := drishti(10)
		cfg.BearerToken = "s3cr3t"
		cfg.Header = map[string]string{"X-Tenant": "demo"}
		sourcetest.SameKeys(t, []string{"a"}, sourcetest.ReadAll(t, newSource(t, f.srv.URL, cfg), nil))
	})
	t.Run("wrong", func(t *testing.T) {
		f := check("Bearer s3cr3t")
		cfg := drishti(10)
		cfg.BearerToken = "nope"
		_, err := drain(newSource(t, f.srv.URL, cfg), nil)
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Fatalf("wrong token: %v", err)
		}
	})
}

func TestTLS(t *testing.T) {
	f := &fakeFeed{}
	f.add("a", 1)
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)

	_, err := drain(newSource(t, srv.URL, drishti(10)), nil)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("self-signed server without a CA file: %v, want a certificate error", err)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := drishti(10)
	cfg.CAFile = caFile
	src := newSource(t, srv.URL, cfg)
	sourcetest.SameKeys(t, []string{"a"}, sourcetest.ReadAll(t, src, nil))
	if w := src.Warnings(); len(w) != 0 {
		t.Errorf("warnings with a CA file: %q", w)
	}

	cfg = drishti(10)
	cfg.InsecureSkipVerify = true
	src = newSource(t, srv.URL, cfg)
	sourcetest.SameKeys(t, []string{"a"}, sourcetest.ReadAll(t, src, nil))
	if w := src.Warnings(); len(w) != 1 || !strings.Contains(w[0], "verification is off") {
		t.Errorf("warnings with InsecureSkipVerify: %q", w)
	}

	cfg = drishti(10)
	cfg.CAFile = filepath.Join(t.TempDir(), "empty.pem")
	_ = os.WriteFile(cfg.CAFile, []byte("not a cert"), 0o600)
	if _, err := httpfeed.New(srv.URL, cfg); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("CA file without certificates: %v", err)
	}
}

func TestMaxBody(t *testing.T) {
	f := newFeed(t)
	f.addGroups(sourcetest.Keys(50), 1, 1, rand.New(rand.NewPCG(1, 1)))
	cfg := drishti(50)
	cfg.MaxBody = 1000
	_, err := drain(newSource(t, f.srv.URL, cfg), nil)
	if err == nil || !strings.Contains(err.Error(), "limit of 1000 bytes") || !strings.Contains(err.Error(), f.srv.URL) {
		t.Fatalf("body over MaxBody: %v", err)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("body over MaxBody was requested %d times", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	f := newFeed(t)
	f.fault = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return true
	}
	cfg := drishti(10)
	cfg.BackoffBase, cfg.MaxBackoff = time.Minute, time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	rows, err := newSource(t, f.srv.URL, cfg).Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if rows.Next(ctx) {
		t.Fatal("Next returned a record from a failing feed")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cancel during backoff took %v", took)
	}
	if err := rows.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err: %v, want context.Canceled", err)
	}
}

func TestRedaction(t *testing.T) {
	f := newFeed(t)
	f.fault = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		http.Error(w, "gone", http.StatusGone)
		return true
	}
	u := strings.Replace(f.srv.URL, "http://", "http://user:hunter2@", 1) + "/feed?api_token=t0ps3cret&x=1"
	_, err := drain(newSource(t, u, drishti(10)), nil)
	if err == nil {
		t.Fatal("no error from a 410")
	}
	msg := err.Error()
	if strings.Contains(msg, "hunter2") || strings.Contains(msg, "t0ps3cret") {
		t.Errorf("error leaks a secret: %s", msg)
	}
	if !strings.Contains(msg, "api_token=xxxxx") {
		t.Errorf("error does not show the redacted URL: %s", msg)
	}

	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg := drishti(10)
	cfg.Retries = -1
	_, err = drain(newSource(t, "http://u:hunter2@"+addr+"/?token=t0ps3cret", cfg), nil)
	if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "t0ps3cret") {
		t.Errorf("connection error leaks a secret or is nil: %v", err)
	}
	if _, err := httpfeed.New("ftp://u:hunter2@host/x", drishti(10)); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad URL error leaks a secret or is nil: %v", err)
	}
}

// TestRecordsWithoutKeyOrCursor checks that such records are yielded once
// and do not disturb the position of the others.
func TestRecordsWithoutKeyOrCursor(t *testing.T) {
	body := `[
		{"instanceId":"a","serverVersion":"5"},
		{"serverVersion":"5","note":"no key"},
		{"instanceId":"b","note":"no cursor"},
		{"instanceId":"c","serverVersion":"5"},
		{"instanceId":"d","serverVersion":"x7"},
		{"instanceId":"e","serverVersion":6}
	]`
	srv := staticFeed(t, body)
	src := newSource(t, srv.URL, drishti(100))
	recs := sourcetest.ReadAll(t, src, nil)
	if diff := cmp.Diff([]string{"a", "", "b", "c", "d", "e"}, keysOf(recs)); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	hash := func(i int) string { return strings.Split(string(recs[i].Position), `"sha256:`)[1][:64] }
	wantPos := []string{
		`{"cursor":"5","seen":["a"]}`,
		`{"cursor":"5","seen":["a","sha256:` + hash(1) + `"]}`,
		`{"cursor":"5","seen":["a","sha256:` + hash(1) + `"]}`,
		`{"cursor":"5","seen":["a","sha256:` + hash(1) + `","c"]}`,
		`{"cursor":"5","seen":["a","sha256:` + hash(1) + `","c"]}`,
		`{"cursor":"6","seen":["e"]}`,
	}
	for i, r := range recs {
		if string(r.Position) != wantPos[i] {
			t.Errorf("record %d position %s, want %s", i, r.Position, wantPos[i])
		}
	}
	if recs[2].Cursor != "5" || recs[4].Cursor != "5" {
		t.Errorf("records without a cursor have cursors %q and %q, want the previous one", recs[2].Cursor, recs[4].Cursor)
	}
	// From the keyless record's position, only what follows comes again
	// (plus the records without a cursor, which have no place in the order).
	rest := sourcetest.ReadAll(t, src, recs[1].Position)
	if diff := cmp.Diff([]string{"b", "c", "d", "e"}, keysOf(rest)); diff != "" {
		t.Errorf("resume after the keyless record (-want +got):\n%s", diff)
	}
}

func TestUnsortedFeed(t *testing.T) {
	srv := staticFeed(t, `[{"instanceId":"a","serverVersion":"7"},{"instanceId":"b","serverVersion":"5"}]`)
	_, err := drain(newSource(t, srv.URL, drishti(10)), nil)
	if err == nil || !strings.Contains(err.Error(), "not sorted by cursor") {
		t.Fatalf("unsorted feed: %v", err)
	}
}

func TestStringCursor(t *testing.T) {
	f := &fakeFeed{ge: true}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	f.addGroups(sourcetest.Keys(60), 1, 4, rand.New(rand.NewPCG(5, 5)))
	cfg := drishti(7)
	cfg.CursorType = httpfeed.CursorString
	src := newSource(t, f.srv.URL, cfg)
	all := sourcetest.ReadAll(t, src, nil)
	if diff := cmp.Diff(f.ids(), keysOf(all)); diff != "" {
		t.Fatalf("string cursor read (-feed +read):\n%s", diff)
	}
	for i, r := range all {
		if diff := cmp.Diff(keysOf(all[i+1:]), keysOf(sourcetest.ReadAll(t, src, r.Position))); diff != "" {
			t.Fatalf("resume after %d at %s (-want +got):\n%s", i, r.Position, diff)
		}
	}
}

func TestItemsPath(t *testing.T) {
	srv := staticFeed(t, `{"data":{"forms":[{"id":{"v":"a"},"meta":{"ts":3}},{"id":{"v":"b"},"meta":{"ts":4}}]}}`)
	cfg := httpfeed.Config{Items: "data.forms", Key: "id.v", Cursor: "meta.ts"}
	recs := sourcetest.ReadAll(t, newSource(t, srv.URL, cfg), nil)
	if diff := cmp.Diff([]string{"a", "b"}, keysOf(recs)); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if string(recs[1].Raw) != `{"id":{"v":"b"},"meta":{"ts":4}}` {
		t.Errorf("raw %s", recs[1].Raw)
	}
	cfg.Items = "data.missing"
	if _, err := drain(newSource(t, srv.URL, cfg), nil); err == nil || !strings.Contains(err.Error(), `"data.missing" is not an array`) {
		t.Errorf("missing items path: %v", err)
	}
}

func TestPing(t *testing.T) {
	f := newFeed(t)
	f.add("a", 1)
	if err := newSource(t, f.srv.URL, drishti(10)).Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	cfg := drishti(10)
	cfg.Cursor = "server_version"
	if err := newSource(t, f.srv.URL, cfg).Ping(context.Background()); err == nil || !strings.Contains(err.Error(), `no int cursor at path "server_version"`) {
		t.Errorf("Ping with a wrong cursor path: %v", err)
	}
	f.fault = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		http.Error(w, "down", http.StatusBadGateway)
		return true
	}
	if err := newSource(t, f.srv.URL, drishti(10)).Ping(context.Background()); err == nil || !strings.Contains(err.Error(), f.srv.URL) {
		t.Errorf("Ping of a failing feed: %v", err)
	}
	if n := f.requestCount(); n != 3 {
		t.Errorf("Ping made %d requests in all, want 3 (no retries)", n)
	}
}

func TestNewRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		url string
		cfg httpfeed.Config
	}{
		"no key":        {"http://h/", httpfeed.Config{Cursor: "c"}},
		"no cursor":     {"http://h/", httpfeed.Config{Key: "k"}},
		"scheme":        {"file:///x", httpfeed.Config{Key: "k", Cursor: "c"}},
		"cursor type":   {"http://h/", httpfeed.Config{Key: "k", Cursor: "c", CursorType: "date"}},
		"start":         {"http://h/", httpfeed.Config{Key: "k", Cursor: "c", Start: "yesterday"}},
		"two auths":     {"http://h/", httpfeed.Config{Key: "k", Cursor: "c", Username: "u", BearerToken: "t"}},
		"url and cfg":   {"http://u:p@h/", httpfeed.Config{Key: "k", Cursor: "c", Username: "u"}},
		"client and ca": {"http://h/", httpfeed.Config{Key: "k", Cursor: "c", CAFile: "x", HTTPClient: http.DefaultClient}},
		"max page":      {"http://h/", httpfeed.Config{Key: "k", Cursor: "c", PageSize: 10, MaxPageSize: 5}},
	} {
		if _, err := httpfeed.New(tc.url, tc.cfg); err == nil {
			t.Errorf("%s: New accepted %s %+v", name, tc.url, tc.cfg)
		}
	}
}

func TestBadPosition(t *testing.T) {
	src := newSource(t, "http://127.0.0.1:1/", drishti(10))
	for _, pos := range []string{`{"offset":3,"line":1}`, `{"cursor":"abc","seen":[]}`, `[1]`} {
		if _, err := src.Read(context.Background(), decant.DefaultScope, decant.Position(pos)); err == nil {
			t.Errorf("Read accepted position %s", pos)
		}
	}
}

func newSource(t testing.TB, u string, cfg httpfeed.Config) *httpfeed.Source {
	t.Helper()
	src, err := httpfeed.New(u, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	return src
}

// staticFeed serves body for every request: the feed drains because the
// second page brings nothing new.
func staticFeed(t *testing.T, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func drain(src decant.Source, pos decant.Position) ([]decant.Record, error) {
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, pos)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []decant.Record
	for rows.Next(ctx) {
		recs = append(recs, rows.Record())
	}
	return recs, rows.Err()
}

func keysOf(recs []decant.Record) []string {
	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.Key
	}
	return keys
}
