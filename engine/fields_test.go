package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure that under fields mapping a row writes exactly the columns its
// record has: a re-sent record lacking a field keeps the stored value,
// whether or not a batch-mate has that field; child rows are replaced per
// parent across column sets.
func TestRun_FieldsWriteOwnColumns(t *testing.T) {
	f := newFixture(t, 1, "", nil)
	write := func(name, text string) { must(t, os.WriteFile(filepath.Join(f.dir, name), []byte(text), 0o644)) }
	write("schema.sql", `
CREATE TABLE IF NOT EXISTS forms (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT DEFAULT 'dflt');
CREATE TABLE IF NOT EXISTS kids (form_id INTEGER NOT NULL, x TEXT, y TEXT DEFAULT 'dy');`)
	write("decant.yaml", `version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
batch_size: 10
steps:
  - name: forms
    from: {connection: in, key: id}
    key: id
    to: {table: forms}
    map: {id: record.id}
    fields: record.f
    children:
      - from: record.kids
        parent_key: form_id
        to: {table: kids}
        fields: item
`)
	runs := 0
	run := func(jsonl string) {
		t.Helper()
		write("in.jsonl", jsonl)
		cfg := f.config(t)
		runs++
		cfg.Scope = fmt.Sprint("run", runs) // a fresh checkpoint, so the new file is read from its start
		if _, err := engine.Run(context.Background(), cfg, nil); err != nil {
			t.Fatal(err)
		}
	}
	run(`{"id":1,"f":{"a":"a1","b":"b1"},"kids":[{"x":"x1","y":"y1"}]}
{"id":2,"f":{"a":"a2","b":"b2"},"kids":[{"x":"x2"}]}
`)
	// Record 1 comes again without b and with a kid lacking y; record 3 in
	// the same batch has b. Record 2 comes again alone in its batch.
	run(`{"id":1,"f":{"a":"A1"},"kids":[{"x":"X1"},{"x":"X1b","y":"Y1b"}]}
{"id":3,"f":{"a":"a3","b":"b3"},"kids":[]}
`)
	run(`{"id":2,"f":{"b":"B2"},"kids":[]}
`)
	if got, want := f.query(t, "SELECT id, a, b, c FROM forms ORDER BY id"),
		"1 A1 b1 dflt\n2 a2 B2 dflt\n3 a3 b3 dflt"; got != want {
		t.Errorf("forms:\n%s\nwant:\n%s", got, want)
	}
	if got, want := f.query(t, "SELECT form_id, x, y FROM kids ORDER BY form_id, x"),
		"1 X1 dy\n1 X1b Y1b"; got != want {
		t.Errorf("kids:\n%s\nwant:\n%s", got, want)
	}
}
