package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// heldResult is a reset that left the rows of keys moved to another
// scope, after on_unfinish lifted the fence.
func heldResult(n int) *engine.ResetResult {
	held := make([]string, n)
	for i := range held {
		held[i] = fmt.Sprint(i + 1)
	}
	return &engine.ResetResult{Scope: "a", Records: 30, Rows: 10, State: "new", Hooks: []engine.HookResult{{Hook: "on_unfinish"}},
		Steps: []engine.ResetStep{{Step: "people", Records: 30, Rows: 10, Tables: map[string]int64{"people": 10}, HeldElsewhere: held}}}
}

// Ensure reset's output names the keys whose rows stay because another
// scope's ledger holds them (cut to 20 in text, all in --json as
// held_elsewhere), and the hook that lifted the fence.
func TestReset_PrintsHeldElsewhere(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := printReset(&out, ResetOpts{}, resetPrint{ResetResult: heldResult(3)}, false, false); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"step people: 3 record(s) moved to another scope", "their rows stay", "keys 1, 2, 3",
		"hook on_unfinish ran first and lifted the fence"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("reset printed:\n%s\nwant it to say %q", out.String(), w)
		}
	}
	out.Reset()
	if err := printReset(&out, ResetOpts{}, resetPrint{ResetResult: heldResult(25)}, false, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "keys 1, 2,") || !strings.Contains(out.String(), "20 and 5 more (--json lists them all)") {
		t.Errorf("reset of 25 held keys printed:\n%s\nwant 20 keys and 5 more", out.String())
	}
	out.Reset()
	if err := printReset(&out, ResetOpts{Common: Common{JSON: true}}, resetPrint{ResetResult: heldResult(25)}, false, false); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Hooks []struct {
			Hook string `json:"hook"`
		} `json:"hooks"`
		Steps []struct {
			HeldElsewhere []string `json:"held_elsewhere"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("reset --json printed %q: %v", out.String(), err)
	}
	if len(got.Steps) != 1 || len(got.Steps[0].HeldElsewhere) != 25 || len(got.Hooks) != 1 || got.Hooks[0].Hook != "on_unfinish" {
		t.Errorf("reset --json = %s, want 25 held_elsewhere keys and hook on_unfinish", out.String())
	}
}
