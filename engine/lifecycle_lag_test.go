package engine

import (
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

func testGate(t testing.TB, expr string) *lagGate {
	prog, err := transform.Compile(expr, plan.LiveExprVars, transform.NewFuncs())
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Live: &plan.Live{LagDuration: time.Hour, TimeProg: prog, Zone: time.UTC}}
	return newLagGate(Config{Plan: p, Mode: ModeLive, Scope: "s",
		Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }}, "a")
}

// Ensure the gate reads a record's time as an ISO string (with or without
// an offset), a number of Unix seconds or a time, holds those after the
// cutoff and remembers the first held key, lets through a record whose
// time is missing or unreadable rather than hold the step back for ever,
// and holds only records read in change order (decant.Record.Change).
func TestLagGate_Holds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		raw  string
		held bool
	}{
		{`{"m":"2026-03-01T11:30:00Z"}`, true},
		{`{"m":"2026-03-01T10:30:00Z"}`, false},
		{`{"m":"2026-03-01 11:30:00"}`, true},        // no offset: the plan's zone
		{`{"m":"2026-03-01T12:30:00+02:00"}`, false}, // 10:30Z
		{`{"m":1772364600}`, true},                   // 2026-03-01T11:30:00Z
		{`{"m":1772361000}`, false},                  // 10:30Z
		{`{}`, false},
		{`{"m":"yesterday"}`, false},
		{`not json`, false},
	} {
		// record.m reads the field alone; the other two evaluate the
		// expression on the decoded record: all three agree.
		for _, expr := range []string{"record.m", "record[\"m\"]", "record?.m ?? nil"} {
			g := testGate(t, expr)
			if got := g.holds(decant.Record{Key: "k", Raw: []byte(tt.raw), Change: true}); got != tt.held || (g.held == "k") != tt.held {
				t.Errorf("%s: holds(%s) = %v (held %q), want %v", expr, tt.raw, got, g.held, tt.held)
			}
			// The same record read in key or file order is never held.
			g = testGate(t, expr)
			if g.holds(decant.Record{Key: "k", Raw: []byte(tt.raw)}) || g.held != "" {
				t.Errorf("%s: holds(%s) held a record that is not in change order (held %q)", expr, tt.raw, g.held)
			}
		}
	}
	if g := testGate(t, "record.m"); g.path != "m" {
		t.Errorf("record.m is not read as a field: path %q", g.path)
	}
	var g *lagGate // a run that holds nothing back
	if g.holds(decant.Record{Key: "k", Raw: []byte(`{"m":"2030-01-01T00:00:00Z"}`), Change: true}) {
		t.Error("a nil gate held a record")
	}
}

// BenchmarkLagGate is the cost of the lag window per record read in a
// live round: decoding the record and evaluating live.time.
func BenchmarkLagGate(b *testing.B) {
	g := testGate(b, "record.server_modified_on")
	rec := decant.Record{Key: "k", Raw: []byte(`{"_id":"a1b2c3","doc_type":"XFormInstance","domain":"acme","server_modified_on":"2026-03-01T10:30:00.123456Z",` +
		`"form":{"name":"visit","q1":"yes","q2":12,"q3":[1,2,3],"meta":{"userID":"u1","timeStart":"2026-03-01T10:00:00Z"}}}`), Change: true}
	for b.Loop() {
		g.holds(rec)
	}
}
