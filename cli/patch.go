package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
)

// PatchOpts are the flags of `decant patch`.
type PatchOpts struct {
	Common
	// Step, when set, patches one step (or group) only.
	Step string
	// Keys name the records to patch, as decant diffs names them; All
	// patches every finding of Kinds.
	Keys  []string
	All   bool
	Kinds []string
	// DryRun lists what would be patched and writes nothing.
	DryRun bool
	Reason string
}

// Validate checks the flags.
func (o *PatchOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	switch {
	case len(o.Keys) == 0 && !o.All:
		return usageError(errors.New("patch: name the records: --key K (decant diffs lists the keys), or --all for every finding"))
	case len(o.Keys) > 0 && o.All:
		return usageError(errors.New("patch: give --key or --all, not both"))
	case !o.DryRun && strings.TrimSpace(o.Reason) == "":
		return usageError(errors.New("patch: --reason is required: say why the target is patched (every patch keeps it); or look first with --dry-run"))
	}
	for _, k := range o.Kinds {
		if !slices.Contains([]string{decant.FindingDiff, decant.FindingMissing, decant.FindingExtra, decant.FindingChange}, k) {
			return usageError(fmt.Errorf("patch: --kinds %q: give diff, missing, extra or change (a duplicate key needs a look by hand)", k))
		}
	}
	return nil
}

