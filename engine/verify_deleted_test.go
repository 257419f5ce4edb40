package engine_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// verifyDeleted verifies f's plan with tombstones, as a re-read source
// that reports deletions gives them, and returns the people table's and
// the tags table's counts.
func (f *fixture) verifyDeleted(t *testing.T, missingOnly bool) (people, tags engine.VerifyCounts) {
	t.Helper()
	cfg := f.config(t)
	cfg.Sources = withTombstones(cfg.Plan)
	res, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{MissingOnly: missingOnly})
	must(t, err)
	for _, tr := range res.Steps[0].Tables {
		switch tr.Table {
		case "people":
			people = tr.VerifyCounts
		case "tags":
			tags = tr.VerifyCounts
		}
	}
	return people, tags
}

func (f *fixture) exec(t *testing.T, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", f.db)
	must(t, err)
	defer db.Close()
	_, err = db.Exec(q)
	must(t, err)
}

// Ensure verify, reading deleted records again, expects no rows of a key
// the step deletes: clean after the run, and a row put back by hand (or
// its child rows) is extra; a key deleted and written again expects its
// new row.
func TestVerifyDeleted_Delete(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5, "people: [person], robots: [robot]", nil)
	f.appendLines(t, `{"id":2,"_deleted":true}`, `{"id":3,"_deleted":true}`,
		`{"id":3,"name":"back","kind":"person","score":"3","tags":["t"]}`, `{"id":42,"_deleted":true}`)
	_, err := f.deleteRun(t, 10)
	must(t, err)
	for _, missingOnly := range []bool{false, true} {
		people, tags := f.verifyDeleted(t, missingOnly)
		if people.Extra != 0 || people.Missing != 0 || people.Diffs != 0 || people.OK != 4 {
			t.Errorf("missing-only %t: people = %+v, want 4 ok (1, 3 written again, 4, 5) and nothing else", missingOnly, people)
		}
		if !missingOnly && (tags.Extra != 0 || tags.Missing != 0 || tags.Diffs != 0) {
			t.Errorf("tags = %+v, want clean", tags)
		}
	}
	f.exec(t, "INSERT INTO people (id, name, kind) VALUES (2, 'zombie', 'person'); INSERT INTO tags VALUES (2, 'z')")
	people, tags := f.verifyDeleted(t, false)
	if people.Extra != 1 || tags.Extra+tags.Diffs != 1 {
		t.Errorf("after putting back the deleted key 2: people = %+v, tags = %+v; want the row extra and its tags reported", people, tags)
	}
}

// Ensure verify neither expects nor reports the rows of a deleted key
// whose step ignores or marks deletions.
func TestVerifyDeleted_IgnoreAndMark(t *testing.T) {
	t.Parallel()
	for _, onDelete := range []string{"    on_delete: ignore\n", "    on_delete: {mark: gone}\n"} {
		f := markFixture(t, onDelete, "record.id")
		f.appendLines(t, `{"id":2,"_deleted":true}`)
		_, err := f.deleteRun(t, 10)
		must(t, err)
		f.exec(t, "UPDATE people SET name = 'changed' WHERE id = 2")
		people, _ := f.verifyDeleted(t, false)
		if people.Extra != 0 || people.Missing != 0 || people.Diffs != 0 || people.OK != 3 {
			t.Errorf("%s: people = %+v, want 3 ok and key 2 left out", onDelete, people)
		}
	}
}

