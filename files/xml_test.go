package files_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/internal/sourcetest"
)

// xmlText escapes s as XML character data.
func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlApps renders keys as <application> elements in an ICMS-like export,
// with elements that are not records before, between and after them.
func xmlApps(keys []string) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<export xmlns=\"urn:icms:export\">\n  <header><count>")
	fmt.Fprint(&b, len(keys))
	b.WriteString("</count></header>\n  <applications>\n")
	for i, k := range keys {
		fmt.Fprintf(&b, "    <application id=\"%s\" n=\"%d\">\n      <ref>IMA/%d</ref>\n", xmlText(k), i, i)
		if i%3 == 1 {
			b.WriteString("      <goods><desc>a</desc></goods><goods><desc>b &amp; c</desc></goods>\n")
		}
		b.WriteString("    </application>\n")
		if i%5 == 2 {
			b.WriteString("    <comment>not a record</comment>\n")
		}
	}
	b.WriteString("  </applications>\n</export>\n")
	return b.String()
}

func TestConformanceXML(t *testing.T) {
	h := harness(".xml", files.Config{Key: "@id", Cursor: "@n", Record: "//application"}, xmlApps)
	h.Append = nil // an XML file ends with its root element: it cannot grow by appending
	sourcetest.Run(t, h)
}

func xmlSource(t *testing.T, content string, cfg files.Config) (*files.Source, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "apps.xml")
	writeFile(t, path, content)
	return newSource(t, path, cfg), path
}

// TestXMLRecords: each element becomes its record (attributes, children,
// repeated children as a list), with Where at its start tag and a
// position of its end.
func TestXMLRecords(t *testing.T) {
	src, path := xmlSource(t, "\ufeff<r>\n<app id=\"1\"><ref>A</ref><line>x</line><line>y</line></app>\n<app id=\"2\" kind=\"fa\">\n  <ref>B</ref>\n</app></r>",
		files.Config{Key: "@id", Record: "/r/app"})
	recs, err := drain(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []rec{
		{Key: "1", Raw: `{"@id":"1","line":["x","y"],"ref":"A"}`, Position: `{"offset":65,"line":2,"element":1}`, Where: path + ":2"},
		{Key: "2", Raw: `{"@id":"2","@kind":"fa","ref":"B"}`, Position: `{"offset":110,"line":5,"element":2}`, Where: path + ":3"},
	}
	if diff := cmp.Diff(want, toRecs(recs)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	for _, r := range recs {
		sourcetest.CheckDoc(t, r)
	}
}

// TestXMLRecordNamespaces: the record XPath's prefixes are bound by the
// namespaces option; a bare name matches elements written without one.
func TestXMLRecordNamespaces(t *testing.T) {
	doc := `<x:root xmlns:x="urn:x" xmlns="urn:d"><x:app><id>1</id></x:app><app><id>2</id></app></x:root>`
	for record, want := range map[string][]string{"//p:app": {"1"}, "//app": {"2"}} {
		src, _ := xmlSource(t, doc, files.Config{Key: "id", Record: record, Namespaces: map[string]string{"p": "urn:x"}})
		recs, err := drain(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Key)
		}
		if !cmp.Equal(got, want) {
			t.Errorf("%s: keys %v, want %v", record, got, want)
		}
	}
}

// TestXMLMalformedMidFile: the records before the fault are read, then
// the read stops with file:line:col; it never skips to later records.
func TestXMLMalformedMidFile(t *testing.T) {
	src, path := xmlSource(t, "<r>\n<app id=\"1\"/>\n<app id=\"2\">\n  <ref>B</reff>\n</app>\n<app id=\"3\"/>\n</r>\n", files.Config{Key: "@id", Record: "//app"})
	recs, err := drain(src, nil)
	if len(recs) != 1 || recs[0].Key != "1" {
		t.Errorf("read %v before the fault, want record 1 only", toRecs(recs))
	}
	if err == nil || !strings.Contains(err.Error(), path+":4:9: not well-formed XML: element <ref> closed by </reff>") {
		t.Errorf("err = %v, want the file, line 4, column 9 and the fault", err)
	}
	// A resume from the last good record meets the same fault.
	if _, err2 := drain(src, recs[0].Position); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("resumed: %v, want %v", err2, err)
	}
}

