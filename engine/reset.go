package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// ResetOptions tunes [Reset].
type ResetOptions struct {
	// Step, when not empty, resets one step (or group) of the plan
	// instead of the whole scope; the scope's lifecycle then stays.
	Step string
	// Groups, when not empty, resets the steps of these groups (names or
	// aliases) instead of the whole scope, as Step does.
	Groups []string
	// Phase, for a plan with staging (plan key staging), resets only the
	// load (the target rows and the steps' state, keeping what is staged,
	// so that a load after a plan fix maps the staging tables again
	// without the source) or only the extract (the staged records and
	// the extract's state, so that the next extract reads the source
	// again). "" resets both. Either one leaves the lifecycle as it is.
	Phase Phase
	// ChunkSize is how many records one transaction deletes, their rows
	// and their ledger rows together. Default 1000.
	ChunkSize int
	// Confirm, when set, is called with what the reset will delete,
	// counted before anything is deleted; when it returns false, Reset
	// deletes nothing and returns ErrResetDeclined.
	Confirm func(*ResetResult) bool
	// Chunked, when set, is called after each chunk commits with the
	// step and the number of records of the chunk.
	Chunked func(step string, records int)
}

// ErrResetDeclined is returned by [Reset] when ResetOptions.Confirm says no.
var ErrResetDeclined = errors.New("reset declined: nothing was deleted")

// ResetResult is what a [Reset] deleted (or, given to
// ResetOptions.Confirm, will delete).
type ResetResult struct {
	Scope string `json:"scope"`
	// Step is ResetOptions.Step: empty when the whole scope was reset.
	Step string `json:"step,omitempty"`
	// Groups is ResetOptions.Groups.
	Groups []string `json:"groups,omitempty"`
	// Steps are in the order they were reset: the reverse of the plan's,
	// so that a step's rows go before those of the steps it follows
	// (whose rows they may reference).
	Steps []ResetStep `json:"steps"`
	// Records and Rows are the sums of the steps'.
	Records int64 `json:"records"`
	Rows    int64 `json:"rows"`
	Staged  int64 `json:"staged"`
	// State is the scope's lifecycle state after the reset ("new"),
	// empty when the store keeps no lifecycle or a step was reset.
	State decant.ScopeState `json:"state,omitempty"`
	// Hooks are the hooks the reset ran: on_unfinish, which lifts the
	// application's fence, when the scope was finishing or finished.
	Hooks []HookResult `json:"hooks,omitempty"`
}

// ResetStep is what a reset deleted of one step.
type ResetStep struct {
	Step string `json:"step"`
	// Records counts the ledger rows deleted with their rows.
	Records int64 `json:"records"`
	// Rows counts the target rows deleted, Tables by table.
	Rows   int64            `json:"rows"`
	Tables map[string]int64 `json:"tables"`
	// Unfound counts the records whose rows cannot be looked for: the
	// ledger kept their key abbreviated (keys over decant.MaxKeyBytes),
	// or the key no longer maps to the key columns. Their rows, if any,
	// stay; look for them by hand.
	Unfound int64 `json:"unfound"`
	// Staged counts the staged records deleted from the step's staging
	// table (plan key staging).
	Staged int64 `json:"staged"`
	// HeldElsewhere lists, sorted, the keys whose rows stay because
	// another scope's ledger of the step holds them: the document moved
	// to that scope, whose row it is now. This scope's ledger rows of
	// them are deleted (and counted in Records).
	HeldElsewhere []string `json:"held_elsewhere"`
}

// TableNames lists the tables the reset deletes from, sorted.
func (r *ResetResult) TableNames() []string {
	var names []string
	for _, s := range r.Steps {
		for t := range s.Tables {
			if !slices.Contains(names, t) {
				names = append(names, t)
			}
		}
	}
	slices.Sort(names)
	return names
}

