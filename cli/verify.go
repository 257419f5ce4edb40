package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/verify"
)

// VerifyOpts are the flags of `decant verify`.
type VerifyOpts struct {
	Common
	ScopeList
	// Only selects steps or groups; Step is one more, as errors' --step.
	Only []string
	Step string
	// Skip leaves out steps or groups (names or aliases), as migrate's.
	Skip []string
	// Limit caps the findings the text output lists (0: all).
	Limit int
	// MissingOnly compares keys alone (engine.VerifyOptions.MissingOnly)
	// and keeps no findings.
	MissingOnly bool
	// CPUProfile and MemProfile are the command's --cpuprofile and
	// --memprofile files, as migrate's; RunVerify ignores them.
	CPUProfile string
	MemProfile string
	// Resume continues the scope's unfinished verify run
	// (engine.VerifyOptions.Resume).
	Resume bool
	// ChunkKeys is the keys per stored range (0: the engine's default).
	ChunkKeys int
}

// Validate checks the flags.
func (o *VerifyOpts) Validate() error {
	if o.Limit < 0 {
		return fmt.Errorf("--limit %d: give 0 (all findings) or a positive number", o.Limit)
	}
	if o.ChunkKeys < 0 {
		return fmt.Errorf("--chunk-keys %d: give a positive number of keys (0: %d)", o.ChunkKeys, engine.DefaultVerifyChunk)
	}
	if o.Resume && o.MissingOnly {
		return errors.New("--resume with --missing-only: a --missing-only verify keeps no findings, so there is nothing to resume; drop one of the two")
	}
	return o.Common.Validate()
}

