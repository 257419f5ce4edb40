package files_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/google/go-cmp/cmp"
)

func TestConformanceJSONL(t *testing.T) {
	sourcetest.Run(t, harness(".jsonl", files.Config{Key: "id", Cursor: "n"}, func(keys []string) string {
		var b strings.Builder
		for i, k := range keys {
			line, _ := json.Marshal(map[string]any{"id": k, "n": i, "note": "a\nb"})
			b.Write(line)
			b.WriteString("\n")
			if i%5 == 2 {
				b.WriteString("\n") // blank lines are skipped, not records
			}
		}
		return b.String()
	}))
}

func TestConformanceCSV(t *testing.T) {
	sourcetest.Run(t, harness(".csv", files.Config{Key: "id"}, func(keys []string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		for i, k := range keys {
			note := "plain"
			if i%4 == 1 {
				note = "two\nlines, \"quoted\""
			}
			_ = w.Write([]string{k, note, fmt.Sprint(i)})
		}
		w.Flush()
		return b.String()
	}, "id,note,n\n"))
}

// harness makes sources over a file of the given extension; body renders
// records, and head (if any) starts the file.
func harness(ext string, cfg files.Config, body func(keys []string) string, head ...string) sourcetest.Harness {
	var mu sync.Mutex
	paths := map[decant.Source]string{}
	return sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			path := filepath.Join(t.TempDir(), "data"+ext)
			writeFile(t, path, strings.Join(head, "")+body(keys))
			src := newSource(t, path, cfg)
			mu.Lock()
			paths[src] = path
			mu.Unlock()
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) {
			mu.Lock()
			path := paths[src]
			mu.Unlock()
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString(body(keys)); err != nil {
				t.Fatal(err)
			}
		},
	}
}

func TestJSONL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "forms.ndjson")
	writeFile(t, path, "\xEF\xBB\xBF"+`{"id":"a","v":1}`+"\r\n"+
		"\n"+
		`{"id":"b",`+"\n"+ // not JSON: still a record, without a key
		`{"id":7,"v":2}`+"\n"+
		`{"id":{"x":1}}`+"\n"+ // a key that is not a scalar
		`{"id":"c"}`) // no newline at the end
	src := newSource(t, path, files.Config{Key: "id", Cursor: "v"})
	recs := sourcetest.ReadAll(t, src, nil)
	got := toRecs(recs)
	want := []rec{
		{"a", "1", `{"id":"a","v":1}`, `{"offset":21,"line":1}`, path + ":1", ""},
		{"", "", `{"id":"b",`, `{"offset":33,"line":3}`, path + ":3", ""},
		{"7", "2", `{"id":7,"v":2}`, `{"offset":48,"line":4}`, path + ":4", ""},
		{"", "", `{"id":{"x":1}}`, `{"offset":63,"line":5}`, path + ":5", ""},
		{"c", "", `{"id":"c"}`, `{"offset":73,"line":6}`, path + ":6", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	rest := sourcetest.ReadAll(t, src, recs[1].Position)
	if rest[0].Where != path+":4" || len(rest) != 3 {
		t.Errorf("resume after line 3: first at %s, %d records", rest[0].Where, len(rest))
	}
}

func TestJSONLLineTooLong(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.jsonl")
	writeFile(t, path, `{"id":"a"}`+"\n"+`{"id":"b","pad":"`+strings.Repeat("x", 200)+`"}`+"\n")
	recs, err := drain(newSource(t, path, files.Config{Key: "id", MaxRecord: 100}), nil)
	if err == nil || !strings.Contains(err.Error(), path+":2: line longer than 100 bytes") {
		t.Fatalf("long line: %v", err)
	}
	if len(recs) != 1 {
		t.Errorf("%d records before the long line, want 1", len(recs))
	}
}

func TestCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "people.csv")
	writeFile(t, path, "\xEF\xBB\xBFid,name,\"no\"\"te\"\r\n"+
		"1,Asha,\"multi\r\nline\"\r\n"+
		"\r\n"+
		"2,Bo,<&>\u2028\r\n"+
		"3,Cy\r\n"+ // too few fields
		"4,D\"i,x\r\n"+ // bare quote
		",E,no key\r\n"+
		"6,F,last")
	src := newSource(t, path, files.Config{Key: "id", Cursor: "name"})
	recs := sourcetest.ReadAll(t, src, nil)
	got := toRecs(recs)
	want := []rec{
		{"1", "Asha", `{"id":"1","name":"Asha","no\"te":"multi\nline"}`, `{"offset":43,"line":3}`, path + ":2", ""},
		{"2", "Bo", `{"id":"2","name":"Bo","no\"te":"<&>\u2028"}`, `{"offset":58,"line":5}`, path + ":5", ""},
		{"", "", "3,Cy\r\n", `{"offset":64,"line":6}`, path + ":6",
			"row has 2 fields, the header has 3"},
		{"", "", "4,D\"i,x\r\n", `{"offset":73,"line":7}`, path + ":7",
			`line 7, column 4: bare " in non-quoted-field`},
		{"", "E", `{"id":"","name":"E","no\"te":"no key"}`, `{"offset":84,"line":8}`, path + ":8", ""},
		{"6", "F", `{"id":"6","name":"F","no\"te":"last"}`, `{"offset":92,"line":9}`, path + ":9", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	for i, r := range recs {
		if r.Invalid == "" && !json.Valid(r.Raw) {
			t.Errorf("record %d raw is not JSON: %s", i, r.Raw)
		}
		rest := sourcetest.ReadAll(t, src, r.Position)
		if diff := cmp.Diff(got[i+1:], toRecs(rest)); diff != "" {
			t.Errorf("resume after record %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestCSVUnterminatedQuote(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.csv")
	writeFile(t, path, "id,v\n1,a\n2,\"open\n3,c\n")
	recs := sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "id"}), nil)
	if len(recs) != 2 || recs[1].Key != "" || !strings.Contains(recs[1].Invalid, `extraneous or missing " in quoted-field`) ||
		string(recs[1].Raw) != "2,\"open\n3,c\n" || recs[1].Where != path+":3" ||
		string(recs[1].Position) != `{"offset":21,"line":4}` {
		t.Errorf("unterminated quote: %+v", recs)
	}
}

