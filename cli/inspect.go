package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
)

// CheckOpts are the flags of `decant check`.
type CheckOpts struct {
	Common
	Only []string
	// Sample is how many records of each step check maps to find fields
	// that reach no column; 0 maps none (the command's default is
	// engine.DefaultSample).
	Sample int
}

// Validate checks the flags.
func (o *CheckOpts) Validate() error {
	if o.Sample < 0 {
		return fmt.Errorf("--sample %d: give a number of records, 0 or more (0 maps none)", o.Sample)
	}
	return o.Common.Validate()
}

func newCheckCmd(c *Common) *cobra.Command {
	o := &CheckOpts{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Load the plan, reach every connection, and compare each step with the target tables",
		Long: `Loads the plan (strict: unknown keys and bad expressions fail with file:line:col), reaches
every connection, and confirms that every mapped table and column exists in the target with a
compatible type. Then it maps the first --sample records of each step and lists their fields
that reach no column. It writes nothing. Exit code 2 when it finds problems.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			o.Stderr = cmd.ErrOrStderr()
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunCheck(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringSliceVar(&o.Only, "only", nil, "check only these steps or groups")
	cmd.Flags().IntVar(&o.Sample, "sample", engine.DefaultSample, "map the first N records of each step to find fields that reach no column (0: none)")
	return cmd
}

// RunCheck runs `decant check` and prints what it found.
func RunCheck(ctx context.Context, o CheckOpts, w io.Writer) (*engine.CheckResult, error) {
	p, err := o.load()
	if err != nil {
		return nil, err
	}
	if err := checkSteps(p, "--only", o.Only, true); err != nil {
		return nil, err
	}
	warn(o.Stderr, p, o.Only)
	st, err := connect.ExistingStore(ctx, p)
	if err != nil {
		// Report it as the target's result, and check the sources still.
		st = unreachable{err: err}
	} else if st, err = connect.Planned(ctx, p, st); err != nil {
		return nil, err
	}
	defer st.Close()
	sample := o.Sample
	if sample <= 0 {
		sample = -1 // none
	}
	res, err := engine.Check(ctx, engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Only: o.Only, Sample: sample})
	if err != nil {
		return nil, err
	}
	if _, down := st.(unreachable); !down {
		res.Migrations = checkMigrations(ctx, p)
	}
	guards := guardsOf(p)
	if o.JSON {
		err = printJSON(w, checkJSON{res, guards})
	} else {
		printCheck(w, res)
		printGuards(w, guards)
	}
	if err == nil && !res.OK() {
		err = &ExitError{Code: 2, Err: errors.New("check found problems (see above)")}
	}
	return res, err
}

// unreachable stands for a target that did not open, so that check
// reports it beside every other connection instead of stopping at it.
// engine.Check only pings it.
type unreachable struct {
	decant.Store // nil: no other method may be called
	err          error
}

func (u unreachable) Ping(context.Context) error { return u.err }
func (u unreachable) Close() error               { return nil }

// checkMigrations reports the plan's versioned migrations, if it has any.
func checkMigrations(ctx context.Context, p *plan.Plan) *engine.MigrationsCheck {
	if p.Migrations == "" {
		return nil
	}
	mc := &engine.MigrationsCheck{Dir: p.Migrations}
	pending, err := connect.PendingMigrations(ctx, p)
	if err != nil {
		mc.Error = decant.RedactURL(err.Error())
	}
	var drifted []string
	for _, s := range pending {
		name := migrationName(s)
		mc.Pending = append(mc.Pending, fmt.Sprintf("%s (%s)", name, s.State))
		if s.State == migrations.StateDrifted {
			drifted = append(drifted, name)
		}
	}
	if len(drifted) > 0 && mc.Error == "" {
		// migrate would refuse these: a failure, not a note.
		mc.Error = fmt.Sprintf("applied migrations were edited since they ran: %s; revert the edit, or record it with `decant db accept-checksum N --reason \"...\"`",
			strings.Join(drifted, ", "))
	}
	return mc
}

// migrationName names a migration for messages: its file, or, for a Go
// migration, its id and name.
func migrationName(s migrations.Status) string {
	if s.File != "" {
		return s.File
	}
	return s.ID + " " + s.Name
}

// needsMigrations reports whether a step's problem is a missing table or
// column, which a migration may be meant to add.
func needsMigrations(problems []string) bool {
	for _, p := range problems {
		if strings.Contains(p, "does not exist in the target") || strings.Contains(p, " has no column ") {
			return true
		}
	}
	return false
}

