package couchdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/internal/sourcetest"
)

// couch3 is a fake of what CouchDB 3 shows that pouchdb-server cannot:
// string seqs ("12-g1AAAA…") that only the server understands, 400 for a
// startkey that is not JSON or a since it did not give, "pending" in
// _changes, _changes?filter=_selector, and "couchdb":"Welcome" at the root.
// It holds one database, "db", and filters on equality selectors only.
type couch3 struct {
	srv *httptest.Server
	mu  sync.Mutex
	seq int
	// docs by _id; each holds the seq of its last change.
	docs     map[string]*doc3
	selector int // requests that used _changes?filter=_selector
	// afterFind, when set, runs (locked) after each _find, with the ids found.
	afterFind func(ids []string)
}

type doc3 struct {
	id      string
	rev     int
	seq     int
	body    map[string]any
	deleted bool
}

func newCouch3(t *testing.T) *couch3 {
	f := &couch3{docs: map[string]*doc3{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *couch3) url() string {
	return "couchdb+" + f.srv.URL + "/db"
}

// put writes a document (nil body: deletes it).
func (f *couch3) put(id string, body map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	d := f.docs[id]
	if d == nil {
		d = &doc3{id: id}
		f.docs[id] = d
	}
	d.rev++
	d.seq, d.body, d.deleted = f.seq, body, body == nil
}

// encodeSeq makes an opaque seq like CouchDB 3's.
func encodeSeq(n int) string {
	return fmt.Sprintf("%d-g1AAAAFTeJzLYWBgYMlgTmFQSM%04x", n, n*7919%65536)
}

var seqRE = regexp.MustCompile(`^(\d+)-g1AAAAFTeJzLYWBgYMlgTmFQSM[0-9a-f]{4}$`)

// decodeSeq reads a since: 0 or a seq this fake gave, unquoted as CouchDB
// wants it.
func decodeSeq(s string) (int, bool) {
	if s == "" || s == "0" {
		return 0, true
	}
	m := seqRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, encodeSeq(n) == s
}

func (d *doc3) json() map[string]any {
	out := map[string]any{"_id": d.id, "_rev": fmt.Sprintf("%d-%032x", d.rev, d.seq)}
	if d.deleted {
		out["_deleted"] = true
		return out
	}
	for k, v := range d.body {
		out[k] = v
	}
	return out
}

// matches evaluates the selectors decant sends: field equality, $and,
// $or, and {"_id":{"$gt":…}}.
func matches(sel map[string]any, doc map[string]any) bool {
	for k, v := range sel {
		switch k {
		case "$and", "$or":
			some, all := false, true
			for _, s := range v.([]any) {
				m := matches(s.(map[string]any), doc)
				some, all = some || m, all && m
			}
			if (k == "$and" && !all) || (k == "$or" && !some) {
				return false
			}
		default:
			if op, ok := v.(map[string]any); ok {
				gt, _ := op["$gt"].(string)
				id, _ := doc[k].(string)
				if id <= gt {
					return false
				}
				continue
			}
			if doc[k] != v {
				return false
			}
		}
	}
	return true
}

func (f *couch3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	bad := func(reason string) {
		reply(http.StatusBadRequest, map[string]string{"error": "bad_request", "reason": reason})
	}
	var body map[string]any
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			bad("invalid UTF-8 JSON")
			return
		}
	}
	q := r.URL.Query()
	live := f.sorted()
	switch r.URL.Path {
	case "/":
		reply(200, map[string]any{"couchdb": "Welcome", "version": "3.3.3"})
	case "/db":
		reply(200, map[string]any{"db_name": "db", "doc_count": len(live), "update_seq": encodeSeq(f.seq), "instance_start_time": "0"})
	case "/db/_all_docs":
		var rows []any
		if keys, ok := body["keys"].([]any); ok {
			for _, k := range keys {
				switch d := f.docs[k.(string)]; {
				case d == nil: // never written, or purged
					rows = append(rows, map[string]any{"key": k, "error": "not_found"})
				case d.deleted:
					rows = append(rows, map[string]any{"id": d.id, "key": d.id, "value": map[string]any{"rev": d.json()["_rev"], "deleted": true}, "doc": nil})
				default:
					rows = append(rows, map[string]any{"id": d.id, "key": d.id, "doc": d.json()})
				}
			}
			reply(200, map[string]any{"rows": rows})
			return
		}
		start := ""
		if sk := q.Get("startkey"); sk != "" {
			if json.Unmarshal([]byte(sk), &start) != nil {
				bad("invalid UTF-8 JSON")
				return
			}
		}
		limit, err := strconv.Atoi(q.Get("limit"))
		if err != nil {
			limit = len(live)
		}
		offset := 0
		for _, d := range live {
			switch {
			case d.id < start:
				offset++
			case len(rows) < limit:
				rows = append(rows, map[string]any{"id": d.id, "key": d.id, "doc": d.json()})
			}
		}
		reply(200, map[string]any{"total_rows": len(live), "offset": offset, "rows": rows})
	case "/db/_find":
		sel, _ := body["selector"].(map[string]any)
		limit := int(body["limit"].(float64))
		var found []any
		var ids []string
		for _, d := range live {
			if len(found) < limit && matches(sel, d.json()) {
				found = append(found, map[string]any{"_id": d.id})
				ids = append(ids, d.id)
			}
		}
		if f.afterFind != nil {
			f.afterFind(ids)
		}
		reply(200, map[string]any{"docs": found, "bookmark": "g1AAAA"})
	case "/db/_changes":
		since, ok := decodeSeq(q.Get("since"))
		if !ok {
			bad("Malformed sequence supplied in 'since' parameter.")
			return
		}
		var sel map[string]any
		if q.Get("filter") == "_selector" {
			f.selector++
			sel, _ = body["selector"].(map[string]any)
		}
		changed := make([]*doc3, 0, len(f.docs))
		for _, d := range f.docs {
			if d.seq > since && (sel == nil || matches(sel, d.json())) {
				changed = append(changed, d)
			}
		}
		slices.SortFunc(changed, func(a, b *doc3) int { return a.seq - b.seq })
		limit, _ := strconv.Atoi(q.Get("limit"))
		var results []any
		for _, d := range changed {
			if limit > 0 && len(results) == limit {
				break
			}
			c := map[string]any{"seq": encodeSeq(d.seq), "id": d.id, "changes": []any{map[string]any{"rev": d.json()["_rev"]}}}
			if d.deleted {
				c["deleted"] = true
			}
			if q.Get("include_docs") == "true" {
				c["doc"] = d.json()
			}
			results = append(results, c)
		}
		last := encodeSeq(since)
		if len(results) > 0 {
			last = results[len(results)-1].(map[string]any)["seq"].(string)
		}
		reply(200, map[string]any{"results": results, "last_seq": last, "pending": len(changed) - len(results)})
	default:
		reply(http.StatusNotFound, map[string]string{"error": "not_found", "reason": "Database does not exist."})
	}
}

