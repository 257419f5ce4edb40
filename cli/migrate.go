package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/plan"
)

// MigrateOpts are the flags of `decant migrate`.
type MigrateOpts struct {
	Common
	ScopeList
	// Only, Skip and Start select the steps (by step, group or alias;
	// Start as GROUP.N), as plan.Selection does.
	Only  []string
	Skip  []string
	Start string
	// BatchSize, when not 0, replaces every step's batch_size for the run.
	BatchSize int
	// Yes confirms a run, in an environment the plan's guards protect,
	// into tables that hold rows decant did not write; Interactive (a
	// terminal) then also asks for the environment's name on In (nil:
	// os.Stdin).
	Yes         bool
	Interactive bool
	In          io.Reader
	DryRun      bool
	Follow      bool
	Interval    time.Duration
	// Live, Finish and AutoFinish are the lifecycle flags (--live,
	// --finish, --auto-finish; docs/commands.md).
	Live       bool
	Finish     bool
	AutoFinish bool
	// Phase, for a plan with staging, runs only its extract or only its
	// load (--phase extract|load).
	Phase string
	// Progress overrides the progress display (tests); nil picks bars on a
	// terminal and log lines elsewhere.
	Progress engine.Progress
	// Stop and Abort, when either is set, replace signal handling (tests
	// and library use): closing Stop ends the run gracefully, closing
	// Abort ends it at once, as a second signal does.
	Stop  <-chan struct{}
	Abort <-chan struct{}
	// CPUProfile and MemProfile are the command's --cpuprofile and
	// --memprofile files (runtime/pprof): a CPU profile of the whole run,
	// and a heap profile written at its end after a garbage collection.
	// Only the command writes them; RunMigrate ignores them.
	CPUProfile string
	MemProfile string
}

// ErrAborted is the error of a run that was aborted (a second signal, or
// MigrateOpts.Abort): "aborted: the batch in flight rolled back; the next
// run resumes from the last checkpoint". It replaces, in the result's
// steps too, whatever the cancelled batch failed with (a driver's "context
// canceled", a closed connection): those say nothing more, and nothing was
// lost. It wraps engine.ErrAborted.
var ErrAborted error = abortedError{}

type abortedError struct{}

func (abortedError) Error() string {
	return "aborted: the batch in flight rolled back; the next run resumes from the last checkpoint"
}
func (abortedError) Unwrap() error { return engine.ErrAborted }

// Validate checks the flags.
func (o *MigrateOpts) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.Interval < 0 {
		return errors.New("--interval must be positive")
	}
	if err := o.validateLifecycle(); err != nil {
		return err
	}
	if o.Interval != 0 && !o.Follow && !o.Live {
		return errors.New("--interval only applies with --follow or --live")
	}
	if o.DryRun && o.Follow {
		return errors.New("--dry-run and --follow cannot be combined")
	}
	if o.BatchSize < 0 {
		return badBatchSize(o.BatchSize)
	}
	switch engine.Phase(o.Phase) {
	case "", engine.PhaseExtract, engine.PhaseLoad:
	default:
		return fmt.Errorf("--phase %s: give extract (copy the sources into the staging tables) or load (map the staging tables into the target)", o.Phase)
	}
	return nil
}

// badBatchSize refuses --batch-size n, below 1. (0 in MigrateOpts means
// the plan's batch_size; given as a flag it is refused too.)
func badBatchSize(n int) error {
	return fmt.Errorf("--batch-size %d: give a number of records of at least 1", n)
}

// selection is the steps the flags select.
func (o *MigrateOpts) selection() plan.Selection {
	return plan.Selection{Only: o.Only, Skip: o.Skip, Start: o.Start}
}

// selected loads the plan (checking its guards for a run that writes)
// and returns the names of the steps --only, --skip and --start select,
// nil when they select nothing in particular; a name or index the plan
// does not have is refused, listing those it has.
func (o *MigrateOpts) selected() ([]string, error) {
	sel := o.selection()
	if len(sel.Only) == 0 && len(sel.Skip) == 0 && sel.Start == "" {
		if o.writes == "" {
			return nil, nil
		}
		_, err := o.load() // the guards, before anything connects
		return nil, err
	}
	p, err := o.load()
	if err != nil {
		return nil, err
	}
	steps, err := p.Select(sel)
	if err != nil {
		return nil, usageError(err)
	}
	return stepNames(steps), nil
}

