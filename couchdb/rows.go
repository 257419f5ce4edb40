package couchdb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonkey"
)

// rows is one read: the bulk phase, then the changes phase.
type rows struct {
	src    *Source
	filter json.RawMessage // the selector with the scope in, nil for none

	// pos is where the read starts, nil for the start; then where the next
	// page starts.
	pos     *position
	started bool
	// pouch is set when the server has no _changes?filter=_selector
	// (pouchdb-server), found out only when there is a filter.
	pouch bool
	// bulkSince is where the changes phase starts after the bulk phase.
	bulkSince json.RawMessage

	// touched holds the ids of the documents changed since bulkSince, up to
	// touchedSince: the bulk phase skips them, the changes phase reads them.
	touched      map[string]bool
	touchedSince json.RawMessage

	// ahead is the next page of the bulk phase, asked for while the
	// current one is read (see fetchBulk); aheadLast is where it starts.
	ahead     chan bulkResult
	aheadLast string

	page []decant.Record
	next int
	rec  decant.Record
	// ended is set when the changes feed had nothing more: once the page is
	// out, the read is over.
	ended  bool
	done   bool
	closed bool
	err    error
}

// Next reads the next record.
func (r *rows) Next(ctx context.Context) bool {
	if r.done || r.closed {
		return false
	}
	if err := ctx.Err(); err != nil {
		return r.fail(context.Cause(ctx))
	}
	for r.next >= len(r.page) {
		if r.ended {
			r.done = true
			return false
		}
		if err := r.fetch(ctx); err != nil {
			return r.fail(err)
		}
	}
	r.rec = r.page[r.next]
	r.next++
	return true
}

func (r *rows) fail(err error) bool {
	r.err, r.done = fmt.Errorf("couchdb: %w", err), true
	return false
}

// Record returns the record Next read.
func (r *rows) Record() decant.Record { return r.rec }

// Err returns the error that ended the read, nil at its end.
func (r *rows) Err() error { return r.err }

var _ decant.PositionReporter = (*rows)(nil)

// Position is, once the read ended without an error, the position after
// the last change it went through: past the changes a filter passed over
// (other scopes' documents), which the engine then saves so that the next
// read does not go through them again. nil before the end.
func (r *rows) Position() decant.Position {
	if !r.done || r.err != nil || r.pos == nil || r.pos.Phase != phaseChanges {
		return nil
	}
	return r.pos.marshal()
}

// Close ends the read.
func (r *rows) Close() error {
	r.closed, r.page = true, nil
	return nil
}

// fetch reads the next page of the current phase into r.page.
func (r *rows) fetch(ctx context.Context) error {
	r.page, r.next = r.page[:0], 0
	if !r.started {
		if err := r.start(ctx); err != nil {
			return err
		}
		r.started = true
	}
	if r.pos.Phase == phaseBulk {
		return r.fetchBulk(ctx)
	}
	return r.fetchChanges(ctx)
}

// start checks a stored position against the database, or takes the
// database's update_seq for a read from the start.
func (r *rows) start(ctx context.Context) error {
	s := r.src
	in, err := s.info(ctx, s.opts.retries())
	if err != nil {
		return err
	}
	if r.pos == nil {
		r.pos = &position{Phase: phaseBulk, Since: in.UpdateSeq}
	} else if err := s.checkSince(r.pos, in); err != nil {
		return err
	}
	r.bulkSince = r.pos.Since
	if r.filter != nil {
		var root map[string]json.RawMessage
		if err := s.do(ctx, request{path: "/"}, s.opts.retries(), &root); err != nil {
			return err
		}
		_, isCouch := root["couchdb"]
		r.pouch = !isCouch
	}
	return nil
}

// docRow is a row of _all_docs.
type docRow struct {
	ID  string          `json:"id"`
	Doc json.RawMessage `json:"doc"`
}

// bulkResult is what bulkPage returned, for a page read ahead.
type bulkResult struct {
	docs    []docRow
	through string
	full    bool
	err     error
}

// fetchBulk reads the next page of documents after r.pos.Last; a page
// shorter than asked for is the last, and the changes phase comes next.
//
// While a page's records go out, the next page is already asked for, so
// that the server serves it while the run maps and writes this one. The
// documents changed since the bulk began are still asked for after each
// page is read (refreshTouched), so each document is read once either way.
// A filtered read (two requests a page) reads no page ahead.
func (r *rows) fetchBulk(ctx context.Context) error {
	last := r.pos.Last
	res := r.takeAhead(last)
	if res == nil || res.err != nil {
		// None read ahead, or it failed (perhaps under an earlier call's
		// context): ask now.
		res = &bulkResult{}
		res.docs, res.through, res.full, res.err = r.bulkPage(ctx, last)
	}
	docs, through, full, err := res.docs, res.through, res.full, res.err
	if err != nil {
		return err
	}
	if full && r.filter == nil {
		r.readAhead(ctx, through)
	}
	if len(docs) > 0 {
		if err := r.refreshTouched(ctx); err != nil {
			return err
		}
	}
	where := fmt.Sprintf("%s/_all_docs from the start", decant.RedactURL(r.src.db.String()))
	if last != "" {
		where = fmt.Sprintf("%s/_all_docs after %s", decant.RedactURL(r.src.db.String()), jsonString(last))
	}
	for i, d := range docs {
		if r.touched[d.ID] || isDesign(d.ID) || isNull(d.Doc) || d.ID == "" {
			continue
		}
		p := position{Phase: phaseBulk, Since: r.bulkSince, Last: d.ID}
		r.page = append(r.page, r.record(d.ID, d.Doc, false, p, where+", row "+strconv.Itoa(i)))
	}
	r.pos.Last = through
	if !full {
		r.pos = &position{Phase: phaseChanges, Since: r.bulkSince}
	}
	return nil
}

