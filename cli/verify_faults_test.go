package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
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

// eventFeed serves events 1..n as an HTTP feed (GET ?timestamp=T&batch-size=N);
// once down is set, every request but the first is answered 500.
func eventFeed(t *testing.T, n int) (url string, down func()) {
	var failing atomic.Bool
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 && failing.Load() {
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
	return srv.URL + "/events", func() { requests.Store(0); failing.Store(true) }
}

// A source that fails in the middle of a step (the feed answers 500 after a
// page): verify exits 2 naming the step, and decant diffs lists the new
// findings of the steps verified before it and, for the failed step, what
// the last whole verify of it found.
func TestVerifyFaultsSourceFails(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	url, down := eventFeed(t, 5)
	plan := strings.Replace(mustRead(t, s.plan), "events: file:events.jsonl", "events: "+url, 1)
	plan = strings.Replace(plan, "from: {connection: events, key: id}",
		"from: {connection: events, key: id, cursor: seq, page_size: 2, retries: 0}", 1)
	s.write(t, "decant.yaml", plan)
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)
	execSQL(t, s.db, "UPDATE events SET kind = 'changed' WHERE id = 1")
	if r := run(t, append([]string{"verify"}, c...)...); r.code != 1 {
		t.Fatalf("verify of a changed event: want exit 1:\n%s", r)
	}
	execSQL(t, s.db, "UPDATE events SET kind = 'k1' WHERE id = 1")
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	down()
	r := run(t, append([]string{"verify"}, c...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "verify step events") || !strings.Contains(r.stderr, "500") {
		t.Fatalf("verify with the feed down: want exit 2 naming step events and the 500:\n%s", r)
	}
	var found []struct {
		Step string `json:"step"`
		Kind string `json:"kind"`
		Key  string `json:"key"`
	}
	decodeJSON(t, mustRun(t, append([]string{"diffs", "--json"}, c...)...), &found)
	var got []string
	for _, f := range found {
		got = append(got, f.Step+" "+f.Kind+" "+f.Key)
	}
	slices.Sort(got)
	if want := []string{"events diff 1", "orders diff 2"}; !slices.Equal(got, want) {
		t.Errorf("diffs after the failed verify %v; want %v (orders as found now, events as last found)", got, want)
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
