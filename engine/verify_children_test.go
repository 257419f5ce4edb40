package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/verify"
)

const childSchema = `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE tags (person_id INTEGER NOT NULL, tag TEXT, weight INTEGER);`

const childPlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: people
    from: {connection: in, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
    children:
      - from: record.tags
        parent_key: person_id
        to: {table: tags}
        map: {tag: item.t, weight: item.w}
`

// childInput: person 1 has two tags, 2 has a repeated tag, 3 none, 4 one
// tag; person 4 comes again with other tags, which replace the first.
const childInput = `{"id":1,"name":"a","tags":[{"t":"x","w":1},{"t":"y","w":2}]}
{"id":2,"name":"b","tags":[{"t":"x","w":1},{"t":"x","w":1}]}
{"id":3,"name":"c","tags":[]}
{"id":4,"name":"d","tags":[{"t":"old","w":9}]}
{"id":5,"name":"e","tags":[{"t":"z","w":null}]}
{"id":4,"name":"d","tags":[{"t":"new","w":1},{"t":"new2","w":2}]}
`

// migrateChildren migrates childInput and returns the plan and a verify
// that collects findings on tags as "kind key rows".
func migrateChildren(t *testing.T, vt verifyTarget) (verifyEnv, func() (*engine.VerifyResult, []string)) {
	t.Helper()
	e := migratePatchPlan(t, vt, childSchema, childInput, childPlan)
	cfg := e.cfg
	run := func() (*engine.VerifyResult, []string) {
		var found []string
		res, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{
			Finding: func(step, table string, f verify.Finding) error {
				var rows []string
				for _, c := range f.Columns {
					rows = append(rows, "-"+c.Expected+" +"+c.Actual)
				}
				found = append(found, fmt.Sprintf("%s %s %v %s", table, f.Kind, f.Key[0], strings.Join(rows, "; ")))
				return nil
			}})
		must(t, err)
		slices.Sort(found)
		return res, found
	}
	return verifyEnv{dir: e.dir, url: e.url, db: e.db, st: cfg.Store}, run
}

func tableResult(t *testing.T, res *engine.VerifyResult, table string) engine.VerifyTableResult {
	t.Helper()
	for _, tr := range res.Steps[0].Tables {
		if tr.Table == table {
			return tr
		}
	}
	t.Fatalf("no result for table %s in %+v", table, res.Steps[0])
	return engine.VerifyTableResult{}
}

// Ensure a migrate with child rows verifies clean, the child table
// included and counted by parent key (a parent with no children, one with
// a repeated child row, one whose later record replaced its children).
func TestVerifyChildren_Clean(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			_, run := migrateChildren(t, vt)
			res, found := run()
			if len(found) != 0 || !res.Clean {
				t.Fatalf("findings %v, clean %v; want none", found, res.Clean)
			}
			if nv := res.Steps[0].NotVerified; len(nv) != 0 {
				t.Errorf("not verified %v; want none", nv)
			}
			tags := tableResult(t, res, "tags")
			if tags.Checked != 5 || tags.OK != 5 {
				t.Errorf("tags counts %+v; want 5 parent keys checked, 5 ok", tags.VerifyCounts)
			}
			if s := res.Steps[0]; s.Checked != 10 || s.OK != 10 {
				t.Errorf("step counts %+v; want 10 checked (5 people, 5 parents of tags), 10 ok", s.VerifyCounts)
			}
		})
	}
}

// Ensure child rows removed, added or changed behind decant's back are
// reported on the child table under their parent key, with the rows.
func TestVerifyChildren_FindsCorruption(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e, run := migrateChildren(t, vt)
			for _, q := range []string{
				"DELETE FROM tags WHERE person_id = 1 AND tag = 'y'", // a child row removed
				"INSERT INTO tags VALUES (3, 'w', 1)",                // added to a parent with none
				"UPDATE tags SET weight = 7 WHERE person_id = 5",     // changed
				"DELETE FROM tags WHERE person_id = 4",               // all of a parent's removed
				"INSERT INTO tags VALUES (99, 'q', 1)",               // a parent the source lacks
			} {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			res, found := run()
			want := []string{
				`tags diff 1 -tag="y", weight="2" +NULL`,
				`tags diff 5 -tag="z", weight=NULL +NULL; -NULL +tag="z", weight="7"`,
				`tags extra 3 -NULL +tag="w", weight="1"`,
				`tags extra 99 -NULL +tag="q", weight="1"`,
				`tags missing 4 -tag="new", weight="1" +NULL; -tag="new2", weight="2" +NULL`,
			}
			if !slices.Equal(found, want) {
				t.Errorf("findings\n%s\nwant\n%s", strings.Join(found, "\n"), strings.Join(want, "\n"))
			}
			tags := tableResult(t, res, "tags")
			if res.Clean || tags.Checked != 6 || tags.OK != 1 || tags.Diffs != 2 || tags.Extra != 2 || tags.Missing != 1 {
				t.Errorf("clean %v, tags counts %+v; want 6 checked, 1 ok, 2 diffs, 2 extra, 1 missing", res.Clean, tags.VerifyCounts)
			}
		})
	}
}