// validateLifecycle refuses the lifecycle flags' nonsensical combinations.
func (o *MigrateOpts) validateLifecycle() error {
	switch {
	case o.AutoFinish && !o.Live:
		return errors.New("--auto-finish needs --live: migrate --live --auto-finish follows the source until it has caught up, then finishes")
	case o.Live && o.Finish:
		return errors.New("--live and --finish cannot be combined: --finish drains to the end with no lag window; use --live --auto-finish to follow, then finish")
	case (o.Live || o.Finish) && o.Follow:
		return fmt.Errorf("--follow and %s cannot be combined: --live follows already, --finish runs once", lifecycleFlag(o))
	case (o.Live || o.Finish) && o.DryRun:
		return fmt.Errorf("--dry-run and %s cannot be combined: a dry run moves no scope's lifecycle; drop --dry-run", lifecycleFlag(o))
	case (o.Live || o.Finish) && (len(o.Only) > 0 || len(o.Skip) > 0 || o.Start != ""):
		return fmt.Errorf("--only, --skip and --start cannot be combined with %s: the lifecycle is the whole scope's, every step of it", lifecycleFlag(o))
	}
	return nil
}

func lifecycleFlag(o *MigrateOpts) string {
	if o.Finish {
		return "--finish"
	}
	return "--live"
}

// mode is the engine's lifecycle mode of the flags.
func (o *MigrateOpts) mode() engine.Mode {
	switch {
	case o.Live:
		return engine.ModeLive
	case o.Finish:
		return engine.ModeFinish
	}
	return engine.ModeBulk
}