// Reset takes back what decant wrote for a scope (or one of its steps):
// it deletes the target rows of every record in the scope's ledger, chunk
// by chunk, each chunk's rows (children first, found from the record's key
// as for a deleted record) and its ledger rows in one transaction, so a
// reset that is stopped resumes where it stopped; then the scope's state
// (checkpoints, errors, findings, verify runs, patches, audit rows), and
// sets its lifecycle to new. It holds the scope's lease throughout, and
// refuses a committed scope with a *decant.TransitionError. Before it
// deletes anything it refuses a step whose key columns cannot be computed
// from the source key, lifts the fence of a finishing or finished scope
// (on_unfinish, refusing the reset when the hook fails), and forgets the
// steps' checkpoints, so that a migrate after a stopped reset writes back
// what it deleted. The rows of a record that moved to another scope (that
// scope's ledger holds its key, and its key columns are the same there)
// stay, listed in ResetStep.HeldElsewhere. The store needs the
// ScopeResetter role.
func Reset(ctx context.Context, cfg Config, opts ResetOptions) (*ResetResult, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 1000
	}
	res := opts.result(cfg.Scope)
	rs, err := decant.Require[decant.ScopeResetter](cfg.Store, "reset a scope")
	if err != nil {
		return nil, err
	}
	steps, err := opts.steps(cfg.Plan)
	if err != nil {
		return nil, err
	}
	stg, err := opts.stager(cfg)
	if err != nil {
		return nil, err
	}
	mappers, err := resetMappers(ctx, cfg, steps)
	if err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	release, leaseCtx, err := holdLease(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx = leaseCtx
	// Asked under the lease, as patch and retry do: a commit that ends
	// before the lease is taken is seen.
	if err := refuseCommitted(ctx, cfg, "reset"); err != nil {
		return nil, err
	}
	if opts.Confirm != nil {
		counted, err := countReset(ctx, cfg, rs, stg, steps, mappers, opts)
		if err != nil {
			return nil, err
		}
		if !opts.Confirm(counted) {
			return nil, ErrResetDeclined
		}
	}
	if err := liftFenceForReset(ctx, cfg, res); err != nil {
		return nil, err
	}
	// Before any chunk: a migrate run after a stopped reset then reads
	// the steps from the start and writes back what the chunks deleted,
	// instead of resuming from a checkpoint past them.
	if err := rs.ForgetCheckpoints(ctx, cfg.Scope, opts.stateNames(steps, stg != nil)); err != nil {
		return res, fmt.Errorf("cannot reset: %w (nothing was deleted)", err)
	}
	for _, s := range steps {
		var rst ResetStep
		if opts.Phase != PhaseExtract {
			rst, err = resetStep(ctx, cfg, rs, s, mappers[s.Name], opts, false)
		} else {
			rst = ResetStep{Step: s.Name, Tables: map[string]int64{}, HeldElsewhere: []string{}}
		}
		if err == nil && stg != nil && opts.Phase != PhaseLoad {
			rst.Staged, err = stg.DropStaged(ctx, cfg.Scope, s.Name)
			if err == nil && opts.partial() {
				err = rs.ResetState(ctx, cfg.Scope, decant.ExtractStep(s.Name))
			}
		}
		res.add(rst)
		if err != nil {
			if hint := laterStepsHint(cfg.Plan, steps, err); hint != "" {
				return res, fmt.Errorf("reset step %s: %w: rows of later steps may refer to its rows; %s (the chunks before it are deleted, each whole)", s.Name, err, hint)
			}
			return res, fmt.Errorf("reset step %s: %w (the chunks before it are deleted, each whole: run decant reset again to finish)", s.Name, err)
		}
		if opts.partial() && opts.Phase != PhaseExtract {
			if err := rs.ResetState(ctx, cfg.Scope, s.Name); err != nil {
				return res, err
			}
		}
	}
	if opts.partial() {
		return res, nil
	}
	if err := rs.ResetState(ctx, cfg.Scope, ""); err != nil {
		return res, err
	}
	if lc, ok := decant.As[decant.Lifecycler](cfg.Store); ok {
		from := slices.DeleteFunc(slices.Clone(decant.ScopeStates), func(s decant.ScopeState) bool { return s == decant.StateCommitted })
		l, err := lc.Transition(ctx, cfg.Scope, from, decant.StateNew, "reset")
		if err != nil {
			return res, err
		}
		res.State = l.State
	}
	return res, nil
}

// partial reports whether the reset is of some steps, or of one phase,
// not the scope.
func (o ResetOptions) partial() bool { return o.Step != "" || len(o.Groups) > 0 || o.Phase != "" }

// stager returns the store's staging role for a plan with staging, nil
// for a plan without; a phase is refused for a plan without.
func (o ResetOptions) stager(cfg Config) (decant.Stager, error) {
	switch o.Phase {
	case "", PhaseExtract, PhaseLoad:
	default:
		return nil, fmt.Errorf("--phase %s: give extract or load (or no --phase, for both)", o.Phase)
	}
	if !cfg.Plan.Staging {
		if o.Phase != "" {
			return nil, fmt.Errorf("--phase %s: the plan stages nothing (no staging: true), so a reset has one phase: drop --phase", o.Phase)
		}
		// The plan may have staged before: what it staged goes too, or a
		// plan that stages again would load it back.
		stg, _ := decant.As[decant.Stager](cfg.Store)
		return stg, nil
	}
	return decant.Require[decant.Stager](cfg.Store, "delete what is staged (plan key staging)")
}

