package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// ScopeList is the flags that run a command for many scopes, one after
// another or several at once.
type ScopeList struct {
	// Scopes is --scopes: a file of scopes, one a line, or ":a:b:c".
	Scopes string
	// Parallel is how many scopes run at once (--parallel); 0 or 1 runs
	// them one after another.
	Parallel int
	// scopeGiven is whether --scope was given too, which --scopes refuses.
	scopeGiven bool
}

// addScopeFlags registers --scopes, and --parallel when parallel is true,
// on cmd.
func addScopeFlags(cmd *cobra.Command, l *ScopeList, parallel bool) {
	cmd.Flags().StringVar(&l.Scopes, "scopes", "", "run for each scope of this file (one a line, # comments) or of :a:b:c, instead of --scope")
	if parallel {
		cmd.Flags().IntVar(&l.Parallel, "parallel", 1, "with --scopes, run this many scopes at once")
	}
}

// given records, before Validate, whether the user gave --scope.
func (l *ScopeList) given(cmd *cobra.Command) {
	if f := cmd.Flag("scope"); f != nil {
		l.scopeGiven = f.Changed
	}
}

// validate checks the flags; scope is the command's --scope. (Not
// Validate: the Opts that embed a ScopeList embed Common too.)
func (l *ScopeList) validate(scope string) error {
	if l.Parallel < 0 {
		return fmt.Errorf("--parallel %d: give the number of scopes to run at once, 1 or more", l.Parallel)
	}
	if l.Scopes == "" {
		if l.Parallel > 1 {
			return fmt.Errorf("--parallel %d runs several scopes at once: give them with --scopes FILE or --scopes :a:b:c", l.Parallel)
		}
		return nil
	}
	if l.scopeGiven || (scope != "" && scope != decant.DefaultScope) {
		return fmt.Errorf("--scope %s and --scopes %s: give one of the two (--scopes :%s runs one scope)", scope, l.Scopes, scope)
	}
	return nil
}

// check reads whether --scope was given, then checks the flags and reads
// the list, so that a mistake in either stops the command (exit code 2)
// before it runs anything. scope is the command's --scope.
func (l *ScopeList) check(cmd *cobra.Command, scope string) error {
	l.given(cmd)
	if err := l.validate(scope); err != nil || !l.many() {
		return usageError(err)
	}
	_, err := parseScopes(l.Scopes)
	return usageError(err)
}

// list validates the flags and reads the list, for the Run functions that
// a program may call without the command's checks.
func (l *ScopeList) list(scope string) ([]string, error) {
	if err := l.validate(scope); err != nil {
		return nil, err
	}
	return parseScopes(l.Scopes)
}

// many reports whether the command runs for a list of scopes.
func (l *ScopeList) many() bool { return l.Scopes != "" }

// scopeName is what a scope of a list may be: letters, digits, '.', '_'
// and '-', starting with a letter or a digit, as tenants, database names
// and URL segments all accept.
var scopeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// parseScopes reads the scopes of --scopes: ":a:b:c" names them, anything
// else is a file of one scope a line, where '#' starts a comment and blank
// lines are skipped. A scope that is not a scopeName, or one given twice,
// is an error naming its file and line.
func parseScopes(spec string) ([]string, error) {
	if rest, ok := strings.CutPrefix(spec, ":"); ok {
		var scopes []string
		seen := map[string]int{}
		for i, s := range strings.Split(rest, ":") {
			where := fmt.Sprintf("--scopes %s: scope %d", spec, i+1)
			if err := addScope(&scopes, seen, s, i+1, where, "scope"); err != nil {
				return nil, err
			}
		}
		return scopes, nil
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, fmt.Errorf("--scopes %s: %w (give a file of scopes, one a line, or :a:b:c)", spec, err)
	}
	defer f.Close()
	var scopes []string
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if err := addScope(&scopes, seen, text, line, fmt.Sprintf("%s:%d", spec, line), "line"); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--scopes %s: %w", spec, err)
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("--scopes %s: the file names no scope (one a line; # starts a comment)", spec)
	}
	return scopes, nil
}

// addScope appends scope, the n-th of its list (a line, or a place in
// :a:b:c, which unit names), checking it; where names it in errors.
func addScope(scopes *[]string, seen map[string]int, scope string, n int, where, unit string) error {
	switch {
	case scope == "":
		return fmt.Errorf("%s: empty scope (write :a:b:c, without a trailing or doubled ':')", where)
	case !scopeName.MatchString(scope):
		return fmt.Errorf("%s: scope %q: a scope of a list holds letters, digits, '.', '_' and '-', and starts with a letter or digit", where, scope)
	}
	if first, ok := seen[scope]; ok {
		return fmt.Errorf("%s: scope %s is given twice (first at %s %d): remove one", where, scope, unit, first)
	}
	seen[scope] = n
	*scopes = append(*scopes, scope)
	return nil
}

