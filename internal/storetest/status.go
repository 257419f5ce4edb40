package storetest

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// testStatusRate checks that a step's rate is the records of its latest
// run divided by the run's wall-clock span, from the first batch's start to
// the last one's end. A run's batches overlap (the engine reads the next
// batch while it writes the last), so summing their durations would count
// the same seconds several times; a later run starts after a pause, and
// only it counts.
func testStatusRate(t *testing.T, e *env) {
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	sec := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	type batch struct {
		start time.Time
		dur   time.Duration
		total int
	}
	steps := []struct {
		step    string
		batches []batch
		want    float64
	}{
		// Three pipelined batches of 100, each 3 s long, started a second
		// apart: 300 records in 5 s (not 300 in 9 s).
		{"pipelined", []batch{{sec(0), 3 * time.Second, 100}, {sec(1), 3 * time.Second, 100}, {sec(2), 3 * time.Second, 100}}, 60},
		// A run an hour later: only its 100 records in 3 s count.
		{"rerun", []batch{
			{sec(0), 3 * time.Second, 1000}, {sec(1), 3 * time.Second, 1000},
			{sec(3600), 2 * time.Second, 50}, {sec(3601), 2 * time.Second, 50},
		}, 100.0 / 3},
		// Batches that touch (one starts as the last ends) are one run.
		{"touching", []batch{{sec(0), 2 * time.Second, 30}, {sec(2), 2 * time.Second, 10}}, 10},
		// A 10 s pause starts a new run.
		{"paused", []batch{{sec(0), 2 * time.Second, 30}, {sec(12), 500 * time.Millisecond, 10}}, 20},
		// A lone batch: its records over its duration.
		{"single", []batch{{sec(0), 250 * time.Millisecond, 5}}, 20},
		// Durations are kept in whole ms: a batch under one (kept as 0) counts
		// as half of one, so a fast step shows a rate rather than 0 or an
		// infinite one.
		{"instant", []batch{{sec(0), 0, 5}}, 10000},
		{"fast", []batch{{sec(0), 300 * time.Microsecond, 100}}, 200000},
	}
	for _, s := range steps {
		for _, b := range s.batches {
			a := audit(b.total, b.total, "c"+s.step)
			a.Started, a.Duration = b.start, b.dur
			e.write(&decant.Batch{Scope: "rate", Step: s.step, Audit: a})
		}
	}
	got := map[string]decant.StepStatus{}
	for _, st := range e.status("rate") {
		got[st.Step] = st
	}
	for _, s := range steps {
		st, ok := got[s.step]
		if !ok {
			t.Errorf("step %s: no status", s.step)
			continue
		}
		if math.Abs(st.Rate-s.want) > 1e-9*math.Max(1, s.want) {
			t.Errorf("step %s: rate %v/s, want %v/s", s.step, st.Rate, s.want)
		}
		last := s.batches[len(s.batches)-1]
		if st.Batches != int64(len(s.batches)) || !st.LastBatch.Equal(last.start) || st.LastCursor != "c"+s.step {
			t.Errorf("step %s: batches %d, last batch %s, last cursor %q; want %d, %s, %q",
				s.step, st.Batches, st.LastBatch, st.LastCursor, len(s.batches), last.start, "c"+s.step)
		}
	}
}

// testScopeStatusDropped checks state version 2: decant_scopes has no
// status column (nothing ever advanced it past 'new'), and Init drops it
// from version 1 tables, keeping the leases.
func testScopeStatusDropped(t *testing.T, e *env) {
	if names := columnNames(t, e, "decant_scopes"); slices.Contains(names, "status") {
		t.Errorf("decant_scopes columns after Init = %v, want no status", names)
	}
	// Back to version 1, with a lease held.
	e.dropVersion3()
	e.exec("ALTER TABLE decant_scopes ADD COLUMN status {text} NOT NULL DEFAULT 'new'")
	e.exec("UPDATE decant_schema SET version = 1")
	if err := e.leaser().AcquireLease(e.ctx, "v1", holder1, time.Minute); err != nil {
		t.Fatalf("AcquireLease on version 1 tables: %v", err)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 1: %v", err)
	}
	names := columnNames(t, e, "decant_scopes")
	if slices.Contains(names, "status") || !slices.Contains(names, "holder") || !slices.Contains(names, "expires") {
		t.Errorf("decant_scopes columns after the upgrade = %v, want the lease columns and no status", names)
	}
	if got := e.rows("SELECT scope, holder FROM decant_scopes"); got != "v1|"+holder1.String()+"\n" {
		t.Errorf("decant_scopes after the upgrade = %q, want the v1 lease kept", got)
	}
	if err := e.leaser().AcquireLease(e.ctx, "v1", holder2, time.Minute); !errors.Is(err, decant.ErrLeaseHeld) {
		t.Errorf("the lease taken before the upgrade no longer holds: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got == "1\n" {
		t.Errorf("decant_schema still at version 1 after Init")
	}
}

func columnNames(t *testing.T, e *env, table string) []string {
	t.Helper()
	cols, err := e.catalog().Columns(e.ctx, table)
	if err != nil {
		t.Fatalf("Columns(%s): %v", table, err)
	}
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	return names
}