func TestCSVRecordTooLong(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	writeFile(t, path, "id,v\n1,a\n2,\""+strings.Repeat("x\n", 200<<10))
	recs, err := drain(newSource(t, path, files.Config{Key: "id", MaxRecord: 1000}), nil)
	if err == nil || !strings.Contains(err.Error(), "record longer than 1000 bytes") || len(recs) != 1 {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
}

func TestCSVOptions(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "a.tsv")
	writeFile(t, tsv, "id\tv\n1\tx,y\n")
	recs := sourcetest.ReadAll(t, newSource(t, tsv, files.Config{Key: "id"}), nil)
	if len(recs) != 1 || string(recs[0].Raw) != `{"id":"1","v":"x,y"}` {
		t.Errorf("tsv: %+v", recs)
	}

	semi := filepath.Join(dir, "b.txt")
	writeFile(t, semi, "1;x\n2;y\n")
	src := newSource(t, semi, files.Config{Format: files.FormatCSV, Key: "k", Delimiter: ";", NoHeader: true, Columns: []string{"k", "v"}})
	recs = sourcetest.ReadAll(t, src, nil)
	if len(recs) != 2 || string(recs[1].Raw) != `{"k":"2","v":"y"}` || recs[0].Where != semi+":1" {
		t.Errorf("no header: %+v", recs)
	}
	if rest := sourcetest.ReadAll(t, src, recs[0].Position); len(rest) != 1 || rest[0].Where != semi+":2" {
		t.Errorf("no header resume: %+v", rest)
	}

	writeFile(t, filepath.Join(dir, "c.csv"), "id,id\n1,2\n")
	if _, err := drain(newSource(t, filepath.Join(dir, "c.csv"), files.Config{Key: "id"}), nil); err == nil || !strings.Contains(err.Error(), `column "id" appears twice`) {
		t.Errorf("duplicate column: %v", err)
	}
	writeFile(t, filepath.Join(dir, "d.csv"), "ID,v\n1,2\n")
	src = newSource(t, filepath.Join(dir, "d.csv"), files.Config{Key: "id"})
	if _, err := drain(src, nil); err == nil || !strings.Contains(err.Error(), `no column "id" among ["ID" "v"]`) {
		t.Errorf("missing key column: %v", err)
	}
	if err := src.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), `no column "id"`) {
		t.Errorf("Ping with a missing key column: %v", err)
	}
}

func TestBadPositions(t *testing.T) {
	dir := t.TempDir()
	jl := filepath.Join(dir, "a.jsonl")
	writeFile(t, jl, `{"id":"a"}`+"\n"+`{"id":"b"}`+"\n")
	cs := filepath.Join(dir, "a.csv")
	writeFile(t, cs, "id\na\nb\n")
	for _, tc := range []struct {
		path, pos, want string
	}{
		{jl, `{"offset":500,"line":2}`, "past the end of the file"},
		{jl, `{"offset":5,"line":1}`, "not at the start of a line"},
		{jl, `{"cursor":"5","seen":[]}`, "want {\"offset\":N,\"line\":N}"},
		{jl, `{"offset":-1,"line":1}`, "want {\"offset\":N,\"line\":N}"},
		{cs, `{"offset":1,"line":1}`, "inside the header"},
	} {
		_, err := newSource(t, tc.path, files.Config{Key: "id"}).Read(context.Background(), decant.DefaultScope, decant.Position(tc.pos))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s from %s: %v, want %q", filepath.Base(tc.path), tc.pos, err, tc.want)
		}
	}
}

