// Command couch loads the benchmark's flat records into a CouchDB (or
// pouchdb-server) database and measures how fast it can be read.
//
//	couch load   -url http://127.0.0.1:5984/flat -n 200000 -batch 2000
//	couch read   -url http://127.0.0.1:5984/flat -page 1000 [-conflicts]
//	couch source -url http://127.0.0.1:5984/flat -page 1000
//
// load creates the database (if missing) and writes records 1..n with
// _bulk_docs, _id the record's id on 9 digits so that _id order is id order.
// read is the ceiling: a plain client reading every page of
// _all_docs?include_docs=true (keyset by startkey, as the source pages) to
// /dev/null (with -conflicts, asking for conflicts=true as the source
// does). source reads the same database with decant's couchdb source,
// both phases. Each prints one line: what it did, the count, seconds and
// documents per second; read and source fail unless they count n documents
// when -n is given.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/bench/flat"
	"github.com/decanthq/decant/couchdb"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "couch: want load, read or source; see the package doc")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dbURL := fs.String("url", "http://127.0.0.1:5984/flat", "database URL (http)")
	n := fs.Int64("n", 0, "records to load; for read and source, the count to expect (0: any)")
	batch := fs.Int("batch", 2000, "documents per _bulk_docs request")
	page := fs.Int("page", 1000, "documents per page when reading")
	seed := fs.Uint64("seed", 1, "random seed of the records")
	conflicts := fs.Bool("conflicts", false, "read: ask for conflicts=true, as the source does")
	_ = fs.Parse(os.Args[2:])

	ctx := context.Background()
	start := time.Now()
	var count int64
	var err error
	switch os.Args[1] {
	case "load":
		count, err = load(*dbURL, *seed, *n, *batch)
	case "read":
		count, err = read(*dbURL, *page, *conflicts)
	case "source":
		count, err = readSource(ctx, *dbURL, *page)
	default:
		err = fmt.Errorf("unknown command %q: want load, read or source", os.Args[1])
	}
	if err == nil && os.Args[1] != "load" && *n > 0 && count != *n {
		err = fmt.Errorf("read %d documents, want %d", count, *n)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "couch:", err)
		os.Exit(1)
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%-7s %9d documents %7.2f s %10.0f documents/s\n", os.Args[1], count, secs, float64(count)/max(secs, 0.001))
}

// load creates the database and writes records 1..n in batches.
func load(dbURL string, seed uint64, n int64, batch int) (int64, error) {
	if n <= 0 || batch <= 0 {
		return 0, fmt.Errorf("load needs -n > 0 and -batch > 0")
	}
	req, _ := http.NewRequest(http.MethodPut, dbURL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusPreconditionFailed {
		return 0, fmt.Errorf("create %s: %s", dbURL, resp.Status)
	}
	var body []byte
	for i := int64(1); i <= n; {
		body = append(body[:0], `{"docs":[`...)
		for j := 0; j < batch && i <= n; j, i = j+1, i+1 {
			if j > 0 {
				body = append(body, ',')
			}
			body = append(body, `{"_id":"`...)
			body = fmt.Appendf(body, "%09d", i)
			body = append(body, `",`...)
			body = append(body, flat.Make(seed, i).AppendJSON(nil)[1:]...)
		}
		body = append(body, "]}"...)
		resp, err := http.Post(dbURL+"/_bulk_docs", "application/json", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("_bulk_docs: %s: %.300s", resp.Status, b)
		}
		if bytes.Contains(b, []byte(`"error"`)) {
			return 0, fmt.Errorf("_bulk_docs refused documents: %.300s", b)
		}
	}
	return n, nil
}

// read pages through _all_docs?include_docs=true with a plain client,
// decoding only the ids it pages by.
func read(dbURL string, page int, conflicts bool) (int64, error) {
	var count int64
	last := ""
	for {
		q := url.Values{"include_docs": {"true"}, "limit": {strconv.Itoa(page + 1)}}
		if conflicts {
			q.Set("conflicts", "true")
		}
		if last != "" {
			b, _ := json.Marshal(last)
			q.Set("startkey", string(b))
		}
		resp, err := http.Get(dbURL + "/_all_docs?" + q.Encode())
		if err != nil {
			return count, err
		}
		var res struct {
			Rows []struct {
				ID  string          `json:"id"`
				Doc json.RawMessage `json:"doc"`
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			return count, err
		}
		rows := res.Rows
		if len(rows) > 0 && rows[0].ID == last {
			rows = rows[1:]
		}
		for _, r := range rows {
			_, _ = io.Discard.Write(r.Doc)
		}
		count += int64(len(rows))
		if len(rows) == 0 {
			return count, nil
		}
		last = rows[len(rows)-1].ID
	}
}

// readSource reads the database with decant's couchdb source.
func readSource(ctx context.Context, dbURL string, page int) (int64, error) {
	src, err := couchdb.Open("couchdb+"+dbURL, "", "", &couchdb.Options{PageSize: page})
	if err != nil {
		return 0, err
	}
	defer src.Close()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var count int64
	for rows.Next(ctx) {
		count++
	}
	return count, rows.Err()
}
