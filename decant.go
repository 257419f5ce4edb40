// Package decant holds the vocabulary and contracts of decant, a tool and library
// that moves an application's data out of a legacy system into SQL and proves it
// arrived.
//
// The root package does no I/O. It defines the domain types (Record, Batch,
// Position, RecordError, BatchAudit, ...) and the interfaces the rest of the
// module speaks: a Source yields Records, a Store writes a Batch and everything
// that describes it in one transaction. Technology packages (postgres, sqlite,
// httpfeed, files) implement them; the engine package drives them.
package decant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultScope is the scope a run uses when none is named.
const DefaultScope = "default"

// Version is the version of decant, printed by the CLI and stored in snapshots.
var Version = "0.1.0-dev"

// Sentinel errors shared by every implementation. Implementations wrap them
// with %w so callers can test with errors.Is.
var (
	// ErrNotFound is returned when a named object (error row, step, table) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrLeaseHeld is wrapped by *LeaseError when another process holds a scope.
	ErrLeaseHeld = errors.New("scope is held by another run")
	// ErrBadPage is returned by a source when the remote answered with a body it
	// could not parse even after retries. The checkpoint does not move.
	ErrBadPage = errors.New("bad page from source")
	// ErrTransient is wrapped by a Store's write error that says nothing
	// about the rows (a deadlock, a timeout, a lost connection, a busy
	// database): the engine fails the batch instead of setting its
	// records aside as refused, and the next run writes them.
	ErrTransient = errors.New("the target failed for a passing reason")
)

// Position is a source's opaque position, marshalled as JSON so it can be
// stored as a checkpoint and shown to users. A nil Position means "from the
// start". Each source defines the shape of its own positions.
type Position = json.RawMessage

// Record is one source document.
type Record struct {
	// Key identifies the record in the source (the step's key); it is the
	// ledger key and the upsert key's source.
	Key string
	// Cursor is the record's cursor value as text (e.g. a serverVersion),
	// empty when the source has none.
	Cursor string
	// Raw is the record's payload: its bytes exactly as the source produced
	// them (JSON for feeds and JSONL, a JSON object built from the header
	// for CSV). A stored error keeps it, previews print it and retries map
	// it again.
	Raw []byte
	// Doc, when not nil, is the record's content as the source decoded it
	// (a CSV row), which the engine maps and hashes
	// instead of decoding Raw. Raw must then be the same content as JSON,
	// so that a retry of the stored payload maps and hashes alike. Sources
	// whose records are JSON text leave Doc nil.
	Doc Document
	// Position is where a reader resumes to read the records after this one.
	Position Position
	// Where locates the record for error messages (file:line, URL and page).
	Where string
	// Deleted is set when the source reports that the record was deleted
	// (a CouchDB tombstone). Raw then holds what the source gave of it
	// (at least the key); the engine does what the step's on_delete says
	// (delete the record's rows, mark them, or nothing) instead of mapping
	// it as content.
	Deleted bool
	// Change is set when the record comes from a stream of changes read
	// in the order they were made (a CouchDB _changes feed, a feed read
	// by its cursor), so that every record after it changed after it.
	// Only such a record can be held back by a live run's lag window: a
	// read in key or file order (a CouchDB bulk read, a file) finds
	// recently changed records anywhere, and holding the first one would
	// hold back everything after it, however old.
	Change bool
	// Invalid, when not empty, says why the source could not read the
	// record as a document ("row has 4 fields, the header has 5"). Such a
	// record is not mapped: it is stored as a failed record with this
	// message, Raw as its payload.
	Invalid string
}

// A Document is a record's content as its source decoded it. The mapper
// reads it through Value instead of decoding Record.Raw, so a source that
// does not produce JSON (a CSV file, a SQL table) hands its values over
// as they are, and can leave building them to the mapper stage, which
// runs on several goroutines while a source is read on one.
type Document interface {
	// Value returns the content as the values the expressions of a plan
	// see, the ones transform.DecodeJSON makes: map[string]any, []any,
	// string, bool, int64, float64, json.Number and nil. It may be called
	// more than once, from a goroutine other than the reader's, and must
	// give the same content each time; callers do not modify the result.
	//
	// The ledger's source hash is the value's canonical JSON, so it is the
	// same as that of Raw decoded.
	Value() any
}

