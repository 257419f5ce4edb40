package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
)

// couchLife is the CouchDB database a lifeEnv's step reads.
type couchLife struct {
	e  *lifeEnv
	db string // http://host:port/name
}

// serveCouch makes the scope's source a new CouchDB database (on the
// tests' pouchdb-server), read in pages of 50.
func (e *lifeEnv) serveCouch(t *testing.T) *couchLife {
	t.Helper()
	c := &couchLife{e: e, db: testenv.CouchDBDatabase(t)}
	e.useSource(t, "couchdb+"+c.db, "key: id, page_size: 50")
	return c
}

// put writes the documents of ids, d000 and so on, changed ago before the
// clock, named name (p<id> when empty), over their current revisions.
func (c *couchLife) put(t *testing.T, ago time.Duration, name string, ids ...int) {
	t.Helper()
	docs := make([]map[string]any, len(ids))
	for i, id := range ids {
		n := name
		if n == "" {
			n = fmt.Sprintf("p%d", id)
		}
		docs[i] = map[string]any{"_id": fmt.Sprintf("d%03d", id), "id": id, "name": n,
			"modified": c.e.now.Add(-ago).Format(time.RFC3339)}
		var cur struct {
			Rev string `json:"_rev"`
		}
		if c.call(t, http.MethodGet, docs[i]["_id"].(string), nil, &cur) == http.StatusOK {
			docs[i]["_rev"] = cur.Rev
		}
	}
	if code := c.call(t, http.MethodPost, "_bulk_docs", map[string]any{"docs": docs}, nil); code/100 != 2 {
		t.Fatalf("_bulk_docs: status %d", code)
	}
}

// call sends a request to the database and decodes a 2xx answer into out.
func (c *couchLife) call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		must(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.db+"/"+path, rd)
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode/100 == 2 && out != nil {
		must(t, json.Unmarshal(got, out))
	}
	return resp.StatusCode
}

// Ensure the lag window does not hold the CouchDB bulk phase, read in _id
// order: a document changed within the lag first in _id order, before 200
// older ones, is migrated as it is in the first live round with all the
// others, and the scope goes live; a change within the lag read by the
// changes phase, in seq order, is held with every change after it, and
// comes once it is older. The bulk used to be held behind that one
// document for as long as it stayed recent.
func TestLifecycle_CouchBulkNotHeld(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", "")
	c := e.serveCouch(t)
	c.put(t, 5*time.Minute, "", 0)
	older := make([]int, 200)
	for i := range older {
		older[i] = i + 1
	}
	c.put(t, 3*time.Hour, "", older...)

	res := e.live(t)
	if s := res.Steps[0]; s.Read != 201 || s.HeldAt != "" {
		t.Errorf("first live round: read %d, held at %q; want the whole bulk (201), none held", s.Read, s.HeldAt)
	}
	if n := testenv.Rows(t, e.db, "SELECT count(*) FROM people"); n[0] != "201" {
		t.Errorf("the target holds %s rows after the first live round, want 201", n[0])
	}
	if s := e.state(t); s != decant.StateLive {
		t.Errorf("state after the bulk = %s, want live", s)
	}

	// Changes: 5 is edited now, then 300 comes (older by its time, but
	// after 5 in the changes feed).
	c.put(t, 5*time.Minute, "edited", 5)
	c.put(t, 2*time.Hour, "", 300)
	res = e.live(t)
	if s := res.Steps[0]; s.Read != 0 || s.HeldAt != "5" {
		t.Errorf("live round after the edit: read %d, held at %q; want 0 read, held at 5", s.Read, s.HeldAt)
	}
	name := func() string {
		return strings.Join(testenv.Rows(t, e.db, "SELECT name FROM people WHERE id IN (5, 300) ORDER BY id"), ",")
	}
	if got := name(); got != "p5" {
		t.Errorf("rows 5 and 300 = %s, want p5 alone: the edit and what follows it wait for the lag", got)
	}
	e.now = e.now.Add(61 * time.Minute)
	res = e.live(t)
	if s := res.Steps[0]; s.Read != 2 || s.HeldAt != "" {
		t.Errorf("live round an hour later: read %d, held at %q; want 2 read, none held", s.Read, s.HeldAt)
	}
	if got := name(); got != "edited,p300" {
		t.Errorf("rows 5 and 300 = %s, want edited,p300", got)
	}
}

// Ensure --auto-finish on a CouchDB source raises the fence only after the
// bulk phase was read, whatever document in it changed within the lag: it
// used to hold the bulk at that document, count the next round (which read
// nothing) as caught up, and read the whole bulk under the fence.
func TestLifecycle_CouchAutoFinishAfterBulk(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHook)
	c := e.serveCouch(t)
	c.put(t, 5*time.Minute, "", 0)
	older := make([]int, 200)
	for i := range older {
		older[i] = i + 1
	}
	c.put(t, 3*time.Hour, "", older...)
	cfg := e.config(engine.ModeLive)
	cfg.AutoFinish = true
	log := &stepLog{}
	cfg.Progress = log
	res, err := engine.Run(t.Context(), cfg, nil)
	if err != nil || res.Lifecycle.State != decant.StateCommitted {
		t.Fatalf("auto-finish = %v, %+v; want committed", err, res.Lifecycle)
	}
	if n := e.atFence(t); n != "201" {
		t.Errorf("the fence went up with %s of 201 documents migrated (steps: %s): the rest of the bulk was read under the fence", n, log)
	}
}
