package cli_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
)

// rounds is an engine.Progress that calls onDone with every step result,
// and records them.
type rounds struct {
	mu     sync.Mutex
	done   []engine.StepResult
	onDone func(r engine.StepResult, n int)
}

func (p *rounds) StepStarted(string, int64)       {}
func (p *rounds) Batch(string, decant.BatchAudit) {}
func (p *rounds) RoundError(error)                {}
func (p *rounds) StepDone(r engine.StepResult) {
	p.mu.Lock()
	p.done = append(p.done, r)
	n := len(p.done)
	p.mu.Unlock()
	p.onDone(r, n)
}

// --follow drains every step, sleeps, and drains again: records appended to
// a source between rounds are written by the next round, and closing the
// stop channel (what the first SIGINT does) ends the run cleanly, with no
// error and the scope's lease released.
func TestFollowPicksUpNewRecordsAndStops(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	stop := make(chan struct{})
	var once sync.Once
	prog := &rounds{}
	prog.onDone = func(r engine.StepResult, n int) {
		switch {
		case n == 3: // round 1 is over: the source grows before round 2
			s.orders(t, 4, 8)
		case r.Step == "orders" && r.Read == 5:
			// Round 2 (or later) read the five new orders.
			once.Do(func() { close(stop) })
		case n > 30:
			t.Errorf("no round read the new orders: %+v", prog.done)
			once.Do(func() { close(stop) })
		}
	}
	o := cli.MigrateOpts{Common: cli.Common{Config: s.plan, Scope: decant.DefaultScope}, Follow: true,
		Interval: 20 * time.Millisecond, Progress: prog, Stop: stop}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	res, err := cli.RunMigrate(ctx, o, &out, &out)
	if err != nil {
		t.Fatalf("RunMigrate --follow: %v\n%s", err, out.String())
	}
	if res.Rounds < 2 {
		t.Errorf("rounds = %d, want at least 2", res.Rounds)
	}
	if got := s.count(t, "orders"); got != "8" {
		t.Errorf("orders after the follow rounds = %s, want 8", got)
	}
	// The run released its lease: a plain run right after is not refused.
	if r := mustRun(t, "migrate", "-c", s.plan); !strings.Contains(r.stdout, "orders") {
		t.Errorf("migrate after --follow:\n%s", r)
	}
}

// A stop that comes while --follow sleeps between rounds ends the run at
// once, not after the interval.
func TestFollowStopsWhileSleeping(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	stop := make(chan struct{})
	prog := &rounds{onDone: func(r engine.StepResult, n int) {
		if n == 3 {
			time.AfterFunc(50*time.Millisecond, func() { close(stop) })
		}
	}}
	o := cli.MigrateOpts{Common: cli.Common{Config: s.plan, Scope: decant.DefaultScope}, Follow: true,
		Interval: time.Hour, Progress: prog, Stop: stop}
	start := time.Now()
	var out bytes.Buffer
	res, err := cli.RunMigrate(context.Background(), o, &out, &out)
	if err != nil || res.Rounds != 1 {
		t.Fatalf("RunMigrate --follow stopped while sleeping: rounds %v, err %v", res, err)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("the stop took %s; want it at once, not after the 1h interval", el)
	}
	if got := s.count(t, "orders"); got != "3" {
		t.Errorf("orders = %s, want 3", got)
	}
}

// --only runs exactly the steps it names, by step or by group, in plan
// order.
func TestOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		only string
		want string // orders, customers, events rows
		ran  string // steps that wrote batches, in order
	}{
		{"orders", "3 0 0", "orders"},
		{"sales", "3 2 0", "orders customers"},
		{"events,customers", "0 2 1", "customers events"},
		{"events,sales", "3 2 1", "orders customers events"},
	} {
		s := newShop(t)
		r := mustRun(t, "migrate", "--only", tc.only, "-c", s.plan)
		got := s.count(t, "orders") + " " + s.count(t, "customers") + " " + s.count(t, "events")
		if got != tc.want {
			t.Errorf("--only %s: rows %s, want %s:\n%s", tc.only, got, tc.want, r)
		}
		ran := strings.Join(strings.Fields(queryRows(t, s.db, "SELECT step FROM decant_batches ORDER BY id")), " ")
		if ran != tc.ran {
			t.Errorf("--only %s ran %q, want %q", tc.only, ran, tc.ran)
		}
	}
}

// Away from a terminal, migrate logs each step's start with the size the
// source gave, and its end with the counts.
func TestMigrateProgressLog(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	r := mustRun(t, "migrate", "-c", s.plan)
	for _, want := range []string{
		`step orders: started, about 3 records to read`,
		`step orders: done, 3 read, 3 written, 0 failed in \S+, \d+ rec/s`,
		`step customers: started, about 2 records to read`,
		`step events: done, 1 read, 1 written, 0 failed`,
	} {
		if !regexp.MustCompile(want).MatchString(r.stderr) {
			t.Errorf("migrate's progress lacks %s:\n%s", want, r)
		}
	}
	if strings.Contains(r.stderr, "%!") {
		t.Errorf("a format error in the progress:\n%s", r)
	}
}