// sorted returns the live documents in _id order.
func (f *couch3) sorted() []*doc3 {
	var out []*doc3
	for _, d := range f.docs {
		if !d.deleted {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *doc3) int { return strings.Compare(a.id, b.id) })
	return out
}

// Ensure the source keeps its promises on a server with CouchDB 3's string
// seqs: the conformance suite, positions holding the seq as the server
// gave it, and a startkey the server can parse whatever the _id holds.
func TestCouchDB3_Conformance(t *testing.T) {
	var mu sync.Mutex
	fakes := map[decant.Source]*couch3{}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			f := newCouch3(t)
			for i, k := range keys {
				f.put(k, map[string]any{"n": i})
			}
			src := openSource(t, f.url(), "", &couchdb.Options{PageSize: 5})
			mu.Lock()
			fakes[src] = f
			mu.Unlock()
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) {
			mu.Lock()
			f := fakes[src]
			mu.Unlock()
			for _, k := range keys {
				f.put(k, map[string]any{"new": true})
			}
		},
	})
}

// Ensure changes-phase positions hold CouchDB 3's string seq unchanged,
// deletions come as tombstones, Size reads "pending", and a number seq (a
// checkpoint from pouchdb-server) is refused rather than sent.
func TestCouchDB3_StringSeqs(t *testing.T) {
	t.Parallel()
	f := newCouch3(t)
	f.put("a", map[string]any{"v": 1})
	f.put("b", map[string]any{"v": 2})
	src := openSource(t, f.url(), "", &couchdb.Options{PageSize: 1})
	first := sourcetest.ReadAll(t, src, nil)
	f.put("c", map[string]any{"v": 3})
	f.put("a", nil)
	if n, ok, err := src.Size(context.Background(), decant.DefaultScope, first[1].Position); err != nil || !ok || n != 1 {
		t.Errorf("Size in the bulk phase = %d, %v, %v; want 1 row after b", n, ok, err)
	}
	later := sourcetest.ReadAll(t, src, first[1].Position)
	if len(later) != 2 || later[0].Key != "c" || later[1].Key != "a" || !later[1].Deleted {
		t.Fatalf("changes: %+v, want c then the deletion of a", later)
	}
	var p struct {
		Phase string
		Since json.RawMessage
	}
	if err := json.Unmarshal(later[1].Position, &p); err != nil || p.Phase != "changes" || string(p.Since) != `"`+encodeSeq(4)+`"` {
		t.Errorf("position %s, want the changes phase at seq %q as the server gave it", later[1].Position, encodeSeq(4))
	}
	if n, ok, err := src.Size(context.Background(), decant.DefaultScope, later[0].Position); err != nil || !ok || n != 1 {
		t.Errorf("Size in the changes phase = %d, %v, %v; want 1 pending", n, ok, err)
	}
	err := readErr(t, src, decant.Position(`{"phase":"changes","since":7}`))
	if !errors.Is(err, couchdb.ErrUnknownSince) || !strings.Contains(err.Error(), "is a number") {
		t.Errorf("number since on a string-seq server: %v, want ErrUnknownSince", err)
	}
	// A string the server did not give: CouchDB 3 answers 400, which the
	// source passes on.
	err = readErr(t, src, decant.Position(`{"phase":"changes","since":"99-bogus"}`))
	var se *couchdb.StatusError
	if !errors.As(err, &se) || se.Status != 400 || !strings.Contains(err.Error(), "Malformed sequence") {
		t.Errorf("bogus string since: %v, want CouchDB's 400", err)
	}
}

