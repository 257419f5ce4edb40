package files_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/internal/sourcetest"
)

// Ensure JSON Lines keys are read byte-exactly: look-alike keys that differ
// only in invalid UTF-8 or an escaped lone surrogate stay distinct records
// (the decoder then fails each one), instead of all reading "k\uFFFD".
func TestJSONLKeysByteExact(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "k.jsonl")
	writeFile(t, path, "{\"id\":\"k\xff\",\"v\":\"c\xff\"}\n"+
		"{\"id\":\"k\xfe\"}\n"+
		"{\"id\":\"k\xef\xbf\xbd\"}\n"+
		`{"id":"k\ud800"}`+"\n")
	recs := sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "id", Cursor: "v"}), nil)
	var keys []string
	for _, r := range recs {
		keys = append(keys, r.Key)
	}
	want := []string{"k\xff", "k\xfe", "k\ufffd", "k\xed\xa0\x80"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if recs[0].Cursor != "c\xff" || string(recs[1].Raw) != "{\"id\":\"k\xfe\"}" {
		t.Errorf("record 1 cursor %q, record 2 raw %q: want them byte-exact", recs[0].Cursor, recs[1].Raw)
	}
}

// Ensure a CSV row that is not valid UTF-8 is a failed record that says
// which column and byte, keeps its key as it is, and never reaches Raw as
// U+FFFD in a row that would load; valid U+FFFD text loads as usual.
func TestCSVInvalidUTF8(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "u.csv")
	writeFile(t, path, "id,name\n"+
		"k\xff,a\n"+
		"k\xfe,b\n"+
		"k\xef\xbf\xbd,c\n"+
		"7,Jos\xe9\n")
	src := newSource(t, path, files.Config{Key: "id"})
	recs := sourcetest.ReadAll(t, src, nil)
	got := toRecs(recs)
	want := []rec{
		{"k\xff", "", "k\xff,a\n",
			`{"offset":13,"line":2}`, path + ":2", `column "id" is not valid UTF-8 at byte 1 of its value`},
		{"k\xfe", "", "k\xfe,b\n",
			`{"offset":18,"line":3}`, path + ":3", `column "id" is not valid UTF-8 at byte 1 of its value`},
		{"k\ufffd", "", `{"id":"k` + "\ufffd" + `","name":"c"}`, `{"offset":25,"line":4}`, path + ":4", ""},
		{"7", "", "7,Jos\xe9\n",
			`{"offset":32,"line":5}`, path + ":5", `column "name" is not valid UTF-8 at byte 3 of its value`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	// Resuming after a bad row goes on with the next one.
	if rest := sourcetest.ReadAll(t, src, recs[0].Position); len(rest) != 3 || rest[0].Where != path+":3" {
		t.Errorf("resume after the first bad row: %d records, first at %q", len(rest), rest[0].Where)
	}
}

// Ensure a header that is not valid UTF-8 (a file saved as Latin-1) stops
// the read and Ping with advice, instead of failing every row.
func TestCSVHeaderInvalidUTF8(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "latin1.csv")
	writeFile(t, path, "id,r\xe9sum\xe9\n1,x\n")
	src := newSource(t, path, files.Config{Key: "id"})
	want := path + `: column 2 of the header is not valid UTF-8 ("r\xe9sum\xe9"); save the file as UTF-8`
	if err := src.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Ping = %v, want %q", err, want)
	}
	if _, err := src.Read(context.Background(), "", nil); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Read = %v, want %q", err, want)
	}
}

// Ensure a CSV row with too few or too many fields says so, with the
// counts, in Invalid (the stored error's message), not as a missing key.
func TestCSVFieldCount(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "n.csv")
	writeFile(t, path, "a,b,c,d,e\n1,2,3,4\n1,2,3,4,5,6\n")
	recs := sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "a"}), nil)
	if len(recs) != 2 || recs[0].Invalid != "row has 4 fields, the header has 5" || recs[0].Where != path+":2" ||
		recs[1].Invalid != "row has 6 fields, the header has 5" || recs[1].Where != path+":3" {
		t.Errorf("records: %+v", recs)
	}
	path = filepath.Join(t.TempDir(), "h.csv")
	writeFile(t, path, "1,2\n3\n")
	recs = sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "a", NoHeader: true, Columns: []string{"a", "b"}}), nil)
	if len(recs) != 2 || recs[1].Invalid != "row has 1 field, the columns setting names 2" {
		t.Errorf("records without a header: %+v", recs)
	}
}
