package httpfeed_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/decanthq/decant/httpfeed"
)

// Ensure a ${scope} in the URL's query and path and in a header is the
// scope Read is given, escaped for its place: a scope holding '&', '/' or
// '=' stays one value and cannot add a parameter or a path segment.
func TestScopeInURLAndHeaders(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	type request struct{ path, domain, header, cursor string }
	var got []request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, request{r.URL.EscapedPath(), r.URL.Query().Get("domain"), r.Header.Get("X-Domain"), r.URL.Query().Get("timestamp")})
		mu.Unlock()
		w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	src, err := httpfeed.New(srv.URL+"/a/${scope}/forms?domain=${scope}&x=1",
		httpfeed.Config{Key: "id", Cursor: "v", Header: map[string]string{"X-Domain": "d-${scope}"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, scope := range []string{"acme", "b&x=2/c d"} {
		rows, err := src.Read(context.Background(), scope, nil)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next(context.Background()) {
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	want := []request{{"/a/acme/forms", "acme", "d-acme", "0"}, {"/a/b&x=2%2Fc%20d/forms", "b&x=2/c d", "d-b&x=2/c d", "0"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("requests = %+v, want %+v", got, want)
	}
}