func newMigrateCmd(c *Common) *cobra.Command {
	o := &MigrateOpts{}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Run the plan's steps: read, map, write, checkpoint",
		Long: `Runs the plan's steps in order for one scope, from each step's checkpoint.
Every batch's rows, ledger, errors, audit row and checkpoint commit in one transaction.
SIGINT/SIGTERM finishes the batches in flight, saves and exits 0 (1 with --finish or --auto-finish,
which did not get to the end); a second signal aborts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Common = *c
			o.Interactive, o.In = isTerminal(os.Stdout) && isTerminalIn(cmd.InOrStdin()), cmd.InOrStdin()
			if cmd.Flags().Changed("batch-size") && o.BatchSize == 0 {
				return usageError(badBatchSize(0))
			}
			if err := validate(o); err != nil {
				return err
			}
			if err := o.ScopeList.check(cmd, o.Scope); err != nil {
				return err
			}
			return withProfiles(o.CPUProfile, o.MemProfile, func() error {
				if o.many() {
					_, err := RunMigrateScopes(cmd.Context(), *o, cmd.OutOrStdout(), cmd.ErrOrStderr())
					return err
				}
				_, err := RunMigrate(cmd.Context(), *o, cmd.OutOrStdout(), cmd.ErrOrStderr())
				return err
			})
		},
	}
	cmd.Flags().StringSliceVar(&o.Only, "only", nil, "run only these steps or groups (names or aliases; comma-separated or repeated)")
	cmd.Flags().StringSliceVar(&o.Skip, "skip", nil, "leave out these steps or groups (names or aliases; comma-separated or repeated)")
	cmd.Flags().StringVar(&o.Start, "start", "", "begin at the Nth step (from 1) of a group, as ia.2, and run every step after it in plan order")
	cmd.Flags().BoolVar(&o.Yes, "yes", false, "confirm a run into tables that hold rows decant did not write, in an environment the plan's guards protect")
	cmd.Flags().IntVar(&o.BatchSize, "batch-size", 0, "records per batch for every step of this run, instead of the plan's batch_size")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "read and map, write nothing")
	cmd.Flags().BoolVar(&o.Follow, "follow", false, "keep running: drain, sleep --interval, repeat")
	cmd.Flags().DurationVar(&o.Interval, "interval", 0, "pause between rounds with --follow or --live (default 3m)")
	cmd.Flags().BoolVar(&o.Live, "live", false, "follow the scope's source round after round, leaving the plan's live.lag window alone; the scope goes live once the bulk is read")
	cmd.Flags().BoolVar(&o.Finish, "finish", false, "finish a live scope: run hooks.on_finish, drain with no lag, verify; finished when clean, else exit 1")
	cmd.Flags().StringVar(&o.Phase, "phase", "", "with a plan that has staging: true, run only the extract (sources into staging tables) or the load (staging tables into the target)")
	cmd.Flags().BoolVar(&o.AutoFinish, "auto-finish", false, "with --live: once caught up, finish, then commit when clean or go back to live; exit 0 only when committed")
	addProfileFlags(cmd, &o.CPUProfile, &o.MemProfile)
	addScopeFlags(cmd, &o.ScopeList, true)
	return cmd
}

// addProfileFlags adds --cpuprofile and --memprofile, which withProfiles
// writes, to a command that runs long enough to profile.
func addProfileFlags(cmd *cobra.Command, cpu, mem *string) {
	cmd.Flags().StringVar(cpu, "cpuprofile", "", "write a CPU profile of the whole run to FILE (runtime/pprof; read it with go tool pprof)")
	cmd.Flags().StringVar(mem, "memprofile", "", "write a heap profile to FILE at the end of the run, after a garbage collection (runtime/pprof)")
}

// withProfiles runs run under a CPU profile written to cpu, then writes
// a heap profile to mem after a garbage collection; either may be "".
// Both files are created before run starts, so a path that cannot be
// written is refused before anything connects. The profiles are written
// whether run fails or not; run's error comes first.
func withProfiles(cpu, mem string, run func() error) (err error) {
	var cpuf, memf *os.File
	if cpu != "" {
		if cpuf, err = os.Create(cpu); err != nil {
			return usageError(fmt.Errorf("--cpuprofile %s: %w; give a file in a directory that exists", cpu, err))
		}
	}
	if mem != "" {
		if memf, err = os.Create(mem); err != nil {
			if cpuf != nil {
				cpuf.Close()
			}
			return usageError(fmt.Errorf("--memprofile %s: %w; give a file in a directory that exists", mem, err))
		}
		defer func() { err = errors.Join(err, writeHeapProfile(memf, mem)) }()
	}
	if cpuf != nil {
		if err := pprof.StartCPUProfile(cpuf); err != nil {
			cpuf.Close()
			return fmt.Errorf("--cpuprofile %s: %w", cpu, err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if cerr := cpuf.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("--cpuprofile %s: %w", cpu, cerr))
			}
		}()
	}
	return run()
}

// writeHeapProfile writes the heap profile to f, named path in errors,
// after a garbage collection (so that it shows what is live at the end),
// and closes f.
func writeHeapProfile(f *os.File, path string) error {
	runtime.GC()
	err := pprof.Lookup("heap").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--memprofile %s: %w", path, err)
	}
	return nil
}

// RunMigrate runs the plan and prints a summary to w; progress goes to errw,
// and so do warnings unless o.Stderr is set.
func RunMigrate(ctx context.Context, o MigrateOpts, w, errw io.Writer) (*engine.Result, error) {
	warnw := o.Stderr
	if warnw == nil {
		warnw = errw
	}
	defer o.close()
	if !o.DryRun {
		o.writes = "migrate"
	}
	// Checked before anything connects, naming the plan's steps and groups.
	only, err := o.selected()
	if err != nil {
		return nil, err
	}
	p, st, err := o.openMigrate(ctx, warnw, only, o.DryRun)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := o.guardForeign(ctx, p, st, only, errw); err != nil {
		return nil, err
	}
	if o.BatchSize > 0 {
		p.BatchSize = o.BatchSize
		for _, s := range p.Steps {
			s.BatchSize = o.BatchSize
		}
	}
	prog := o.Progress
	if prog == nil {
		prog = newProgress(errw)
	}
	if pc, ok := prog.(interface{ Close() }); ok {
		defer pc.Close()
	}
	run := &abortable{}
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: o.Scope, Only: only,
		DryRun: o.DryRun, Follow: o.Follow, Interval: o.Interval, Progress: abortProgress{prog, run},
		Migrate: connect.Migrate(p, migrationProgress(errw)),
		Mode:    o.mode(), AutoFinish: o.AutoFinish, Phase: engine.Phase(o.Phase), Hook: hookLog(errw, o.Scope)}
	if run.Runner, err = engine.NewRunner(cfg); err != nil {
		return nil, err
	}
	if o.Stop == nil && o.Abort == nil {
		// Watch before the run starts: a signal in between would kill it.
		defer watchSignals(run, errw)()
	}
	if err := run.Start(ctx); err != nil {
		return nil, err
	}
	if o.Stop != nil || o.Abort != nil {
		go stopOn(run, run.Done(), o.Stop, o.Abort)
	}
	res, err := run.Wait()
	err = run.plain(res, err)
	if pc, ok := prog.(interface{ Close() }); ok {
		pc.Close()
	}
	var refused *decant.TransitionError
	if res != nil && !errors.As(err, &refused) { // a refusal changed nothing: its error says it all
		if perr := printResult(w, o.JSON, res); perr != nil && err == nil {
			err = perr
		}
	}
	if err == nil && o.AutoFinish && res != nil && res.Lifecycle != nil && res.Lifecycle.State != decant.StateCommitted {
		// Stopped before it caught up: not committed, so not a success.
		err = &ExitError{Code: 1, Err: fmt.Errorf("scope %s was not committed: stopped while %s", o.Scope, res.Lifecycle.State)}
	}
	if err == nil && o.Finish && res != nil && res.Lifecycle != nil && res.Lifecycle.State == decant.StateFinishing {
		// Stopped before the drain ended: the fence is up and the scope
		// not finished, so not a success.
		err = &ExitError{Code: 1, Err: fmt.Errorf("scope %s was not finished: stopped while finishing, with the fence up; "+
			"run decant migrate --finish again, or decant unfinish to lift the fence", o.Scope)}
	}
	if err != nil && o.DryRun && needsMigrations([]string{err.Error()}) {
		err = dryRunHint(ctx, p, err)
	}
	return res, err
}

// guardForeign treats a run as destructive, in an environment the plan's
// guards protect, when a table it writes holds rows decant did not write
// (its upserts would overwrite them): then it needs --yes and, on a
// terminal, the environment's name. A table decant cannot count counts as
// such a table. It reads only.
func (o *MigrateOpts) guardForeign(ctx context.Context, p *plan.Plan, st decant.Store, only []string, errw io.Writer) error {
	if _, _, ok := p.Guards.Protected(nil); !ok || o.DryRun {
		return nil
	}
	found, err := engine.ForeignRows(ctx, engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Only: only})
	var why []string
	for _, f := range found {
		why = append(why, f.String())
	}
	if err != nil {
		why = append(why, "cannot tell whether its tables hold rows decant did not write: "+err.Error())
	}
	if len(why) == 0 {
		return nil
	}
	in := o.In
	if in == nil {
		in = os.Stdin
	}
	return confirmProtected(p.Guards, "migrate ("+strings.Join(why, "; ")+")", o.Yes, o.Interactive, in, errw)
}

// dryRunHint adds to err, a dry run's missing table or column, the
// migrations that a real run would apply first (a dry run applies none).
func dryRunHint(ctx context.Context, p *plan.Plan, err error) error {
	pending, perr := connect.PendingMigrations(ctx, p)
	if perr != nil || len(pending) == 0 {
		return err
	}
	names := make([]string, len(pending))
	for i, s := range pending {
		names[i] = migrationName(s)
	}
	return fmt.Errorf("%w\n(a dry run applies no migrations; the target lacks %s, which a real run applies first)", err, strings.Join(names, ", "))
}

// stopper is what watchSignals needs of a run (an *engine.Runner).
type stopper interface {
	Stop()
	Abort()
}

// abortable is a run that remembers it was aborted, so that the abort is
// reported as such rather than as the errors of the batch it cancelled.
type abortable struct {
	*engine.Runner
	aborted atomic.Bool
}

// Abort aborts the run; see engine.Runner.Abort.
func (a *abortable) Abort() {
	a.aborted.Store(true)
	a.Runner.Abort()
}

// plain returns the error of a run that was aborted as ErrAborted, and
// marks the steps it cut short with it: whatever the cancellation made
// them fail with says nothing more. An aborted auto-finish's error keeps
// what it says of the fence, with ErrAborted for its cause. Other errors
// are returned as they are.
func (a *abortable) plain(res *engine.Result, err error) error {
	if err == nil || !(a.aborted.Load() || errors.Is(err, engine.ErrAborted)) {
		return err
	}
	if res != nil {
		for i := range res.Steps {
			if cutShort(res.Steps[i].Err) {
				res.Steps[i].Err = ErrAborted
			}
		}
	}
	var af *engine.AutoFinishError
	if errors.As(err, &af) && cutShort(af.Err) {
		af.Err = ErrAborted
		return err
	}
	return ErrAborted
}

// cutShort reports whether a step's error is the abort's echo (the
// cancellation, as the driver or the engine words it), not a failure of its
// own that an earlier --follow round left.
func cutShort(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, engine.ErrAborted)
}

// abortProgress is a run's progress display that says "aborted" of a step
// that an abort cut short, rather than FAILED with its cancelled batch's
// error.
type abortProgress struct {
	engine.Progress
	run *abortable
}

func (p abortProgress) StepDone(r engine.StepResult) {
	if p.run.aborted.Load() && cutShort(r.Err) {
		r.Err = ErrAborted
	}
	p.Progress.StepDone(r)
}

// stopOn stops r when stop is closed and aborts it when abort is, until
// done is; stop or abort may be nil.
func stopOn(r stopper, done, stop, abort <-chan struct{}) {
	for stop != nil || abort != nil {
		select {
		case <-stop:
			r.Stop()
			stop = nil
		case <-abort:
			r.Abort()
			return
		case <-done:
			return
		}
	}
}

// watchSignals turns the first SIGINT/SIGTERM into a graceful stop of r
// and the second into an abort, and returns the function that stops
// watching.
func watchSignals(r stopper, errw io.Writer) func() {
	sigs := make(chan os.Signal, 2)
	quit := make(chan struct{})
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
		case <-quit:
			return
		}
		fmt.Fprintln(errw, "decant: stopping after the batches in flight (signal again to abort)")
		r.Stop()
		select {
		case <-sigs:
			fmt.Fprintln(errw, "decant: aborting; the batch in flight rolls back")
			r.Abort()
		case <-quit:
		}
	}()
	return func() { signal.Stop(sigs); close(quit) }
}

// jsonStep is a step's result as --json prints it: engine.StepResult's
// keys, and "error" for a step that failed.
type jsonStep struct {
	engine.StepResult
	Error string `json:"error,omitempty"`
}

// jsonResult is a run's result as --json prints it.
type jsonResult struct {
	Scope     string         `json:"scope"`
	DryRun    bool           `json:"dry_run,omitempty"`
	Steps     []jsonStep     `json:"steps"`
	Rounds    int            `json:"rounds"`
	Lifecycle *jsonLifecycle `json:"lifecycle,omitempty"`
}

func toJSONResult(res *engine.Result) jsonResult {
	out := jsonResult{Scope: res.Scope, DryRun: res.DryRun, Rounds: res.Rounds, Steps: []jsonStep{},
		Lifecycle: toJSONLifecycle(res.Lifecycle)}
	for _, s := range res.Steps {
		js := jsonStep{StepResult: s}
		if js.Unmapped == nil {
			js.Unmapped = []decant.UnmappedField{} // a list, never null
		}
		if s.Err != nil {
			js.Error = s.Err.Error()
		}
		out.Steps = append(out.Steps, js)
	}
	return out
}

func printResult(w io.Writer, asJSON bool, res *engine.Result) error {
	if asJSON {
		return printJSON(w, toJSONResult(res))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	mode := ""
	if res.DryRun {
		mode = " (dry run: nothing written)"
	}
	fmt.Fprintf(tw, "scope %s%s\n", res.Scope, mode)
	fmt.Fprintln(tw, "STEP\tREAD\tWRITTEN\tFAILED\tBATCHES\tCURSOR\tTIME\tRATE")
	for _, s := range res.Steps {
		rate := 0.0
		if s.Duration > 0 {
			rate = float64(s.Read) / s.Duration.Seconds()
		}
		note := ""
		switch {
		case errors.Is(s.Err, ErrAborted):
			note = " (aborted)"
		case s.Err != nil:
			note = " (FAILED)"
		case s.Stopped:
			note = " (stopped)"
		case s.HeldAt != "":
			note = " (lag window from key " + s.HeldAt + ")"
		}
		name := s.Step
		if s.Phase != "" {
			name += " (" + s.Phase + ")" // a staged run: "orders (extract)", "orders (load)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%.0f/s%s\n", name, s.Read, s.Written, s.Failed, s.Batches,
			s.Cursor, s.Duration.Round(time.Millisecond), rate, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range res.Steps {
		if line := unmappedSummary(s.Step, s.Unmapped, res.DryRun); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	return printLifecycle(w, res.Lifecycle)
}

// migrationProgress prints the migrations that migrate applies before the
// steps, one line each.
func migrationProgress(w io.Writer) func(migrations.Event) {
	return func(e migrations.Event) {
		switch e.What {
		case "batch":
			fmt.Fprintf(w, "migration %s: %d rows, cursor %s\n", e.Migration, e.Rows, e.Cursor)
		case "done":
			fmt.Fprintf(w, "applied migration %s in %s\n", e.Migration, e.Duration.Round(time.Millisecond))
		}
	}
}