// readAhead asks for the bulk page after last on a goroutine of its own.
func (r *rows) readAhead(ctx context.Context, last string) {
	ch := make(chan bulkResult, 1) // the goroutine never waits on it
	r.ahead, r.aheadLast = ch, last
	go func() {
		var res bulkResult
		res.docs, res.through, res.full, res.err = r.bulkPage(ctx, last)
		ch <- res
	}()
}

// takeAhead returns the page read ahead when it starts after last, nil
// when there is none.
func (r *rows) takeAhead(last string) *bulkResult {
	ch := r.ahead
	r.ahead = nil
	if ch == nil || r.aheadLast != last {
		return nil
	}
	res := <-ch
	return &res
}

// bulkPage returns the documents after last, in _id order, the last _id
// the page covers (where the next one starts) and whether the page was
// full (more may follow). A row may have no document: deleted between the
// _find and the _all_docs of a filtered page.
func (r *rows) bulkPage(ctx context.Context, last string) (docs []docRow, through string, full bool, err error) {
	s := r.src
	n := s.opts.PageSize
	q := r.docQuery()
	if r.filter != nil {
		ids, err := r.findIDs(ctx, bulkSelector(r.filter, last), []any{map[string]string{"_id": "asc"}}, n)
		if err != nil {
			return nil, "", false, err
		}
		if len(ids) == 0 {
			return nil, last, false, nil
		}
		var page docsPage
		if err := s.do(ctx, request{path: "_all_docs", query: q, body: map[string]any{"keys": ids}}, s.opts.retries(), &page); err != nil {
			return nil, "", false, err
		}
		return page.Rows, ids[len(ids)-1], len(ids) == n, nil
	}
	if last != "" {
		// startkey is inclusive: ask for one more, drop last if it comes back.
		n++
		q.Set("startkey", jsonString(last))
	}
	q.Set("limit", strconv.Itoa(n))
	var page docsPage
	if err := s.do(ctx, request{path: "_all_docs", query: q}, s.opts.retries(), &page); err != nil {
		return nil, "", false, err
	}
	full = len(page.Rows) == n
	if len(page.Rows) > 0 && last != "" && page.Rows[0].ID == last {
		page.Rows = page.Rows[1:]
	}
	through = last
	if len(page.Rows) > 0 {
		through = page.Rows[len(page.Rows)-1].ID
	}
	return page.Rows, through, full, nil
}

// docQuery is the query that asks for documents with what the options want.
// Only conflicts: error needs a document's conflicting revisions; asking
// for them costs pouchdb-server 1.5 to 2.5 times the read, and a winner is
// the same document without them.
func (r *rows) docQuery() url.Values {
	q := url.Values{"include_docs": {"true"}}
	if r.src.opts.Conflicts == ConflictsError {
		q.Set("conflicts", "true")
	}
	if r.src.opts.Attachments {
		q.Set("attachments", "true")
	}
	return q
}

