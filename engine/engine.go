// Package engine runs the steps of a plan: it reads records from sources,
// maps them to rows and writes each batch, with its ledger, errors, audit
// row and checkpoint, in one target transaction. Reading, mapping and
// writing run concurrently with bounded queues, so memory is bounded by
// batch size times queue depth, never by the size of the data.
//
// The engine speaks to sources and stores through the root package's
// interfaces; it never imports a driver.
package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// SourceOpener opens the source of a step.
type SourceOpener func(ctx context.Context, step *plan.Step) (decant.Source, error)

// Config is what a run needs. Plan, Store and Sources are required.
type Config struct {
	Plan *plan.Plan
	// Store is the target. Beyond the core of decant.Store, each entry
	// point needs some of its roles, found with decant.As (so through
	// wrappers with Unwrap) and named in a *decant.RoleError when missing:
	// Run and Retry need StateInitializer, Leaser and Cataloger (Retry
	// StateReader too, Run Lifecycler, and a plan with setup files
	// ScriptRunner); Unfinish and Commit need StateInitializer, Leaser and
	// Lifecycler (Commit verifies too); a dry
	// run, Preview and Check need Cataloger only, and Check pings through
	// Pinger when the store has it. decant's postgres and sqlite stores
	// have every role.
	Store   decant.Store
	Sources SourceOpener
	// Scope is the tenant the run is for. Default decant.DefaultScope.
	Scope string
	// Only, when not empty, runs just the named steps (or groups).
	Only []string
	// DryRun reads and maps but writes nothing, not even state.
	DryRun bool
	// Sample is how many records of each step Check reads from the start
	// of its source and maps, to find their fields that reach no column:
	// 0 is DefaultSample, a negative number none.
	Sample int
	// Follow keeps running: drain every step, sleep Interval, repeat, until
	// stopped. Errors of one round are reported to Progress and retried the
	// next round instead of ending the run.
	Follow   bool
	Interval time.Duration
	// Holder names this process in the scope's lease. Default: host and pid.
	Holder decant.Holder
	// LeaseTTL is how long a lease lasts without renewal. Default 60s.
	LeaseTTL time.Duration
	// QueueDepth is how many batches may wait between stages. Default 2.
	// A step holds at most QueueDepth + 2 batches at once (one being read,
	// one being written), however many chunks it reads at once
	// (from.parallel): its chunks share them.
	QueueDepth int
	// MapWorkers is how many goroutines map (decode, evaluate, coerce and
	// hash) the records of a batch, in a run and in a verify or patch.
	// Default GOMAXPROCS. Custom expression functions must then be safe
	// for concurrent use.
	MapWorkers int
	// Progress receives events; nil discards them.
	Progress Progress
	// Migrate, when set, applies the target's versioned migrations (plan
	// key migrations; see connect.Migrate). Run calls it once, after
	// decant's state tables exist and the scope's lease is held, and
	// before the setup files and the steps, so that migrations may build
	// on decant's tables and the steps find their tables. DryRun skips it.
	Migrate func(ctx context.Context) error
	// Mode is the lifecycle command the run is (engine/lifecycle.go): a
	// bulk migrate (the zero value), migrate --live or migrate --finish.
	// Each moves the scope's lifecycle state, and is refused with a
	// *decant.TransitionError from a state that does not allow it. A dry
	// run moves nothing.
	Mode Mode
	// AutoFinish, with ModeLive, finishes the scope once a round is caught
	// up, then commits it when verify is clean and unfinishes it (back to
	// live) when not.
	AutoFinish bool
	// Phase, for a plan with staging, runs only the extract or only the
	// load (engine/staging.go); "" runs both. A plan without staging
	// refuses it.
	Phase Phase
	// Hook, when set, receives the result of every hook the run ran, as
	// it ends (its output for a log).
	Hook func(HookResult)
	// Now is the clock of the live lag window. Default time.Now.
	Now func() time.Time
}

