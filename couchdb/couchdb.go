// Package couchdb reads the documents of a CouchDB database (or a
// pouchdb-server one), then follows its changes.
//
// # Two phases
//
// A read from the start takes the database's update_seq S, then reads
// every document in _id order from _all_docs?include_docs=true, a page at a
// time (the bulk phase), then reads _changes?since=S (the changes phase),
// so that what was written during the bulk read is not missed. A read ends
// when the changes feed has nothing more; a later Read from the last
// record's position goes on with the changes, which is how live following
// works.
//
// A document written while the bulk phase runs may be met by both phases.
// To read it once, the bulk phase keeps the ids of the documents changed
// since S (from _changes?since=S, without the documents, refreshed after
// each page is fetched) and skips them: the changes phase reads them, at
// their latest revision, deleted ones as tombstones. A document the bulk
// phase reads is therefore one that had not changed since S when its page
// was fetched, and the changes phase reads it again only if it changes
// after that, which is a new revision.
//
// # Pages
//
// The bulk phase pages by key: the next page starts at the last _id read
// (startkey, inclusive) and drops that _id if it comes back. This is exact
// whatever happens between pages: "skip=1" would skip a live document when
// the last one read was deleted meanwhile, and the successor key last+"\u0000"
// relies on the server's collation of a NUL. Design documents are skipped
// in both phases.
//
// # Positions
//
// A position is JSON holding the phase, the seq the changes phase starts
// at (or the last change read) and, in the bulk phase, the last _id read:
//
//	{"phase":"bulk","since":17,"last":"doc-0042"}
//	{"phase":"changes","since":"23-g1AAAA…"}
//
// A seq is kept as the raw JSON the server sent (a number for pouchdb-server,
// a string for CouchDB 2 and 3) and handed back unchanged. Before reading
// from a stored position, the source checks it against the database (see
// docs/couchdb.md): a seq of another JSON type than the server's
// update_seq, or a number beyond it, is refused, because pouchdb-server
// answers an unknown since with an empty page and the read would end as if
// there were no changes.
//
// # Filters
//
// With a filter (a Mango selector), the bulk phase asks _find for the ids
// of the next page of matching documents and fetches them from _all_docs
// (so a document reads the same, conflicts and attachments included,
// filtered or not); the changes phase uses CouchDB's _changes?filter=_selector,
// or, on pouchdb-server, which does not have it, reads the changes and asks
// _find which of their documents match. Deletions always pass the filter.
package couchdb

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/httpretry"
)

var (
	_ decant.Source = (*Source)(nil)
	_ decant.Pinger = (*Source)(nil)
	_ decant.Sizer  = (*Source)(nil)
)

// Schemes are the URL schemes of CouchDB connections.
var Schemes = []string{"couchdb+http", "couchdb+https"}

// Source reads one CouchDB database. It is safe for concurrent use; each
// Read has its own position.
type Source struct {
	// rawURL is the connection's URL, whose secrets errors must hide, and
	// secretURL the database's URL with the credentials in use, from the
	// URL or the options, for the same purpose.
	rawURL, secretURL string
	// db is the database's http(s) URL, without credentials.
	db   *url.URL
	key  string
	opts Options

	client    *http.Client
	transport *http.Transport
}

// Open returns a source reading the database of rawURL,
// couchdb+http(s)://[user:password@]host[:port][/prefix]/db. key is the
// gjson path of a document's key ("" or "_id": the document's _id);
// cursor must be empty: the source orders by _id and follows _changes. A
// nil o means every default. Open does no I/O.
func Open(rawURL, key, cursor string, o *Options) (*Source, error) {
	if o == nil {
		o = &Options{}
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("couchdb: %w", err)
	}
	if cursor != "" {
		return nil, fmt.Errorf("couchdb: from.cursor %q does not apply: a CouchDB source reads in _id order and then follows _changes; remove it", cursor)
	}
	db, user, pass, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opts := o.withDefaults()
	if user != "" || pass != "" {
		if opts.Username != "" || opts.Password != "" {
			return nil, fmt.Errorf("couchdb: %s: credentials both in the URL and in the username/password options; keep one", decant.RedactURL(rawURL))
		}
		opts.Username, opts.Password = user, pass
	}
	s := &Source{rawURL: rawURL, secretURL: rawURL, db: db, key: cmp.Or(key, "_id"), opts: opts}
	if opts.Password != "" {
		withPass := *db
		withPass.User = url.UserPassword(opts.Username, opts.Password)
		s.secretURL = withPass.String()
	}
	if s.transport, err = newTransport(opts); err != nil {
		return nil, fmt.Errorf("couchdb: %w", err)
	}
	s.client = &http.Client{Transport: s.transport}
	return s, nil
}

