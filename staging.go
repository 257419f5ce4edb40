package decant

import (
	"context"
	"strings"
)

// StagedRecord is one record of a staging area: a source record kept as it
// was read, so that a plan's load can map it again without the source.
type StagedRecord struct {
	// Seq orders the staged records of a step: a record staged or changed
	// later has a greater Seq. The store sets it; the load's checkpoint is
	// the last Seq it read.
	Seq int64
	// Key is the record's ledger key (LedgerKey), unique within a scope's
	// staged records of a step.
	Key string
	// The rest is the decant.Record as the source gave it.
	SourceKey string
	Cursor    string
	Raw       []byte
	Where     string
	Deleted   bool
	Invalid   string
}

// Record is the record r stands for, read from staging: Position is left
// to the caller, who knows its shape.
func (r StagedRecord) Record() Record {
	return Record{Key: r.SourceKey, Cursor: r.Cursor, Raw: r.Raw, Where: r.Where, Deleted: r.Deleted, Invalid: r.Invalid}
}

// Stager is the role of a Store that keeps a staging area in the target
// database: per step, a table of the records its source gave, as read
// (migrate --phase extract), which a load maps from instead of the
// source (migrate --phase load). A staged record that is staged again
// unchanged keeps its Seq, so that a load after an incremental extract
// reads only what changed.
type Stager interface {
	// StagingTable is the name of step's staging table, as messages show
	// it ("staging.orders" on PostgreSQL).
	StagingTable(step string) string
	// PrepareStaging creates step's staging table when it does not
	// exist, and refuses a table of that name that is not one.
	PrepareStaging(ctx context.Context, step string) error
	// Stage writes recs to step's staging table for scope in tx: a record
	// whose Key is staged already replaces it, with a new Seq when
	// anything of it changed. Of records sharing a Key, the last wins.
	Stage(ctx context.Context, tx Tx, scope, step string, recs []StagedRecord) error
	// ReadStaged returns up to limit staged records of (scope, step) with
	// Seq greater than after, in Seq order. An error wrapping ErrNotFound
	// says that step has no staging table.
	ReadStaged(ctx context.Context, scope, step string, after int64, limit int) ([]StagedRecord, error)
	// CountStaged counts the staged records of (scope, step) with Seq
	// greater than after. An error wrapping ErrNotFound says that step has
	// no staging table.
	CountStaged(ctx context.Context, scope, step string, after int64) (int64, error)
	// DropStaged deletes the staged records of (scope, step) and returns
	// how many there were; the table goes too once no scope has a record
	// in it. A table that does not exist holds none.
	DropStaged(ctx context.Context, scope, step string) (int64, error)
}

// extractSuffix ends the state name of a step's extract phase.
const extractSuffix = "@extract"

// ExtractStep is the name under which the state tables keep the extract
// phase of step: its checkpoint, chunk checkpoints and audit rows. A
// staged plan's step names hold no "@" (the plan refuses them), so no step
// has it for its own.
func ExtractStep(step string) string { return step + extractSuffix }

// ExtractOf returns the step whose extract phase name is the state name
// of, and whether it is one.
func ExtractOf(name string) (string, bool) {
	return strings.CutSuffix(name, extractSuffix)
}
