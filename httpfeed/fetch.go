package httpfeed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/httpretry"
	"github.com/tidwall/gjson"
)

// excerptLen is how much of an error response body goes into the error.
const excerptLen = 512

// fetch GETs rawURL and returns a body that is valid JSON, read into buf,
// retrying up to retries times. Errors name the URL with its secrets redacted,
// and hide them elsewhere too (a server may echo a token in its answer).
func (s *Source) fetch(ctx context.Context, scope, rawURL string, retries int, buf *bytes.Buffer) ([]byte, error) {
	where := decant.RedactURL(rawURL)
	for attempt := 0; ; attempt++ {
		body, err := s.attempt(ctx, scope, rawURL, buf)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, decant.RedactError(fmt.Errorf("get %s: %w", where, context.Cause(ctx)), rawURL)
		}
		var r *httpretry.Retryable
		if !errors.As(err, &r) {
			return nil, decant.RedactError(fmt.Errorf("get %s: %w", where, err), rawURL)
		}
		if attempt >= retries {
			return nil, decant.RedactError(fmt.Errorf("get %s: %d attempts: %w", where, attempt+1, r.Err), rawURL)
		}
		if err := httpretry.Sleep(ctx, httpretry.Backoff(attempt, r.After, s.cfg.BackoffBase, s.cfg.MaxBackoff)); err != nil {
			return nil, decant.RedactError(fmt.Errorf("get %s: %w (waiting to retry after: %v)", where, err, r.Err), rawURL)
		}
	}
}

// attempt makes one request. Its error is a *httpretry.Retryable when another attempt
// may succeed.
func (s *Source) attempt(ctx context.Context, scope, rawURL string, buf *bytes.Buffer) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, httpretry.UnwrapURLError(err)
	}
	s.authorize(req, scope)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, &httpretry.Retryable{Err: httpretry.UnwrapURLError(err)}
	}
	defer httpretry.DrainClose(resp.Body)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return nil, &httpretry.Retryable{Err: statusError(resp), After: httpretry.RetryAfter(resp, time.Now())}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp)
	}
	body, err := readBody(resp, s.cfg.MaxBody, buf)
	if err != nil {
		return nil, err
	}
	if !gjson.ValidBytes(body) {
		return nil, &httpretry.Retryable{Err: badPage(body)}
	}
	return body, nil
}

// authorize sets the request's headers: the plan's, with scope for their
// ${scope}, and its credentials.
func (s *Source) authorize(req *http.Request, scope string) {
	req.Header.Set("Accept", "application/json")
	for k, v := range s.cfg.Header {
		req.Header.Set(k, decant.ExpandScope(v, scope, nil))
	}
	switch {
	case s.cfg.BearerToken != "":
		req.Header.Set("Authorization", "Bearer "+s.cfg.BearerToken)
	case s.cfg.Username != "" || s.cfg.Password != "":
		req.SetBasicAuth(s.cfg.Username, s.cfg.Password)
	}
}

// readBody reads at most limit bytes into buf, reusing its memory. A longer
// body is an error that retries cannot fix; a body cut short by the
// connection can be retried.
func readBody(resp *http.Response, limit int64, buf *bytes.Buffer) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("body of %d bytes is larger than the limit of %d bytes", resp.ContentLength, limit)
	}
	buf.Reset()
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &httpretry.Retryable{Err: fmt.Errorf("read body after %d bytes: %w", n, err)}
	}
	if n > limit {
		return nil, fmt.Errorf("body is larger than the limit of %d bytes", limit)
	}
	return buf.Bytes(), nil
}

// badPage describes a body that is not JSON, with the parser's reason.
func badPage(body []byte) error {
	var m json.RawMessage
	reason := "invalid JSON"
	if err := json.Unmarshal(body, &m); err != nil {
		reason = err.Error()
	}
	return fmt.Errorf("%w: %d bytes: %s", decant.ErrBadPage, len(body), reason)
}

func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, excerptLen))
	text := strings.TrimSpace(strings.ToValidUTF8(string(b), string(utf8.RuneError)))
	if text == "" {
		return fmt.Errorf("status %s", resp.Status)
	}
	return fmt.Errorf("status %s: %q", resp.Status, text)
}
