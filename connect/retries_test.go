package connect_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/plan"
)

// failingFeed is a feed that answers every request with 503 and counts them.
func failingFeed(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/feed", &n
}

// A plan's retries reach the feed: 0 means one request and no retry (not
// httpfeed's default of 5), and n means n+1 requests.
func TestFeedRetries(t *testing.T) {
	for _, tt := range []struct {
		name    string
		retries int
		want    int64
	}{
		{"Zero", 0, 1},
		{"Negative", -1, 1},
		{"One", 1, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url, requests := failingFeed(t)
			retries := tt.retries
			src, err := connect.OpenSource(url, t.TempDir(), plan.From{Key: "id", Cursor: "v", Options: &httpfeed.Options{Retries: &retries}})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rows, err := src.Read(context.Background(), "default", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			if rows.Next(context.Background()) {
				t.Fatalf("Next: got a record %+v from a feed that only fails", rows.Record())
			}
			if rows.Err() == nil {
				t.Fatal("Err: nil after a 503, want the feed's error")
			}
			if got := requests.Load(); got != tt.want {
				t.Errorf("retries: %d made %d requests, want %d", tt.retries, got, tt.want)
			}
		})
	}
}
