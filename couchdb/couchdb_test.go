package couchdb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// couch is a test's database on the shared pouchdb-server.
type couch struct {
	t   testing.TB
	url string // http://host:port/name
}

func newCouch(t testing.TB) *couch {
	return &couch{t: t, url: testenv.CouchDBDatabase(t)}
}

// call sends a request to the database (path "" is the database itself)
// and decodes the answer into out; any status but 2xx fails the test.
func (c *couch) call(method, path string, body, out any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	u := c.url
	if path != "" {
		u += "/" + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		c.t.Fatalf("%s %s: %s: %s", method, u, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, u, err, b)
		}
	}
}

// write saves docs with _bulk_docs and returns their new revs by _id.
func (c *couch) write(docs ...map[string]any) map[string]string {
	c.t.Helper()
	var res []struct{ ID, Rev, Error, Reason string }
	c.call(http.MethodPost, "_bulk_docs", map[string]any{"docs": docs}, &res)
	revs := map[string]string{}
	for _, r := range res {
		if r.Error != "" {
			c.t.Fatalf("write %s: %s: %s", r.ID, r.Error, r.Reason)
		}
		revs[r.ID] = r.Rev
	}
	return revs
}

// rev returns the current rev of document id.
func (c *couch) rev(id string) string {
	c.t.Helper()
	var d struct {
		Rev string `json:"_rev"`
	}
	c.call(http.MethodGet, id, nil, &d)
	return d.Rev
}

// remove deletes document id.
func (c *couch) remove(id string) {
	c.t.Helper()
	c.write(map[string]any{"_id": id, "_rev": c.rev(id), "_deleted": true})
}

// source opens the database as a source with a short backoff.
func (c *couch) source(key string, o *couchdb.Options) *couchdb.Source {
	c.t.Helper()
	return openSource(c.t, "couchdb+"+c.url, key, o)
}

func openSource(t testing.TB, rawURL, key string, o *couchdb.Options) *couchdb.Source {
	t.Helper()
	if o == nil {
		o = &couchdb.Options{}
	}
	couchdb.SetBackoff(o, time.Millisecond)
	src, err := couchdb.Open(rawURL, key, "", o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func docs(keys []string, extra func(i int, d map[string]any)) []map[string]any {
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"_id": k, "n": i}
		if extra != nil {
			extra(i, out[i])
		}
	}
	return out
}

func keysOf(recs []decant.Record) []string {
	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.Key
	}
	return keys
}

func TestConformance(t *testing.T) {
	var mu sync.Mutex
	dbs := map[decant.Source]*couch{}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			c := newCouch(t)
			if len(keys) > 0 {
				c.write(docs(keys, nil)...)
			}
			src := c.source("", &couchdb.Options{PageSize: 7})
			mu.Lock()
			dbs[src] = c
			mu.Unlock()
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) {
			mu.Lock()
			c := dbs[src]
			mu.Unlock()
			c.write(docs(keys, nil)...)
		},
	})
}

