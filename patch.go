package decant

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Patcher is the role of a Store that repairs what verify found: it writes
// the rows a plan expects over one record's rows and keeps, in the same
// transaction, a patch record with the rows before and after, so that the
// patch can be reverted exactly. `decant patch` needs it.
type Patcher interface {
	// ApplyPatch makes the record p names hold p's rows, in one
	// transaction that also stores the patch record: the rows of each of
	// p.Tables before and after, the findings it answers and p.Reason. It
	// fills p.ID, p.Before, p.After and p.PatchedAt. A failure writes
	// nothing.
	ApplyPatch(ctx context.Context, p *Patch) error
	// Patches lists stored patches, newest first. Like [StateReader] it
	// writes nothing: a database without decant's tables, or with state
	// tables older than version 5, has none.
	Patches(ctx context.Context, f PatchFilter) ([]Patch, error)
	// RevertPatch puts the rows of patch id back as they were before it,
	// byte for byte, and marks it reverted, in one transaction. It refuses
	// with an error wrapping [ErrPatchChanged] when the record's rows are
	// no longer those the patch wrote, unless opts.Force; and with one
	// wrapping [ErrPatchReverted] when the patch was reverted already.
	RevertPatch(ctx context.Context, id int64, opts RevertOptions) (*Patch, error)
}

// Patch is one repair of one record: the rows of a step's tables that one
// key of the step's source gives.
type Patch struct {
	ID    int64  `json:"id"`
	Scope string `json:"scope"`
	Step  string `json:"step"`
	// Key is the record's key as findings name it ([Finding].Key).
	Key string `json:"key"`
	// Findings are what verify found of the record, one per table that
	// differed, as it found them before the patch.
	Findings []Finding `json:"findings"`
	Reason   string    `json:"reason"`
	// Tables are the record's rows, table by table, as the patch sets
	// them.
	Tables []PatchTable `json:"tables"`
	// Before and After are the record's rows before and after the patch,
	// as a JSON array of {"table", "rows"}; each row is a JSON object in
	// the store's exact notation, which [Patcher.RevertPatch] writes
	// back.
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
	// StillDifferent is set when a verify after the patch still found the
	// record different: a column the target does not let the patch write
	// (a trigger, a generated column), for instance.
	StillDifferent bool      `json:"still_different"`
	PatchedAt      time.Time `json:"patched_at"`
	// RevertedAt is when the patch was reverted, nil while it holds.
	RevertedAt   *time.Time `json:"reverted_at"`
	RevertReason string     `json:"revert_reason"`
}

// PatchTable is one table's part of a record: the rows the patch makes the
// table hold for the record's key.
type PatchTable struct {
	Table string `json:"table"`
	// By names the columns that pick the record's rows: the step's key
	// for a parent table, the parent key column for a child table.
	By []string `json:"by"`
	// Key holds By's values, as the plan maps them.
	Key []any `json:"key"`
	// Child says the table holds the record's child rows: the patch
	// deletes them all and inserts Rows. For a parent table Rows has at
	// most one row, upserted on By; none deletes the record's row.
	Child   bool     `json:"child"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// PatchFilter selects stored patches. An empty field selects all.
type PatchFilter struct {
	Scope, Step string
	// ID, when not zero, selects one patch.
	ID int64
	// Key, when not empty, selects the patches of one record.
	Key string
	// Limit caps the count; 0 means no cap.
	Limit int
}

// RevertOptions tunes [Patcher.RevertPatch].
type RevertOptions struct {
	// Force reverts even when the record's rows changed since the patch:
	// whatever they hold now is replaced by the rows before the patch.
	Force bool
	// Reason says why; it is kept with the patch.
	Reason string
}

var (
	// ErrPatchChanged is wrapped by a revert refused because the record's
	// rows changed since the patch.
	ErrPatchChanged = errors.New("the rows changed since the patch: look at them, then revert with --force to put the rows before the patch back anyway")
	// ErrPatchReverted is wrapped by a revert of a patch already reverted.
	ErrPatchReverted = errors.New("the patch was reverted already")
	// ErrPatchNewer is wrapped by a revert of a patch that a newer patch of
	// the same record, not reverted, followed: revert that one first.
	ErrPatchNewer = errors.New("a newer patch of the same record still holds: revert it first")
)
