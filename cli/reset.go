package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
)

// ResetOpts are the flags of `decant reset`.
type ResetOpts struct {
	Common
	ScopeList
	// Step, when set, resets one step (or group) instead of the scope.
	Step string
	// Groups, when set, resets the steps of these groups (names or
	// aliases) instead of the scope.
	Groups []string
	// Phase, for a plan with staging, resets only its load or only its
	// extract (--phase load|extract).
	Phase string
	// Migrations also reverts the plan's migrations, down to none, once
	// the steps are reset.
	Migrations bool
	// Yes confirms without asking.
	Yes bool
	// Interactive is set when input and output are a terminal: the reset
	// then asks before it deletes, unless Yes.
	Interactive bool
	// Errw receives the questions when the output carries --json, so that
	// it stays JSON; nil means os.Stderr.
	Errw io.Writer
}

// Validate checks the flags: without a terminal to ask on, or with
// --json, the reset must be confirmed with --yes.
func (o *ResetOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.Step != "" && len(o.Groups) > 0 {
		return usageError(errors.New("--step and --group cannot be combined: give the steps' groups with --group, or one step with --step"))
	}
	if o.Migrations && (o.Step != "" || len(o.Groups) > 0 || o.many() || o.Phase != "") {
		return usageError(errors.New("--migrations reverts the schema every scope and step shares: it goes with a reset of one whole scope, without --step, --group, --phase or --scopes"))
	}
	switch engine.Phase(o.Phase) {
	case "", engine.PhaseExtract, engine.PhaseLoad:
	default:
		return usageError(fmt.Errorf("--phase %s: give load (the target rows and the load's state; what is staged stays) or extract (what is staged and the extract's state)", o.Phase))
	}
	if o.many() && !o.Yes {
		// Asking scope by scope would stop a list halfway at each one.
		return usageError(fmt.Errorf("reset --scopes %s deletes every row those scopes wrote: confirm with --yes (a list is never asked for)", o.Scopes))
	}
	if !o.Yes && (o.JSON || !o.Interactive) {
		why := "input or output is not a terminal"
		if o.JSON {
			why = "--json is given"
		}
		return usageError(fmt.Errorf("reset deletes every row scope %s wrote: confirm with --yes (it asks on a terminal, but %s)", o.Scope, why))
	}
	return nil
}

