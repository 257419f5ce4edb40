package engine_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/internal/testenv"
)

// xmlTarget opens the SQLite target of an XML test in dir.
func xmlTarget(t *testing.T, dir, schema string) *sql.DB {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

const xmlSchema = `CREATE TABLE IF NOT EXISTS apps (id TEXT PRIMARY KEY, ref TEXT, applicant TEXT, checks INTEGER);
CREATE TABLE IF NOT EXISTS goods (app_id TEXT, n INTEGER, descr TEXT, qty INTEGER, unit TEXT);
`

// Ensure an XML column is shredded into the record's columns and child
// rows, with the plan's namespaces, and that a record whose XML is
// malformed fails alone: stored as an error with its payload and the
// parser's line and column, while the records after it are written.
func TestXMLColumnIntoColumnsAndChildRows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := xmlTarget(t, dir, xmlSchema)
	apps := []map[string]any{
		{"id": "a1", "details": `<IMA xmlns:ia="urn:icms:ia"><REF>IMA/1</REF><APPLICANT>Asha</APPLICANT>` +
			`<GOODS><DESC>Rifle</DESC><QTY unit="each">2</QTY></GOODS><GOODS><DESC>Scope</DESC><QTY>1</QTY></GOODS>` +
			`<ia:CHECK>fir</ia:CHECK><ia:CHECK>oil</ia:CHECK></IMA>`},
		{"id": "a2", "details": "<IMA>\n<REF>IMA/2</REF>\n<APPLICANT>Ben</IMA>"},
		{"id": "a3", "details": `<IMA><REF>IMA/3</REF></IMA>`},
		{"id": "a4", "details": nil},
	}
	var in strings.Builder
	for _, a := range apps {
		b, _ := json.Marshal(a)
		in.Write(b)
		in.WriteString("\n")
	}
	must(t, os.WriteFile(filepath.Join(dir, "apps.jsonl"), []byte(in.String()), 0o644))
	res := migratePlan(t, dir, `version: 1
connections:
  v1: file:apps.jsonl
  target: sqlite:t.db
setup: [schema.sql]
xml_namespaces: {ia: "urn:icms:ia"}
steps:
  - name: apps
    from: {connection: v1, key: id}
    key: id
    to: {table: apps}
    map:
      id: record.id
      ref: xml_value(record.details, "/IMA/REF")
      applicant: xml_value(record.details, "/IMA/APPLICANT")
      checks: len(xml_values(record.details, "//ia:CHECK"))
    children:
      - name: goods
        from: xml_nodes(record.details, "/IMA/GOODS")
        to: {table: goods}
        parent_key: app_id
        map:
          n: index + 1
          descr: item.DESC
          qty: xml_text(item.QTY)
          unit: 'type(item.QTY) == "map" ? item.QTY["@unit"] : nil'
`).Steps[0]
	if s := fmt.Sprint(res.Read, res.Written, res.Failed); s != "4 3 1" {
		t.Errorf("read, written, failed = %s; want 4 3 1", s)
	}
	got := testenv.Rows(t, db, "SELECT id, ref, applicant, checks FROM apps ORDER BY id")
	want := []string{"a1 IMA/1 Asha 2", "a3 IMA/3 <nil> 0", "a4 <nil> <nil> 0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apps (-want +got):\n%s", diff)
	}
	got = testenv.Rows(t, db, "SELECT app_id, n, descr, qty, unit FROM goods ORDER BY app_id, n")
	want = []string{"a1 1 Rifle 2 each", "a1 2 Scope 1 <nil>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("goods (-want +got):\n%s", diff)
	}
	errs := testenv.Rows(t, db, "SELECT key, message, detail, payload FROM decant_errors")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "a2 cannot compute column ref: xml_value: record.details is not well-formed XML: line 3, column 15: element <APPLICANT> closed by </IMA> ") ||
		!strings.Contains(errs[0], "xml_value: record.details is not well-formed XML: line 3, column 15: element <APPLICANT> closed by </IMA>") ||
		!strings.Contains(errs[0], `\u003cAPPLICANT\u003eBen\u003c/IMA\u003e","id":"a2"}`) {
		t.Errorf("errors = %q; want a2's, naming the column, the line and column, with its payload", errs)
	}
}

// Ensure an xml file source loads one row per record element, with child
// rows from a repeated element, and that a second run reads nothing
// again.
func TestXMLFileSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := xmlTarget(t, dir, xmlSchema)
	must(t, os.WriteFile(filepath.Join(dir, "apps.xml"), []byte(`<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="urn:icms:export">
  <application id="a1"><ref>IMA/1</ref><applicant>Asha</applicant>
    <goods><desc>Rifle</desc><qty>2</qty></goods>
    <goods><desc>Scope</desc><qty>1</qty></goods>
  </application>
  <application id="a2"><ref>IMA/2</ref><goods><desc>Case</desc><qty>3</qty></goods></application>
  <application id="a3"><ref>IMA/3</ref></application>
</export>
`), 0o644))
	p := `version: 1
connections:
  v1: file:apps.xml
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: apps
    from: {connection: v1, key: "@id", record: "/x:export/x:application", namespaces: {x: "urn:icms:export"}}
    key: id
    to: {table: apps}
    map:
      id: record["@id"]
      ref: record.ref
      applicant: record.applicant
    children:
      - name: goods
        from: as_list(record.goods)
        to: {table: goods}
        parent_key: app_id
        map: {n: index + 1, descr: item.desc, qty: item.qty}
`
	res := migratePlan(t, dir, p).Steps[0]
	if s := fmt.Sprint(res.Read, res.Written, res.Failed); s != "3 3 0" {
		t.Errorf("read, written, failed = %s; want 3 3 0", s)
	}
	got := testenv.Rows(t, db, "SELECT a.id, a.ref, a.applicant, g.n, g.descr, g.qty FROM apps a LEFT JOIN goods g ON g.app_id = a.id ORDER BY a.id, g.n")
	want := []string{"a1 IMA/1 Asha 1 Rifle 2", "a1 IMA/1 Asha 2 Scope 1", "a2 IMA/2 <nil> 1 Case 3", "a3 IMA/3 <nil> <nil> <nil> <nil>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if again := migratePlan(t, dir, p).Steps[0]; again.Read != 0 {
		t.Errorf("second run read %d records, want 0 (resumed after the last)", again.Read)
	}
}