func TestNewAndPing(t *testing.T) {
	for name, tc := range map[string]struct {
		path string
		cfg  files.Config
		want string
	}{
		"unknown ext": {"x.json", files.Config{Key: "id"}, "cannot tell the format"},
		"format":      {"x.csv", files.Config{Key: "id", Format: "yaml"}, `format "yaml"`},
		"no key":      {"x.csv", files.Config{}, "key is required"},
		"delimiter":   {"x.csv", files.Config{Key: "id", Delimiter: ";;"}, "delimiter"},
		"no columns":  {"x.csv", files.Config{Key: "id", NoHeader: true}, "needs columns"},
		"columns":     {"x.csv", files.Config{Key: "id", Columns: []string{"id"}}, "only for a csv file without a header"},
		"scope":       {"${scope}.jsonl", files.Config{Key: "id"}, "${scope}.jsonl names ${scope}: a file source reads one file for every scope"},
	} {
		if _, err := files.New(tc.path, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	dir := t.TempDir()
	if err := newSource(t, filepath.Join(dir, "missing.jsonl"), files.Config{Key: "id"}).Ping(context.Background()); err == nil {
		t.Error("Ping of a missing file succeeded")
	}
	if err := newSource(t, dir, files.Config{Key: "id", Format: files.FormatJSONL}).Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("Ping of a directory: %v", err)
	}
	if _, err := newSource(t, filepath.Join(dir, "missing.jsonl"), files.Config{Key: "id"}).Read(context.Background(), "", nil); err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("Read of a missing file: %v", err)
	}
}

func newSource(t testing.TB, path string, cfg files.Config) *files.Source {
	t.Helper()
	src, err := files.New(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func drain(src decant.Source, pos decant.Position) ([]decant.Record, error) {
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, pos)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []decant.Record
	for rows.Next(ctx) {
		recs = append(recs, rows.Record())
	}
	return recs, rows.Err()
}

// rec is a record with its bytes as text, for readable diffs.
type rec struct{ Key, Cursor, Raw, Position, Where, Invalid string }

func toRecs(recs []decant.Record) []rec {
	got := []rec{}
	for _, r := range recs {
		got = append(got, rec{r.Key, r.Cursor, string(r.Raw), string(r.Position), r.Where, r.Invalid})
	}
	return got
}

// Ensure a JSONL file's records, whose lines, positions and places share
// blocks, each keep their own after the whole file is read and a garbage
// collection: short lines, lines longer than a block's share (made on
// their own), blank lines and CRLF endings among them.
func TestJSONLRecordsKeepTheirBytes(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "many.jsonl")
	var b strings.Builder
	type want struct{ raw, pos, where string }
	var wants []want
	offset := 0
	for i := range 3000 {
		line := fmt.Sprintf(`{"id":%d,"pad":"%s"}`, i, strings.Repeat("x", i%97))
		if i%500 == 7 {
			line = fmt.Sprintf(`{"id":%d,"pad":"%s"}`, i, strings.Repeat("y", 20000+i))
		}
		end := "\n"
		if i%3 == 0 {
			end = "\r\n"
		}
		if i%250 == 1 {
			b.WriteString("\n")
			offset++
		}
		b.WriteString(line + end)
		offset += len(line) + len(end)
		lineNo := strings.Count(b.String(), "\n")
		wants = append(wants, want{line, fmt.Sprintf(`{"offset":%d,"line":%d}`, offset, lineNo), fmt.Sprintf("%s:%d", path, lineNo)})
	}
	writeFile(t, path, b.String())
	recs, err := drain(newSource(t, path, files.Config{Key: "id"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	if len(recs) != len(wants) {
		t.Fatalf("read %d records, want %d", len(recs), len(wants))
	}
	for i, r := range recs {
		w := wants[i]
		if string(r.Raw) != w.raw || string(r.Position) != w.pos || r.Where != w.where || r.Key != fmt.Sprint(i) {
			t.Fatalf("record %d: key %q, raw %.60q, position %s, where %s; want raw %.60q, position %s, where %s",
				i, r.Key, r.Raw, r.Position, r.Where, w.raw, w.pos, w.where)
		}
	}
}
