// Package httpfeed reads records from a cursor-paginated HTTP JSON feed, such
// as Drishti's GET /all-form-submissions?timestamp=T&batch-size=N.
//
// # The cursor contract
//
// The feed sorts its records by a cursor value (Drishti's serverVersion) and
// answers a request with the first batch-size records whose cursor is
// STRICTLY GREATER than the cursor parameter. Many records may share one
// value, so a page can end in the middle of a value and the obvious "ask for
// more than the last value" loses the rest of that value (the pitfall that
// made Drishti drop records). httpfeed therefore never asks for "more than
// v": its position holds the last value v and the keys already read at v
// ("seen"), it asks for more than v-1 so the records at v come again, and
// drops the ones in seen. The next request asks for len(seen)+PageSize
// records, so every page brings PageSize new ones however many share v;
// while full pages stay inside one value the size doubles, up to MaxPageSize,
// so a wide value costs a few requests rather than one per PageSize records.
// The server must honour the size parameter up to MaxPageSize: a server that
// answers fewer records than asked while more share one value looks drained,
// and the read stops at that value. A page whose cursors go down fails
// ("not sorted by cursor") rather than risk skipping records.
//
// A position is JSON:
//
//	{"cursor":"1395689767509","seen":["d63b9ce5-…","f54e…"]}
//
// Reading from a nil position sends Start as the cursor parameter unchanged,
// so the first page holds what the server gives for it (records after Start
// for an int cursor).
//
// With CursorType "string" the server is assumed to answer records whose
// cursor is GREATER THAN OR EQUAL to the parameter (string values have no
// "minus one"); httpfeed sends the last value itself and drops what it has
// seen. Values compare as Go strings (bytewise), which must match the
// server's order.
//
// # Records without a key or a cursor
//
// A record whose Key path is missing is still yielded, with Key "", so the
// engine stores it as a per-record error. If it has a cursor it takes part in
// the position like any other, identified in seen by "sha256:" and the hash
// of its bytes, so it is neither lost nor read twice. A record whose cursor
// is missing or not a valid value (not an integer, for "int") is yielded
// with the previous cursor and the previous position (nil if nothing was
// read yet): it does not move the position, is read once per Read, and may
// be read again by a later Read that starts before it.
//
// A record with a cursor comes in cursor order, the feed's order of
// changes, and is marked so (decant.Record.Change): a live run's lag window
// may hold it. A record without one has no place in that order and is not.
//
// Every record's Where is "GET <url> item N", N counting from 0 in the
// page's items array; Raw is a copy of the item's JSON.
//
// # Faults
//
// Connection errors, timeouts, 5xx, 429 and 200 answers whose body is not
// valid JSON are retried with exponential backoff and full jitter; a
// Retry-After header (seconds or a date) replaces the backoff, capped by
// MaxBackoff. Other 4xx fail at once. A body that is still not
// JSON after the retries fails with an error wrapping [decant.ErrBadPage].
// Every URL in an error has its password and secret-looking query
// parameters replaced by "xxxxx".
package httpfeed

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/httpretry"
)

var (
	_ decant.Source = (*Source)(nil)
	_ decant.Pinger = (*Source)(nil)
)

// Cursor types.
const (
	CursorInt    = "int"
	CursorString = "string"
)

// Config configures a feed. The zero value of every field but Key and Cursor
// means its default.
type Config struct {
	// CursorParam is the query parameter carrying the cursor. Defaults to "timestamp".
	CursorParam string
	// SizeParam is the query parameter carrying the batch size. Defaults to "batch-size".
	SizeParam string
	// PageSize is how many new records a request asks for. Defaults to 100.
	PageSize int
	// MaxPageSize bounds the batch size when many records share one cursor
	// value; reading fails when more than about this many share one.
	// Defaults to 100 * PageSize.
	MaxPageSize int

	// Items is the gjson path of the array of records in a response. Empty
	// means the body itself is the array.
	Items string
	// Key is the gjson path of a record's key within an item. Required.
	Key string
	// Cursor is the gjson path of a record's cursor value within an item. Required.
	Cursor string
	// CursorType is "int" (the default: a number or a string of digits,
	// compared as int64) or "string" (compared bytewise; see the package doc).
	CursorType string
	// Start is the cursor parameter of the first request. Defaults to "0"
	// for int cursors and "" for string ones.
	Start string

	// Username and Password send HTTP basic auth. A user and password in
	// the URL are used the same way.
	Username string
	Password string
	// BearerToken sends "Authorization: Bearer <token>". It excludes basic auth.
	BearerToken string
	// Header holds extra request headers.
	Header map[string]string

	// CAFile is a PEM file of certificates trusted in addition to the system pool.
	CAFile string
	// InsecureSkipVerify turns off TLS certificate verification. Only for
	// tests and broken servers; Warnings reports it.
	InsecureSkipVerify bool

	// Timeout bounds each request, body included. Defaults to 30s.
	Timeout time.Duration
	// Retries is how many times a failed request is retried. Defaults to 5;
	// a negative value disables retries.
	Retries int
	// BackoffBase is the first retry's maximum wait; each retry doubles it,
	// and the actual wait is random below it (full jitter). Defaults to 500ms.
	BackoffBase time.Duration
	// MaxBackoff caps each wait, Retry-After included. Defaults to 30s.
	MaxBackoff time.Duration
	// MaxBody is the largest response body read, in bytes. Defaults to 64 MiB.
	MaxBody int64

	// HTTPClient replaces the client httpfeed builds. CAFile and
	// InsecureSkipVerify cannot be used with it.
	HTTPClient *http.Client
}