func newVerifyCmd(c *Common) *cobra.Command {
	o := &VerifyOpts{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Compare each step's source, read again and mapped with the plan, with the target tables",
		Long: `Reads each step's source again from its start, maps every record with the plan as it is now,
and compares the rows it expects with the target's rows, key by key: ok, missing, extra, diff,
change (a difference the plan's verify rules accept) or duplicate. Records in the open errors
count as errors. It trusts neither the checkpoint nor the ledger. It writes nothing to the
target's tables; it keeps its findings in decant_diffs (replacing the step's earlier ones),
where decant diffs lists them.
--missing-only compares keys alone, much faster: missing, extra and duplicate keys, never a
diff or change; it keeps no findings, so decant diffs still shows the last full verify's.
Findings and progress are stored every --chunk-keys keys of a table; a verify that was killed
or stopped by an error continues with --resume, skipping the steps it finished and reading the
table it was in after the last key it stored. While a migration writes the scope, keys it
wrote after the verify started reading, or has not reached yet, are pending, not differences.
Exit code 0 when clean (pending keys included), 1 when a missing, extra, diff or duplicate
remains, 2 when the verification could not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			o.Stderr = cmd.ErrOrStderr()
			if err := validate(o); err != nil {
				return err
			}
			// A signal stops the verify between two rows: the findings of
			// the ranges done stay stored, and --resume continues it.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := o.ScopeList.check(cmd, o.Scope); err != nil {
				return err
			}
			return withProfiles(o.CPUProfile, o.MemProfile, func() error {
				if o.many() {
					_, err := RunVerifyScopes(ctx, *o, cmd.OutOrStdout())
					return err
				}
				_, err := RunVerify(ctx, *o, cmd.OutOrStdout())
				return err
			})
		},
	}
	cmd.Flags().StringSliceVar(&o.Only, "only", nil, "verify only these steps or groups")
	cmd.Flags().StringVar(&o.Step, "step", "", "verify only this step or group (as --only with one name)")
	cmd.Flags().StringSliceVar(&o.Skip, "skip", nil, "leave out these steps or groups (names or aliases), as migrate --skip")
	cmd.Flags().BoolVar(&o.MissingOnly, "missing-only", false, "compare keys alone (missing, extra, duplicate): much faster; keeps no findings")
	cmd.Flags().IntVar(&o.Limit, "limit", 100, "list at most this many findings (0: all); the counts are always whole")
	cmd.Flags().BoolVar(&o.Resume, "resume", false, "continue the scope's unfinished verify (killed or failed) where it stopped")
	addProfileFlags(cmd, &o.CPUProfile, &o.MemProfile)
	cmd.Flags().IntVar(&o.ChunkKeys, "chunk-keys", 0, fmt.Sprintf("store findings and progress every this many keys of a table (0: %d)", engine.DefaultVerifyChunk))
	addScopeFlags(cmd, &o.ScopeList, true)
	return cmd
}

// RunVerify runs `decant verify` and prints its counts and findings (only
// the counts with --json). A verify that finds a missing, extra, diff or
// duplicate returns an ExitError with code 1; one that cannot run returns
// code 2.
func RunVerify(ctx context.Context, o VerifyOpts, w io.Writer) (*engine.VerifyResult, error) {
	res, found, err := verifyRun(ctx, o)
	if err != nil {
		return res, err
	}
	if o.JSON {
		err = printJSON(w, jsonVerify(res))
	} else {
		err = printVerify(w, res, found, o.Limit)
	}
	if err == nil && !res.Clean {
		err = &ExitError{Code: 1, Err: errors.New("verify found differences (see above)")}
	}
	return res, err
}

// cannotVerify is a verify that could not run: exit code 2, so that a
// script tells it from a verify that found differences (1).
func cannotVerify(err error) error {
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: 2, Err: err}
}

// verifyRun opens the target as the read commands do and verifies,
// keeping the first o.Limit findings.
func verifyRun(ctx context.Context, o VerifyOpts) (*engine.VerifyResult, *findings, error) {
	p, err := o.load()
	if err != nil {
		return nil, nil, cannotVerify(err)
	}
	if err := checkSteps(p, "--only", o.Only, true); err != nil {
		return nil, nil, err
	}
	only := o.Only
	if o.Step != "" {
		if err := checkSteps(p, "--step", []string{o.Step}, true); err != nil {
			return nil, nil, err
		}
		only = append(only[:len(only):len(only)], o.Step)
	}
	if len(o.Skip) > 0 {
		steps, err := p.Select(plan.Selection{Only: only, Skip: o.Skip})
		if err != nil {
			return nil, nil, usageError(err)
		}
		only = stepNames(steps)
	}
	warn(o.Stderr, p, only)
	st, err := connect.ExistingStore(ctx, p)
	if err != nil {
		return nil, nil, cannotVerify(err)
	}
	defer st.Close() // the target's tables are only read; findings go to decant_diffs
	found := &findings{limit: o.Limit}
	if o.JSON {
		found.limit = -1 // --json prints counts only
	}
	res, err := engine.Verify(ctx, engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Only: only},
		engine.VerifyOptions{Finding: found.add, Keep: !o.MissingOnly, MissingOnly: o.MissingOnly, Resume: o.Resume, ChunkKeys: o.ChunkKeys})
	if err != nil {
		if res != nil && res.Run != "" {
			err = fmt.Errorf("%w\nthe findings of what was verified are kept; decant verify --resume continues run %s", err, res.Run)
		}
		return res, found, cannotVerify(err)
	}
	if o.Resume && !res.Resumed {
		fmt.Fprintln(o.Stderr, "verify: no unfinished verify to resume: verified from the start")
	}
	return res, found, nil
}

// finding is one finding kept for the text output, with its step and table.
type finding struct {
	step, table string
	verify.Finding
}

// findings keeps the first limit findings of a verify (all when limit is
// 0, none when it is negative) and counts them all.
type findings struct {
	limit int
	total int
	kept  []finding
}

func (f *findings) add(step, table string, v verify.Finding) error {
	f.total++
	if f.limit == 0 || (f.limit > 0 && len(f.kept) < f.limit) {
		f.kept = append(f.kept, finding{step: step, table: table, Finding: v})
	}
	return nil
}

// verifyStepJSON is one step of `decant verify --json`: the keys of the
// documented contract, then duplicates and the tables.
type verifyStepJSON struct {
	Scope       string               `json:"scope"`
	Step        string               `json:"step"`
	Checked     int                  `json:"checked"`
	OK          int                  `json:"ok"`
	Missing     int                  `json:"missing"`
	Extra       int                  `json:"extra"`
	Diffs       int                  `json:"diffs"`
	Changes     int                  `json:"changes"`
	Errors      int                  `json:"errors"`
	Duplicates  int                  `json:"duplicates"`
	Pending     int                  `json:"pending"`
	Tables      []verifyTableJSON    `json:"tables"`
	NotVerified []engine.NotVerified `json:"not_verified,omitempty"`
}

type verifyTableJSON struct {
	Table      string   `json:"table"`
	Checked    int      `json:"checked"`
	OK         int      `json:"ok"`
	Missing    int      `json:"missing"`
	Extra      int      `json:"extra"`
	Diffs      int      `json:"diffs"`
	Changes    int      `json:"changes"`
	Duplicates int      `json:"duplicates"`
	Pending    int      `json:"pending"`
	Unmapped   []string `json:"unmapped,omitempty"`
}

type verifyJSON struct {
	Clean bool `json:"clean"`
	// Run names the verify run whose findings were kept, "" for a
	// --missing-only verify; Resumed says it continued an unfinished one.
	Run     string           `json:"run"`
	Resumed bool             `json:"resumed"`
	Steps   []verifyStepJSON `json:"steps"`
}

// jsonVerify is the contract of docs/commands.md, kept apart from the
// engine's types so that a field added there does not change it.
func jsonVerify(r *engine.VerifyResult) verifyJSON {
	out := verifyJSON{Clean: r.Clean, Run: r.Run, Resumed: r.Resumed, Steps: []verifyStepJSON{}}
	for _, s := range r.Steps {
		js := verifyStepJSON{Scope: s.Scope, Step: s.Step, Checked: s.Checked, OK: s.OK, Missing: s.Missing,
			Extra: s.Extra, Diffs: s.Diffs, Changes: s.Changes, Errors: s.Errors, Duplicates: s.Duplicates,
			Pending: s.Pending, Tables: []verifyTableJSON{}, NotVerified: s.NotVerified}
		for _, t := range s.Tables {
			js.Tables = append(js.Tables, verifyTableJSON{Table: t.Table, Checked: t.Checked, OK: t.OK,
				Missing: t.Missing, Extra: t.Extra, Diffs: t.Diffs, Changes: t.Changes,
				Duplicates: t.Duplicates, Pending: t.Pending, Unmapped: t.Unmapped})
		}
		out.Steps = append(out.Steps, js)
	}
	return out
}

// printVerify prints the counts per step and table, the kept findings,
// a note when they were cut, and "clean" or "not clean".
func printVerify(w io.Writer, r *engine.VerifyResult, found *findings, limit int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "scope %s\n", r.Scope)
	if r.Resumed {
		fmt.Fprintf(tw, "resumed verify run %s: the counts include what it verified before, whose findings decant diffs lists\n", r.Run)
	}
	fmt.Fprintln(tw, "STEP\tTABLE\tCHECKED\tOK\tMISSING\tEXTRA\tDIFFS\tCHANGES\tDUPLICATES\tPENDING\tERRORS")
	for _, s := range r.Steps {
		for _, t := range s.Tables {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", s.Step, t.Table, t.Checked, t.OK,
				t.Missing, t.Extra, t.Diffs, t.Changes, t.Duplicates, t.Pending, s.Errors)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Steps {
		for _, t := range s.Tables {
			if len(t.Unmapped) > 0 {
				fmt.Fprintf(w, "step %s: table %s: columns not compared (the plan does not map them): %s\n",
					s.Step, t.Table, strings.Join(t.Unmapped, ", "))
			}
		}
		for _, nv := range s.NotVerified {
			fmt.Fprintf(w, "step %s: table %s not verified: %s\n", s.Step, nv.Table, nv.Reason)
		}
	}
	for _, f := range found.kept {
		printFinding(w, r, f)
	}
	if n := pending(r); n > 0 {
		fmt.Fprintf(w, "%d keys pending: a migration wrote them while this verify read, or has not reached them yet; verify again once it is done (decant diffs --json gives the reason of each)\n", n)
	}
	if len(found.kept) < found.total {
		fmt.Fprintf(w, "showing %d of %d findings; use --limit N to see more, --limit 0 for all\n", len(found.kept), found.total)
	}
	verdict := "clean"
	if !r.Clean {
		verdict = "not clean"
	}
	_, err := fmt.Fprintln(w, verdict)
	return err
}

// printFinding prints one finding: kind, step, table and key, then for a
// diff or a change each column's expected and actual values, quoted so
// that padding and empty strings show.
func printFinding(w io.Writer, r *engine.VerifyResult, f finding) {
	fmt.Fprintf(w, "%s\tstep %s\ttable %s\tkey %s", f.Kind, f.step, f.table, keyText(f.Key))
	if f.Kind == verify.FindingDuplicate {
		fmt.Fprintf(w, "\t(expected %d rows, actual %d)", f.Expected, f.Actual)
	}
	fmt.Fprintln(w)
	for _, c := range f.Columns {
		fmt.Fprintf(w, "  %s: expected %s, actual %s", c.Column, valueText(c.Expected, c.ExpectedNull), valueText(c.Actual, c.ActualNull))
		for _, rule := range c.Rules {
			fmt.Fprintf(w, " (rule %s: %s)", rule.Kind, rule.Reason)
		}
		fmt.Fprintln(w)
	}
}

func keyText(key []any) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, ",")
}

func valueText(v string, null bool) string {
	if null {
		return "NULL"
	}
	return strconv.Quote(v)
}

// pending counts the keys of every step that a live migration made
// pending.
func pending(r *engine.VerifyResult) int {
	n := 0
	for _, s := range r.Steps {
		n += s.Pending
	}
	return n
}
