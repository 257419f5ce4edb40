package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/decanthq/decant/cli"
)

// A target column the plan does not map is said once, on its table's line,
// not once per row, and in --json as the table's unmapped list; the verify
// stays clean.
func TestVerifyFaultsUnmappedSaidOnce(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 9)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "ALTER TABLE orders ADD COLUMN audit_note text")
	execSQL(t, s.db, "UPDATE orders SET audit_note = 'seen'")
	r := mustRun(t, "verify", "-c", s.plan)
	line := "step orders: table orders: columns not compared (the plan does not map them): audit_note\n"
	if strings.Count(r.stdout, line) != 1 || strings.Count(r.stdout, "audit_note") != 1 {
		t.Errorf("want the unmapped column said once, as %q:\n%s", line, r)
	}
	var doc struct {
		Steps []struct {
			Tables []struct {
				Table    string   `json:"table"`
				Unmapped []string `json:"unmapped"`
			} `json:"tables"`
		} `json:"steps"`
	}
	decodeJSON(t, mustRun(t, "verify", "--json", "-c", s.plan), &doc)
	if tb := doc.Steps[0].Tables; len(tb) != 1 || !slices.Equal(tb[0].Unmapped, []string{"audit_note"}) {
		t.Errorf("--json tables %+v; want orders with unmapped [audit_note]", tb)
	}
}

// eventFeed serves events 1..n as an HTTP feed (GET ?timestamp=T&batch-size=N).
type eventFeed struct {
	url      string
	failing  atomic.Bool
	requests atomic.Int64
	// onSecond, when set, is called on the second request after down or
	// watch, before it is answered.
	onSecond atomic.Pointer[func()]
}

func newEventFeed(t *testing.T, n int) *eventFeed {
	f := &eventFeed{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nth := f.requests.Add(1)
		if hook := f.onSecond.Load(); hook != nil && nth == 2 {
			(*hook)()
		}
		if nth > 1 && f.failing.Load() {
			http.Error(w, "the feed is down", http.StatusInternalServerError)
			return
		}
		after, _ := strconv.Atoi(r.URL.Query().Get("timestamp"))
		size, _ := strconv.Atoi(r.URL.Query().Get("batch-size"))
		page := []map[string]any{}
		for id := after + 1; id <= n && len(page) < size; id++ {
			page = append(page, map[string]any{"id": id, "seq": id, "kind": "k" + strconv.Itoa(id)})
		}
		if err := json.NewEncoder(w).Encode(page); err != nil {
			t.Error(err)
		}
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL + "/events"
	return f
}

// down answers every request but the next one 500.
func (f *eventFeed) down() {
	f.requests.Store(0)
	f.failing.Store(true)
}

// watch calls hook on the second request from now.
func (f *eventFeed) watch(hook func()) {
	f.requests.Store(0)
	f.onSecond.Store(&hook)
}

// feedShop is the shop with its events step read from f, migrated, and a
// verify kept with events 1 changed; events 1 is then repaired and orders
// 2 changed, so a whole verify now would keep orders 2 and nothing on
// events.
func feedShop(t *testing.T, f *eventFeed) *shop {
	t.Helper()
	s := newShop(t)
	plan := strings.Replace(mustRead(t, s.plan), "events: file:events.jsonl", "events: "+f.url, 1)
	plan = strings.Replace(plan, "from: {connection: events, key: id}",
		"from: {connection: events, key: id, cursor: seq, page_size: 2, retries: 0}", 1)
	s.write(t, "decant.yaml", plan)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE events SET kind = 'changed' WHERE id = 1")
	if r := run(t, "verify", "-c", s.plan); r.code != 1 {
		t.Fatalf("verify of a changed event: want exit 1:\n%s", r)
	}
	execSQL(t, s.db, "UPDATE events SET kind = 'k1' WHERE id = 1")
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	return s
}

// keptFindings is what decant diffs --json lists, as "step kind key".
func keptFindings(t *testing.T, s *shop) []string {
	t.Helper()
	var found []struct {
		Step string `json:"step"`
		Kind string `json:"kind"`
		Key  string `json:"key"`
	}
	decodeJSON(t, mustRun(t, "diffs", "--json", "-c", s.plan), &found)
	var got []string
	for _, f := range found {
		got = append(got, f.Step+" "+f.Kind+" "+f.Key)
	}
	slices.Sort(got)
	return got
}

// A source that fails in the middle of a step (the feed answers 500 after a
// page): verify exits 2 naming the step, and decant diffs lists the new
// findings of the steps verified before it and, for the failed step, what
// the last whole verify of it found.
func TestVerifyFaultsSourceFails(t *testing.T) {
	t.Parallel()
	f := newEventFeed(t, 5)
	s := feedShop(t, f)
	f.down()
	r := run(t, "verify", "-c", s.plan)
	if r.code != 2 || !strings.Contains(r.stderr, "verify step events") || !strings.Contains(r.stderr, "500") {
		t.Fatalf("verify with the feed down: want exit 2 naming step events and the 500:\n%s", r)
	}
	if got, want := keptFindings(t, s), []string{"events diff 1", "orders diff 2"}; !slices.Equal(got, want) {
		t.Errorf("diffs after the failed verify %v; want %v (orders as found now, events as last found)", got, want)
	}
}

// A verify killed in the middle of a step (its context cancelled while the
// feed is read) exits 2 and leaves that step's kept findings as they were;
// the steps verified before it keep their new ones.
func TestVerifyFaultsCancelled(t *testing.T) {
	t.Parallel()
	f := newEventFeed(t, 5)
	s := feedShop(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.watch(cancel)
	var out, errw bytes.Buffer
	code := cli.Main(ctx, []string{"verify", "-c", s.plan}, &out, &errw, nil)
	if code != 2 || !strings.Contains(errw.String(), "verify step events") || !strings.Contains(errw.String(), "context canceled") {
		t.Fatalf("cancelled verify: exit %d, want 2 naming step events and the cancel:\n%s\n%s", code, out.String(), errw.String())
	}
	if got, want := keptFindings(t, s), []string{"events diff 1", "orders diff 2"}; !slices.Equal(got, want) {
		t.Errorf("diffs after the cancelled verify %v; want %v (orders as found now, events as last found)", got, want)
	}
}

// A key the target holds twice (its table lost its primary key) is one
// duplicate finding with both counts, exit 1, and decant diffs keeps it.
func TestVerifyFaultsDuplicateKey(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)
	for _, q := range []string{
		"CREATE TABLE orders_nopk (id integer, total integer NOT NULL)",
		"INSERT INTO orders_nopk SELECT id, total FROM orders",
		"DROP TABLE orders",
		"ALTER TABLE orders_nopk RENAME TO orders",
		"INSERT INTO orders SELECT * FROM orders WHERE id = 2",
	} {
		execSQL(t, s.db, q)
	}
	r := run(t, append([]string{"verify", "--step", "orders"}, c...)...)
	if r.code != 1 || strings.Count(r.stdout, "\nduplicate\t") != 1 ||
		!strings.Contains(r.stdout, "duplicate\tstep orders\ttable orders\tkey 2\t(expected 1 rows, actual 2)\n") {
		t.Errorf("want exit 1 and one duplicate, key 2, expected 1 row, actual 2:\n%s", r)
	}
	var found []struct{ Kind, Key string }
	decodeJSON(t, mustRun(t, append([]string{"diffs", "--json"}, c...)...), &found)
	if len(found) != 1 || found[0].Kind != "duplicate" || found[0].Key != "2" {
		t.Errorf("diffs --json %+v; want the duplicate of key 2", found)
	}
}