func printCheck(w io.Writer, res *engine.CheckResult) {
	for _, c := range res.Connections {
		if c.Error != "" {
			fmt.Fprintf(w, "FAIL connection %s (%s): %s\n", c.Name, c.URL, c.Error)
		} else {
			fmt.Fprintf(w, "ok   connection %s (%s)\n", c.Name, c.URL)
		}
	}
	pending := 0
	if m := res.Migrations; m != nil {
		pending = len(m.Pending)
		switch {
		case m.Error != "":
			fmt.Fprintf(w, "FAIL migrations %s: %s\n", m.Dir, m.Error)
		case pending > 0:
			fmt.Fprintf(w, "note migrations %s: %d to apply (migrate applies them before the steps): %s\n",
				m.Dir, pending, strings.Join(m.Pending, ", "))
		default:
			fmt.Fprintf(w, "ok   migrations %s: all applied\n", m.Dir)
		}
	}
	for _, s := range res.Steps {
		if len(s.Problems) == 0 {
			fmt.Fprintf(w, "ok   step %s -> %v\n", s.Step, s.Tables)
		} else {
			fmt.Fprintf(w, "FAIL step %s:\n", s.Step)
		}
		for _, p := range s.Problems {
			fmt.Fprintf(w, "       %s\n", p)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "       note: %s\n", n)
		}
		if pending > 0 && needsMigrations(s.Problems) {
			fmt.Fprintln(w, "       (no pending migration creates it, as far as decant can read their SQL; if one does in a way decant cannot read, run `decant db up` and check again)")
		}
	}
}

// PreviewOpts are the flags of `decant preview`.
type PreviewOpts struct {
	Common
	Step string
	N    int
}

// Validate checks the flags.
func (o *PreviewOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.Step == "" {
		return errors.New("preview: name a step")
	}
	if o.N <= 0 {
		return errors.New("-n must be at least 1")
	}
	return nil
}

func newPreviewCmd(c *Common) *cobra.Command {
	o := &PreviewOpts{}
	cmd := &cobra.Command{
		Use:   "preview STEP",
		Short: "Show source records beside the rows they become; writes nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common, o.Step = *c, args[0]
			o.Stderr = cmd.ErrOrStderr()
			if err := validate(o); err != nil {
				return err
			}
			return RunPreview(cmd.Context(), *o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVarP(&o.N, "n", "n", 5, "number of records")
	return cmd
}

// RunPreview runs `decant preview`.
func RunPreview(ctx context.Context, o PreviewOpts, w io.Writer) error {
	defer o.close()
	// The step is named as the user gave it: the argument, not --only.
	sel := selection{arg: "preview", names: []string{o.Step}}
	p, st, err := o.openPredict(ctx, o.Stderr, sel, "preview")
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope}
	items, err := engine.Preview(ctx, cfg, o.Step, o.N)
	if err != nil {
		return err
	}
	if o.JSON {
		if items == nil {
			items = []engine.PreviewItem{}
		}
		return printJSON(w, items)
	}
	if len(items) == 0 {
		return printNoRecords(ctx, w, st, o.Scope, o.Step, engine.PreviewState(p, o.Step))
	}
	for _, it := range items {
		key := it.Key
		if key == "" {
			key = "without a key"
		}
		fmt.Fprintf(w, "== record %s (%s)\n%s\n", key, it.Where, it.Record)
		if it.Error != nil {
			fmt.Fprintf(w, "-> ERROR %s\n   %s\n", it.Error.Message, it.Error.Detail)
		}
		for _, r := range it.Rows {
			fmt.Fprintf(w, "-> %s\n", r.Table)
			for _, k := range sortedKeys(r.Values) {
				fmt.Fprintf(w, "     %s = %s\n", k, previewValue(r.Values[k]))
			}
		}
		for _, f := range it.Unmapped {
			fmt.Fprintf(w, "-> UNMAPPED %s %s = %s\n", f.Table, f.Path, oneLine(f.Example))
		}
	}
	return nil
}

// previewValue shows a row's value as it will be written: times in RFC
// 3339 (as --json prints them), JSON as its text, NULL for nil.
func previewValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case decant.JSON:
		return string(v)
	case decant.Decimal:
		return string(v)
	}
	return fmt.Sprint(v)
}

// printNoRecords says why a preview shows nothing: the source has no
// record after the step's checkpoint, or none at all.
func printNoRecords(ctx context.Context, w io.Writer, st decant.Store, scope, step, state string) error {
	pos, err := st.Checkpoint(ctx, scope, state)
	if err != nil {
		return err
	}
	if pos == nil {
		_, err = fmt.Fprintf(w, "no records: the source of step %s has none\n", step)
		return err
	}
	_, err = fmt.Fprintf(w, "no records after position %s, where step %s stopped: the next migrate has nothing new to read\n", pos, step)
	return err
}

// StatusOpts are the flags of `decant status`.
type StatusOpts struct {
	Common
	ScopeList
}