// stateNames are the names whose checkpoints a reset of steps forgets:
// the steps' (their loads'), and their extracts' when it deletes what is
// staged. A reset of the extract forgets the loads' checkpoints too: the
// records staged again take new seqs, which may be lower than the one a
// load stopped at, so the next load reads every staged record again.
func (o ResetOptions) stateNames(steps []*plan.Step, staged bool) []string {
	var names []string
	for _, s := range steps {
		names = append(names, s.Name)
		if staged && o.Phase != PhaseLoad {
			names = append(names, decant.ExtractStep(s.Name))
		}
	}
	return names
}

func (o ResetOptions) result(scope string) *ResetResult {
	return &ResetResult{Scope: scope, Step: o.Step, Groups: o.Groups, Steps: []ResetStep{}}
}

// steps returns the steps the reset undoes, in reverse plan order: a
// later step's rows may reference an earlier one's (children first, as
// within a step).
func (o ResetOptions) steps(p *plan.Plan) ([]*plan.Step, error) {
	var only []string
	if o.Step != "" {
		only = []string{o.Step}
	}
	steps, err := p.Select(plan.Selection{Only: append(only, o.Groups...)})
	if err != nil {
		return nil, err
	}
	steps = slices.Clone(steps)
	slices.Reverse(steps)
	return steps, nil
}

// liftFenceForReset runs the unfinish path (on_unfinish, then live) when
// the scope is finishing or finished: a reset that left the application
// fenced would leave it so for good, since unfinish is refused on the new
// scope a reset makes. A failing hook refuses the reset, nothing deleted.
func liftFenceForReset(ctx context.Context, cfg Config, res *ResetResult) error {
	if _, ok := decant.As[decant.Lifecycler](cfg.Store); !ok {
		return nil
	}
	l, err := newLifecycle(ctx, cfg, "reset")
	if err != nil {
		return err
	}
	if s := l.state(); s != decant.StateFinishing && s != decant.StateFinished {
		return nil
	}
	err = l.unfinish(ctx, "reset", "reset: on_unfinish lifted the fence before the reset")
	res.Hooks = l.res.Hooks
	if err != nil {
		return fmt.Errorf("cannot reset scope %s: %w; the fence is still up and the scope stays %s, nothing was deleted: make on_unfinish work (plan key hooks.on_unfinish) and run decant reset again",
			cfg.Scope, err, l.state())
	}
	return nil
}

// stepNames lists the names of steps.
func stepNames(steps []*plan.Step) []string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return names
}

func (r *ResetResult) add(s ResetStep) {
	r.Steps = append(r.Steps, s)
	r.Records += s.Records
	r.Rows += s.Rows
	r.Staged += s.Staged
}

// resetMappers builds the mapper of each step, refusing a step whose key
// columns cannot be computed from the source key: its rows could not be
// found.
func resetMappers(ctx context.Context, cfg Config, steps []*plan.Step) (map[string]*transform.Mapper, error) {
	mappers := map[string]*transform.Mapper{}
	for _, s := range steps {
		if err := transform.KeyFromSourceKey(s.Spec); err != nil {
			return nil, fmt.Errorf("cannot reset: %w (nothing was deleted)", err)
		}
		cols, err := TargetColumns(ctx, cfg.Store, s.Spec)
		if err != nil {
			return nil, err
		}
		m, err := transform.NewMapper(s.Spec, cols)
		if err != nil {
			return nil, fmt.Errorf("cannot reset: the plan does not match the target (nothing was deleted): %w", err)
		}
		mappers[s.Name] = m
	}
	return mappers, nil
}

// countReset counts what a reset of steps deletes, deleting nothing.
func countReset(ctx context.Context, cfg Config, rs decant.ScopeResetter, stg decant.Stager, steps []*plan.Step,
	mappers map[string]*transform.Mapper, opts ResetOptions) (*ResetResult, error) {
	res := opts.result(cfg.Scope)
	for _, s := range steps {
		rst := ResetStep{Step: s.Name, Tables: map[string]int64{}, HeldElsewhere: []string{}}
		var err error
		if opts.Phase != PhaseExtract {
			rst, err = resetStep(ctx, cfg, rs, s, mappers[s.Name], opts, true)
		}
		if err == nil && stg != nil && opts.Phase != PhaseLoad {
			rst.Staged, err = stg.CountStaged(ctx, cfg.Scope, s.Name, 0)
			if errors.Is(err, decant.ErrNotFound) {
				err = nil // no staging table: nothing staged
			}
		}
		if err != nil {
			return nil, fmt.Errorf("count the rows of step %s: %w", s.Name, err)
		}
		res.add(rst)
	}
	return res, nil
}