// Rows is a stream of records, iterated like sql.Rows:
//
//	for rows.Next(ctx) { r := rows.Record() ... }
//	if err := rows.Err(); err != nil { ... }
//
// Next returns false at the end of the stream or on error; Err tells which.
type Rows interface {
	Next(ctx context.Context) bool
	Record() Record
	Err() error
	Close() error
}

// PositionReporter is an optional ability of Rows: once Next has returned
// false at the end of the stream (Err nil), Position is the position after
// everything the read went through, records it passed over included (a
// source filtered by scope passes over other scopes' changes), or nil when
// it is the last record's. The engine saves it with the read's last batch,
// or alone when no record followed, so that the next read starts after
// what this one passed over instead of reading it again.
type PositionReporter interface {
	Position() Position
}

// Source reads one stream of records. Read starts after pos (nil: from the
// beginning) and streams until the source has nothing more to give right now
// (an empty page, the end of a file). A live run calls Read again later from
// the last committed position.
type Source interface {
	Read(ctx context.Context, scope string, pos Position) (Rows, error)
	Close() error
}

// Pinger is an optional ability of a Source or Store: check that the
// connection is reachable without reading or writing data.
type Pinger interface {
	Ping(ctx context.Context) error
}

// ScopePinger is an optional ability of a Source whose requests depend on
// the scope (a ${scope} in a feed's URL): Ping as a run for scope would
// reach it. check uses it, with its --scope, before Pinger.
type ScopePinger interface {
	PingScope(ctx context.Context, scope string) error
}

// Sizer is an optional ability of a Source: an estimate of how many records
// remain after pos, used for progress bars and ETAs. ok is false when unknown.
type Sizer interface {
	Size(ctx context.Context, scope string, pos Position) (n int64, ok bool, err error)
}

// SourceChecker is an optional ability of a Source: find, without
// reading records, what would stop a read for scope (a key column the
// source lacks, a key that is not unique, a column it cannot read). check
// reports each problem with the step; an empty result means none.
type SourceChecker interface {
	CheckSource(ctx context.Context, scope string) []string
}

// Holder names the process that holds a scope's lease.
type Holder struct {
	Host string
	PID  int
	// ID distinguishes runs of the same host and pid (e.g. library calls).
	ID string
}

// String formats the holder for messages.
func (h Holder) String() string { return fmt.Sprintf("%s pid %d", h.Host, h.PID) }

// Key identifies one run in a store's lease row ("host/pid/id"): two runs
// never share host, pid and ID.
func (h Holder) Key() string { return fmt.Sprintf("%s/%d/%s", h.Host, h.PID, h.ID) }

// ParseHolderKey recovers a holder from its stored Key and display name
// (String). Hostnames cannot hold '/' but a caller's Host or ID may, so
// every split around a decimal pid is tried and the one that gives back the
// display name is kept; at most one can. The zero Holder means none did.
func ParseHolderKey(key, display string) Holder {
	for i := range len(key) {
		if key[i] != '/' {
			continue
		}
		pidText, rest, ok := strings.Cut(key[i+1:], "/")
		if !ok {
			break
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || strconv.Itoa(pid) != pidText {
			continue
		}
		if h := (Holder{Host: key[:i], PID: pid, ID: rest}); h.String() == display {
			return h
		}
	}
	return Holder{}
}

// LeaseError reports that a scope is held by another run.
type LeaseError struct {
	Scope string
	// Holder is the holder's display name, "host pid N".
	Holder string
	// HeldBy is the holder as the store recorded it. It is the zero Holder
	// when the store could not read it back unambiguously.
	HeldBy  Holder
	Since   time.Time
	Expires time.Time
}

func (e *LeaseError) Error() string {
	return fmt.Sprintf("scope %q is being migrated by %s since %s (lease expires %s); wait for it to finish or stop it",
		e.Scope, e.Holder, e.Since.UTC().Format(time.RFC3339), e.Expires.UTC().Format(time.RFC3339))
}

// Unwrap lets errors.Is(err, ErrLeaseHeld) match.
func (e *LeaseError) Unwrap() error { return ErrLeaseHeld }