func (c *Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Progress receives run events. Implementations must be safe for use from
// one goroutine at a time (the engine calls them from its writer).
type Progress interface {
	StepStarted(step string, total int64)
	Batch(step string, a decant.BatchAudit)
	StepDone(r StepResult)
	// RoundError reports an error that a following run survives.
	RoundError(err error)
}

// StepResult sums up one step of a run.
type StepResult struct {
	Step string `json:"step"`
	// Phase, in a staged run (plan key staging), is the phase this result
	// is of: extract or load.
	Phase    string        `json:"phase,omitempty"`
	Read     int64         `json:"read"`
	Written  int64         `json:"written"`
	Failed   int64         `json:"failed"`
	Batches  int64         `json:"batches"`
	Cursor   string        `json:"cursor,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	// Stopped is true when a signal ended the step before its source was drained.
	Stopped bool `json:"stopped,omitempty"`
	// HeldAt is the key of the record at which a live round's lag window
	// ended the step's read (the plan's live:), "" when it read to the end.
	HeldAt string `json:"held_at,omitempty"`
	// Unmapped counts the fields of the records this run wrote that
	// reached no column, per table and path, ordered so; the state
	// tables keep them over every run (decant status).
	Unmapped []decant.UnmappedField `json:"unmapped_fields"`
	// Err is why the step failed, nil when it did not: Progress.StepDone
	// sees it, so a display can say "failed" rather than "done".
	Err error `json:"-"`
}

// Result sums up a run.
type Result struct {
	Scope  string       `json:"scope"`
	DryRun bool         `json:"dry_run,omitempty"`
	Steps  []StepResult `json:"steps"`
	Rounds int          `json:"rounds"`
	// Lifecycle is what the run did to the scope's lifecycle; nil for a
	// dry run.
	Lifecycle *LifecycleResult `json:"lifecycle,omitempty"`
}

// budget is how many batches a step holds at once, from the first
// record read to the end of their write, however many chunks it reads
// at once: one being read, one being written and QueueDepth between.
func (c *Config) budget() int { return c.QueueDepth + 2 }

func (c *Config) defaults() error {
	if c.Plan == nil || c.Store == nil || c.Sources == nil {
		return errors.New("engine: Plan, Store and Sources are required")
	}
	if c.Scope == "" {
		c.Scope = decant.DefaultScope
	}
	if c.Mode != ModeBulk && len(c.Only) > 0 {
		return fmt.Errorf("engine: %s runs every step of the scope: its lifecycle is the whole scope's; leave Only empty", c.Mode.Command())
	}
	if c.AutoFinish && c.Mode != ModeLive {
		return errors.New("engine: AutoFinish needs Mode ModeLive")
	}
	if c.Holder.Host == "" {
		c.Holder = DefaultHolder()
	}
	if c.LeaseTTL == 0 {
		c.LeaseTTL = 60 * time.Second
	}
	if c.QueueDepth == 0 {
		c.QueueDepth = 2
	}
	if c.MapWorkers <= 0 {
		c.MapWorkers = runtime.GOMAXPROCS(0)
	}
	if c.Interval == 0 {
		c.Interval = 3 * time.Minute
	}
	if c.Progress == nil {
		c.Progress = nopProgress{}
	}
	return nil
}

// DefaultHolder names this process: host name, pid and start time.
func DefaultHolder() decant.Holder {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return decant.Holder{Host: host, PID: pid, ID: host + ":" + strconv.Itoa(pid) + ":" + strconv.FormatInt(time.Now().UnixNano(), 36)}
}

type nopProgress struct{}

func (nopProgress) StepStarted(string, int64)       {}
func (nopProgress) Batch(string, decant.BatchAudit) {}
func (nopProgress) StepDone(StepResult)             {}
func (nopProgress) RoundError(error)                {}

// selectSteps returns the plan's steps that Only names (by step, group or
// group alias), in plan order.
func selectSteps(p *plan.Plan, only []string) ([]*plan.Step, error) {
	return p.Select(plan.Selection{Only: only})
}
