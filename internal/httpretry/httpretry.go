// Package httpretry holds what decant's HTTP sources (httpfeed, couchdb)
// share about retrying a request: which errors are worth another attempt,
// how long to wait (the server's Retry-After, or exponential backoff with
// full jitter), and the small chores around a response. The sources do
// not import each other; both import this.
package httpretry

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Retryable marks an attempt's error as worth retrying. After is the wait
// the server asked for (Retry-After), zero if none.
type Retryable struct {
	Err   error
	After time.Duration
}

func (e *Retryable) Error() string { return e.Err.Error() }
func (e *Retryable) Unwrap() error { return e.Err }

// RetryAfter reads Retry-After as seconds or an HTTP date; zero when absent.
func RetryAfter(resp *http.Response, now time.Time) time.Duration {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// Backoff is the wait before retry attempt+1: what the server asked for
// (after), or a random wait below base*2^attempt (full jitter); both capped
// by ceiling.
func Backoff(attempt int, after, base, ceiling time.Duration) time.Duration {
	if after > 0 {
		return min(after, ceiling)
	}
	limit := ceiling
	if attempt < 32 {
		limit = min(base<<attempt, ceiling)
	}
	if limit <= 0 {
		return 0
	}
	return rand.N(limit + 1)
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// DrainClose reads a little of what is left so the connection can be
// reused, and closes body.
func DrainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// UnwrapURLError drops net/http's *url.Error wrapper, whose message repeats
// the URL with secrets in the query left in; callers name the redacted URL.
func UnwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
