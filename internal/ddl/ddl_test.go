package ddl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/ddl"
)

// show prints a table as "name(col kind dbtype, ...) created-by" for comparisons.
func show(t *ddl.Table) string {
	if !t.Exists {
		return t.Name + " (absent)"
	}
	var cols []string
	for _, c := range t.Columns {
		s := c.Name + " " + c.Kind + " " + c.DBType
		if !c.Nullable {
			s += " not null"
		}
		if by := t.AddedBy[c.Name]; by != "" {
			s += " by " + by
		}
		cols = append(cols, s)
	}
	return fmt.Sprintf("%s(%s) %s", t.Name, strings.Join(cols, ", "), t.CreatedBy)
}

func kind(declared string) string {
	switch t := strings.ToLower(declared); {
	case strings.Contains(t, "int"):
		return decant.KindInt
	case strings.HasPrefix(t, "numeric"):
		return decant.KindDecimal
	case strings.HasPrefix(t, "timestamp"):
		return decant.KindTimestamp
	}
	return decant.KindText
}

// Ensure the model reads the tables and columns that scripts create, add,
// rename, retype and drop, in order, over the tables that exist, and
// ignores what is quoted, commented or not DDL.
func TestModel(t *testing.T) {
	t.Parallel()
	m := &ddl.Model{Kind: kind, DefaultSchema: "public", Fold: true}
	m.Add("migration 0001_forms.sql", `
-- CREATE TABLE commented (x int);
/* CREATE TABLE blocked (x int); */
CREATE TABLE IF NOT EXISTS public.Forms (
    id bigint PRIMARY KEY,
    "Title" text NOT NULL DEFAULT 'a;b',
    amount numeric(10, 2),
    tags text[],
    CONSTRAINT forms_title UNIQUE ("Title"),
    PRIMARY KEY (id)
);
INSERT INTO forms (id) VALUES (1);
CREATE FUNCTION f() RETURNS int AS $body$ CREATE TABLE inside (x int); SELECT 1; $body$ LANGUAGE sql;
CREATE TABLE old_people (id int);
`)
	m.Add("migration 0002_more.sql", `
ALTER TABLE forms ADD COLUMN created timestamp with time zone NOT NULL, ADD CONSTRAINT c CHECK (id > 0);
ALTER TABLE ONLY forms ALTER COLUMN amount TYPE bigint USING amount::bigint;
ALTER TABLE forms RENAME COLUMN tags TO labels;
ALTER TABLE old_people RENAME TO people;
ALTER TABLE people ADD note text;
ALTER TABLE existing DROP COLUMN gone, ADD COLUMN IF NOT EXISTS kept int;
DROP TABLE IF EXISTS scratch, other CASCADE;
`)
	got := m.Apply(map[string]*ddl.Table{
		"existing": {Name: "existing", Exists: true, Columns: []decant.Column{{Name: "kept", Kind: "text", DBType: "text", Nullable: true}, {Name: "gone", Kind: "text", DBType: "text", Nullable: true}}},
		"scratch":  {Name: "scratch", Exists: true, Columns: []decant.Column{{Name: "x", Kind: "int"}}},
	})
	want := map[string]string{
		"forms": `public.forms(id int bigint not null, Title text text not null, amount int bigint by migration 0002_more.sql, ` +
			`labels text text[] by migration 0002_more.sql, created timestamp timestamp with time zone not null by migration 0002_more.sql) migration 0001_forms.sql`,
		"old_people": "old_people (absent)",
		"people":     "people(id int int, note text text by migration 0002_more.sql) migration 0001_forms.sql",
		"existing":   "existing(kept text text) ",
		"scratch":    "scratch (absent)",
		"other":      "other (absent)",
	}
	for key, w := range want {
		tb := got[m.Key(key)]
		if tb == nil {
			t.Errorf("%s: not in the model", key)
			continue
		}
		if g := show(tb); g != w {
			t.Errorf("%s:\n got %s\nwant %s", key, g, w)
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("unexpected table %s: %s", key, show(got[key]))
		}
	}
	if k := m.Key("public.Forms"); k != "forms" {
		t.Errorf("Key(public.Forms) = %q, want forms", k)
	}
}

// Ensure SQLite's spelling rules: names keep their case, [name] quotes,
// a column may have no type, and IF NOT EXISTS keeps an existing table.
func TestModelSQLite(t *testing.T) {
	t.Parallel()
	m := &ddl.Model{Kind: kind, DefaultSchema: "main"}
	m.Add("setup file schema.sql", "CREATE TABLE IF NOT EXISTS kept (a int);\nCREATE TABLE [Odd Name] (Id INTEGER, loose, `b` TEXT);\n")
	got := m.Apply(map[string]*ddl.Table{"kept": {Name: "kept", Exists: true, Columns: []decant.Column{{Name: "z", Kind: "text", DBType: "TEXT", Nullable: true}}}})
	if g := show(got["kept"]); g != "kept(z text TEXT) " {
		t.Errorf("kept: %s", g)
	}
	if g := show(got[m.Key("main.Odd Name")]); g != "Odd Name(Id int INTEGER, loose text , b text TEXT) setup file schema.sql" {
		t.Errorf("Odd Name: %s", g)
	}
}