// Ensure a filter uses CouchDB's _changes?filter=_selector where the
// server has it, with the scope in, and lets deletions through.
func TestCouchDB3_FilterUsesSelector(t *testing.T) {
	t.Parallel()
	f := newCouch3(t)
	for i := range 9 {
		f.put(fmt.Sprintf("d%d", i), map[string]any{"domain": []string{"north", "south", "east"}[i%3]})
	}
	src := openSource(t, f.url(), "", &couchdb.Options{PageSize: 2, Filter: map[string]any{"domain": "${scope}"}})
	first := readScope(t, src, "south", nil)
	if got := keysOf(first); !slices.Equal(got, []string{"d1", "d4", "d7"}) {
		t.Fatalf("bulk phase for south: %q", got)
	}
	f.put("e1", map[string]any{"domain": "south"})
	f.put("e2", map[string]any{"domain": "north"})
	f.put("d1", nil)
	later := readScope(t, src, "south", first[len(first)-1].Position)
	if got := keysOf(later); !slices.Equal(got, []string{"e1", "d1"}) || !later[1].Deleted {
		t.Errorf("changes phase for south: %q, want e1 and the deletion of d1", got)
	}
	if f.selector == 0 {
		t.Error("the changes phase did not use _changes?filter=_selector")
	}
}

// Ensure a filtered bulk page whose documents vanish between the _find
// and the _all_docs (deleted, or purged so that the row has no id) goes
// on after them, instead of starting over from the first document.
//
// Failed before the fix: the purged last row had no id, the next page
// started from the beginning, and the read saw documents twice.
func TestCouchDB3_FilteredPageLosesDocuments(t *testing.T) {
	t.Parallel()
	f := newCouch3(t)
	for i := range 10 {
		f.put(fmt.Sprintf("d%d", i), map[string]any{"domain": "north"})
	}
	finds := 0
	f.afterFind = func(ids []string) {
		finds++
		if finds == 1 {
			f.docs[ids[0]].deleted = true   // deleted: a row with an id and no doc
			delete(f.docs, ids[len(ids)-1]) // purged: a row without an id
		}
	}
	src := openSource(t, f.url(), "", &couchdb.Options{PageSize: 3, Filter: map[string]any{"domain": "${scope}"}})
	got := keysOf(readScope(t, src, "north", nil))
	want := []string{"d1", "d3", "d4", "d5", "d6", "d7", "d8", "d9"}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
}
