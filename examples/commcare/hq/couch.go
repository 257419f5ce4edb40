package hq

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Couch is a minimal client of a CouchDB-protocol database, enough to put
// a domain's documents in and change them as HQ would.
type Couch struct {
	// DB is the database's URL, http://host:port/name.
	DB     string
	Client *http.Client
}

func (c *Couch) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return http.DefaultClient
}

// do sends a request with a JSON body (nil for none) and decodes a JSON
// answer into out (nil to discard it). A status of 300 or more is an error
// that quotes the answer.
func (c *Couch) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.DB+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, redactURL(c.DB)+path, resp.Status, bytes.TrimSpace(b))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// redactURL drops the password of u, for messages.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	return p.Redacted()
}

// Create makes the database; it is an error when it exists.
func (c *Couch) Create(ctx context.Context) error { return c.do(ctx, http.MethodPut, "", nil, nil) }

// bulkResult is one document's answer of _bulk_docs.
type bulkResult struct {
	ID    string `json:"id"`
	Rev   string `json:"rev"`
	Error string `json:"error"`
}

// Put writes docs with _bulk_docs, in requests of at most 1000 (the server
// slows down sharply on large ones), and returns each document's new
// revision by id. A document the server refuses is an error.
func (c *Couch) Put(ctx context.Context, docs []any) (map[string]string, error) {
	revs := map[string]string{}
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		var res []bulkResult
		if err := c.do(ctx, http.MethodPost, "/_bulk_docs", map[string]any{"docs": docs[:n]}, &res); err != nil {
			return nil, err
		}
		for _, r := range res {
			if r.Error != "" {
				return nil, fmt.Errorf("_bulk_docs: document %s: %s", r.ID, r.Error)
			}
			revs[r.ID] = r.Rev
		}
		docs = docs[n:]
	}
	return revs, nil
}

// Get reads the document id into out.
func (c *Couch) Get(ctx context.Context, id string, out any) error {
	return c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), nil, out)
}

// Delete deletes the document id at revision rev, leaving a tombstone.
func (c *Couch) Delete(ctx context.Context, id, rev string) error {
	return c.do(ctx, http.MethodDelete, "/"+url.PathEscape(id)+"?rev="+url.QueryEscape(rev), nil, nil)
}

// PutRevisions stores the documents with the revisions they carry, as
// replication does (new_edits=false): two documents with one id and
// different revisions make a conflict.
func (c *Couch) PutRevisions(ctx context.Context, docs []any) error {
	return c.do(ctx, http.MethodPost, "/_bulk_docs", map[string]any{"docs": docs, "new_edits": false}, nil)
}

// Load puts the domains' forms and cases into the database, and the
// documents every HQ database has beside them: a design document with a
// view by domain. It returns the revisions by id.
func (c *Couch) Load(ctx context.Context, domains ...Domain) (map[string]string, error) {
	design := map[string]any{
		"_id": "_design/domain",
		"views": map[string]any{
			"by_domain": map[string]any{"map": "function (doc) { if (doc.domain) { emit(doc.domain, null); } }"},
		},
	}
	docs := []any{design}
	for _, d := range domains {
		for _, f := range d.Forms {
			docs = append(docs, f)
		}
		for _, cs := range d.Cases {
			docs = append(docs, cs)
		}
	}
	return c.Put(ctx, docs)
}

// AddConflict gives the case a second, losing branch: a revision made on
// another server and replicated in, as CouchDB keeps it. The case's
// current revision rev stays the winner when branch sorts lower.
func (c *Couch) AddConflict(ctx context.Context, cs Case, branch string) error {
	cs.Rev = branch
	cs.Name = strings.ToUpper(cs.Name)
	return c.PutRevisions(ctx, []any{cs})
}
