package httpretry

import (
	"net/http"
	"testing"
	"time"
)

// Ensure Retry-After is read as seconds or as an HTTP date, never as a
// negative wait, and ignored when it is neither.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":     0,
		"7":    7 * time.Second,
		"-3":   0,
		"soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		resp := &http.Response{Header: http.Header{}}
		if v != "" {
			resp.Header.Set("Retry-After", v)
		}
		if got := RetryAfter(resp, now); got != want {
			t.Errorf("Retry-After %q = %v, want %v", v, got, want)
		}
	}
}

// Ensure a backoff is the server's wait when it gave one, capped, and
// otherwise at most base*2^attempt, capped, even for a huge attempt.
func TestBackoff(t *testing.T) {
	t.Parallel()
	if got := Backoff(0, 5*time.Second, time.Millisecond, 30*time.Second); got != 5*time.Second {
		t.Errorf("with Retry-After 5s: %v", got)
	}
	if got := Backoff(0, time.Hour, time.Millisecond, 30*time.Second); got != 30*time.Second {
		t.Errorf("with Retry-After 1h: %v, want the 30s cap", got)
	}
	for _, attempt := range []int{0, 3, 31, 40, 1000} {
		limit := min(time.Millisecond<<min(attempt, 31), 30*time.Second)
		if attempt >= 32 {
			limit = 30 * time.Second
		}
		for range 50 {
			if got := Backoff(attempt, 0, time.Millisecond, 30*time.Second); got < 0 || got > limit {
				t.Fatalf("attempt %d: %v, want within [0, %v]", attempt, got, limit)
			}
		}
	}
	if got := Backoff(3, 0, 0, 30*time.Second); got != 0 {
		t.Errorf("with no base: %v, want 0", got)
	}
}
