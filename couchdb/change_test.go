package couchdb_test

import (
	"context"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/couchdb"
)

// Ensure the records of the changes phase, read in seq order, are marked
// as read in change order (decant.Record.Change), which lets a live run's
// lag window hold them, and those of the bulk phase, read in _id order,
// are not: held, one recent document would hold back the rest of the bulk.
func TestChangesPhaseRecordsAreChanges(t *testing.T) {
	t.Parallel()
	c := newCouch(t)
	c.write(docs([]string{"b1", "b2", "b3"}, nil)...)
	src := c.source("", &couchdb.Options{PageSize: 1})
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []decant.Record
	for rows.Next(ctx) {
		got = append(got, rows.Record())
		if len(got) == 1 { // during the bulk: b2 and a new c1 come as changes
			c.write(map[string]any{"_id": "b2", "_rev": c.rev("b2"), "n": 20}, map[string]any{"_id": "c1"})
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key    string
		change bool
	}{{"b1", false}, {"b3", false}, {"b2", true}, {"c1", true}}
	if len(got) != len(want) {
		t.Fatalf("read %v, want b1, b3 (bulk), then b2, c1 (changes)", keysOf(got))
	}
	for i, w := range want {
		if got[i].Key != w.key || got[i].Change != w.change {
			t.Errorf("record %d: %s with Change %v, want %s with Change %v", i, got[i].Key, got[i].Change, w.key, w.change)
		}
	}
}
