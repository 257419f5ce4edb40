package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/cli"
)

// Ensure reset without a terminal, or with --json, refuses to run unless
// --yes confirms it, says so, and deletes nothing.
func TestReset_NeedsYes(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	for _, args := range [][]string{{"reset", "-c", s.plan}, {"reset", "--json", "-c", s.plan}} {
		r := run(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "confirm with --yes") {
			t.Errorf("decant %s: %s; want exit 2 asking for --yes", strings.Join(args, " "), r)
		}
	}
	if got := s.count(t, "orders"); got != "3" {
		t.Errorf("orders = %s after refused resets, want 3", got)
	}
}

// Ensure reset --yes --json deletes the scope's rows and state and prints
// what it deleted with snake_case keys, and migrate then starts over.
func TestReset_YesJSON(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	r := mustRun(t, "reset", "--yes", "--json", "-c", s.plan)
	var got struct {
		Scope   string `json:"scope"`
		Records int64  `json:"records"`
		Rows    int64  `json:"rows"`
		Steps   []struct {
			Step    string           `json:"step"`
			Records int64            `json:"records"`
			Rows    int64            `json:"rows"`
			Tables  map[string]int64 `json:"tables"`
			Unfound int64            `json:"unfound"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("reset --json printed %q: %v", r.stdout, err)
	}
	if got.Scope != decant.DefaultScope || got.Records != 6 || got.Rows != 6 || len(got.Steps) != 3 || got.Steps[2].Tables["orders"] != 3 { // reverse plan order
		t.Errorf("reset --json = %+v, want 6 records and rows over 3 steps, 3 orders", got)
	}
	for _, table := range []string{"orders", "customers", "events", "decant_ledger", "decant_checkpoints", "decant_batches"} {
		if n := s.count(t, table); n != "0" {
			t.Errorf("%s has %s rows after reset, want 0", table, n)
		}
	}
	mustRun(t, "migrate", "-c", s.plan)
	if got := s.count(t, "orders"); got != "3" {
		t.Errorf("orders = %s after migrating again, want 3", got)
	}
}

// Ensure reset on a terminal asks with the counts and tables, deletes
// nothing when told no, and resets when told yes.
func TestReset_Asks(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	o := cli.ResetOpts{Common: cli.Common{Config: s.plan, Scope: decant.DefaultScope}, Interactive: true}
	var out bytes.Buffer
	_, err := cli.RunReset(context.Background(), o, strings.NewReader("n\n"), &out)
	var ee *cli.ExitError
	if !errors.As(err, &ee) || ee.Code != 1 || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Errorf("reset answered n = %v, want exit 1, nothing deleted", err)
	}
	want := "reset scope default: delete 6 rows of 6 records in tables customers, events, orders? [y/N] "
	if out.String() != want {
		t.Errorf("prompt = %q, want %q", out.String(), want)
	}
	if got := s.count(t, "orders"); got != "3" {
		t.Errorf("orders = %s after a declined reset, want 3", got)
	}
	out.Reset()
	if _, err := cli.RunReset(context.Background(), o, strings.NewReader("yes\n"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "reset scope default: deleted 6 rows of 6 records") {
		t.Errorf("reset answered yes printed:\n%s", out.String())
	}
	if got := s.count(t, "orders"); got != "0" {
		t.Errorf("orders = %s after the reset, want 0", got)
	}
}