func newPatchCmd(c *Common) *cobra.Command {
	o := &PatchOpts{}
	cmd := &cobra.Command{
		Use:   "patch",
		Short: "Repair what verify finds: write the rows the plan expects, keeping each patch so it can be reverted",
		Long: `Verifies, then writes the rows the plan expects over each record that differs: the expected
row over a diff, a missing row inserted, and, only when --kinds names extra, an extra row
deleted; a child table's rows are replaced as a whole. Each record is patched in its own
transaction together with a patch record: the rows before and after, the findings, and the
--reason. A verify after the patch stores the findings again and names each record that is
patched but still different (a trigger or a generated column overruled the patch).
decant patch list and show print the patches; decant patch revert puts the rows back.
A record whose source record is an error now, or that the source changed since the verify,
is skipped with why; one the target refuses is reported failed, and the others go on.
Exit code 0 when every patched record now verifies, 1 when one is still different or failed,
2 when the patch could not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(o); err != nil {
				return err
			}
			// A signal stops the patch between two records: each record
			// is patched whole, with its patch record, or not at all.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			_, err := RunPatch(ctx, *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringVar(&o.Step, "step", "", "patch only this step or group")
	cmd.Flags().StringArrayVar(&o.Keys, "key", nil, "patch the record with this key, as decant diffs names it (repeat for more; a composite key is its JSON array)")
	cmd.Flags().BoolVar(&o.All, "all", false, "patch every record with a finding of --kinds")
	cmd.Flags().StringSliceVar(&o.Kinds, "kinds", []string{decant.FindingDiff, decant.FindingMissing}, "finding kinds to repair: diff, missing, extra, change")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "list what would be patched; write nothing")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why the target is patched (required; kept with every patch)")
	cmd.AddCommand(newPatchListCmd(c), newPatchShowCmd(c), newPatchRevertCmd(c))
	return cmd
}

// RunPatch runs `decant patch` and prints what it patched. A record still
// different after its patch returns an ExitError with code 1; a patch
// that cannot run returns code 2.
func RunPatch(ctx context.Context, o PatchOpts, w io.Writer) (*engine.PatchResult, error) {
	if !o.DryRun {
		o.writes = "patch"
	}
	p, err := o.load()
	if err != nil {
		return nil, cannotVerify(err)
	}
	var only []string
	if o.Step != "" {
		if err := checkSteps(p, "--step", []string{o.Step}, true); err != nil {
			return nil, err
		}
		only = []string{o.Step}
	}
	st, err := connect.ExistingStore(ctx, p)
	if err != nil {
		return nil, cannotVerify(err)
	}
	defer st.Close()
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Only: only}
	res, err := engine.Patch(ctx, cfg, engine.PatchOptions{Keys: o.Keys, All: o.All, Kinds: o.Kinds, DryRun: o.DryRun, Reason: o.Reason})
	if res != nil {
		if perr := printPatch(w, o, res, err != nil); perr != nil && err == nil {
			err = perr
		}
	}
	switch {
	case err != nil:
		return res, cannotVerify(err)
	case len(res.Failed) > 0:
		return res, &ExitError{Code: 1, Err: fmt.Errorf("the target refused the patch of %d record(s) (see above); the others were patched", len(res.Failed))}
	case res.StillDifferent > 0:
		return res, &ExitError{Code: 1, Err: fmt.Errorf("%d patched record(s) still different (see above)", res.StillDifferent)}
	}
	return res, nil
}

func printPatch(w io.Writer, o PatchOpts, res *engine.PatchResult, failed bool) error {
	if o.JSON {
		return printJSON(w, res)
	}
	verb := "patched"
	if res.DryRun {
		verb = "would patch"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(res.Patched) > 0 {
		fmt.Fprintln(tw, "PATCH\tSTEP\tKEY\tFINDINGS\tRESULT")
	}
	for _, p := range res.Patched {
		id, result := strconv.FormatInt(p.ID, 10), "ok"
		if res.DryRun {
			id, result = "-", verb
		} else if p.StillDifferent {
			result = "patched, still different"
		}
		var kinds []string
		for _, f := range p.Findings {
			kinds = append(kinds, f.Table+" "+f.Kind)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, p.Step, p.Key, strings.Join(kinds, ", "), result)
		if res.DryRun {
			for _, t := range p.Tables {
				fmt.Fprintf(tw, "\t\t  %s\n", describeWrite(t))
			}
		}
	}
	tw.Flush()
	for _, s := range res.Skipped {
		where := "step " + s.Step
		if s.Step == "" {
			where = "any step"
		}
		fmt.Fprintf(w, "skipped %s, key %s: %s\n", where, s.Key, s.Reason)
	}
	for _, f := range res.Failed {
		fmt.Fprintf(w, "failed step %s, key %s: %s\n", f.Step, f.Key, f.Error)
	}
	if failed {
		verb += " before the error"
	}
	fmt.Fprintf(w, "%s %d record(s) in scope %s", verb, len(res.Patched), res.Scope)
	if !res.DryRun && res.Verify != nil {
		fmt.Fprintf(w, "; verify after: %s", verifySummary(res.Verify))
	}
	fmt.Fprintln(w)
	if res.StillDifferent > 0 {
		fmt.Fprintf(w, "%d record(s) patched, still different: the target does not keep what the plan expects (a trigger, a generated column?); decant diffs shows how\n", res.StillDifferent)
	}
	return nil
}

// describeWrite says what a dry run would do to one table.
func describeWrite(t decant.PatchTable) string {
	switch {
	case len(t.Rows) == 0:
		return fmt.Sprintf("%s: delete the rows where %s = %v", t.Table, strings.Join(t.By, ", "), t.Key)
	case t.Child:
		return fmt.Sprintf("%s: replace the rows where %s = %v with %d row(s)", t.Table, strings.Join(t.By, ", "), t.Key, len(t.Rows))
	}
	return fmt.Sprintf("%s: write %s", t.Table, rowText(t.Columns, t.Rows[0]))
}

func rowText(cols []string, vals []any) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("%s=%v", c, displayValue(vals[i]))
	}
	return strings.Join(parts, ", ")
}

func displayValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(v)
	case decant.JSON:
		return string(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func verifySummary(r *engine.VerifyResult) string {
	var c engine.VerifyCounts
	for _, s := range r.Steps {
		c.Checked += s.Checked
		c.Missing += s.Missing
		c.Extra += s.Extra
		c.Diffs += s.Diffs
		c.Changes += s.Changes
	}
	state := "clean"
	if !r.Clean {
		state = "not clean"
	}
	return fmt.Sprintf("%s (%d checked, %d missing, %d extra, %d diffs, %d changes)", state, c.Checked, c.Missing, c.Extra, c.Diffs, c.Changes)
}

// PatchListOpts are the flags of `decant patch list` and `show`.
type PatchListOpts struct {
	Common
	Step  string
	Key   string
	ID    int64
	Limit int
}

func newPatchListCmd(c *Common) *cobra.Command {
	o := &PatchListOpts{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the patches of the scope, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(&o.Common); err != nil {
				return err
			}
			_, err := RunPatchList(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringVar(&o.Step, "step", "", "only this step")
	cmd.Flags().StringVar(&o.Key, "key", "", "only the patches of this record")
	cmd.Flags().IntVar(&o.Limit, "limit", 100, "at most this many (0: all)")
	return cmd
}

func newPatchShowCmd(c *Common) *cobra.Command {
	o := &PatchListOpts{}
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show one patch: its findings, reason, and the rows before and after",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common = *c
			if err := validate(&o.Common); err != nil {
				return err
			}
			id, err := patchID(args[0])
			if err != nil {
				return err
			}
			o.ID = id
			_, err = RunPatchList(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
}

func patchID(a string) (int64, error) {
	id, err := strconv.ParseInt(a, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError(fmt.Errorf("patch: %q is not a patch id (a positive number from `decant patch list`)", a))
	}
	return id, nil
}

// RunPatchList prints the stored patches (list), or one in full (show,
// when o.ID is set). It writes nothing.
func RunPatchList(ctx context.Context, o PatchListOpts, w io.Writer) ([]decant.Patch, error) {
	_, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	f := decant.PatchFilter{Scope: o.Scope, Step: o.Step, Key: o.Key, ID: o.ID}
	if o.Limit > 0 {
		f.Limit = o.Limit + 1 // one more tells whether the list was cut
	}
	if o.ID != 0 {
		f.Scope = ""
	}
	ps, err := engine.Patches(ctx, st, f)
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []decant.Patch{}
	}
	if o.ID != 0 {
		if len(ps) == 0 {
			return nil, fmt.Errorf("no patch %d: decant patch list shows the patches", o.ID)
		}
		if o.JSON {
			return ps, printJSON(w, ps[0])
		}
		return ps, printPatchRecord(w, ps[0])
	}
	cut := o.Limit > 0 && len(ps) > o.Limit
	if cut {
		ps = ps[:o.Limit]
	}
	if o.JSON {
		return ps, printJSON(w, ps)
	}
	if len(ps) == 0 {
		fmt.Fprintf(w, "no patches in scope %s\n", o.Scope)
		return ps, nil
	}
	if cut {
		defer fmt.Fprintf(w, "showing the newest %d patches; use --limit N to see more, --limit 0 for all\n", o.Limit)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTEP\tKEY\tPATCHED\tSTATE\tREASON")
	for _, p := range ps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Step, p.Key, p.PatchedAt.Local().Format("2006-01-02 15:04:05"), patchState(p), p.Reason)
	}
	return ps, tw.Flush()
}

func patchState(p decant.Patch) string {
	switch {
	case p.RevertedAt != nil:
		return "reverted"
	case p.StillDifferent:
		return "patched, still different"
	}
	return "patched"
}

func printPatchRecord(w io.Writer, p decant.Patch) error {
	fmt.Fprintf(w, "patch %d: scope %s, step %s, key %s\n", p.ID, p.Scope, p.Step, p.Key)
	fmt.Fprintf(w, "state:   %s\n", patchState(p))
	fmt.Fprintf(w, "patched: %s\n", p.PatchedAt.Local().Format(time.RFC3339))
	fmt.Fprintf(w, "reason:  %s\n", p.Reason)
	if p.RevertedAt != nil {
		fmt.Fprintf(w, "reverted: %s (%s)\n", p.RevertedAt.Local().Format(time.RFC3339), p.RevertReason)
	}
	fmt.Fprintln(w, "findings:")
	printFindings(w, p.Findings)
	for _, side := range []struct {
		name  string
		image json.RawMessage
	}{{"before", p.Before}, {"after", p.After}} {
		var tables []struct {
			Table string            `json:"table"`
			Rows  []json.RawMessage `json:"rows"`
		}
		if err := json.Unmarshal(side.image, &tables); err != nil {
			return fmt.Errorf("patch %d: rows %s: %w", p.ID, side.name, err)
		}
		fmt.Fprintf(w, "%s:\n", side.name)
		for _, t := range tables {
			if len(t.Rows) == 0 {
				fmt.Fprintf(w, "  %s: no rows\n", t.Table)
			}
			for _, r := range t.Rows {
				fmt.Fprintf(w, "  %s: %s\n", t.Table, r)
			}
		}
	}
	return nil
}

// PatchRevertOpts are the flags of `decant patch revert`.
type PatchRevertOpts struct {
	Common
	IDs    []int64
	Force  bool
	Reason string
}

func newPatchRevertCmd(c *Common) *cobra.Command {
	o := &PatchRevertOpts{}
	cmd := &cobra.Command{
		Use:   "revert ID...",
		Short: "Put the rows of patches back as they were before them",
		Long: `Puts back, byte for byte, the rows each patch replaced (child rows too), in one transaction
per patch that also marks it reverted. A patch whose rows changed since it was written is
refused unless --force; a patch reverted already is refused.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common = *c
			if err := validate(&o.Common); err != nil {
				return err
			}
			o.IDs = o.IDs[:0]
			for _, a := range args {
				id, err := patchID(a)
				if err != nil {
					return err
				}
				o.IDs = append(o.IDs, id)
			}
			_, err := RunPatchRevert(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "revert even when the rows changed since the patch")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why the patch is reverted (kept with it)")
	return cmd
}

// RunPatchRevert reverts the patches o names, in order, and stops at the
// first it cannot revert.
func RunPatchRevert(ctx context.Context, o PatchRevertOpts, w io.Writer) ([]decant.Patch, error) {
	o.writes = "patch revert"
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope}
	done, err := engine.RevertPatches(ctx, cfg, o.IDs, decant.RevertOptions{Force: o.Force, Reason: o.Reason})
	if done == nil {
		done = []decant.Patch{}
	}
	if o.JSON {
		if perr := printJSON(w, done); perr != nil && err == nil {
			err = perr
		}
	} else {
		for _, r := range done {
			fmt.Fprintf(w, "reverted patch %d (%s %s)\n", r.ID, r.Step, r.Key)
		}
	}
	return done, err
}
