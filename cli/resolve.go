package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
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
// names no open error fails the whole command, and nothing is closed.
func RunErrorsResolve(ctx context.Context, o ResolveOpts, w io.Writer) ([]decant.RecordError, error) {
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if o.Step != "" && o.AllOfStep {
		// A step gone from the plan may still have errors to close.
		sr, err := stateReader(st)
		if err != nil {
			return nil, err
		}
		if errs, err := sr.Errors(ctx, decant.ErrorFilter{Scope: o.Scope, Step: o.Step, Limit: 1}); err == nil && len(errs) == 0 {
			if err := checkSteps(p, "--step", []string{o.Step}, false); err != nil {
				return nil, err
			}
		}
	}
	r, err := decant.Require[decant.ErrorResolver](st, "close stored errors by hand")
	if err != nil {
		return nil, fmt.Errorf("errors resolve: %w", err)
	}
	done, err := r.ResolveErrors(ctx, decant.ResolveRequest{Scope: o.Scope, IDs: o.IDs, Step: o.Step, Reason: o.Reason})
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
