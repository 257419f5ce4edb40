// Package cli is decant's command line: thin cobra commands that parse
// flags into an Opts value, validate it, and call a Run function that does
// the work through the engine and prints a typed result. Every Run takes its
// output writer, so tests call it directly.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// Common holds the flags every command shares.
type Common struct {
	// Config is the plan file. Default decant.yaml.
	Config string
	// Scope is the tenant. Default "default".
	Scope string
	// JSON prints results as JSON.
	JSON bool
	// Funcs are extra expression functions (library use).
	Funcs *transform.Funcs
	// Stderr receives warnings about risky settings (an HTTP feed without
	// TLS verification, credentials over plain http), printed once when
	// check, preview or migrate starts. Nil discards them; RunMigrate
	// falls back to its progress writer.
	Stderr io.Writer

	// closers clean up what opening left behind (a dry run's stand-in
	// for a target that does not exist yet); see close.
	closers []func()
	// writes names the command when it writes ("migrate"): load then
	// refuses it, as the plan's guards.require says, before anything
	// connects.
	writes string
}

// Validate checks the common flags.
func (c *Common) Validate() error {
	if c.Config == "" {
		return errors.New("--config: give the plan file (decant.yaml)")
	}
	if c.Scope == "" {
		c.Scope = decant.DefaultScope
	}
	return nil
}

// load loads the plan; for a command that writes (c.writes) it then
// checks the plan's guards, so that a refusal comes before any connection.
func (c *Common) load() (*plan.Plan, error) {
	p, err := plan.Load(c.Config, plan.Options{Funcs: c.Funcs, Sources: connect.DefaultSources()})
	if err != nil || c.writes == "" {
		return p, err
	}
	if err := p.Guards.CheckWrite(c.writes, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// open loads the plan and opens its target store, which must exist: the
// commands that may create a SQLite file open it with openMigrate.
func (c *Common) open(ctx context.Context) (*plan.Plan, decant.Store, error) {
	return c.openWarn(ctx, nil, selection{})
}

// selection is the steps a command works on, as the user named them:
// --only's steps and groups, or preview's STEP argument.
type selection struct {
	// arg names the selection in errors: "--only", or "preview".
	arg    string
	names  []string
	groups bool // a group's name selects its steps
}

// only is the selection of a command's --only flag.
func only(names []string) selection { return selection{arg: "--only", names: names, groups: true} }

// openWarn is open that first refuses a name of sel that is no step (or
// group) of the plan, then prints to w the warnings of the sources of the
// steps sel selects.
func (c *Common) openWarn(ctx context.Context, w io.Writer, sel selection) (*plan.Plan, decant.Store, error) {
	p, err := c.load()
	if err != nil {
		return nil, nil, err
	}
	if err := checkSteps(p, sel.arg, sel.names, sel.groups); err != nil {
		return nil, nil, err
	}
	warn(w, p, sel.names)
	st, err := connect.ExistingStore(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, st, nil
}

// warn prints the warnings of the sources of the steps that only selects
// (every step when empty; by step, group or alias, as --only does).
func warn(w io.Writer, p *plan.Plan, only []string) {
	if w == nil {
		return
	}
	steps, err := p.Select(plan.Selection{Only: only})
	if err != nil {
		return // refused with its flag's name where the names are checked
	}
	for _, msg := range connect.Warnings(p, steps) {
		fmt.Fprintln(w, "decant: warning:", msg)
	}
}

// NewRoot returns the decant command with all subcommands. funcs may add
// custom expression functions (nil for the built-in library).
func NewRoot(funcs *transform.Funcs) *cobra.Command {
	common := &Common{Funcs: funcs}
	root := &cobra.Command{
		Use:           "decant",
		Short:         "Move an application's data out of a legacy system into SQL, and prove it arrived",
		Version:       decant.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&common.Config, "config", "c", "decant.yaml", "plan file")
	root.PersistentFlags().StringVar(&common.Scope, "scope", decant.DefaultScope, "scope (tenant) the command is for")
	root.PersistentFlags().BoolVar(&common.JSON, "json", false, "print results as JSON")
	root.AddCommand(newInitCmd(), newCheckCmd(common), newPreviewCmd(common), newMigrateCmd(common),
		newStatusCmd(common), newStatsCmd(common), newErrorsCmd(common), newVerifyCmd(common), newDiffsCmd(common), newPatchCmd(common), newDBCmd(), newSnapshotCmd(),
		newUnfinishCmd(common), newCommitCmd(common), newResetCmd(common), newInferCmd(common))
	strictUsage(root)
	return root
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, funcs *transform.Funcs) int {
	root := NewRoot(funcs)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "decant:", err)
		var ee *ExitError
		if errors.As(err, &ee) {
			return ee.Code
		}
		return 1
	}
	return 0
}

// ExitError carries a specific exit code (e.g. 2 when check finds problems).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