// TestXMLResumeDetectsChangedFile: a position is checked against the file
// it is resumed in.
func TestXMLResumeDetectsChangedFile(t *testing.T) {
	content := xmlApps([]string{"a", "b", "c"})
	path := filepath.Join(t.TempDir(), "apps.xml")
	writeFile(t, path, content)
	src := newSource(t, path, files.Config{Key: "@id", Record: "//application"})
	recs, err := drain(src, nil)
	if err != nil || len(recs) != 3 {
		t.Fatalf("read %d, %v", len(recs), err)
	}
	rest, err := drain(src, recs[0].Position)
	if err != nil || len(rest) != 2 || rest[0].Key != "b" {
		t.Fatalf("resume after a: %v, %v", toRecs(rest), err)
	}

	// Rewritten with the same records first and one more: read on.
	writeFile(t, path, xmlApps([]string{"a", "b", "c", "d"}))
	if more, err := drain(src, recs[2].Position); err != nil || len(more) != 1 || more[0].Key != "d" {
		t.Errorf("rewritten with one more: %v, %v; want d", toRecs(more), err)
	}
	writeFile(t, path, content)

	writeFile(t, path, strings.Replace(content, "IMA/0", "IMA/000", 1))
	if _, err := drain(src, recs[1].Position); err == nil || !strings.Contains(err.Error(), "record element 2 ends at byte") {
		t.Errorf("changed file: %v, want the element and offset refused", err)
	}
	writeFile(t, path, xmlApps([]string{"a"}))
	if _, err := drain(src, recs[2].Position); err == nil || !strings.Contains(err.Error(), "the file has only 1") {
		t.Errorf("truncated file: %v, want it refused", err)
	}
	if _, err := drain(src, decant.Position(`{"offset":10,"line":1}`)); err == nil || !strings.Contains(err.Error(), "not a position in an XML file") {
		t.Errorf("a JSON Lines position: %v, want it refused", err)
	}
}

func TestXMLConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  files.Config
		file string
		want string
	}{
		{"no record", files.Config{Key: "id"}, "a.xml", "an xml file needs record"},
		{"record for csv", files.Config{Key: "id", Record: "//a"}, "a.csv", "record and namespaces are only for an xml file"},
		{"bad xpath", files.Config{Key: "id", Record: "//a["}, "a.xml", `record: xpath "//a["`},
		{"unbound prefix", files.Config{Key: "id", Record: "//ia:a"}, "a.xml", "prefix ia not defined"},
		{"a value", files.Config{Key: "id", Record: "count(//a)"}, "a.xml", "computes a value"},
		// A stream tests an element when it starts: a position or its
		// content would select all or none without a word.
		{"a position", files.Config{Key: "id", Record: "/r/app[2]"}, "a.xml", `record: xpath "/r/app[2]": a predicate with a number (2)`},
		{"last()", files.Config{Key: "id", Record: "/r/app[last()]"}, "a.xml", "last() in a predicate needs the element's siblings"},
		{"a child in a predicate", files.Config{Key: "id", Record: "//app[ref='x']"}, "a.xml", "a predicate on a child element (ref)"},
		{"attributes", files.Config{Key: "id", Record: "//app/@id"}, "a.xml", `step "@id" does not select elements by name`},
		{"text", files.Config{Key: "id", Record: "//app/text()"}, "a.xml", `step "text()" does not select elements by name`},
	} {
		_, err := files.New(filepath.Join(t.TempDir(), tt.file), tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	o := &files.Options{Format: "xml", Record: "//a["}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "record") {
		t.Errorf("Options.Validate: %v, want the record option named", err)
	}
}