// resetPage is how many chunks of keys resetStep asks the ledger for at
// once: a store that keeps its ledger in blocks scans the step's blocks
// for each page of keys, so pages of a single chunk would make a reset
// of a large step quadratic.
const resetPage = 20

// resetStep deletes (or, with countOnly, counts) the rows and the ledger
// rows of a step's records, a chunk of ledger keys at a time. A chunk
// counts once it commits: one the database refuses rolls back, and what
// it would have deleted is not reported as deleted.
func resetStep(ctx context.Context, cfg Config, rs decant.ScopeResetter, s *plan.Step, m *transform.Mapper, opts ResetOptions, countOnly bool) (ResetStep, error) {
	rst := ResetStep{Step: s.Name, Tables: map[string]int64{}, HeldElsewhere: []string{}}
	if !countOnly {
		// A step whose ledger a killed or live run left uncompacted pages
		// slowly through its keys (each page sorts the entries after the
		// compacted ones); compacting first, by the store's own rule,
		// makes the pages cheap.
		if err := compactLedger(ctx, cfg, s.Name); err != nil {
			return rst, err
		}
	}
	var page []string
	after := ""
	for {
		if len(page) == 0 {
			var err error
			if page, err = rs.LedgerKeys(ctx, cfg.Scope, s.Name, after, resetPage*opts.ChunkSize); err != nil || len(page) == 0 {
				return rst, err
			}
			after = page[len(page)-1]
		}
		keys := page[:min(opts.ChunkSize, len(page))]
		page = page[len(keys):]
		chunk, deletes, err := resetChunk(ctx, cfg, rs, s, m, keys)
		if err != nil {
			return rst, err
		}
		if !countOnly {
			if err := commitBatch(ctx, cfg.Store, &decant.Batch{Scope: cfg.Scope, Step: s.Name, Deletes: deletes, Forget: keys}); err != nil {
				return rst, err
			}
			if opts.Chunked != nil {
				opts.Chunked(s.Name, len(keys))
			}
		}
		rst.addChunk(chunk)
	}
}

// resetChunk finds the rows of the records of keys (ledger keys of step
// s) and counts them, deleting nothing; the rows of keys held elsewhere
// are left out.
func resetChunk(ctx context.Context, cfg Config, rs decant.ScopeResetter, s *plan.Step, m *transform.Mapper, keys []string) (ResetStep, []decant.RowDeletes, error) {
	chunk := ResetStep{Tables: map[string]int64{}, Records: int64(len(keys))}
	held, err := rs.HeldElsewhere(ctx, cfg.Scope, s.Name, keys)
	if err != nil {
		return chunk, nil, err
	}
	chunk.HeldElsewhere = movedKeys(m, cfg.Scope, keys, held)
	deletes := recordDeletes(m, cfg.Scope, s.Spec.Key, withoutKeys(keys, chunk.HeldElsewhere), &chunk)
	for _, d := range deletes {
		n, err := rs.CountRows(ctx, d)
		if err != nil {
			return chunk, nil, err
		}
		chunk.Tables[d.Table] += n
		chunk.Rows += n
	}
	return chunk, deletes, nil
}

// addChunk adds a chunk's counts to the step's.
func (r *ResetStep) addChunk(c ResetStep) {
	r.Records += c.Records
	r.Rows += c.Rows
	r.Unfound += c.Unfound
	r.HeldElsewhere = append(r.HeldElsewhere, c.HeldElsewhere...)
	for t, n := range c.Tables {
		r.Tables[t] += n
	}
}