func newResetCmd(c *Common) *cobra.Command {
	o := &ResetOpts{}
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Delete every row a scope wrote, and its state, so that it migrates again from the start",
		Long: `Deletes the target rows of every record in the scope's ledger (child rows first), chunk by
chunk, each chunk's rows and ledger rows in one transaction: a reset that is stopped resumes
where it stopped when run again (it forgets the steps' checkpoints first, so a migrate run
instead writes everything back). Then deletes the scope's state (checkpoints, errors, findings,
verify runs, patches, audit rows) and sets its lifecycle to new. Other scopes' rows stay, and
so do those of a record that moved to another scope (listed as held elsewhere). It holds the
scope's lease, so it is refused while a migrate of the scope runs, and it refuses a committed
scope. A finishing or finished scope has its fence lifted first (on_unfinish); if that hook
fails, nothing is deleted. The steps are undone in reverse plan order, so that rows that
reference an earlier step's go first. With --step, only that step's rows and state go; with
--group, only those of the groups' steps. With --migrations, the plan's migrations are then
reverted down to none, as db down --to 0; it is refused, before anything is deleted, while
another scope holds rows and state, or when a migration cannot be reverted (no down section).
In an environment the plan's guards protect,
--yes is required, and on a terminal the environment's name must be typed.
On a terminal it asks first, with the counts; otherwise (or with --json) give --yes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			o.Interactive = isTerminal(os.Stdout) && isTerminalIn(cmd.InOrStdin())
			o.Errw = cmd.ErrOrStderr()
			if err := validate(o); err != nil {
				return err
			}
			if err := o.ScopeList.check(cmd, o.Scope); err != nil {
				return err
			}
			// A signal stops the reset between two chunks: each is whole.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if o.many() {
				_, err := RunResetScopes(ctx, *o, cmd.OutOrStdout())
				return err
			}
			_, err := RunReset(ctx, *o, cmd.InOrStdin(), cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringVar(&o.Step, "step", "", "reset only this step or group")
	cmd.Flags().StringSliceVar(&o.Groups, "group", nil, "reset only the steps of these groups (names or aliases; comma-separated or repeated)")
	cmd.Flags().StringVar(&o.Phase, "phase", "", "with a plan that has staging: true, reset only the load (target rows; the staging tables stay) or only the extract (the staging tables)")
	cmd.Flags().BoolVar(&o.Migrations, "migrations", false, "then revert the plan's migrations, down to none (as db down --to 0)")
	cmd.Flags().BoolVar(&o.Yes, "yes", false, "confirm without asking")
	addScopeFlags(cmd, &o.ScopeList, false)
	return cmd
}

// isTerminalIn reports whether r is a terminal.
func isTerminalIn(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTerminal(f)
}

// RunResetScopes resets each scope of o.Scopes, one after another (each
// holds its scope's lease; o.Yes confirms them all). A scope that fails
// does not stop the others.
func RunResetScopes(ctx context.Context, o ResetOpts, w io.Writer) ([]ScopeResult, error) {
	scopes, err := o.list(o.Scope)
	if err != nil {
		return nil, err
	}
	if !o.Yes {
		return nil, usageError(fmt.Errorf("reset --scopes %s: confirm with --yes", o.Scopes))
	}
	// The guards are the plan's, not a scope's: asked once for the list.
	o.writes = "reset"
	p, err := o.load()
	if err != nil {
		return nil, err
	}
	if err := confirmProtected(p.Guards, "reset --scopes "+o.Scopes, o.Yes, o.Interactive, os.Stdin, promptTo(w, o.Errw, o.JSON)); err != nil {
		return nil, err
	}
	o.Interactive = false
	r := scopeRun{scopes: scopes, json: o.JSON}
	return r.run(ctx, w, func(ctx context.Context, scope string, w io.Writer) (any, error) {
		so := o
		so.Scope, so.Scopes = scope, ""
		res, err := RunReset(ctx, so, nil, w)
		if res == nil {
			return nil, err
		}
		return res, err
	})
}

// RunReset runs `decant reset`: unless o.Yes it asks on w and reads the
// answer from in, then resets and prints what it deleted.
func RunReset(ctx context.Context, o ResetOpts, in io.Reader, w io.Writer) (*engine.ResetResult, error) {
	o.writes = "reset"
	p, err := o.load()
	if err != nil {
		return nil, err
	}
	if err := o.checkNames(p); err != nil {
		return nil, err
	}
	if err := confirmProtected(p.Guards, "reset", o.Yes, o.Interactive, in, promptTo(w, o.Errw, o.JSON)); err != nil {
		return nil, err
	}
	st, err := connect.ExistingStore(ctx, p)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope}
	var todo []migrations.Applied
	if o.Migrations {
		if todo, err = checkRevert(ctx, cfg); err != nil {
			return nil, err
		}
	}
	opts := engine.ResetOptions{Step: o.Step, Groups: o.Groups, Phase: engine.Phase(o.Phase)}
	if !o.Yes {
		opts.Confirm = func(r *engine.ResetResult) bool { return ask(in, w, r, len(todo)) }
	}
	res, err := engine.Reset(ctx, cfg, opts)
	if errors.Is(err, engine.ErrResetDeclined) {
		return nil, &ExitError{Code: 1, Err: err}
	}
	resetFailed := err != nil
	var reverted []string
	if err == nil && o.Migrations {
		// Again: a run of another scope may have written since the check.
		if err = refuseOtherScopes(ctx, cfg, "the scope is reset, and no migration was reverted"); err == nil {
			st.Close() // the migrations take their own connection and lock
			reverted, err = revertMigrations(ctx, p, w, o.JSON)
		}
	}
	if res != nil {
		if perr := printReset(w, o, resetPrint{res, reverted}, resetFailed, err != nil); perr != nil && err == nil {
			err = perr
		}
	}
	return res, err
}

// promptTo is where a question goes: w, or errw (nil: os.Stderr) when w
// carries --json.
func promptTo(w, errw io.Writer, asJSON bool) io.Writer {
	switch {
	case !asJSON:
		return w
	case errw != nil:
		return errw
	}
	return os.Stderr
}

// resetPrint is what reset prints: the engine's result, and with
// --migrations the migrations reverted ("migrations" in --json).
type resetPrint struct {
	*engine.ResetResult
	Migrations []string `json:"migrations,omitempty"`
}

// checkNames refuses a --step or --group the plan does not have, listing
// those it has, and --migrations for a plan without migrations.
func (o *ResetOpts) checkNames(p *plan.Plan) error {
	if o.Step != "" {
		if err := checkSteps(p, "--step", []string{o.Step}, true); err != nil {
			return err
		}
	}
	for _, g := range o.Groups {
		if p.GroupName(g) == "" {
			return usageError(fmt.Errorf("--group %s: the plan has no group of that name; its groups are %s", g, p.GroupList()))
		}
	}
	if o.Migrations && p.Migrations == "" {
		return usageError(errors.New("--migrations: the plan has no migrations key, so there are no migrations to revert; leave --migrations out"))
	}
	return nil
}

// checkRevert refuses reset --migrations before anything is deleted when
// it could not end as asked: another scope still holds rows in the schema
// it would drop, or a migration cannot be reverted (no down section,
// changed, gone). It returns the migrations it would revert.
func checkRevert(ctx context.Context, cfg engine.Config) ([]migrations.Applied, error) {
	if err := refuseOtherScopes(ctx, cfg, "nothing was deleted"); err != nil {
		return nil, usageError(err)
	}
	todo, err := connect.MigrationsToRevert(ctx, cfg.Plan)
	if err != nil {
		return nil, fmt.Errorf("reset --migrations: %w (nothing was deleted)", err)
	}
	return todo, nil
}

// refuseOtherScopes refuses reset --migrations while scopes other than
// cfg.Scope hold ledger rows or checkpoints: dropping the schema would take
// their rows while their state says they are written, and their next run
// would write nothing back. done says what was done so far. Before the
// reset the refusal is a usage error (exit 2, checkRevert); after it, the
// rows being gone, a failure (exit 1).
func refuseOtherScopes(ctx context.Context, cfg engine.Config, done string) error {
	others, err := engine.ScopesWithState(ctx, cfg)
	if err != nil { // a failure, not a refusal: exit 1 even before the reset
		return &ExitError{Code: 1, Err: fmt.Errorf("reset --migrations: %w (%s)", err, done)}
	}
	if len(others) == 0 {
		return nil
	}
	return fmt.Errorf("reset --migrations reverts the schema every scope shares, and scope(s) %s still hold rows and state in it: "+
		"reset them first (decant reset --scopes :%s --yes), then run reset --scope %s --migrations again; %s",
		strings.Join(others, ", "), strings.Join(others, ":"), cfg.Scope, done)
}

// revertMigrations reverts the plan's migrations for reset --migrations,
// telling each on w unless asJSON, and lists them.
func revertMigrations(ctx context.Context, p *plan.Plan, w io.Writer, asJSON bool) ([]string, error) {
	progress := func(e migrations.Event) {
		if e.What == "done" && !asJSON {
			fmt.Fprintf(w, "reverted migration %s\n", e.Migration)
		}
	}
	reverted, err := connect.RevertMigrations(ctx, p, progress)
	names := []string{}
	for _, a := range reverted {
		names = append(names, a.ID+" "+a.Name)
	}
	return names, err
}

// ask asks on w whether to reset, and then revert reverts migrations
// (--migrations), and reads y or yes from in.
func ask(in io.Reader, w io.Writer, r *engine.ResetResult, reverts int) bool {
	what := "scope " + r.Scope
	switch {
	case r.Step != "":
		what = "step " + r.Step + " of scope " + r.Scope
	case len(r.Groups) > 0:
		what = "groups " + strings.Join(r.Groups, ", ") + " of scope " + r.Scope
	}
	tables := strings.Join(r.TableNames(), ", ")
	if tables == "" {
		tables = "none"
	}
	held := 0
	for _, s := range r.Steps {
		held += len(s.HeldElsewhere)
	}
	if held > 0 {
		tables += fmt.Sprintf(" (the rows of %d record(s) that moved to another scope stay)", held)
	}
	then := ""
	if reverts > 0 {
		then = fmt.Sprintf(", then revert %d migration(s), dropping the schema they made", reverts)
	}
	staged := ""
	if r.Staged > 0 {
		staged = fmt.Sprintf(" and %d staged records", r.Staged)
	}
	fmt.Fprintf(w, "reset %s: delete %d rows of %d records in tables %s%s%s? [y/N] ", what, r.Rows, r.Records, tables, staged, then)
	line, _ := bufio.NewReader(in).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

func printReset(w io.Writer, o ResetOpts, res resetPrint, failed, migrationsFailed bool) error {
	if o.JSON {
		return printJSON(w, res)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tRECORDS\tROWS\tUNFOUND\tSTAGED")
	for _, s := range res.Steps {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", s.Step, s.Records, s.Rows, s.Unfound, s.Staged)
	}
	tw.Flush()
	verb := "deleted"
	if failed {
		verb = "deleted before the error"
	}
	fmt.Fprintf(w, "reset scope %s: %s %d rows of %d records", res.Scope, verb, res.Rows, res.Records)
	if res.Staged > 0 {
		fmt.Fprintf(w, " and %d staged records", res.Staged)
	}
	if res.State != "" {
		fmt.Fprintf(w, "; the scope is %s", res.State)
	}
	fmt.Fprintln(w)
	if o.Migrations && !failed && !migrationsFailed {
		fmt.Fprintf(w, "reverted %d migration(s) of %s: none is applied now\n", len(res.Migrations), o.Config)
	}
	for _, h := range res.Hooks {
		fmt.Fprintf(w, "the scope was finishing or finished: hook %s ran first and lifted the fence\n", h.Hook)
	}
	for _, s := range res.Steps {
		if s.Unfound > 0 {
			fmt.Fprintf(w, "step %s: %d record(s) whose rows could not be looked for (a key the ledger abbreviated, or one that no longer maps): their rows, if any, stay\n", s.Step, s.Unfound)
		}
		if len(s.HeldElsewhere) > 0 {
			fmt.Fprintf(w, "step %s: %d record(s) moved to another scope, whose ledger holds them: their rows stay, as that scope's (keys %s)\n",
				s.Step, len(s.HeldElsewhere), keyList(s.HeldElsewhere, 20))
		}
	}
	return nil
}

// keyList joins up to limit keys, saying how many more there are.
func keyList(keys []string, limit int) string {
	if len(keys) <= limit {
		return strings.Join(keys, ", ")
	}
	return fmt.Sprintf("%s and %d more (--json lists them all)", strings.Join(keys[:limit], ", "), len(keys)-limit)
}