// TestXMLMemoryFlat reads a file of 200,000 records and measures the
// live heap at the end, the source still open: the stream keeps only the
// open ancestors between records, so the heap must not hold the records
// read (it would hold ~100 MB if each stayed in the tree, and the read
// would slow to a crawl: TestStreamKeepsOnlyOpenAncestors in xmldoc is the
// quick check of the same promise).
func TestXMLMemoryFlat(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r>")
	for i := range 200000 {
		fmt.Fprintf(&b, "<app id=\"%d\"><v>%d</v></app>\n", i, i)
	}
	b.WriteString("</r>")
	src, _ := xmlSource(t, b.String(), files.Config{Key: "@id", Record: "/r/app"})
	b.Reset()
	before := liveHeap()
	rows, err := src.Read(context.Background(), decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next(context.Background()) {
		n++
	}
	if rows.Err() != nil || n != 200000 {
		t.Fatalf("read %d, %v", n, rows.Err())
	}
	if grown := int64(liveHeap()) - int64(before); grown > 8<<20 {
		t.Errorf("the live heap grew by %d MB over 200,000 records: records stay in memory", grown>>20)
	}
	runtime.KeepAlive(rows)
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestXMLSecondRootRefused: a file of several root elements is not one
// XML document; the read stops at the second root instead of going on
// as if it were part of the first.
func TestXMLSecondRootRefused(t *testing.T) {
	src, path := xmlSource(t, "<r><app id=\"1\"/></r>\n<r><app id=\"2\"/></r>\n", files.Config{Key: "@id", Record: "//app"})
	recs, err := drain(src, nil)
	if len(recs) != 1 || recs[0].Key != "1" {
		t.Errorf("read %v, want record 1 only", toRecs(recs))
	}
	if err == nil || !strings.Contains(err.Error(), path+":2:1: not well-formed XML: a second root element <r>") {
		t.Errorf("err = %v, want the second root refused at line 2, column 1", err)
	}
}

// TestXMLPrefixedAttributeKeepsKey: a prefixed attribute of the same
// local name as the key's is an entry of its own; it neither replaces the
// key nor is lost.
func TestXMLPrefixedAttributeKeepsKey(t *testing.T) {
	src, _ := xmlSource(t, `<r xmlns:v1="urn:v1"><app id="1" v1:id="legacy-77"/><app v1:id="legacy-78" id="2"/></r>`, files.Config{Key: "@id", Record: "//app"})
	recs, err := drain(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range toRecs(recs) {
		got = append(got, r.Key+" "+r.Raw)
	}
	want := []string{`1 {"@id":"1","@v1:id":"legacy-77"}`, `2 {"@id":"2","@v1:id":"legacy-78"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// TestXMLMaxRecord: a record element longer than MaxRecord bytes stops
// the read at its start tag's line, after the records before it, instead
// of being held in memory whatever its size.
func TestXMLMaxRecord(t *testing.T) {
	for name, big := range map[string]string{
		"many children": strings.Repeat("<v>x</v>", 1000),
		"one long text": strings.Repeat("x", 100000),
	} {
		src, path := xmlSource(t, "<r>\n<app id=\"1\"/>\n<app id=\"2\">"+big+"</app>\n<app id=\"3\"/></r>", files.Config{Key: "@id", Record: "//app", MaxRecord: 100})
		recs, err := drain(src, nil)
		if len(recs) != 1 || recs[0].Key != "1" {
			t.Errorf("%s: read %d records, want record 1 only", name, len(recs))
		}
		if err == nil || !strings.Contains(err.Error(), path+":3: record element longer than 100 bytes") {
			t.Errorf("%s: err = %v, want the element's line and the limit", name, err)
		}
	}
	// An element of exactly MaxRecord bytes is read.
	elem := `<app id="1">` + strings.Repeat("x", 82) + `</app>`
	src, _ := xmlSource(t, "<r>"+elem+"</r>", files.Config{Key: "@id", Record: "//app", MaxRecord: len(elem)})
	if recs, err := drain(src, nil); err != nil || len(recs) != 1 {
		t.Errorf("an element of MaxRecord bytes: %d records, %v", len(recs), err)
	}
}

// TestXMLDeclaredEncodingRefused: a file's bytes in another encoding are
// refused with the way out, not read as UTF-8.
func TestXMLDeclaredEncodingRefused(t *testing.T) {
	src, path := xmlSource(t, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<r><app id=\"1\"/></r>", files.Config{Key: "@id", Record: "//app"})
	_, err := drain(src, nil)
	if err == nil || !strings.Contains(err.Error(), path+":1:") || !strings.Contains(err.Error(), "iconv -f ISO-8859-1 -t UTF-8") {
		t.Errorf("err = %v, want the file refused with iconv", err)
	}
}