// scopeWork is one command's work for one scope: it prints to w what the
// command prints for a single scope, and returns the result --json shows
// for it (nil when there is none). migrate, verify and status each have
// one, which --scope runs once and --scopes once per scope.
type scopeWork func(ctx context.Context, scope string, w io.Writer) (any, error)

// ScopeResult is the outcome of one scope of a --scopes run, as --json
// prints it: an array of them, in the list's order.
type ScopeResult struct {
	Scope string `json:"scope"`
	OK    bool   `json:"ok"`
	// Error is why the scope failed, "" when it succeeded.
	Error string `json:"error"`
	// Result is the command's own --json result for the scope (null when
	// the scope did not get that far).
	Result any `json:"result"`

	err      error
	duration time.Duration
	output   string // what the work printed, text only
}

// scopeRun runs a scopeWork for every scope of a list.
type scopeRun struct {
	scopes   []string
	parallel int
	json     bool
	// stop, when closed, starts no more scopes: those that run end as a
	// signal ends a single scope's run, and those left are reported as not
	// run. ctx being done does the same.
	stop <-chan struct{}
}

// run runs work for each scope, at most r.parallel at once, and prints:
// with text, each scope's output as it finishes, every line prefixed by
// the scope, then its summary line, and at the end how many succeeded;
// with --json, the array of ScopeResult. The error is nil when every scope
// succeeded, else an *ExitError whose code is the highest of the scopes'
// (1 for an error without one), saying which failed and why.
func (r scopeRun) run(ctx context.Context, w io.Writer, work scopeWork) ([]ScopeResult, error) {
	results := make([]ScopeResult, len(r.scopes))
	jobs := make(chan int)
	var mu sync.Mutex // orders the scopes' output
	var wg sync.WaitGroup
	for range max(1, min(r.parallel, len(r.scopes))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := r.one(ctx, r.scopes[i], work)
				mu.Lock()
				results[i] = res
				if !r.json {
					printScope(w, res)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range r.scopes {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if r.json {
		if err := printJSON(w, results); err != nil {
			return results, err
		}
	}
	err := tally(results)
	if err == nil && !r.json {
		_, err = fmt.Fprintf(w, "%d of %d scopes succeeded\n", len(results), len(results))
	}
	return results, err
}

// one runs work for scope, unless the run was stopped before it started.
func (r scopeRun) one(ctx context.Context, scope string, work scopeWork) ScopeResult {
	res := ScopeResult{Scope: scope}
	if r.stopped(ctx) {
		res.err = errors.New("not run: stopped (a signal) before it started; run it again")
		res.Error = res.err.Error()
		return res
	}
	var buf bytes.Buffer
	out := io.Writer(&buf)
	if r.json {
		out = io.Discard
	}
	start := time.Now()
	result, err := work(ctx, scope, out)
	res.duration = time.Since(start)
	res.Result, res.err = result, err
	res.OK = err == nil
	if err != nil {
		res.Error = err.Error()
	}
	res.output = buf.String()
	return res
}

func (r scopeRun) stopped(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// printScope prints a finished scope's output, every line prefixed by its
// scope, then its summary line.
func printScope(w io.Writer, res ScopeResult) {
	for _, line := range strings.SplitAfter(res.output, "\n") {
		if line != "" {
			fmt.Fprintf(w, "%s: %s", res.Scope, strings.TrimSuffix(line, "\n")+"\n")
		}
	}
	if res.err != nil {
		fmt.Fprintf(w, "%s: FAILED: %s\n", res.Scope, res.err)
		return
	}
	fmt.Fprintf(w, "%s: ok (%s)\n", res.Scope, res.duration.Round(time.Millisecond))
}

// tally is nil when every scope succeeded, else an *ExitError saying "3
// of 4 scopes succeeded; failed: b (reason)", with the highest exit code
// of the scopes that failed.
func tally(results []ScopeResult) error {
	var failed []string
	code := 0
	for _, r := range results {
		if r.err == nil {
			continue
		}
		failed = append(failed, fmt.Sprintf("%s (%s)", r.Scope, firstLine(r.err.Error())))
		c := 1
		var ee *ExitError
		if errors.As(r.err, &ee) {
			c = ee.Code
		}
		code = max(code, c)
	}
	if len(failed) == 0 {
		return nil
	}
	return &ExitError{Code: code, Err: fmt.Errorf("%d of %d scopes succeeded; failed: %s",
		len(results)-len(failed), len(results), strings.Join(failed, ", "))}
}

// firstLine is the first line of s: a scope's reason in the final line.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// scopeStopper turns a signal into the stop, and a second one into the
// abort, of every scope of a --scopes migrate at once (see watchSignals).
type scopeStopper struct {
	stop, abort         chan struct{}
	stopOnce, abortOnce sync.Once
}

func newScopeStopper() *scopeStopper {
	return &scopeStopper{stop: make(chan struct{}), abort: make(chan struct{})}
}

func (s *scopeStopper) Stop()  { s.stopOnce.Do(func() { close(s.stop) }) }
func (s *scopeStopper) Abort() { s.abortOnce.Do(func() { close(s.abort) }) }

// quietProgress shows nothing: the progress of scopes that run at once,
// whose bars or lines would mix.
type quietProgress struct{}

func (quietProgress) StepStarted(string, int64)       {}
func (quietProgress) Batch(string, decant.BatchAudit) {}
func (quietProgress) StepDone(engine.StepResult)      {}
func (quietProgress) RoundError(error)                {}

// RunMigrateScopes runs migrate for each scope of o.Scopes, o.Parallel at
// once, each with its own run, lease and connections, and prints each
// scope's summary as it finishes (see scopeRun.run). A failing scope does
// not stop the others. A signal stops every running scope as it stops a
// single one, and starts no other.
func RunMigrateScopes(ctx context.Context, o MigrateOpts, w, errw io.Writer) ([]ScopeResult, error) {
	scopes, err := o.list(o.Scope)
	if err != nil {
		return nil, err
	}
	if follows := o.Follow || (o.Live && !o.AutoFinish); follows && o.Parallel < len(scopes) {
		// A scope that follows never ends, and the next would never start;
		// with --auto-finish a live scope ends once it has caught up.
		flag := "--follow"
		if o.Live {
			flag = "--live"
		}
		return nil, usageError(fmt.Errorf("%s with --scopes runs every scope at once, each following its source: give --parallel %d (the %d scopes of %s), or --live --auto-finish to take them one after another",
			flag, len(scopes), len(scopes), o.Scopes))
	}
	if err := o.guardScopes(errw); err != nil {
		return nil, err
	}
	r := scopeRun{scopes: scopes, parallel: o.Parallel, json: o.JSON}
	if o.Stop == nil && o.Abort == nil {
		ss := newScopeStopper()
		o.Stop, o.Abort = ss.stop, ss.abort
		defer watchSignals(ss, errw)()
	}
	r.stop = o.Stop
	if o.Parallel > 1 && o.Progress == nil {
		o.Progress = quietProgress{}
	}
	return r.run(ctx, w, migrateScope(o, errw))
}

// guardScopes checks the plan's guards and the steps the flags select
// once for a list of scopes, not scope by scope. On a terminal, with
// --yes in a protected environment, it asks for the environment's name
// once, up front: the scopes, perhaps run at once, then ask nothing.
func (o *MigrateOpts) guardScopes(errw io.Writer) error {
	if o.DryRun {
		return nil
	}
	o.writes = "migrate"
	if _, err := o.selected(); err != nil {
		return err
	}
	p, err := o.load()
	if err != nil {
		return err
	}
	if o.Yes && o.Interactive && o.In != nil {
		if err := confirmProtected(p.Guards, "migrate --scopes "+o.Scopes, true, true, o.In, errw); err != nil {
			return err
		}
	}
	o.Interactive = false
	return nil
}

// migrateScope is migrate's work for one scope: RunMigrate with o for
// scope. Only the first scope prints the sources' warnings, which are the
// same for all.
func migrateScope(o MigrateOpts, errw io.Writer) scopeWork {
	var once sync.Once
	return func(ctx context.Context, scope string, w io.Writer) (any, error) {
		so := o
		so.Scope, so.Scopes = scope, ""
		warned := true
		once.Do(func() { warned = false })
		if warned {
			so.Stderr = io.Discard
		}
		res, err := RunMigrate(ctx, so, w, errw)
		if res == nil {
			return nil, err
		}
		return toJSONResult(res), err
	}
}

// RunVerifyScopes runs verify for each scope of o.Scopes, o.Parallel at
// once (see RunMigrateScopes). The exit code is the highest of the
// scopes': 2 when one could not be verified, 1 when one has differences.
func RunVerifyScopes(ctx context.Context, o VerifyOpts, w io.Writer) ([]ScopeResult, error) {
	scopes, err := o.list(o.Scope)
	if err != nil {
		return nil, err
	}
	r := scopeRun{scopes: scopes, parallel: o.Parallel, json: o.JSON}
	var once sync.Once
	return r.run(ctx, w, func(ctx context.Context, scope string, w io.Writer) (any, error) {
		so := o
		so.Scope, so.Scopes = scope, ""
		warned := true
		once.Do(func() { warned = false })
		if warned {
			so.Stderr = io.Discard
		}
		res, err := RunVerify(ctx, so, w)
		if res == nil {
			return nil, err
		}
		return jsonVerify(res), err
	})
}

// RunStatusScopes prints the status of each scope of o.Scopes, one after
// another.
func RunStatusScopes(ctx context.Context, o StatusOpts, w io.Writer) ([]ScopeResult, error) {
	scopes, err := o.list(o.Scope)
	if err != nil {
		return nil, err
	}
	r := scopeRun{scopes: scopes, json: o.JSON}
	return r.run(ctx, w, func(ctx context.Context, scope string, w io.Writer) (any, error) {
		so := o
		so.Scope, so.Scopes = scope, ""
		ss, err := RunStatus(ctx, so, w)
		if ss == nil && err == nil {
			ss = []decant.StepStatus{}
		}
		return ss, err
	})
}
