package httpfeed_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/httpfeed"
)

// Ensure Validate refuses what a plan can get wrong, each error naming the
// option so the plan loader can point at it.
func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		o      httpfeed.Options
		option string
	}{
		{"CursorType", httpfeed.Options{CursorType: "float"}, "cursor_type"},
		{"PageSize", httpfeed.Options{PageSize: -1}, "page_size"},
		{"BearerAndUser", httpfeed.Options{BearerToken: "t", Username: "u"}, "bearer_token"},
		{"BearerAndPassword", httpfeed.Options{BearerToken: "t", Password: "p"}, "bearer_token"},
		{"Timeout", httpfeed.Options{Timeout: -time.Second}, "timeout"},
		{"MaxBody", httpfeed.Options{MaxBody: -1}, "max_body"},
		{"StartNotInt", httpfeed.Options{Start: "2024-01-01"}, "start"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.o.Validate()
			var oe *decant.OptionError
			if !errors.As(err, &oe) || oe.Option != tt.option {
				t.Errorf("Validate = %v, want a *decant.OptionError naming %s", err, tt.option)
			}
		})
	}
	for _, o := range []httpfeed.Options{{}, {CursorType: "string", Start: "2024-01-01"}, {Start: "-5", PageSize: 1}} {
		if err := o.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", o, err)
		}
	}
}

// Ensure Options.Config keeps an explicit retries: 0 as "no retries"
// (Config reads 0 as the default) and a missing one as the default.
func TestOptionsRetries(t *testing.T) {
	t.Parallel()
	zero, neg, two := 0, -3, 2
	for _, tt := range []struct {
		retries *int
		want    int
	}{{nil, 0}, {&zero, -1}, {&neg, -1}, {&two, 2}} {
		o := httpfeed.Options{Retries: tt.retries}
		if got := o.Config("id", "v").Retries; got != tt.want {
			t.Errorf("Config(retries %v).Retries = %d, want %d", tt.retries, got, tt.want)
		}
	}
}

// Ensure Open sends what the options say: parameter names, page size,
// headers, and one request only with retries: 0.
func TestOpenUsesOptions(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		got.Store(r.URL.RawQuery + " " + r.Header.Get("X-Tenant"))
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	zero := 0
	src, err := httpfeed.Open(srv.URL, "id", "v", &httpfeed.Options{
		CursorParam: "since", SizeParam: "n", PageSize: 7, Start: "40", Retries: &zero,
		Header: map[string]string{"X-Tenant": "t1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rows, err := src.Read(context.Background(), decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next(context.Background()) || rows.Err() == nil {
		t.Fatal("Next succeeded on a feed that only fails")
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("made %d requests with retries: 0, want 1", n)
	}
	if q := got.Load(); q != "n=7&since=40 t1" {
		t.Errorf("request = %q, want query n=7&since=40 and header t1", q)
	}
	if _, err := httpfeed.Open(srv.URL, "id", "v", &httpfeed.Options{CursorType: "float"}); err == nil {
		t.Error("Open with cursor_type float succeeded")
	}
	if src, err := httpfeed.Open(srv.URL, "id", "v", nil); err != nil {
		t.Errorf("Open with nil options: %v", err)
	} else {
		src.Close()
	}
}
