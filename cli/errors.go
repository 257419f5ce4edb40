package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
)

// ErrorsOpts are the flags of `decant errors list|show|retry`.
type ErrorsOpts struct {
	Common
	Step string
	// ID selects one error (show).
	ID int64
	// All includes resolved errors (list).
	All   bool
	Limit int
}

func newErrorsCmd(c *Common) *cobra.Command {
	o := &ErrorsOpts{}
	cmd := &cobra.Command{Use: "errors", Short: "List, show and retry records that failed"}
	cmd.PersistentFlags().StringVar(&o.Step, "step", "", "only this step")
	list := &cobra.Command{
		Use: "list", Short: "List unresolved errors (friendly message per record)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			o.Stderr = cmd.ErrOrStderr()
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunErrorsList(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	list.Flags().BoolVar(&o.All, "all", false, "include resolved errors")
	list.Flags().IntVar(&o.Limit, "limit", 100, "at most this many (0: all); a list cut short says how many there are")
	show := &cobra.Command{
		Use: "show ID", Short: "Show one error: message, full detail, payload", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common = *c
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError(fmt.Errorf("errors show: %q is not an error id (a positive number from `decant errors list`)", args[0]))
			}
			o.ID = id
			if err := validate(o); err != nil {
				return err
			}
			return RunErrorsShow(cmd.Context(), *o, cmd.OutOrStdout())
		},
	}
	retry := &cobra.Command{
		Use: "retry", Short: "Re-run stored payloads through the current plan", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunErrorsRetry(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.AddCommand(list, show, retry, newResolveCmd(c, o))
	return cmd
}

// RunErrorsList prints stored errors. A list cut short by Limit says so
// after the table (on o.Stderr with --json, so stdout stays one document).
func RunErrorsList(ctx context.Context, o ErrorsOpts, w io.Writer) ([]decant.RecordError, error) {
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close() // no Init: a read writes nothing
	sr, err := stateReader(st)
	if err != nil {
		return nil, err
	}
	steps := []string{""} // every step
	if o.Step != "" {
		steps = stepsOf(p, o.Step)
	}
	errs, err := listErrors(ctx, sr, o, steps)
	if err != nil {
		return nil, err
	}
	if len(errs) == 0 && o.Step != "" {
		// A step gone from the plan may still have errors; one that never
		// had any is most likely a typo.
		if err := checkSteps(p, "--step", []string{o.Step}, true); err != nil {
			return nil, err
		}
	}
	cut := o.Limit > 0 && len(errs) > o.Limit
	if cut {
		errs = errs[:o.Limit]
	}
	note := ""
	if cut {
		note = cutNote(ctx, sr, o, steps)
	}
	if o.JSON {
		if note != "" && o.Stderr != nil {
			fmt.Fprintln(o.Stderr, "decant:", note)
		}
		return errs, printJSON(w, jsonErrors(errs))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTEP\tKEY\tATTEMPTS\tRESOLVED\tUPDATED\tMESSAGE")
	for _, e := range errs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%t\t%s\t%s\n", e.ID, e.Step, e.Key, e.Attempts, e.Resolved, e.Updated.Local().Format(time.DateTime), e.Message)
	}
	if err := tw.Flush(); err != nil {
		return errs, err
	}
	if note != "" {
		fmt.Fprintln(w, note)
	}
	return errs, nil
}

// listErrors returns the errors of steps ("" for every step) that o asks
// for, in id order, one more than o.Limit when there are more: the store
// selects one step at a time, and a group has several.
func listErrors(ctx context.Context, sr decant.StateReader, o ErrorsOpts, steps []string) ([]decant.RecordError, error) {
	f := decant.ErrorFilter{Scope: o.Scope, Resolved: o.All}
	if o.Limit > 0 {
		f.Limit = o.Limit + 1 // one more tells whether the list was cut
	}
	var all []decant.RecordError
	for _, step := range steps {
		f.Step = step
		errs, err := sr.Errors(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, errs...)
	}
	if len(steps) > 1 {
		sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
		if f.Limit > 0 && len(all) > f.Limit {
			all = all[:f.Limit]
		}
	}
	return all, nil
}

// cutNote says that errors list showed o.Limit errors of more: "showing
// 100 of 308 errors". It counts the unresolved ones of steps ("" for
// every step) from the status; with --all the resolved ones have no count
// there, so it says "more than".
func cutNote(ctx context.Context, st decant.StateReader, o ErrorsOpts, steps []string) string {
	const more = "; use --limit N to see more, --limit 0 for all"
	if !o.All {
		if sts, err := st.Status(ctx, o.Scope); err == nil {
			var n int64
			for _, s := range sts {
				if steps[0] == "" || slices.Contains(steps, s.Step) {
					n += s.Failed
				}
			}
			if n > int64(o.Limit) {
				return fmt.Sprintf("showing %d of %d errors%s", o.Limit, n, more)
			}
		}
	}
	return fmt.Sprintf("showing the first %d errors of more than %d%s", o.Limit, o.Limit, more)
}

// notFound is a named thing that is not there: its message is the whole
// sentence for the user, and errors.Is(err, decant.ErrNotFound) holds.
type notFound struct{ msg string }

func (e notFound) Error() string { return e.msg }
func (e notFound) Unwrap() error { return decant.ErrNotFound }

// RunErrorsShow prints one error in full.
func RunErrorsShow(ctx context.Context, o ErrorsOpts, w io.Writer) error {
	_, st, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close() // no Init: a read writes nothing
	sr, err := stateReader(st)
	if err != nil {
		return err
	}
	errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: o.Scope, ID: o.ID, Resolved: true})
	if (err == nil && len(errs) == 0) || errors.Is(err, decant.ErrNotFound) {
		return notFound{fmt.Sprintf("errors show %d: no error %d in scope %s; see decant errors list", o.ID, o.ID, o.Scope)}
	}
	if err != nil {
		return err
	}
	e := errs[0]
	if o.JSON {
		return printJSON(w, jsonErrors(errs)[0])
	}
	fmt.Fprintf(w, "error %d\nstep:     %s\nkey:      %s\n", e.ID, e.Step, e.Key)
	if e.SourceKey != "" && e.SourceKey != e.Key {
		fmt.Fprintf(w, "source key: %q\n", e.SourceKey)
	}
	fmt.Fprintf(w, "attempts: %d\nresolved: %t\ncreated:  %s\nupdated:  %s\nmessage:  %s\n",
		e.Attempts, e.Resolved, e.Created.Local().Format(time.DateTime), e.Updated.Local().Format(time.DateTime), e.Message)
	if e.History != "" {
		fmt.Fprintf(w, "history:\n%s", e.History)
	}
	fmt.Fprintf(w, "detail:\n%s\npayload:\n%s\n", e.Detail, e.Payload)
	return nil
}