func (c Config) withDefaults() Config {
	c.CursorParam = cmp.Or(c.CursorParam, "timestamp")
	c.SizeParam = cmp.Or(c.SizeParam, "batch-size")
	c.PageSize = cmp.Or(c.PageSize, 100)
	c.MaxPageSize = cmp.Or(c.MaxPageSize, 100*c.PageSize)
	c.CursorType = cmp.Or(c.CursorType, CursorInt)
	if c.Start == "" && c.CursorType == CursorInt {
		c.Start = "0"
	}
	c.Timeout = cmp.Or(c.Timeout, 30*time.Second)
	switch {
	case c.Retries == 0:
		c.Retries = 5
	case c.Retries < 0:
		c.Retries = 0
	}
	c.BackoffBase = cmp.Or(c.BackoffBase, 500*time.Millisecond)
	c.MaxBackoff = cmp.Or(c.MaxBackoff, 30*time.Second)
	c.MaxBody = cmp.Or(c.MaxBody, 64<<20)
	return c
}

func (c Config) validate() error {
	switch {
	case c.Key == "":
		return errors.New("key path is required")
	case c.Cursor == "":
		return errors.New("cursor path is required")
	case c.CursorType != CursorInt && c.CursorType != CursorString:
		return fmt.Errorf("cursor type %q: want %q or %q", c.CursorType, CursorInt, CursorString)
	case c.PageSize < 1 || c.MaxPageSize < c.PageSize:
		return fmt.Errorf("page size %d, max page size %d: want 1 <= page size <= max", c.PageSize, c.MaxPageSize)
	case c.BearerToken != "" && (c.Username != "" || c.Password != ""):
		return errors.New("bearer token and basic auth exclude each other")
	case c.HTTPClient != nil && (c.CAFile != "" || c.InsecureSkipVerify):
		return errors.New("cafile and insecure-skip-verify cannot be used with a custom HTTP client")
	case c.Timeout < 0 || c.BackoffBase < 0 || c.MaxBackoff < 0 || c.MaxBody < 0:
		return errors.New("timeout, backoff and max body must not be negative")
	}
	if c.CursorType == CursorInt {
		if _, err := strconv.ParseInt(c.Start, 10, 64); err != nil {
			return fmt.Errorf("start %q is not an integer", c.Start)
		}
	}
	return nil
}

// Source is an HTTP feed. It is safe for concurrent use; each Read has its
// own position.
type Source struct {
	base   *url.URL
	cfg    Config
	client *http.Client
	// transport is the transport httpfeed built, closed by Close; nil when
	// the caller supplied the client.
	transport *http.Transport
}

// New returns a feed reading baseURL, an http or https URL whose query
// parameters are kept and whose cursor and size parameters are set on each
// request.
func New(baseURL string, cfg Config) (*Source, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		// net/url's message may quote a piece of a password it misread.
		return nil, fmt.Errorf("httpfeed: parse url %s: %w", decant.RedactURL(baseURL), decant.RedactError(httpretry.UnwrapURLError(err), baseURL))
	}
	if decant.MisreadPassword(baseURL) {
		return nil, fmt.Errorf("httpfeed: the password in %s holds '@', '/', '?' or '#', which a URL reads as delimiters: write them as %%40, %%2F, %%3F and %%23",
			decant.RedactURL(baseURL))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("httpfeed: url %s: want http(s)://host/...", decant.RedactURL(baseURL))
	}
	if u.User != nil {
		if cfg.Username != "" || cfg.BearerToken != "" {
			return nil, errors.New("httpfeed: credentials both in the url and in the config")
		}
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		u.User = nil
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("httpfeed: %w", err)
	}
	s := &Source{base: u, cfg: cfg, client: cfg.HTTPClient}
	if s.client == nil {
		if s.transport, err = newTransport(cfg); err != nil {
			return nil, fmt.Errorf("httpfeed: %w", err)
		}
		s.client = &http.Client{Transport: s.transport}
	}
	return s, nil
}