// parseURL turns couchdb+http(s)://user:pass@host/db into the database's
// http(s) URL and the credentials.
func parseURL(rawURL string) (db *url.URL, user, pass string, err error) {
	where := decant.RedactURL(rawURL)
	if decant.MisreadPassword(rawURL) {
		return nil, "", "", fmt.Errorf("couchdb: the password in %s holds '@', '/', '?' or '#', which a URL reads as delimiters: write them as %%40, %%2F, %%3F and %%23", where)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", "", fmt.Errorf("couchdb: parse url %s: %w", where, decant.RedactError(httpretry.UnwrapURLError(err), rawURL))
	}
	scheme, ok := strings.CutPrefix(strings.ToLower(u.Scheme), "couchdb+")
	if !ok || (scheme != "http" && scheme != "https") || u.Host == "" {
		return nil, "", "", fmt.Errorf("couchdb: url %s: want couchdb+http://host:5984/database or couchdb+https://…", where)
	}
	u.Scheme = scheme
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	if u.Path == "" {
		return nil, "", "", fmt.Errorf("couchdb: url %s names no database: add it after the host, as in couchdb+http://host:5984/forms", where)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, "", "", fmt.Errorf("couchdb: url %s: a CouchDB connection takes no query or fragment; set options under the step's from", where)
	}
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
		u.User = nil
	}
	return u, user, pass, nil
}

func newTransport(o Options) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.InsecureSkipVerify}
	if o.CAFile == "" {
		return t, nil
	}
	pem, err := os.ReadFile(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		// Without a system pool the CA file alone is still a verified setup.
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s holds no PEM certificate", o.CAFile)
	}
	t.TLSClientConfig.RootCAs = pool
	return t, nil
}

// Warnings describes risky settings, for the CLI to print before a run.
func (s *Source) Warnings() []string {
	var w []string
	if s.opts.InsecureSkipVerify {
		w = append(w, fmt.Sprintf("TLS certificate verification is off for %s: anyone on the network path can read and change the documents", s.db.Host))
	}
	if s.db.Scheme == "http" && s.opts.Password != "" {
		w = append(w, fmt.Sprintf("credentials are sent to %s over plain http", s.db.Host))
	}
	return w
}

// dbInfo is what GET /db says of the database.
type dbInfo struct {
	DBName    string          `json:"db_name"`
	DocCount  int64           `json:"doc_count"`
	UpdateSeq json.RawMessage `json:"update_seq"`
}

// info fetches the database's information.
func (s *Source) info(ctx context.Context, retries int) (dbInfo, error) {
	var in dbInfo
	if err := s.do(ctx, request{}, retries, &in); err != nil {
		return in, err
	}
	if in.DBName == "" || seqType(in.UpdateSeq) == "" {
		return in, fmt.Errorf("GET %s: the answer has no db_name or update_seq: is this a CouchDB database?", s.show(s.db.String()))
	}
	return in, nil
}

// Ping fetches the database's information, without retries.
func (s *Source) Ping(ctx context.Context) error {
	if _, err := s.info(ctx, 0); err != nil {
		return fmt.Errorf("couchdb: ping: %w", err)
	}
	return nil
}

