package httpfeed_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant/httpfeed"
)

// fakeFeed is a Drishti-like feed: GET ?timestamp=T&batch-size=N answers the
// first N records whose serverVersion is greater than T (or, with ge, whose
// string cursor is >= T), as a top-level JSON array.
type fakeFeed struct {
	mu   sync.Mutex
	recs []fakeRec // sorted by cursor, then by insertion
	// ge switches to string cursors answered with >=.
	ge bool
	// fault, if set, may answer request n (from 1) itself and return true.
	fault    func(w http.ResponseWriter, r *http.Request, n int) bool
	requests []string // query strings received

	srv *httptest.Server
}

type fakeRec struct {
	id   string
	num  int64
	text string // the string cursor when ge
	json []byte
}

func newFeed(t testing.TB) *fakeFeed {
	f := &fakeFeed{}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// add appends a record with key id at version v, keeping the feed sorted.
func (f *fakeFeed) add(id string, v int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cursor any = strconv.FormatInt(v, 10)
	text := ""
	if f.ge {
		text = fmt.Sprintf("2024-01-01T00:%02d:%02dZ", v/60, v%60)
		cursor = text
	}
	b, err := json.Marshal(map[string]any{
		"instanceId": id, "serverVersion": cursor, "formName": "tt",
		"formInstance": `{"form":{"fields":[{"name":"id","value":"` + strconv.FormatInt(v, 10) + `"}]}}`,
	})
	if err != nil {
		panic(err)
	}
	r := fakeRec{id: id, num: v, text: text, json: b}
	i, _ := slices.BinarySearchFunc(f.recs, r, func(a, b fakeRec) int {
		if a.num <= b.num {
			return -1
		}
		return 1
	})
	f.recs = slices.Insert(f.recs, i, r)
}

// addGroups adds keys with versions from first on, in runs of random length
// 1..maxRun sharing one version.
func (f *fakeFeed) addGroups(keys []string, first int64, maxRun int, rng *rand.Rand) int64 {
	v := first
	for i := 0; i < len(keys); {
		n := 1 + rng.IntN(maxRun)
		for j := 0; j < n && i < len(keys); j++ {
			f.add(keys[i], v)
			i++
		}
		v += 1 + int64(rng.IntN(3))
	}
	return v
}

func (f *fakeFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.RawQuery)
	n := len(f.requests)
	fault := f.fault
	f.mu.Unlock()
	if fault != nil && fault(w, r, n) {
		return
	}
	size, err := strconv.Atoi(r.URL.Query().Get("batch-size"))
	if err != nil || size < 1 {
		http.Error(w, "bad batch-size", http.StatusBadRequest)
		return
	}
	page, err := f.page(r.URL.Query().Get("timestamp"), size)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(page)
}

func (f *fakeFeed) page(param string, size int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ts int64
	if !f.ge {
		var err error
		if ts, err = strconv.ParseInt(param, 10, 64); err != nil {
			return nil, fmt.Errorf("bad timestamp %q", param)
		}
	}
	i, _ := slices.BinarySearchFunc(f.recs, 0, func(r fakeRec, _ int) int {
		if (f.ge && r.text >= param) || (!f.ge && r.num > ts) {
			return 1
		}
		return -1
	})
	var b bytes.Buffer
	if i < len(f.recs) {
		b.Grow(min(size, len(f.recs)-i) * (len(f.recs[i].json) + 8))
	}
	b.WriteByte('[')
	for j := i; j < len(f.recs) && j < i+size; j++ {
		if j > i {
			b.WriteByte(',')
		}
		b.Write(f.recs[j].json)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

func (f *fakeFeed) ids() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, len(f.recs))
	for i, r := range f.recs {
		ids[i] = r.id
	}
	return ids
}

func (f *fakeFeed) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// drishti is the configuration of a Drishti feed.
func drishti(pageSize int) httpfeed.Config {
	return httpfeed.Config{
		PageSize:    pageSize,
		Key:         "instanceId",
		Cursor:      "serverVersion",
		BackoffBase: time.Millisecond,
		MaxBackoff:  10 * time.Millisecond,
	}
}
