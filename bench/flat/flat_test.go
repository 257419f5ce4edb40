package flat_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/decanthq/decant/bench/flat"
)

// Ensure the JSONL and CSV files hold the same rows, so \copy and decant
// load the same data.
func TestJSONLMatchesCSV(t *testing.T) {
	const n = 200
	var jl, cs bytes.Buffer
	if err := flat.WriteJSONL(&jl, 7, n); err != nil {
		t.Fatal(err)
	}
	if err := flat.WriteCSV(&cs, 7, n); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || len(rows[0]) != len(flat.Columns) {
		t.Fatalf("csv has %d rows of %d fields, want %d of %d", len(rows), len(rows[0]), n+1, len(flat.Columns))
	}
	sc := bufio.NewScanner(&jl)
	for i := 1; sc.Scan(); i++ {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		attrs, _ := json.Marshal(rec["attrs"])
		var want map[string]any
		if err := json.Unmarshal([]byte(rows[i][5]), &want); err != nil {
			t.Fatalf("csv row %d attrs: %v", i, err)
		}
		wantAttrs, _ := json.Marshal(want)
		got := []string{strconv.FormatFloat(rec["id"].(float64), 'f', -1, 64), rec["name"].(string),
			rec["email"].(string), rec["created_at"].(string), rec["amount"].(string), string(attrs)}
		rows[i][5] = string(wantAttrs)
		for j := range got {
			if got[j] != rows[i][j] {
				t.Errorf("record %d column %s: jsonl %q, csv %q", i, flat.Columns[j], got[j], rows[i][j])
			}
		}
	}
}

// Ensure the feed pages like Drishti's: records with id > timestamp, at
// most batch-size of them, and an empty array past the end.
func TestFeed(t *testing.T) {
	srv := httptest.NewServer(&flat.Feed{Seed: 1, N: 25})
	defer srv.Close()
	get := func(query string) (int, []map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var items []map[string]any
		if resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(&items); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode, items
	}
	for _, tt := range []struct {
		query     string
		code      int
		first, nr int
	}{
		{"timestamp=0&batch-size=10", 200, 1, 10},
		{"timestamp=20&batch-size=10", 200, 21, 5},
		{"timestamp=25&batch-size=10", 200, 0, 0},
		{"timestamp=x&batch-size=10", 400, 0, 0},
		{"timestamp=0&batch-size=0", 400, 0, 0},
	} {
		code, items := get(tt.query)
		if code != tt.code || len(items) != tt.nr {
			t.Errorf("%s: %d with %d items, want %d with %d", tt.query, code, len(items), tt.code, tt.nr)
			continue
		}
		if tt.nr > 0 && int(items[0]["id"].(float64)) != tt.first {
			t.Errorf("%s: first id %v, want %d", tt.query, items[0]["id"], tt.first)
		}
	}
}