// RunErrorsRetry re-runs stored errors and prints what happened.
func RunErrorsRetry(ctx context.Context, o ErrorsOpts, w io.Writer) ([]engine.RetryResult, error) {
	o.writes = "errors retry"
	p, err := o.load()
	if err != nil {
		return nil, err
	}
	var only []string
	if o.Step != "" {
		only = []string{o.Step}
	}
	// Checked here, so the error names --step rather than the engine's --only.
	if err := checkSteps(p, "--step", only, true); err != nil {
		return nil, err
	}
	st, err := connect.Store(ctx, p)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res, err := engine.Retry(ctx, engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Only: only})
	if err != nil {
		return res, err
	}
	if o.JSON {
		return res, printJSON(w, res)
	}
	for _, r := range res {
		fmt.Fprintf(w, "step %s: retried %d, resolved %d, still failing %d\n", r.Step, r.Retried, r.Resolved, r.Failed)
	}
	return res, nil
}

// jsonError is a RecordError as --json prints it: the payload as text
// and the history as a list of lines, in place of the embedded fields
// (encoding/json prefers the shallower field of a name).
type jsonError struct {
	decant.RecordError
	Payload string   `json:"payload"`
	History []string `json:"history"`
}

func jsonErrors(errs []decant.RecordError) []jsonError {
	out := make([]jsonError, 0, len(errs))
	for _, e := range errs {
		out = append(out, jsonError{RecordError: e, Payload: string(e.Payload), History: historyLines(e.History)})
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