// Size estimates the documents left after pos: the database's doc_count
// from the start, the rows of _all_docs after the last _id in the bulk
// phase (from its total_rows and offset; pouchdb-server always says offset
// 0, so there it counts every row), the server's "pending" count in the
// changes phase (CouchDB 2 and later; pouchdb-server gives none, so the
// size is unknown). With a filter it is unknown.
func (s *Source) Size(ctx context.Context, scope string, pos decant.Position) (int64, bool, error) {
	p, err := parsePosition(pos)
	if err != nil || len(s.opts.Filter) > 0 {
		return 0, false, err
	}
	retries := s.opts.retries()
	switch {
	case p == nil:
		in, err := s.info(ctx, retries)
		if err != nil {
			return 0, false, fmt.Errorf("couchdb: size: %w", err)
		}
		return in.DocCount, true, nil
	case p.Phase == phaseBulk:
		var page struct {
			TotalRows int64 `json:"total_rows"`
			Offset    int64 `json:"offset"`
		}
		q := url.Values{"limit": {"0"}, "startkey": {jsonString(p.Last)}}
		if err := s.do(ctx, request{path: "_all_docs", query: q}, retries, &page); err != nil {
			return 0, false, fmt.Errorf("couchdb: size: %w", err)
		}
		// The rows from startkey on hold the last one read, when it is
		// still there.
		return max(page.TotalRows-page.Offset-1, 0), true, nil
	}
	var page struct {
		Pending *int64 `json:"pending"`
	}
	q := url.Values{"since": {sinceParam(p.Since)}, "limit": {"1"}}
	if err := s.do(ctx, request{path: "_changes", query: q}, retries, &page); err != nil {
		return 0, false, fmt.Errorf("couchdb: size: %w", err)
	}
	if page.Pending == nil {
		return 0, false, nil
	}
	return *page.Pending + 1, true, nil
}

// Read streams the documents after pos (nil: from the start) until the
// changes feed has nothing more. scope replaces "${scope}" in the filter.
func (s *Source) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	p, err := parsePosition(pos)
	if err != nil {
		return nil, fmt.Errorf("couchdb: %s: %w", decant.RedactURL(s.rawURL), err)
	}
	sel, err := selector(s.opts.Filter, scope)
	if err != nil {
		return nil, fmt.Errorf("couchdb: filter: %w", err)
	}
	return &rows{src: s, pos: p, filter: sel}, nil
}

// Close releases idle connections. Rows already open keep working.
func (s *Source) Close() error {
	s.transport.CloseIdleConnections()
	return nil
}

// checkSince refuses a stored position that this database cannot have
// given: pouchdb-server answers a since it does not know with an empty
// page, which would end the read as if nothing had changed.
func (s *Source) checkSince(p *position, in dbInfo) error {
	have, want := seqType(p.Since), seqType(in.UpdateSeq)
	where := s.show(s.db.String())
	if have != want {
		return fmt.Errorf("%w: the position's seq %s is a %s, and %s's update_seq %s is a %s: the checkpoint was taken from another kind of server (pouchdb-server and CouchDB 1 count with numbers, CouchDB 2 and 3 with strings); reset the step's checkpoint to read the database again",
			ErrUnknownSince, p.Since, have, where, in.UpdateSeq, want)
	}
	if have == "number" && numberAfter(p.Since, in.UpdateSeq) {
		return fmt.Errorf("%w: the position's seq %s is beyond %s's update_seq %s: the database was deleted and created again, or is another one; reset the step's checkpoint to read it again",
			ErrUnknownSince, p.Since, where, in.UpdateSeq)
	}
	return nil
}

// ErrUnknownSince is wrapped by the error of a read from a position whose
// seq the database does not recognise.
var ErrUnknownSince = errors.New("the database does not know the position's seq")

// numberAfter reports whether the integer seq a is greater than b. It is
// only used to spot a database recreated since a position was taken, on
// servers whose seqs are integers; reading never orders seqs.
func numberAfter(a, b json.RawMessage) bool {
	var x, y json.Number
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xi, err1 := x.Int64()
	yi, err2 := y.Int64()
	return err1 == nil && err2 == nil && xi > yi
}

// jsonString is s as a JSON string, the form CouchDB wants for keys in a query.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
