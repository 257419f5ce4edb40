package decant

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Tx is a target transaction opened by a Store. Store methods that write take
// it, so that a batch's rows and its checkpoint commit together.
type Tx interface {
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Store is a SQL database that holds the target tables and decant's own state
// tables (prefix decant_). See docs/state.md for their shape.
//
// Store is the core every run writes through: a transaction, a batch, the
// checkpoint it resumes from. Everything else a store can do is a role, a
// small interface of its own found by type assertion, as database/sql finds
// a driver's optional interfaces: [StateInitializer], [Leaser],
// [StateReader], [Cataloger], [ErrorResolver], [ScriptRunner], [Pinger],
// [TargetReader], [FindingStore], and [Savepointer] on a [Tx]. Callers find a role with [As] (which looks
// through wrappers, see [StoreWrapper]) or [Require], which fails naming the
// role a store lacks. decant's own stores have every role; docs/decisions/
// 0007-store-roles-and-dialects.md says why the core is this small.
//
// Errors from the driver are translated at the boundary: a missing table is
// ErrNotFound, a held lease is a *LeaseError.
type Store interface {
	// Begin opens a write transaction.
	Begin(ctx context.Context) (Tx, error)
	// WriteBatch writes everything b holds in tx: rows (upsert on their key,
	// or replace-by-parent for children), ledger entries, error rows (upsert
	// on scope, step, key with attempts+1), the resolution of stored errors
	// whose key is now in the ledger as ok, the audit row and the checkpoint.
	WriteBatch(ctx context.Context, tx Tx, b *Batch) error
	// Checkpoint returns the stored position of (scope, step), nil if none,
	// also when decant has not written to the database yet.
	Checkpoint(ctx context.Context, scope, step string) (Position, error)
	Close() error
}

// StateInitializer is the role of a Store that creates its state tables.
// A run that writes needs it; commands that only read never call it.
type StateInitializer interface {
	// Init creates or upgrades the decant_ state tables. It is idempotent.
	Init(ctx context.Context) error
}

// Leaser is the role of a Store that keeps, per scope, a lease naming the
// one process that may write the scope. A run that writes needs it.
type Leaser interface {
	// AcquireLease takes or renews the lease on scope for ttl. It returns a
	// *LeaseError when another holder's lease has not expired.
	AcquireLease(ctx context.Context, scope string, h Holder, ttl time.Duration) error
	// ReleaseLease gives the lease up if h holds it.
	ReleaseLease(ctx context.Context, scope string, h Holder) error
	// BreakLease clears the lease on scope, expired or not, if dead holds
	// it: Host, PID and ID must all match the stored holder, so a run that
	// took the scope over in the meantime keeps it. It is for a caller that
	// knows the holder's process is gone (see LeaseError.HeldBy); it does
	// nothing when someone else holds the scope or no one does.
	BreakLease(ctx context.Context, scope string, dead Holder) error
}

// StateReader is the role of a Store that reports what its state tables
// hold: `decant status`, `decant errors` and `decant errors retry` use it.
// Its methods write nothing: a database decant has not written to yet reads
// as empty, and state tables older than the store's are read as they are.
type StateReader interface {
	// Status returns per-step counts for scope, ordered by step.
	Status(ctx context.Context, scope string) ([]StepStatus, error)
	// Errors lists stored record errors.
	Errors(ctx context.Context, f ErrorFilter) ([]RecordError, error)
	// Ledger returns the ledger rows of (scope, step) for keys (ledger
	// keys, see LedgerKey) that have one, in no particular order.
	Ledger(ctx context.Context, scope, step string, keys []string) ([]LedgerRow, error)
}

// LedgerRow is a ledger entry as stored, with the time it was last written.
type LedgerRow struct {
	LedgerEntry
	Updated time.Time
}

// Cataloger is the role of a Store that describes its target tables. The
// engine needs it to check a plan's mapping against the tables before it
// writes, and check, preview and dry runs to compare them.
type Cataloger interface {
	// Columns describes table's columns; ErrNotFound if the table does not exist.
	Columns(ctx context.Context, table string) ([]Column, error)
}

// StepStatus is the state of one (scope, step) as the store knows it.
type StepStatus struct {
	Scope string `json:"scope"`
	Step  string `json:"step"`
	// Read is the number of records read, over every run (the audit rows'
	// totals): a record read again by a later run counts again, as in a
	// run's own READ.
	Read int64 `json:"read"`
	// Keys is the number of distinct source keys seen (ledger rows).
	Keys int64 `json:"keys"`
	// Written is the number of keys whose last attempt succeeded.
	Written int64 `json:"written"`
	// Deleted is the number of keys whose last record the source
	// reported deleted (ledger status deleted).
	Deleted int64 `json:"deleted"`
	// Failed is the number of unresolved errors.
	Failed int64 `json:"failed"`
	// Batches is the number of audit rows.
	Batches int64 `json:"batches"`
	// Unmapped lists the fields of the step's records that reached no
	// column, ordered by table and path (state version 10 on).
	Unmapped []UnmappedField `json:"unmapped_fields"`
	// Checkpoint is the stored source position (JSON), nil if none.
	Checkpoint Position `json:"checkpoint,omitempty"`
	// Chunks are the stored positions of the chunks of a step read in
	// parallel, by chunk name; nil for a step read by one reader, and
	// for state tables older than version 8.
	Chunks map[string]Position `json:"chunks,omitempty"`
	// LastCursor is the cursor value of the last batch's last record.
	LastCursor string `json:"last_cursor,omitempty"`
	// LastBatch is when the last batch started; zero if none.
	LastBatch time.Time `json:"last_batch,omitempty"`
	// Rate is records per second over the batches of the last run, 0 if
	// unknown. Batch durations are kept in whole milliseconds; a batch kept
	// as 0 ms counts as half a millisecond.
	Rate float64 `json:"rate"`
	// Diffs, Changes, Missing, Extra and Duplicates count the step's
	// stored findings of each kind (see [FindingStore]): what the last
	// verify of each key found. All are 0 when no verify ran, and for
	// state tables older than version 4, which keep no findings.
	Diffs      int64 `json:"diffs"`
	Changes    int64 `json:"changes"`
	Missing    int64 `json:"missing"`
	Extra      int64 `json:"extra"`
	Duplicates int64 `json:"duplicates"`
	// Pending counts the keys the last verify could not compare yet: a
	// live migration wrote them after the verify began.
	Pending int64 `json:"pending"`
	// Phase, for a plan with staging, is the phase the line is of:
	// extract (Step is the step, its state kept under ExtractStep) or
	// load. Empty for a plan without staging.
	Phase string `json:"phase,omitempty"`
	// Staged, on an extract's line, counts the step's staged records.
	Staged int64 `json:"staged,omitempty"`
}

// AddChunk keeps the stored position of one of the step's chunks.
func (s *StepStatus) AddChunk(chunk string, pos Position) {
	if s.Chunks == nil {
		s.Chunks = map[string]Position{}
	}
	s.Chunks[chunk] = pos
}

// AddFinding adds n stored findings of kind to its count; a kind it does not
// know is not counted.
func (s *StepStatus) AddFinding(kind string, n int64) {
	switch kind {
	case FindingDiff:
		s.Diffs += n
	case FindingChange:
		s.Changes += n
	case FindingMissing:
		s.Missing += n
	case FindingExtra:
		s.Extra += n
	case FindingDuplicate:
		s.Duplicates += n
	case FindingPending:
		s.Pending += n
	}
}

// ErrorFilter selects stored record errors.
type ErrorFilter struct {
	Scope string
	// Step, when not empty, keeps one step's errors.
	Step string
	// ID, when not zero, selects one error.
	ID int64
	// Resolved includes resolved errors too.
	Resolved bool
	// Limit caps the count; 0 means no cap.
	Limit int
}

// Column kinds: the coercion types of a plan, and what a target column's
// database type is compatible with.
const (
	KindText      = "text"
	KindInt       = "int"
	KindFloat     = "float"
	KindDecimal   = "decimal"
	KindBool      = "bool"
	KindDate      = "date"
	KindTimestamp = "timestamp"
	KindJSON      = "json"
)

// Column describes a target column.
type Column struct {
	Name string
	// Kind is the decant kind the database type belongs to (KindText, ...).
	Kind string
	// DBType is the database's own type name, for messages.
	DBType   string
	Nullable bool
}

// Savepointer is an optional ability of a Tx: mark a point inside the
// transaction and undo what followed it while keeping what came before. The
// engine uses it to set aside the rows a target refuses without splitting a
// batch over several transactions, so a batch still commits whole or not at
// all. Names may be reused once released.
type Savepointer interface {
	Savepoint(ctx context.Context, name string) error
	RollbackTo(ctx context.Context, name string) error
	Release(ctx context.Context, name string) error
}

// ErrorResolver is an optional ability of a Store: close stored record
// errors by hand, for records that can never succeed as stored (fixed at
// the source and re-sent under another key, or without a key at all).
type ErrorResolver interface {
	// ResolveErrors marks resolved the open errors r selects and appends
	// the reason to their history. It returns the errors it closed.
	ResolveErrors(ctx context.Context, r ResolveRequest) ([]RecordError, error)
}

// ResolveRequest selects the open errors to close by hand.
type ResolveRequest struct {
	Scope string
	// IDs, when not empty, names the errors; else every open error of Step.
	IDs  []int64
	Step string
	// Reason says why; it is kept in each error's history and is required.
	Reason string
}

// ScriptRunner is an optional ability of a Store: run a SQL script of one or
// more statements in one transaction. The plan's `setup` scripts use it.
type ScriptRunner interface {
	RunScript(ctx context.Context, script string) error
}

// ScopedScriptRunner is an optional ability of a Store: run a script as
// [ScriptRunner] does, with each ${scope} in it a parameter bound to scope
// ([BindScope]), never the scope's text. The plan's setup scripts that
// name the scope use it.
type ScopedScriptRunner interface {
	RunScopedScript(ctx context.Context, script, scope string) error
}

// TargetReader is the role of a Store that reads a target table's rows in
// key order, the order [CompareKeys] defines, so that verify can merge them
// with the rows a plan expects without holding either side in memory.
// docs/decisions/0009-target-reader.md describes the order and the values.
type TargetReader interface {
	// ReadRows streams the rows of q.Table that q selects, ordered by
	// q.Key. It returns an error wrapping ErrNotFound when the table or one
	// of the columns does not exist. The rows hold a connection (a read
	// transaction on SQLite) until they are closed.
	ReadRows(ctx context.Context, q RowQuery) (TargetRows, error)
}

// JSONSpeller is an optional ability of a [TargetReader]: the text a JSON
// column of database type dbType gives back for the JSON document doc
// (PostgreSQL's jsonb reorders keys and respaces; json keeps the text). A
// verify spells its expected documents so, where it maps them, and finds an
// equal document by comparing bytes; ok false means no prediction, and the
// comparison renders both sides canonically, with the same answer.
type JSONSpeller interface {
	SpellJSON(dbType string, doc []byte) (text []byte, ok bool)
}

// RowQuery selects the rows a [TargetReader] reads.
type RowQuery struct {
	Table string
	// Key lists the key columns, which order the rows. Each must be of
	// kind int or text (KindInt, KindText); other kinds are refused.
	Key []string
	// Columns lists the columns whose values each row carries, in this
	// order. They may include key columns.
	Columns []string
	// After, when not nil, keeps the rows whose key sorts after it, and
	// Until those whose key sorts before it or equals it: a key range
	// (After, Until] that a resumed verify continues from. Each holds one
	// value per key column, none of them nil.
	After, Until []any
	// Where, when not empty, is a SQL boolean expression that also selects
	// the rows, such as the scope's rows of a shared table. It comes from
	// the plan, which is trusted as the plan's setup scripts are, and is
	// put in the query as written, without quoting or checking, except
	// that each ${scope} in it is a parameter bound to Scope ([BindScope]).
	Where string
	// WhereParents, when set, makes Where select the rows of the parent
	// tables instead of q.Table's: a child table keeps the rows whose Key
	// (its parent key column) is the parent key of a row Where selects in
	// one of them. A child table has no scope column of its own; this is
	// how its rows of one scope are told from another's.
	WhereParents *ParentTables
	// Scope is the value of Where's ${scope}: the run's scope.
	Scope string
}

// ParentTables names the parent tables of a child table, and the column
// of theirs that the child's parent key column holds.
type ParentTables struct {
	Tables []string
	Column string
}

// TargetRows iterates over the rows a [TargetReader] reads, as [Rows]
// iterates over records:
//
//	for rows.Next(ctx) {
//		r := rows.Row()
//	}
//	err := rows.Err()
//
// Close may be called at any time and more than once.
type TargetRows interface {
	Next(ctx context.Context) bool
	// Row returns the current row. Its slices are the caller's: a later
	// Next does not reuse them.
	Row() TargetRow
	Err() error
	Close() error
}

// TargetRow is one target row: its key values (one per RowQuery.Key
// column) and its column values (one per RowQuery.Columns column).
//
// Key values are int64 for a column of kind int and string for kind text,
// on both stores, except that a SQLite column holds whatever storage class
// a row gave it: a float64, string or []byte in an integer column comes as
// such, and CompareKeys orders it as SQLite does.
//
// Column values are normalized to the types the mapper produces, by kind:
// nil for NULL, int64 (int), float64 (float), Decimal (decimal, its text as
// the database keeps it), bool (bool), time.Time at midnight UTC (date),
// time.Time in UTC (timestamp; a timestamp without time zone is its wall
// clock read as UTC), JSON (json, its text as the database keeps it), and
// string (text and every other type, as the database prints it). A SQLite
// value that does not fit its column's kind (text in an INTEGER column, a
// date that does not parse) comes as stored: int64, float64, string or
// []byte. docs/decisions/0009-target-reader.md lists the details per store.
type TargetRow struct {
	Key    []any
	Values []any
}

// ErrNullKey is wrapped by the error of a TargetRows that meets a row with
// NULL in a key column: such a row has no place in key order, so verify
// cannot compare it.
var ErrNullKey = errors.New("key column is NULL")

// Check reports what makes q unreadable whatever the table holds: no key
// columns, or a range bound without one non-nil value per key column.
// Stores call it before they build their query.
func (q RowQuery) Check() error {
	if len(q.Key) == 0 {
		return fmt.Errorf("read rows of %s: no key columns: give the table's key to read it in key order", q.Table)
	}
	for _, b := range []struct {
		name string
		key  []any
	}{{"After", q.After}, {"Until", q.Until}} {
		if b.key == nil {
			continue
		}
		if len(b.key) != len(q.Key) {
			return fmt.Errorf("read rows of %s: %s has %d values for %d key columns (%s)",
				q.Table, b.name, len(b.key), len(q.Key), strings.Join(q.Key, ", "))
		}
		for i, v := range b.key {
			if v == nil {
				return fmt.Errorf("read rows of %s: %s: key column %s is nil; a range bound is a key that sorts", q.Table, b.name, q.Key[i])
			}
		}
	}
	return nil
}

// FindingStore is the role of a Store that keeps what `decant verify`
// found, in decant_diffs, for `decant diffs` and `decant status`. A finding
// is kept until a later verify re-examines its key. It also keeps how far
// each verify got (decant_verify_runs, decant_verify_progress), so that a
// killed or failed verify resumes where it stopped (docs/verify.md,
// "Resuming a verify").
type FindingStore interface {
	// ReplaceFindings deletes the stored findings of run's scope and step
	// whose key lies in run's range, and stores findings, in one
	// transaction: a verify re-examined that range, so what it did not
	// find there again is gone. Another step's findings, and this step's
	// outside the range, stay. Each finding's Scope and Step, when empty,
	// are run's; a finding of another scope or step, or with a key out of
	// the range, is refused, and nothing is written. With run.Progress,
	// the progress row is saved in the same transaction.
	ReplaceFindings(ctx context.Context, run FindingRun, findings []Finding) error
	// Findings lists stored findings, ordered by scope, step, table and key
	// order ([FindingOrder]: 9 before 10), then key text for findings stored
	// without one.
	// Like [StateReader] it writes nothing: a database without decant's
	// tables, or with state tables older than version 4, has none.
	Findings(ctx context.Context, f FindingFilter) ([]Finding, error)
	// StartVerify records the verify run r as running. A run of that name
	// that exists is marked running again (a resume) and keeps its
	// progress; a new run abandons the scope's other unfinished runs and
	// deletes every progress row of the scope but its own.
	StartVerify(ctx context.Context, r VerifyRun) error
	// EndVerify records how the run ended: status VerifyDone or
	// VerifyFailed, with message saying why it failed.
	EndVerify(ctx context.Context, scope, run, status, message string) error
	// VerifyRuns lists the scope's verify runs, the latest started first,
	// at most limit of them (0: all). Like Findings it writes nothing, and
	// state tables older than version 6 have none.
	VerifyRuns(ctx context.Context, scope string, limit int) ([]VerifyRun, error)
	// VerifyProgress lists the progress rows of a run, ordered by step and
	// table.
	VerifyProgress(ctx context.Context, scope, run string) ([]VerifyProgress, error)
	// FinishVerifyStep saves p, the row of a step (p.Table empty) marked
	// done, and deletes the step's findings of every table not in tables
	// (tables the plan no longer writes), in one transaction.
	FinishVerifyStep(ctx context.Context, p VerifyProgress, tables []string) error
	// Live reads, in one statement, the store's clock (the clock that stamps
	// decant_ledger.updated) and the scope's lease, so that a verify tells
	// the keys a live migration writes from differences.
	Live(ctx context.Context, scope string) (Live, error)
}

// FindingRun is what one verify re-examined: a step of a scope, all of its
// keys or those from From through To; or, with Table, the keys of one
// table in the order range (After, Until].
type FindingRun struct {
	Scope, Step string
	// Run names the verify run; each stored finding keeps it.
	Run string
	// From and To bound the keys re-examined, both included, compared
	// bytewise as the stored key text (see [Finding].Key); an empty bound
	// is open, so both empty is the whole step. They are for a caller
	// whose keys are text; a verify replaces by Table, After and Until.
	From, To string
	// Table, when not empty, limits the replacement to that table's
	// findings whose order key ([FindingOrder]) lies after After (not
	// included) and up to Until (included); an empty bound is open, and
	// the first range of a table (After empty) also takes the findings
	// stored without an order key (before state version 6). Every finding
	// must then be of Table and carry an Order in the range. Order keys
	// sort as [CompareKeys] sorts keys, so a range of integer keys 9..10
	// is the two keys, not the text range "10".."9".
	Table        string
	After, Until string
	// Progress, when not nil, is saved (inserted or replaced) in the same
	// transaction as the findings, so that a verify killed between two
	// ranges has stored both or neither.
	Progress *VerifyProgress
}

// Verify run statuses (VerifyRun.Status).
const (
	VerifyRunning   = "running"   // started, or killed before it could say otherwise
	VerifyDone      = "done"      // every step verified
	VerifyFailed    = "failed"    // stopped by an error; resumable
	VerifyAbandoned = "abandoned" // a later verify started over instead of resuming
)

// VerifyRun is one verify of a scope as decant_verify_runs keeps it.
type VerifyRun struct {
	Scope string `json:"scope"`
	Run   string `json:"run"`
	// Plan fingerprints what the run verifies (the plan, the steps, the
	// options): a resume needs the same.
	Plan string `json:"plan"`
	// Steps names the steps the run verifies, in order.
	Steps   []string  `json:"steps"`
	Status  string    `json:"status"`
	Message string    `json:"message"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
}

// VerifyProgress is how far a verify run got in one table of a step (or,
// with Table empty, in the step as a whole), as decant_verify_progress
// keeps it.
type VerifyProgress struct {
	Scope, Run, Step string
	Table            string
	// LastKey is the last key whose findings are stored, as the verify
	// encodes it (JSON); empty before the first range.
	LastKey string
	// Done is true once the table (or step) is verified to its end.
	Done bool
	// Result is the verify's counts so far (JSON), kept so that a resumed
	// run reports the whole table.
	Result  string
	Updated time.Time
}

// Live is what a store says of a scope while a verify runs: its clock, and
// the lease's holder ("" when no one holds it) and expiry.
type Live struct {
	Now     time.Time
	Holder  string
	Expires time.Time
}

// Held reports whether a run holds the scope's lease at l.Now.
func (l Live) Held() bool { return l.Holder != "" && l.Expires.After(l.Now) }

// Finding kinds: what verify found for a key that is not ok.
const (
	FindingMissing   = "missing"   // the source gives the key, the target lacks it
	FindingExtra     = "extra"     // the target has the key, no source record gives it
	FindingDiff      = "diff"      // columns differ that no rule explains
	FindingChange    = "change"    // columns differ, each as a verify rule accepts
	FindingDuplicate = "duplicate" // the key is there more than once on a side
	// FindingPending is a key a live migration wrote after the verify
	// started reading the source, or has not reached yet: not comparable
	// yet, and no difference (docs/verify.md, "Verifying while a migration
	// runs").
	FindingPending = "pending"
)

// Finding is one key of one target table that verify did not find ok, as
// decant_diffs keeps it and `decant diffs --json` prints it.
type Finding struct {
	Scope string `json:"scope"`
	Step  string `json:"step"`
	Table string `json:"table"`
	// Key is the key as text: the ledger key ([LedgerKey]) of the key's
	// text, so that findings, ledger and errors name a record alike. It
	// must be valid UTF-8 without NUL, which LedgerKey makes sure of.
	Key  string `json:"key"`
	Kind string `json:"kind"`
	// Order is the key's order key ([FindingOrder]), which a range
	// replacement compares; empty for findings stored without one.
	Order string `json:"-"`
	// Columns lists the columns that differ, for a diff or a change; it is
	// empty, not nil, for the findings a store returns without any.
	Columns []ColumnFinding `json:"columns"`
	// Rule and Reason say, for a change, which verify rule accepted it and
	// why; a change whose columns accept under rules of their own names
	// them in Columns.
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
	// Run is the verify run that found it; FoundAt when it was stored.
	Run     string    `json:"run"`
	FoundAt time.Time `json:"found_at"`
}

// ColumnFinding is one column whose expected and actual values differ, as
// canonical text; nil stands for SQL NULL.
type ColumnFinding struct {
	Column   string  `json:"column"`
	Expected *string `json:"expected"`
	Actual   *string `json:"actual"`
	Rule     string  `json:"rule,omitempty"`
	Reason   string  `json:"reason,omitempty"`
}

// FindingFilter selects stored findings. An empty field selects all.
type FindingFilter struct {
	Scope, Step string
	// Kind keeps one kind, as FindingDiff.
	Kind string
	// Limit caps the count; 0 means no cap.
	Limit int
}

// CheckFindings checks findings against run before a store writes them,
// filling in each one's empty Scope and Step. A store calls it so that
// every store refuses the same findings with the same words.
func CheckFindings(run FindingRun, findings []Finding) error {
	if run.Scope == "" || run.Step == "" {
		return errors.New("decant: replace findings: the run names no scope or step")
	}
	seen := make(map[[2]string]int, len(findings))
	for i := range findings {
		f := &findings[i]
		if j, ok := seen[[2]string{f.Table, f.Key}]; ok {
			return fmt.Errorf("decant: findings %d and %d are both of table %s key %q: give one finding per key (a key found twice is one duplicate finding)", j, i, f.Table, f.Key)
		}
		seen[[2]string{f.Table, f.Key}] = i
		f.Scope, f.Step = cmp.Or(f.Scope, run.Scope), cmp.Or(f.Step, run.Step)
		switch {
		case f.Scope != run.Scope || f.Step != run.Step:
			return fmt.Errorf("decant: finding %d (key %q) is of %s/%s, not of the run's %s/%s", i, f.Key, f.Scope, f.Step, run.Scope, run.Step)
		case !utf8.ValidString(f.Key) || strings.ContainsRune(f.Key, 0):
			return fmt.Errorf("decant: finding %d: key %q is not valid UTF-8 text or holds NUL: store its decant.LedgerKey", i, f.Key)
		case (run.From != "" && f.Key < run.From) || (run.To != "" && f.Key > run.To):
			return fmt.Errorf("decant: finding %d: key %q is outside the re-examined range %q..%q", i, f.Key, run.From, run.To)
		case f.Table == "":
			return fmt.Errorf("decant: finding %d (key %q) names no table", i, f.Key)
		case run.Table != "" && f.Table != run.Table:
			return fmt.Errorf("decant: finding %d (key %q) is of table %s, not of the run's %s", i, f.Key, f.Table, run.Table)
		case run.Table != "" && (f.Order == "" || (run.After != "" && f.Order <= run.After) || (run.Until != "" && f.Order > run.Until)):
			return fmt.Errorf("decant: finding %d: key %q (order %q) is outside the re-examined range (%q, %q]: give each finding decant.FindingOrder of its key", i, f.Key, f.Order, run.After, run.Until)
		}
	}
	if run.Table == "" && (run.After != "" || run.Until != "") {
		return errors.New("decant: replace findings: After and Until bound one table's keys: name the run's Table")
	}
	if p := run.Progress; p != nil && (p.Scope != run.Scope || p.Step != run.Step || p.Run != run.Run) {
		return fmt.Errorf("decant: replace findings: the progress row is of %s/%s run %s, not of the run's %s/%s run %s", p.Scope, p.Step, p.Run, run.Scope, run.Step, run.Run)
	}
	return nil
}

// FindingOrder renders a key (a value per key column, as a [TargetReader]
// gives them) as text whose bytewise order is the order [CompareKeys]
// gives the keys: the order key of [FindingRun]'s After and Until. The text
// is valid UTF-8 without NUL, as state tables keep text. A value is a class
// byte ('0' nil, '1' NaN, '2' a number, '3' a string, '4' bytes, '5'
// another type) and its encoding; values are separated by 0x01:
//
//   - an integer (or an integral float within int64): 16 hex digits of its
//     bits with the sign bit flipped, so that -1 < 0 < 9 < 10; a float with
//     a fraction adds '.' and its fraction's digits;
//   - a string or bytes: each byte 0x03..0x7f as it is, 0x00..0x02 as 0x02
//     and the byte plus one, 0x80..0xff as the UTF-8 of U+0080 plus its
//     value (two bytes), which keeps bytewise order and makes any bytes
//     valid UTF-8.
func FindingOrder(key []any) string {
	var b strings.Builder
	for i, v := range key {
		if i > 0 {
			b.WriteByte(0x01)
		}
		writeOrder(&b, v)
	}
	return b.String()
}

func writeOrder(b *strings.Builder, v any) {
	k := keyOf(v)
	switch k.class {
	case classNull:
		b.WriteByte('0')
	case classNumber:
		writeNumberOrder(b, k)
	case classText:
		b.WriteByte('3')
		writeBytesOrder(b, k.s)
	case classBlob:
		b.WriteByte('4')
		writeBytesOrder(b, string(k.b))
	default:
		b.WriteByte('5')
		writeBytesOrder(b, fmt.Sprintf("%T", k.other))
		b.WriteByte(0x01)
		writeBytesOrder(b, fmt.Sprint(k.other))
	}
}

// writeNumberOrder writes an integer, or a float as its integer part and
// fraction, so that ints and floats sort together by value. A float beyond
// int64 is clamped to its bound with a fraction of "9…", which keeps it
// after every integer (or before, below).
func writeNumberOrder(b *strings.Builder, k keyValue) {
	i, frac := k.i, ""
	if !k.isInt {
		f := k.f
		switch {
		case math.IsNaN(f):
			b.WriteByte('1')
			return
		case f < -9223372036854775808.0:
			i, frac = math.MinInt64, "" // sorts as MinInt64; no key is this small
		case f >= 9223372036854775808.0:
			i, frac = math.MaxInt64, "9999999999999999999999"
		default:
			t := math.Floor(f)
			i = int64(t)
			if d := f - t; d > 0 {
				frac = strings.TrimPrefix(strconv.FormatFloat(d, 'f', -1, 64), "0.")
			}
		}
	}
	b.WriteByte('2')
	const hexDigits = "0123456789abcdef"
	u := uint64(i) ^ (1 << 63)
	for shift := 60; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[(u>>uint(shift))&0xf])
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
}

func writeBytesOrder(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c <= 0x02:
			b.WriteByte(0x02)
			b.WriteByte(c + 1)
		case c < 0x80:
			b.WriteByte(c)
		default:
			b.WriteRune(rune(c)) // U+0080..U+00FF, two bytes, in order
		}
	}
}

// FindingColumnsJSON renders columns as decant_diffs keeps them: a JSON
// array, "[]" when there are none. Values that are not valid UTF-8 are
// kept with U+FFFD in place of the bad bytes, as encoding/json writes them.
func FindingColumnsJSON(columns []ColumnFinding) (string, error) {
	if len(columns) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(columns)
	if err != nil {
		return "", fmt.Errorf("encode finding columns: %w", err)
	}
	return string(b), nil
}
