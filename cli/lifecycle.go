package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
)

// LifecycleOpts are the flags of `decant unfinish` and `decant commit`.
type LifecycleOpts struct {
	Common
	// Yes confirms a commit without asking (required off a terminal and
	// with --json).
	Yes bool
	// In is where a commit's confirmation is read on a terminal; nil
	// reads os.Stdin.
	In io.Reader
}

// Validate checks the flags.
func (o *LifecycleOpts) Validate() error { return o.Common.Validate() }

func newUnfinishCmd(c *Common) *cobra.Command {
	o := &LifecycleOpts{}
	return &cobra.Command{
		Use:   "unfinish",
		Short: "Take a finishing or finished scope back to live: run hooks.on_unfinish (lift the fence), then move",
		Long: `Moves the scope from finishing or finished back to live, after the plan's on_unfinish hook,
which should lift the write fence that on_finish put up. A failing hook leaves the state as it was.
It takes the scope's lease: stop a run of the scope first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunUnfinish(cmd.Context(), *o, cmd.OutOrStdout(), cmd.ErrOrStderr())
			return err
		},
	}
}

func newCommitCmd(c *Common) *cobra.Command {
	o := &LifecycleOpts{}
	cmd := &cobra.Command{
		Use:   "commit",
		Short: "Commit a finished scope for good, after verifying it clean again: run hooks.on_commit, then move",
		Long: `Moves the scope from finished to committed, which is final: nothing moves it again. It takes the
scope's lease, verifies the scope again (nothing may have been written since the finish, by decant or
by hand) and refuses, exit 1, when that is not clean: no missing, extra, diff, duplicate, pending key
or open error. Then it runs the plan's on_commit hook; a failing hook leaves the scope finished.
On a terminal it asks to type the scope's name; elsewhere, and with --json, it needs --yes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunCommit(cmd.Context(), *o, cmd.OutOrStdout(), cmd.ErrOrStderr())
			return err
		},
	}
	cmd.Flags().BoolVar(&o.Yes, "yes", false, "commit without asking (needed off a terminal and with --json)")
	return cmd
}

// RunUnfinish runs `decant unfinish` for o.Scope and prints where the
// scope stands to w; hook output goes to errw.
func RunUnfinish(ctx context.Context, o LifecycleOpts, w, errw io.Writer) (*engine.LifecycleResult, error) {
	o.writes = "unfinish"
	return runLifecycle(ctx, o, w, errw, engine.Unfinish)
}

// RunCommit runs `decant commit` for o.Scope, once confirmed (o.Yes, or
// the scope's name typed on a terminal), and prints where the scope
// stands to w; the prompt and hook output go to errw. A scope that is not
// clean is refused with exit code 1.
func RunCommit(ctx context.Context, o LifecycleOpts, w, errw io.Writer) (*engine.LifecycleResult, error) {
	o.writes = "commit"
	// The plan's guards first: a refused commit asks nothing.
	if _, err := o.load(); err != nil {
		return nil, err
	}
	if err := confirmCommit(o, errw); err != nil {
		return nil, err
	}
	return runLifecycle(ctx, o, w, errw, engine.Commit)
}

func runLifecycle(ctx context.Context, o LifecycleOpts, w, errw io.Writer,
	fn func(context.Context, engine.Config) (*engine.LifecycleResult, error)) (*engine.LifecycleResult, error) {
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res, err := fn(ctx, engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Hook: hookLog(errw, o.Scope)})
	if res == nil || (err != nil && res.State == res.From && len(res.Hooks) == 0 && res.Verify == nil) {
		return res, err // refused before doing anything: the error says it all
	}
	var perr error
	if o.JSON {
		perr = printJSON(w, toJSONLifecycle(res))
	} else {
		perr = printLifecycle(w, res)
	}
	return res, errors.Join(err, perr)
}

// confirmCommit asks for the scope's name on a terminal, unless o.Yes.
func confirmCommit(o LifecycleOpts, errw io.Writer) error {
	if o.Yes {
		return nil
	}
	in := o.In
	if in == nil {
		in = os.Stdin
	}
	if o.JSON || !readsTerminal(in) {
		return &ExitError{Code: 2, Err: fmt.Errorf("commit of scope %s is final and cannot be undone: give --yes to confirm "+
			"(it asks only on a terminal, and never with --json)", o.Scope)}
	}
	fmt.Fprintf(errw, "Commit scope %s? It is final: nothing moves it again. Type the scope's name to confirm: ", o.Scope)
	line, _ := bufio.NewReader(in).ReadString('\n')
	if strings.TrimSpace(line) != o.Scope {
		return fmt.Errorf("commit of scope %s not confirmed: nothing changed", o.Scope)
	}
	return nil
}

// readsTerminal reports whether r is a terminal: a file that is a
// character device that answers as a terminal (isTTY, per system), so
// that /dev/null, which tests and cron give as stdin, is not taken for
// one.
func readsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && isTTY(f)
}

// hookLog prints each hook's end and output to w (stderr), naming the
// scope: scopes run at once (--parallel) share stderr.
func hookLog(w io.Writer, scope string) func(engine.HookResult) {
	return func(r engine.HookResult) {
		how := "ok"
		if r.Error != "" {
			how = "FAILED: " + r.Error
		}
		fmt.Fprintf(w, "hook %s of scope %s: %s (%s)\n", r.Hook, scope, how, r.Duration.Round(time.Millisecond))
		if out := strings.TrimRight(r.Output, "\n"); out != "" {
			fmt.Fprintln(w, "  | "+strings.ReplaceAll(out, "\n", "\n  | "))
		}
	}
}

// jsonLifecycle is a lifecycle command's result as --json prints it
// (docs/commands.md).
type jsonLifecycle struct {
	Scope      string              `json:"scope"`
	Command    string              `json:"command"`
	From       string              `json:"from"`
	State      string              `json:"state"`
	StateSince *time.Time          `json:"state_since"`
	Hooks      []engine.HookResult `json:"hooks"`
	Verify     *verifyJSON         `json:"verify,omitempty"`
	Summary    string              `json:"summary"`
}

func toJSONLifecycle(r *engine.LifecycleResult) *jsonLifecycle {
	if r == nil {
		return nil
	}
	out := &jsonLifecycle{Scope: r.Scope, Command: r.Command, From: string(r.From), State: string(r.State),
		Hooks: r.Hooks, Summary: r.Summary}
	if !r.StateSince.IsZero() {
		since := r.StateSince.UTC()
		out.StateSince = &since
	}
	if r.Hooks == nil {
		out.Hooks = []engine.HookResult{}
	}
	if r.Verify != nil {
		v := jsonVerify(r.Verify)
		out.Verify = &v
	}
	return out
}

// printLifecycle prints one line: where the scope went and how.
func printLifecycle(w io.Writer, r *engine.LifecycleResult) error {
	if r == nil {
		return nil
	}
	move := fmt.Sprintf("%s → %s", r.From, r.State)
	if r.From == r.State {
		move = "stays " + string(r.State)
	}
	line := fmt.Sprintf("scope %s: %s (%s)", r.Scope, move, r.Command)
	if r.Summary != "" {
		line += ": " + r.Summary
	}
	_, err := fmt.Fprintln(w, line)
	return err
}
