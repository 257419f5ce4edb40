package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// coreOnly hides every role of the store it embeds: it has the core
// methods of decant.Store and nothing else, as a store written by a
// library user might.
type coreOnly struct{ decant.Store }

// Ensure a store without the roles a command needs fails it with an error
// naming the role, before anything is written, instead of a panic or a
// silent skip.
func TestMissingRoleNamed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5, "people: [person]", nil)
	cfg := f.config(t)
	cfg.Store = coreOnly{cfg.Store}
	_, err := engine.Run(context.Background(), cfg, nil)
	var re *decant.RoleError
	if !errors.As(err, &re) || re.Role != "decant.StateInitializer" || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Run = %v, want a *decant.RoleError for decant.StateInitializer", err)
	}
	cfg.DryRun = true
	_, err = engine.Run(context.Background(), cfg, nil)
	if !errors.As(err, &re) || re.Role != "decant.Cataloger" {
		t.Errorf("dry run = %v, want a *decant.RoleError for decant.Cataloger", err)
	}
	if _, err := engine.Retry(context.Background(), cfg); !errors.As(err, &re) || re.Role != "decant.Cataloger" {
		t.Errorf("Retry = %v, want a *decant.RoleError for decant.Cataloger", err)
	}
	if got := f.query(t, "SELECT count(*) FROM sqlite_master"); got != "0" {
		t.Errorf("the target holds %s objects, want none: nothing may be written", got)
	}
	// With its state and lease roles but no scripts, the plan's setup file
	// is what fails, by name.
	st := f.config(t).Store
	in, _ := decant.As[decant.StateInitializer](st)
	l, _ := decant.As[decant.Leaser](st)
	c, _ := decant.As[decant.Cataloger](st)
	cfg.DryRun, cfg.Store = false, noScripts{st, in, l, c}
	_, err = engine.Run(context.Background(), cfg, nil)
	if !errors.As(err, &re) || re.Role != "decant.ScriptRunner" || re.Need != "run the plan's setup scripts" {
		t.Errorf("Run without scripts = %v, want a *decant.RoleError for decant.ScriptRunner", err)
	}
}

// noScripts has every role decant's stores have but ScriptRunner.
type noScripts struct {
	decant.Store
	decant.StateInitializer
	decant.Leaser
	decant.Cataloger
}
