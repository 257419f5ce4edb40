package httpfeed_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/decanthq/decant/httpfeed"
)

// Ensure a feed URL whose password net/url misreads does not show a piece
// of it in the parse error.
//
// Failed before the fix: "https://feed:Sec/ret@..." gave `invalid port
// ":Sec" after host`.
func TestNew_BadURLHidesPassword(t *testing.T) {
	t.Parallel()
	_, err := httpfeed.New("https://feed:Sec/ret@feed.example/forms", drishti(10))
	if err == nil || strings.Contains(err.Error(), "Sec") {
		t.Errorf("New error = %v, want one without the password", err)
	}
}

// Ensure a server that echoes the URL's token in an error answer does not
// put the token in decant's error.
//
// Failed before the fix: the answer's excerpt went into the error as sent.
func TestFetch_EchoedTokenHidden(t *testing.T) {
	t.Parallel()
	const token = "t0k-s3cret-x9"
	f := newFeed(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		http.Error(w, "forbidden: bad token "+r.URL.Query().Get("token"), http.StatusForbidden)
		return true
	}
	src, err := httpfeed.New(f.srv.URL+"/?token="+token, drishti(10))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	err = src.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "403") || strings.Contains(err.Error(), token) {
		t.Errorf("Ping error = %v, want the 403 without the token", err)
	}
}

// Ensure a feed URL whose password net/url would cut at a '?' is refused
// with the escapes to use, instead of sending requests to a host and query
// made of pieces of the password.
//
// Found by FuzzCheckHidesPassword (cli): "http://u:?01=@host/feed" asked
// host "u" for "?01=%40host..." and printed it.
func TestNew_MisreadPasswordRefused(t *testing.T) {
	t.Parallel()
	_, err := httpfeed.New("http://u:?01=xy@127.0.0.1:1/feed", drishti(10))
	if err == nil || strings.Contains(err.Error(), "01=xy") || !strings.Contains(err.Error(), "%3F") {
		t.Errorf("New error = %v, want a refusal naming %%3F, without the password", err)
	}
}
