package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
)

// StatsOpts are the flags of `decant stats`.
type StatsOpts struct {
	Common
	ScopeList
}

// StateUnknown is the state stats shows of a scope that has migrated
// something on a store that keeps no lifecycle (no decant.Lifecycler).
const StateUnknown = "unknown"

func newStatsCmd(c *Common) *cobra.Command {
	var l ScopeList
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Per scope and step: lifecycle state, source documents, migrated, errors, diffs, changes, missing, last ran",
		Long: `Prints one line per scope and step: the scope's lifecycle state, the source's estimate of its
documents (when the source can tell without reading it all: "-" otherwise), the keys migrated, the
open errors, the diffs, changes and missing keys of the last verify, and when the last batch ran.
It reads only: it writes nothing to the target, not even decant's state tables.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := StatsOpts{Common: *c, ScopeList: l}
			o.Stderr = cmd.ErrOrStderr()
			if err := validate(&o.Common); err != nil {
				return err
			}
			if err := o.ScopeList.check(cmd, o.Scope); err != nil {
				return err
			}
			_, err := RunStats(cmd.Context(), o, cmd.OutOrStdout())
			return err
		},
	}
	addScopeFlags(cmd, &l, false)
	return cmd
}

// StepStats is one line of `decant stats`: one step of one scope. Its
// JSON keys are the contract of docs/commands.md.
type StepStats struct {
	Scope string `json:"scope"`
	Step  string `json:"step"`
	// State is the scope's lifecycle state (decant.ScopeState), or
	// StateUnknown.
	State string `json:"state"`
	// SourceDocs is the source's estimate of its documents for the scope
	// (decant.Sizer), nil when it cannot tell.
	SourceDocs *int64 `json:"source_docs"`
	Migrated   int64  `json:"migrated"`
	Errors     int64  `json:"errors"`
	Diffs      int64  `json:"diffs"`
	Changes    int64  `json:"changes"`
	Missing    int64  `json:"missing"`
	// LastRan is when the step's last batch started, nil if none ran.
	LastRan *time.Time `json:"last_ran"`
}

// RunStats prints the stats of every step of each scope: o.Scope, or each
// of o.Scopes. It only reads.
func RunStats(ctx context.Context, o StatsOpts, w io.Writer) ([]StepStats, error) {
	scopes := []string{o.Scope}
	if o.many() {
		var err error
		if scopes, err = o.list(o.Scope); err != nil {
			return nil, err
		}
	}
	p, st, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	sr, err := stateReader(st)
	if err != nil {
		return nil, err
	}
	sizes := &sourceSizes{open: connect.Sources(p), warn: o.Stderr}
	defer sizes.close()
	out := []StepStats{}
	for _, scope := range scopes {
		rows, err := scopeStats(ctx, p, st, sr, sizes, scope)
		if err != nil {
			return out, fmt.Errorf("scope %s: %w", scope, err)
		}
		out = append(out, rows...)
	}
	if o.JSON {
		return out, printJSON(w, out)
	}
	return out, printStats(w, out)
}

// scopeStats are the lines of one scope: the plan's steps in order, then
// any step the store knows that the plan no longer has.
func scopeStats(ctx context.Context, p *plan.Plan, st decant.Store, sr decant.StateReader, sizes *sourceSizes, scope string) ([]StepStats, error) {
	ss, err := sr.Status(ctx, scope) // no Init: a read writes nothing
	if err != nil {
		return nil, err
	}
	state, err := scopeState(ctx, st, scope, len(ss) > 0)
	if err != nil {
		return nil, err
	}
	byStep := map[string]decant.StepStatus{}
	for _, s := range ss {
		byStep[s.Step] = s
	}
	var out []StepStats
	for _, step := range p.Steps {
		s := byStep[step.Name]
		delete(byStep, step.Name)
		s.Scope, s.Step = scope, step.Name
		line := stepStats(s, state)
		line.SourceDocs = sizes.size(ctx, step, scope)
		out = append(out, line)
	}
	for _, s := range ss {
		if _, notInPlan := byStep[s.Step]; !notInPlan {
			continue
		}
		if step, ok := decant.ExtractOf(s.Step); ok && p.Step(step) != nil {
			continue // the extract of a staged step: its step's line is the scope's figures
		}
		out = append(out, stepStats(s, state))
	}
	return out, nil
}

func stepStats(s decant.StepStatus, state string) StepStats {
	line := StepStats{Scope: s.Scope, Step: s.Step, State: state, Migrated: s.Written, Errors: s.Failed,
		Diffs: s.Diffs, Changes: s.Changes, Missing: s.Missing}
	if !s.LastBatch.IsZero() {
		last := s.LastBatch
		line.LastRan = &last
	}
	return line
}

// scopeState is the scope's lifecycle state from the store's Lifecycler;
// a store without one keeps no lifecycle, and the scope is new when
// nothing was migrated for it (seen false), else unknown.
func scopeState(ctx context.Context, st decant.Store, scope string, seen bool) (string, error) {
	lc, ok := decant.As[decant.Lifecycler](st)
	if !ok {
		if !seen {
			return string(decant.StateNew), nil
		}
		return StateUnknown, nil
	}
	l, err := lc.Lifecycle(ctx, scope)
	if err != nil {
		return "", fmt.Errorf("lifecycle: %w", err)
	}
	return string(l.State), nil
}

// sourceSizes asks each step's source, opened once, for its estimate of
// a scope's documents: only a source that is a decant.Sizer can tell,
// without reading it all.
type sourceSizes struct {
	open    func(context.Context, *plan.Step) (decant.Source, error)
	warn    io.Writer
	sources map[string]decant.Source
}

// size is the estimate of step's source for scope, nil when the source
// cannot tell; why it could not, when it failed, goes to the warnings.
func (s *sourceSizes) size(ctx context.Context, step *plan.Step, scope string) *int64 {
	if s.sources == nil {
		s.sources = map[string]decant.Source{}
	}
	src, ok := s.sources[step.Name]
	if !ok {
		var err error
		if src, err = s.open(ctx, step); err != nil {
			s.warnf("stats: step %s: source not opened, its documents are not counted: %v", step.Name, err)
		}
		s.sources[step.Name] = src
	}
	sz, ok := src.(decant.Sizer)
	if src == nil || !ok {
		return nil
	}
	n, known, err := sz.Size(ctx, scope, nil)
	if err != nil {
		s.warnf("stats: scope %s: step %s: the source could not tell its size: %v", scope, step.Name, err)
		return nil
	}
	if !known {
		return nil
	}
	return &n
}

func (s *sourceSizes) warnf(format string, args ...any) {
	if s.warn != nil {
		fmt.Fprintln(s.warn, decant.RedactURL(fmt.Sprintf(format, args...)))
	}
}

func (s *sourceSizes) close() {
	for _, src := range s.sources {
		if src != nil {
			src.Close()
		}
	}
}

// printStats prints one line per scope and step.
func printStats(w io.Writer, lines []StepStats) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCOPE\tSTEP\tSTATE\tSOURCE DOCS\tMIGRATED\tERRORS\tDIFFS\tCHANGES\tMISSING\tLAST RAN")
	for _, l := range lines {
		docs, last := "-", "-"
		if l.SourceDocs != nil {
			docs = strconv.FormatInt(*l.SourceDocs, 10)
		}
		if l.LastRan != nil {
			last = l.LastRan.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", l.Scope, l.Step, l.State, docs,
			l.Migrated, l.Errors, l.Diffs, l.Changes, l.Missing, last)
	}
	return tw.Flush()
}
