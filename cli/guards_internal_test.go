package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure that on a terminal a destructive command in a protected
// environment goes on only when the environment's name is typed back,
// even with --yes, and that elsewhere it is left alone.
func TestConfirmProtected(t *testing.T) {
	t.Setenv("DECANT_TEST_CONFIRM_ENV", "production")
	g := &plan.Guards{Protect: map[string]plan.StringList{"DECANT_TEST_CONFIRM_ENV": {"production"}}}
	var w bytes.Buffer
	if err := confirmProtected(g, "reset", true, true, strings.NewReader("production\n"), &w); err != nil {
		t.Errorf("typed production: %v", err)
	}
	if !strings.Contains(w.String(), "reset in the protected environment production (DECANT_TEST_CONFIRM_ENV): type production to go on") {
		t.Errorf("prompt = %q", w.String())
	}
	for _, answer := range []string{"y\n", "prod\n", ""} {
		err := confirmProtected(g, "reset", true, true, strings.NewReader(answer), &w)
		if err == nil || !strings.Contains(err.Error(), "reset declined: the answer was not production; nothing was done") {
			t.Errorf("answer %q: %v, want it declined", answer, err)
		}
	}
	if err := confirmProtected(g, "reset", false, true, strings.NewReader("production\n"), &w); err == nil || !strings.Contains(err.Error(), "confirm with --yes") {
		t.Errorf("without --yes on a terminal: %v, want --yes asked for", err)
	}
	if err := confirmProtected(g, "reset", true, false, strings.NewReader(""), &w); err != nil {
		t.Errorf("--yes off a terminal: %v", err)
	}
	t.Setenv("DECANT_TEST_CONFIRM_ENV", "staging")
	if err := confirmProtected(g, "reset", false, false, strings.NewReader(""), &w); err != nil {
		t.Errorf("an environment that is not protected: %v", err)
	}
}

// Ensure an environment protected by a value with spaces around it
// (APP_ENV="production ", which Protected matches) asks for the value
// without them, and takes it.
func TestConfirmProtected_SpacesAroundTheValue(t *testing.T) {
	t.Setenv("DECANT_TEST_CONFIRM_ENV", " production ")
	g := &plan.Guards{Protect: map[string]plan.StringList{"DECANT_TEST_CONFIRM_ENV": {"production"}}}
	var w bytes.Buffer
	if err := confirmProtected(g, "reset", true, true, strings.NewReader("production\n"), &w); err != nil {
		t.Errorf("typed production: %v", err)
	}
	if !strings.Contains(w.String(), "type production to go on") {
		t.Errorf("prompt = %q, want the value without its spaces", w.String())
	}
}