// Ensure a patch deletes the rows a deleted record left (verify finds
// them extra), even when the source gave the record's content before its
// deletion: a deleted record expects no rows.
func TestPatchDeleted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3, "people: [person], robots: [robot]", nil)
	f.appendLines(t, `{"id":2,"_deleted":true}`)
	_, err := f.deleteRun(t, 10)
	must(t, err)
	f.exec(t, "INSERT INTO people (id, name, kind) VALUES (2, 'zombie', 'person'); INSERT INTO tags VALUES (2, 'z')")
	cfg := f.config(t)
	cfg.Sources = withTombstones(cfg.Plan)
	res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true,
		Kinds: []string{decant.FindingExtra, decant.FindingDiff}, Reason: "deleted at the source"})
	must(t, err)
	if len(res.Patched) == 0 || len(res.Skipped) != 0 || res.StillDifferent != 0 {
		t.Errorf("patch = %+v, want key 2 patched, nothing skipped or still different", res)
	}
	if got := f.query(t, "SELECT count(*) FROM people WHERE id = 2") + " " + f.query(t, "SELECT count(*) FROM tags WHERE person_id = 2"); got != "0 0" {
		t.Errorf("people and tags of key 2 after the patch = %s, want 0 0", got)
	}
}

// Ensure a deletion in a source otherwise in key order, of a step of one
// table (whose verify bets on key order and streams), gives the findings
// of the sort: the key written, then deleted, expects no row, and a row
// put back is extra.
func TestVerifyDeleted_Streamed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0, "people: [person]", nil)
	must(t, os.WriteFile(f.planPath, []byte(`version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: people
    from: {connection: in, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`), 0o644))
	f.appendLines(t, `{"id":1,"name":"a"}`, `{"id":2,"name":"b"}`, `{"id":3,"name":"c"}`,
		`{"id":3,"_deleted":true}`, `{"id":4,"name":"d"}`, `{"id":5,"name":"e"}`)
	_, err := f.deleteRun(t, 10)
	must(t, err)
	for _, missingOnly := range []bool{false, true} {
		if people, _ := f.verifyDeleted(t, missingOnly); people.OK != 4 || people.Missing+people.Extra+people.Diffs != 0 {
			t.Errorf("missing-only %t: people = %+v, want 4 ok (3 deleted) and nothing else", missingOnly, people)
		}
	}
	f.exec(t, "INSERT INTO people (id, name, kind) VALUES (3, 'zombie', 'person')")
	if people, _ := f.verifyDeleted(t, false); people.Extra != 1 || people.OK != 4 {
		t.Errorf("after putting back the deleted key 3: people = %+v, want it extra", people)
	}
}

// Ensure verify takes the ledger's deleted keys as deletions when the
// source read again no longer gives the tombstones (CouchDB's bulk read
// omits deleted documents): with ignore or mark, the kept rows are neither
// expected nor extra; with delete, a row put back is still extra.
func TestVerifyDeleted_LedgerWhenSourceOmitsTombstones(t *testing.T) {
	t.Parallel()
	for _, onDelete := range []string{"    on_delete: ignore\n", "    on_delete: {mark: gone}\n", ""} {
		f := markFixture(t, onDelete, "record.id")
		f.appendLines(t, `{"id":2,"_deleted":true}`, `{"id":3,"_deleted":true}`, `{"id":3,"name":"back","tags":[]}`)
		_, err := f.deleteRun(t, 10)
		must(t, err)
		// The re-read: the records without their tombstones, and without
		// the content of 2 the source deleted (the first lines are 1 to 4).
		in, err := os.ReadFile(f.dir + "/in.jsonl")
		must(t, err)
		var kept []string
		for _, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
			if !strings.Contains(line, `"_deleted":true`) && !strings.HasPrefix(line, `{"id":2,`) {
				kept = append(kept, line)
			}
		}
		must(t, os.WriteFile(f.dir+"/in.jsonl", []byte(strings.Join(kept, "\n")+"\n"), 0o644))
		people, _ := f.verifyDeleted(t, false)
		if people.Extra != 0 || people.Missing != 0 || people.Diffs != 0 || people.OK != 3 {
			t.Errorf("%q: people = %+v, want 3 ok (1, 3 written again, 4) and the deleted 2 left out", onDelete, people)
		}
		if onDelete == "" {
			f.exec(t, "INSERT INTO people (id, name) VALUES (2, 'zombie')")
			if people, _ := f.verifyDeleted(t, false); people.Extra != 1 {
				t.Errorf("delete: a row put back for the deleted 2: people = %+v, want it extra", people)
			}
		}
	}
}
