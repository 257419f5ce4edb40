package couchdb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/httpretry"
)

// excerptLen is how much of an error response body goes into the error.
const excerptLen = 512

// maxBackoff caps each wait between retries, Retry-After included.
const maxBackoff = 30 * time.Second

// StatusError is an answer of CouchDB that retrying cannot change: the
// status, CouchDB's error and reason, and what to do about it.
type StatusError struct {
	Status int
	// Error and Reason are CouchDB's "error" and "reason" fields, when the
	// body had them.
	CouchError, Reason string
	// Hint says how to fix it, when decant knows.
	Hint string
	body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("status %d %s", e.Status, http.StatusText(e.Status))
	switch {
	case e.CouchError != "":
		msg += fmt.Sprintf(": %s: %s", e.CouchError, e.Reason)
	case e.body != "":
		msg += fmt.Sprintf(": %q", e.body)
	}
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

// request is one call to CouchDB: a path under the database (empty for the
// database itself), its query and, for a POST, a JSON body.
type request struct {
	path  string
	query url.Values
	body  any
}

// do sends r, retrying connection errors, timeouts, 5xx and 429 up to the
// configured retries, and decodes the JSON answer into out. Errors name the
// URL without its secrets.
func (s *Source) do(ctx context.Context, r request, retries int, out any) error {
	u := s.url(r)
	method := http.MethodGet
	var body []byte
	if r.body != nil {
		method = http.MethodPost
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("%s %s: encode body: %w", method, decant.RedactURL(u), err)
		}
	}
	where := method + " " + s.show(u)
	for attempt := 0; ; attempt++ {
		err := s.attempt(ctx, method, u, body, out)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return decant.RedactError(fmt.Errorf("%s: %w", where, context.Cause(ctx)), u, s.rawURL, s.secretURL)
		}
		var re *httpretry.Retryable
		if !errors.As(err, &re) {
			return decant.RedactError(fmt.Errorf("%s: %w", where, err), u, s.rawURL, s.secretURL)
		}
		if attempt >= retries {
			return decant.RedactError(fmt.Errorf("%s: %d attempts: %w", where, attempt+1, re.Err), u, s.rawURL, s.secretURL)
		}
		if err := httpretry.Sleep(ctx, httpretry.Backoff(attempt, re.After, s.opts.backoffBase, maxBackoff)); err != nil {
			return decant.RedactError(fmt.Errorf("%s: %w (waiting to retry after: %v)", where, err, re.Err), u, s.rawURL, s.secretURL)
		}
	}
}

// show is u as errors name it: with the user, if any, and the password
// hidden.
func (s *Source) show(u string) string {
	if s.opts.Username == "" {
		return decant.RedactURL(u)
	}
	p, err := url.Parse(u)
	if err != nil {
		return decant.RedactURL(u)
	}
	p.User = url.User(s.opts.Username)
	if s.opts.Password != "" {
		p.User = url.UserPassword(s.opts.Username, decant.Redacted)
	}
	return decant.RedactURL(p.String())
}

// url is the full URL of r. A path that starts with "/" is taken from the
// server's root (the database URL's parent) instead of the database.
func (s *Source) url(r request) string {
	u := *s.db
	if root, ok := strings.CutPrefix(r.path, "/"); ok {
		u.Path = u.Path[:strings.LastIndex(u.Path, "/")+1] + root
		u.RawPath = ""
		u.RawQuery = r.query.Encode()
		return u.String()
	}
	if r.path != "" {
		u.Path += "/" + r.path
		u.RawPath = ""
		if s.db.RawPath != "" {
			u.RawPath = s.db.RawPath + "/" + r.path
		}
	}
	u.RawQuery = r.query.Encode()
	return u.String()
}

// attempt makes one request. Its error is a *httpretry.Retryable when another attempt
// may succeed.
func (s *Source) attempt(ctx context.Context, method, rawURL string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return httpretry.UnwrapURLError(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.opts.Username != "" || s.opts.Password != "" {
		req.SetBasicAuth(s.opts.Username, s.opts.Password)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return &httpretry.Retryable{Err: httpretry.UnwrapURLError(err)}
	}
	defer httpretry.DrainClose(resp.Body)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return &httpretry.Retryable{Err: statusError(resp), After: httpretry.RetryAfter(resp, time.Now())}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(resp)
	}
	b, err := readBody(resp, s.opts.MaxBody)
	if err != nil {
		return err
	}
	decode := json.Unmarshal
	if pd, ok := out.(pageDecoder); ok {
		decode = func(b []byte, _ any) error { return pd.decodePage(b) }
	}
	if err := decode(b, out); err != nil {
		// A body cut short or garbled by a proxy may come right next time.
		return &httpretry.Retryable{Err: fmt.Errorf("%w: %d bytes: %v", decant.ErrBadPage, len(b), err)}
	}
	return nil
}

// statusError reads CouchDB's {"error","reason"} and adds what to do for
// the answers a user can fix.
func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, excerptLen))
	e := &StatusError{Status: resp.StatusCode, body: strings.TrimSpace(strings.ToValidUTF8(string(b), string(utf8.RuneError)))}
	var couch struct{ Error, Reason string }
	if json.Unmarshal(b, &couch) == nil {
		e.CouchError, e.Reason = couch.Error, couch.Reason
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Hint = "check the user and password, in the connection URL or the username and password options"
	case http.StatusForbidden:
		e.Hint = "the user may not read this database: add it to the database's _security members, or use another user"
	case http.StatusNotFound:
		e.Hint = "no such database: check the database name at the end of the connection URL"
	}
	return e
}

// readBody reads at most limit bytes. A longer body is an error that
// retries cannot fix; a body cut short by the connection can be retried.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("body of %d bytes is larger than max_body, %d bytes: lower page_size or raise max_body", resp.ContentLength, limit)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &httpretry.Retryable{Err: fmt.Errorf("read body after %d bytes: %w", n, err)}
	}
	if n > limit {
		return nil, fmt.Errorf("body is larger than max_body, %d bytes: lower page_size or raise max_body", limit)
	}
	return buf.Bytes(), nil
}
