package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// ResolveOpts are the flags of `decant errors resolve`.
type ResolveOpts struct {
	Common
	// IDs name the errors to close; else AllOfStep closes every open error of Step.
	IDs       []int64
	Step      string
	AllOfStep bool
	// Reason is kept in each error's history. Required.
	Reason string
}

// Validate checks that the errors are named one way or the other, and why.
func (o *ResolveOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	switch {
	case len(o.IDs) > 0 && o.AllOfStep:
		return usageError(errors.New("errors resolve: give error IDs or --step S --all, not both"))
	case len(o.IDs) == 0 && !o.AllOfStep:
		return usageError(errors.New("errors resolve: name the errors: decant errors resolve ID... --reason TEXT, or --step S --all --reason TEXT"))
	case o.AllOfStep && o.Step == "":
		return usageError(errors.New("errors resolve: --all needs --step S (the step whose open errors to close)"))
	case strings.TrimSpace(o.Reason) == "":
		return usageError(errors.New("errors resolve: --reason is required: say why these records need no retry (it is kept in each error's history)"))
	}
	return nil
}

func newResolveCmd(c *Common, eo *ErrorsOpts) *cobra.Command {
	o := &ResolveOpts{}
	cmd := &cobra.Command{
		Use:   "resolve [ID...]",
		Short: "Close errors that need no retry (fixed at the source, re-sent under another key), with a reason",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Common, o.Step = *c, eo.Step
			o.IDs = o.IDs[:0]
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil || id <= 0 {
					return usageError(fmt.Errorf("errors resolve: %q is not an error id (a positive number from `decant errors list`)", a))
				}
				o.IDs = append(o.IDs, id)
			}
			if err := validate(o); err != nil {
				return err
			}
			_, err := RunErrorsResolve(cmd.Context(), *o, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().BoolVar(&o.AllOfStep, "all", false, "every open error of --step")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why (required; kept in each error's history)")
	return cmd
}

// RunErrorsResolve closes the errors o names and prints them. An ID that
// names no open error (of --step, when given) fails the whole command, and
// nothing is closed. --step takes a step or a group of the plan.
func RunErrorsResolve(ctx context.Context, o ResolveOpts, w io.Writer) ([]decant.RecordError, error) {
	o.writes = "errors resolve"
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	sr, err := stateReader(st)
	if err != nil {
		return nil, err
	}
	r, err := decant.Require[decant.ErrorResolver](st, "close stored errors by hand")
	if err != nil {
		return nil, fmt.Errorf("errors resolve: %w", err)
	}
	// Checked first, on the tables as they are: a mistyped id or target
	// must not create or upgrade anything.
	req, err := resolveRequest(ctx, sr, p, o)
	if err != nil {
		return nil, err
	}
	work, err := anythingToResolve(ctx, sr, req)
	if err != nil {
		return nil, err
	}
	var done []decant.RecordError
	if work {
		// Resolving writes the columns of state version 3: bring the
		// tables of an older decant up to date first, as retry does.
		if in, ok := decant.As[decant.StateInitializer](st); ok {
			if err := in.Init(ctx); err != nil {
				return nil, fmt.Errorf("errors resolve: prepare state tables: %w", err)
			}
		}
		done, err = r.ResolveErrors(ctx, req)
	}
	if errors.Is(err, decant.ErrNotFound) {
		return nil, notFound{"errors resolve: nothing resolved, because an error named was resolved or removed meanwhile; see decant errors list"}
	}
	if err != nil {
		return nil, err
	}
	if o.JSON {
		return done, printJSON(w, jsonErrors(done))
	}
	for _, e := range done {
		fmt.Fprintf(w, "resolved error %d (step %s, key %s)\n", e.ID, e.Step, e.Key)
	}
	fmt.Fprintf(w, "%d error(s) resolved: %s\n", len(done), o.Reason)
	return done, nil
}

// anythingToResolve reports whether req names open errors: ids (checked
// open by resolveRequest), or a step that has some.
func anythingToResolve(ctx context.Context, sr decant.StateReader, req decant.ResolveRequest) (bool, error) {
	if len(req.IDs) > 0 {
		return true, nil
	}
	if req.Step == "" {
		return false, nil // a group with no open error
	}
	open, err := sr.Errors(ctx, decant.ErrorFilter{Scope: req.Scope, Step: req.Step, Limit: 1})
	return len(open) > 0, err
}

// resolveRequest turns o into the store's request, refusing first what the
// store would refuse with a terse ErrNotFound: an ID that names no open
// error of the scope (or of --step). A group's errors are named by ID, as
// the store selects one step at a time.
func resolveRequest(ctx context.Context, sr decant.StateReader, p *plan.Plan, o ResolveOpts) (decant.ResolveRequest, error) {
	req := decant.ResolveRequest{Scope: o.Scope, IDs: o.IDs, Step: o.Step, Reason: o.Reason}
	var steps []string
	if o.Step != "" {
		steps = stepsOf(p, o.Step)
		if err := checkStepErrors(ctx, sr, p, o, steps); err != nil {
			return req, err
		}
	}
	if err := checkOpenIDs(ctx, sr, o, steps); err != nil {
		return req, err
	}
	if len(steps) == 1 && steps[0] == o.Step {
		return req, nil // one step: the store selects it
	}
	req.Step = ""
	if o.AllOfStep {
		req.IDs = nil
		for _, step := range steps {
			errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: o.Scope, Step: step})
			if err != nil {
				return req, err
			}
			for _, e := range errs {
				req.IDs = append(req.IDs, e.ID)
			}
		}
	}
	return req, nil
}

// checkStepErrors refuses --step S when S is no step or group of the plan
// and has no open error: most likely a typo. A step gone from the plan may
// still have errors to close.
func checkStepErrors(ctx context.Context, sr decant.StateReader, p *plan.Plan, o ResolveOpts, steps []string) error {
	if len(steps) != 1 || steps[0] != o.Step {
		return nil // a group of the plan
	}
	errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: o.Scope, Step: o.Step, Limit: 1})
	if err == nil && len(errs) > 0 {
		return nil
	}
	return checkSteps(p, "--step", []string{o.Step}, true)
}

// checkOpenIDs refuses the IDs of o that name no open error of the scope,
// or of steps when --step was given, saying of each why, in one sentence.
func checkOpenIDs(ctx context.Context, sr decant.StateReader, o ResolveOpts, steps []string) error {
	var why []string
	for _, id := range o.IDs {
		errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: o.Scope, ID: id, Resolved: true})
		switch {
		case errors.Is(err, decant.ErrNotFound) || (err == nil && len(errs) == 0):
			why = append(why, fmt.Sprintf("there is no error %d", id))
		case err != nil:
			return err
		case errs[0].Resolved:
			why = append(why, fmt.Sprintf("error %d is resolved already", id))
		case steps != nil && !slices.Contains(steps, errs[0].Step):
			why = append(why, fmt.Sprintf("error %d is of step %s, not of --step %s", id, errs[0].Step, o.Step))
		}
	}
	if len(why) == 0 {
		return nil
	}
	return notFound{fmt.Sprintf("errors resolve: nothing resolved, because in scope %s %s; see decant errors list",
		o.Scope, strings.Join(why, ", and "))}
}

// historyLines splits an error's history into its lines, for --json.
func historyLines(h string) []string {
	out := []string{}
	for _, l := range strings.Split(strings.TrimRight(h, "\n"), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
