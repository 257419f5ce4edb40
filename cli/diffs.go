package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
)

// DiffsOpts are the flags of `decant diffs`.
type DiffsOpts struct {
	Common
	Step string
	// Kind keeps one kind of finding: diff, change, missing, extra or duplicate.
	Kind  string
	Limit int
}

var findingKinds = []string{decant.FindingDiff, decant.FindingChange, decant.FindingMissing, decant.FindingExtra, decant.FindingDuplicate, decant.FindingPending}

// Validate checks the flags.
func (o *DiffsOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.Kind != "" && !slices.Contains(findingKinds, o.Kind) {
		return fmt.Errorf("--kind %q: give one of %v", o.Kind, findingKinds)
	}
	if o.Limit < 0 {
		return errors.New("--limit must be 0 (all) or more")
	}
	return nil
}

func newDiffsCmd(c *Common) *cobra.Command {
	o := &DiffsOpts{}
	cmd := &cobra.Command{
		Use:   "diffs",
		Short: "List what the last decant verify of each step found: diffs, changes, missing and extra rows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunDiffs(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringVar(&o.Step, "step", "", "only this step")
	cmd.Flags().StringVar(&o.Kind, "kind", "", "only this kind: diff, change, missing, extra, duplicate or pending")
	cmd.Flags().IntVar(&o.Limit, "limit", 100, "at most this many (0: all)")
	return cmd
}

// RunDiffs prints the findings the last verify of each step kept. It
// writes nothing: a database without them lists none.
func RunDiffs(ctx context.Context, o DiffsOpts, w io.Writer) ([]decant.Finding, error) {
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if o.Step != "" {
		if err := checkSteps(p, "--step", []string{o.Step}, false); err != nil {
			return nil, err
		}
	}
	fs, err := decant.Require[decant.FindingStore](st, "list verify's findings")
	if err != nil {
		return nil, err
	}
	f := decant.FindingFilter{Scope: o.Scope, Step: o.Step, Kind: o.Kind}
	if o.Limit > 0 {
		f.Limit = o.Limit + 1 // one more tells whether the list was cut
	}
	found, err := fs.Findings(ctx, f)
	if err != nil {
		return nil, err
	}
	cut := o.Limit > 0 && len(found) > o.Limit
	if cut {
		found = found[:o.Limit]
	}
	if found == nil {
		found = []decant.Finding{}
	}
	if o.JSON {
		return found, printJSON(w, found)
	}
	if len(found) == 0 {
		fmt.Fprintf(w, "no findings in scope %s: run decant verify, or it found nothing\n", o.Scope)
		return found, nil
	}
	printFindings(w, found)
	if cut {
		fmt.Fprintf(w, "showing the first %d findings; use --limit N to see more, --limit 0 for all\n", o.Limit)
	}
	return found, nil
}

func printFindings(w io.Writer, found []decant.Finding) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tTABLE\tKEY\tKIND\tFOUND")
	for _, f := range found {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Step, f.Table, f.Key, f.Kind, f.FoundAt.Local().Format("2006-01-02 15:04:05"))
		if f.Kind == decant.FindingPending && f.Reason != "" {
			fmt.Fprintf(tw, "\t\t  %s\n", f.Reason) // why a key is pending
		}
		for _, c := range f.Columns {
			line := fmt.Sprintf("\t\t  %s: expected %s, actual %s", c.Column, storedValue(c.Expected), storedValue(c.Actual))
			if c.Rule != "" {
				line += fmt.Sprintf(" (rule %s: %s)", c.Rule, c.Reason)
			}
			fmt.Fprintln(tw, line)
		}
	}
	tw.Flush()
}

func storedValue(v *string) string {
	if v == nil {
		return "NULL"
	}
	return strconv.Quote(*v)
}