// laterStepsHint, for an error that names a foreign key, says how to
// delete first the rows that refer to the reset's: name, in --group, the
// groups of the plan's steps after the first of steps that the reset
// leaves, or reset the later steps of no group first. Stores do not type
// the error, so it is told by its text (PostgreSQL's "violates foreign key
// constraint", SQLite's "FOREIGN KEY constraint failed").
func laterStepsHint(p *plan.Plan, steps []*plan.Step, err error) string {
	if !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
		return ""
	}
	first := len(p.Steps)
	for _, s := range steps {
		first = min(first, slices.Index(p.Steps, s))
	}
	var groups, loose []string
	for _, s := range p.Steps[first+1:] {
		switch {
		case slices.Contains(steps, s):
		case s.Group == "":
			loose = append(loose, s.Name)
		case !slices.Contains(groups, s.Group):
			groups = append(groups, s.Group)
		}
	}
	var hints []string
	if len(groups) > 0 {
		hints = append(hints, "include the groups of the later steps that may refer to them in --group ("+strings.Join(groups, ", ")+")")
	}
	if len(loose) > 0 {
		hints = append(hints, "reset the later steps of no group first (--step "+strings.Join(loose, ", --step ")+")")
	}
	return strings.Join(hints, ", and ")
}

// movedKeys returns, in the order of keys, the keys held elsewhere (by
// another scope's ledger) whose rows are that scope's too: their key
// columns compute the same in both scopes, so the document moved there.
// A key whose columns depend on the scope names another row in each.
func movedKeys(m *transform.Mapper, scope string, keys []string, held map[string][]string) []string {
	var moved []string
	for _, lk := range keys {
		others := held[lk]
		sk, ok := sourceKeyOf(lk)
		if len(others) == 0 || !ok {
			continue
		}
		rec := decant.Record{Key: sk, Where: "ledger key " + lk}
		mine, f := m.MapDeleted(rec, scope)
		if f != nil {
			continue
		}
		for _, o := range others {
			if theirs, f := m.MapDeleted(rec, o); f == nil && reflect.DeepEqual(mine, theirs) {
				moved = append(moved, lk)
				break
			}
		}
	}
	return moved
}

// withoutKeys returns keys less drop (both sorted), in a new slice.
func withoutKeys(keys, drop []string) []string {
	if len(drop) == 0 {
		return keys
	}
	kept := make([]string, 0, len(keys))
	for _, k := range keys {
		if _, found := slices.BinarySearch(drop, k); !found {
			kept = append(kept, k)
		}
	}
	return kept
}

// recordDeletes finds the rows of the records of keys (ledger keys) as
// for deleted records: children first, then the step's tables.
func recordDeletes(m *transform.Mapper, scope string, key []string, keys []string, rst *ResetStep) []decant.RowDeletes {
	var rd rowDeletes
	for _, lk := range keys {
		if strings.HasPrefix(lk, decant.NoKeyPrefix) {
			continue // a record without a key failed: it has no rows
		}
		sk, ok := sourceKeyOf(lk)
		if !ok {
			rst.Unfound++
			continue
		}
		out, f := m.MapDeleted(decant.Record{Key: sk, Where: "ledger key " + lk}, scope)
		if f != nil {
			rst.Unfound++
			continue
		}
		rd.add(out)
	}
	return rd.build(deletePlan{}, key, m.ChildTables(), noTime)
}

// sourceKeyOf returns the source key a ledger key was made from
// (decant.LedgerKey), false when the ledger abbreviated it.
func sourceKeyOf(lk string) (string, bool) {
	if decant.LedgerKey(lk, nil) == lk {
		return lk, true
	}
	if k, err := strconv.Unquote(lk); err == nil && decant.LedgerKey(k, nil) == lk {
		return k, true
	}
	return "", false
}

// commitBatch writes b in a transaction of its own.
func commitBatch(ctx context.Context, st decant.Store, b *decant.Batch) error {
	tx, err := st.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := st.WriteBatch(ctx, tx, b); err != nil {
		return errors.Join(err, tx.Rollback(context.WithoutCancel(ctx)))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ScopesWithState lists, sorted, the scopes other than cfg.Scope whose
// ledger or checkpoints hold anything: the scopes whose rows a revert of
// the schema the scopes share (reset --migrations) would drop while their
// state says they are written. It writes nothing; a store without
// decant's state tables, or without the Lifecycler role, has none.
func ScopesWithState(ctx context.Context, cfg Config) ([]string, error) {
	lc, ok := decant.As[decant.Lifecycler](cfg.Store)
	if !ok {
		return nil, nil
	}
	sr, err := decant.Require[decant.StateReader](cfg.Store, "look for other scopes' state")
	if err != nil {
		return nil, err
	}
	scopes, err := lc.Lifecycles(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		if sc.Scope == cfg.Scope {
			continue
		}
		status, err := sr.Status(ctx, sc.Scope)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(status, func(s decant.StepStatus) bool { return s.Keys > 0 || len(s.Checkpoint) > 0 }) {
			out = append(out, sc.Scope)
		}
	}
	return out, nil
}