func newTransport(cfg Config) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify}
	if cfg.CAFile == "" {
		return t, nil
	}
	pem, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read cafile: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		// Without a system pool the CA file alone is still a verified setup.
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("cafile %s holds no PEM certificate", cfg.CAFile)
	}
	t.TLSClientConfig.RootCAs = pool
	return t, nil
}

// Warnings describes risky settings, for the CLI to print before a run.
func (s *Source) Warnings() []string {
	var w []string
	host := s.base.Host
	if s.cfg.InsecureSkipVerify {
		w = append(w, fmt.Sprintf("TLS certificate verification is off for %s: anyone on the network path can read and change the feed", host))
	}
	if s.base.Scheme == "http" && (s.cfg.Password != "" || s.cfg.BearerToken != "") {
		w = append(w, fmt.Sprintf("credentials are sent to %s over plain http", host))
	}
	return w
}

// Read streams the records after pos (nil: from Start) until the feed has
// nothing new. The feed has no notion of scope of its own: a ${scope} in
// the URL's path or query or in a header's value is the scope, escaped as
// its place needs.
func (s *Source) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	st, err := s.parsePosition(pos)
	if err != nil {
		return nil, fmt.Errorf("httpfeed: %w", err)
	}
	return newRows(s, scope, st), nil
}

// Ping is PingScope without a scope: a ${scope} of the URL or headers is
// sent empty.
func (s *Source) Ping(ctx context.Context) error { return s.PingScope(ctx, "") }

var _ decant.ScopePinger = (*Source)(nil)

// PingScope fetches one record from Start for scope, without retries, and
// checks that the answer holds the items array and that its first item has
// a key and a cursor at the configured paths.
func (s *Source) PingScope(ctx context.Context, scope string) error {
	u := s.pageURL(scope, s.cfg.Start, 1)
	body, err := s.fetch(ctx, scope, u, 0, new(bytes.Buffer))
	if err != nil {
		return fmt.Errorf("httpfeed: ping: %w", err)
	}
	where := decant.RedactURL(u)
	items, err := s.parsePage(body, where, 1)
	switch {
	case err != nil:
		return fmt.Errorf("httpfeed: ping: %w", err)
	case len(items) > 0 && items[0].key == "":
		return fmt.Errorf("httpfeed: ping: get %s: item 0 has no key at path %q", where, s.cfg.Key)
	case len(items) > 0 && !items[0].hasCursor:
		return fmt.Errorf("httpfeed: ping: get %s: item 0 has no %s cursor at path %q", where, s.cfg.CursorType, s.cfg.Cursor)
	}
	return nil
}

// Close releases idle connections. Rows already open keep working.
func (s *Source) Close() error {
	if s.transport != nil {
		s.transport.CloseIdleConnections()
	}
	return nil
}

// pageURL is the URL of the request sending cursor and size, for scope.
func (s *Source) pageURL(scope, cursor string, size int) string {
	u := *s.base
	if decant.HasScopeRef(u.Path) {
		u.Path, u.RawPath = scopedPath(u.Path, scope)
	}
	q := u.Query()
	for _, vs := range q {
		for i, v := range vs {
			vs[i] = decant.ExpandScope(v, scope, nil) // Encode escapes it
		}
	}
	q.Set(s.cfg.CursorParam, cursor)
	q.Set(s.cfg.SizeParam, strconv.Itoa(size))
	u.RawQuery = q.Encode()
	return u.String()
}

// scopedPath is a URL path with scope for its ${scope}, unescaped and
// escaped: a '/' or '?' in the scope stays in its segment.
func scopedPath(path, scope string) (unescaped, escaped string) {
	parts := strings.Split(path, decant.ScopeRef)
	for i, p := range parts {
		parts[i] = (&url.URL{Path: p}).EscapedPath()
	}
	return decant.ExpandScope(path, scope, nil), strings.Join(parts, url.PathEscape(scope))
}
