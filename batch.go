package decant

import (
	"encoding/json"
	"time"
)

// Batch is what one target transaction commits: the rows of a run of records,
// their ledger entries, the records that failed, the audit row and the
// checkpoint. A Store writes all of it in the transaction it is given, so a
// crash leaves either all of it or none of it.
type Batch struct {
	Scope string
	Step  string
	// Tables holds the rows per target table, in the order they must be
	// written (parents before children). A table may appear more than once,
	// once per set of columns its rows carry; of a child table's entries,
	// only the first lists the Parents whose old rows are replaced.
	Tables []TableRows
	// Ledger has one entry per record of the batch that was read, failed or not.
	Ledger []LedgerEntry
	// Errors are the records that failed. An error with a non-zero ID is a
	// retry of a stored error: the store updates it (attempts+1, new messages).
	Errors []RecordError
	// Resolved lists stored error IDs whose records now succeeded.
	Resolved []int64
	// Moved lists stored error IDs whose records a retry found under
	// another ledger key (a keyless record whose key path was fixed): the
	// store resolves them; the record's fate is under its new key.
	Moved []int64
	// Forget lists ledger keys that no longer name a record (the old keys
	// of Moved records, and of moved records that now succeed): the store
	// deletes their ledger rows, so counts do not keep a record twice.
	Forget []string
	// Deletes removes (or marks) the rows of the batch's records that
	// the source reports deleted. The store applies them in order
	// (children before parents) before it writes Tables: the writer puts
	// a record deleted then written again in two batches written in
	// order, so within one batch a key is deleted or written, not both.
	Deletes []RowDeletes
	// Unmapped counts, per table and field path, the batch's written
	// records that carried a field that reached no column; the store
	// adds them to what it keeps for the step (UnmappedReader).
	Unmapped []UnmappedField
	// Audit describes the batch. Audit is nil for retries of stored errors,
	// which do not read the source.
	Audit *BatchAudit
	// Checkpoint is the source position after the batch's last record; nil
	// leaves the stored checkpoint unchanged.
	Checkpoint Position
	// Chunk names the chunk of a parallel read the batch was read by: its
	// Checkpoint is that chunk's ([ChunkCheckpointer]), not the step's.
	// "" for a step read by one reader.
	Chunk string
}

// TableRows is a set of rows for one table. Values are already coerced to
// Go types: nil, string, int64, float64, bool, time.Time, Decimal, JSON.
type TableRows struct {
	Table   string
	Columns []string
	// Key lists the upsert key columns: a row whose key exists replaces it.
	Key []string
	// ReplaceBy, for child tables, names the column holding the parent key.
	// The store deletes the rows whose ReplaceBy value is in Parents, then
	// inserts Rows, so replays and shrinking child lists stay exact.
	ReplaceBy string
	Parents   []any
	Rows      [][]any
}

// RowDeletes picks rows of one table by the values of some of its
// columns, and deletes them or sets one column of theirs.
type RowDeletes struct {
	Table string
	// By names the columns that pick the rows: a step's key columns, or
	// a child table's parent key column.
	By []string
	// Keys holds the values of By, one []any per record, coerced as
	// TableRows values are; a key no row has is no error.
	Keys [][]any
	// Mark, when not empty, names the column set to MarkValue on the
	// picked rows instead of deleting them (on_delete: mark).
	Mark      string
	MarkValue any
}

// Decimal is an exact decimal number kept as its text, written to numeric or
// decimal columns without going through float64.
type Decimal string

// JSON is a JSON document written to json/jsonb (or text) columns.
type JSON []byte

// MarshalJSON gives the document itself, so that a row shown as JSON (a
// patch's rows, say) shows it rather than its bytes in base64; text that
// is not valid JSON is given as a JSON string, and nil as null.
func (j JSON) MarshalJSON() ([]byte, error) {
	switch {
	case j == nil:
		return []byte("null"), nil
	case json.Valid(j):
		return j, nil
	}
	return json.Marshal(string(j))
}

// Ledger statuses.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
	// StatusDeleted is a record whose source reports it deleted; the
	// step's on_delete says what became of its rows.
	StatusDeleted = "deleted"
)

// LedgerEntry records the fate of one source record.
type LedgerEntry struct {
	Key        string
	SourceHash string
	TargetHash string
	Status     string
}

// RecordError is a record that failed: it is kept with its payload and both
// messages, and can be retried with `decant errors retry`.
type RecordError struct {
	ID    int64  `json:"id"`
	Scope string `json:"scope"`
	Step  string `json:"step"`
	// Key is the error's ledger key: the record's key as LedgerKey makes
	// it storable, or "(no key) sha256:..." for a record without one.
	Key string `json:"key"`
	// SourceKey is the key the source gave the record, exactly; empty when
	// it had none. A retry uses it instead of reading the payload again.
	SourceKey string `json:"source_key"`
	// Place is where the record was read when it failed (file:line, feed
	// page), kept so a retry's messages still say where it came from.
	Place string `json:"place"`
	// SourceError, when not empty, is why the source could not read the
	// record at all (a CSV row with the wrong number of fields); Payload
	// then holds its text as read. A retry cannot fix it: fix the source
	// and resolve the error.
	SourceError string `json:"source_error,omitempty"`
	// Message is short and meant for people ("unknown form name: tt_9").
	Message string `json:"message"`
	// Detail is the full technical detail; it is never truncated.
	Detail   string `json:"detail"`
	Payload  []byte `json:"payload,omitempty"`
	Attempts int    `json:"attempts"`
	Resolved bool   `json:"resolved"`
	// History lists, one line each with its time, how the error was
	// resolved or reopened ("resolved by hand: re-sent as ORD-7").
	History string    `json:"history,omitempty"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// BatchAudit is the audit row of one batch.
type BatchAudit struct {
	Scope      string
	Step       string
	CursorFrom string
	CursorTo   string
	Total      int
	OK         int
	Failed     int
	Started    time.Time
	Duration   time.Duration
}
