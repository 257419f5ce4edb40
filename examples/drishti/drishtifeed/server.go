package drishtifeed

import (
	"bytes"
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Path is where the feed answers, as on the real server.
const Path = "/all-form-submissions"

// Fault is a failure the server can inject into a response.
type Fault int

// Faults.
const (
	// NoFault answers normally.
	NoFault Fault = iota
	// InternalError answers 500 with an HTML error page, as a servlet
	// container does.
	InternalError
	// Unavailable answers 503.
	Unavailable
	// Truncated answers 200 with the first half of the JSON body only, as
	// when a proxy cuts the connection.
	Truncated
	// Reset closes the connection without answering.
	Reset
)

// Server serves GET /all-form-submissions?timestamp=T&batch-size=N like
// dristhi's FormSubmissionController: the submissions whose serverVersion is
// strictly greater than T (a CouchDB view queried from T+1), sorted by
// serverVersion, submissions sharing one serverVersion in a stable order (by
// instanceId, as CouchDB orders equal keys by document id), at most N of
// them (all when batch-size is absent), as a top-level JSON array.
//
// A missing or non-numeric timestamp is answered 400, as Spring does for a
// required Long parameter. It is safe for concurrent use, and submissions may
// be added while it serves.
type Server struct {
	mu       sync.RWMutex
	versions []int64
	subs     []Submission
	encoded  [][]byte
	user     string
	password string
	delay    time.Duration
	fault    func(n int64) Fault

	requests atomic.Int64
}

// NewServer returns a server holding subs.
func NewServer(subs []Submission) *Server {
	s := &Server{}
	s.Add(subs...)
	return s
}

// Add adds submissions to the feed. A submission whose instanceId the feed
// already holds is skipped, as dristhi does ("already exists").
func (s *Server) Add(subs ...Submission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := make(map[string]bool, len(s.subs))
	for _, x := range s.subs {
		seen[x.InstanceID] = true
	}
	for _, x := range subs {
		if seen[x.InstanceID] {
			continue
		}
		seen[x.InstanceID] = true
		b, err := json.Marshal(x)
		if err != nil {
			panic(err) // a struct of strings always marshals
		}
		s.subs = append(s.subs, x)
		s.encoded = append(s.encoded, b)
	}
	idx := make([]int, len(s.subs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(s.subs[a].Version(), s.subs[b].Version()),
			cmp.Compare(s.subs[a].InstanceID, s.subs[b].InstanceID))
	})
	subs2 := make([]Submission, len(idx))
	enc2 := make([][]byte, len(idx))
	s.versions = make([]int64, len(idx))
	for i, j := range idx {
		subs2[i], enc2[i] = s.subs[j], s.encoded[j]
		s.versions[i] = s.subs[j].Version()
	}
	s.subs, s.encoded = subs2, enc2
}

// Submissions returns the feed's submissions in the order it serves them.
func (s *Server) Submissions() []Submission {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.subs)
}

// Len returns the number of submissions in the feed.
func (s *Server) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.subs)
}

// Requests returns how many requests the server has received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// SetBasicAuth makes the server require HTTP basic auth with user and
// password; an empty user turns it off.
func (s *Server) SetBasicAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.password = user, password
}

// SetDelay makes every request wait d before it is answered.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetFaults makes the server ask f, before answering request n (counted from
// 1 over the server's life), which fault to inject; nil injects none.
func (s *Server) SetFaults(f func(n int64) Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	s.mu.RLock()
	user, password, delay, fault := s.user, s.password, s.delay, s.fault
	s.mu.RUnlock()

	if r.URL.Path != Path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if user != "" && !authorized(r, user, password) {
		w.Header().Set("WWW-Authenticate", `Basic realm="dristhi"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	after, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		http.Error(w, "Required Long parameter 'timestamp' is not present or not a number", http.StatusBadRequest)
		return
	}
	limit := -1
	if v := q.Get("batch-size"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			http.Error(w, "parameter 'batch-size' is not a non-negative integer", http.StatusBadRequest)
			return
		}
	}
	if delay > 0 && !sleep(r.Context(), delay) {
		return
	}
	f := NoFault
	if fault != nil {
		f = fault(n)
	}
	switch f {
	case InternalError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<html><body><h2>HTTP ERROR 500</h2><p>Problem accessing /all-form-submissions.</p></body></html>")
		return
	case Unavailable:
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	case Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	body := s.page(after, limit)
	if f == Truncated {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// page encodes the submissions after the serverVersion after, at most limit
// of them (all when limit < 0).
func (s *Server) page(after int64, limit int) []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	lo, _ := slices.BinarySearch(s.versions, after+1)
	if after == 1<<63-1 {
		lo = len(s.versions)
	}
	hi := len(s.versions)
	if limit >= 0 && lo+limit < hi {
		hi = lo + limit
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i := lo; i < hi; i++ {
		if i > lo {
			b.WriteByte(',')
		}
		b.Write(s.encoded[i])
	}
	b.WriteByte(']')
	return b.Bytes()
}

func authorized(r *http.Request, user, password string) bool {
	u, p, ok := r.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(u), []byte(user)) == 1 &&
		subtle.ConstantTimeCompare([]byte(p), []byte(password)) == 1
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