// Ensure the bulk phase and the changes phase together read every
// document once, however it was written while the bulk read ran: new
// documents before and after the page being read, a document deleted and
// created again ahead of the read, and one deleted for good.
//
// Without the skip of documents changed since the bulk read began, the
// documents written ahead of the read came from both phases.
func TestBulkThenChanges_WritesDuringBulkReadOnce(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	var keys []string
	for i := range 30 {
		keys = append(keys, fmt.Sprintf("m%03d", i))
	}
	c.write(docs(keys, nil)...)
	c.write(map[string]any{"_id": "x-recreated", "v": "old"}, map[string]any{"_id": "x-gone", "v": "old"})
	src := c.source("", &couchdb.Options{PageSize: 5})

	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []decant.Record
	for rows.Next(ctx) {
		got = append(got, rows.Record())
		if n := len(got); n%5 == 0 && n <= 30 { // a page is out: write before the next one
			c.write(map[string]any{"_id": fmt.Sprintf("a-before-%02d", n)}, map[string]any{"_id": fmt.Sprintf("z-after-%02d", n)})
		}
		if len(got) == 10 {
			c.remove("x-recreated")
			c.write(map[string]any{"_id": "x-recreated", "v": "new"})
			c.remove("x-gone")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var all struct{ Rows []struct{ ID string } }
	c.call(http.MethodGet, "_all_docs", nil, &all)
	var want []string
	for _, r := range all.Rows {
		want = append(want, r.ID)
	}
	want = append(want, "x-gone") // its tombstone
	slices.Sort(want)
	gotKeys := slices.Sorted(slices.Values(keysOf(got)))
	if diff := cmp.Diff(want, gotKeys); diff != "" {
		t.Fatalf("keys read (-want +got):\n%s", diff)
	}
	for _, r := range got {
		switch r.Key {
		case "x-recreated":
			if r.Deleted || !strings.Contains(string(r.Raw), `"new"`) {
				t.Errorf("x-recreated: deleted %v, raw %s; want its new content", r.Deleted, r.Raw)
			}
		case "x-gone":
			if !r.Deleted {
				t.Errorf("x-gone: not Deleted: %s", r.Raw)
			}
		}
	}
}

// Ensure design documents are read in neither phase.
func TestDesignDocumentsSkipped(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(map[string]any{"_id": "_design/app", "views": map[string]any{}}, map[string]any{"_id": "a"}, map[string]any{"_id": "b"})
	src := c.source("", &couchdb.Options{PageSize: 1})
	first := sourcetest.ReadAll(t, src, nil)
	if diff := cmp.Diff([]string{"a", "b"}, keysOf(first)); diff != "" {
		t.Fatalf("bulk phase (-want +got):\n%s", diff)
	}
	c.write(map[string]any{"_id": "_design/later", "views": map[string]any{}}, map[string]any{"_id": "c"})
	if diff := cmp.Diff([]string{"c"}, keysOf(sourcetest.ReadAll(t, src, first[1].Position))); diff != "" {
		t.Errorf("changes phase (-want +got):\n%s", diff)
	}
}

// Ensure deletions come from the changes phase as Deleted records whose
// Raw is the tombstone, and that a step keyed on another field says why a
// tombstone has no key instead of losing it.
func TestTombstones(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(docs([]string{"a", "b", "c"}, func(i int, d map[string]any) { d["code"] = fmt.Sprint("C", i) })...)
	src := c.source("", nil)
	first := sourcetest.ReadAll(t, src, nil)
	last := first[len(first)-1].Position
	c.remove("a")
	c.remove("c")
	got := sourcetest.ReadAll(t, src, last)
	if diff := cmp.Diff([]string{"a", "c"}, keysOf(got)); diff != "" {
		t.Fatalf("keys after the deletions (-want +got):\n%s", diff)
	}
	for _, r := range got {
		var tomb struct {
			ID      string `json:"_id"`
			Rev     string `json:"_rev"`
			Deleted bool   `json:"_deleted"`
		}
		if err := json.Unmarshal(r.Raw, &tomb); err != nil || !r.Deleted || tomb.ID != r.Key || tomb.Rev == "" || !tomb.Deleted {
			t.Errorf("record %s: Deleted %v, raw %s: want a Deleted record holding the tombstone", r.Key, r.Deleted, r.Raw)
		}
	}

	byCode := c.source("code", nil)
	got = sourcetest.ReadAll(t, byCode, last)
	if len(got) != 2 || !strings.Contains(got[0].Invalid, "key the step on _id") {
		t.Errorf("tombstones keyed on code: %+v, want 2 Invalid records saying to key on _id", got)
	}
	if recs := sourcetest.ReadAll(t, byCode, nil); len(recs) != 1 || recs[0].Key != "C1" {
		t.Errorf("live documents keyed on code: %+v, want b as C1", recs)
	}
}

// conflicted writes document id with two conflicting revisions, 2-aaa and
// 2-bbb (the winner), from a common first one.
func conflicted(c *couch, id string) {
	c.t.Helper()
	revs := c.write(map[string]any{"_id": id, "v": 1})
	first := strings.TrimPrefix(revs[id], "1-")
	var res []any
	c.call(http.MethodPost, "_bulk_docs", map[string]any{"new_edits": false, "docs": []any{
		map[string]any{"_id": id, "_rev": "2-aaa", "v": "a", "_revisions": map[string]any{"start": 2, "ids": []string{"aaa", first}}},
		map[string]any{"_id": id, "_rev": "2-bbb", "v": "b", "_revisions": map[string]any{"start": 2, "ids": []string{"bbb", first}}},
	}}, &res)
}

// Ensure a conflicted document reads as its winning revision by default,
// and as an Invalid record naming the revisions with conflicts: error, in
// both phases.
func TestConflicts(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(map[string]any{"_id": "plain"})
	conflicted(c, "fork")

	winner := sourcetest.ReadAll(t, c.source("", nil), nil)
	for _, r := range winner {
		if r.Invalid != "" {
			t.Errorf("conflicts: winner: %s is Invalid: %s", r.Key, r.Invalid)
		}
		if r.Key == "fork" && !strings.Contains(string(r.Raw), `"v":"b"`) {
			t.Errorf("conflicts: winner: fork reads %s, want the winning revision 2-bbb", r.Raw)
		}
	}

	strict := c.source("", &couchdb.Options{Conflicts: couchdb.ConflictsError})
	recs := sourcetest.ReadAll(t, strict, nil)
	const want = `document "fork" has conflicting revisions 2-bbb, 2-aaa; resolve them in CouchDB or set conflicts: winner`
	checkConflict := func(phase string, recs []decant.Record) {
		t.Helper()
		for _, r := range recs {
			switch {
			case r.Key == "fork" && r.Invalid != want:
				t.Errorf("%s: fork Invalid = %q, want %q", phase, r.Invalid, want)
			case r.Key != "fork" && r.Invalid != "":
				t.Errorf("%s: %s Invalid = %q, want none", phase, r.Key, r.Invalid)
			}
		}
	}
	checkConflict("bulk phase", recs)
	conflicted(c, "fork2")
	later := sourcetest.ReadAll(t, strict, recs[len(recs)-1].Position)
	if len(later) != 1 || !strings.Contains(later[0].Invalid, `document "fork2" has conflicting revisions 2-bbb, 2-aaa`) {
		t.Errorf("changes phase: %+v, want fork2 Invalid", later)
	}
}

// Ensure a filter with ${scope} reads only the scope's documents, in the
// bulk phase and in the changes phase, for each of three scopes, and that
// deletions pass it.
func TestFilterByScope(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	domains := []string{"north", "south", "east"}
	var all []map[string]any
	for i := range 24 {
		all = append(all, map[string]any{"_id": fmt.Sprintf("d%02d", i), "domain": domains[i%3]})
	}
	c.write(all...)
	o := &couchdb.Options{PageSize: 3, Filter: map[string]any{"domain": "${scope}"}}
	src := c.source("", o)
	lasts := map[string]decant.Position{}
	for _, scope := range domains {
		recs := readScope(t, src, scope, nil)
		if len(recs) != 8 {
			t.Errorf("scope %s: %d records in the bulk phase, want 8", scope, len(recs))
		}
		for _, r := range recs {
			if !strings.Contains(string(r.Raw), `"domain":"`+scope+`"`) {
				t.Errorf("scope %s read %s", scope, r.Raw)
			}
		}
		lasts[scope] = recs[len(recs)-1].Position
	}
	c.write(map[string]any{"_id": "e1", "domain": "north"}, map[string]any{"_id": "e2", "domain": "south"}, map[string]any{"_id": "e3", "domain": "east"})
	c.remove("d00") // north
	for _, scope := range domains {
		recs := readScope(t, src, scope, lasts[scope])
		var live, deleted []string
		for _, r := range recs {
			if r.Deleted {
				deleted = append(deleted, r.Key)
				continue
			}
			live = append(live, r.Key)
			if !strings.Contains(string(r.Raw), `"domain":"`+scope+`"`) {
				t.Errorf("scope %s, changes phase, read %s", scope, r.Raw)
			}
		}
		if len(live) != 1 || !slices.Equal(deleted, []string{"d00"}) {
			t.Errorf("scope %s, changes phase: live %q, deleted %q; want one new document and the deletion of d00", scope, live, deleted)
		}
	}
}

func readScope(t *testing.T, src decant.Source, scope string, pos decant.Position) []decant.Record {
	t.Helper()
	ctx := context.Background()
	rows, err := src.Read(ctx, scope, pos)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var recs []decant.Record
	for rows.Next(ctx) {
		recs = append(recs, rows.Record())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("scope %s: %v", scope, err)
	}
	return recs
}

// Ensure a read stopped after every page and started again from the last
// record's position (what a killed run does) reads the same records as one
// that was never stopped, through both phases: updates, deletions and new
// documents written after the bulk phase's seq was taken.
func TestResumeAfterEveryPage(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	keys := sourcetest.Keys(23)
	c.write(docs(keys, nil)...)
	const page = 4
	src := c.source("", &couchdb.Options{PageSize: page})
	first := sourcetest.ReadAll(t, src, nil)
	from := first[2].Position // in the bulk phase, its seq taken before what follows
	c.write(map[string]any{"_id": keys[1], "_rev": c.rev(keys[1]), "n": "updated"}, map[string]any{"_id": "new-1"}, map[string]any{"_id": "zz-new-2"})
	c.remove(keys[5])
	c.remove(keys[20])

	whole := sourcetest.ReadAll(t, src, from)
	ctx := context.Background()
	var pieces []decant.Record
	for pos, stops := from, 0; ; stops++ {
		rows, err := src.Read(ctx, decant.DefaultScope, pos)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for n < page && rows.Next(ctx) {
			pieces = append(pieces, rows.Record())
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if n == 0 {
			break
		}
		pos = pieces[len(pieces)-1].Position
		if stops > 100 {
			t.Fatal("the chunked read does not end")
		}
	}
	type rec struct {
		Key, Raw string
		Deleted  bool
	}
	flat := func(recs []decant.Record) []rec {
		var out []rec
		for _, r := range recs {
			out = append(out, rec{r.Key, string(r.Raw), r.Deleted})
		}
		return out
	}
	if diff := cmp.Diff(flat(whole), flat(pieces)); diff != "" {
		t.Errorf("a read stopped after every page differs from a whole one (-whole +stopped):\n%s", diff)
	}
	if len(whole) < 20 {
		t.Errorf("the whole read has %d records, want the rest of the bulk phase and the changes", len(whole))
	}
}

// Ensure attachments are stubs unless asked for, and then inline.
func TestAttachments(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(map[string]any{"_id": "a", "_attachments": map[string]any{
		"note.txt": map[string]any{"content_type": "text/plain", "data": "aGVsbG8="},
	}})
	stub := sourcetest.ReadAll(t, c.source("", nil), nil)
	inline := sourcetest.ReadAll(t, c.source("", &couchdb.Options{Attachments: true}), nil)
	if len(stub) != 1 || !strings.Contains(string(stub[0].Raw), `"stub":true`) || strings.Contains(string(stub[0].Raw), "aGVsbG8=") {
		t.Errorf("default: %s, want a stub", stub[0].Raw)
	}
	if len(inline) != 1 || !strings.Contains(string(inline[0].Raw), "aGVsbG8=") {
		t.Errorf("attachments: true: %s, want the data inline", inline[0].Raw)
	}
}

// Ensure Size counts the documents from the start and Ping checks the database.
func TestSizeAndPing(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(docs(sourcetest.Keys(12), nil)...)
	src := c.source("", nil)
	n, ok, err := src.Size(context.Background(), decant.DefaultScope, nil)
	if err != nil || !ok || n != 12 {
		t.Errorf("Size = %d, %v, %v; want 12, true, nil", n, ok, err)
	}
	if err := src.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// Ensure a filtered read that ends passing over other scopes' changes
// reports the position after them (decant.PositionReporter), and a read
// from that position finds nothing; before its end it reports none.
func TestFilteredReadReportsThePositionPassedOver(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(map[string]any{"_id": "a1", "domain": "north"}, map[string]any{"_id": "a2", "domain": "south"})
	o := &couchdb.Options{PageSize: 2, Filter: map[string]any{"domain": "${scope}"}}
	src := c.source("", o)
	first := readScope(t, src, "north", nil)
	c.write(map[string]any{"_id": "b1", "domain": "south"}, map[string]any{"_id": "b2", "domain": "south"}, map[string]any{"_id": "b3", "domain": "south"})
	rows, err := src.Read(context.Background(), "north", first[len(first)-1].Position)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	pr, ok := rows.(decant.PositionReporter)
	if !ok {
		t.Fatal("the couchdb source's rows do not report a position")
	}
	if p := pr.Position(); p != nil {
		t.Errorf("Position before the end = %s, want nil", p)
	}
	n := 0
	for rows.Next(context.Background()) {
		n++
	}
	if err := rows.Err(); err != nil || n != 0 {
		t.Fatalf("north's changes: %d records, %v; want none", n, err)
	}
	tail := pr.Position()
	if tail == nil || string(tail) == string(first[len(first)-1].Position) {
		t.Fatalf("Position after passing over south's changes = %s, want past %s", tail, first[len(first)-1].Position)
	}
	if again := readScope(t, src, "north", tail); len(again) != 0 {
		t.Errorf("a read from the reported position gave %d records, want none", len(again))
	}
}