func newStatusCmd(c *Common) *cobra.Command {
	var l ScopeList
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Per step: records read, distinct keys, keys written, open errors, verify findings, last cursor, last batch, rate",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := StatusOpts{Common: *c, ScopeList: l}
			if err := validate(&o); err != nil {
				return err
			}
			if err := o.ScopeList.check(cmd, o.Scope); err != nil {
				return err
			}
			if o.many() {
				_, err := RunStatusScopes(cmd.Context(), o, cmd.OutOrStdout())
				return err
			}
			_, err := RunStatus(cmd.Context(), o, cmd.OutOrStdout())
			return err
		},
	}
	addScopeFlags(cmd, &l, false)
	return cmd
}

// RunStatus prints the status of every step of the scope.
func RunStatus(ctx context.Context, o StatusOpts, w io.Writer) ([]decant.StepStatus, error) {
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	sr, err := stateReader(st)
	if err != nil {
		return nil, err
	}
	ss, err := sr.Status(ctx, o.Scope) // no Init: a read writes nothing
	if err != nil {
		return nil, err
	}
	if err := phases(ctx, p, st, o.Scope, ss); err != nil {
		return nil, err
	}
	life, err := scopeLifecycle(ctx, st, o.Scope)
	if err != nil {
		return nil, err
	}
	if o.JSON {
		out := make([]statusJSON, len(ss))
		for i, s := range ss {
			if s.Unmapped == nil {
				s.Unmapped = []decant.UnmappedField{} // a list, never null
			}
			out[i] = statusJSON{StepStatus: s, State: string(life.State), StateSince: sinceJSON(life.Since)}
		}
		return ss, printJSON(w, out)
	}
	if len(ss) == 0 {
		// An empty table would hide a mistyped --scope.
		_, err := fmt.Fprintf(w, "scope %s: nothing migrated yet\n", o.Scope)
		return ss, err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "scope %s: %s\n", o.Scope, lifecycleText(life))
	fmt.Fprintln(tw, "STEP\tREAD\tKEYS\tWRITTEN\tFAILED\tDIFFS\tCHANGES\tMISSING\tEXTRA\tPENDING\tBATCHES\tLAST CURSOR\tLAST BATCH\tRATE")
	for _, s := range ss {
		last := "-"
		if !s.LastBatch.IsZero() {
			last = s.LastBatch.Local().Format(time.DateTime)
		}
		name := s.Step
		switch s.Phase {
		case "extract":
			name += fmt.Sprintf(" (extract: %d staged)", s.Staged)
		case "load":
			name += " (load)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%.0f/s\n", name, s.Read, s.Keys, s.Written, s.Failed,
			s.Diffs, s.Changes, s.Missing, s.Extra, s.Pending, s.Batches, s.LastCursor, last, s.Rate)
	}
	if err := tw.Flush(); err != nil {
		return ss, err
	}
	for _, s := range ss {
		if err := printUnmapped(w, s.Step, s.Unmapped); err != nil {
			return ss, err
		}
	}
	return ss, nil
}

// phases names the phase of each line of a staged plan's status: a step's
// extract keeps its state under decant.ExtractStep, and its line gets the
// number of records staged.
func phases(ctx context.Context, p *plan.Plan, st decant.Store, scope string, ss []decant.StepStatus) error {
	if !p.Staging {
		return nil
	}
	stg, hasStaging := decant.As[decant.Stager](st)
	for i := range ss {
		step, ok := decant.ExtractOf(ss[i].Step)
		if !ok {
			ss[i].Phase = "load"
			continue
		}
		ss[i].Step, ss[i].Phase = step, "extract"
		if hasStaging {
			n, err := stg.CountStaged(ctx, scope, step, 0)
			if err != nil && !errors.Is(err, decant.ErrNotFound) {
				return err
			}
			ss[i].Staged = n
		}
	}
	return nil
}

// statusJSON is one step of `decant status --json`: the step's counts and
// its scope's lifecycle state, with since when (null for a scope whose
// state never moved).
type statusJSON struct {
	decant.StepStatus
	State      string     `json:"state"`
	StateSince *time.Time `json:"state_since"`
}

func sinceJSON(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// scopeLifecycle reads the scope's lifecycle; a store without the role
// reads as new.
func scopeLifecycle(ctx context.Context, st decant.Store, scope string) (decant.Lifecycle, error) {
	lc, ok := decant.As[decant.Lifecycler](st)
	if !ok {
		return decant.Lifecycle{Scope: scope, State: decant.StateNew}, nil
	}
	return lc.Lifecycle(ctx, scope)
}

// lifecycleText is "live since 2026-03-01 12:00:00 (note)".
func lifecycleText(l decant.Lifecycle) string {
	s := string(l.State)
	if !l.Since.IsZero() {
		s += " since " + l.Since.Local().Format(time.DateTime)
	}
	if l.Note != "" {
		s += " (" + l.Note + ")"
	}
	return s
}
