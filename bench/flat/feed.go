package flat

import (
	"net/http"
	"strconv"
)

// Feed serves records 1..N the way Drishti's feed does:
// GET ?timestamp=C&batch-size=K answers a JSON array of the first K records
// whose cursor (the id) is greater than C. Records are made on demand, so
// the server's memory does not grow with N.
type Feed struct {
	Seed uint64
	N    int64
}

// ServeHTTP answers one page.
func (f *Feed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	after, err := strconv.ParseInt(r.URL.Query().Get("timestamp"), 10, 64)
	if err != nil || after < 0 {
		http.Error(w, "timestamp: want an integer >= 0", http.StatusBadRequest)
		return
	}
	size, err := strconv.ParseInt(r.URL.Query().Get("batch-size"), 10, 64)
	if err != nil || size <= 0 {
		http.Error(w, "batch-size: want an integer > 0", http.StatusBadRequest)
		return
	}
	last := min(after+size, f.N)
	b := make([]byte, 0, 256*(max(last-after, 0)+1))
	b = append(b, '[')
	for i := after + 1; i <= last; i++ {
		if i > after+1 {
			b = append(b, ',')
		}
		b = Make(f.Seed, i).AppendJSON(b)
	}
	b = append(b, ']')
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