// findIDs asks _find for the ids of at most limit documents that sel matches.
func (r *rows) findIDs(ctx context.Context, sel any, sort []any, limit int) ([]string, error) {
	body := map[string]any{"selector": sel, "fields": []string{"_id"}, "limit": limit}
	if sort != nil {
		body["sort"] = sort
	}
	var found struct {
		Docs []struct {
			ID string `json:"_id"`
		}
	}
	if err := r.src.do(ctx, request{path: "_find", body: body}, r.src.opts.retries(), &found); err != nil {
		return nil, err
	}
	ids := make([]string, len(found.Docs))
	for i, d := range found.Docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// change is a result of _changes.
type change struct {
	Seq     json.RawMessage `json:"seq"`
	ID      string          `json:"id"`
	Deleted bool            `json:"deleted"`
	Doc     json.RawMessage `json:"doc"`
	Changes []struct {
		Rev string `json:"rev"`
	} `json:"changes"`
}

// changesPage is an answer of _changes.
type changesPage struct {
	Results []change        `json:"results"`
	LastSeq json.RawMessage `json:"last_seq"`
}

// fetchChanges reads the next page of changes after r.pos.Since; an empty
// page ends the read.
func (r *rows) fetchChanges(ctx context.Context) error {
	s := r.src
	since := r.pos.Since
	q := r.docQuery()
	q.Set("since", sinceParam(since))
	q.Set("limit", strconv.Itoa(s.opts.PageSize))
	req := request{path: "_changes", query: q}
	if r.filter != nil && !r.pouch {
		q.Set("filter", "_selector")
		req.body = map[string]any{"selector": changesSelector(r.filter)}
	}
	var page changesPage
	if err := s.do(ctx, req, s.opts.retries(), &page); err != nil {
		return err
	}
	if len(page.Results) == 0 {
		r.ended = true
		return nil
	}
	r.pos = &position{Phase: phaseChanges, Since: page.Results[len(page.Results)-1].Seq}
	keep, err := r.matching(ctx, page.Results)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("%s/_changes since %s", decant.RedactURL(s.db.String()), since)
	for i, c := range page.Results {
		if isDesign(c.ID) || (keep != nil && !keep[c.ID]) {
			continue
		}
		doc := c.Doc
		if c.Deleted && isNull(doc) {
			doc = tombstone(c)
		}
		if isNull(doc) { // a server that sent no document: nothing to read
			continue
		}
		p := position{Phase: phaseChanges, Since: c.Seq}
		rec := r.record(c.ID, doc, c.Deleted, p, fmt.Sprintf("%s, result %d (seq %s)", where, i, c.Seq))
		rec.Change = true // in seq order, unlike the bulk phase's _id order
		r.page = append(r.page, rec)
	}
	return nil
}

// matching returns the ids of the changes that pass the filter when the
// server could not filter them (pouchdb-server): the deletions and those
// whose documents _find matches. It returns nil when nothing is to be
// dropped here.
func (r *rows) matching(ctx context.Context, results []change) (map[string]bool, error) {
	if r.filter == nil || !r.pouch {
		return nil, nil
	}
	keep := map[string]bool{}
	var live []string
	for _, c := range results {
		if c.Deleted {
			keep[c.ID] = true
		} else {
			live = append(live, c.ID)
		}
	}
	if len(live) == 0 {
		return keep, nil
	}
	sel := map[string]any{"$and": []any{map[string]any{"_id": map[string]any{"$in": live}}, r.filter}}
	ids, err := r.findIDs(ctx, sel, nil, len(live))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		keep[id] = true
	}
	return keep, nil
}

// refreshTouched adds to r.touched the ids of the documents changed since
// the last refresh (since bulkSince at first), without their documents.
func (r *rows) refreshTouched(ctx context.Context) error {
	s := r.src
	if r.touched == nil {
		r.touched, r.touchedSince = map[string]bool{}, r.bulkSince
	}
	for {
		q := url.Values{"since": {sinceParam(r.touchedSince)}, "limit": {strconv.Itoa(s.opts.PageSize)}}
		var page changesPage
		if err := s.do(ctx, request{path: "_changes", query: q}, s.opts.retries(), &page); err != nil {
			return err
		}
		for _, c := range page.Results {
			r.touched[c.ID] = true
		}
		if len(page.Results) == 0 {
			return nil
		}
		r.touchedSince = page.Results[len(page.Results)-1].Seq
		if len(page.Results) < s.opts.PageSize {
			return nil
		}
	}
}

// record makes the record of a document.
func (r *rows) record(id string, doc json.RawMessage, deleted bool, p position, where string) decant.Record {
	rec := decant.Record{Key: id, Raw: doc, Deleted: deleted, Position: p.marshal(), Where: where}
	if r.src.key != "_id" {
		k := jsonkey.Get(doc, r.src.key) // the last of a name given twice, as the document decodes
		rec.Key = k.String()
		if !k.Exists() && deleted {
			rec.Invalid = fmt.Sprintf("the tombstone of document %s has no key at %q: a deleted document keeps only _id and _rev; key the step on _id to act on deletions", jsonString(id), r.src.key)
		}
	}
	if deleted || r.src.opts.Conflicts != ConflictsError {
		return rec
	}
	if conflicts := gjson.GetBytes(doc, "_conflicts").Array(); len(conflicts) > 0 {
		revs := []string{gjson.GetBytes(doc, "_rev").String()}
		for _, c := range conflicts {
			revs = append(revs, c.String())
		}
		rec.Invalid = fmt.Sprintf("document %s has conflicting revisions %s; resolve them in CouchDB or set conflicts: winner",
			jsonString(id), strings.Join(revs, ", "))
	}
	return rec
}

// tombstone is the document of a deletion whose change came without one.
func tombstone(c change) json.RawMessage {
	t := map[string]any{"_id": c.ID, "_deleted": true}
	if len(c.Changes) > 0 {
		t["_rev"] = c.Changes[0].Rev
	}
	b, _ := json.Marshal(t)
	return b
}

func isDesign(id string) bool { return strings.HasPrefix(id, "_design/") }

func isNull(doc json.RawMessage) bool {
	d := strings.TrimSpace(string(doc))
	return d == "" || d == "null"
}
